"""Atom, RSS and JSON Feed for the whole digest and for each topic (pure: text out)."""

from __future__ import annotations

import datetime as dt
import json

from feedgen.feed import FeedGenerator

from digest import taxonomy
from digest.model import Article

FEED_SIZE = 50  # newest articles per feed
FEEDS_DIR = "feeds"


def _when(date: str | None) -> dt.datetime:
    day = dt.date.fromisoformat(date) if date else dt.date(1970, 1, 1)
    return dt.datetime.combine(day, dt.time(), dt.UTC)


def article_url(base: str, article: Article) -> str:
    return f"{base}articles/{article.slug}/"


def _id(base: str, path: str) -> str:
    # Atom ids must be absolute IRIs; without a site_url, a stable URN stands in.
    return base + path if base.startswith("http") else f"urn:digest:{path.strip('/')}"


def _generator(title: str, base: str, feed_path: str, articles: list[Article]) -> FeedGenerator:
    fg = FeedGenerator()
    fg.id(_id(base, feed_path))
    fg.title(title)
    fg.link(href=base, rel="alternate")
    fg.link(href=base + feed_path, rel="self")
    fg.description(title)
    fg.language("en")
    fg.generator("Digest")
    newest = _when(articles[0].meta.date if articles else None)
    fg.updated(newest)
    fg.lastBuildDate(newest)  # not the build time: same content, same feed
    for article in reversed(articles):  # feedgen prepends: add oldest first
        meta = article.meta
        entry = fg.add_entry()
        url = article_url(base, article)
        entry.id(_id(base, f"articles/{article.slug}/"))
        entry.guid(url, permalink=url.startswith("http"))
        entry.title(meta.title)
        entry.link(href=url)
        entry.published(_when(meta.date))
        entry.updated(_when(meta.date))
        entry.summary(meta.summary or meta.title)
        for code in meta.topics:
            entry.category(term=taxonomy.label(code))
    return fg


def _json_feed(title: str, base: str, feed_path: str, articles: list[Article]) -> str:
    items = [
        {
            "id": article_url(base, a),
            "url": article_url(base, a),
            "title": a.meta.title,
            "summary": a.meta.summary,
            "content_text": a.meta.summary or a.meta.title,
            "date_published": _when(a.meta.date).isoformat(),
            "tags": [taxonomy.label(c) for c in a.meta.topics],
        }
        for a in articles
    ]
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": base,
        "feed_url": base + feed_path,
        "language": "en",
        "items": items,
    }
    return json.dumps(feed, ensure_ascii=False, indent=1) + "\n"


def atom_feed(title: str, path: str, articles: list[Article], site_url: str | None) -> str:
    """One Atom feed of the newest articles, to be written at `path` under docs_dir."""
    base = (site_url.rstrip("/") + "/") if site_url else "../" * path.count("/")
    latest = articles[:FEED_SIZE]
    return _generator(title, base, path, latest).atom_str(pretty=True).decode("utf-8")


def feed_files(
    articles: list[Article], topics: dict[str, tuple[str, list[Article]]], site_name: str,
    site_url: str | None,
) -> dict[str, str]:
    """{path under docs_dir: text}: feeds/all.{atom,rss,json} and feeds/<topic>.{…}.

    `topics` maps a topic's slug to (label, its articles newest first). Links are
    absolute when site_url is set, as feed readers expect; relative to the site
    root otherwise.
    """
    base = (site_url.rstrip("/") + "/") if site_url else "../"
    files: dict[str, str] = {}
    streams = {"all": (site_name, articles)}
    streams.update({slug: (f"{site_name}: {label}", items)
                    for slug, (label, items) in topics.items()})
    for name, (title, items) in streams.items():
        latest = items[:FEED_SIZE]
        path = f"{FEEDS_DIR}/{name}"
        fg = _generator(title, base, f"{path}.atom", latest)
        files[f"{path}.atom"] = fg.atom_str(pretty=True).decode("utf-8")
        fg.link(href=base + f"{path}.rss", rel="self", replace=True)
        files[f"{path}.rss"] = fg.rss_str(pretty=True).decode("utf-8")
        files[f"{path}.json"] = _json_feed(title, base, f"{path}.json", latest)
    return files
