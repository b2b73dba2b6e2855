from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from pathlib import Path

import markdown
import yaml

from digest.model import Article, Metadata, Source
from digest.pages import (
    article_page,
    build_index,
    entity_paths,
    escape_markdown,
    make_articles,
    render_pages,
    text_to_markdown,
    write_pages,
)
from digest.slugs import assign_slugs


def _html(md: str) -> str:
    return markdown.markdown(md, extensions=["attr_list"])


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text += data


def test_escaped_text_renders_as_exactly_the_text() -> None:
    hostile = '<script>alert(1)</script> *not bold* [link](javascript:x) a_b_c { onclick="x" }'
    parsed = _Tags()
    parsed.feed(_html(escape_markdown(hostile)))
    assert parsed.tags == [("p", [])]  # no script, link, emphasis or injected attribute
    assert parsed.text == hostile


def test_line_starts_are_not_read_as_lists_or_headings() -> None:
    html = _html(escape_markdown("1. First\n- dash\n# hash\n> quote"))
    for tag in ("<ol>", "<ul>", "<h1>", "<blockquote>"):
        assert tag not in html


def test_wire_copy_subheading_and_stray_period() -> None:
    md = text_to_markdown("It rose, the paper said. .\n\n– $700 million –\n\nMore text.")
    assert md.splitlines()[0] == "It rose, the paper said."
    assert "## $700 million" in md


def test_headline_repeated_as_first_line_is_dropped() -> None:
    md = text_to_markdown("STOCKS RISE.\n\nStocks rose today.", title="Stocks rise.")
    assert "STOCKS RISE" not in md


def test_slugs_are_unique_and_stable() -> None:
    assert assign_slugs(["a", "b", "a", "a"]) == ["a", "b", "a-2", "a-3"]


def _article(tmp: str, title: str, date: str, **meta: list[str]) -> tuple[Source, Metadata]:
    source = Source(Path(f"content/articles/{tmp}.txt"), "Body text.", {}, tmp, "text")
    return source, Metadata(title=title, date=date, date_source="dateline", **meta)


def test_same_title_gives_two_pages() -> None:
    articles = make_articles(
        [_article("a", "Same title", "2024-01-02"), _article("b", "Same title", "2024-01-01")]
    )
    assert [a.slug for a in articles] == ["same-title", "same-title-2"]


def test_front_matter_round_trips_labels_with_commas() -> None:
    (article,) = make_articles(
        [_article("a", "Title: with colon", "2022-05-31", people=["Joe Biden"],
                  topics=["medtop:16000000", "medtop:11000000"])]
    )
    paths = entity_paths(build_index([article]))
    text = article_page(article, paths)
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["title"] == "Title: with colon"
    assert front["date"] == dt.date(2022, 5, 31)
    assert front["topics"] == ["conflict, war and peace", "politics and government"]
    assert front["iptc"] == ["medtop:16000000", "medtop:11000000"]
    assert "[Joe Biden](../people/joe-biden.md)" in text


def test_entity_pages_list_articles_newest_first() -> None:
    articles: list[Article] = make_articles(
        [
            _article("old", "Old story", "2020-01-01", people=["Ann Lee"]),
            _article("new", "New story", "2023-01-01", people=["Ann Lee"]),
            _article("mid", "Other", "2021-01-01", people=["Bo Chan"]),
        ]
    )
    pages = render_pages(articles, "Test")
    ann = pages["people/ann-lee.md"]
    assert ann.index("New story") < ann.index("Old story")
    assert "Other" not in ann
    people_index = pages["people/index.md"]
    assert people_index.index("Ann Lee") < people_index.index("Bo Chan")  # by count
    assert "(2)" in people_index


def test_a_name_in_one_article_has_its_date_and_is_often_with_no_one() -> None:
    articles = make_articles(
        [_article("a", "Harbour wall", "2023-04-05", people=["Ann Lee", "Bo Chan", "Cy Dunn"]),
         *(_article(k, f"Budget {k}", f"2023-0{i}-01", people=["Bo Chan", "Cy Dunn"])
           for i, k in enumerate("bc", start=5)),
         *(_article(k, f"Fishing {k}", "2023-07-01", people=["Dee Fox"]) for k in "de")]
    )
    pages = render_pages(articles, "Test")
    ann = pages["people/ann-lee.md"]
    assert "1 article, of 5 April 2023" in ann
    assert "Often with" not in ann  # Bo Chan and Cy Dunn share only this article with her
    assert "People: [Cy Dunn](../people/cy-dunn.md)\u00a0(3)" in pages["people/bo-chan.md"]


