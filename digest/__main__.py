"""The `digest` command line: parse, load config, call, map errors to exit codes."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING

import click

from digest import __version__
from digest.charts import plural
from digest.extract import ModelError
from digest.extraction import (
    PARALLEL_MIN_ARTICLES,
    Extractor,
    extract_all,
    load_models,
    primed_extractor,
)
from digest.model import Problem, SiteError
from digest.parallel import WorkerError

if TYPE_CHECKING:
    from digest.build import BuildReport
    from digest.config import DigestConfig
    from digest.curate import Outcome
    from digest.siteurl import SiteURL
    from digest.sources import KnownSources

# The rest of Digest is imported in the commands that use it: `digest add` starts the
# process loading its models first, on the second core, while this one imports it
# (a tenth of a second or two of every added article).

EXIT_PROBLEMS = 1
EXIT_USAGE = 2


def _setup_logging(verbose: bool) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    for name in ("digest", "mkdocs"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.INFO if verbose else logging.WARNING)
        logger.propagate = False


def _report(problem: Problem) -> None:
    kind = "error" if problem.fatal else "warning"
    click.secho(f"{kind}: {problem}", fg="red" if problem.fatal else "yellow", err=True)


def _config(root: Path, content: Path | None = None, site: Path | None = None) -> DigestConfig:
    from digest.config import ConfigError, load_config

    try:
        config = load_config(root.resolve(), content and content.resolve(), site and site.resolve())
    except ConfigError as err:
        raise click.ClickException(str(err)) from err
    problems = config.validate()
    if problems:
        raise click.ClickException("; ".join(str(p) for p in problems))
    return config


class _Commands(click.Group):
    """Turns a damaged install or a failed worker into the one-line error, in every command."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (ModelError, WorkerError) as err:
            raise click.ClickException(str(err)) from err


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="digest")
@click.option("-v", "--verbose", is_flag=True, help="Also show MkDocs' progress messages.")
def cli(verbose: bool) -> None:
    """Turn a folder of news articles into a searchable static news-digest site.

    Run the commands in a digest folder (one with mkdocs.yml). Articles live in
    content/articles/ as .txt (plain text, curator metadata in NAME.txt.yml) or .md
    (Markdown, optional YAML front matter); `digest add URL` takes in a web page.
    content/aliases.yml maps name variants to one canonical name.
    """
    _setup_logging(verbose)


@cli.command()
@click.option("--content", type=click.Path(path_type=Path, file_okay=False),
              help="Folder of sources (default: content/).")
@click.option("--site", type=click.Path(path_type=Path, file_okay=False),
              help="Where to write the site (default: mkdocs.yml's site_dir, site/).")
@click.option("--strict", is_flag=True,
              help="Fail (exit 1) on any problem with a source, after reporting all of them.")
@click.option("--site-url", metavar="URL",
              help="Where the site is published (used when mkdocs.yml sets no site_url; "
                   "the GitHub Pages workflow passes it).")
def build(content: Path | None, site: Path | None, strict: bool, site_url: str | None) -> None:
    """Build the site: sources → extracted metadata → pages in build/ → site/.

    A source that cannot be read is reported with its reason and left out; the
    rest still builds. The previous site stays in place until the new one is
    complete.

    Feeds, canonical URLs and the sitemap use the site's address: site_url in
    mkdocs.yml, else --site-url, else the GitHub Pages address of the git
    remote origin (github.com/USER/REPO → https://USER.github.io/REPO/).
    """
    _build(content, site, strict, site_url)


def _with_site_url(config: DigestConfig, option: str | None, quiet: bool = False
                   ) -> DigestConfig:
    """The config with the site's address filled in as `digest build` documents it
    (siteurl.resolve_site_url), said on standard error unless `quiet`."""
    from digest.siteurl import FROM_CONFIG, SiteURLError, normalise, resolve_site_url

    try:
        found = resolve_site_url(config.site_url, option, config.root)
        overruled = found.origin == FROM_CONFIG and option and normalise(option) != found.url
    except SiteURLError as err:
        raise click.ClickException(str(err)) from err
    if not quiet:
        _say_site_url(found, bool(overruled))
    return dataclasses.replace(config, site_url=found.url)


