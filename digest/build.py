"""The build, top to bottom: sources → extract (cached) → merge → pages → site."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from digest.cache import ExtractionCache, check_folder
from digest.config import DigestConfig
from digest.extract import EXTRACTOR_VERSION
from digest.extraction import PARALLEL_MIN_ARTICLES, Extractor, cycle_collection, extract_all
from digest.memo import TextMemo
from digest.merge import canonicalise, merge, read_ahead, read_aliases
from digest.model import Metadata, Problem, SiteError, Source
from digest.parallel import Primed
from digest.sanitize import markdown_text
from digest.search import INDEXED, plan_parts, search_key
from digest.sources import (
    CuratorLoader,
    KnownSources,
    read_sources,
    shown_path,
    stamps,
    yaml_error_line,
)
from digest.staging import (
    FINGERPRINT_FILE,
    code_version,
    output_path,
    read_state,
    remember_state,
    warned_page,
)

if TYPE_CHECKING:
    from mkdocs.structure.files import File

    from digest.pages import Made
    from digest.render import Setup

# digest.pages and digest.site (MkDocs, feeds) are imported where they are used: a
# build that extracts a new article imports them while the article is extracted,
# instead of before the extraction can start (most of a second of the build's start).
log = logging.getLogger(__name__)
ALIASES_FILE = "aliases.yml"
# Below this many new articles a progress bar is more noise than help.
PROGRESS_MIN = 20
TEMPLATE_CACHE = "templates"  # in the cache folder: the theme's compiled Jinja templates
PAGES_MEMO = "dossiers.json"  # in the cache folder: the dossier pages and feeds of the last build


@dataclass
class BuildReport:
    articles: int = 0
    extracted: int = 0  # articles not found in the cache
    pages_written: int = 0
    newest_date: str | None = None  # the latest article date: the site's "as of" date
    # The parts of the search index: {name: article pages in the site} (digest/search.py).
    search_parts: dict[str, list[str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    page_sources: dict[str, Path] = field(default_factory=dict)  # article page → its source

    @property
    def fatal(self) -> bool:
        return any(p.fatal for p in self.problems)


@dataclass
class Session:
    """What a long-running process (`digest serve`) keeps from one build to the next,
    so that a rebuild redoes only what its changes touch."""

    # Each source's merged metadata, by what it was merged from (see _merged).
    merged: dict[tuple[object, ...], tuple[Metadata, Metadata, list[Problem]]] = field(
        default_factory=dict)
    memo: TextMemo | None = None  # the dossier pages and feeds of the last build
    pages: dict[str, str] | None = None  # docs_dir, as the last build wrote it
    sources: KnownSources = field(default_factory=dict)  # the article files as last read
    # Each article's Markdown body, by (content hash, format, title): see make_articles.
    bodies: dict[tuple[str, str, str], str] = field(default_factory=dict)
    made: dict[str, Made] = field(default_factory=dict)  # by render_pages' jobs
    cache: ExtractionCache | None = None  # as the last build left it (and saved it)
    search_keys: dict[str, str] = field(default_factory=dict)  # by article page text
    files: dict[str, File] = field(default_factory=dict)  # MkDocs' files of docs_dir


def start_extraction(sources: Sequence[Source], progress: bool = False,
                     extractor: Extractor | None = None) -> Callable[[], list[Metadata]]:
    """Extract these articles; returns a function that waits for their metadata.

    A few new articles (adding one, the common case) are extracted in a forked
    process, so that this one goes on with the cached articles while spaCy
    loads (or in `extractor`, which may have loaded it already); many are
    shared between every core, and done before this returns.
    """
    items = [(_prose(s), _given_title(s)) for s in sources]
    if 0 < len(items) < PARALLEL_MIN_ARTICLES:
        return (extractor or Primed(lambda: None, extract_all)).start(items)
    if extractor:
        extractor.cancel()
    if not items:
        return list
    done = extract_all(items, progress and len(items) >= PROGRESS_MIN)
    return lambda: done


def _prose(source: Source) -> str:
    """The text extraction reads: a Markdown article's words, without its markup."""
    return markdown_text(source.text) if source.fmt == "markdown" else source.text


def _given_title(source: Source) -> str | None:
    title = source.front_matter.get("title")
    return str(title) if isinstance(title, str | int | float) else None


def load_aliases(content_dir: Path) -> tuple[dict[str, str], list[Problem]]:
    path = content_dir / ALIASES_FILE
    if not path.is_file():
        return {}, []
    try:
        data = yaml.load(path.read_text("utf-8"), Loader=CuratorLoader)
    except yaml.YAMLError as err:
        return {}, [Problem(path, f"not valid YAML{yaml_error_line(err)}, ignored")]
    except UnicodeDecodeError as err:
        return {}, [Problem(path, f"not UTF-8 text ({err.reason}), ignored")]
    except OSError as err:
        return {}, [Problem(path, f"cannot be read: {err.strerror}, ignored")]
    return read_aliases(data, path)