def test_write_pages_rewrites_only_changes_and_removes_stale(tmp_path: Path) -> None:
    assert write_pages(tmp_path, {"a.md": "A", "sub/b.md": "B"}) == ["a.md", "sub/b.md"]
    assert write_pages(tmp_path, {"a.md": "A", "sub/b.md": "B"}) == []
    assert write_pages(tmp_path, {"a.md": "A2"}) == ["a.md", "sub/b.md"]
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a.md"]


def test_write_pages_of_a_large_digest_writes_every_page_once(tmp_path: Path) -> None:
    # Enough pages that the writing is shared between processes.
    pages = {f"{kind}/{i:04d}.md": f"{kind} {i} é" for kind in ("people", "places")
             for i in range(300)}
    assert write_pages(tmp_path, pages) == list(pages)
    assert {p.relative_to(tmp_path).as_posix(): p.read_text("utf-8")
            for p in tmp_path.rglob("*.md")} == pages
    assert write_pages(tmp_path, pages) == []


def test_related_articles_share_people_before_places_and_are_deterministic() -> None:
    from digest.related import related_articles

    articles = make_articles(
        [
            _article("a", "Anchor", "2024-01-05", people=["Ann Lee"], places=["Leeds"]),
            _article("b", "Same person", "2024-01-01", people=["Ann Lee"]),
            _article("c", "Same place", "2024-01-04", places=["Leeds"]),
            _article("d", "Unrelated", "2024-01-03", people=["Bo Chan"]),
        ]
    )
    related = related_articles(articles)
    assert [a.meta.title for a in related["anchor"]] == ["Same person", "Same place"]
    assert related["unrelated"] == []
    assert related_articles(articles) == related


def test_topic_page_definition_ends_with_one_full_stop() -> None:
    # medtop:09000000 (labour) has a definition that already ends with a period.
    (article,) = make_articles([_article("a", "Strike", "2024-01-01", topics=["medtop:09000000"])])
    page = render_pages([article], "Test")["topics/labour.md"]
    assert "unemployed.." not in page
    assert page.count("economic support of the unemployed.") == 2  # description and text


def test_an_entity_name_ending_in_a_full_stop_gets_no_second_one() -> None:
    articles = make_articles([_article("a", "Grain", "2020-01-01", places=["U.S."])])
    front = yaml.safe_load(render_pages(articles, "Test")["places/u-s.md"].split("---\n")[1])
    assert front["description"] == "1 news article about U.S."


def test_home_and_archive_count_one_article_in_the_singular() -> None:
    one = render_pages(make_articles([_article("a", "A story", "2022-05-31")]), "Test")
    assert "Archive: 1 article by date" in one["index.md"]
    assert "All 1 article of the digest" in one["archive/index.md"]
    two = make_articles([_article("a", "A story", "2022-05-31"), _article("b", "B", "2022-06-01")])
    assert "Archive: 2 articles by date" in render_pages(two, "Test")["index.md"]


def test_a_dossier_lists_any_headline_as_exactly_its_text() -> None:
    # Dossier lists are written as HTML, not Markdown (pages._article_list).
    hostile = '<script>alert(1)</script> *not bold* "quoted" & <b>co</b>'
    source = Source(Path("content/articles/a.txt"), "Body.", {}, "h1", "text")
    meta = Metadata(title=hostile, date="2023-04-05", people=["Ann Lee"])
    articles = make_articles([(source, meta)])
    page = render_pages(articles, "Test")["people/ann-lee.md"]
    listing = page[page.index("<ul>"):page.index("</ul>") + len("</ul>")]
    parsed = _Tags()
    parsed.feed(_html(listing))
    assert [tag for tag, _ in parsed.tags] == ["ul", "li", "a"]
    # people/ann-lee.md is served at people/ann-lee/, the article at articles/SLUG/
    assert parsed.tags[2][1] == [("href", f"../../articles/{articles[0].slug}/")]
    assert parsed.text.strip() == f"{hostile} · 5 April 2023"
