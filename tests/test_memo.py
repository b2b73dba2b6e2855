"""Dossier pages and feeds kept from the last build are never shown stale."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from digest.memo import TextMemo, key_of
from tests.conftest import make_digest
from tests.site_fixture import build_digest

ARTICLE = """---
title: {title}
date: 2023-04-05
people: [Ann Lee]
places: [Bergen]
organisations: [Harbour Board]
topics: [economy, business and finance]
summary: The harbour board met.
slug: harbour-board
---
The harbour board met on Tuesday.
"""


@pytest.mark.model
def test_a_changed_title_reaches_the_dossier_and_its_feed_on_the_next_build(
    tmp_path: Path,
) -> None:
    root = make_digest(tmp_path / "d", {"2023-04-05-board.md": ARTICLE.format(title="Board meets")})
    assert build_digest(root).returncode == 0
    dossier = root / "site" / "people" / "ann-lee" / "index.html"
    feed = root / "site" / "feeds" / "people" / "ann-lee.atom"
    assert "Board meets" in dossier.read_text("utf-8")

    (root / "content" / "articles" / "2023-04-05-board.md").write_text(
        ARTICLE.format(title="Board votes on the wall"), "utf-8")
    assert build_digest(root).returncode == 0
    for page in (dossier, feed):
        text = page.read_text("utf-8")
        assert "Board votes on the wall" in text and "Board meets" not in text, page


def test_texts_are_found_again_only_by_the_same_code(tmp_path: Path) -> None:
    path = tmp_path / "memo.json"
    key = key_of(("Ann Lee", ["board-meets"]))
    memo = TextMemo(path, "v1")
    memo.keep({key: "<feed/>"})
    memo.save()
    assert TextMemo(path, "v1").get(key) == "<feed/>"
    assert TextMemo(path, "v2").get(key) is None
    assert key_of(("Ann Lee", ["board-votes"])) != key


def test_texts_in_any_script_are_found_again_as_written(tmp_path: Path) -> None:
    path = tmp_path / "memo.json"
    texts = {"a": "Zoë Müller – «Société» ’s 北京 😀", "b": {"people/zoe.md": "# Zoë\n"}}
    memo = TextMemo(path, "v1")
    memo.keep(texts)
    memo.save()
    again = TextMemo(path, "v1")
    assert {key: again.get(key) for key in texts} == texts


def test_texts_a_build_did_not_use_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "memo.json"
    first = TextMemo(path, "v1")
    first.keep({"a": "A", "b": "B"})
    first.save()
    second = TextMemo(path, "v1")
    second.keep({"a": "A"})
    second.save()
    assert TextMemo(path, "v1").get("b") is None
    assert TextMemo(path, "v1").get("a") == "A"


def test_a_damaged_memo_is_ignored_with_a_warning(tmp_path: Path,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "memo.json"
    path.write_text("{not json", "utf-8")
    with caplog.at_level(logging.WARNING):
        assert TextMemo(path, "v1").get("a") is None
    assert f"{path} is damaged" in caplog.text


@pytest.mark.model
def test_an_edited_story_reaches_its_page_on_the_next_build(tmp_path: Path) -> None:
    root = make_digest(tmp_path / "d", {"2023-04-05-board.md": ARTICLE.format(title="Board meets")})
    assert build_digest(root).returncode == 0
    source = root / "content" / "articles" / "2023-04-05-board.md"
    source.write_text(source.read_text("utf-8").replace(
        "The harbour board met on Tuesday.", "The harbour board met on Wednesday."), "utf-8")
    assert build_digest(root).returncode == 0
    page = (root / "site" / "articles" / "harbour-board" / "index.html").read_text("utf-8")
    assert "met on Wednesday" in page and "met on Tuesday" not in page
