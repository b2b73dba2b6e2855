"""Lists split into pages: stable addresses as the digest grows, every item once, linked."""

from __future__ import annotations

import dataclasses
import datetime as dt
import posixpath
import re
from pathlib import Path

import feedparser
import yaml

from digest.model import Metadata, Source
from digest.pages import (
    ARCHIVE_PER_PAGE,
    AZ_INLINE_MAX,
    AZ_PER_PAGE,
    ENTITY_PER_PAGE,
    PER_PAGE,
    make_articles,
    render_pages,
)
from digest.paging import page_url

START = dt.date(2020, 1, 1)


def _item(i: int, **meta: list[str]) -> tuple[Source, Metadata]:
    """Article i, dated i days after START: a higher i is newer."""
    date = (START + dt.timedelta(days=i)).isoformat()
    source = Source(Path(f"content/articles/{i:05}.txt"), "Body text.", {}, f"h{i}", "text")
    return source, Metadata(title=f"Story {i:05}", date=date, date_source="dateline", **meta)


def _front(text: str) -> dict:
    return yaml.safe_load(text.split("---\n")[1])


def _listed(text: str) -> list[str]:
    return re.findall(r"Story (\d{5})", text.split("---\n", 2)[2])


def _walk(pages: dict[str, str], first: str) -> list[str]:
    """The pages of a list in reading order, following each page's `next`."""
    urls = {page_url(path): path for path in pages}
    order = [first]
    while "next" in _front(pages[order[-1]]):
        nxt = urls[_front(pages[order[-1]])["next"]]
        assert _front(pages[nxt])["prev"] == page_url(order[-1])
        order.append(nxt)
    return order


def test_adding_a_newer_article_changes_only_the_first_page_of_each_list() -> None:
    n = ENTITY_PER_PAGE * 3 + 5  # several older pages in every list, first page not full
    items = [_item(i, people=["Ann Lee"]) for i in range(n)]
    before = render_pages(make_articles(items), "Test")
    after = render_pages(make_articles([*items, _item(n, people=["Ann Lee"])]), "Test")
    lists = ("index.md", "archive/", "people/ann-lee")
    changed = {p for p in before if p.startswith(lists) and before[p] != after.get(p)}
    # The new article is dated 4 June 2020, in the newest month.
    assert changed == {"index.md", "archive/index.md", "archive/2020/06.md", "people/ann-lee.md"}
    assert {p for p in after if p.startswith(lists)} == {p for p in before if p.startswith(lists)}


def test_adding_an_older_article_changes_the_archive_only_in_its_own_month() -> None:
    items = [_item(i) for i in range(0, 400, 2)]  # every other day of 2020 to early February 2021
    before = render_pages(make_articles(items), "Test")
    after = render_pages(make_articles([*items, _item(75)]), "Test")  # 16 March 2020
    changed = {p for p in after if p.startswith("archive/") and before.get(p) != after[p]}
    assert changed == {"archive/index.md", "archive/2020/03.md"}
    assert before["index.md"].replace("200 articles", "201 articles") == after["index.md"]


