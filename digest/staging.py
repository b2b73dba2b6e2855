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
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

FINGERPRINT_FILE = "site-fingerprint.json"
# Written by MkDocs (or after it) on every build, whatever changed.
ALWAYS_RENDERED = ("404.html", "sitemap.xml", "sitemap.xml.gz")
REBUILT_FOLDERS = ("pagefind/",)
_PACKAGES = ("digest", "mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2")


def fingerprint(config_file: Path, theme_dir: Path | None) -> str:
    """A hash of everything besides the pages that shapes the rendered site."""
    digest = hashlib.sha256(config_file.read_bytes())
    for name in _PACKAGES:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=-".encode())
    if theme_dir and theme_dir.is_dir():
        for path in sorted(theme_dir.rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(theme_dir).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


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


def stage_previous(site_dir: Path, staging: Path, changed_docs: Iterable[str]) -> bool:
    """Fill staging with the previous site's unchanged files; True when MkDocs may
    then render only what changed, False when it must render everything."""
    if not (site_dir / "index.html").is_file():
        return False
    skip = {output_path(doc) for doc in changed_docs} | set(ALWAYS_RENDERED)
    made: set[Path] = set()
    for source in site_dir.rglob("*"):
        rel = source.relative_to(site_dir).as_posix()
        if source.is_dir() or rel in skip or rel.startswith(REBUILT_FOLDERS):
            continue
        target = staging / rel
        if target.parent not in made:  # one mkdir per folder, not per file: this is hot
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        _link_or_copy(source, target)
    return True


def read_key(state_file: Path) -> str | None:
    """The fingerprint the current site was built with; None when unknown."""
    try:
        value = json.loads(state_file.read_text("utf-8")).get("fingerprint")
    except (OSError, ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None


def remember_key(state_file: Path, key: str | None) -> None:
    """Record the current site's fingerprint; None forgets it (the next build renders all)."""
    if key is None:
        state_file.unlink(missing_ok=True)
        return
    state_file.parent.mkdir(parents=True, exist_ok=True)
    state_file.write_text(json.dumps({"fingerprint": key}), "utf-8")
