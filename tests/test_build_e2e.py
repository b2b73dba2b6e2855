"""Build a small digest with the real command and read what a reader would get."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from tests.conftest import indexed_pages, make_digest
from tests.site_fixture import TRACKER, build_digest

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
    # the three articles, no listing pages
    assert indexed_pages(built_digest / "site") == 3


def test_site_credits_iptc_geonames_and_the_topic_classifiers_data(built_digest: Path) -> None:
    about = (built_digest / "site" / "about" / "index.html").read_text("utf-8")
    assert "IPTC Media Topics" in about and "GeoNames" in about and "CC BY 4.0" in about
    assert "Wikipedia contributors" in about and "CC BY-SA 4.0" in about
    assert "Rishabh Misra" in about


# Every element that makes a browser fetch something, and the attributes it reads.
RESOURCE_ATTRIBUTES = {
    "img": ("src", "srcset"), "source": ("src", "srcset"), "video": ("src", "poster"),
    "audio": ("src",), "track": ("src",), "iframe": ("src",), "frame": ("src",),
    "object": ("data",), "embed": ("src",), "link": ("href", "imagesrcset"),
    "script": ("src",), "input": ("src",), "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"), "body": ("background",), "table": ("background",),
}
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)""")
_IMPORT = re.compile(r"""@import\s+['"]([^'"]+)""")


def _external(url: str) -> bool:
    """Whether the browser would fetch `url` from another host than the site's own."""
    url = url.strip().lower()
    if url.startswith(("data:", "blob:")):
        return False  # inline: nothing is fetched
    return url.startswith("//") or bool(re.match(r"[a-z][a-z0-9+.-]*:", url))


class _Resources(HTMLParser):
    """The addresses an HTML page makes a browser load: elements, inline CSS."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_style = tag == "style"
        for name, value in attrs:
            if value and name in RESOURCE_ATTRIBUTES.get(tag, ()):
                self.urls += [part.split()[0] for part in value.split(",") if part.strip()] \
                    if "srcset" in name else [value]
            if value and name == "style":
                self.urls += _CSS_URL.findall(value)

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.urls += _CSS_URL.findall(data) + _IMPORT.findall(data)


def test_no_page_loads_anything_from_another_host(built_digest: Path) -> None:
    site = built_digest / "site"
    hostile = _article_page(built_digest, "hostile.md")
    html = (site / "articles" / _front(hostile)["slug"] / "index.html").read_text("utf-8")
    assert f"https://{TRACKER}/pixel.png" in html  # the image is there, as a link
    loaded: dict[str, list[str]] = {}
    for page in site.rglob("*.html"):
        parser = _Resources()
        parser.feed(page.read_text("utf-8"))
        loaded[page.relative_to(site).as_posix()] = parser.urls
    for sheet in site.rglob("*.css"):
        css = sheet.read_text("utf-8")
        loaded[sheet.relative_to(site).as_posix()] = _CSS_URL.findall(css) + _IMPORT.findall(css)
    assert sum(map(len, loaded.values())) > len(loaded)  # the check sees the site's own files
    external = {page: [u for u in urls if _external(u)] for page, urls in loaded.items()}
    assert {page: urls for page, urls in external.items() if urls} == {}


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


def test_a_markdown_image_leaves_no_syntax_in_the_summary(tmp_path: Path) -> None:
    root = make_digest(tmp_path / "d", {"photo.md": (
        f"The photo: ![pic](https://{TRACKER}/pixel.png) shows the minister arriving in "
        "Kyiv on Monday for [talks](https://example.org/talks) on *military aid*.\n\n"
        "The talks were expected to last two days.\n")})
    result = build_digest(root)
    assert result.returncode == 0, result.stderr
    summary = str(_front(_article_page(root, "photo.md"))["summary"])
    assert summary.startswith("The photo:") and "Kyiv" in summary
    for syntax in ("!", "[", "]", "(", "*", "http"):
        assert syntax not in summary, summary

