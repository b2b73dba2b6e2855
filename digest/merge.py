"""Combine what the curator wrote with what extraction found.

One precedence, written down once: a field in the source's front matter wins
as written; extraction fills only what is missing. The date has a longer chain:
front matter > file name > dateline or text > date first added.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from digest import taxonomy
from digest.extract.clean import clean_text
from digest.model import Metadata, Problem, Source
from digest.sanitize import strip_tags
from digest.slugs import slug_for

LIST_FIELDS = ("people", "places", "organisations", "keywords")
_FILENAME_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[-_ ]|$)")


def parse_date(value: object) -> str | None:
    """A YAML date, datetime or ISO string to YYYY-MM-DD; None when it is none of those."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10]).isoformat()
        except ValueError:
            return None
    return None


def filename_date(path: Path) -> str | None:
    match = _FILENAME_DATE.match(path.name)
    return parse_date(match.group(1)) if match else None


def _as_list(value: object) -> list[str] | None:
    """A string or a list of scalars as a list of strings; None for anything else."""
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return [str(v).strip() for v in value if str(v).strip()]
    return None


def merge(source: Source, extracted: Metadata) -> tuple[Metadata, list[Problem]]:
    """The page's metadata, and a warning for each front-matter value that was unusable."""
    front = source.front_matter
    problems: list[Problem] = []
    fields: dict[str, Any] = {}

    def warn(key: str, reason: str, instead: str = "extracted value used") -> None:
        problems.append(Problem(source.path, f"front matter `{key}`: {reason}; {instead}"))

    if "title" in front:
        if isinstance(front["title"], str | int | float) and str(front["title"]).strip():
            fields["title"] = str(front["title"]).strip()
        else:
            warn("title", "must be text")
    if "summary" in front:
        if isinstance(front["summary"], str):
            fields["summary"] = front["summary"].strip()
        else:
            warn("summary", "must be text")
    for key in LIST_FIELDS:
        if key in front:
            values = _as_list(front[key])
            if values is None:
                warn(key, "must be a list of names")
            else:
                fields[key] = values
    if "topics" in front:
        values = _as_list(front["topics"])
        codes, unknown = resolve_topics(values or [])
        if values is None:
            warn("topics", "must be a list of IPTC Media Topics labels or codes")
        elif unknown:
            warn("topics", "not an IPTC Media Topics label or code: "
                 + ", ".join(repr(v) for v in unknown))
        else:
            fields["topics"] = codes
    if "slug" in front and given_slug(front) is None:
        warn("slug", "must be text", "the title's slug used")

    date, date_source = _resolve_date(source, extracted, warn)
    merged = replace(extracted, **fields, date=date, date_source=date_source)
    return _as_plain_text(merged), problems


def given_slug(front: Mapping[str, Any]) -> str | None:
    """The curator's `slug` when it is usable text (or a number), else None."""
    value = front.get("slug")
    if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
        return str(value).strip()
    return None


def resolve_topics(values: list[str]) -> tuple[list[str], list[str]]:
    """IPTC codes for the curator's topics, and the values that are none.

    A label holding commas, written unquoted in a YAML list
    (`[conflict, war and peace]`), arrives split into parts: the longest run of
    parts that joins into one label is read as that label.
    """
    longest = max(t.label.count(",") for t in taxonomy.topics().values()) + 1
    codes: list[str] = []
    unknown: list[str] = []
    i = 0
    while i < len(values):
        for j in range(min(len(values), i + longest), i, -1):
            code = taxonomy.resolve(", ".join(values[i:j]))
            if code:
                codes.append(code)
                i = j
                break
        else:
            unknown.append(values[i])
            i += 1
    return list(dict.fromkeys(codes)), unknown


def _plain(text: str) -> str:
    return clean_text(strip_tags(text))


def _as_plain_text(meta: Metadata) -> Metadata:
    """Metadata is shown as text everywhere: no tags, no invisible or bidi characters."""
    return replace(
        meta,
        title=_plain(meta.title),
        summary=_plain(meta.summary),
        **{key: [n for n in map(_plain, getattr(meta, key)) if n] for key in LIST_FIELDS},
    )


def _resolve_date(source: Source, extracted: Metadata, warn: Any) -> tuple[str | None, str | None]:
    if "date" in source.front_matter:
        date = parse_date(source.front_matter["date"])
        if date:
            return date, "front-matter"
        warn("date", "must be a date like 2022-05-31")
    date = filename_date(source.path)
    if date:
        return date, "filename"
    if extracted.date:
        return extracted.date, extracted.date_source
    return source.added, "added" if source.added else None


def read_aliases(data: object, path: Path) -> tuple[dict[str, str], list[Problem]]:
    """`Canonical: [variant, …]` mapping to {variant casefolded: canonical}."""
    if data is None:
        return {}, []
    if not isinstance(data, Mapping):
        return {}, [Problem(path, "aliases must map a name to a list of its variants")]
    table: dict[str, str] = {}
    problems = []
    for canonical, variants in data.items():
        values = _as_list(variants)
        if not isinstance(canonical, str) or values is None:
            problems.append(Problem(path, f"aliases entry {canonical!r} must list variant names"))
            continue
        for variant in [canonical, *values]:
            table[variant.casefold()] = canonical
    return table, problems


def canonicalise(articles_meta: list[Metadata], aliases: Mapping[str, str]) -> list[Metadata]:
    """One name per entity across the digest.

    The curator's aliases win. Then a bare surname ("Biden") that ends exactly
    one full name seen anywhere in the digest ("Joe Biden") joins it. Last,
    names that differ only in case, accents or punctuation ("kyiv", "Kyiv")
    take the form the digest uses most, so they share one page.
    """
    full_names: dict[str, set[str]] = {}
    for meta in articles_meta:
        for name in meta.people:
            name = aliases.get(name.casefold(), name)
            if " " in name:
                full_names.setdefault(name.split()[-1].casefold(), set()).add(name)

    def person(name: str) -> str:
        name = aliases.get(name.casefold(), name)
        if " " not in name:
            candidates = full_names.get(name.casefold(), set())
            if len(candidates) == 1:
                return next(iter(candidates))
        return name

    def other(name: str) -> str:
        return aliases.get(name.casefold(), name)

    renamed = [
        {"people": [person(n) for n in m.people],
         "places": [other(n) for n in m.places],
         "organisations": [other(n) for n in m.organisations]}
        for m in articles_meta
    ]
    for kind in ("people", "places", "organisations"):
        preferred = _preferred_forms(name for fields in renamed for name in fields[kind])
        for fields in renamed:
            fields[kind] = list(dict.fromkeys(preferred[n] for n in fields[kind]))
    return [replace(meta, **fields) for meta, fields in zip(articles_meta, renamed, strict=True)]


def _preferred_forms(names: Iterable[str]) -> dict[str, str]:
    """Each name to the most used spelling among those with the same slug
    (ties: more capitals, then more accents — "Kyiv" over "kyiv", "Société" over
    "Societe" — then alphabetical), so the choice is stable."""
    counts = Counter(names)
    groups: dict[str, list[str]] = {}
    for name in counts:
        groups.setdefault(slug_for(name), []).append(name)
    preferred = {}
    for variants in groups.values():
        best = min(variants, key=lambda n: (-counts[n], -sum(c.isupper() for c in n),
                                            -sum(not c.isascii() for c in n), n))
        preferred.update(dict.fromkeys(variants, best))
    return preferred
