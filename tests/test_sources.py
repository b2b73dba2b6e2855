from __future__ import annotations

import codecs
import datetime as dt
import json
import os
from pathlib import Path

import pytest

from digest.sources import (
    SourceError,
    changed_articles,
    decode,
    read_source,
    read_sources,
    stamps,
)
from tests.conftest import make_digest

TEXT = "Café owners in Zürich said prices rose – again."


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        TEXT.encode("utf-16"),  # with its BOM
        TEXT.encode("cp1252"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16", "windows-1252"],
)
def test_decode_reads_common_encodings_without_mojibake(data: bytes) -> None:
    assert decode(data) == TEXT


def test_decode_rejects_binary() -> None:
    with pytest.raises(SourceError, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def _read(tmp_path: Path, name: str, data: str) -> object:
    path = tmp_path / name
    path.write_text(data, "utf-8", newline="")
    return read_source(path, tmp_path)


def test_markdown_front_matter_is_read_and_body_kept(tmp_path: Path) -> None:
    source = _read(tmp_path, "a.md", "---\ntitle: Hello\npeople: [Ann Lee]\n---\nBody *text*.\n")
    assert source.front_matter == {"title": "Hello", "people": ["Ann Lee"]}
    assert source.text.strip() == "Body *text*."
    assert source.fmt == "markdown"


def test_plain_text_is_never_parsed_for_front_matter(tmp_path: Path) -> None:
    source = _read(tmp_path, "a.txt", "---\ntitle: x\n---\nBody")
    assert source.front_matter == {}
    assert source.text.startswith("---")


def test_crlf_becomes_lf(tmp_path: Path) -> None:
    source = _read(tmp_path, "a.txt", "One.\r\n\r\nTwo.\r\n")
    assert source.text == "One.\n\nTwo.\n"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("---\ntitle: [unclosed\n---\nBody", "not valid YAML"),
        ("---\n- a\n- b\n---\nBody", "must be a mapping"),
        ("   \n\n  ", "empty"),
    ],
)
def test_unreadable_sources_say_why(tmp_path: Path, text: str, reason: str) -> None:
    with pytest.raises(SourceError, match=reason):
        _read(tmp_path, "a.md", text)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("---\ntitle: [oops\n---\nBody", 2),
        ("---\ntitle: ok\npeople: [a, b\nplaces: x\n---\nBody", 3),
        ('---\ntitle: "unclosed\n---\nBody', 2),
        ("---\ntitle: ok\n  bad: indent\n---\nBody", 3),
    ],
)
def test_a_yaml_error_names_the_line_of_the_file(tmp_path: Path, text: str, line: int) -> None:
    with pytest.raises(SourceError, match=rf"\(line {line}\)"):
        _read(tmp_path, "a.md", text)


def test_yaml_tags_are_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f"---\ntitle: !!python/object/apply:os.system ['touch {marker}']\n---\nBody"
    with pytest.raises(SourceError):
        _read(tmp_path, "a.md", text)
    assert not marker.exists()


def test_one_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    root = make_digest(
        tmp_path / "d",
        {"good.txt": "A fine article.", "bad.md": "---\n: : :\n---\n", "empty.txt": ""},
    )
    sources, problems = read_sources(root, root / "content")
    assert [s.path.name for s in sources] == ["good.txt"]
    assert sorted(p.path.name for p in problems) == ["bad.md", "empty.txt"]
    assert all(p.fatal for p in problems)


