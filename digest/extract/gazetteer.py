"""Rules data and a place gazetteer shared by entity extraction and truecasing."""

from __future__ import annotations

import json
import unicodedata
from functools import cache, lru_cache
from importlib import resources


@cache
def rules() -> dict:
    text = resources.files("digest").joinpath("data/entity-rules.json").read_text("utf-8")
    return json.loads(text)


@cache
def _gazetteer() -> dict[str, str]:
    """Place name (casefolded) -> "country", "region" or "city"."""
    text = resources.files("digest").joinpath("data/places.txt").read_text("utf-8")
    out: dict[str, str] = {}
    section = "city"
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        out.setdefault(line.casefold(), section)
    for section, names in rules()["extra_places"].items():
        for name in names:
            out[name.casefold()] = section
    for preferred, variants in rules()["place_variants"].items():
        for variant in variants:
            out.setdefault(variant.casefold(), out.get(preferred.casefold(), "city"))
    for full, shorts in rules()["place_abbreviations"].items():
        for short in (full, *shorts):
            out.setdefault(short.casefold(), "country")
    for name, kind in list(out.items()):
        # Three letters without the accent are more often an abbreviation: NIS (shekels), Niš.
        if len(name) > 3:
            out.setdefault(_unaccented(name), kind)
    return out


@cache
def _abbreviations() -> dict[str, str]:
    return {s.casefold(): full for full, ss in rules()["place_abbreviations"].items() for s in ss}


def full_place_name(name: str) -> str | None:
    """The full name a place abbreviation stands for ("U.S." -> "United States"), else None."""
    return _abbreviations().get(name.casefold())


@cache
def _place_codes() -> dict[str, str]:
    """Abbreviation in capitals -> the place it stands for ("TX" -> "Texas")."""
    text = resources.files("digest").joinpath("data/place-codes.txt").read_text("utf-8")
    out: dict[str, str] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith(("#", "[")):
            code, place = line.split("\t")
            out.setdefault(code, place)
    return out


def place_code(name: str) -> str | None:
    """The place a known abbreviation stands for, with its full stops or without ("TX" ->
    "Texas", "N.H." -> "New Hampshire", "U.S" -> "United States"), else None.  Only in
    capitals: "in", "or" and "me" are words, not states."""
    letters = name.replace(".", "")
    if not letters.isupper():
        return None
    return _place_codes().get(letters) or full_place_name(letters)


def _unaccented(name: str) -> str:
    """English news drops the accents of foreign place names: "Montreal", "Sao Paulo"."""
    decomposed = unicodedata.normalize("NFD", name)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


# Asked of every lower-case word of every article (careless "kyiv"), so worth keeping.
@lru_cache(maxsize=1 << 16)
def place_kind(name: str) -> str | None:
    """ "country", "region" or "city" for a known place name, else None."""
    folded = name.casefold()
    if folded not in _gazetteer():
        folded = _unaccented(folded)
    if folded in _gazetteer():
        return _gazetteer()[folded]
    if " " not in folded and folded.endswith("shire") and len(folded) > 7:
        return "region"  # English counties: "Leicestershire", "Derbyshire"
    return None
