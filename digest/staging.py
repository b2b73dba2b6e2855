"""Reuse the previous site for what did not change, so adding one article re-renders
only the pages it touches.

The new site is still built in a staging folder and swapped in whole. Before
MkDocs runs, the staging folder gets hard links to every file of the previous
site whose page did not change; MkDocs' `dirty` mode then renders only pages
whose Markdown is newer than their HTML. This is only sound when nothing else
that shapes every page changed — config, theme, versions — so a fingerprint
of those decides, and anything unusual falls back to a full render.

Hard links, not copies: linking 10,000 files takes a fraction of writing them,
and a linked file is never written in place — every output that will be
rendered again is left out of the staging folder first.

The site a build replaces is not deleted but kept as the spare (in build/): the
next build starts its staging folder from it, and only relinks what differs.
Making and deleting a whole tree of folders on every build cost more than the
render itself on a large digest (at 4,000 articles, 3.4 of 12 s to add one),
and on some file systems freshly deleted inodes slow down creating new ones.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path

FINGERPRINT_FILE = "site-fingerprint.json"
# Written by MkDocs (or after it) on every build, whatever changed.
ALWAYS_RENDERED = ("404.html", "sitemap.xml", "sitemap.xml.gz")
_PACKAGES = ("digest", "mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2",
             "pagefind", "pagefind-bin", "feedgen", "pyyaml")


@dataclass(frozen=True)
class SiteState:
    """What the current site was built with, for the next build to start from."""

    fingerprint: str
    # The parts of its search index and their article pages (digest/search.py).
    search_parts: dict[str, list[str]] = field(default_factory=dict)
    # Per article page, a digest of what the index holds of it (search.search_key).
    search_keys: dict[str, str] = field(default_factory=dict)


def fingerprint(config_file: Path, theme_dir: Path | None, site_url: str | None = None) -> str:
    """A hash of everything besides the pages that shapes the rendered site.

    site_url is the one the build was given, which every page's canonical link shows.
    """
    digest = hashlib.sha256(config_file.read_bytes())
    digest.update(f"site_url={site_url or ''}".encode())
    digest.update(code_version().encode())
    if theme_dir and theme_dir.is_dir():
        _hash_folder(digest, theme_dir)
    return digest.hexdigest()


@cache
def code_version() -> str:
    """A hash of the code that makes the site: Digest's own (its version number does
    not change with every edit) and that of the packages it renders with."""
    digest = hashlib.sha256()
    for name in _PACKAGES:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=-".encode())
    _hash_folder(digest, Path(__file__).parent)
    return digest.hexdigest()


def _hash_folder(digest: hashlib._Hash, folder: Path) -> None:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix != ".pyc":
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(path.read_bytes())


def output_path(doc: str) -> str:
    """Where MkDocs (with directory URLs) writes a file of docs_dir."""
    if not doc.endswith(".md"):
        return doc
    stem = doc[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        return stem + ".html"
    return stem + "/index.html"


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system, or no hard links: copy, keeping the mtime
        shutil.copy2(source, target)


def stage_previous(
    site_dir: Path,
    staging: Path,
    changed_docs: Iterable[str],
    spare: Path | None = None,
    rebuilt: Callable[[str], bool] | None = None,
    mirrored: Mapping[str, int] | None = None,
) -> bool:
    """Fill staging with the previous site's unchanged files; True when MkDocs may
    then render only what changed, False when it must render everything.

    Left out are the outputs of `changed_docs` and every file for which
    `rebuilt` holds (those written again after MkDocs).
    `spare` (a site of an earlier build) becomes the staging folder, so that only
    the files that differ from the previous site are relinked. `mirrored` is what
    mirror() returned when it made the spare a copy of the site in this build:
    then neither folder is listed again (at 1,000 articles, 5,000 files each).
    """
    if not (site_dir / "index.html").is_file():
        return False
    skip = {output_path(doc) for doc in changed_docs} | set(ALWAYS_RENDERED)
    current = _inodes(site_dir) if mirrored is None else mirrored
    wanted = {rel: ino for rel, ino in current.items()
              if rel not in skip and not (rebuilt and rebuilt(rel))}
    have: Mapping[str, int] = {}
    if spare is not None and spare.is_dir():
        try:
            spare.rename(staging)
            have = _inodes(staging) if mirrored is None else mirrored
        except OSError:  # another file system: start from an empty staging folder
            shutil.rmtree(spare, ignore_errors=True)
    _sync(site_dir, staging, wanted, have)
    return True


def mirror(site_dir: Path, spare: Path) -> dict[str, int] | None:
    """Make `spare` a hard-linked copy of the current site, so that the next
    stage_previous (given this spare) only unlinks what is rendered again.
    Returns the files of both (path: inode), for stage_previous; None when
    nothing was done.

    Meant for time the build would otherwise spend waiting (for new articles
    to be extracted). Nothing is done across file systems, where links would
    be copies.
    """
    if not (site_dir / "index.html").is_file():
        return None
    spare.parent.mkdir(parents=True, exist_ok=True)
    if site_dir.stat().st_dev != spare.parent.stat().st_dev:
        return None
    files = _inodes(site_dir)
    _sync(site_dir, spare, files, _inodes(spare) if spare.is_dir() else {})
    return files


def _sync(site_dir: Path, target: Path, wanted: Mapping[str, int],
          have: Mapping[str, int]) -> None:
    """Make `target`, which holds the files `have` (path: inode), hold exactly the
    files `wanted` of site_dir, as hard links."""
    emptied: set[Path] = set()
    for rel, ino in have.items():
        if wanted.get(rel) != ino:
            (target / rel).unlink()
            emptied.add((target / rel).parent)
    made: set[Path] = set()
    for rel, ino in wanted.items():
        if have.get(rel) == ino:
            continue
        path = target / rel
        if path.parent not in made:  # one mkdir per folder, not per file: this is hot
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        _link_or_copy(site_dir / rel, path)
    remove_empty_folders(emptied, target)


def _inodes(root: Path) -> dict[str, int]:
    """Every file under root (relative POSIX path) and its inode, from directory
    listings alone: no stat call per file."""
    found: dict[str, int] = {}
    folders = [(root, "")]
    while folders:
        folder, prefix = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append((Path(entry.path), f"{prefix}{entry.name}/"))
                else:
                    found[f"{prefix}{entry.name}"] = entry.inode()
    return found


def remove_empty_folders(folders: Iterable[Path], root: Path) -> None:
    """Remove these folders, and then their parents, as far as they are empty."""
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
        while folder != root and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


def retire(site_dir: Path, spare: Path | None) -> None:
    """Keep the site a build replaced as the spare for the next one (or delete it)."""
    if spare is not None:
        shutil.rmtree(spare, ignore_errors=True)
        try:
            spare.parent.mkdir(parents=True, exist_ok=True)
            site_dir.rename(spare)
            return
        except OSError:  # another file system
            pass
    shutil.rmtree(site_dir, ignore_errors=True)


def read_state(state_file: Path) -> SiteState | None:
    """What the current site was built with; None when unknown."""
    try:
        data = json.loads(state_file.read_text("utf-8"))
        key, parts = data["fingerprint"], data.get("search_parts", {})
        keys = data.get("search_keys", {})
    except (OSError, ValueError, TypeError, KeyError):
        return None
    if not isinstance(key, str) or not isinstance(parts, dict) or not isinstance(keys, dict):
        return None
    return SiteState(key, {str(name): [str(p) for p in pages] for name, pages in parts.items()
                           if isinstance(pages, list)},
                     {str(page): str(value) for page, value in keys.items()})


def remember_state(state_file: Path, state: SiteState | None) -> None:
    """Record what the current site was built with; None forgets it (the next build
    renders all)."""
    if state is None:
        state_file.unlink(missing_ok=True)
        return
    state_file.parent.mkdir(parents=True, exist_ok=True)
    data = {"fingerprint": state.fingerprint, "search_parts": state.search_parts,
            "search_keys": state.search_keys}
    state_file.write_text(json.dumps(data), "utf-8")
