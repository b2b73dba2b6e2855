"""URL slugs: readable, bounded, unique, stable for the same input."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from slugify import slugify

SLUG_MAX = 80


# A name is slugged for every page that links it: thousands of times in a build.
@lru_cache(maxsize=1 << 16)
def slug_for(text: str) -> str:
    return slugify(text, max_length=SLUG_MAX, word_boundary=True) or "untitled"


def assign_slugs(wanted: Iterable[str]) -> list[str]:
    """Unique slugs in input order: later duplicates get -2, -3, …"""
    seen: set[str] = set()
    result = []
    for slug in wanted:
        candidate, n = slug, 1
        while candidate in seen:
            n += 1
            candidate = f"{slug[: SLUG_MAX - 4]}-{n}"
        seen.add(candidate)
        result.append(candidate)
    return result
