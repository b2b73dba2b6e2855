"""Build a small digest with the real command and read what a reader would get."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.model


def _front(page: Path) -> dict[str, object]:
    return yaml.safe_load(page.read_text("utf-8").split("---\n")[1])


def _article_page(root: Path, source_name: str) -> Path:
    for page in (root / "build" / "docs" / "articles").glob("*.md"):
        if _front(page)["source"].endswith(source_name):
            return page
    raise AssertionError(f"no page for {source_name}")


def test_seed_front_matter(built_digest: Path) -> None:
    front = _front(_article_page(built_digest, "000_0e367a65feda92c3.txt"))
    assert sorted(front["people"]) == ["Henry Kissinger", "Joe Biden", "Vladimir Putin"]
    assert "Kyiv" in front["places"] and "Ukrainians" not in front["places"]
    assert front["topics"][0] == "conflict, war and peace"
    assert front["iptc"][0] == "medtop:16000000"
    # The seed states no date: it falls back to when the file was added, never "Tuesday".
    assert front["date_source"] == "added"
    title = str(front["title"])
    assert 10 < len(title) <= 90 and not title.endswith((",", "“", "and"))
    assert front["summary"].startswith("Washington will deliver")
    assert ". ." not in front["summary"]


def test_curator_title_and_dateline_date(built_digest: Path) -> None:
    front = _front(_article_page(built_digest, "grain-talks.md"))
    assert front["title"] == "Grain talks resume in Geneva"
    assert str(front["date"]) == "2023-04-05" and front["date_source"] == "dateline"


def test_article_html_has_body_metadata_links_and_subheading(built_digest: Path) -> None:
    slug = _front(_article_page(built_digest, "000_0e367a65feda92c3.txt"))["slug"]
    html = (built_digest / "site" / "articles" / slug / "index.html").read_text("utf-8")
    assert "High Mobility Artillery Rocket System" in html
    assert re.search(r"<h2[^>]*>\$700 million", html)
    assert 'href="../../people/henry-kissinger/"' in html
    assert "this is when it was added to the digest" in html  # where the date came from


def test_person_page_lists_every_article_with_them_newest_first(built_digest: Path) -> None:
    html = (built_digest / "site" / "people" / "vladimir-putin" / "index.html").read_text("utf-8")
    assert "2 articles" in html
    seed = _front(_article_page(built_digest, "000_0e367a65feda92c3.txt"))
    grain = _front(_article_page(built_digest, "grain-talks.md"))
    # The seed is dated when it was added (after 2023), so it comes first.
    assert html.index(f'articles/{seed["slug"]}/') < html.index(f'articles/{grain["slug"]}/')


def test_search_index_holds_every_article_and_only_articles(built_digest: Path) -> None:
    entry = json.loads((built_digest / "site" / "pagefind" / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 3  # the three articles, no listing pages


def test_site_credits_iptc_and_loads_nothing_external(built_digest: Path) -> None:
    site = built_digest / "site"
    about = (site / "about" / "index.html").read_text("utf-8")
    assert "IPTC Media Topics" in about and "GeoNames" in about and "CC BY 4.0" in about
    for page in site.rglob("*.html"):
        html = page.read_text("utf-8")
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html, page
        assert not re.search(r'<(?:script|link)[^>]+(?:src|href)="(?:https?:)?//', html), page


def test_sources_are_untouched(built_digest: Path) -> None:
    from tests.conftest import SEED

    copy = built_digest / "content" / "articles" / SEED.name
    assert copy.read_bytes() == SEED.read_bytes()


def test_article_page_has_sharing_and_feed_metadata(built_digest: Path) -> None:
    front = _front(_article_page(built_digest, "grain-talks.md"))
    html = (built_digest / "site" / "articles" / front["slug"] / "index.html").read_text("utf-8")
    assert '<meta property="og:title" content="Grain talks resume in Geneva">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert 'name="description" content="' in html
    assert 'rel="alternate feed" type="application/atom+xml"' in html
    assert 'href="../../feeds/all.atom"' in html


def test_robots_txt_and_listing_descriptions(built_digest: Path) -> None:
    site = built_digest / "site"
    assert (site / "robots.txt").read_text("utf-8").startswith("User-agent: *\nAllow: /\n")
    person = (site / "people" / "vladimir-putin" / "index.html").read_text("utf-8")
    expected = '<meta name="description" content="2 news articles mentioning Vladimir Putin.">'
    assert expected in person
