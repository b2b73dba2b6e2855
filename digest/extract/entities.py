"""People, places and organisations from a parsed doc's entities.

The model tags mentions one at a time; a reader knows a document-level set of names.
So mentions are cleaned (titles, possessives, a leading "the"), relabelled by a vote
over every mention of the same name, and aliases are collapsed into the longest form
the document uses ("Biden", "President Biden" -> "Joe Biden"; "US" -> "United States").
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources

from spacy.tokens import Doc, Span

PERSON, PLACE, ORG = "person", "place", "org"
_KINDS = {"PERSON": PERSON, "GPE": PLACE, "LOC": PLACE, "ORG": ORG}

_QUOTES = "\"'“”‘’`´"
_POSSESSIVE = re.compile(r"\s*['’]s?$")
_PLURAL_DEMONYM = re.compile(r"^[A-Z][a-z]+(?:ians|eans|ans|ese|is)$")
# Names a wire keeps apart from sentences: bylines, datelines, score lines.
_HAS_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Entities:
    people: list[str]
    places: list[str]
    organisations: list[str]
    acronyms: list[str]  # things spelled out in brackets ("HIMARS"), for keywords


@dataclass
class _Name:
    text: str
    votes: Counter[str]
    first: int  # character offset of the first mention, to keep reading order


@cache
def _rules() -> dict:
    text = resources.files("digest").joinpath("data/entity-rules.json").read_text("utf-8")
    return json.loads(text)


@cache
def _titles() -> re.Pattern[str]:
    titles = sorted(_rules()["titles"], key=len, reverse=True)
    alternatives = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in titles)
    return re.compile(rf"^(?:(?:{alternatives})\.?\s+)+", re.IGNORECASE)


@cache
def _variants() -> dict[str, str]:
    return {
        variant.casefold(): preferred
        for preferred, variants in _rules()["place_variants"].items()
        for variant in variants
    }


@cache
def _abbreviations() -> dict[str, str]:
    return {
        short.casefold(): full
        for full, shorts in _rules()["place_abbreviations"].items()
        for short in shorts
    }


def key(name: str) -> str:
    """A comparison key: case, dots and accents do not make a different name."""
    return re.sub(r"[.\s]+", " ", name.replace(".", "")).strip().casefold()


def clean_name(text: str) -> str:
    """A display name from a mention: no titles, possessive, leading "the", quotes or breaks."""
    text = " ".join(text.split())
    text = text.strip(_QUOTES + " -–—,;:([{")
    text = text.rstrip(")]}") if text.count("(") < text.count(")") + 1 else text
    text = _POSSESSIVE.sub("", text)
    text = re.sub(r"^the\s+", "", text, flags=re.IGNORECASE)
    stripped = _titles().sub("", text)
    # A bare title ("President") is a role, not a name: keep the text for the vote to drop.
    text = stripped or text
    text = text.strip(_QUOTES + " -–—,;:.")
    if text.islower() and text.isalpha():
        text = text.title()  # "kyiv" in a sloppy translation is still the city
    return text


def _acronym_expansion(ent: Span) -> bool:
    """True for "Himars (High Mobility Artillery Rocket System)": a spelled-out abbreviation."""
    doc = ent.doc
    if len(ent) != 1 or ent.end + 2 >= len(doc) or doc[ent.end].text != "(":
        return False
    words = []
    for tok in doc[ent.end + 1 : min(len(doc), ent.end + 12)]:
        if tok.text == ")":
            break
        if tok.is_alpha and tok.text[0].isupper():
            words.append(tok.text)
    initials = "".join(w[0] for w in words).casefold()
    return len(initials) >= 2 and initials == ent.text.casefold()


def _is_acronym_of(short: str, long: str) -> bool:
    letters = short.replace(".", "")
    words = [w for w in long.split() if w[0].isupper()]
    return (
        letters.isupper()
        and len(letters) >= 2
        and len(words) >= 2
        and "".join(w[0] for w in words) == letters
    )


def _plausible(name: str, kind: str) -> bool:
    if len(name) < 2 or not any(c.isalpha() for c in name) or _HAS_DIGIT.search(name):
        return False
    if not name[0].isupper() and not name[0].isdigit():
        return False
    if kind == PLACE and " " not in name and _PLURAL_DEMONYM.match(name):
        return False  # "Ukrainians", "Americans": people of a place, not the place
    return True


def _collect(doc: Doc) -> tuple[dict[str, _Name], list[str]]:
    names: dict[str, _Name] = {}
    acronyms: list[str] = []
    for ent in doc.ents:
        kind = _KINDS.get(ent.label_)
        if _acronym_expansion(ent):
            acronyms.append(ent.text.upper())
            continue
        name = clean_name(ent.text)
        if kind is None:
            # Other labels still vote against a name being a person or place ("Americans").
            kind = "other"
        k = key(name)
        if not k:
            continue
        entry = names.setdefault(k, _Name(name, Counter(), ent.start_char))
        entry.votes[kind] += 1
        if name != entry.text and _prefer_surface(name, entry.text):
            entry.text = name
    return names, acronyms


def _prefer_surface(new: str, old: str) -> bool:
    """Between two spellings of one name, prefer mixed case over all-caps headline text."""
    return old.isupper() and not new.isupper()


def _kind_of(entry: _Name) -> str:
    kind, _ = entry.votes.most_common(1)[0]
    return kind


def _propagate_surnames(names: dict[str, _Name]) -> None:
    """A one-word name that ends a person's full name is that person ("Simmons")."""
    full = {k.split()[-1] for k, e in names.items() if " " in k and _kind_of(e) == PERSON}
    for k, entry in names.items():
        if " " not in k and k in full:
            entry.votes[PERSON] += sum(entry.votes.values()) + 1


def _collapse(items: list[tuple[str, int]], kind: str) -> list[str]:
    """Names of one kind with aliases folded into the longest form present, in order."""
    ordered = [name for name, _ in sorted(items, key=lambda it: it[1])]
    if kind == PLACE:
        ordered = [_variants().get(n.casefold(), n) for n in ordered]
        present = {key(n) for n in ordered}
        ordered = [
            _abbreviations()[n.casefold()]
            if n.casefold() in _abbreviations() and key(_abbreviations()[n.casefold()]) in present
            else n
            for n in ordered
        ]
    keys = [key(n).split() for n in ordered]
    out = [
        name
        for i, name in enumerate(ordered)
        if not any(
            (len(keys[j]) > len(keys[i]) and keys[j][-len(keys[i]) :] == keys[i])
            or _is_acronym_of(name, other)
            for j, other in enumerate(ordered)
            if j != i
        )
    ]
    return list(dict.fromkeys(out))


def entities(doc: Doc) -> Entities:
    names, acronyms = _collect(doc)
    acronym_keys = {a.casefold() for a in acronyms}
    _propagate_surnames(names)
    grouped: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for k, entry in names.items():
        kind = _kind_of(entry)
        if k in acronym_keys or kind not in (PERSON, PLACE, ORG):
            continue
        if kind == PERSON and " " not in entry.text and entry.text.isupper():
            continue  # "HIMARS", "NATO": all-caps single words are not people
        if _plausible(entry.text, kind):
            grouped[kind].append((entry.text, entry.first))
    return Entities(
        people=_collapse(grouped[PERSON], PERSON),
        places=_collapse(grouped[PLACE], PLACE),
        organisations=_collapse(grouped[ORG], ORG),
        acronyms=list(dict.fromkeys(acronyms)),
    )
