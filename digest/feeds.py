"""Atom, RSS and JSON Feed for a list of articles (pure: text out).

Every feed validates with the W3C Feed Validation Service's code, with or
without a site URL: links are absolute when the site URL is known (relative to
the feed otherwise, where the format allows), ids are the article's address or
else a stable `tag:` URI, summaries are plain text and declared as such, and
entry times are deterministic and distinct within a day.

`Feeds(site, articles).files(path, title, items)` makes the three formats of
one feed; `digest_feeds` uses it for the whole digest and for each topic.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from feedgen.ext.base import BaseEntryExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

from digest import taxonomy
from digest.memo import key_of
from digest.model import Article
from digest.slugs import slug_for

FEED_SIZE = 50  # newest articles per feed
FEEDS_DIR = "feeds"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
# Without a site URL there is no address to identify entries by. RFC 4151 tag
# URIs stand in; the reserved .invalid domain (RFC 2606) belongs to no one, so
# they can never clash with anybody's real tags.
TAG_AUTHORITY = "digest.invalid,2026"
# An article has a date but no time. Noon UTC keeps the same calendar day from
# UTC-11 to UTC+11, and a per-article offset within the following hour keeps
# articles of one day from sharing a timestamp.
_DAY_TIME = dt.time(12, tzinfo=dt.UTC)
_SPREAD_SECONDS = 3600
_NO_DATE = dt.date(1970, 1, 1)


@dataclass(frozen=True)
class FeedSite:
    """What every feed of a digest shares."""

    name: str
    url: str | None  # absolute, ending in "/"; None when unknown
    author: str  # mkdocs.yml's site_author, else the site name: every Atom feed needs one
    language: str = "en"


def entry_times(articles: Sequence[Article]) -> dict[str, dt.datetime]:
    """A timestamp per article slug: its date at noon UTC plus an offset of its own.

    The offset comes from the source's path, so it does not move when other
    articles come and go; two articles of one day that would share a second
    are set one second apart.
    """
    by_day: dict[dt.date, list[tuple[int, str, str]]] = defaultdict(list)
    for article in articles:
        path = article.source.path.as_posix()
        offset = int.from_bytes(hashlib.sha256(path.encode()).digest()[:8]) % _SPREAD_SECONDS
        day = dt.date.fromisoformat(article.meta.date) if article.meta.date else _NO_DATE
        by_day[day].append((offset, path, article.slug))
    times = {}
    for day, items in by_day.items():
        noon = dt.datetime.combine(day, _DAY_TIME)
        last = -1
        for offset, _, slug in sorted(items):
            last = max(offset, last + 1)
            times[slug] = noon + dt.timedelta(seconds=last)
    return times


@dataclass(frozen=True)
class _Entry:
    id: str
    page: str  # the article's page in the digest
    original: str | None  # the article's source on the web
    title: str
    summary: str
    authors: list[str]
    tags: list[str]
    time: dt.datetime


@dataclass(frozen=True)
class _Feed:
    id: str
    title: str
    home: str
    home_id: str  # the site's address, or its tag id
    self_url: str | None  # absolute, or None without a site URL; per format: + extension
    entries: list[_Entry]
    updated: dt.datetime


class Feeds:
    """The feeds of one digest: an article has the same id and time in every feed."""

    def __init__(self, site: FeedSite, articles: Sequence[Article]) -> None:
        self.site = site
        self._times = entry_times(articles)
        # Each article's place in the feeds, newest first: sorted once here, not again
        # for each of thousands of dossier feeds.
        by_time = sorted(self._times, key=lambda slug: (self._times[slug], slug), reverse=True)
        self._rank = {slug: i for i, slug in enumerate(by_time)}
        self.site_key = key_of(site)  # for keys of feeds, as entry_key
        self._entry_keys: dict[str, str] = {}

    def files(self, path: str, title: str, articles: Sequence[Article]
              ) -> tuple[str, Callable[[], dict[str, str]]]:
        """One feed of the newest FEED_SIZE articles in three formats: the key of what
        it is made from, and a function making {path.atom, path.rss, path.json: text}.

        `path` is where the feed goes under docs_dir, without extension
        (e.g. "feeds/all"); `articles` must be articles of this digest.
        """
        newest = self._newest(articles)

        def make() -> dict[str, str]:
            feed = self._feed(path, title, newest)
            return {
                f"{path}.atom": _atom(feed, self.site),
                f"{path}.rss": _rss(feed, self.site),
                f"{path}.json": _json(feed, self.site),
            }

        return self._key("files", path, title, newest), make

    def atom(self, path: str, title: str, articles: Sequence[Article]) -> str:
        """The Atom feed alone, for `path`.atom (a dossier's feed), as `files` makes it.

        Its caller keys it with the rest of the dossier: by the path, the title,
        site_key and the entry_key of each article.
        """
        return _atom(self._feed(path, title, self._newest(articles)), self.site)

    def _key(self, kind: str, path: str, title: str, newest: Sequence[Article]) -> str:
        return key_of((kind, path, title, self.site_key, [self.entry_key(a) for a in newest]))

    def _newest(self, articles: Sequence[Article]) -> list[Article]:
        """The articles a feed shows, newest first."""
        return sorted(articles, key=lambda a: self._rank[a.slug])[:FEED_SIZE]

    def entry_key(self, article: Article) -> str:
        """A digest of everything of an article that its entry in a feed shows: its
        slug, time and metadata, so also all that a list of articles shows of it.

        Made once per build: the keys of the pages and feeds that show an article
        (a dozen each) hold it instead of the article's fields. Making the feeds of
        thousands of dossiers just to key them cost most of a serve rebuild's second.
        """
        key = self._entry_keys.get(article.slug)
        if key is None:
            key = key_of((article.slug, self._times[article.slug], article.meta))
            self._entry_keys[article.slug] = key
        return key

    def _link(self, path: str, target: str) -> str:
        """target (relative to the site root) as seen from the feed at path."""
        return (self.site.url or "../" * path.count("/")) + target

    def _id(self, target: str) -> str:
        if self.site.url:
            return self.site.url + target
        return f"tag:{TAG_AUTHORITY}:{slug_for(self.site.name)}/{target}"

    def _feed(self, path: str, title: str, articles: Sequence[Article]) -> _Feed:
        entries = [
            _Entry(
                id=self._id(f"articles/{a.slug}/"),
                page=self._link(path, f"articles/{a.slug}/"),
                original=a.meta.source_url or None,
                title=a.meta.title,
                summary=a.meta.summary or a.meta.title,
                authors=list(a.meta.authors),
                tags=[taxonomy.label(code) for code in a.meta.topics],
                time=self._times[a.slug],
            )
            for a in self._newest(articles)
        ]
        return _Feed(
            id=self._id(f"{path}.atom"),
            title=title,
            home=self._link(path, ""),
            home_id=self._id(""),
            self_url=self.site.url + path if self.site.url else None,
            entries=entries,
            # Not the build time: the same articles give the same feed.
            updated=entries[0].time if entries else dt.datetime.combine(_NO_DATE, _DAY_TIME),
        )


class _PageLink(BaseEntryExtension):
    """An entry's `related` link to its page here (feedgen 1.0.0 drops `rel` from entry links)."""

    href: str | None = None

    def extend_atom(self, entry: Any) -> Any:
        if self.href:
            xml_elem("link", entry, href=self.href, rel="related")
        return entry


def _generator(feed: _Feed, site: FeedSite) -> FeedGenerator:
    fg = FeedGenerator()
    fg.title(feed.title)
    fg.description(feed.title)
    fg.language(site.language)
    fg.generator("Digest")
    fg.updated(feed.updated)
    return fg


def _atom(feed: _Feed, site: FeedSite) -> str:
    fg = _generator(feed, site)
    fg.id(feed.id)
    fg.author(name=site.author)  # RFC 4287: the feed's author stands for entries without one
    fg.link(href=feed.home, rel="alternate")
    if feed.self_url:
        fg.link(href=f"{feed.self_url}.atom", rel="self")
    for item in reversed(feed.entries):  # feedgen prepends: add oldest first
        entry = fg.add_entry()
        entry.id(item.id)
        entry.title(item.title)
        # As link blogs do: the entry points to the original, and to its page here.
        entry.link(href=item.original or item.page, rel="alternate")
        if item.original:
            entry.register_extension("page", _PageLink, atom=True, rss=False)
            entry.page.href = item.page
        entry.published(item.time)
        entry.updated(item.time)
        entry.summary(item.summary, type="text")
        for name in item.authors:
            entry.author(name=name)
        for tag in item.tags:
            entry.category(term=tag)
    return fg.atom_str(pretty=True).decode("utf-8")


def _rss(feed: _Feed, site: FeedSite) -> str:
    fg = _generator(feed, site)
    fg.load_extension("dc", atom=False, rss=True)
    if feed.self_url:
        fg.link(href=f"{feed.self_url}.rss", rel="self")
    # Last, as feedgen takes the last link for RSS's own. RSS requires an
    # absolute one: without a site URL, the site's tag id.
    fg.link(href=feed.home_id, rel="alternate")
    for item in reversed(feed.entries):
        entry = fg.add_entry()
        entry.title(item.title)
        entry.guid(item.id, permalink=bool(site.url))
        link = item.original or (item.page if site.url else None)
        if link:
            entry.link(href=link)
        entry.pubDate(item.time)
        # RSS descriptions are HTML: escaped, the plain-text summary reads as written.
        entry.description(html.escape(item.summary, quote=False))
        for name in item.authors:
            entry.dc.dc_creator(name)
        for tag in item.tags:
            entry.category(term=tag)
    return fg.rss_str(pretty=True).decode("utf-8")


def _json(feed: _Feed, site: FeedSite) -> str:
    items = []
    for item in feed.entries:
        entry: dict[str, object] = {"id": item.id, "url": item.page}
        if item.original:
            entry["external_url"] = item.original
        entry.update({
            "title": item.title,
            "content_text": item.summary,
            "summary": item.summary,
            "date_published": item.time.isoformat(),
        })
        if item.authors:
            entry["authors"] = [{"name": name} for name in item.authors]
        entry["tags"] = item.tags
        items.append(entry)
    data: dict[str, object] = {"version": JSON_FEED_VERSION, "title": feed.title,
                               "home_page_url": feed.home}
    if feed.self_url:
        data["feed_url"] = f"{feed.self_url}.json"
    data.update({"language": site.language, "authors": [{"name": site.author}], "items": items})
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def digest_feeds(
    feeds: Feeds, articles: Sequence[Article], topics: dict[str, tuple[str, list[Article]]]
) -> list[tuple[str, Callable[[], dict[str, str]]]]:
    """feeds/all.{atom,rss,json} and feeds/<topic>.{…}, as Feeds.files gives them;
    `topics` maps a topic's slug to (label, its articles)."""
    return [feeds.files(f"{FEEDS_DIR}/all", feeds.site.name, articles)] + [
        feeds.files(f"{FEEDS_DIR}/{slug}", f"{feeds.site.name}: {label}", items)
        for slug, (label, items) in topics.items()
    ]
