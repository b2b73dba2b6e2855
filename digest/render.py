"""MkDocs' build, with the page loop shared between the machine's CPU cores.

MkDocs renders pages one after another in one process, and a digest has
several pages per article (people, places, organisations, topics), so on a
2-core machine half the CPU sits idle through the longest part of the build.
MkDocs has no parallel mode and no plugin event that could split its page
loop, so this module runs the steps of `mkdocs.commands.build.build` itself
(MkDocs is pinned; its 1.6 build loop is the one followed here):

1. in the parent: config and pre-build events, files, navigation and the
   titles of its pages, static files and theme templates such as the
   sitemap — what every page shares;
2. in forked workers, each with a share of the pages: read and convert the
   Markdown, render the template, write the HTML, check anchors;
3. in the parent again, once every worker succeeded: the post-build event.

A page's HTML depends only on the page, the navigation and the config, never
on which process rendered it, so the site is byte-identical to a serial build.
One check is weaker than MkDocs': a link to an anchor on another page is only
checked when the same worker rendered both (MkDocs reports those at INFO level
unless `validation.anchors` is raised).
The workers are forked (digest/parallel.py).
"""

from __future__ import annotations

import functools
import logging
import os
import posixpath
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import markdown
from jinja2 import Environment, FileSystemBytecodeCache
from jinja2.runtime import Context
from mkdocs import utils
from mkdocs.commands.build import (
    _build_extra_template,
    _build_page,
    _build_theme_template,
    _populate_page,
)
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.structure.files import (
    File,
    Files,
    InclusionLevel,
    file_sort_key,
    get_files,
    set_exclusions,
)
from mkdocs.structure.nav import Navigation, get_navigation
from mkdocs.structure.pages import (
    Page,
    _ExtractAnchorsTreeprocessor,
    _ExtractTitleTreeprocessor,
    _RawHTMLPreprocessor,
    _RelativePathTreeprocessor,
)
from mkdocs.structure.pages import log as pages_log
from mkdocs.structure.toc import get_toc

from digest.parallel import FAILED, SharedProgress, each_shared, worker_count

# Below this many pages a build takes a few seconds: no progress bar.
PROGRESS_MIN_PAGES = 1000
# From this many pages on, they are shared between CPU cores: a listing page (the
# pages an added article shifts) takes tens of milliseconds to render, a fork a few.
PARALLEL_MIN_PAGES = 8
# The pages after the first are rendered while Pagefind, started in between, holds a
# core: below this many, a forked worker would only take turns with it (a +1 build's
# two dozen listing pages: the site in place 0.08 s later with one, over 6 A/B pairs).
PARALLEL_MIN_PAGES_BESIDE_INDEXING = 64
# Material's partials that depend on the page only through its address (memoise_per_folder).
SAME_PER_FOLDER = ("partials/nav.html", "partials/tabs.html")


@dataclass
class Setup:
    """What a build's render needs that its pages do not change: MkDocs' config and the
    theme's static files. Made ahead, while the new articles are extracted (listing
    Material's files and loading the config took a few tenths of a second after)."""

    config: MkDocsConfig
    theme_files: Files


def set_up(config: MkDocsConfig, known_files: dict[str, File] | None = None) -> Setup:
    """The Setup of a build with this config; with `known_files` (see build_site),
    docs_dir's files are listed into it now, as the last build left them."""
    if known_files is not None and not known_files:
        _docs_files(config, known_files, None)
    theme = Files([])
    theme.add_files_from_theme(_VisibleTemplates(config.theme.dirs), config)
    return Setup(config, theme)


class _VisibleTemplates:
    """What Files.add_files_from_theme reads of the theme's Jinja environment: its
    files, but none in a hidden folder. MkDocs drops those (its patterns '.*' and
    '*/.*'), one fnmatch after another for each of the 14,000 icons Material keeps in
    `.icons`: walking past them took 0.05 to 0.07 s of each build's set-up."""

    def __init__(self, dirs: Sequence[str]) -> None:
        self.dirs = dirs

    def list_templates(self, filter_func: Callable[[str], bool]) -> list[str]:
        found: set[str] = set()
        for top in self.dirs:  # as jinja2.FileSystemLoader.list_templates
            for folder, subfolders, names in os.walk(top):
                subfolders[:] = [name for name in subfolders if not name.startswith(".")]
                rel = os.path.relpath(folder, top).replace(os.sep, "/")
                found.update(name if rel == "." else f"{rel}/{name}" for name in names)
        return sorted(name for name in found if filter_func(name))