def test_symlink_outside_content_is_not_published(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("private notes", "utf-8")
    root = make_digest(tmp_path / "d", {"a.txt": "Public article."})
    (root / "content" / "articles" / "link.txt").symlink_to(secret)
    sources, problems = read_sources(root, root / "content")
    assert [s.path.name for s in sources] == ["a.txt"]
    assert "outside the content folder" in problems[0].message


def test_a_link_to_an_article_that_is_gone_is_reported(tmp_path: Path) -> None:
    root = make_digest(tmp_path / "d", {"a.txt": "Public article."})
    articles = root / "content" / "articles"
    (articles / "moved.md").symlink_to(articles / "renamed-since.md")
    sources, problems = read_sources(root, root / "content")
    assert [s.path.name for s in sources] == ["a.txt"]
    assert [(p.path.name, p.fatal) for p in problems] == [("moved.md", True)]
    assert "cannot be read" in problems[0].message


def test_added_date_falls_back_to_mtime_outside_git(tmp_path: Path) -> None:
    root = make_digest(tmp_path / "d", {"a.txt": "An article."})
    noon = dt.datetime(2019, 7, 14, 12, tzinfo=dt.UTC).timestamp()
    os.utime(root / "content" / "articles" / "a.txt", (noon, noon))
    sources, _ = read_sources(root, root / "content")
    assert sources[0].added == "2019-07-14"


def test_a_sidecar_gives_a_plain_text_article_curator_metadata(tmp_path: Path) -> None:
    from digest.merge import merge
    from digest.model import Metadata
    from digest.sources import read_source
    from tests.conftest import SEED
    source = read_source(SEED, SEED.parent.parent.parent)
    meta, problems = merge(source, Metadata(date="2022-05-31", date_source="text"))
    # The repository's seed: its real date comes from 000_…txt.yml, not from the text.
    assert (meta.date, meta.date_source, problems) == ("2022-05-31", "front-matter", [])
    article = tmp_path / "story.txt"
    article.write_text("A story.", "utf-8")
    before = read_source(article, tmp_path).sha256
    (tmp_path / "story.txt.yml").write_text("title: A story\nauthors: [Ann Lee]\n", "utf-8")
    source = read_source(article, tmp_path)
    assert source.front_matter == {"title": "A story", "authors": ["Ann Lee"]}
    assert source.text == "A story." and source.sha256 != before  # re-extracted when edited
    # The line where the list was left open, not where the parser gave up.
    (tmp_path / "story.txt.yml").write_text("title: A story\npeople: [unclosed\n\n", "utf-8")
    with pytest.raises(SourceError, match=r"^story.txt.yml is not valid YAML \(line 2\)$"):
        read_source(article, tmp_path)


def test_a_long_running_process_sees_every_edit_and_rereads_only_those(tmp_path: Path) -> None:
    # `digest serve` passes what it read last time: an unchanged file is not read
    # again, but an edit of the same length, or of a plain-text article's sidecar, is seen.
    root = make_digest(tmp_path / "d", {"a.md": "Version one.", "b.txt": "Plain text."})
    articles = root / "content" / "articles"
    known: dict = {}
    read_sources(root, root / "content", known)
    unchanged = {s.path.name: s for s in read_sources(root, root / "content", known)[0]}

    later = (articles / "a.md").stat().st_mtime + 10
    (articles / "a.md").write_text("Version two.", "utf-8")
    os.utime(articles / "a.md", (later, later))
    (articles / "b.txt.yml").write_text("title: A given title\n", "utf-8")
    sources = {s.path.name: s for s in read_sources(root, root / "content", known)[0]}

    assert sources["a.md"].text.strip() == "Version two."
    assert sources["b.txt"].front_matter == {"title": "A given title"}
    (articles / "b.txt").unlink()
    again, _ = read_sources(root, root / "content", known)
    assert [s.path.name for s in again] == ["a.md"]
    assert again[0] is sources["a.md"]  # not read again
    assert unchanged["a.md"] is not sources["a.md"]


def test_a_new_or_edited_article_is_told_from_what_the_last_read_recorded(tmp_path: Path) -> None:
    # A build records what it read (stamps); the next one counts, by stat alone, the
    # articles new or edited since, to start loading the models before reading them.
    root = make_digest(tmp_path / "d", {"a.md": "Version one.", "b.txt": "Plain text."})
    articles = root / "content" / "articles"
    known: dict = {}
    read_sources(root, root / "content", known)
    seen = json.loads(json.dumps(stamps(known)))  # as the state file holds it
    assert changed_articles(root / "content", seen) == 0

    (articles / "c.md").write_text("A new article.", "utf-8")
    assert changed_articles(root / "content", seen) == 1
    later = (articles / "a.md").stat().st_mtime + 10
    (articles / "a.md").write_text("Version two.", "utf-8")
    os.utime(articles / "a.md", (later, later))
    (articles / "b.txt.yml").write_text("title: A given title\n", "utf-8")
    assert changed_articles(root / "content", seen) == 3
