"""IPTC Media Topics for an article: a weighted lexicon and a learned classifier, combined.

The lexicon: each of the 17 top-level topics gets cue words from two places: a curated
list (digest/data/topic-lexicon.json) and the taxonomy itself: the words of every label
in the topic's branch, and definition words concentrated in that branch, each weighted
by how specific it is to one branch (an inverse topic frequency).  An article's score
for a topic sums its cue words with log-damped counts, words in the title and lede
counting more.

The classifier: a multinomial logistic regression over a sentence embedding of the
headline and lede (digest.extract.embed), trained by training/topics.py on news items
of the topics that have them (digest/data/topic-classifier.json, pinned by hash).  It
knows nothing of topics without training items (weather, labour, society, ...), so it
only says how probable each known topic is among the known ones, and every unknown
topic keeps the uniform prior share.  The lexicon's scores, like a naive Bayes model's
log-likelihoods, are added to those log-probabilities with a weight chosen by
cross-validation on the training data: a long article's many cues speak loudly, a short
item's few cues leave more to the classifier.  The sum, softmaxed with a fitted
temperature, is a calibrated probability per topic.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import numpy as np
from spacy.lang.en.stop_words import STOP_WORDS

from digest import taxonomy
from digest.extract import ModelError
from digest.extract.embed import embed
from digest.extract.nlp import noun_lemma

MAX_TOPICS = 3
SPORT = "medtop:15000000"
ARTS = "medtop:01000000"
POLITICS = "medtop:11000000"
# Subjects whose government policy IPTC files under politics ("education policy",
# "environmental policy", "healthcare policy", "pension and welfare policy"); trade
# and monetary policy stay under economy, employment legislation under labour.
_POLICY_AREAS = ("medtop:05000000", "medtop:06000000", "medtop:07000000", "medtop:14000000")
# A text without a single word has no topic to find; IPTC's "human interest" is the
# topic of stories told for their people rather than their subject.
FALLBACK = "medtop:08000000"

_STRONG, _WEAK = 3.0, 1.0
_LABEL_PHRASE, _LABEL_WORD, _DEFINITION_WORD = 1.5, 1.0, 0.25
_DEFINITION_CONCENTRATION = 0.5  # share of a definition word's uses that must be in one branch
_MAX_NGRAM = 3
_MIN_PREFIX = 4
# A further topic is named when it is at least this probable; calibrated probabilities
# make that "one chance in four that the story is about it".
SECONDARY_PROBABILITY = 0.25
# The probabilities are of being *the* topic (every training item has one), so a second
# subject that a long article covers at length gets almost none of that mass beside the
# first; its cues do show it: a further topic is also named when its lexicon score is at
# least this share of the primary's.
_SECONDARY_SHARE = 0.5
CLASSIFIER = "data/topic-classifier.json"
# sha256 of CLASSIFIER as training/topics.py wrote it: change it only with a retrained model.
CLASSIFIER_SHA256 = "d010024fb0e78c3ba0b65e853cb2030f6d880fa6f3e736c09a7dd89d2d495af3"
_HEAD_CHARS = 400  # more than the embedding's word pieces hold
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


def lexicon_scores(text: str, title: str | None, lede: str) -> Counter[str]:
    """The lexicon's score per top-level code: cue words, titles of works, policy stories."""
    body, lede = _after(title, text), _after(title, lede)
    parts = [(body, 1.0), (lede, _LEDE_WEIGHT - 1.0)]
    if title:
        parts.append((title, _TITLE_WEIGHT))
    found = scores(parts)
    found[ARTS] += _WORK_TITLE * _quoted_titles(body)
    found[POLITICS] += _government_share(f"{title or ''}\n{lede}") * max(
        found[code] for code in _POLICY_AREAS
    )
    return +found