def build_site(
    setup: Setup,
    dirty: bool = False,
    workers: int | None = None,
    first: Callable[[Page], bool] | None = None,
    then: Callable[[], None] | None = None,
    progress: bool = False,
    template_cache: Path | None = None,
    only: Collection[str] | None = None,
    known_files: dict[str, File] | None = None,
    warned: list[str] | None = None,
) -> None:
    """Render the config's docs_dir into its site_dir, as `mkdocs build` would.

    `workers` processes render the pages (default: one per CPU core for a large
    site). The pages for which `first` holds are all rendered before the others,
    and `then` is called in between; `progress` shows a bar for a large site.
    `template_cache` is a folder for the theme's compiled templates: compiling
    Material's templates costs each worker of each build about half a second of
    CPU, loading them a few milliseconds (Jinja checks each against its source).
    With `only` (paths under docs_dir), only those pages (and other files of
    docs_dir) are rendered or copied: the site the output goes into holds the
    others already, and the theme's files (digest/staging.py).
    `known_files` (kept by a long-running process) holds the files of docs_dir
    the last build found, by path: with `only`, the others are not looked for
    again. It is given this build's.
    `warned`, when given, is given what MkDocs warned about (WARNING and above),
    in every worker.
    Raises mkdocs.exceptions.Abort when a page fails, or in strict mode when
    anything was warned about.
    """
    warnings = _Warnings()
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(warnings)
    try:
        config = setup.config.plugins.on_config(setup.config)
        config.plugins.on_pre_build(config=config)
        if not dirty:
            utils.clean_directory(config.site_dir)
        files = _docs_files(config, known_files, only)
        env = config.theme.get_env()
        # Each build makes its own environment: within one, asking the file system
        # whether a template changed, at every include of every page, is wasted.
        env.auto_reload = False
        if template_cache is not None:
            template_cache.mkdir(parents=True, exist_ok=True)
            env.bytecode_cache = FileSystemBytecodeCache(str(template_cache))
        for file in setup.theme_files:  # as Files.add_files_from_theme: docs_dir's first
            if files.get_file_from_path(file.src_uri) is None:
                files.append(file)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        nav = config.plugins.on_nav(nav, config=config, files=files)
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
        pages = [file.page or Page(None, file, config) for file in doc_files
                 if only is None or file.src_uri in only]
        # Every page shows the titles of the pages in the navigation (tabs, previous
        # and next). Where mkdocs.yml does not name them, MkDocs learns them by
        # rendering those pages: do that here, so that every worker knows them.
        for page in nav.pages:
            if page.title is None:
                _populate_page(page, config, files, dirty)
        env = config.plugins.on_env(env, config=config, files=files)
        memoise_per_folder(env, nav)
        if only is None:
            files.copy_static_files(dirty=dirty, inclusion=InclusionLevel.is_included)
        else:  # the theme's are in the site already: only the changed files of docs_dir
            for file in files:
                if file.src_uri in only and not file.is_documentation_page() \
                        and file.inclusion.is_included():
                    file.copy_file()

        bar = SharedProgress(len(pages), "rendering", "page",
                             progress and len(pages) >= PROGRESS_MIN_PAGES)

        def render(share: Sequence[Page]) -> tuple[int, list[tuple[str, str]]]:
            # A worker's warnings are in its own copy of the handler: it hands them back.
            before = len(warnings.records)
            converter = markdown.Markdown(extensions=config.markdown_extensions,
                                          extension_configs=config.mdx_configs or {})
            try:
                # Read and render page by page (MkDocs reads all pages first, for
                # what pages show of each other: here the nav titles, read above).
                for page in share:
                    page.render = functools.partial(_convert, page, converter)
                    if page.content is None:
                        _populate_page(page, config, files, dirty)
                    _build_page(page, config, doc_files, nav, env, dirty)
                    bar.advance()
                for page in share:
                    page.validate_anchor_links(files=files,
                                               log_level=config.validation.links.anchors)
            except Exception:  # MkDocs has logged which page failed and why
                return FAILED, warnings.records[before:]
            return 0, warnings.records[before:]

        early: list[Page] = []
        rest: list[Page] = []
        # Largest first: shared round-robin, the few huge pages (indexes, the
        # archive) land on different workers instead of making one of them late.
        for page in sorted(pages, key=_source_size, reverse=True):
            (early if first and first(page) else rest).append(page)
        codes = warnings.gather(each_shared(
            render, early, workers or worker_count(len(early), PARALLEL_MIN_PAGES)))
        if then and FAILED not in codes:
            then()
        # After the first pages: the sitemap (a thousand entries) is no reason for them to wait.
        for template in config.theme.static_templates:
            _build_theme_template(template, env, files, config, nav)
        for template in config.extra_templates:
            _build_extra_template(template, files, config, nav)
        codes += warnings.gather(each_shared(
            render, rest, workers or worker_count(len(rest), PARALLEL_MIN_PAGES if then is None
                                                  else PARALLEL_MIN_PAGES_BESIDE_INDEXING)))
        bar.close()
        if FAILED in codes:
            raise Abort("Aborted: a page could not be rendered (see the error above).")
        config.plugins.on_post_build(config=config)
        if config.strict and warnings.records:
            counts = Counter(level.lower() for level, _ in warnings.records)
            summary = ", ".join(f"{n} {level}s" for level, n in sorted(counts.items()))
            raise Abort(f"Aborted with {summary} in strict mode!")
    except Exception as err:
        config.plugins.on_build_error(error=err)
        raise
    finally:
        mkdocs_log.removeHandler(warnings)
        if warned is not None:
            warned.extend(message for _, message in warnings.records)


