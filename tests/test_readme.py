"""The README's examples, taken from README.md as written and built with the real command."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO, make_digest
from tests.site_fixture import build_digest

pytestmark = pytest.mark.model


def readme_block(heading: str) -> str:
    """The first fenced block after `heading` in README.md, as written."""
    text = (REPO / "README.md").read_text("utf-8")
    after = text[text.index(f"\n{heading}\n"):]
    start = after.index("```yaml\n") + len("```yaml\n")
    return after[start : after.index("```\n", start)]


def _front(page: Path) -> dict[str, object]:
    return yaml.safe_load(page.read_text("utf-8").split("---\n")[1])


def test_the_front_matter_example_is_kept_as_written(tmp_path: Path, seed_text: str) -> None:
    block = readme_block("### Front matter: the curator wins")
    written = yaml.safe_load(block.split("---\n")[1])
    root = make_digest(tmp_path / "d", {"biden.md": block + seed_text})
    result = build_digest(root, "--strict")  # strict: a warning about any field fails
    assert result.returncode == 0, result.stderr
    page = root / "build" / "docs" / "articles" / f"{written['slug']}.md"
    front = _front(page)
    for key in ("title", "date", "people", "places", "organisations", "topics", "keywords",
                "summary"):
        assert front[key] == written[key], key
    assert front["date_source"] == "front-matter"


def _entities(root: Path) -> dict[str, list[str]]:
    """The entity pages of the built site, by kind: what a reader can browse to."""
    return {kind: sorted(p.name for p in (root / "site" / kind).iterdir() if p.is_dir())
            for kind in ("people", "places", "organisations")}


def _pages(root: Path) -> dict[str, dict[str, object]]:
    """Each article page's front matter by its source file name."""
    pages = (root / "build" / "docs" / "articles").glob("*.md")
    return {Path(str(f["source"])).name: f for f in map(_front, pages)}


def test_the_aliases_example_joins_the_variants_in_a_build(tmp_path: Path) -> None:
    root = make_digest(
        tmp_path / "d",
        {"visit.txt": "Joe Biden arrived in Kyiv on Tuesday for talks on military aid.",
         "speech.txt": "President Biden spoke to troops in Kiev about the long war.",
         "letter.txt": "Joseph R. Biden wrote to Congress asking for more money for Kiev."},
        aliases=readme_block("### Aliases"),
    )
    result = build_digest(root, "--strict")
    assert result.returncode == 0, result.stderr
    found = _entities(root)
    assert [p for p in found["people"] if "biden" in p] == ["joe-biden"]
    assert "kyiv" in found["places"] and "kiev" not in found["places"]
    assert {name: f["people"] for name, f in _pages(root).items()} == {
        "visit.txt": ["Joe Biden"], "speech.txt": ["Joe Biden"], "letter.txt": ["Joe Biden"]}


def test_a_bare_surname_joins_the_full_name_in_a_build(tmp_path: Path) -> None:
    # The README: without an entry, "Biden" joins the one full name ending with it.
    root = make_digest(tmp_path / "d", {
        "visit.txt": "Joe Biden arrived in Kyiv on Tuesday for talks on military aid.",
        "rockets.txt": "Biden said on Monday that the United States would send more "
                       "rockets to Ukraine, after talks with allies in Brussels.",
        "summit.txt": "Angela Merkel met European leaders in Brussels to discuss energy.",
        "plants.txt": "Merkel told reporters in Berlin on Tuesday that Germany would keep "
                      "its nuclear plants open for another year.",
    })
    result = build_digest(root)
    assert result.returncode == 0, result.stderr
    pages = _pages(root)
    assert pages["rockets.txt"]["people"] == ["Joe Biden"]
    assert pages["plants.txt"]["people"] == ["Angela Merkel"]
    found = _entities(root)
    assert "biden" not in found["organisations"] and "biden" not in found["people"]
    html = (root / "site" / "people" / "joe-biden" / "index.html").read_text("utf-8")
    assert "2 articles" in html
