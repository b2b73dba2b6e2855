"""Feeds a reader can subscribe to: the W3C validator, feedparser and the JSON Feed spec agree."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import feedparser
import pytest
import yaml

from digest.feeds import FEED_SIZE, Feeds, FeedSite, entry_times
from digest.memo import TextMemo
from digest.merge import merge
from digest.model import Article, Metadata, Source
from digest.pages import Made, make_articles, render_pages
from tests.feedcheck import bozo_feeds, json_feed_problems, validator_errors, xml_feeds

SITE_URL = "https://town.github.io/news/"
# RFC 4151, as the W3C validator checks it.
TAG_URI = re.compile(r"^tag:([a-z0-9\-._]+?@)?[a-z0-9.\-]+?,\d{4}(-\d{2}(-\d{2})?)?:\S*$")


def _articles(*specs: tuple[str, str, dict[str, Any]]) -> list[Article]:
    """Articles from (file name, date, front matter)."""
    items = []
    for name, date, front in specs:
        extracted = Metadata(title=f"Story {Path(name).stem}", date=date,
                             summary=f"What {name} says.", topics=["medtop:04000000"])
        source = Source(path=Path("content/articles") / name, text="Body.",
                        front_matter=front, sha256=name, fmt="markdown")
        # Through merge, as in a build: the byline and the original come from the front matter.
        meta, _ = merge(source, extracted)
        items.append((source, meta))
    return make_articles(items)


def _write(folder: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text, "utf-8")
    return folder / "feeds"


def _feeds(articles: list[Article], url: str | None, author: str = "Town Desk") -> dict[str, str]:
    _, make = Feeds(FeedSite("Town News", url, author), articles).files(
        "feeds/all", "Town News", articles)
    return make()


BYLINED = _articles(
    ("a.md", "2024-03-01", {"authors": ["Jane Roe", "Sam Poe"],
                            "source_url": "https://paper.example/story-a"}),
    ("b.md", "2024-03-01", {}),
    ("c.md", "2024-02-27", {"authors": "Ann Lee", "source_url": "not a url"}),
)


@pytest.mark.parametrize("url", [SITE_URL, None])
def test_feeds_pass_the_w3c_validator_feedparser_and_the_json_feed_spec(
        tmp_path: Path, url: str | None) -> None:
    feeds = _write(tmp_path, _feeds(BYLINED, url))
    count, errors = validator_errors(tmp_path, url or "https://example.org/")
    assert count == 2 and errors == ""
    assert bozo_feeds(feeds) == []
    data = json.loads((feeds / "all.json").read_text("utf-8"))
    assert json_feed_problems(data, absolute=url is not None) == []


def test_json_feed_check_catches_what_the_spec_forbids() -> None:
    good = json.loads(_feeds(BYLINED, SITE_URL)["feeds/all.json"])
    assert json_feed_problems(good, absolute=True) == []
    relative = json.loads(_feeds(BYLINED, None)["feeds/all.json"])
    assert json_feed_problems(relative, absolute=True)  # relative links fail the absolute check
    for broken in ({**good, "items": [{"url": "x"}]}, {**good, "title": 3},
                   {**good, "authors": [{}]}):
        assert json_feed_problems(broken, absolute=True)


def test_with_a_site_url_every_link_and_id_is_absolute() -> None:
    files = _feeds(BYLINED, SITE_URL)
    atom = feedparser.parse(files["feeds/all.atom"])
    assert atom.feed.id == SITE_URL + "feeds/all.atom"
    assert {link.href for link in atom.feed.links} == {SITE_URL, SITE_URL + "feeds/all.atom"}
    for entry in atom.entries:
        assert entry.id.startswith(SITE_URL + "articles/")
        assert all(link.href.startswith("https://") for link in entry.links)
    rss = feedparser.parse(files["feeds/all.rss"])
    assert rss.feed.link == SITE_URL
    assert all(e.link.startswith("https://") and e.id.startswith(SITE_URL) for e in rss.entries)
    data = json.loads(files["feeds/all.json"])
    assert data["feed_url"] == SITE_URL + "feeds/all.json"
    assert all(item["url"].startswith(SITE_URL) for item in data["items"])


def test_without_a_site_url_ids_are_tag_uris_and_links_resolve_from_the_feed() -> None:
    files = _feeds(BYLINED, None)
    atom = feedparser.parse(files["feeds/all.atom"])
    feed_at = "https://anywhere.example/news/feeds/all.atom"
    assert TAG_URI.match(atom.feed.id)
    for entry in atom.entries:
        assert TAG_URI.match(entry.id)
    pages = {urljoin(feed_at, link.href) for e in atom.entries for link in e.links}
    assert "https://anywhere.example/news/articles/story-b/" in pages
    rss = feedparser.parse(files["feeds/all.rss"])
    assert all(TAG_URI.match(e.id) for e in rss.entries)
    # An id does not change from one build to the next.
    assert _feeds(BYLINED, None) == files


def test_authors_come_from_the_byline_else_the_digest() -> None:
    files = _feeds(BYLINED, SITE_URL)
    atom = feedparser.parse(files["feeds/all.atom"])
    assert atom.feed.author == "Town Desk"
    bylines = {e.title: [a.name for a in e.get("authors", [])] for e in atom.entries}
    assert bylines["Story a"] == ["Jane Roe", "Sam Poe"]
    assert bylines["Story c"] == ["Ann Lee"]
    rss = feedparser.parse(files["feeds/all.rss"])
    assert {e.title: e.get("author") for e in rss.entries}["Story c"] == "Ann Lee"
    data = json.loads(files["feeds/all.json"])
    assert data["authors"] == [{"name": "Town Desk"}]
    by_title = {item["title"]: item for item in data["items"]}
    assert by_title["Story a"]["authors"] == [{"name": "Jane Roe"}, {"name": "Sam Poe"}]
    assert "authors" not in by_title["Story b"]


def test_entries_link_to_the_original_and_to_their_page_here() -> None:
    files = _feeds(BYLINED, SITE_URL)
    atom = {e.title: e for e in feedparser.parse(files["feeds/all.atom"]).entries}
    links = {link.rel: link.href for link in atom["Story a"].links}
    assert links == {"alternate": "https://paper.example/story-a",
                     "related": SITE_URL + "articles/story-a/"}
    assert atom["Story c"].link == SITE_URL + "articles/story-c/"  # its source_url is unusable
    rss = {e.title: e for e in feedparser.parse(files["feeds/all.rss"]).entries}
    assert rss["Story a"].link == "https://paper.example/story-a"
    assert rss["Story a"].id == SITE_URL + "articles/story-a/"
    items = {i["title"]: i for i in json.loads(files["feeds/all.json"])["items"]}
    assert items["Story a"]["external_url"] == "https://paper.example/story-a"
    assert items["Story a"]["url"] == SITE_URL + "articles/story-a/"


def test_summaries_are_plain_text_that_reads_as_written() -> None:
    text = 'AT&T said profits < costs; see <IBM> and "&amp;" as written.'
    [source], [meta] = zip(*[(a.source, a.meta) for a in _articles(("x.md", "2024-01-01", {}))],
                           strict=True)
    articles = make_articles([(source, Metadata(**{**meta.__dict__, "summary": text}))])
    files = _feeds(articles, SITE_URL)
    assert '<summary type="text">' in files["feeds/all.atom"]  # declared, not left to defaults
    atom = feedparser.parse(files["feeds/all.atom"]).entries[0]
    assert atom.summary_detail.type == "text/plain" and atom.summary == text
    rss = feedparser.parse(files["feeds/all.rss"]).entries[0]
    assert html.unescape(rss.summary) == text  # RSS descriptions are HTML: escaped text
    assert json.loads(files["feeds/all.json"])["items"][0]["content_text"] == text


def test_entries_of_one_day_have_distinct_times_that_stay_put() -> None:
    day = [(f"{n}.md", "2024-05-06", {}) for n in "abcdefgh"]
    first = feedparser.parse(_feeds(_articles(*day), SITE_URL)["feeds/all.atom"])
    times = [e.updated for e in first.entries]
    assert len(set(times)) == len(times)
    assert all(t.startswith("2024-05-06T12:") for t in times)  # noon UTC: the same day worldwide
    assert times == sorted(times, reverse=True)  # newest first
    assert first.feed.updated == times[0]  # the newest entry's, never the build time
    more = _articles(*day, ("i.md", "2024-05-06", {}), ("j.md", "2024-05-07", {}))
    again = feedparser.parse(_feeds(more, SITE_URL)["feeds/all.atom"])
    before = {e.id: e.updated for e in first.entries}
    assert {e.id: e.updated for e in again.entries if e.id in before} == before


def test_a_busy_day_still_has_no_shared_timestamp() -> None:
    # 300 articles in one hour of offsets: some would share a second by chance.
    times = entry_times(_articles(*[(f"{n}.md", "2024-05-06", {}) for n in range(300)]))
    assert len(set(times.values())) == 300


def test_a_feed_holds_the_newest_articles_only() -> None:
    many = _articles(*[(f"{n:03}.md", f"2024-01-{n % 28 + 1:02}", {})
                       for n in range(FEED_SIZE + 5)])
    data = json.loads(_feeds(many, SITE_URL)["feeds/all.json"])
    dates = [item["date_published"] for item in data["items"]]
    assert len(dates) == FEED_SIZE and dates == sorted(dates, reverse=True)
    assert dates[-1] >= "2024-01-02"  # the oldest days fell off


@pytest.mark.model
@pytest.mark.parametrize("name", ["all.atom", "all.rss"])
def test_digest_feed_parses_and_lists_articles_newest_first(built_digest: Path, name: str) -> None:
    feed = feedparser.parse(built_digest / "site" / "feeds" / name)
    assert not feed.bozo, feed.get("bozo_exception")
    titles = [entry.title for entry in feed.entries]
    assert "Grain talks resume in Geneva" in titles and len(titles) == 3
    dates = [entry.published_parsed for entry in feed.entries]
    assert dates == sorted(dates, reverse=True)


def _titles_with_topic(root: Path, label: str) -> set[str]:
    """The titles of the article pages filed under a topic, from their front matter."""
    fronts = [yaml.safe_load(page.read_text("utf-8").split("---\n")[1])
              for page in (root / "build" / "docs" / "articles").glob("*.md")]
    return {f["title"] for f in fronts if label in f["topics"]}


@pytest.mark.model
def test_built_feeds_without_a_site_url_validate(built_digest: Path) -> None:
    feeds = built_digest / "site" / "feeds"
    count, errors = validator_errors(built_digest / "site")
    assert count == len(xml_feeds(feeds)) and errors == ""
    assert bozo_feeds(feeds) == []
    for path in feeds.glob("*.json"):
        assert json_feed_problems(json.loads(path.read_text("utf-8")), absolute=False) == []


@pytest.mark.model
def test_json_feed_and_topic_feeds(built_digest: Path) -> None:
    feeds = built_digest / "site" / "feeds"
    data = json.loads((feeds / "all.json").read_text("utf-8"))
    assert data["version"] == "https://jsonfeed.org/version/1.1" and len(data["items"]) == 3
    war = feedparser.parse(feeds / "conflict-war-and-peace.atom")
    assert not war.bozo
    expected = _titles_with_topic(built_digest, "conflict, war and peace")
    assert len(expected) >= 1  # the seed, at least: the feed has something to hold
    assert {e.title for e in war.entries} == expected
    for entry in war.entries:
        assert "conflict, war and peace" in [t.term for t in entry.tags]


@pytest.mark.model
def test_home_links_to_the_feeds(built_digest: Path) -> None:
    html_text = (built_digest / "site" / "index.html").read_text("utf-8")
    assert 'href="feeds/all.atom"' in html_text and 'href="feeds/all.json"' in html_text


@pytest.mark.parametrize("kept_by", ["memo", "process"])
def test_a_corrected_summary_reaches_the_dossier_feed_on_the_next_build(
    tmp_path: Path, kept_by: str
) -> None:
    # A build finds most dossier feeds of the last one (in the memo, or kept by
    # `digest serve`) by a key: an article's new summary must give its feeds a new
    # one, or they would keep the old summary.
    ann = {"people": ["Ann Lee"]}
    before = _articles(("a.md", "2024-03-01", ann), ("b.md", "2024-03-02", ann))
    after = _articles(("a.md", "2024-03-01", {**ann, "summary": "A corrected summary."}),
                      ("b.md", "2024-03-02", ann))
    made: dict[str, Made] | None = {} if kept_by == "process" else None
    for articles in (before, after):
        memo = TextMemo(tmp_path / "memo.json", "v1")
        feed = render_pages(articles, "Town News", SITE_URL, memo=memo,
                            made=made)["feeds/people/ann-lee.atom"]
        memo.save()
        assert "What b.md says." in feed
    assert "A corrected summary." in feed and "What a.md says." not in feed


def test_a_new_site_url_reaches_the_dossier_feeds_on_the_next_build(tmp_path: Path) -> None:
    articles = _articles(("a.md", "2024-03-01", {"people": ["Ann Lee"]}))
    for url in (None, SITE_URL):
        memo = TextMemo(tmp_path / "memo.json", "v1")
        feed = render_pages(articles, "Town News", url, memo=memo)["feeds/people/ann-lee.atom"]
        memo.save()
    assert f'href="{SITE_URL}articles/story-a/"' in feed