def _merged(source: Source, meta: Metadata, session: Session | None
            ) -> tuple[Metadata, list[Problem]]:
    """merge(source, meta), or what it gave in the last build of this session."""
    if session is None:
        return merge(source, meta)
    key = (source.path, source.sha256, source.added, source.fmt, repr(source.front_matter))
    known = session.merged.get(key)
    if known is None or known[0] != meta:
        known = (meta, *merge(source, meta))
        session.merged[key] = known
    return known[1], known[2]


def prepare(config: DigestConfig, progress: bool = False, session: Session | None = None,
            while_waiting: Callable[[], None] | None = None,
            later: list[Callable[[], None]] | None = None,
            extractor: Extractor | None = None) -> tuple[dict[str, str], BuildReport]:
    """Everything up to the Markdown pages: {path under docs_dir: text}, and what went wrong.
    `while_waiting` is called while new articles are extracted in another process.
    Saving the caches is left in `later`, when given, for the build to do when it
    would otherwise wait (for the search index), instead of before it renders.
    `extractor`, when given, extracts the new articles if they are few."""
    check_folder(config.cache_dir, config.root)
    report = BuildReport()
    sources, report.problems = read_sources(config.root, config.content_dir,
                                            session.sources if session else None)
    aliases, alias_problems = load_aliases(config.content_dir)
    report.problems += alias_problems
    seen: dict[str, Source] = {}
    unique = []
    for source in sources:
        if source.sha256 in seen:
            report.problems.append(
                Problem(source.path, f"same content as {seen[source.sha256].path}; skipped", True)
            )
            continue
        seen[source.sha256] = source
        unique.append(source)

    cache = session.cache if session and session.cache else ExtractionCache(config.cache_dir,
                                                                            EXTRACTOR_VERSION)
    if session:
        session.cache = cache
    todo = {s.sha256: s for s in unique if cache.get(s.sha256) is None}
    extracted = start_extraction(list(todo.values()), progress, extractor)
    # While the new articles are extracted, read the last build's pages and merge the others.
    memo = session.memo if session and session.memo else TextMemo(config.cache_dir / PAGES_MEMO,
                                                                   code_version())
    merged_by_hash = {s.sha256: _merged(s, meta, session) for s in unique
                      if (meta := cache.get(s.sha256)) is not None}
    bodies = dict(session.bodies) if session else {}
    if todo and while_waiting:
        while_waiting()
        from digest.pages import find_bodies

        # And make the others' bodies (canonicalise leaves titles as they are).
        known = [(source, merged_by_hash[source.sha256][0]) for source in unique
                 if source.sha256 in merged_by_hash]
        find_bodies(known, bodies, memo)
        read_ahead(known)
    for source, meta in zip(todo.values(), extracted(), strict=True):
        cache.put(source.sha256, meta)
        merged_by_hash[source.sha256] = _merged(source, meta, session)
    report.extracted = len(todo)
    from digest.pages import body_key, body_memo_key, find_bodies, make_articles, render_pages

    saves = [lambda: cache.save(keep=set(merged_by_hash)), memo.save]
    if len(todo) >= PARALLEL_MIN_ARTICLES:
        saves.pop(0)()  # minutes of extraction: kept at once, whatever happens to the render

    merged = []
    for source in unique:
        meta, problems = merged_by_hash[source.sha256]
        report.problems += problems
        merged.append(meta)
    merged = canonicalise(list(zip(unique, merged, strict=True)), aliases)
    find_bodies(list(zip(unique, merged, strict=True)), bodies, memo)
    articles = make_articles(list(zip(unique, merged, strict=True)), bodies)
    used = {body_key(a.source, a.meta.title): a.body for a in articles}
    memo.keep({body_memo_key(key): body for key, body in used.items()})
    if session:
        session.bodies = used
    report.articles = len(articles)
    report.page_sources = {f"articles/{a.slug}.md": a.source.path for a in articles}
    report.newest_date = max((a.meta.date for a in articles if a.meta.date), default=None)
    report.search_parts = plan_parts({output_path(f"{INDEXED}{a.slug}.md"): a.meta.date
                                      for a in articles})
    pages = render_pages(articles, config.site_name, config.site_url, config.site_author, memo,
                         session.pages if session else None, session.made if session else None)
    if later is None:
        for save in saves:
            save()
    else:
        later += saves
    if session:
        session.memo = memo
    return pages, report