def test_every_article_is_listed_once_newest_first_across_linked_pages() -> None:
    n = ARCHIVE_PER_PAGE * 3 + 7
    day = [START + dt.timedelta(days=i // 8) for i in range(n)]  # 248 in January
    items = [(s, dataclasses.replace(m, date=day[i].isoformat()))
             for i, (s, m) in enumerate(_item(i, people=["Ann Lee"]) for i in range(n))]
    pages = render_pages(make_articles(items), "T")
    assert any("/page/" in p for p in pages if p.startswith("archive/"))  # a month of pages
    newest_first = [f"{i:05}" for i in reversed(range(n))]
    home, *archive = _walk(pages, "index.md")
    assert _listed(pages[home]) == newest_first[:PER_PAGE]
    assert [s for path in archive for s in _listed(pages[path])] == newest_first
    dossier = _walk(pages, "people/ann-lee.md")
    assert len(dossier) > 2
    assert [s for path in dossier for s in _listed(pages[path])] == newest_first


def test_a_full_first_page_moves_its_oldest_articles_to_a_new_numbered_page() -> None:
    n = ENTITY_PER_PAGE * 2 - 1  # the dossier's first page is as full as it gets
    items = [_item(i, people=["Ann Lee"]) for i in range(n)]
    stem = "people/ann-lee/page/"
    assert not any(p.startswith(stem) for p in render_pages(make_articles(items), "T"))
    pages = render_pages(make_articles([*items, _item(n, people=["Ann Lee"])]), "T")
    oldest = [f"{i:05}" for i in reversed(range(ENTITY_PER_PAGE))]
    assert _listed(pages[f"{stem}1.md"]) == oldest
    assert len(_listed(pages["people/ann-lee.md"])) == ENTITY_PER_PAGE
    assert _front(pages["people/ann-lee.md"])["next"] == f"{stem}1/"
    assert '{ rel="next" }' in pages["people/ann-lee.md"]
    assert '{ rel="prev" }' in pages[f"{stem}1.md"]


def test_a_large_index_is_split_by_letter_and_lists_every_name_once() -> None:
    names = [f"{first} {i:04}" for i in range(AZ_INLINE_MAX) for first in ("Ann", "Bo", "Élise")]
    pages = render_pages(make_articles([_item(i, people=[name])
                                        for i, name in enumerate(names)]), "T")
    letters = sorted(p for p in pages if p.startswith("people/letter/"))
    assert letters[:3] == ["people/letter/a.md", "people/letter/b.md", "people/letter/e.md"]
    order = _walk(pages, "people/letter/a.md")
    assert sorted(order) == letters
    listed = [m for path in order
              for m in re.findall(r"\[([^\]]+)\]\([^)]*\.md\)", pages[path].split("---\n", 2)[2])
              if m[-1].isdigit()]
    assert sorted(listed) == sorted(names)
    assert "Ann 0000" not in pages["people/index.md"].split("## A–Z")[1]


def test_every_letter_link_of_a_split_index_leads_to_a_page() -> None:
    names = [f"Ann {i:04}" for i in range(AZ_PER_PAGE + 1)] + ["Bo Chan"]
    pages = render_pages(make_articles([_item(i, people=[name])
                                        for i, name in enumerate(names)]), "T")
    letter_pages = [p for p in pages if p.startswith("people/letter/")]
    assert "people/letter/a/page/2.md" in letter_pages
    for path in ["people/index.md", *letter_pages]:
        nav = next(line for line in pages[path].splitlines() if line.startswith("[A]("))
        targets = re.findall(r"\]\(([^)]+\.md)\)", nav)
        assert len(targets) == 2, path
        for target in targets:
            assert posixpath.normpath(posixpath.join(posixpath.dirname(path), target)) in pages, \
                (path, target)


def test_a_dossier_has_count_dates_timeline_and_its_own_feed() -> None:
    items = [_item(i, people=["Ann Lee"]) for i in (0, 40, 100)]  # January to April 2020
    pages = render_pages(make_articles(items), "Test")
    page = pages["people/ann-lee.md"]
    assert "3 articles, from 1 January 2020 to 10 April 2020" in page
    assert "January 2020: 1; February 2020: 1; March 2020: 0; April 2020: 1." in page
    assert 'role="img" aria-label="Articles on Ann Lee per month' in page
    feed_path = _front(page)["feed"]
    feed = feedparser.parse(pages[feed_path])
    assert not feed.bozo
    assert [e.title for e in feed.entries] == ["Story 00100", "Story 00040", "Story 00000"]


def test_often_with_ranks_a_telling_name_above_a_common_one() -> None:
    # Ann Lee is in 3 articles, all in the United States, 2 of them in Leeds; the United
    # States is in 20 of the 30 articles, Leeds in only those 2.
    items = [_item(i, people=["Ann Lee"], places=["United States", "Leeds"]) for i in (0, 1)]
    items.append(_item(2, people=["Ann Lee"], places=["United States"]))
    items += [_item(i, places=["United States"]) for i in range(3, 20)]
    items += [_item(i, places=["Paris"]) for i in range(20, 30)]
    page = render_pages(make_articles(items), "Test")["people/ann-lee.md"]
    often = next(line for line in page.splitlines() if line.startswith("Places:"))
    assert often.index("Leeds") < often.index("United States")
    assert "Paris" not in often


def test_a_line_of_names_never_wraps_before_a_count_or_a_separator() -> None:
    items = [_item(i, people=["Ann Lee"], places=["Leeds", "York"]) for i in (0, 1)]
    items += [_item(i, places=["Paris"]) for i in range(2, 12)]
    page = render_pages(make_articles(items), "Test")["people/ann-lee.md"]
    often = next(line for line in page.splitlines() if line.startswith("Places:"))
    assert re.search(r"\]\([^)]*\)\u00a0\(2\)\u00a0· \[", often), often


def test_a_month_with_one_article_among_many_is_a_visible_bar() -> None:
    items = [_item(0, people=["Ann Lee"])]  # one in January, forty in March
    items += [_item(i, people=["Ann Lee"]) for i in range(60, 100)]
    page = render_pages(make_articles(items), "Test")["people/ann-lee.md"]
    heights = [float(h) for h in re.findall(r'<rect [^>]*height="([\d.]+)"', page)]
    viewbox_height = float(re.search(r'viewBox="0 0 \d+ ([\d.]+)"', page).group(1))
    assert len(heights) == 3 and min(heights) >= viewbox_height / 10  # January, March, April


def test_a_timeline_of_one_month_names_it_once() -> None:
    items = [_item(i, people=["Ann Lee"]) for i in (0, 3)]  # both in January 2020
    page = render_pages(make_articles(items), "Test")["people/ann-lee.md"]
    assert page.count(">January 2020<") == 1
    assert "January 2020: 2." in page


def test_a_page_whose_name_ends_in_index_keeps_its_own_address() -> None:
    # "Dow Jones Index" is a page of its own, not the index of a folder.
    assert page_url("organisations/dow-jones-index.md") == "organisations/dow-jones-index/"
    assert page_url("organisations/dow-jones-index/page/2.md") == \
        "organisations/dow-jones-index/page/2/"
    assert page_url("organisations/index.md") == "organisations/"
    assert page_url("index.md") == ""


def test_articles_without_a_date_have_their_own_page_after_the_oldest_month() -> None:
    dated = [_item(i) for i in (0, 40)]
    undated = (Source(Path("content/articles/x.txt"), "Body.", {}, "hx", "text"),
               Metadata(title="Story 99999", date=None, date_source="added"))
    pages = render_pages(make_articles([*dated, undated]), "T")
    assert "[1 article](undated.md)" in pages["archive/index.md"]
    *_, oldest_month, last = _walk(pages, "index.md")
    assert (oldest_month, last) == ("archive/2020/01.md", "archive/undated.md")
    assert _listed(pages[last]) == ["99999"]