def _say_site_url(found: SiteURL, overruled: bool) -> None:
    from digest.siteurl import FROM_REMOTE

    if found.url is None:
        click.secho("warning: no site URL, so feed links are relative and pages have no "
                    "canonical URL nor sitemap entry: set site_url in mkdocs.yml or pass "
                    "--site-url.", fg="yellow", err=True)
    elif found.origin == FROM_REMOTE or overruled:
        click.echo(f"Site URL {found.url}: {found.origin}"
                   + (", which wins over --site-url." if overruled else
                      " (set site_url in mkdocs.yml if the site is published elsewhere)."),
                   err=True)


def _build(content: Path | None, site: Path | None, strict: bool, site_url: str | None,
           extractor: Extractor | None = None, sources: KnownSources | None = None) -> None:
    config = _config(Path.cwd(), content, site)
    extractor = extractor or _primed_if_few_new(config)
    from digest.build import build as run_build  # after the fork: see _primed_if_few_new

    config = _with_site_url(config, site_url)
    try:
        report = run_build(config, strict=strict, on_problem=_report, extractor=extractor,
                           sources=sources)
    except (SiteError, OSError) as err:  # OSError: build/ or the cache could not be written
        raise click.ClickException(str(err)) from err
    if strict and report.problems:
        click.secho(f"{plural(len(report.problems), 'problem')}; site not built (--strict).",
                    fg="red", err=True)
        sys.exit(EXIT_PROBLEMS)
    click.echo(f"Built {plural(report.articles, 'article')} into {config.site_dir} "
               f"({_counts(report)}).")


def _primed_if_few_new(config: DigestConfig) -> Extractor | None:
    """A process loading the models now, when a few article files are new or edited
    since the last build (by their stat, against what it recorded): the build would
    start one anyway, but only after reading the digest, a few tenths of a second later.
    More go to every core; none or a first build need none. Called before the build
    is imported, whose import (a tenth of a second) the models' process need not wait for."""
    from digest.sources import changed_articles
    from digest.staging import FINGERPRINT_FILE, read_state

    state = read_state(config.cache_dir / FINGERPRINT_FILE)
    changed = changed_articles(config.content_dir, state.articles) if state else 0
    return primed_extractor() if 0 < changed < PARALLEL_MIN_ARTICLES else None


def _counts(report: BuildReport) -> str:
    return (f"{report.extracted} extracted, {plural(report.pages_written, 'page')} updated"
            + (f", {plural(len(report.problems), 'problem')}" if report.problems else ""))


@cli.command()
@click.option("--content", type=click.Path(path_type=Path, file_okay=False),
              help="Folder of sources (default: content/).")
def check(content: Path | None) -> None:
    """Report every problem `build --strict` would stop on (sources, front matter,
    aliases, broken links), without writing the site; exit 1 when there are any."""
    from digest.build import check as run_check

    config = _config(Path.cwd(), content)
    try:
        report = run_check(config, progress=sys.stderr.isatty())
    except OSError as err:  # the cache could not be written
        raise click.ClickException(str(err)) from err
    for problem in report.problems:
        _report(problem)
    if report.problems:
        sys.exit(EXIT_PROBLEMS)
    click.echo(f"{plural(report.articles, 'article')}, no problems.")


def _add_files(files: list[str], config: DigestConfig, sources: KnownSources
               ) -> list[Outcome]:
    """Add the files; `sources` is given the digest's articles as read to find duplicates,
    for the build not to read them again."""
    from digest.curate import FileRefused, Outcome, add_articles, not_a_file
    from digest.duplicates import KnownArticles
    from digest.sources import read_sources

    missing = {f: reason for f in files if (reason := not_a_file(Path(f)))}
    if missing:
        return [Outcome(f, None, "error", reason) for f, reason in missing.items()] + [
            Outcome(f, None, "error", "not added: another input is missing")
            for f in files if f not in missing]
    read_sources(config.root, config.content_dir, sources)  # the build reports problems
    try:
        added = add_articles([Path(f) for f in files], config.content_dir,
                             KnownArticles.of(sources))
    except FileRefused as err:
        # The refused file's own line gives the reason; the path is already on it.
        return [Outcome(f, None, "error", err.reason if Path(f) == err.path
                        else "not added: another input was refused") for f in files]
    return [Outcome(str(item.source), item.target, item.status) for item in added]


