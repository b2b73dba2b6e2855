"""Render docs_dir into the site with MkDocs, swapping the new site in only when complete."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

from jinja2 import TemplateError, TemplateSyntaxError
from mkdocs.config import load_config as mkdocs_load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, MkDocsException
from mkdocs.structure.files import File

from digest.model import SiteError
from digest.pages import write_pages
from digest.render import Setup, build_site, set_up
from digest.search import BUNDLE, INDEXED, Indexing, parts_to_index
from digest.staging import (
    SiteState,
    fingerprint,
    link_pages,
    output_path,
    patch_site,
    warned_page,
)


@contextlib.contextmanager
def _build_date(as_of: str | None) -> Iterator[None]:
    """Make MkDocs date the build `as_of` (sitemap dates, gzip headers), not today."""
    if not as_of or "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    stamp = dt.datetime.combine(dt.date.fromisoformat(as_of), dt.time(), dt.UTC)
    os.environ["SOURCE_DATE_EPOCH"] = str(int(stamp.timestamp()))
    try:
        yield
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


# What loading MkDocs' config or rendering with it raises for a broken config or theme.
_MKDOCS_ERRORS = (MkDocsException, SystemExit, OSError, TemplateError)


def mkdocs_config(config_file: Path, docs_dir: Path, out_dir: Path, strict: bool = False,
                  site_url: str | None = None) -> MkDocsConfig:
    """MkDocs' config for rendering docs_dir into out_dir (a site's staging folder)."""
    # MkDocs warns that it cannot see 2.0 coming; that is for its own users to act on.
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    return mkdocs_load_config(config_file=str(config_file), docs_dir=str(docs_dir),
                              site_dir=str(out_dir), strict=strict, site_url=site_url)


def set_up_site(config_file: Path, docs_dir: Path, site_dir: Path, strict: bool = False,
                site_url: str | None = None, known_files: dict[str, File] | None = None
                ) -> Setup | None:
    """render_site's set-up, made ahead (see render.Setup); None if the config or theme
    is broken, for render_site to find again and report, and before a first build has
    made docs_dir (MkDocs says an error of a missing docs_dir, which is no error then)."""
    if not docs_dir.is_dir():
        return None
    try:
        return set_up(mkdocs_config(config_file, docs_dir, _beside(site_dir)[0], strict,
                                    site_url), known_files)
    except _MKDOCS_ERRORS:
        return None


def render_site(
    config_file: Path,
    docs_dir: Path,
    site_dir: Path,
    strict: bool = False,
    site_url: str | None = None,
    as_of: str | None = None,
    changed_docs: Sequence[str] | None = None,
    previous: SiteState | None = None,
    progress: bool = False,
    search_parts: Mapping[str, list[str]] | None = None,
    search_keys: Mapping[str, str] | None = None,
    template_cache: Path | None = None,
    while_indexing: Callable[[], None] | None = None,
    known_files: dict[str, File] | None = None,
    warned: list[str] | None = None,
    setup: Setup | None = None,
) -> SiteState:
    """Build the site into a staging folder, then swap it in (digest/staging.py).

    With `changed_docs` (what changed in docs_dir since the current site was
    built) and the state that site was built with (`previous`), only the changed
    pages are rendered and moved into the current site, and only the parts of the search index
    (`search_parts`, see digest/search.py) that changed are indexed again:
    those whose articles changed, or the indexed text of one (`search_keys`).
    `site_url`, when given, stands in for mkdocs.yml's (canonical URLs, sitemap).
    `as_of` (YYYY-MM-DD) stands in for the build date, so the same content always
    gives a byte-identical site. `template_cache` keeps the theme's compiled
    templates between builds. `while_indexing` is called
    once the pages are rendered, while the search index is still being written.
    `known_files` is what a long-running process keeps of docs_dir (render.build_site).
    `warned`, when given, is given what MkDocs warns about in the new site, instead
    of it being shown: in the pages rendered now, and what it said before of the
    pages not rendered again. In strict mode any of these stops the build before
    the site is touched, as a page that fails does.
    `setup`, from set_up_site with the same arguments, was made ahead.
    Returns the state of the new site.
    """
    found: list[str] = []  # MkDocs' warnings about the pages rendered now
    kept: dict[str, list[str]] = {}  # and those about the pages of the last build kept
    staging, retired = _beside(site_dir)
    remove_leftovers(site_dir)  # the staging folder is free at once
    plan = dict(search_parts or {})
    try:
        setup = setup or set_up(mkdocs_config(config_file, docs_dir, staging, strict, site_url))
        config = setup.config
        theme_dir = config.theme.custom_dir
        key = fingerprint(config_file, Path(theme_dir) if theme_dir else None, site_url)
        usable = changed_docs is not None and previous is not None and previous.fingerprint == key
        keys = dict(search_keys or {})
        old_keys = previous.search_keys if previous else {}
        indexed = parts_to_index(plan, previous.search_parts if usable and previous else None,
                                 (page for page, key in keys.items() if old_keys.get(page) != key))
        reuse = usable and (site_dir / "index.html").is_file()
        if not reuse:
            indexed = list(plan)
        elif previous:
            again = set(changed_docs or ())
            kept = {page: said for page, said in previous.warnings.items()
                    if page and page not in again}
        if strict and kept:
            raise Abort("Aborted with warnings in strict mode!")
        linked: list[str] = []

        def index() -> None:
            # Pagefind reads a part's pages from the staging folder: those not rendered
            # again are linked in from the current site.
            if reuse:
                linked.extend(link_pages(site_dir, staging,
                                         (page for name in indexed for page in plan[name])))
            search.append(Indexing(staging, plan, indexed,
                                   current=site_dir if reuse else None))

        # Pagefind reads only the article pages: it starts as soon as they are
        # rendered, and indexes them while the other pages are rendered.
        search: list[Indexing] = []
        try:
            with _build_date(as_of), (_warnings_hidden() if warned is not None
                                      else contextlib.nullcontext()):
                build_site(setup, dirty=reuse, progress=progress, template_cache=template_cache,
                           only=set(changed_docs or ()) if reuse else None,
                           first=lambda page: page.file.dest_uri.startswith(INDEXED),
                           then=index, known_files=known_files, warned=found)
            if while_indexing:
                while_indexing()
            search[0].wait()
        except BaseException:
            for indexing in search:
                indexing.cancel()
            raise
        if reuse:
            for rel in linked:
                (staging / rel).unlink()
            dropped = set(previous.search_parts if previous else ()) - set(plan)
            patch_site(site_dir, staging, retired / f"replaced-{time.time_ns()}",
                       [f"{BUNDLE}/{name}" for name in sorted({*indexed, *dropped})],
                       [output_path(doc) for doc in changed_docs or ()])
            return SiteState(key, plan, keys, _by_page(kept, found))
    except _MKDOCS_ERRORS as err:
        remove_leftovers(site_dir)
        raise SiteError(f"MkDocs failed: {_said(err)}") from err
    finally:
        if warned is not None:
            warned.extend([message for said in kept.values() for message in said] + found)
    if site_dir.exists():
        retired.mkdir(exist_ok=True)
        site_dir.rename(retired / f"site-{time.time_ns()}")
    staging.rename(site_dir)
    return SiteState(key, plan, keys, _by_page(kept, found))


def _by_page(kept: dict[str, list[str]], found: list[str]) -> dict[str, list[str]]:
    """MkDocs' warnings about the site by the page each names: those kept from the last
    build and those about the pages rendered now."""
    pages = dict(kept)
    for message in found:
        pages.setdefault(warned_page(message) or "", []).append(message)
    return pages


@contextlib.contextmanager
def _warnings_hidden() -> Iterator[None]:
    """MkDocs' warnings not shown (the build reports them as problems), by this process
    and the workers it forks; its errors still are."""
    def shown(record: logging.LogRecord) -> bool:
        return record.levelno != logging.WARNING

    handlers = list(logging.getLogger("mkdocs").handlers)
    for handler in handlers:
        handler.addFilter(shown)
    try:
        yield
    finally:
        for handler in handlers:
            handler.removeFilter(shown)


# The thread deleting what builds left, per folder of leftovers (remove_leftovers).
_deleting: dict[Path, threading.Thread] = {}


def _beside(site_dir: Path) -> tuple[Path, Path]:
    """The staging folder of a build, and the folder of what builds left to delete."""
    return site_dir.with_name(f".{site_dir.name}.new"), site_dir.with_name(f".{site_dir.name}.old")


def remove_leftovers(site_dir: Path) -> None:
    """Delete what builds left beside the site (a staging folder, the files a build
    replaced, a whole site a full build replaced) in a background thread.

    On some file systems deleting a few thousand files or freshly emptied folders
    takes many seconds (over 30 for a site of 1,000 articles on a loaded machine),
    and nothing waits for it: a file is moved out of the way at once and deleted
    later. What is not deleted when the process ends is deleted by the next build.
    """
    staging, old = _beside(site_dir)
    if staging.exists():
        old.mkdir(exist_ok=True)
        staging.rename(old / f"staging-{time.time_ns()}")
    running = _deleting.get(old)
    if old.is_dir() and not (running and running.is_alive()):
        _deleting[old] = threading.Thread(target=_delete_contents, args=(old,), daemon=True)
        _deleting[old].start()


def _delete_contents(folder: Path) -> None:
    # The folder itself stays: another build of this process may be moving into it.
    for child in list(folder.iterdir()):
        shutil.rmtree(child, ignore_errors=True)


def _said(err: BaseException) -> str:
    """What went wrong, with the file and line of a theme template that does not compile."""
    if isinstance(err, TemplateSyntaxError):
        return f"{err.filename or err.name}, line {err.lineno}: {err.message}"
    return str(err)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def check_render(config_file: Path, pages: Mapping[str, str]) -> list[str]:
    """What MkDocs would warn about or fail on when rendering these pages in strict
    mode (broken links, a bad template), one message each.

    The pages are rendered in this one process, so that every warning is seen
    here, into a temporary folder that is then deleted: docs_dir and the site
    are never touched.
    """
    mkdocs_log = logging.getLogger("mkdocs")
    collect = _Collect()
    shown, mkdocs_log.handlers = mkdocs_log.handlers, [collect]
    try:
        with tempfile.TemporaryDirectory(prefix="digest-check-") as tmp:
            docs = Path(tmp) / "docs"
            write_pages(docs, pages)
            config = mkdocs_config(config_file, docs, Path(tmp) / "site", strict=True)
            build_site(set_up(config), workers=1)
    except _MKDOCS_ERRORS as err:
        if not collect.messages:  # strict mode's own "aborted" only repeats the warnings
            collect.messages.append(f"MkDocs failed: {_said(err)}")
    finally:
        mkdocs_log.handlers = shown
    return collect.messages
