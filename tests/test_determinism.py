"""Same content, same site: byte for byte, however it was reached."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import pytest

from digest.build import Session, build
from digest.config import load_config
from tests.conftest import make_digest
from tests.site_fixture import SECOND, build_digest

pytestmark = pytest.mark.model


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file()}


def _clean(root: Path) -> None:
    for derived in ("site", "build", ".digest-cache"):
        shutil.rmtree(root / derived, ignore_errors=True)


def test_clean_and_incremental_builds_give_identical_sites(tmp_path: Path, seed_text: str) -> None:
    # A headline on the article's first line is its title, and not repeated in its body.
    headlined = ("Harbour wall in Leeds to be rebuilt after the storm\n\n"
                 "The council voted on Tuesday to rebuild the old harbour wall in Leeds.")
    root = make_digest(tmp_path / "d", {"seed.txt": seed_text, "2023-04-05-grain.md": SECOND,
                                        "2023-03-01-harbour.txt": headlined})
    assert build_digest(root).returncode == 0
    first = _tree(root / "site")
    _clean(root)
    assert build_digest(root).returncode == 0
    assert _tree(root / "site") == first, "two clean builds differ"

    (root / "content" / "articles" / "2023-05-01-oslo.txt").write_text(
        "OSLO 2023-05-01\n\nNorway's prime minister Jonas Gahr Store opened a bridge.", "utf-8")
    assert build_digest(root).returncode == 0  # incremental: cache and pages kept
    incremental = _tree(root / "site")
    assert incremental != first
    _clean(root)
    assert build_digest(root).returncode == 0
    assert _tree(root / "site") == incremental, "incremental build differs from a clean one"


def test_a_run_of_incremental_builds_ends_where_a_clean_build_does(
    tmp_path: Path, seed_text: str
) -> None:
    # Each build after the first moves what changed into the site the one before it
    # left: an article added, then one edited, then one removed.
    root = make_digest(tmp_path / "d", {"seed.txt": seed_text, "2023-04-05-grain.md": SECOND})
    articles = root / "content" / "articles"
    assert build_digest(root).returncode == 0
    (articles / "2023-05-01-oslo.txt").write_text(
        "OSLO 2023-05-01\n\nNorway's prime minister Jonas Gahr Store opened a bridge.", "utf-8")
    assert build_digest(root).returncode == 0
    kept = (root / "site" / "about" / "index.html").stat().st_ino
    (articles / "2023-05-01-oslo.txt").write_text(
        "OSLO 2023-05-02\n\nNorway's king Harald opened a bridge in Bergen.", "utf-8")
    assert build_digest(root).returncode == 0
    # The about page (it counts the articles) was left as it was, not rendered again.
    assert (root / "site" / "about" / "index.html").stat().st_ino == kept
    (articles / "2023-04-05-grain.md").unlink()
    assert build_digest(root).returncode == 0
    incremental = _tree(root / "site")
    assert not any(p.is_dir() and not any(p.iterdir()) for p in (root / "site").rglob("*"))
    _clean(root)
    assert build_digest(root).returncode == 0
    assert _tree(root / "site") == incremental, "incremental builds drifted from a clean one"


def test_a_serving_process_rebuilds_to_the_site_a_clean_build_gives(
    tmp_path: Path, seed_text: str
) -> None:
    # `digest serve` keeps merged metadata, dossiers and the pages it wrote between
    # builds (a Session): an article added, edited, then another removed.
    root = make_digest(tmp_path / "d", {"seed.txt": seed_text, "2023-04-05-grain.md": SECOND})
    articles = root / "content" / "articles"
    config = load_config(root)
    session = Session()
    build(config, session=session)
    (articles / "2023-05-01-oslo.txt").write_text(
        "OSLO 2023-05-01\n\nNorway's prime minister Jonas Gahr Store opened a bridge.", "utf-8")
    build(config, session=session)
    (articles / "2023-05-01-oslo.txt").write_text(
        "OSLO 2023-05-02\n\nNorway's king Harald opened a bridge in Bergen.", "utf-8")
    build(config, session=session)
    # Only the summary the curator gives: the same people and places, whose pages and
    # feeds the process made last time, but not their entries in the feeds.
    (articles / "2023-04-05-grain.md").write_text(
        SECOND.replace("title:", "summary: Talks on grain exports resumed.\ntitle:"), "utf-8")
    build(config, session=session)
    assert "Talks on grain exports resumed." in (
        root / "site" / "feeds" / "people" / "vladimir-putin.atom").read_text("utf-8")
    (articles / "2023-04-05-grain.md").unlink()
    build(config, session=session)
    # Last, words added to the story, which stays in its part of the search index: only
    # what the index holds of the page says that part must be indexed again.
    (articles / "2023-05-01-oslo.txt").write_text(
        "OSLO 2023-05-02\n\nNorway's king Harald opened a bridge in Bergen. Crowds cheered.",
        "utf-8")
    build(config, session=session)
    # A build runs without the cycle collector; the process it serves from goes on with it.
    assert gc.isenabled()
    served = _tree(root / "site")
    assert not (root / "build" / "docs" / "articles" / "grain-talks-resume-in-geneva.md").exists()
    _clean(root)
    assert build_digest(root).returncode == 0
    assert _tree(root / "site") == served, "the serving process drifted from a clean build"
