"""Digest as a user gets it: the wheel built from a copy of the sources, installed
into a fresh virtual environment by the scaffolded Pages workflow's own commands."""

from __future__ import annotations

import email.parser
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
import yaml
from packaging.utils import canonicalize_name, parse_wheel_filename

from digest import DISTRIBUTION, __version__
from digest.curate import WORKFLOW, new_digest
from tests.conftest import REPO, indexed_pages

pytestmark = pytest.mark.package

STORY = """Harbour ferry returns after storm repairs

The harbour ferry between Portmere and Castle Island sailed again on Monday,
three weeks after a winter storm tore away its landing stage, the operator said.
Mayor Ruth Okafor thanked the engineers who rebuilt the pier.
"""


def _run(args: list[str | Path], cwd: Path, env: dict[str, str] | None = None
         ) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                            text=True, timeout=1800)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


def _source_files() -> list[str]:
    """The files a commit of this checkout would hold: tracked, or new and not ignored."""
    listed = _run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                  REPO).stdout
    return sorted(name for name in listed.split("\0") if name and (REPO / name).exists())


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the sources, so that the build leaves nothing in the checkout."""
    copy = tmp_path_factory.mktemp("sources")
    for name in _source_files():
        source, target = REPO / name, copy / name
        target.parent.mkdir(parents=True, exist_ok=True)
        # The scaffold links to the repository's own theme and mkdocs.yml.
        if source.is_symlink():
            target.symlink_to(source.readlink())
        else:
            shutil.copy2(source, target)
    return copy


def _files_under(folder: Path) -> set[str]:
    """Relative paths of the files under folder, through symbolic links."""
    return {(Path(d) / f).relative_to(folder).as_posix()
            for d, _, files in os.walk(folder, followlinks=True) for f in files}


@pytest.fixture(scope="module")
def dist(sources: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """sdist, then the wheel built from the sdist, as the release workflow makes them."""
    out = tmp_path_factory.mktemp("dist")
    # No isolation: the pinned build backend is in the test environment already.
    _run([sys.executable, "-m", "build", "--no-isolation", "--outdir", out, sources], sources)
    return out


def _wheel(dist: Path) -> Path:
    (wheel,) = dist.glob("*.whl")
    return wheel


def test_wheel_and_sdist_pass_twine_and_carry_every_package_file(
        dist: Path, sources: Path) -> None:
    sdist = dist / f"news_digest-{__version__}.tar.gz"
    wheel = dist / f"news_digest-{__version__}-py3-none-any.whl"
    assert set(dist.iterdir()) == {sdist, wheel}
    _run([sys.executable, "-m", "twine", "check", "--strict", sdist, wheel], dist)

    package = {f"digest/{name}" for name in _files_under(sources / "digest")}
    assert "digest/scaffold/theme/main.html" in package
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        info = f"news_digest-{__version__}.dist-info"
        metadata = email.parser.Parser().parsestr(archive.read(f"{info}/METADATA").decode())
    assert package - names == set(), "package files missing from the wheel"
    notices = (p.relative_to(sources).as_posix() for p in sources.glob("digest/**/*NOTICE*"))
    licences = {"LICENSE", *notices}
    assert len(licences) > 1, "no notices of bundled data found"
    assert {f"{info}/licenses/{n}" for n in licences} - names == set()
    with tarfile.open(sdist) as archive:
        in_sdist = {n.split("/", 1)[1] for n in archive.getnames() if "/" in n}
    assert package - in_sdist == set(), "package files missing from the sdist"

    assert metadata["Name"] == DISTRIBUTION and metadata["Version"] == __version__
    # Every dependency is pinned, so the same version builds the same site.
    assert all("==" in r for r in metadata.get_all("Requires-Dist") if "extra ==" not in r)


def _workflow_steps(digest_root: Path) -> tuple[dict[str, str], list[str]]:
    """The workflow's environment and the commands of its build job, in order."""
    workflow = yaml.safe_load((digest_root / WORKFLOW).read_text("utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    return {k: str(v) for k, v in workflow.get("env", {}).items()}, \
        [step["run"] for step in steps if "run" in step]


def _missing_wheels(lock: Path, folder: Path) -> set[tuple[str, str]]:
    pinned = set(re.findall(r"^([A-Za-z0-9][\w.-]*)==(\S+)", lock.read_text("utf-8"), re.M))
    have = {parse_wheel_filename(w.name)[:2] for w in folder.glob("*.whl")}
    return {(canonicalize_name(n), v) for n, v in pinned} - {(n, str(v)) for n, v in have}


@pytest.fixture(scope="module")
def wheelhouse() -> Path:
    """The locked dependencies' wheels, kept between runs in a plain folder: pip's own
    cache keeps nothing from an index that sends no caching headers (the one here), and
    asking the index again costs more than a minute even when nothing is downloaded."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = cache / "digest-tests" / "wheels"
    lock = REPO / "requirements" / "site.txt"
    if _missing_wheels(lock, folder):
        # `pip wheel`, not `download`: a dependency published only as an sdist (feedgen)
        # is built here once, so that installing needs no build tools from an index.
        _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--require-hashes",
              "--no-deps", "-r", lock, "-w", folder], REPO)
    return folder


@pytest.fixture(scope="module")
def workflow_run(dist: Path, wheelhouse: Path, tmp_path_factory: pytest.TempPathFactory
                 ) -> tuple[Path, Path, dict[str, str]]:
    """A new digest with one article, built by its own Pages workflow's commands in a
    fresh virtual environment, with the package index serving the wheel built here."""
    work = tmp_path_factory.mktemp("runner")
    venv = work / "venv"
    _run([sys.executable, "-m", "venv", venv], work)
    root = work / "my-digest"
    new_digest(root, "Harbour News")
    (root / "content" / "articles" / "ferry.txt").write_text(STORY, "utf-8")
    workflow_env, commands = _workflow_steps(root)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(workflow_env)
    # The runner's `python` is the fresh environment's, and its package index is a local
    # one: this wheel and the locked dependencies' wheels.
    env |= {"PATH": f"{venv / 'bin'}{os.pathsep}{env['PATH']}", "VIRTUAL_ENV": str(venv),
            "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": f"{dist} {wheelhouse}"}
    for command in commands:
        _run(["bash", "-eo", "pipefail", "-c", command], root, env)
    return venv, root, env


def _assert_site_has(root: Path, phrase: str) -> None:
    """The article page, the search index over it, and the feeds that link to it."""
    site = root / "site"
    (page,) = [p for p in (site / "articles").glob("*/index.html")
               if phrase in p.read_text("utf-8")]
    link = f"articles/{page.parent.name}/"
    assert indexed_pages(site) == 1
    for feed in ("all.atom", "all.rss", "all.json"):
        assert link in (site / "feeds" / feed).read_text("utf-8")


def test_the_scaffolded_workflow_installs_this_wheel_and_builds_the_site(
        workflow_run: tuple[Path, Path, dict[str, str]]) -> None:
    _, root, env = workflow_run
    assert env["DIGEST_PACKAGE"] == f"{DISTRIBUTION}=={__version__}"
    _assert_site_has(root, "Mayor Ruth Okafor")


def test_a_new_user_starts_adds_and_builds_with_the_installed_command(
        workflow_run: tuple[Path, Path, dict[str, str]], tmp_path: Path) -> None:
    venv, _, env = workflow_run
    command = venv / "bin" / "digest"
    where = _run([venv / "bin" / "python", "-c", "import digest; print(digest.__file__)"],
                 tmp_path, env).stdout
    assert Path(where.strip()).is_relative_to(venv), "digest imported from outside the venv"
    assert __version__ in _run([command, "--version"], tmp_path, env).stdout

    _run([command, "new", "town"], tmp_path, env)
    root = tmp_path / "town"
    pinned = yaml.safe_load((root / WORKFLOW).read_text("utf-8"))["env"]["DIGEST_PACKAGE"]
    assert pinned == f"{DISTRIBUTION}=={__version__}"
    story = tmp_path / "Harbour Ferry.txt"
    story.write_text(STORY, "utf-8")
    _run([command, "add", story], root, env)
    assert (root / "content" / "articles" / "harbour-ferry.txt").read_text("utf-8") == STORY
    _assert_site_has(root, "Mayor Ruth Okafor")
