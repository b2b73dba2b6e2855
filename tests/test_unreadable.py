"""Files the system will not let Digest read: one plain line each, never a traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, make_digest

# What to do about a cache folder Digest may not use (one a `sudo digest build` left).
CACHE_ADVICE = "permission denied; fix its permissions or delete the folder .digest-cache " \
               "(it is rebuilt)"


def digest_as_user(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run digest with file permissions enforced: root reads any file, so as root the
    command runs without the capabilities that let it ignore them."""
    command = [sys.executable, "-m", "digest", *args]
    if os.geteuid() == 0:
        caps = "-dac_override,-dac_read_search"
        command = ["setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}", *command]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PYTHONPATH": str(REPO)})


def _locked(path: Path) -> Path:
    path.chmod(0)
    return path


def test_an_unreadable_mkdocs_yml_is_one_line(tmp_path: Path) -> None:
    root = make_digest(tmp_path / "d", {})
    _locked(root / "mkdocs.yml")
    result = digest_as_user("check", cwd=root)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: {root / 'mkdocs.yml'}: cannot be read: Permission denied"]


def test_a_mkdocs_yml_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    root = make_digest(tmp_path / "d", {})
    (root / "mkdocs.yml").write_bytes("site_name: Café news\n".encode("latin-1"))
    result = digest_as_user("build", cwd=root)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "mkdocs.yml: not UTF-8 text" in result.stderr


def test_an_unreadable_aliases_file_is_reported_and_ignored(tmp_path: Path) -> None:
    root = make_digest(tmp_path / "d", {}, aliases="Joe Biden: [Biden]\n")
    _locked(root / "content" / "aliases.yml")
    result = digest_as_user("check", cwd=root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "Errno" not in result.stderr
    assert "aliases.yml: cannot be read: Permission denied, ignored" in result.stderr


def test_add_beside_an_unreadable_article_still_adds(tmp_path: Path) -> None:
    root = make_digest(tmp_path / "d", {"old.txt": "Bo Chan opened a bookshop in York."})
    _locked(root / "content" / "articles" / "old.txt")
    story = tmp_path / "new.txt"
    story.write_text("Ann Lee opened a bakery in Leeds.", "utf-8")
    result = digest_as_user("add", str(story), "--no-build", cwd=root)
    assert result.returncode == 0, result.stderr
    assert (root / "content" / "articles" / "new.txt").read_bytes() == story.read_bytes()


def test_an_unreadable_file_to_add_is_refused_in_one_line(tmp_path: Path) -> None:
    root = make_digest(tmp_path / "d", {})
    story = tmp_path / "story.txt"
    story.write_text("Ann Lee opened a bakery in Leeds.", "utf-8")
    _locked(story)
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>Ann Lee opened a bakery.</p></body></html>", "utf-8")
    _locked(page)
    result = digest_as_user("add", str(story), str(page), "--no-build", cwd=root)
    assert result.returncode == 1
    assert sorted(result.stderr.strip().splitlines()) == [
        f"not added: {page}: cannot be read: Permission denied",
        f"not added: {story}: cannot be read: Permission denied"]
    assert not any((root / "content" / "articles").iterdir())


def test_a_folder_of_articles_that_cannot_be_listed_is_reported(tmp_path: Path) -> None:
    # Listing it fails quietly in pathlib: the build would publish a site without its
    # articles and say nothing.
    root = make_digest(tmp_path / "d", {})
    articles = root / "content" / "articles"
    (articles / "2024").mkdir()
    (articles / "2024" / "story.txt").write_text("Ann Lee opened a bakery.", "utf-8")
    _locked(articles / "2024")
    check = digest_as_user("check", cwd=root)
    assert check.returncode == 1
    assert "content/articles/2024: folder cannot be read" in check.stderr
    _locked(articles)
    strict = digest_as_user("build", "--strict", cwd=root)
    assert strict.returncode == 1
    assert "content/articles: folder cannot be read" in strict.stderr
    assert not (root / "site").exists()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.model
def test_a_cache_folder_that_cannot_be_read_is_one_line_in_every_command(
        tmp_path: Path) -> None:
    root = make_digest(tmp_path / "d", {})
    assert digest_as_user("build", cwd=root).returncode == 0
    _locked(root / ".digest-cache")
    story = tmp_path / "story.txt"
    story.write_text("Ann Lee opened a bakery in Leeds.", "utf-8")
    for args in (["build"], ["check"], ["serve", "-a", f"127.0.0.1:{_free_port()}"],
                 ["add", str(story)]):
        result = digest_as_user(*args, cwd=root)
        assert result.returncode == 1, args
        assert result.stderr.strip().splitlines()[-1] == (
            f"Error: cannot read .digest-cache: {CACHE_ADVICE}"), args
        assert "Errno" not in result.stderr and "Traceback" not in result.stderr
    # The article was added before the build stopped: nothing lost.
    assert (root / "content" / "articles" / "story.txt").read_bytes() == story.read_bytes()


@pytest.mark.parametrize(("locked", "mode", "said"), [
    ("site-fingerprint.json", 0, "cannot read .digest-cache/site-fingerprint.json"),
    ("templates", 0, "cannot read .digest-cache/templates"),
    ("", 0o555, "cannot write to .digest-cache"),
])
def test_a_cache_file_that_cannot_be_read_or_written_is_one_line(
        tmp_path: Path, locked: str, mode: int, said: str) -> None:
    root = make_digest(tmp_path / "d", {})
    assert digest_as_user("build", cwd=root).returncode == 0
    (root / ".digest-cache" / locked).chmod(mode)
    result = digest_as_user("build", cwd=root)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == f"Error: {said}: {CACHE_ADVICE}"
    assert "Errno" not in result.stderr
