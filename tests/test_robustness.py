"""Awkward input never loses an article, breaks the site or runs code (issue: hardening)."""

from __future__ import annotations

import codecs
import datetime as dt
import os
import signal
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest.merge import merge
from digest.model import Metadata
from digest.pages import article_page, build_index, entity_paths, make_articles
from digest.sources import SourceError, read_source
from tests.conftest import make_digest
from tests.site_fixture import build_digest

pytestmark = pytest.mark.model


def _front(page: Path) -> dict[str, object]:
    return yaml.safe_load(page.read_text("utf-8").split("---\n")[1])


def test_awkward_files_each_get_a_page_or_a_clear_error(tmp_path: Path) -> None:
    story = "Angela Merkel met Emmanuel Macron in Berlin on Monday to discuss trade."
    root = make_digest(
        tmp_path / "d",
        {
            "with spaces and ünïcödé – title.txt": story,
            "bom.txt": codecs.BOM_UTF8 + "Café owners in Zürich protested.".encode(),
            "utf16.txt": "Residents of Málaga cheered the team.".encode("utf-16"),
            "latin1.txt": "Señor García visited Córdoba.".encode("latin-1"),
            "crlf.txt": b"Line one about Oslo.\r\n\r\nLine two.\r\n",
            "invisible.txt": "Tra\u200bde talks in Ro\u202eme resumed.",
            "long.md": "---\ntitle: " + "Very long headline " * 30 + "\n---\nBody.",
            "binary.txt": b"\x00\x01\x02PNG\x00",
            "empty.md": "",
            "notmap.md": "---\njust a string\n---\nBody",
            "unclosed.md": "---\ntitle: x\nBody without an end to the front matter",
            "badtypes.md": "---\ndate: yesterday\npeople: 42\n---\nNina Simone sang in Paris.",
            "tag.md": "---\ntitle: !!python/object/apply:os.getcwd []\n---\nBody",
            "zz-copy.txt": story,  # sorts last: the copy, not the original, is skipped
        },
    )
    # With a site URL, as when published: the only warnings are about the sources.
    result = build_digest(root, "--site-url", "https://example.org/")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    errors = {line.split(":")[1].strip().rsplit("/", 1)[-1] for line in
              result.stderr.splitlines() if line.startswith(("error", "warning"))}
    assert errors == {"binary.txt", "empty.md", "notmap.md", "unclosed.md", "badtypes.md",
                      "tag.md", "zz-copy.txt"}
    assert "same content as content/articles/with spaces" in result.stderr
    pages = {str(_front(p)["source"]).rsplit("/", 1)[-1]: p
             for p in (root / "build" / "docs" / "articles").glob("*.md")}
    assert set(pages) == {"with spaces and ünïcödé – title.txt", "bom.txt", "utf16.txt",
                          "latin1.txt", "crlf.txt", "invisible.txt", "long.md", "badtypes.md"}
    text = {name: p.read_text("utf-8") for name, p in pages.items()}
    assert "Zürich" in text["bom.txt"] and "Málaga" in text["utf16.txt"]
    assert "Señor García visited Córdoba" in text["latin1.txt"]
    assert "\u200b" not in text["invisible.txt"] and "\u202e" not in text["invisible.txt"]
    assert all(len(p.stem) <= 80 for p in pages.values())
    assert _front(pages["badtypes.md"])["people"] == ["Nina Simone"]


