"""Take articles in from the web: a URL or a saved page becomes a Markdown article in
content/articles/, with the page's metadata as front matter. Written once; from then
on the file is the curator's.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import hashlib
import plistlib
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import yaml
from slugify import slugify

from digest.curate import Outcome, not_a_file
from digest.duplicates import KnownArticles
from digest.fetch import (
    HTML_TYPES,
    MHTML_SUFFIXES,
    WEBARCHIVE_SUFFIX,
    FetchError,
    Page,
    fetch,
    is_url,
)
from digest.parallel import map_shared, worker_count
from digest.sources import ARTICLES_DIR, SourceError, decode
from digest.webpage import PageRefused, WebArticle, extract_article

SAVED_PAGE_LIMIT = 50_000_000  # a saved page bigger than this is not an article
PARALLEL_MIN_PAGES = 8  # below this, forking costs more than it saves


def article_file(article: WebArticle) -> str:
    """Markdown with YAML front matter: the page's metadata, then its text."""
    front: dict[str, object] = {"title": article.title}
    if article.date:
        front["date"] = dt.date.fromisoformat(article.date)
        front["date_source"] = article.date_source
    if article.authors:
        front["authors"] = article.authors
    for key in ("publisher", "source_url", "language"):
        value = getattr(article, key)
        if value:
            front[key] = value
    dumped = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{dumped}---\n\n{article.body}\n"


def _target(folder: Path, article: WebArticle, text: str) -> Path:
    stem = slugify(article.title, max_length=80, word_boundary=True) or "article"
    if article.date:
        stem = f"{article.date}-{stem}"
    target = folder / f"{stem}.md"
    if target.exists() and target.read_text("utf-8") != text:
        # Another article with the same headline on the same day: the URL tells them apart.
        tag = hashlib.sha256((article.source_url or text).encode()).hexdigest()[:8]
        target = folder / f"{stem}-{tag}.md"
    return target


def _read_saved(path: Path) -> Page:
    if reason := not_a_file(path):
        raise FetchError(reason)
    if path.stat().st_size > SAVED_PAGE_LIMIT:
        raise FetchError(f"page larger than {SAVED_PAGE_LIMIT // 1_000_000} MB")
    data = path.read_bytes()
    if path.suffix.lower() in MHTML_SUFFIXES:
        return _mhtml_page(data)
    if path.suffix.lower() == WEBARCHIVE_SUFFIX:
        return _webarchive_page(data)
    saved_from = _SAVED_FROM.search(data[:4096])
    return Page(url=saved_from.group(1).decode("ascii") if saved_from else "", html=data)


# The "mark of the web" a browser writes at the top of a page it saves (Chrome's
# "Webpage, Complete" and "HTML Only"): where the page came from.
_SAVED_FROM = re.compile(rb"<!-- saved from url=\(\d{4}\)(https?://[\x21-\x7e]+?) -->")


def _mhtml_page(data: bytes) -> Page:
    """The HTML document of an MHTML archive (RFC 2557, a MIME multipart message), with
    the address it was saved from: the page's own URL, as if it had been fetched."""
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() in HTML_TYPES:
            html = part.get_payload(decode=True)
            if isinstance(html, bytes):
                url = message["Snapshot-Content-Location"] or part["Content-Location"]
                return Page(url=_address(url), html=html, charset=part.get_content_charset())
    raise FetchError("an MHTML file with no HTML page in it")


def _webarchive_page(data: bytes) -> Page:
    """The page of a Safari Web Archive (a property list: the main resource's bytes,
    address and text encoding, then the images and styles it needs)."""
    try:
        main = plistlib.loads(data)["WebMainResource"]
        html = main["WebResourceData"]
    except (plistlib.InvalidFileException, ValueError, KeyError, TypeError) as err:
        raise FetchError("not a Web Archive with a page in it") from err
    if not isinstance(html, bytes):
        raise FetchError("not a Web Archive with a page in it")
    charset = main.get("WebResourceTextEncodingName")
    return Page(url=_address(main.get("WebResourceURL")), html=html,
                charset=charset if isinstance(charset, str) else None)


def _address(url: object) -> str:
    """The web address a single-file save records, or "" (none, or a file:// one)."""
    return url if isinstance(url, str) and is_url(url) else ""


_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def _html(page: Page) -> str:
    """The page as text: in the charset its archive states for it, else the one it
    declares (also only in a <meta> tag), else by Digest's own rules (UTF-8, else
    Windows-1252)."""
    declared = _DECLARED.search(page.html[:100_000])
    for charset in (page.charset, declared and declared.group(1).decode("ascii")):
        if charset:
            try:
                return page.html.decode(charset, errors="replace")
            except LookupError:
                pass  # an unknown charset name: guess as for an undeclared one
    return decode(page.html)


def _take_in(item: str, fetcher: Callable[[str], Page]) -> WebArticle | str:
    """The article of one page, or the one-line reason it was refused."""
    try:
        page = fetcher(item) if is_url(item) else _read_saved(Path(item))
        return extract_article(_html(page), page.url or None)
    except (FetchError, PageRefused, SourceError) as err:
        return str(err)
    except OSError as err:  # a saved page that cannot be read
        return f"cannot be read: {err.strerror}"


def add_web(
    inputs: list[str], content_dir: Path, fetcher: Callable[[str], Page] = fetch
) -> list[Outcome]:
    """Fetch (or read) each page, keep its article, and write it as Markdown.

    Each input gets an outcome; a refused page writes nothing. Pages are taken in
    on every CPU core; duplicates are found and files written in input order.
    """
    if not inputs:
        return []  # not even the digest's articles to read

    def work(share: Sequence[str]) -> list[WebArticle | str]:
        return [_take_in(item, fetcher) for item in share]

    taken = map_shared(work, inputs, worker_count(len(inputs), PARALLEL_MIN_PAGES))
    folder = content_dir / ARTICLES_DIR
    known = KnownArticles.read(content_dir)
    outcomes = []
    for item, article in zip(inputs, taken, strict=True):
        if isinstance(article, str):
            outcomes.append(Outcome(item, None, "error", article))
            continue
        same = known.find(article.body, article.source_url)
        if same is not None:
            outcomes.append(Outcome(item, same, "duplicate"))
            continue
        text = article_file(article)
        target = _target(folder, article, text)
        folder.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
        known.add(target, article.body, article.source_url)
        outcomes.append(Outcome(item, target, "added"))
    return outcomes
