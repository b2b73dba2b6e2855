"""Fetch a web page politely and defensively: timeout, size cap, few redirects, honest name."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from http.client import HTTPException
from pathlib import Path
from urllib.parse import urlsplit

from digest import __version__

TIMEOUT = 20.0  # seconds, per connection attempt and per read
MAX_BYTES = 5_000_000  # a news article page is well under this, with its markup
MAX_REDIRECTS = 5
USER_AGENT = f"Digest/{__version__} (news digest; fetches one page per article a curator adds)"
HTML_TYPES = ("text/html", "application/xhtml+xml")
# A browser saves a page as HTML, or as one file: MHTML (Chrome's "Webpage, Single File")
# or a Web Archive (Safari's default).
MHTML_SUFFIXES = (".mhtml", ".mht")
WEBARCHIVE_SUFFIX = ".webarchive"
WEB_SUFFIXES = (".html", ".htm", *MHTML_SUFFIXES, WEBARCHIVE_SUFFIX)


def is_url(text: str) -> bool:
    return bool(re.match(r"https?://", text, re.IGNORECASE))


def is_web_input(text: str) -> bool:
    """A web page by its URL or saved from the web (digest.ingest reads those)."""
    return is_url(text) or Path(text).suffix.lower() in WEB_SUFFIXES


class FetchError(ValueError):
    """The page could not be fetched as HTML; the message says why, in one line."""


@dataclass(frozen=True)
class Page:
    url: str  # after redirects
    html: bytes  # undecoded: the page's own charset declaration decides
    charset: str | None = None  # what a single-file save (MHTML, Web Archive) states


class _Redirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        if urlsplit(newurl).scheme not in ("http", "https"):
            raise FetchError(f"redirected to a non-web address: {newurl}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_Redirects)


def _read_capped(response, limit: int) -> bytes:  # type: ignore[no-untyped-def]
    data = response.read(limit + 1)
    if len(data) > limit:
        raise FetchError(f"page larger than {limit // 1_000_000} MB")
    return data


def _gunzip(data: bytes, limit: int) -> bytes:
    """Gzip-decoded bytes, refusing a page that inflates past the cap (a zip bomb)."""
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error as err:
        raise FetchError("broken gzip encoding") from err
    if len(out) > limit or inflater.unconsumed_tail:
        raise FetchError(f"page larger than {limit // 1_000_000} MB")
    return out


def fetch(url: str, timeout: float = TIMEOUT, limit: int = MAX_BYTES) -> Page:
    """The HTML of url; FetchError for anything that is not a page of HTML we can use."""
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
        raise FetchError("not an http(s) URL")
    request = urllib.request.Request(url, headers={
        "User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml",
        "Accept-Encoding": "gzip"})
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            kind = response.headers.get_content_type()
            if kind not in HTML_TYPES:
                raise FetchError(f"not an HTML page ({kind})")
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > limit:
                raise FetchError(f"page larger than {limit // 1_000_000} MB")
            data = _read_capped(response, limit)
            if response.headers.get("Content-Encoding", "").lower() == "gzip":
                data = _gunzip(data, limit)
            final = response.geturl()
    except urllib.error.HTTPError as err:
        if 300 <= err.code < 400:
            raise FetchError(f"too many redirects (more than {MAX_REDIRECTS})") from err
        raise FetchError(f"HTTP {err.code} {err.reason}") from err
    except urllib.error.URLError as err:
        # "Connection refused", not "[Errno 111] Connection refused".
        why = getattr(err.reason, "strerror", None) or err.reason
        raise FetchError(f"cannot connect to {urlsplit(url).hostname}: {why}") from err
    except TimeoutError as err:
        raise FetchError(f"no answer within {timeout:g} s") from err
    except (HTTPException, OSError) as err:
        raise FetchError(f"connection failed: {err}") from err
    return Page(url=final, html=data)
