"""The records that flow between the stages of a build."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Where an article's date came from, most trusted first (see DESIGN.md).
DATE_SOURCES = ("front-matter", "filename", "dateline", "text", "added")


@dataclass(frozen=True)
class Source:
    """One article as the curator wrote it: read, never modified."""

    path: Path  # relative to the digest root, for messages and the `source` field
    text: str  # the body, without front matter
    front_matter: dict[str, Any]
    sha256: str
    fmt: str  # "text" (plain, escaped when rendered) or "markdown"
    added: str | None = None  # YYYY-MM-DD first committed to git, else file mtime


@dataclass(frozen=True)
class Metadata:
    """What extraction finds in an article's text; every field may be empty."""

    title: str = ""
    date: str | None = None  # YYYY-MM-DD
    date_source: str | None = None
    people: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)  # IPTC codes, primary first
    keywords: list[str] = field(default_factory=list)
    summary: str = ""
    # Only from the curator's front matter (written by `digest add` for web pages):
    authors: list[str] = field(default_factory=list)
    publisher: str = ""
    source_url: str = ""  # the original article, an absolute http(s) URL
    language: str = ""  # BCP 47


@dataclass(frozen=True)
class Article:
    """A source merged with its metadata: everything a page needs."""

    source: Source
    meta: Metadata
    slug: str
    body: str  # Markdown


@dataclass(frozen=True)
class Problem:
    """A reason one file could not be (fully) published."""

    path: Path
    message: str
    fatal: bool = False  # True: the file is skipped; False: published with a fix-up

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class SiteError(RuntimeError):
    """MkDocs could not render the site; the previous site is untouched."""
