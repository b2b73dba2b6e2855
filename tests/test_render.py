"""Pages rendered by several processes make the same site as one process, and fail the same."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from digest.render import build_site, set_up

PAGES = 7


def _docs(root: Path, extra: dict[str, str] | None = None) -> Path:
    docs = root / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n\n[First](p/page-0.md)\n", "utf-8")
    (docs / "p").mkdir()
    for i in range(PAGES):
        (docs / "p" / f"page-{i}.md").write_text(
            f"# Page {i}\n\nBody of page {i}, see [home](../index.md).\n\n## Part {i}\n", "utf-8")
    for name, text in (extra or {}).items():
        (docs / name).write_text(text, "utf-8")
    (root / "mkdocs.yml").write_text(
        "site_name: Test\ntheme:\n  name: material\nplugins: []\n", "utf-8")
    return docs


def _build(root: Path, site: str, workers: int, strict: bool = False,
           warned: list[str] | None = None) -> Path:
    config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(root / site),
                         strict=strict)
    build_site(set_up(config), workers=workers, warned=warned)
    return root / site


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_several_workers_render_the_same_site_as_one(tmp_path: Path) -> None:
    _docs(tmp_path)
    serial = _tree(_build(tmp_path, "one", workers=1))
    shared = _tree(_build(tmp_path, "three", workers=3))
    assert "p/page-6/index.html" in shared
    assert shared == serial


def test_the_site_holds_the_theme_files_that_mkdocs_build_copies(tmp_path: Path) -> None:
    """Material's stylesheets, scripts and images, as `mkdocs build` copies them
    (and none of what it leaves out, like Material's thousands of icon sources)."""
    _docs(tmp_path)
    ours = _tree(_build(tmp_path, "ours", workers=1))
    mkdocs_build(load_config(config_file=str(tmp_path / "mkdocs.yml"),
                             site_dir=str(tmp_path / "stock")))
    stock = _tree(tmp_path / "stock")

    def static(tree: dict[str, bytes]) -> dict[str, bytes]:
        return {path: data for path, data in tree.items()
                if not path.endswith((".html", ".xml", ".xml.gz"))}

    assert any(path.endswith(".css") for path in static(stock))
    assert static(ours) == static(stock)


def test_a_page_that_fails_in_a_worker_fails_the_build(tmp_path: Path) -> None:
    # Pages are shared round-robin in path order: with one worker per page, the
    # last page (zz.md) is rendered by a forked worker, not by this process.
    _docs(tmp_path, {"zz.md": "---\ntemplate: no-such-template.html\n---\n# Broken\n"})
    with pytest.raises(Abort):
        _build(tmp_path, "site", workers=PAGES + 2)


def test_strict_mode_aborts_on_a_warning_raised_in_a_worker(tmp_path: Path) -> None:
    _docs(tmp_path, {"zz.md": "# Links\n\n[gone](missing.md)\n"})
    # Out of the navigation, so that this process does not read the page for its title.
    with (tmp_path / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("nav: [index.md]\nvalidation:\n  nav:\n    omitted_files: ignore\n")
    warned: list[str] = []
    _build(tmp_path, "lenient", workers=PAGES + 2, warned=warned)  # a warning does not fail
    # and the worker hands it back to this process
    assert len(warned) == 1 and "Doc file 'zz.md'" in warned[0] and "missing.md" in warned[0]
    with pytest.raises(Abort):
        _build(tmp_path, "strict", workers=PAGES + 2, strict=True)


def test_the_first_pages_are_all_written_before_the_rest_begins(tmp_path: Path) -> None:
    # How the build lets Pagefind index the article pages while the others render.
    _docs(tmp_path)
    seen: list[set[str]] = []
    config = load_config(config_file=str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "s"))
    build_site(set_up(config), workers=3, first=lambda page: page.file.src_uri.startswith("p/"),
               then=lambda: seen.append({p.parent.name for p in (tmp_path / "s").rglob("*.html")}))
    # Nothing else yet: not the index page, nor the theme's 404.html (made after them).
    assert seen == [{f"page-{i}" for i in range(PAGES)}]


def test_navigation_rendered_once_per_folder_is_what_each_page_would_render(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = tmp_path / "docs"
    pages = {"index.md": "# Home\n", "people/index.md": "# People\n",
             "places/index.md": "# Places\n", "people/ann.md": "# Ann\n",
             "people/bo.md": "# Bo\n", "places/oslo.md": "# Oslo\n",
             "people/ann/page/1.md": "# Ann, older\n", "page/1.md": "# Older\n"}
    for rel, text in pages.items():
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text(text, "utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Test\ntheme:\n  name: material\n  features: [navigation.tabs]\n"
        "plugins: []\nnav:\n  - Home: index.md\n  - People: people/index.md\n"
        "  - Places: places/index.md\nvalidation:\n  nav:\n    omitted_files: ignore\n", "utf-8")
    memoised = _tree(_build(tmp_path, "memoised", workers=1))
    monkeypatch.setattr("digest.render.memoise_per_folder", lambda env, nav: None)
    each = _tree(_build(tmp_path, "each", workers=1))
    # The tabs and navigation link People's index relative to the page's folder.
    assert b'href="../../people/"' in memoised["places/oslo/index.html"]
    assert b'href="../../people/"' not in memoised["people/ann/index.html"]
    assert memoised == each
