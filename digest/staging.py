"""Reuse the previous site for what did not change, so adding one article re-renders
only the pages it touches.

A full build renders the new site into a staging folder and swaps it in whole.
A build that may reuse the current site renders only the pages whose Markdown
changed (and the parts of the search index whose articles did) into an empty
staging folder, and only once all of it is done moves those files into the
current site (patch_site): a failed build leaves the site as it was, and the
cost grows with what changed, not with the site. Pagefind reads a part's pages
from one folder, so the unchanged pages of a part indexed again are hard-linked
into the staging folder first (a few hundred links, not the whole site).

This is only sound when nothing else that shapes every page changed — config,
theme, versions — so a fingerprint of those decides, and anything unusual falls
back to a full render.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path

from digest.extract import NER_DIR

FINGERPRINT_FILE = "site-fingerprint.json"
# How MkDocs names the page a warning is about.
_DOC_FILE = re.compile(r"Doc file '([^']+)'")
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
    # What MkDocs warned about, by the page of docs_dir it names ("" for none): a
    # build that does not render a page again still reports what was wrong with it.
    warnings: dict[str, list[str]] = field(default_factory=dict)
    # The article files it was built from, as they were stat()ed (sources.stamps): the
    # next build tells from them alone whether an article was added or edited since.
    articles: dict[str, list[object]] = field(default_factory=dict)


def warned_page(message: str) -> str | None:
    """The page of docs_dir a MkDocs warning is about, if it names one."""
    found = _DOC_FILE.search(message)
    return found.group(1) if found else None


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
    not change with every edit) and that of the packages it renders with.
    Not the extraction models: they make metadata, which the extraction cache keys
    on EXTRACTOR_VERSION, and hashing their tens of megabytes took a tenth of a
    second of every build."""
    digest = hashlib.sha256()
    for name in _PACKAGES:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=-".encode())
    package = Path(__file__).parent
    _hash_folder(digest, package, skip={package / NER_DIR})
    return digest.hexdigest()


def _hash_folder(digest: hashlib._Hash, folder: Path, skip: set[Path] | None = None) -> None:
    for path in sorted(folder.rglob("*")):
        if skip and not skip.isdisjoint(path.parents):
            continue
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


def link_pages(site_dir: Path, staging: Path, paths: Iterable[str]) -> list[str]:
    """Hard-link those of these files of the current site that staging lacks into
    it (for Pagefind, which reads a part's pages from one folder); what was linked."""
    linked = []
    for rel in paths:
        target = staging / rel
        if target.exists() or not (site_dir / rel).is_file():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(site_dir / rel, target)
        except OSError:  # another file system, or no hard links
            shutil.copy2(site_dir / rel, target)
        linked.append(rel)
    return linked


def patch_site(site_dir: Path, staging: Path, trash: Path, folders: Iterable[str],
               gone: Iterable[str]) -> None:
    """Make site_dir the new site, of which staging holds the files that changed.

    Each of `folders` (relative paths) is replaced whole by staging's, or removed
    when staging has none; every other file of staging replaces site_dir's; the
    files `gone` are removed unless staging holds them. The replaced folders are
    moved into `trash` (a new folder); deleting it and what is left of staging
    (folders) is left to the caller (digest.site.remove_leftovers).
    """
    trash.mkdir(parents=True)
    for i, rel in enumerate(folders):
        if (site_dir / rel).is_dir():
            (site_dir / rel).rename(trash / str(i))
        if (staging / rel).is_dir():
            (site_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            (staging / rel).rename(site_dir / rel)
    new = set(_files(staging))
    made: set[Path] = set()
    for rel in sorted(new):
        target = site_dir / rel
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        os.replace(staging / rel, target)
    emptied = set()
    for rel in gone:
        if rel not in new and (site_dir / rel).is_file():
            (site_dir / rel).unlink()
            emptied.add((site_dir / rel).parent)
    remove_empty_folders(emptied, site_dir)


def _files(root: Path) -> list[str]:
    """Every file under root (relative POSIX path), from directory listings alone."""
    found = []
    folders = [(root, "")]
    while folders:
        folder, prefix = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append((Path(entry.path), f"{prefix}{entry.name}/"))
                else:
                    found.append(f"{prefix}{entry.name}")
    return found


def remove_empty_folders(folders: Iterable[Path], root: Path) -> None:
    """Remove these folders, and then their parents, as far as they are empty."""
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
        while folder != root and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


def read_state(state_file: Path) -> SiteState | None:
    """What the current site was built with; None when unknown."""
    try:
        data = json.loads(state_file.read_text("utf-8"))
        key, parts = data["fingerprint"], data.get("search_parts", {})
        keys = data.get("search_keys", {})
        warnings = data.get("warnings", {})
        articles = data.get("articles", {})
    except (OSError, ValueError, TypeError, KeyError):
        return None
    if not isinstance(key, str) or not all(isinstance(d, dict)
                                           for d in (parts, keys, warnings, articles)):
        return None
    return SiteState(key, {str(name): [str(p) for p in pages] for name, pages in parts.items()
                           if isinstance(pages, list)},
                     {str(page): str(value) for page, value in keys.items()},
                     {str(page): [str(m) for m in said] for page, said in warnings.items()
                      if isinstance(said, list)},
                     {str(path): seen for path, seen in articles.items() if isinstance(seen, list)})


def remember_state(state_file: Path, state: SiteState | None) -> None:
    """Record what the current site was built with; None forgets it (the next build
    renders all)."""
    if state is None:
        state_file.unlink(missing_ok=True)
        return
    state_file.parent.mkdir(parents=True, exist_ok=True)
    data = {"fingerprint": state.fingerprint, "search_parts": state.search_parts,
            "search_keys": state.search_keys, "warnings": state.warnings,
            "articles": state.articles}
    state_file.write_text(json.dumps(data), "utf-8")
