"""The site's address without configuration: absolute feeds, canonical URLs and sitemap on Pages."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from digest.config import ConfigError, load_config
from digest.siteurl import FROM_CONFIG, FROM_OPTION, FROM_REMOTE, pages_url, resolve_site_url
from tests.conftest import REPO, SEED, SHARED
from tests.feedcheck import bozo_feeds, json_feed_problems, validator_errors, xml_feeds
from tests.site_fixture import SECOND

SCAFFOLD_WORKFLOW = REPO / "digest" / "scaffold" / "github" / "workflows" / "pages.yml"
REPO_WORKFLOW = REPO / ".github" / "workflows" / "pages.yml"
BASE_URL = "https://curator.github.io/town-news"  # actions/configure-pages: no trailing slash
BENCH = SHARED / "bench" / "make_corpus.py"


@pytest.mark.parametrize(("remote", "url"), [
    ("https://github.com/Curator/town-news.git", "https://curator.github.io/town-news/"),
    ("git@github.com:curator/town-news.git", "https://curator.github.io/town-news/"),
    ("ssh://git@github.com/curator/town-news", "https://curator.github.io/town-news/"),
    ("https://github.com/curator/curator.github.io", "https://curator.github.io/"),
    ("https://gitlab.com/curator/town-news.git", None),
    ("https://github.com/curator", None),
])
def test_github_remote_gives_the_pages_address(remote: str, url: str | None) -> None:
    assert pages_url(remote) == url


def _git_repo(root: Path, remote: str) -> None:
    root.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "remote", "add", "origin", remote], check=True)


def test_site_url_comes_from_the_first_source_that_gives_one(tmp_path: Path) -> None:
    repo, plain = tmp_path / "repo", tmp_path / "plain"
    _git_repo(repo, "git@github.com:curator/town-news.git")
    plain.mkdir()
    config, option = "https://news.example/", "https://elsewhere.example"
    assert resolve_site_url(config, option, repo).origin == FROM_CONFIG
    found = resolve_site_url(None, option, repo)
    assert (found.url, found.origin) == ("https://elsewhere.example/", FROM_OPTION)
    found = resolve_site_url(None, None, repo)
    assert (found.url, found.origin) == ("https://curator.github.io/town-news/", FROM_REMOTE)
    assert resolve_site_url(None, None, plain).url is None


def _digest(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "digest", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=900, check=False)


def _new_digest(root: Path, articles: dict[str, str]) -> Path:
    result = _digest("new", str(root), "--name", "Town News", cwd=root.parent)
    assert result.returncode == 0, result.stderr
    for name, text in articles.items():
        (root / "content" / "articles" / name).write_text(text, "utf-8")
    return root


def _workflow_build_args(workflow: Path, base_url: str) -> list[str]:
    """The arguments the Pages workflow gives `digest build`, with configure-pages' base_url.

    `scripts/build-site ARGS` is `digest build ARGS` after installing.
    """
    steps = yaml.safe_load(workflow.read_text("utf-8"))["jobs"]["build"]["steps"]
    pages = next(s for s in steps if str(s.get("uses", "")).startswith("actions/configure-pages"))
    build = next(s for s in steps if re.search(r"digest build|build-site", s.get("run", "")))
    expression = f"${{{{ steps.{pages.get('id')}.outputs.base_url }}}}"
    env = {name: value.replace(expression, base_url)
           for name, value in build.get("env", {}).items()}
    words = shlex.split(string.Template(build["run"]).safe_substitute(env))
    return words[words.index("build") + 1:] if "build" in words else words[1:]


def _assert_absolute(site: Path, url: str) -> None:
    """Feeds, canonical URLs and the sitemap all point under url."""
    feeds = site / "feeds"
    count, errors = validator_errors(site, url)
    assert count == len(xml_feeds(feeds)) > 0 and errors == ""
    assert bozo_feeds(feeds) == []
    atom = (feeds / "all.atom").read_text("utf-8")
    assert f'<link href="{url}feeds/all.atom" rel="self"/>' in atom
    hrefs = re.findall(r'<link href="([^"]+)"', atom) + re.findall(r"<id>([^<]+)</id>", atom)
    assert hrefs and all(h.startswith(url) for h in hrefs)
    for path in feeds.glob("*.json"):
        data = json.loads(path.read_text("utf-8"))
        assert json_feed_problems(data, absolute=True) == []
        assert data["feed_url"] == f"{url}feeds/{path.name}"
    html = (site / "index.html").read_text("utf-8")
    assert f'<link rel="canonical" href="{url}">' in html
    locs = re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text("utf-8"))
    assert len(locs) > 5 and all(loc.startswith(url) for loc in locs)
    assert f"{url}about/" in locs
    assert f"Sitemap: {url}sitemap.xml" in (site / "robots.txt").read_text("utf-8")


@pytest.mark.model
def test_git_remote_gives_absolute_links_with_a_notice(tmp_path: Path) -> None:
    root = _new_digest(tmp_path / "town-news", {"seed.txt": SEED.read_text("utf-8"),
                                                 "grain.md": SECOND})
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "remote", "add", "origin",
                    "git@github.com:Curator/town-news.git"], check=True)
    result = _digest("build", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "https://curator.github.io/town-news/" in result.stderr and "git remote" in result.stderr
    _assert_absolute(root / "site", "https://curator.github.io/town-news/")
    # Another address re-renders every page, not only those whose Markdown changed.
    assert _digest("build", "--site-url", "https://news.example", cwd=root).returncode == 0
    page = next((root / "site" / "articles").glob("*/index.html")).read_text("utf-8")
    assert re.search(r'<link rel="canonical" href="https://news\.example/articles/', page)


@pytest.mark.model
def test_this_repository_built_as_its_pages_workflow_builds_it(tmp_path: Path) -> None:
    args = _workflow_build_args(REPO_WORKFLOW, BASE_URL)
    assert "--site-url" in args and BASE_URL in args
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    for folder in ("content", "theme"):
        shutil.copytree(REPO / folder, root / folder)
    result = _digest("build", *args, cwd=root)
    assert result.returncode == 0, result.stderr
    _assert_absolute(root / "site", BASE_URL + "/")


@pytest.mark.model
def test_new_digest_of_bench_articles_built_as_its_pages_workflow_builds_it(
        tmp_path: Path) -> None:
    """60 articles: more than a feed holds, and a dozen topic feeds."""
    root = _new_digest(tmp_path / "town-news", {})
    subprocess.run([sys.executable, str(BENCH), "60", str(root / "content" / "articles"),
                    "--force"], check=True, capture_output=True)
    args = _workflow_build_args(root / ".github" / "workflows" / "pages.yml", BASE_URL)
    result = _digest("build", *args, cwd=root)
    assert result.returncode == 0, result.stderr
    assert len(list((root / "site" / "feeds").glob("*.atom"))) > 10  # the topic feeds too
    _assert_absolute(root / "site", BASE_URL + "/")


@pytest.mark.model
def test_new_digest_without_a_site_url_warns_once_and_still_validates(tmp_path: Path) -> None:
    root = _new_digest(tmp_path / "town-news", {"seed.txt": SEED.read_text("utf-8")})
    result = _digest("build", cwd=root)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("no site URL") == 1
    count, errors = validator_errors(root / "site")
    assert count > 2 and errors == ""
    assert bozo_feeds(root / "site" / "feeds") == []


def test_workflows_pass_configure_pages_base_url_to_the_build() -> None:
    for workflow in (REPO_WORKFLOW, SCAFFOLD_WORKFLOW):
        args = _workflow_build_args(workflow, BASE_URL)
        assert args[args.index("--site-url") + 1] == BASE_URL, workflow


def test_a_site_url_is_normalised_or_refused_in_one_line(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: Town News\nsite_url: https://news.example/town\n", "utf-8")
    assert load_config(tmp_path).site_url == "https://news.example/town/"
    config.write_text("site_name: Town News\nsite_url: news.example/town\n", "utf-8")
    with pytest.raises(ConfigError, match="absolute http"):
        load_config(tmp_path)
    root = _new_digest(tmp_path / "town-news", {})
    result = _digest("build", "--site-url", "town.example", cwd=root)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "must be an absolute http(s) URL" in result.stderr
