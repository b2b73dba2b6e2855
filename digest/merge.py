"""Combine what the curator wrote with what extraction found.

One precedence, written down once: a field in the source's front matter wins
as written; extraction fills only what is missing. The date has a longer chain:
front matter > file name > dateline or text > date first added.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from digest import taxonomy
from digest.extract.clean import clean_text
from digest.extract.gazetteer import full_place_name, place_kind, rules
from digest.model import Metadata, Problem, Source
from digest.sanitize import strip_tags
from digest.slugs import slug_for

LIST_FIELDS = ("people", "places", "organisations", "keywords", "authors")
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
_ENTITY_FIELDS = ("people", "places", "organisations")
# A lone capitalised word before a verb of saying is someone speaking: "Biden said".
_SPEAKS = re.compile(
    r"\b([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\s+(?:said|says|told|tells|added|adds|asked|asks|"
    r"wrote|writes|argued|argues|insisted|insists|warned|warns|explained|explains|"
    r"replied|replies|admitted|admits|denied|denies|urged|urges|vowed|vows)\b"
)
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
        if isinstance(front["title"], str | int | float) and _plain(str(front["title"])):
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

    for key in ("publisher", "source_url", "language"):
        if key in front:
            value = front[key]
            if not isinstance(value, str):
                warn(key, "must be text")
            elif key == "source_url" and not re.match(r"https?://[^\s/]+", value.strip()):
                warn(key, "must be an absolute http(s) URL")
            elif key == "language" and not _LANGUAGE.fullmatch(value.strip()):
                warn(key, "must be a language tag like en or en-GB")
            else:
                fields[key] = value.strip()

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


@lru_cache(maxsize=1 << 16)
def _plain(text: str) -> str:
    # Cached: a digest names the same people, places and organisations in article after
    # article (about 9,800 distinct names of 15,400 at 1,000 articles).
    return clean_text(strip_tags(text))


def _as_plain_text(meta: Metadata) -> Metadata:
    """Metadata is shown as text everywhere: no tags, no invisible or bidi characters."""
    return replace(
        meta,
        title=_plain(meta.title),
        summary=_plain(meta.summary),
        publisher=_plain(meta.publisher),
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


def _name_words(name: str) -> tuple[str, ...]:
    return tuple(name.replace(".", " ").casefold().split()) or ("",)


def _is_full_name(name: str) -> bool:
    """A given name and a surname, at least: "Joe Biden", not "Biden" or "R. Biden"."""
    words = name.split()
    return len(words) > 1 and len(words[0].rstrip(".")) > 1 and not words[0].endswith(".")


def _curated(source: Source, key: str) -> bool:
    """Whether the page's `key` is the curator's own list (given in front matter, usable)."""
    return key in source.front_matter and _as_list(source.front_matter[key]) is not None


# Every article's text is scanned at every build: a long-running process (serve)
# scans only the texts it has not seen.
@lru_cache(maxsize=1 << 16)
def _spoken_names(text: str) -> frozenset[str]:
    """Lone capitalised words the text uses as a person ("Merkel told reporters"), casefolded.

    A word after another capitalised one is part of a longer name ("Angela
    Merkel told"), which extraction already reads, unless that word is a title.
    """
    titles = {t.rstrip(".") for t in rules()["titles"]}
    found = set()
    for match in _SPEAKS.finditer(text):
        before = text[max(0, match.start() - 30) : match.start()].split()
        previous = before[-1] if before else ""
        if (previous[:1].isupper() and not previous.endswith((".", ",", ";", ":", "\"", "”"))
                and previous.casefold() not in titles):
            continue
        found.add(match.group(1).casefold())
    return frozenset(found)


_BEFORE = re.compile(r"([A-Z][\w'.-]*)[ \t]+$")
_AFTER = re.compile(r"[ \t]+[A-Z]")


def _part_of_another_name(text: str, word: str, person: str) -> bool:
    """Whether the text also uses `word` inside a longer name that is not `person`'s
    ("I P Sharp Associates", "Ford Motor Co"): then the word is more likely that."""
    titles = {t.rstrip(".") for t in rules()["titles"]}
    own = _name_words(person)
    for match in re.finditer(rf"\b{re.escape(word)}\b", text, re.IGNORECASE):
        if not match.group()[0].isupper():
            continue
        if _AFTER.match(text, match.end()):
            return True  # "Sharp Associates"
        before = _BEFORE.search(text, max(0, match.start() - 40), match.start())
        previous = before.group(1) if before else ""
        sentence_end = previous.endswith(".") and len(previous.rstrip(".")) > 1
        if (previous and not sentence_end and previous.rstrip(".").casefold() not in titles
                and own[-2:] != _name_words(f"{previous} {word}")):
            return True  # "I P Sharp", not "Angela Merkel" or "Chancellor Merkel"
    return False


def read_ahead(items: Iterable[tuple[Source, Metadata]]) -> None:
    """Do now the part of canonicalise that reads each article alone, for it to find
    done (both are cached): a build does it while new articles are extracted."""
    for source, meta in items:
        for word in _spoken_names(source.text):
            place_kind(word)  # the gazetteer, loaded the first time, is most of it
        for kind in _ENTITY_FIELDS:
            for name in getattr(meta, kind):
                slug_for(name)


def canonicalise(
    items: Sequence[tuple[Source, Metadata]], aliases: Mapping[str, str]
) -> list[Metadata]:
    """One name per entity across the digest.

    The curator's aliases win. A name the curator wrote in front matter stays as
    written unless the aliases map it. For extracted names, a bare surname
    ("Biden") or initial and surname ("R. Biden") that ends exactly one full
    person's name in the digest ("Joe Biden", "Joseph R. Biden") joins it,
    whether extraction took it for a person, an organisation or nothing at all
    ("Biden said on Monday", "Merkel told reporters"). An extracted place
    abbreviation ("U.S.") joins its full name when the digest names that. Last,
    names that differ only in case, accents or punctuation ("kyiv", "Kyiv")
    take the curator's form, else the form the digest uses most, so they share
    one page.
    """
    def alias(name: str) -> str:
        return aliases.get(name.casefold(), name)

    # "U.S." in one story and "United States" in another are one place: an extracted
    # abbreviation joins its full name when the digest has a page for that name.
    place_pages = {alias(n).casefold() for _, meta in items for n in meta.places}

    def place(name: str) -> str:
        full = full_place_name(name)
        known = full and name.casefold() not in aliases and full.casefold() in place_pages
        return full if known else name

    # Full names by their last word: each name as written, to the name it is published as.
    people = {alias(name) for _, meta in items for name in meta.people}
    full_names: dict[str, set[tuple[tuple[str, ...], str]]] = {}
    for _, meta in items:
        for name in meta.people:
            for form in {name, alias(name)}:
                if _is_full_name(form):
                    words = _name_words(form)
                    full_names.setdefault(words[-1], set()).add((words, alias(name)))

    def full_name(name: str) -> str | None:
        """The one full name in the digest that `name` ends ("Biden", "R. Biden"), if any."""
        words = _name_words(name)
        candidates = {canonical for longer, canonical in full_names.get(words[-1], ())
                      if len(longer) > len(words) and longer[-len(words):] == words}
        return next(iter(candidates)) if len(candidates) == 1 else None

    # How many articles name each person, and take each name for an organisation.
    mentions = Counter(name for _, meta in items for name in {alias(n) for n in meta.people})
    as_organisation = Counter(name.casefold() for _, meta in items
                              for name in {alias(n) for n in meta.organisations})

    def speaker(word: str) -> str | None:
        """The person a lone spoken name is: the curator's alias if it names a person;
        not a place ("Washington said"), nor a company the digest names more often
        than the person ("Apple said", next to one story on Fiona Apple)."""
        if word in aliases:
            return aliases[word] if aliases[word] in people else None
        person = None if place_kind(word) else full_name(word)
        return person if person and mentions[person] >= as_organisation[word] else None

    renamed = []
    curated_names: set[str] = set()
    for source, meta in items:
        curated = {kind: _curated(source, kind) for kind in _ENTITY_FIELDS}
        fields = {kind: [alias(n) for n in getattr(meta, kind)] for kind in _ENTITY_FIELDS}
        for kind in _ENTITY_FIELDS:
            if curated[kind]:
                curated_names.update(fields[kind])
        if not curated["places"]:
            fields["places"] = [place(n) for n in fields["places"]]
        if not curated["people"]:
            fields["people"] = [full_name(n) or n for n in fields["people"]]
            surnames = {n.split()[-1].casefold() for n in fields["people"]}
            for word in sorted(_spoken_names(source.text) - surnames):
                person = speaker(word)
                if (person is None or person in fields["people"]
                        or _part_of_another_name(source.text, word, person)):
                    continue
                fields["people"].append(person)
                for kind in ("places", "organisations"):
                    if not curated[kind]:
                        fields[kind] = [n for n in fields[kind]
                                        if n.casefold() not in (word, person.casefold())]
        renamed.append(fields)
    for kind in _ENTITY_FIELDS:
        preferred = _preferred_forms((name for fields in renamed for name in fields[kind]),
                                     curated_names)
        for fields in renamed:
            fields[kind] = list(dict.fromkeys(preferred[n] for n in fields[kind]))
    return [replace(meta, **fields) for (_, meta), fields in zip(items, renamed, strict=True)]


def _preferred_forms(names: Iterable[str], curated: Set[str]) -> dict[str, str]:
    """Each name to one spelling among those with the same slug: the curator's,
    else the most used (ties: more capitals, then more accents — "Kyiv" over
    "kyiv", "Société" over "Societe" — then alphabetical), so the choice is stable."""
    counts = Counter(names)
    groups: dict[str, list[str]] = {}
    for name in counts:
        groups.setdefault(slug_for(name), []).append(name)
    preferred = {}
    for variants in groups.values():
        best = min(variants, key=lambda n: (n not in curated, -counts[n],
                                            -sum(c.isupper() for c in n),
                                            -sum(not c.isascii() for c in n), n))
        preferred.update(dict.fromkeys(variants, best))
    return preferred
