"""Rules data and a place gazetteer shared by entity extraction and truecasing."""

from __future__ import annotations

import json
from functools import cache
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
    return out


def place_kind(name: str) -> str | None:
    """ "country", "region" or "city" for a known place name, else None."""
    folded = name.casefold()
    if folded in _gazetteer():
        return _gazetteer()[folded]
    if " " not in folded and folded.endswith("shire") and len(folded) > 7:
        return "region"  # English counties: "Leicestershire", "Derbyshire"
    return None
