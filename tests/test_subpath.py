"""A digest published under a sub-path (user.github.io/repo/) resolves every link there."""

from __future__ import annotations

import functools
import http.server
import threading
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin

import pytest

from tests.conftest import make_digest
from tests.site_fixture import SECOND, _QuietHandler, build_digest

pytestmark = pytest.mark.model


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value and not (tag == "link" and
                                                          ("rel", "canonical") in attrs):
                self.links.append(value)


def _crawl(start: str) -> tuple[set[str], list[str]]:
    """Every internal URL reachable from start, and the ones that fail."""
    seen, broken, queue = set(), [], [start]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                body = response.read()
                kind = response.headers.get_content_type()
        except urllib.error.HTTPError:
            broken.append(url)
            continue
        if kind == "text/html":
            parser = _Links()
            parser.feed(body.decode("utf-8"))
            for link in parser.links:
                target = urldefrag(urljoin(url, link)).url
                if target.startswith(start):
                    queue.append(target)
                elif target.startswith(start.split("/news/")[0]):
                    broken.append(f"{target} (outside the sub-path, from {url})")
    return seen, broken


def test_site_under_a_sub_path_has_no_broken_internal_link(tmp_path: Path, seed_text: str) -> None:
    root = make_digest(tmp_path / "d", {"seed.txt": seed_text, "grain.md": SECOND})
    with (root / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("\nsite_url: https://example.org/news/\n")
    published = tmp_path / "pages"
    assert build_digest(root, "--site", str(published / "news")).returncode == 0
    html = (published / "news" / "index.html").read_text("utf-8")
    assert '<link rel="canonical" href="https://example.org/news/">' in html
    handler = functools.partial(_QuietHandler, directory=str(published))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        seen, broken = _crawl(f"http://127.0.0.1:{server.server_address[1]}/news/")
    finally:
        server.shutdown()
    assert broken == []
    assert len(seen) > 20  # the crawl really walked the site
