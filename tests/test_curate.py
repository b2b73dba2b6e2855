"""digest add / new / serve: the commands that bring articles in and sites up."""

from __future__ import annotations

import fnmatch
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml

from digest import DISTRIBUTION, __version__
from digest.curate import WORKFLOW, CurateError, add_articles, new_digest
from tests.conftest import indexed_pages
from tests.test_cli import digest


def test_add_copies_under_a_stable_name_and_reports_duplicates(tmp_path: Path) -> None:
    content = tmp_path / "content"
    incoming = tmp_path / "In Box"
    incoming.mkdir()
    story = incoming / "My Story (final).TXT"
    story.write_text("A story.", "utf-8")
    (added,) = add_articles([story], content)
    assert added.status == "added"
    assert added.target == content / "articles" / "my-story-final.txt"
    assert added.target.read_text("utf-8") == "A story."
    (again,) = add_articles([story], content)
    assert again.status == "duplicate" and again.target == added.target


def test_add_refuses_to_overwrite_a_different_article(tmp_path: Path) -> None:
    content = tmp_path / "content"
    first, second = tmp_path / "a" / "story.txt", tmp_path / "b" / "story.txt"
    for path, text in ((first, "One."), (second, "Two.")):
        path.parent.mkdir()
        path.write_text(text, "utf-8")
    add_articles([first], content)
    with pytest.raises(CurateError, match="already holds a different article"):
        add_articles([second], content)
    assert (content / "articles" / "story.txt").read_text("utf-8") == "One."


def test_add_brings_a_plain_text_articles_metadata_file_along(tmp_path: Path) -> None:
    content = tmp_path / "content"
    story = tmp_path / "Ferry Story.txt"
    story.write_text("The ferry returned.", "utf-8")
    (tmp_path / "Ferry Story.txt.yml").write_text("date: 2023-12-19\n", "utf-8")
    (added,) = add_articles([story], content)
    assert (content / "articles" / "ferry-story.txt.yml").read_text("utf-8") == "date: 2023-12-19\n"
    # A metadata file already under the new name is the curator's: refuse, copy nothing.
    other = tmp_path / "b" / "Ferry Story.txt"
    other.parent.mkdir()
    other.write_text("Another ferry story.", "utf-8")
    (other.parent / "Ferry Story.txt.yml").write_text("date: 2024-01-01\n", "utf-8")
    added.target.unlink()
    with pytest.raises(CurateError, match="already exists"):
        add_articles([other], content)
    assert not added.target.exists()
    assert (content / "articles" / "ferry-story.txt.yml").read_text("utf-8") == "date: 2023-12-19\n"


def test_a_site_name_in_any_script_is_written_as_the_curator_reads_it(tmp_path: Path) -> None:
    root = tmp_path / "news"
    new_digest(root, 'Zürich "Tagblatt" — Ünï')
    text = (root / "mkdocs.yml").read_text("utf-8")
    assert 'Zürich \\"Tagblatt\\" — Ünï' in text  # as typed, not as escapes
    assert yaml.safe_load(text)["site_name"] == 'Zürich "Tagblatt" — Ünï'