def search_keys(pages: dict[str, str], known: dict[str, str] | None = None) -> dict[str, str]:
    """For each article page in the site, a digest of what the search index holds of it.
    `known` (kept by a long-running process) holds the last build's, by page text;
    it is given this build's."""
    last = dict(known or {})
    if known is not None:
        known.clear()
    keys = {}
    for doc, text in pages.items():
        if doc.startswith(INDEXED) and doc.endswith(".md"):
            key = last.get(text) or search_key(text)
            keys[output_path(doc)] = key
            if known is not None:
                known[text] = key
    return keys


def build(
    config: DigestConfig,
    strict: bool = False,
    on_problem: Callable[[Problem], None] | None = None,
    session: Session | None = None,
    extractor: Extractor | None = None,
    sources: KnownSources | None = None,
) -> BuildReport:
    """Run the whole build. With strict, any problem stops it before the site is touched.
    A `session` carries what this process knows from its last build to the next;
    `extractor` may have loaded the models for the new articles already, and
    `sources` holds the articles this process read already (read_sources)."""
    keeps_site = (config.site_dir / "index.html").is_file() and config.docs_dir.is_dir()
    with cycle_collection(False) if keeps_site else contextlib.nullcontext():
        return _build(config, strict, on_problem, session, extractor, sources)


def _build(config: DigestConfig, strict: bool, on_problem: Callable[[Problem], None] | None,
           session: Session | None, extractor: Extractor | None,
           sources: KnownSources | None) -> BuildReport:
    progress = sys.stderr.isatty()
    # A long-running process (serve) saves its caches once the new site is in, not
    # while it is indexed: there the site is waited for, and the process goes on.
    save_early = session is None
    session = session or Session(sources=sources or {})

    def while_waiting() -> None:
        # Read what docs_dir holds now, so that writing the pages later need not
        # read it back, and delete what the last build left beside the site.
        from digest.pages import read_pages
        from digest.site import remove_leftovers, set_up_site

        remove_leftovers(config.site_dir)
        if session.pages is None:
            session.pages = read_pages(config.docs_dir)
        setup = set_up_site(config.config_file, config.docs_dir, config.site_dir, strict,
                            config.site_url, session.files)
        if setup:
            setups.append(setup)

    setups: list[Setup] = []  # the render's, when made while waiting

    later: list[Callable[[], None]] = []

    def save_caches() -> None:
        while later:
            later.pop(0)()

    try:
        pages, report = prepare(config, progress=progress, session=session,
                                while_waiting=while_waiting, later=later, extractor=extractor)
        say = on_problem or (lambda p: log.warning("%s", p))
        for problem in report.problems:
            say(problem)
        if strict and report.problems:
            return report
        # The site matches docs_dir only once a render succeeds: until then, forget
        # the fingerprint so that an interrupted build is followed by a full render.
        state = config.cache_dir / FINGERPRINT_FILE
        previous = read_state(state)
        remember_state(state, None)
        from digest.pages import write_pages
        from digest.site import render_site

        changed = write_pages(config.docs_dir, pages, session.pages)
        session.pages = pages
        report.pages_written = len(changed)
        warned: list[str] = []
        try:
            built = render_site(config.config_file, config.docs_dir, config.site_dir,
                                strict=strict, site_url=config.site_url,
                                as_of=report.newest_date, changed_docs=changed,
                                previous=previous, progress=progress,
                                search_parts=report.search_parts,
                                search_keys=search_keys(pages, session.search_keys),
                                template_cache=config.cache_dir / TEMPLATE_CACHE,
                                while_indexing=save_caches if save_early else None,
                                known_files=session.files, warned=warned,
                                setup=setups[0] if setups else None)
        except SiteError:
            if not (strict and warned):
                raise
            built = None  # stopped by MkDocs' warnings, reported below as problems
        for message in warned:
            problem = _mkdocs_problem(message, report.page_sources, config)
            report.problems.append(problem)
            say(problem)
        if built is not None:
            remember_state(state, dataclasses.replace(built, articles=stamps(session.sources)))
        return report
    finally:
        save_caches()  # also when the render failed: the extracted articles are kept


def check(config: DigestConfig, progress: bool = False) -> BuildReport:
    """Every problem `build --strict` stops on, MkDocs' own checks included, without
    writing docs_dir or the site."""
    from digest.site import check_render

    pages, report = prepare(config, progress=progress)
    report.problems += [_mkdocs_problem(message, report.page_sources, config)
                        for message in check_render(config.config_file, pages)]
    return report


def _mkdocs_problem(message: str, page_sources: dict[str, Path], config: DigestConfig
                   ) -> Problem:
    """A MkDocs warning as a problem of the curator's file it comes from: the article's
    source for a page naming one, else mkdocs.yml."""
    path = page_sources.get(warned_page(message) or "")
    return Problem(path or shown_path(config.config_file, config.root), f"MkDocs: {message}")
