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