def test_new_scaffolds_a_digest_with_a_valid_pages_workflow(tmp_path: Path) -> None:
    root = tmp_path / "news"
    new_digest(root, "Town: Weekly")
    assert (root / "content" / "articles").is_dir() and (root / "theme" / "main.html").is_file()
    assert "site_name: \"Town: Weekly\"" in (root / "mkdocs.yml").read_text("utf-8")
    workflow = root / ".github" / "workflows" / "pages.yml"
    text = workflow.read_text("utf-8")
    assert "actions/upload-pages-artifact" in text and "actions/deploy-pages" in text
    actionlint = shutil.which("actionlint") or str(Path(sys.executable).parent / "actionlint")
    ours = sorted((Path(__file__).parent.parent / ".github" / "workflows").glob("*.yml"))
    assert {p.name for p in ours} >= {"pages.yml", "release.yml"}
    for path in (workflow, *ours):
        result = subprocess.run([actionlint, str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
    with pytest.raises(CurateError):
        new_digest(root, "again")


def test_the_pages_build_state_is_saved_anew_when_the_pinned_digest_or_the_config_changes(
        tmp_path: Path) -> None:
    # GitHub saves a cache once per key: a key that ignored a change would have every
    # later push restore the state from before it and do all that work again.
    root = tmp_path / "news"
    new_digest(root, "News")
    workflow = yaml.safe_load((root / ".github" / "workflows" / "pages.yml").read_text("utf-8"))
    step = next(s for s in workflow["jobs"]["build"]["steps"]
                if s.get("uses", "").startswith("actions/cache@"))
    hashed = re.findall(r"'([^']+)'", re.search(r"hashFiles\(([^)]*)\)", step["with"]["key"])[1])
    for path in ("content/articles/a.md", "mkdocs.yml", "theme/main.html",
                 ".github/workflows/pages.yml"):  # the workflow file pins Digest
        assert any(fnmatch.fnmatch(path, pattern) for pattern in hashed), path


@pytest.mark.model
def test_the_first_article_added_to_a_new_digest_builds_without_a_word_of_error(
        tmp_path: Path) -> None:
    root = tmp_path / "news"
    assert digest("new", str(root)).returncode == 0
    article = tmp_path / "bakery.txt"
    article.write_text("Ann Lee opened a bakery in Leeds on Monday.", "utf-8")
    result = digest("add", str(article), cwd=root)
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr.lower(), result.stderr
    assert (root / "site" / "index.html").is_file()


def test_new_refuses_a_folder_that_is_not_empty_and_writes_nothing(tmp_path: Path) -> None:
    root = tmp_path / "notes"
    root.mkdir()
    (root / "todo.txt").write_text("keep me", "utf-8")
    result = digest("new", str(root))
    assert result.returncode == 1
    assert "not empty" in result.stderr and "Traceback" not in result.stderr
    assert [p.name for p in root.rglob("*")] == ["todo.txt"]


def test_new_pins_the_digest_that_wrote_it_in_the_pages_workflow(tmp_path: Path) -> None:
    new_digest(tmp_path / "news", "News")
    workflow = yaml.safe_load((tmp_path / "news" / WORKFLOW).read_text("utf-8"))
    assert workflow["env"]["DIGEST_PACKAGE"] == f"{DISTRIBUTION}=={__version__}"
    run = [step["run"] for step in workflow["jobs"]["build"]["steps"] if "run" in step]
    assert 'python -m pip install "$DIGEST_PACKAGE"' in run
    # --strict only when the curator adds it: by default a bad article is left out.
    builds = [command for command in run if command.startswith("digest build")]
    assert builds and not any("--strict" in command for command in builds)


def test_an_unknown_option_gives_the_usual_help(tmp_path: Path) -> None:
    result = digest("new", "--colour", "red", str(tmp_path / "news"))
    assert result.returncode == 2
    assert "No such option '--colour'" in result.stderr
    assert "digest new [OPTIONS] DIRECTORY" in result.stderr and "--help" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "news").exists()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0


def _wait_for(url: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _get(url) == 200:
            return True
        time.sleep(0.5)
    return False


@contextmanager
def _serving(root: Path, log: Path | None = None) -> Iterator[str]:
    """`digest serve` of the digest at root on a free port, stopped after; its base URL.
    What it says goes to `log`, when given."""
    port = _free_port()
    with open(log or "/dev/null", "w", encoding="utf-8") as said:
        server = subprocess.Popen(
            [sys.executable, "-m", "digest", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=root, stdout=said, stderr=said)
        try:
            yield f"http://127.0.0.1:{port}/"
        finally:
            server.terminate()
            server.wait(timeout=30)


@pytest.mark.model
def test_serve_previews_and_picks_up_a_new_article(tmp_path: Path) -> None:
    root = tmp_path / "news"
    assert digest("new", str(root)).returncode == 0
    (root / "content" / "articles" / "first.txt").write_text("Ann Lee opened a bakery.", "utf-8")
    with _serving(root) as base:
        assert _wait_for(base, 120), "preview server did not start"
        (root / "content" / "articles" / "second.md").write_text(
            "---\ntitle: Second story\n---\nBo Chan won the race.", "utf-8")
        assert _wait_for(base + "articles/second-story/", 60), "new article not picked up"
        # and in the search index the server serves from site/, not only in the pages
        assert indexed_pages(root / "site") == 2


def _read(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


@pytest.mark.model
def test_serve_picks_up_an_edited_mkdocs_yml_in_digest_s_own_pages_and_feeds(
        tmp_path: Path) -> None:
    root = tmp_path / "news"
    assert digest("new", str(root), "--name", "Harbour News").returncode == 0
    with _serving(root) as base:
        feed = base + "feeds/all.atom"
        assert _wait_for(feed, 120), "preview server did not start"
        assert "<title>Harbour News</title>" in _read(feed)
        config = root / "mkdocs.yml"
        config.write_text(config.read_text("utf-8").replace(
            'site_name: "Harbour News"', 'site_name: "Coast News"'), "utf-8")
        deadline = time.monotonic() + 60
        while "<title>Coast News</title>" not in _read(feed) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert "<title>Coast News</title>" in _read(feed)
        assert "Coast News is a news digest" in _read(base + "about/")


@pytest.mark.model
def test_serve_finds_the_site_address_as_a_build_does_and_serves_the_built_site(
        tmp_path: Path) -> None:
    root = tmp_path / "town-news"
    assert digest("new", str(root)).returncode == 0
    (root / "content" / "articles" / "first.md").write_text(
        "Ann Lee opened a bakery. See [the earlier story](earlier.md).", "utf-8")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "remote", "add", "origin",
                    "https://github.com/Curator/town-news.git"], check=True)
    log = tmp_path / "serve.log"
    with _serving(root, log) as base:
        assert _wait_for(base, 120), "preview server did not start"
    said = log.read_text("utf-8")
    # and reports a broken link as a build does
    assert "warning: content/articles/first.md: MkDocs: Doc file" in said
    assert "1 problem)" in said
    site = root / "site"
    assert '<link rel="canonical" href="https://curator.github.io/town-news/">' in (
        site / "index.html").read_text("utf-8")
    served = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*")
              if p.is_file()}
    for derived in ("site", "build", ".digest-cache"):
        shutil.rmtree(root / derived)
    assert digest("build", cwd=root).returncode == 0
    built = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*")
             if p.is_file()}
    assert sorted(built) == sorted(served)
    assert [name for name in built if built[name] != served[name]] == []


def test_serve_with_a_bad_address_is_a_one_line_error(tmp_path: Path) -> None:
    root = tmp_path / "news"
    assert digest("new", str(root)).returncode == 0
    result = digest("serve", "-a", "localhost", cwd=root)
    assert result.returncode == 2
    assert "expected IP:PORT" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.model
def test_serve_on_a_taken_port_is_a_one_line_error(tmp_path: Path) -> None:
    root = tmp_path / "news"
    assert digest("new", str(root)).returncode == 0
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = digest("serve", "-a", f"127.0.0.1:{port}", cwd=root)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1].startswith(f"Error: cannot serve on 127.0.0.1:{port}")
    assert "Traceback" not in result.stderr
    # said at once, before a first build that takes minutes on a large digest
    assert not (root / "site").exists()
