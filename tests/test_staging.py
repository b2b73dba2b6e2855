"""Reusing the previous site: what a build starts from holds the current site's files,
and nothing the current site no longer has."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.staging import mirror, stage_previous


def _files(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_ino for p in root.rglob("*")
            if p.is_file()}


def _site(root: Path, pages: dict[str, str]) -> Path:
    for rel, text in pages.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, "utf-8")
    return root


def test_the_spare_made_while_waiting_holds_exactly_the_current_site(tmp_path: Path) -> None:
    site = _site(tmp_path / "site", {"index.html": "home", "a/index.html": "a v2",
                                     "b/index.html": "b"})
    # The spare is the site of a build before: an old "a", and a page since removed.
    spare = _site(tmp_path / "spare", {"index.html": "old home", "a/index.html": "a v1",
                                       "gone/index.html": "removed article"})
    mirror(site, spare)
    assert _files(spare) == _files(site)  # the same files, hard-linked
    assert not (spare / "gone").exists()


@pytest.mark.parametrize("told", [True, False], ids=["told-what-mirror-saw", "listing-again"])
def test_a_build_started_from_that_spare_leaves_out_what_it_renders_again(
    tmp_path: Path, told: bool
) -> None:
    site = _site(tmp_path / "site", {"index.html": "home", "a/index.html": "a",
                                     "b/index.html": "b"})
    spare = tmp_path / "build" / "previous-site"
    mirrored = mirror(site, spare)
    staging = tmp_path / ".site.new"
    assert stage_previous(site, staging, ["b.md"], spare, mirrored=mirrored if told else None)
    kept = _files(staging)
    assert "b/index.html" not in kept and "index.html" in kept
    assert kept["a/index.html"] == (site / "a" / "index.html").stat().st_ino
    assert (site / "b" / "index.html").read_text("utf-8") == "b"  # the live site is untouched