@dataclass(frozen=True)
class Classifier:
    """What training/topics.py learned; see the module docstring for how it is used."""

    codes: list[str]  # the topics it has training items for, in the rows' order
    weights: np.ndarray  # one row of embedding weights per code
    bias: np.ndarray
    temperature: float  # of the classifier's own softmax, fitted on held-out folds
    lexicon_weight: float  # per unit of lexicon score, added to log-probabilities
    calibration: float  # temperature of the combined softmax, fitted on held-out folds

    def to_json(self) -> str:
        return json.dumps(
            {
                "codes": self.codes,
                "weights": [[round(float(x), 6) for x in row] for row in self.weights],
                "bias": [round(float(x), 6) for x in self.bias],
                "temperature": self.temperature,
                "lexicon_weight": self.lexicon_weight,
                "calibration": self.calibration,
            },
            indent=0,
        )

    @classmethod
    def from_json(cls, text: str) -> Classifier:
        data = json.loads(text)
        return cls(
            codes=data["codes"],
            weights=np.array(data["weights"], dtype=np.float32),
            bias=np.array(data["bias"], dtype=np.float32),
            temperature=data["temperature"],
            lexicon_weight=data["lexicon_weight"],
            calibration=data["calibration"],
        )


@cache
def classifier() -> Classifier:
    data = resources.files("digest").joinpath(CLASSIFIER).read_bytes()
    if hashlib.sha256(data).hexdigest() != CLASSIFIER_SHA256:
        raise ModelError(f"{CLASSIFIER}: not the pinned topic classifier; reinstall Digest")
    return Classifier.from_json(data.decode("utf-8"))


def codes() -> list[str]:
    """The 17 top-level codes, in the order of every score vector here."""
    return [t.code for t in taxonomy.top_level()]


def head(text: str, title: str | None) -> str:
    """What the classifier reads: the headline and the start of the story after it."""
    body = " ".join(_after(title, text).split())[:_HEAD_CHARS]
    return f"{title}. {body}" if title else body


def lexicon_vector(found: Counter[str]) -> np.ndarray:
    return np.array([found.get(code, 0.0) for code in codes()], dtype=np.float64)


def combined(
    model: Classifier, vectors: np.ndarray, lexicon: np.ndarray, lexicon_weight: float
) -> np.ndarray:
    """Unnormalised log-probabilities per top-level code (rows: articles), before calibration.

    Topics the classifier knows share the prior mass it was trained on, each as the
    classifier apportions it; each other topic keeps its uniform prior share.
    """
    all_codes = codes()
    logits = (vectors @ model.weights.T + model.bias) / model.temperature
    known = logits - np.logaddexp.reduce(logits, axis=1, keepdims=True)
    out = np.full((len(vectors), len(all_codes)), -math.log(len(all_codes)))
    rows = [all_codes.index(code) for code in model.codes]
    out[:, rows] = known + math.log(len(model.codes) / len(all_codes))
    return out + lexicon_weight * lexicon


def probabilities(found: Counter[str], vector: np.ndarray) -> dict[str, float]:
    """Calibrated probability per top-level code, from the lexicon's scores and the embedding."""
    model = classifier()
    scores = combined(model, vector[None, :], lexicon_vector(found)[None, :],
                      model.lexicon_weight)[0] / model.calibration
    p = np.exp(scores - scores.max())
    p /= p.sum()
    return dict(zip(codes(), (float(x) for x in p), strict=True))


def topics(text: str, title: str | None, lede: str, vector: np.ndarray | None = None) -> list[str]:
    """1–3 top-level IPTC codes, primary first.

    `vector` is the embedding of head(text, title); extraction computes those in
    batches, and a single call computes its own.
    """
    if not _WORD.search(f"{title or ''} {text}"):
        return [FALLBACK]
    if vector is None:
        vector = embed([head(text, title)])[0]
    found = lexicon_scores(text, title, lede)
    p = probabilities(found, vector)
    primary, *others = sorted(p, key=lambda code: -p[code])
    also = [
        code for code in others
        if p[code] >= SECONDARY_PROBABILITY or found[code] >= _SECONDARY_SHARE * found[primary] > 0
    ]
    return [primary, *also][:MAX_TOPICS]
