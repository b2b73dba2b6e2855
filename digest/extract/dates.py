"""The article's own date, only when the text states it unambiguously.

A wrong date misfiles an article in the archive, a missing one falls back to the
date it was added; so only complete dates (day, month, year) in a dateline or after
a publication cue count, and relative words ("Tuesday", "yesterday") never do.
"""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|"
    r"Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_PATTERNS = [
    re.compile(r"(?<![\d-])(?P<year>(?:19|20)\d\d)-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)(?![\d-])"),
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_DAY}\s+{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),
]
# A dateline is a short line of its own near the top: "LONDON 1996-08-30", "January 09, 2008".
_DATELINE_LINES = 3
_DATELINE_MAX_CHARS = 60
_DATELINE_PLACE_WORDS = 4
_PUBLISHED = re.compile(
    r"\b(?:published|posted|updated|dated|first appeared)\b(?:\s+\w+){0,2}?\s*(?:on\s+)?:?\s*$",
    re.IGNORECASE,
)


def _parse(match: re.Match[str]) -> str | None:
    parts = match.groupdict()
    month = int(parts["mnum"]) if parts.get("mnum") else _MONTHS[parts["month"].casefold()[:3]]
    try:
        return date(int(parts["year"]), month, int(parts["day"])).isoformat()
    except ValueError:
        return None


def _full_dates(text: str) -> list[tuple[int, str]]:
    found = []
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            parsed = _parse(m)
            if parsed:
                found.append((m.start(), parsed))
    return sorted(found)


def _dateline(text: str, title: str | None) -> str | None:
    """A full date on a short line of its own, beside at most a place name."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    for line in lines[:_DATELINE_LINES]:
        if len(line) > _DATELINE_MAX_CHARS or (title and line == title.strip()):
            continue
        found = {d for _, d in _full_dates(line)}
        if len(found) != 1:
            continue
        rest = line
        for pattern in _PATTERNS:
            rest = pattern.sub(" ", rest)
        words = re.findall(r"[^\W\d_]+", rest)
        if len(words) <= _DATELINE_PLACE_WORDS and all(w[0].isupper() for w in words):
            return found.pop()
    return None


def _published(text: str) -> str | None:
    head = text[:2000]
    for start, parsed in _full_dates(head):
        if _PUBLISHED.search(head[max(0, start - 40) : start]):
            return parsed
    return None


def find_date(text: str, title: str | None = None) -> tuple[str | None, str | None]:
    """(YYYY-MM-DD, "dateline" | "text") or (None, None) when the text does not say."""
    found = _dateline(text, title)
    if found:
        return found, "dateline"
    found = _published(text)
    if found:
        return found, "text"
    return None, None
