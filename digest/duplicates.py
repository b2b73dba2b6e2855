"""What is already in a digest, for `digest add`: its articles by original URL and by text."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from digest.sources import KnownSources, SourceError, find_articles, read_front_matter


def _fingerprint(text: str) -> str | None:
    """The words of a text, whatever its markup or spacing: the same article stored twice
    matches. None for a text without words, which matches nothing."""
    words = re.findall(r"\w+", text.casefold())
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest() if words else None


def _url_key(url: object) -> str | None:
    if not isinstance(url, str) or not url:
        return None
    return url.split("#")[0].rstrip("/").casefold().replace("http://", "https://", 1)


@dataclass
class KnownArticles:
    """The articles of content/articles/, found again by original URL or by text."""

    urls: dict[str, Path] = field(default_factory=dict)
    texts: dict[str, Path] = field(default_factory=dict)

    @classmethod
    def read(cls, content_dir: Path) -> KnownArticles:
        known = cls()
        paths, _ = find_articles(content_dir)  # `digest check` reports unlisted folders
        for path in paths:
            try:
                body, front, _ = read_front_matter(path)
            except (SourceError, OSError):
                continue  # `digest check` reports it; it cannot be a duplicate here
            known.add(path, body, front.get("source_url"))
        return known

    @classmethod
    def of(cls, sources: KnownSources) -> KnownArticles:
        """The articles read_sources read (a build reads them again only if changed)."""
        known = cls()
        for path, (_, source) in sources.items():
            known.add(path, source.text, source.front_matter.get("source_url"))
        return known

    def find(self, body: str, source_url: object = None) -> Path | None:
        """The article with this original URL, else with this text, or None."""
        url, text = _url_key(source_url), _fingerprint(body)
        if url and url in self.urls:
            return self.urls[url]
        return self.texts.get(text) if text else None

    def add(self, path: Path, body: str, source_url: object = None) -> None:
        if url := _url_key(source_url):
            self.urls[url] = path
        if text := _fingerprint(body):
            self.texts[text] = path