def test_a_killed_build_leaves_the_previous_site_intact(tmp_path: Path) -> None:
    articles = {f"{i:03}.txt": f"Story {i}: the mayor of Leeds, Ann Lee, opened bridge {i}."
                for i in range(120)}
    root = make_digest(tmp_path / "d", articles)
    assert build_digest(root).returncode == 0
    site = root / "site"
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    (root / "content" / "articles" / "new.txt").write_text("A new story about Oslo.", "utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "digest", "build"], cwd=root,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    staging = root / ".site.new"
    deadline = time.monotonic() + 120
    while not staging.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert proc.poll() is None, "build finished before it could be interrupted"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    after = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert build_digest(root).returncode == 0  # and the next build recovers


_text = st.text(st.characters(codec="utf-8"), max_size=300)


_values = st.one_of(_text, st.lists(_text, max_size=3), st.integers(), st.none())
_fronts = st.dictionaries(st.sampled_from(["title", "people", "date", "summary"]), _values,
                          max_size=4)
EXTRACTED = Metadata(title="Extracted", people=["Ann Lee"], topics=["medtop:04000000"],
                     summary="Extracted summary.")


def _page_front(path: Path) -> dict[str, object] | None:
    """The front matter of the page written for one source, or None if it is unreadable."""
    try:
        source = read_source(path, path.parent)
    except SourceError:
        return None  # reported to the curator, not a crash
    meta, _ = merge(source, EXTRACTED)
    (article,) = make_articles([(source, meta)])
    text = article_page(article, entity_paths(build_index([article])))
    return yaml.safe_load(text.split("---\n")[1])


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=_text, front=_fronts)
def test_reader_and_writer_never_crash_on_any_front_matter(
    tmp_path: Path, body: str, front: dict[str, object]
) -> None:
    path = tmp_path / "a.md"
    path.write_text("---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n" + body, "utf-8")
    written = _page_front(path)
    assert written is None or (written["title"] and written["slug"])


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# Words a curator writes: letters of any script, digits and inner punctuation.
_word = st.text(st.characters(categories=["L", "N"]), min_size=1, max_size=8)
_plain = st.lists(_word, min_size=1, max_size=5).map(" ".join)
_curated = st.fixed_dictionaries({}, optional={
    "title": _plain, "summary": _plain, "people": st.lists(_plain, min_size=1, max_size=3),
    "places": st.lists(_plain, max_size=3), "keywords": st.lists(_plain, max_size=3),
    "date": st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)),
})


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(front=_curated)
def test_the_page_shows_what_the_curator_wrote(tmp_path: Path, front: dict[str, object]) -> None:
    path = tmp_path / "a.md"
    path.write_text("---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\nBody.", "utf-8")
    written = _page_front(path)
    assert written is not None
    for key, value in front.items():
        # Text is shown in its composed Unicode form (NFC), as a reader sees it anyway.
        shown = [nfc(v) for v in value] if isinstance(value, list) else (
            nfc(value) if isinstance(value, str) else value)
        assert written[key] == shown, key
    # What the curator left out is the extracted value.
    for key in {"title", "summary", "people"} - set(front):
        assert written[key] == getattr(EXTRACTED, key), key


@settings(max_examples=25, deadline=None)
@given(st.text(st.characters(codec="utf-8"), max_size=2000))
def test_extractor_never_crashes_on_any_text(text: str) -> None:
    from digest.extract.pipeline import extract

    meta = extract(text)
    assert isinstance(meta, Metadata) and 1 <= len(meta.topics) <= 3


def test_huge_and_unpunctuated_articles_are_published_whole(tmp_path: Path) -> None:
    paragraph = "The minister said prices rose sharply in London while markets fell. " * 12
    huge = "\n\n".join([paragraph] * (5_000_000 // len(paragraph) + 1))
    run_on = " ".join(["markets fell while prices rose in London"] * 2_500)  # 20,000 words
    root = make_digest(tmp_path / "d", {"huge.txt": huge, "run-on.txt": run_on})
    result = build_digest(root)
    assert result.returncode == 0, result.stderr
    pages = {str(_front(p)["source"]).rsplit("/", 1)[-1]: p
             for p in (root / "build" / "docs" / "articles").glob("*.md")}
    assert set(pages) == {"huge.txt", "run-on.txt"}
    # Extraction reads a prefix, but the page carries the whole text.
    assert pages["huge.txt"].read_text("utf-8").count("markets fell") >= huge.count("markets fell")
    assert all(len(str(_front(p)["title"])) <= 100 for p in pages.values())
