"""An article that states no date is dated by its first commit, in a real git repository."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest
import yaml

from digest.sources import read_sources
from tests.conftest import make_digest
from tests.site_fixture import build_digest


def git(root: Path, *args: str, day: str | None = None) -> None:
    """Run git in root; a commit is dated `day` (author and committer)."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "Curator", "GIT_AUTHOR_EMAIL": "c@example.org",
           "GIT_COMMITTER_NAME": "Curator", "GIT_COMMITTER_EMAIL": "c@example.org"}
    if day:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{day}T12:00:00+00:00"
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def history(root: Path) -> None:
    """Articles committed on known days: non-ASCII and spaced names, and a rename."""
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-qm", "first articles", day="2020-03-04")
    articles = root / "content" / "articles"
    (articles / "old name.txt").rename(articles / "new-name.txt")
    (articles / "later.txt").write_text("A later article.", "utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "rename one, add one", day="2021-05-06")


GIT_ARTICLES = {"café – ünïcödé.txt": "An article about cafés.",
                "with spaces.txt": "An article with a spaced name.",
                "old name.txt": "An article that is renamed later."}
GIT_DATES = {"café – ünïcödé.txt": "2020-03-04", "with spaces.txt": "2020-03-04",
             "new-name.txt": "2020-03-04", "later.txt": "2021-05-06"}


def test_added_date_is_the_first_commit_of_each_file(tmp_path: Path) -> None:
    root = make_digest(tmp_path / "d", GIT_ARTICLES)
    history(root)
    sources, problems = read_sources(root, root / "content")
    assert problems == []
    assert {s.path.name: s.added for s in sources} == GIT_DATES


@pytest.mark.model
def test_a_fresh_clone_is_built_with_the_commit_dates(tmp_path: Path) -> None:
    origin = make_digest(tmp_path / "origin", GIT_ARTICLES)
    history(origin)
    clone = tmp_path / "clone"  # what the Pages workflow builds: every mtime is today
    subprocess.run(["git", "clone", "-q", str(origin), str(clone)], check=True)
    result = build_digest(clone)
    assert result.returncode == 0, result.stderr
    fronts = [yaml.safe_load(page.read_text("utf-8").split("---\n")[1])
              for page in (clone / "build" / "docs" / "articles").glob("*.md")]
    dates = {Path(f["source"]).name: (str(f["date"]), f["date_source"]) for f in fronts}
    assert dates == {name: (day, "added") for name, day in GIT_DATES.items()}
    assert dt.date.today().isoformat() not in {day for day, _ in dates.values()}
