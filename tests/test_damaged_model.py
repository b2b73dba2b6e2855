"""A damaged install (a shipped model file changed or missing) says so in one line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from digest.__main__ import cli
from digest.extract import topics
from tests.conftest import make_digest

pytestmark = pytest.mark.model


@pytest.fixture
def damaged_classifier(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The topic classifier's file as if changed after install: its pin no longer matches."""
    topics.classifier.cache_clear()
    monkeypatch.setattr(topics, "CLASSIFIER_SHA256", "0" * 64)
    yield
    topics.classifier.cache_clear()


def _one_line_error(result: object) -> str:
    assert isinstance(result.exception, SystemExit), result.exception  # type: ignore[attr-defined]
    assert result.exit_code == 1  # type: ignore[attr-defined]
    lines = [line for line in result.stderr.splitlines()  # type: ignore[attr-defined]
             if line.startswith("Error: ")]
    assert len(lines) == 1 and "Traceback" not in result.stderr  # type: ignore[attr-defined]
    return lines[0]


def test_extract_with_a_damaged_model_is_one_line(damaged_classifier: None) -> None:
    result = CliRunner().invoke(cli, ["extract"], input='{"id": 1, "text": "Ann Lee won."}\n')
    assert "not the pinned topic classifier; reinstall Digest" in _one_line_error(result)


def test_build_with_a_damaged_model_is_one_line(damaged_classifier: None, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    # The build extracts new articles in a forked worker: it says why on its own standard
    # error (not the one CliRunner captures here), and the build stops in one line.
    root = make_digest(tmp_path / "d", {"a.txt": "Ann Lee opened a bakery in Leeds."})
    monkeypatch.chdir(root)
    result = CliRunner().invoke(cli, ["build", "--site-url", "https://example.org/"])
    assert "a worker process failed" in _one_line_error(result)
    assert not (root / "site").exists()
