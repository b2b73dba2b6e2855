"""Reusing the previous site: a build that adds an article moves only what changed
into the current site, and leaves the rest of it as it was."""

from __future__ import annotations

from pathlib import Path

from digest.staging import link_pages, patch_site


def _files(root: Path) -> dict[str, tuple[int, str]]:
    return {p.relative_to(root).as_posix(): (p.stat().st_ino, p.read_text("utf-8"))
            for p in root.rglob("*") if p.is_file()}


def _site(root: Path, pages: dict[str, str]) -> Path:
    for rel, text in pages.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, "utf-8")
    return root


def test_the_changed_files_replace_the_sites_and_the_rest_is_left_alone(tmp_path: Path) -> None:
    site = _site(tmp_path / "site", {
        "index.html": "home v1", "a/index.html": "a", "gone/index.html": "removed article",
        "pagefind/p1/index.pf": "part 1 v1", "pagefind/p1/old.pf": "part 1, a file it lost",
        "pagefind/p2/index.pf": "part 2", "pagefind/p3/index.pf": "a part since dropped",
    })
    before = _files(site)
    staging = _site(tmp_path / ".site.new", {"index.html": "home v2", "b/index.html": "b",
                                              "pagefind/p1/index.pf": "part 1 v2"})
    patch_site(site, staging, tmp_path / ".site.old", ["pagefind/p1", "pagefind/p3"],
               ["index.html", "b/index.html", "gone/index.html"])
    after = _files(site)
    assert {rel: text for rel, (_, text) in after.items()} == {
        "index.html": "home v2", "a/index.html": "a", "b/index.html": "b",
        "pagefind/p1/index.pf": "part 1 v2", "pagefind/p2/index.pf": "part 2"}
    # Not written again: the same files, not copies.
    assert after["a/index.html"] == before["a/index.html"]
    assert after["pagefind/p2/index.pf"] == before["pagefind/p2/index.pf"]
    assert not (site / "gone").exists()
    assert not any(p.is_file() for p in staging.rglob("*"))


def test_the_pages_a_part_needs_are_linked_in_unless_rendered_again(tmp_path: Path) -> None:
    site = _site(tmp_path / "site", {"articles/a/index.html": "a", "articles/b/index.html": "b v1"})
    staging = _site(tmp_path / ".site.new", {"articles/b/index.html": "b v2"})
    linked = link_pages(site, staging, ["articles/a/index.html", "articles/b/index.html",
                                        "articles/new/index.html"])
    assert linked == ["articles/a/index.html"]
    assert _files(staging)["articles/a/index.html"] == _files(site)["articles/a/index.html"]
    assert (staging / "articles" / "b" / "index.html").read_text("utf-8") == "b v2"