@cli.command()
@click.argument("inputs", nargs=-1, required=True, metavar="FILE|URL...")
@click.option("--no-build", is_flag=True, help="Only add the articles; do not rebuild.")
@click.option("--json", "as_json", is_flag=True,
              help='One JSON object per input: {"input", "path", "status", "error"}.')
def add(inputs: tuple[str, ...], no_build: bool, as_json: bool) -> None:
    """Add articles to content/articles/, then rebuild.

    A .txt or .md file is copied under a stable name; it is refused (nothing
    copied) when the name is taken by a different article. A web page, by its
    URL (http:// or https://) or saved as .html/.htm or as one file (.mhtml,
    .mht, .webarchive), is taken in as a Markdown article: its text, headline,
    date, authors, publisher, link and language. A page that is not an article
    (an HTTP error, not HTML, too little text, a page of links) is refused with
    the reason. An article already in the digest (same file, same original URL
    or same text) is reported, not added.
    Exit status 1 when any input was refused.
    """
    # The new articles' extraction loads its models while Digest is imported, the
    # inputs are copied or fetched and the digest is read: most of the wait for one
    # added article. (A daemon: should this process stop on an error, so does it.)
    extractor = None if no_build else primed_extractor()
    from digest.fetch import is_web_input
    from digest.sources import shown_path

    config = _config(Path.cwd())
    web = [item for item in inputs if is_web_input(item)]
    files = [item for item in inputs if not is_web_input(item)]
    sources: KnownSources = {}
    outcomes = _add_files(files, config, sources) if files else []
    if web:
        # Imported only for them, as in serve: the web page readers take half a second.
        from digest.ingest import add_web

        outcomes += add_web(web, config.content_dir)
    order = {item: i for i, item in enumerate(inputs)}
    outcomes.sort(key=lambda o: order.get(o.input, len(order)))
    for item in outcomes:
        where = shown_path(item.path, config.root) if item.path else None
        if as_json:
            click.echo(json.dumps({"input": item.input, "path": where and where.as_posix(),
                                   "status": item.status, "error": item.error},
                                  ensure_ascii=False))
        elif item.status == "duplicate":
            click.secho(f"already in the digest: {item.input} = {where}", fg="yellow", err=True)
        elif item.status == "error":
            click.secho(f"not added: {item.input}: {item.error}", fg="red", err=True)
        else:
            click.echo(f"added {item.input} as {where}")
    if extractor and any(item.status == "added" for item in outcomes):
        # With --json, standard output holds only the JSON lines.
        with contextlib.redirect_stdout(sys.stderr if as_json else sys.stdout):
            _build(None, None, False, None, extractor, sources)
    elif extractor:
        extractor.cancel()
    if any(item.status == "error" for item in outcomes):
        sys.exit(EXIT_PROBLEMS)


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.option("--name", default="News Digest", show_default=True, help="The site's name.")
def new(directory: Path, name: str) -> None:
    """Start a new digest in DIRECTORY (new or empty): mkdocs.yml, content/, theme/,
    README and a GitHub Pages workflow (.github/workflows/pages.yml) that installs
    this version of Digest."""
    from digest.curate import CurateError, new_digest

    try:
        created = new_digest(directory, name)
    except (CurateError, OSError) as err:
        raise click.ClickException(str(err)) from err
    for path in created:
        click.echo(f"created {path}")
    click.echo(f"Next: add articles with `cd {directory} && digest add FILE…`.")


