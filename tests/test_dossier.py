"""Dossiers and pages of a list, as a reader meets them in a browser."""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, expect

from digest.pages import PER_PAGE
from tests.browser import Watched
from tests.conftest import make_digest
from tests.site_fixture import _QuietHandler, build_digest

pytestmark = [pytest.mark.browser, pytest.mark.model]

ARTICLES = PER_PAGE * 2 + 1  # more than the home page holds, over seven months


def _day(i: int) -> dt.date:
    return dt.date(2023, 1, 2) + dt.timedelta(days=5 * i)


# The archive's page of the newest month: the page after the home page.
NEWEST_MONTH = f"archive/{_day(ARTICLES - 1):%Y/%m}/"


def _article(i: int) -> str:
    day = _day(i)
    # Ann Lee and Bo Chan meet in every other article; the others are one-off walk-ons.
    people = ["Ann Lee", "Bo Chan"] if i % 2 == 0 else ["Cy Dunn", f"Walk-on {i}"]
    return (
        f"---\ntitle: Harbour council meeting number {i}\ndate: {day}\n"
        f"people: [{', '.join(people)}]\nplaces: [Leeds]\norganisations: []\n"
        "topics: [medtop:11000000]\n---\n"
        f"The harbour council met for the {i}th time to argue about lighthouse repairs. "
        f"{people[0]} and {people[1]} disagreed over the seawall budget again.\n"
    )


@pytest.fixture(scope="module")
def paged_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = make_digest(tmp_path_factory.mktemp("paged") / "digest",
                       {f"meeting-{i:02}.md": _article(i) for i in range(ARTICLES)})
    result = build_digest(root)
    assert result.returncode == 0, result.stderr
    handler = functools.partial(_QuietHandler, directory=str(Path(root) / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture
def reader(browser: Browser, paged_url: str) -> Iterator[Watched]:
    context = browser.new_context()
    yield Watched(context.new_page(), paged_url.rstrip("/"))
    context.close()


def test_reader_follows_a_person_to_their_dossier_and_on_to_who_is_often_with_them(
    reader: Watched, paged_url: str
) -> None:
    page = reader.page
    page.goto(paged_url)
    page.locator("article h3 a", has_text="meeting number 4").first.click()
    page.locator("a.digest-chip", has_text="Ann Lee").click()
    expect(page.locator("h1")).to_have_text("Ann Lee")
    expect(page.locator(".digest-count")).to_contain_text(
        f"{ARTICLES // 2 + 1} articles, from 2 January 2023 to")
    often = page.locator("p.digest-often", has_text="People:")
    expect(often.locator("a").first).to_have_text("Bo Chan")
    often.locator("a", has_text="Bo Chan").click()
    expect(page.locator("h1")).to_have_text("Bo Chan")
    expect(page.locator("p.digest-often", has_text="People:").locator("a").first) \
        .to_have_text("Ann Lee")
    feed = page.locator('head link[rel~="alternate"][type="application/atom+xml"]').last
    response = page.request.get(page.url + feed.get_attribute("href"))
    assert response.ok and b"Harbour council meeting number" in response.body()
    assert reader.external == [] and reader.errors == [], reader.failed


def test_a_list_page_keeps_its_headlines_out_of_the_navigation(
    reader: Watched, paged_url: str
) -> None:
    page = reader.page
    for path in ("", NEWEST_MONTH):
        page.goto(paged_url + path)
        headlines = page.locator("article a", has_text="Harbour council meeting")
        expect(headlines.first).to_be_visible()
        # The navigation (the drawer on a phone) does not list the page's headlines again.
        assert page.locator(".md-nav a", has_text="Harbour council meeting").count() == 0
        headlines.last.click()
        expect(page.locator("h1")).to_contain_text("Harbour council meeting number")
    assert reader.errors == [] and reader.failed == [], reader.failed


def test_the_timeline_has_a_text_alternative(reader: Watched, paged_url: str) -> None:
    page = reader.page
    page.goto(paged_url + "people/ann-lee/")
    chart = page.get_by_role("img", name="Articles on Ann Lee per month")
    expect(chart).to_be_visible()
    assert "January 2023 to" in chart.get_attribute("aria-label")
    page.get_by_text("Articles per month, as text").click()
    expect(page.locator(".digest-timeline__text p")).to_contain_text("January 2023: 3;")


def test_pages_of_a_list_turn_with_the_keyboard(reader: Watched, paged_url: str) -> None:
    page = reader.page
    page.goto(paged_url)
    expect(page.locator("article h3").first).to_contain_text(f"number {ARTICLES - 1}")
    page.keyboard.press("n")  # Material's "next page" key follows <link rel="next">
    expect(page.locator("h1")).to_contain_text("Archive: ")
    expect(page.locator("article li a").first).to_contain_text(f"number {ARTICLES - 1}")
    page.keyboard.press("p")
    expect(page.locator("article h2").first).to_have_text("Latest articles")
    # And by Tab and Enter, on the visible link.
    older = page.locator('a[rel="next"]')
    for _ in range(200):
        page.keyboard.press("Tab")
        if older.evaluate("a => a === document.activeElement"):
            break
    page.keyboard.press("Enter")
    expect(page).to_have_url(paged_url + NEWEST_MONTH)
    assert reader.errors == []


def test_pages_turn_with_the_keyboard_after_a_search_is_closed(
    reader: Watched, paged_url: str
) -> None:
    page = reader.page
    page.goto(paged_url)
    # Searching first: Material's scripts wait until the search closes (theme/main.html).
    page.keyboard.press("/")
    page.keyboard.type("harbour")
    expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=15_000)
    page.keyboard.press("Escape")
    page.keyboard.press("n")
    expect(page).to_have_url(paged_url + NEWEST_MONTH)
    assert reader.errors == []


def test_axe_finds_no_violation_on_a_dossier_and_the_pages_of_a_list(
    browser: Browser, paged_url: str
) -> None:
    found = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)  # type: ignore[arg-type]
        page = context.new_page()
        for path in ("people/ann-lee/", NEWEST_MONTH, "archive/"):
            page.goto(paged_url + path)
            violations = Axe().run(page).response["violations"]
            found[(scheme, path)] = [v["id"] for v in violations]
        context.close()
    assert found == {key: [] for key in found}
