"""IPTC Media Topics for an article, by a weighted lexicon; no training data needed.

Each of the 17 top-level topics gets cue words from two places: a curated list
(digest/data/topic-lexicon.json) and the taxonomy itself: the words of every label
in the topic's branch, and definition words concentrated in that branch, each
weighted by how specific it is to one branch (an inverse topic frequency).  An
article's score for a topic sums its cue words with log-damped counts, words in
the title and lede counting more.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from spacy.lang.en.stop_words import STOP_WORDS

from digest import taxonomy
from digest.extract.nlp import noun_lemma

MAX_TOPICS = 3
SPORT = "medtop:15000000"
ARTS = "medtop:01000000"
POLITICS = "medtop:11000000"
# Subjects whose government policy IPTC files under politics ("education policy",
# "environmental policy", "healthcare policy", "pension and welfare policy"); trade
# and monetary policy stay under economy, employment legislation under labour.
_POLICY_AREAS = ("medtop:05000000", "medtop:06000000", "medtop:07000000", "medtop:14000000")
# A text with no cue at all is most often a story about people: IPTC's "human interest".
FALLBACK = "medtop:08000000"

_STRONG, _WEAK = 3.0, 1.0
_LABEL_PHRASE, _LABEL_WORD, _DEFINITION_WORD = 1.5, 1.0, 0.25
_DEFINITION_CONCENTRATION = 0.5  # share of a definition word's uses that must be in one branch
_MAX_NGRAM = 3
_MIN_PREFIX = 4
_SECONDARY_SHARE = 0.5  # a further topic needs half the primary's score
_TITLE_WEIGHT, _LEDE_WEIGHT = 3.0, 1.5
_WORK_TITLE = 3.0
_QUOTED = re.compile(r"[\"“‘']([A-Z][^\"“”‘’'\n]{1,60}?)[\"”’'](?!\w)")
_MAX_TITLE_WORDS = 6
_MINOR = {"a", "an", "the", "of", "and", "in", "on", "to", "for", "with", "at", "by", "or"}
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'’-]*[A-Za-z0-9]|[A-Za-z]")
_POSSESSIVE = re.compile(r"['’]s$")
# Who governs: named in the headline or lede, they make the story one about government.
_GOVERNMENT = re.compile(
    r"\b(?:governments?|ministers?|ministry|ministries|MPs?|[Pp]arliament(?:ary)?|Congress"
    r"|congressional|lawmakers?|legislators?|legislature|senators?|Commons|select committee"
    r"|[A-Z][a-z]+ Secretary|White House|Downing Street|Whitehall|[Aa]dministration|[Cc]abinet)\b"
)
# What a government does about a subject: with one of the above, a policy story.
_POLICY = re.compile(
    r"\b(?:plans?|proposals?|proposed|bill|legislation|laws?|white paper|green paper"
    r"|consultation|scheme|reforms?|polic(?:y|ies)|crackdown|initiative|strategy|funding"
    r"|review|inquiry|bans?|banned)\b",
    re.IGNORECASE,
)
_GOVERNMENT_SHARE, _POLICY_SHARE = 0.4, 0.6  # of the policy area's score, added to politics

Weights = dict[str, float]


def _weights() -> defaultdict[str, float]:
    return defaultdict(float)


@dataclass
class _Lexicon:
    plain: dict[tuple[str, ...], Weights] = field(default_factory=lambda: defaultdict(_weights))
    cased: dict[tuple[str, ...], Weights] = field(default_factory=lambda: defaultdict(_weights))
    prefixes: dict[str, Weights] = field(default_factory=lambda: defaultdict(_weights))

    def add(self, term: str, code: str, weight: float) -> None:
        """A term is a word or phrase; "elect*" is a prefix; capitals make it case-sensitive."""
        term = " ".join(_bare(w) for w in term.split())
        if term.endswith("*"):
            table, key = self.prefixes, term[:-1].casefold()
        elif any(c.isupper() for c in term):
            table, key = self.cased, tuple(term.split())
        else:
            table, key = self.plain, _phrase_key(term.split())
        table[key][code] = max(table[key][code], weight)


def _bare(word: str) -> str:
    """Without a possessive: "NBC's" is a cue wherever "NBC" is."""
    return _POSSESSIVE.sub("", word)


def _phrase_key(words: list[str]) -> tuple[str, ...]:
    """Lower case, the last word of a phrase singular: "interest rates" and "interest rate"
    match.  A single word listed as a plural matches only the plural: "generals" is
    a war cue, but "general" alone is not one."""
    lowered = [w.casefold() for w in words]
    if len(lowered) == 1:
        return (lowered[0],)
    return (*lowered[:-1], noun_lemma(lowered[-1]))


@cache
def _lexicon() -> _Lexicon:
    lexicon = _Lexicon()
    text = resources.files("digest").joinpath("data/topic-lexicon.json").read_text("utf-8")
    curated = {code: lists for code, lists in json.loads(text).items() if not code.startswith("_")}
    # A cue listed under several topics says less about each of them.
    spread = Counter(
        term for lists in curated.values() for term in {*lists["strong"], *lists["terms"]}
    )
    for code, lists in curated.items():
        for term in lists["strong"]:
            lexicon.add(term, code, _STRONG / spread[term])
        for term in lists["terms"]:
            lexicon.add(term, code, _WEAK / spread[term])
    for term, weights in _taxonomy_terms().items():
        for code, weight in weights.items():
            lexicon.add(term, code, weight)
    return lexicon


def _idf(branches: int, n_topics: int) -> float:
    """1 for a word used in one branch only, 0 for a word used in all of them."""
    return math.log(n_topics / branches) / math.log(n_topics)


@cache
def _taxonomy_terms() -> dict[str, Weights]:
    """Label words and phrases of each branch, then concentrated definition words."""
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    definitions: dict[str, Counter[str]] = defaultdict(Counter)
    for topic in taxonomy.topics().values():
        for w in _WORD.findall(topic.definition.casefold()):
            if w not in STOP_WORDS and len(w) > 3:
                definitions[noun_lemma(w)][topic.top] += 1
        for part in re.split(r",| and | or |\(|\)", topic.label.casefold()):
            part = part.strip()
            words = [w for w in _WORD.findall(part) if w not in STOP_WORDS and len(w) > 2]
            if 1 < len(words) <= _MAX_NGRAM and " ".join(words) == part:
                labels[part][topic.top] += 1
            for w in words:
                labels[w][topic.top] += 1
    n_topics = len(taxonomy.top_level())
    out: dict[str, Weights] = {}
    for term, per_top in labels.items():
        base = _LABEL_PHRASE if " " in term else _LABEL_WORD
        out[term] = {code: base * _idf(len(per_top), n_topics) for code in per_top}
    for term, per_top in definitions.items():
        if term in out:
            continue
        total = sum(per_top.values())
        # Definitions use many generic words: only a word concentrated in a branch counts.
        out[term] = {
            code: _DEFINITION_WORD * _idf(len(per_top), n_topics) * n / total
            for code, n in per_top.items()
            if n / total >= _DEFINITION_CONCENTRATION
        }
    return out


def _count_cues(words: list[str], weight: float, counts: Counter[tuple[str, object]]) -> None:
    lexicon = _lexicon()
    words = [_bare(w) for w in words]
    lowered = [w.casefold() for w in words]
    singular = [noun_lemma(w) for w in lowered]
    for i, word in enumerate(lowered):
        whole_word = False
        for n in range(1, min(_MAX_NGRAM, len(words) - i) + 1):
            key = (*lowered[i : i + n - 1], singular[i + n - 1])
            if n == 1 and (word,) in lexicon.plain:
                key = (word,)  # a listed plural has its own weights
            if key in lexicon.plain:
                counts["plain", key] += weight
                whole_word |= n == 1
            exact = tuple(words[i : i + n])
            if exact in lexicon.cased:
                counts["cased", exact] += weight
        if whole_word:
            continue  # "election" already counted: do not count "elect*" again
        for end in range(len(word), _MIN_PREFIX - 1, -1):
            if word[:end] in lexicon.prefixes:
                counts["prefix", word[:end]] += weight
                break


def scores(parts: Iterable[tuple[str, float]]) -> Counter[str]:
    """Score per topic code for weighted pieces of text."""
    lexicon = _lexicon()
    tables = {"plain": lexicon.plain, "cased": lexicon.cased, "prefix": lexicon.prefixes}
    counts: Counter[tuple[str, object]] = Counter()
    for text, weight in parts:
        _count_cues(_WORD.findall(text), weight, counts)
    out: Counter[str] = Counter()
    for (kind, key), tf in counts.items():
        damped = 1 + math.log(tf) if tf >= 1 else tf
        for code, w in tables[kind][key].items():  # type: ignore[index]
            out[code] += w * damped
    return out


def _quoted_titles(text: str) -> int:
    """How many quoted Title Case phrases ("The Walking Dead") the running text names.

    In sentence-case prose such a phrase is almost always the title of a work:
    a film, show, book or song.
    """
    count = 0
    for m in _QUOTED.finditer(text):
        words = m.group(1).split()
        if len(words) <= _MAX_TITLE_WORDS and all(w[0].isupper() or w in _MINOR for w in words):
            count += 1
    return count


def _after(title: str | None, text: str) -> str:
    """`text` without the title at its top, which the title's own weight already counts.

    Many feeds repeat the headline as the first line, recased or not; counted there too,
    a short item's headline would outweigh its only other sentence fourfold.
    """
    if title and text[: len(title)].casefold() == title.casefold():
        return text[len(title) :]
    return text


def _government_share(head: str) -> float:
    """How much of a policy area's score is politics, by the headline and lede.

    A story in which ministers, MPs or a government act on schools or hospitals is
    about government policy, filed by IPTC under politics, however many times it
    names pupils or patients; without a government actor it stays with its subject.
    """
    if not _GOVERNMENT.search(head):
        return 0.0
    return _POLICY_SHARE if _POLICY.search(head) else _GOVERNMENT_SHARE


def topics(text: str, title: str | None, lede: str) -> list[str]:
    """1–3 top-level IPTC codes, primary first."""
    body, lede = _after(title, text), _after(title, lede)
    parts = [(body, 1.0), (lede, _LEDE_WEIGHT - 1.0)]
    if title:
        parts.append((title, _TITLE_WEIGHT))
    found = scores(parts)
    found[ARTS] += _WORK_TITLE * _quoted_titles(body)
    found[POLITICS] += _government_share(f"{title or ''}\n{lede}") * max(
        found[code] for code in _POLICY_AREAS
    )
    ranked = (+found).most_common(MAX_TOPICS)
    if not ranked:
        return [FALLBACK]
    best = ranked[0][1]
    return [code for code, s in ranked if s >= best * _SECONDARY_SHARE]
