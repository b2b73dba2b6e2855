"""Put articles into a digest, and start new digests: the commands that write to content/."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from slugify import slugify

from digest import DISTRIBUTION, __version__
from digest.duplicates import KnownArticles
from digest.fetch import WEB_SUFFIXES
from digest.sources import ARTICLES_DIR, READERS, SourceError, read_front_matter, sidecar_path

SCAFFOLD = "scaffold"
WORKFLOW = Path(".github", "workflows", "pages.yml")


class CurateError(ValueError):
    """The request would lose or overwrite something; the message says what."""


class FileRefused(CurateError):
    """One input file refused (and with it the others, since nothing is copied)."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class Added:
    source: Path
    target: Path
    status: str  # "added", "duplicate" (already there, byte for byte)


@dataclass(frozen=True)
class Outcome:
    """What happened to one input of `digest add`; `digest add --json` prints these."""

    input: str
    path: Path | None
    status: str  # "added", "duplicate" or "error"
    error: str | None = None


def not_a_file(path: Path) -> str | None:
    """Why `digest add` cannot take this path as a file, or None when it can."""
    if path.is_dir():
        # A browser's "Page_files" folder beside a saved page lands here through `saved/*`.
        return "a folder, not a file: name the files in it, like FOLDER/*.txt"
    return None if path.is_file() else "no such file"


def stable_name(path: Path) -> str:
    """A readable file name that does not depend on where the file came from."""
    stem = slugify(path.stem, max_length=80, word_boundary=True) or "article"
    return stem + path.suffix.lower()


def add_articles(files: list[Path], content_dir: Path,
                 known: KnownArticles | None = None) -> list[Added]:
    """Copy files into content/articles/; refuse any that would replace a different article.

    An article already in the digest (the same text, or the same original URL in its
    front matter; `known`, when the digest was read already) is reported as a
    duplicate, not copied. A plain-text article's curator metadata beside it
    (NAME.txt.yml) is copied with it. Checks every file before copying any, so a
    refusal leaves content/ unchanged.
    """
    folder = content_dir / ARTICLES_DIR
    known = known if known is not None else KnownArticles.read(content_dir)
    plan: list[Added] = []
    taken: dict[Path, bytes] = {}
    for path in files:
        if path.suffix.lower() not in READERS:
            raise FileRefused(path, f"not an article (use {', '.join(sorted(READERS))}, a page "
                                    f"saved from the web as {', '.join(WEB_SUFFIXES)}, or a URL)")
        if reason := not_a_file(path):
            raise FileRefused(path, reason)
        try:
            data = path.read_bytes()
            body, front, _ = read_front_matter(path)
        except OSError as err:
            raise FileRefused(path, f"cannot be read: {err.strerror}") from err
        except SourceError:
            body, front = "", {}  # copied all the same: the build says what is wrong with it
        same = known.find(body, front.get("source_url"))
        if same is not None:
            plan.append(Added(path, same, "duplicate"))
            continue
        target = folder / stable_name(path)
        if target.exists() or (target in taken and taken[target] != data):
            raise FileRefused(
                path, f"{target} already holds a different article; rename the file to add it")
        if sidecar_path(path).is_file() and sidecar_path(target).exists():
            raise FileRefused(
                path, f"{sidecar_path(target)} already exists; remove it or rename the file")
        taken[target] = data
        known.add(target, body, front.get("source_url"))
        plan.append(Added(path, target, "added"))
    for item in plan:
        if item.status == "added":
            item.target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(item.source, item.target)
            if (metadata := sidecar_path(item.source)).is_file():
                shutil.copyfile(metadata, sidecar_path(item.target))
    return plan


def new_digest(target: Path, site_name: str) -> list[Path]:
    """A new digest folder: mkdocs.yml, content/, theme/, README, Pages workflow."""
    if target.exists() and any(target.iterdir()):
        raise CurateError(f"{target} is not empty; choose a new folder")
    scaffold = resources.files("digest").joinpath(SCAFFOLD)
    with resources.as_file(scaffold) as source:
        shutil.copytree(source, target, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__"))
    # Stored without their dots so that packaging keeps them.
    (target / "gitignore").rename(target / ".gitignore")
    (target / "github").rename(target / ".github")
    config = target / "mkdocs.yml"
    text = config.read_text("utf-8")
    # JSON strings are valid YAML scalars: quotes whatever the name holds.
    named = text.replace("site_name: News Digest",
                         f"site_name: {json.dumps(site_name, ensure_ascii=False)}", 1)
    config.write_text(named, "utf-8")
    _pin_digest(target / WORKFLOW)
    (target / "content" / ARTICLES_DIR).mkdir(parents=True, exist_ok=True)
    return sorted(p for p in target.rglob("*") if p.is_file())


def _pin_digest(workflow: Path) -> None:
    """The Pages workflow installs exactly the distribution and version that wrote it."""
    line = f"DIGEST_PACKAGE: {DISTRIBUTION}"
    text = workflow.read_text("utf-8")
    workflow.write_text(text.replace(f"{line}\n", f"{line}=={__version__}\n", 1), "utf-8")