class _Warnings(logging.Handler):
    """What MkDocs warns about while building, from this process and its workers."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[tuple[str, str]] = []  # level name, message

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.levelname, record.getMessage()))

    def gather(self, results: Sequence[tuple[int, list[tuple[str, str]]] | None]
               ) -> list[int]:
        """Each worker's exit code, keeping the warnings the forked ones hand back
        (this process's first share logged them here already)."""
        for result in results[1:]:
            if result is not None:
                self.records.extend(result[1])
        return [FAILED if result is None else result[0] for result in results]


def _docs_files(config: MkDocsConfig, known: dict[str, File] | None,
                changed: Collection[str] | None) -> Files:
    """MkDocs' get_files(config): the files of docs_dir, in its order. With the files
    the last build found (`known`) and the paths changed since (`changed`), only
    those are looked at: listing thousands of pages took a serve rebuild most of a
    second. `known` is updated."""
    if not known or changed is None:
        files = get_files(config)
        if known is not None:
            known.clear()
            known.update((file.src_uri, file) for file in files)
        return files
    for rel in changed:
        known.pop(rel, None)
        if os.path.isfile(os.path.join(config.docs_dir, rel)):
            known[rel] = File(rel, config.docs_dir, config.site_dir, config.use_directory_urls)
    listing = sorted(known.values(), key=file_sort_key)
    for file in listing:
        file.page = None  # each build makes its own pages
    set_exclusions(listing, config)
    return Files(listing)


def memoise_per_folder(env: Environment, nav: Navigation) -> None:
    """Render Material's navigation and tabs once per folder of pages, not once per page.

    They show the same links on every page that is not itself in the navigation
    (no item is active), relative to the page's address: the same for every
    page of one folder. Rendering them cost a tenth of rendering a page.
    """
    in_nav = {page.file.src_uri for page in nav.pages}
    for name in SAME_PER_FOLDER:
        template = env.get_template(name)
        template.root_render_func = _per_folder(template.root_render_func, in_nav)


def _per_folder(render: Callable[[Context], Iterator[str]], in_nav: Collection[str]
                ) -> Callable[[Context], Iterator[str]]:
    made: dict[str, str] = {}

    def root(context: Context) -> Iterator[str]:
        page = context.get("page")
        if not isinstance(page, Page) or page.file.src_uri in in_nav:
            yield from render(context)
            return
        folder = posixpath.dirname(page.url.rstrip("/"))
        if folder not in made:
            made[folder] = "".join(render(context))
        yield made[folder]

    return root


def _convert(page: Page, md: markdown.Markdown, config: MkDocsConfig, files: Files) -> None:
    """Page.render of MkDocs 1.6, with one converter per process, reset between pages:
    making one with its extensions costs about what converting a short page does."""
    if page.markdown is None:
        raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
    md.reset()
    # Registered under the same names on every page: each replaces the last page's.
    raw_html = _RawHTMLPreprocessor()
    raw_html._register(md)
    anchors = _ExtractAnchorsTreeprocessor(page.file, files, config)
    anchors._register(md)
    relative = _RelativePathTreeprocessor(page.file, files, config)
    relative._register(md)
    title = _ExtractTitleTreeprocessor()
    title._register(md)
    page.content = md.convert(page.markdown)
    page.toc = get_toc(getattr(md, "toc_tokens", []))
    page._title_from_render = title.title
    page.present_anchor_ids = anchors.present_anchor_ids | raw_html.present_anchor_ids
    if pages_log.getEffectiveLevel() > logging.DEBUG:
        page.links_to_anchors = relative.links_to_anchors


def _source_size(page: Page) -> int:
    try:
        return os.path.getsize(page.file.abs_src_path or "")
    except OSError:  # a file made by a plugin, with no source on disk
        return 0
