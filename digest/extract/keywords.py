"""Key phrases: repeated or early noun phrases that are not already names.

Runs on the fast parse (entities and sentences, no tagger): a word's part of speech
comes from the model's lemmatizer lexicon, which is enough to cut text into
adjective-noun runs ("multiple rocket launchers") at stop words, verbs and names.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from spacy.tokens import Doc, Token

from digest.extract.gazetteer import rules
from digest.extract.nlp import inflected_verb, noun_lemma, word_classes

MAX_KEYWORDS = 8
_MAX_WORDS = 4
_LENGTH_BONUS = 0.6
# fmt: off
_NAME_LABELS = frozenset({
    "PERSON", "GPE", "LOC", "ORG", "NORP", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY",
    "PERCENT", "QUANTITY",
})
# The learned NER tags no DATE, and a capitalised day or month name in news is a time
# reference ("published Tuesday", "since March"), never part of what a story is about.
_CALENDAR_NAMES = frozenset({
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
})
# fmt: on


@cache
def _stoplist_singletons() -> frozenset[str]:
    """Words never a keyword alone: the stoplist plus the titles stripped from names."""
    return _stoplist() | {t for t in rules()["titles"] if " " not in t}


@cache
def _stoplist() -> frozenset[str]:
    text = resources.files("digest").joinpath("data/keyword-stoplist.txt").read_text("utf-8")
    return frozenset(
        ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")
    )


@dataclass
class _Candidate:
    surfaces: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    count: int = 0
    first: int = 0
    words: int = 0


def _usable(tok: Token, blocked: set[str]) -> bool:
    if not tok.is_alpha or tok.is_stop or len(tok.text) < 2:
        return False
    if tok.ent_type_ in _NAME_LABELS or tok.lower_ in blocked:
        return False
    if tok.text[0].isupper() and tok.lower_ in _CALENDAR_NAMES:
        return False
    return _content_word(tok.lower_, tok.text[0].isupper())


@cache
def _content_word(word: str, capitalised: bool) -> bool:
    """A word that can sit in a noun phrase: noun or adjective, not a verb form."""
    if inflected_verb(word):
        return False
    classes = word_classes(word)
    if not classes:
        return capitalised or len(word) > 3  # unknown words: jargon, acronyms
    return bool(classes & {"noun", "adj"})


def _trim(run: list[Token]) -> list[Token]:
    """Phrases end in a noun and start after adverbs and empty adjectives ("new", "entire")."""
    while run and not (not word_classes(run[-1].lower_) or "noun" in word_classes(run[-1].lower_)):
        run = run[:-1]
    while run and (
        run[0].lower_ in _stoplist()
        or word_classes(run[0].lower_) & {"adv", "adj"} == {"adv"}
        or ("verb" in word_classes(run[0].lower_) and "adj" not in word_classes(run[0].lower_))
        or run[0].lower_.endswith("est")  # superlatives: "strongest possible position"
    ):
        run = run[1:]
    return run[-_MAX_WORDS:]


def _runs(doc: Doc, blocked: set[str]) -> list[list[Token]]:
    """Maximal runs of noun/adjective words, cut at sentence starts, brackets and names."""
    runs: list[list[Token]] = []
    current: list[Token] = []
    depth = 0
    for tok in doc:
        depth += tok.text == "("
        depth -= tok.text == ")" and depth > 0
        usable = not depth and _usable(tok, blocked)
        if usable and not tok.is_sent_start:
            current.append(tok)
            continue
        runs.append(current)
        current = [tok] if usable else []
    runs.append(current)
    return [trimmed for run in runs if (trimmed := _trim(run))]


def _display(run: list[Token]) -> str:
    words = []
    for tok in run:
        keep_case = tok.text.isupper() or (tok.text[0].isupper() and not tok.is_sent_start)
        words.append(tok.text if keep_case else tok.lower_)
    return " ".join(words)


def _score(cand: _Candidate, length: int) -> float:
    """Repeated, longer and earlier phrases first."""
    early = 1.0 - cand.first / length
    return cand.count * (1 + _LENGTH_BONUS * (cand.words - 1)) + early


def keywords(doc: Doc, *, names: list[str], acronyms: list[str]) -> list[str]:
    """Up to eight key phrases, most telling first; none repeats a name."""
    blocked = {w.casefold() for n in names for w in n.split()} | _stoplist_singletons()
    candidates: dict[str, _Candidate] = {}
    for run in _runs(doc, blocked - _stoplist()):
        words = [t.lower_ for t in run]
        words[-1] = noun_lemma(words[-1])
        if len(words) == 1 and (
            words[0] in blocked or word_classes(words[0]) & {"noun", "adj", "adv"} != {"noun"}
        ):
            continue  # a lone word must be a plain noun: "equipment", not "high" or "east"
        cand = candidates.setdefault(" ".join(words), _Candidate(first=run[0].idx, words=len(run)))
        cand.count += 1
        cand.surfaces[_display(run)] += 1
    length = max(len(doc.text), 1)
    ranked = sorted(
        (c for c in candidates.values() if c.words > 1 or c.count > 1),
        key=lambda c: _score(c, length),
        reverse=True,
    )
    out = list(acronyms)
    taken = [set(a.casefold().split()) for a in acronyms]
    for cand in ranked:
        if len(out) >= MAX_KEYWORDS:
            break
        surface = max(cand.surfaces, key=lambda s: cand.surfaces[s])
        words = set(surface.casefold().split())
        if any(words <= t or t <= words for t in taken):
            continue  # "rocket launchers" once "multiple rocket launchers" is in
        taken.append(words)
        out.append(surface)
    return out[:MAX_KEYWORDS]