def _checked_address(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    _host, colon, port = value.rpartition(":")
    if not colon or not port.isdigit() or not 0 < int(port) < 65536:
        raise click.BadParameter(f"{value!r}: expected IP:PORT, like 127.0.0.1:8000")
    return value


@cli.command()
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True,
              metavar="IP:PORT", callback=_checked_address, help="Where to serve the preview.")
def serve(dev_addr: str) -> None:
    """Build the site and serve it, search included; rebuild when an article is added
    or edited, and reload the browser.

    The process keeps the spaCy model loaded and the search index built, so a
    new article is in the served site within seconds.
    """
    from digest.build import Session
    from digest.build import build as run_build

    config = _with_site_url(_config(Path.cwd()), None)
    session = Session()

    def rebuild() -> None:
        # mkdocs.yml is watched too: an edited site name reaches Digest's own pages and
        # feeds. The address is found as a build finds it (said once, above), so that
        # the served pages are the built ones.
        current = _with_site_url(_config(Path.cwd()), None, quiet=True)
        try:
            report = run_build(current, on_problem=_report, session=session)
        except (SiteError, OSError) as err:
            raise click.ClickException(str(err)) from err
        click.echo(f"Built {plural(report.articles, 'article')} ({_counts(report)}).", err=True)

    from digest.serve import serve as run_serve

    try:
        run_serve(config, rebuild, dev_addr, load_models)
    except OSError as err:  # the address is taken, or not this machine's
        raise click.ClickException(f"cannot serve on {dev_addr}: {err.strerror or err}") from err


def _read_requests(stream: IO[str]) -> list[dict[str, object]]:
    requests = []
    try:
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as err:
                raise click.ClickException(f"line {number}: not JSON ({err.msg})") from err
            if not isinstance(item, dict):
                raise click.ClickException(f"line {number}: expected a JSON object")
            requests.append(item)
    except UnicodeDecodeError as err:  # JSON lines are UTF-8
        name = getattr(stream, "name", "input")
        raise click.ClickException(f"{name}: not UTF-8 text ({err.reason})") from err
    return requests


@cli.command()
@click.argument("infile", type=click.File("r", encoding="utf-8"), default="-")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="Where to write predictions (default: standard output).")
def extract(infile: IO[str], output: IO[str]) -> None:
    """Extract metadata from JSON lines (batch mode, for evaluation).

    Reads {"id", "text", "title"?} per line from INFILE (standard input when
    omitted; other keys are ignored) and writes, in the same order,
    {"id", "title", "date", "people", "places", "organisations", "topics",
    "keywords", "summary"}. date is YYYY-MM-DD or null; topics are IPTC Media
    Topics labels, primary first.
    """
    from digest import taxonomy

    requests = _read_requests(infile)
    items = [(str(r.get("text") or ""), _optional_str(r.get("title"))) for r in requests]
    results = extract_all(items, progress=sys.stderr.isatty())
    for request, meta in zip(requests, results, strict=True):
        record = {
            "id": request.get("id"),
            "title": meta.title,
            "date": meta.date,
            "people": meta.people,
            "places": meta.places,
            "organisations": meta.organisations,
            "topics": [taxonomy.label(code) for code in meta.topics],
            "keywords": meta.keywords,
            "summary": meta.summary,
        }
        output.write(json.dumps(record, ensure_ascii=False) + "\n")


def _optional_str(value: object) -> str | None:
    return str(value) if isinstance(value, str) and value.strip() else None


def main() -> None:
    """The `digest` command: cli(), then an exit that leaves the freeing of memory to the
    operating system. A build holds hundreds of megabytes of small objects (pages,
    metadata, MkDocs' files) that Python would free one by one as it exits: a tenth of a
    second of every `digest add`, after the site is in place. Everything the command
    writes is closed by then (files are written in `with` blocks, workers and Pagefind are
    waited for); only the standard streams are left to flush."""
    try:
        cli()
    except SystemExit as stop:
        code = stop.code
    else:
        code = 0
    if not isinstance(code, int):  # sys.exit("message") prints it and exits with 1
        if code is not None:
            print(code, file=sys.stderr)
        code = 0 if code is None else 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError):  # a reader that went away (`digest … | head`)
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    main()
