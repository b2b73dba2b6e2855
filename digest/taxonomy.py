"""The IPTC Media Topics vocabulary shipped with the package.

Codes are the keys (stable across IPTC releases); labels are for display only.
Attribution (CC BY 4.0) is in digest/data/IPTC-NOTICE.md and on every site's About page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Topic:
    code: str
    label: str
    definition: str
    parent: str | None
    top: str


@cache
def topics() -> dict[str, Topic]:
    """Every active concept by code, in IPTC's order (the 17 top-level ones first)."""
    text = resources.files("digest").joinpath("data/iptc-mediatopics.json").read_text("utf-8")
    return {row["code"]: Topic(**row) for row in json.loads(text)}


def top_level() -> list[Topic]:
    return [t for t in topics().values() if t.parent is None]


@cache
def _by_label() -> dict[str, str]:
    return {t.label.casefold(): t.code for t in topics().values()}


def resolve(value: str) -> str | None:
    """A code or a label (any case) to its code; None when it is not in the vocabulary."""
    value = value.strip()
    if value in topics():
        return value
    return _by_label().get(value.casefold())


def notice() -> str:
    """The CC BY 4.0 attribution every published site must show."""
    text = resources.files("digest").joinpath("data/IPTC-NOTICE.md").read_text("utf-8")
    return " ".join(text.split())


def label(code: str) -> str:
    return topics()[code].label
