"""Feeds a reader can subscribe to, checked with a real feed parser."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest

pytestmark = pytest.mark.model


@pytest.mark.parametrize("name", ["all.atom", "all.rss"])
def test_digest_feed_parses_and_lists_articles_newest_first(built_digest: Path, name: str) -> None:
    feed = feedparser.parse(built_digest / "site" / "feeds" / name)
    assert not feed.bozo, feed.get("bozo_exception")
    titles = [entry.title for entry in feed.entries]
    assert "Grain talks resume in Geneva" in titles and len(titles) == 3
    dates = [entry.published_parsed for entry in feed.entries]
    assert dates == sorted(dates, reverse=True)


def test_json_feed_and_topic_feeds(built_digest: Path) -> None:
    feeds = built_digest / "site" / "feeds"
    data = json.loads((feeds / "all.json").read_text("utf-8"))
    assert data["version"] == "https://jsonfeed.org/version/1.1" and len(data["items"]) == 3
    war = feedparser.parse(feeds / "conflict-war-and-peace.atom")
    assert not war.bozo
    assert all("conflict, war and peace" in [t.term for t in e.tags] for e in war.entries)


def test_home_links_to_the_feeds(built_digest: Path) -> None:
    html = (built_digest / "site" / "index.html").read_text("utf-8")
    assert 'href="feeds/all.atom"' in html and 'href="feeds/all.json"' in html
