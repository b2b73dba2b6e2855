"""Shared fixtures: tiny digests built in temporary folders."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

pytest_plugins = ["tests.site_fixture", "tests.browser"]

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "content" / "articles" / "000_0e367a65feda92c3.txt"


def _shared() -> Path:
    """The workplace's shared data and checkers (bench corpus, W3C feed validator).

    It sits beside the checkout (`../shared`); DIGEST_SHARED names it when a clone
    lives elsewhere on a machine of the same workplace.
    """
    given = os.environ.get("DIGEST_SHARED")
    candidates = [Path(given)] if given else [REPO.parent / "shared", Path("/work/shared")]
    for path in candidates:
        if (path / "tools" / "validate_feeds.py").is_file():
            return path
    return candidates[0]


SHARED = _shared()


def make_digest(root: Path, articles: dict[str, str | bytes], aliases: str | None = None) -> Path:
    """A digest folder with the repo's mkdocs.yml and theme, and these articles."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "theme", root / "theme")
    folder = root / "content" / "articles"
    folder.mkdir(parents=True)
    for name, text in articles.items():
        data = text.encode("utf-8") if isinstance(text, str) else text
        (folder / name).write_bytes(data)
    if aliases is not None:
        (root / "content" / "aliases.yml").write_text(aliases, "utf-8")
    return root


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text("utf-8")


def indexed_pages(site: Path) -> int:
    """How many pages the site's search index holds, over all its parts."""
    bundle = site / "pagefind"
    count = 0
    for part in json.loads((bundle / "parts.json").read_text("utf-8")):
        entry = json.loads((bundle / part["name"] / "pagefind-entry.json").read_text("utf-8"))
        count += sum(language["page_count"] for language in entry["languages"].values())
    return count
