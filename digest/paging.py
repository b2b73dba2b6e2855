"""Lists split into pages whose URLs stay put as the digest grows (pure).

A newest-first list (a month of the archive, a person's articles) has its
first page at the list's own address and its older pages numbered from the
OLDEST end: `page/1` holds the oldest articles. The first page holds the
newest `per_page` to `2 × per_page − 1` articles. Adding a newer article then
changes only the first page, until it overflows: then its oldest `per_page`
articles become the next numbered page, and the page before that gets a link
to it. An older page never moves, so links to it (and the reader's bookmarks)
stay right.

An alphabetical list (the A–Z of an index) is split into numbered pages from
its start, as a reader expects of a dictionary.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    path: str  # under docs_dir, e.g. "people/joe-biden.md", "people/joe-biden/page/3.md"
    items: tuple[T, ...]
    number: int  # 0 for the first page of a newest-first list, else its stable number
    prev: str | None = None  # the page before this one (path under docs_dir): rel="prev"
    next: str | None = None  # the page after this one: rel="next"


def newest_first(
    items: Sequence[T], first_path: str, numbered: Callable[[int], str], per_page: int
) -> list[Page[T]]:
    """Pages of a newest-first list, first page first; `numbered(k)` is page k's path."""
    full = max(0, len(items) // per_page - 1)  # numbered pages, each exactly per_page long
    on_first = len(items) - full * per_page
    paths = [first_path] + [numbered(k) for k in range(full, 0, -1)]
    chunks = [tuple(items[:on_first])] + [
        tuple(items[len(items) - k * per_page : len(items) - (k - 1) * per_page])
        for k in range(full, 0, -1)
    ]
    numbers = [0, *range(full, 0, -1)]
    return link_pages(paths, chunks, numbers)


def in_order(
    items: Sequence[T], first_path: str, numbered: Callable[[int], str], per_page: int
) -> list[Page[T]]:
    """Pages of a list read from its start: first_path, then numbered(2), numbered(3), …"""
    chunks = [tuple(items[i : i + per_page]) for i in range(0, len(items), per_page)] or [()]
    paths = [first_path] + [numbered(k) for k in range(2, len(chunks) + 1)]
    return link_pages(paths, chunks, list(range(1, len(chunks) + 1)))


def link_pages(
    paths: Sequence[str], chunks: Sequence[tuple[T, ...]], numbers: Sequence[int]
) -> list[Page[T]]:
    """Pages in reading order, each linked to the one before and after it."""
    return [
        Page(path, chunk, number,
             prev=paths[i - 1] if i > 0 else None,
             next=paths[i + 1] if i + 1 < len(paths) else None)
        for i, (path, chunk, number) in enumerate(zip(paths, chunks, numbers, strict=True))
    ]


def page_url(path: str) -> str:
    """The address MkDocs gives a page (directory URLs), relative to the site root."""
    stem = path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return f"{stem}/"
