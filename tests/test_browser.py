"""What a reader sees in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.browser import Watched

pytestmark = [pytest.mark.browser, pytest.mark.model]


def test_search_finds_the_seed_by_a_person(watched: Watched, site_url: str) -> None:
    page = watched.page
    page.goto(site_url)
    expect(page.locator("article").first).to_contain_text("Latest articles")
    page.keyboard.press("/")  # Material's search shortcut
    # Material's search reacts to key events, not to a programmatic fill.
    page.keyboard.type("Kissinger")
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible(timeout=15_000)
    expect(page.locator(".md-search-result")).to_contain_text("Washington will deliver")
    assert watched.external == []
    assert watched.errors == []


def test_materials_scripts_wait_for_a_reader_and_then_serve_them(
    watched: Watched, site_url: str
) -> None:
    page = watched.page
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(site_url + "people/vladimir-putin/")
    page.wait_for_load_state("networkidle")
    # Material's bundle is not part of loading the page (theme/main.html) ...
    assert [url for url in fetched if "/javascripts/bundle." in url] == []
    # ... and once the reader scrolls, its back-to-top button appears on the way up.
    page.set_viewport_size({"width": 1280, "height": 400})
    page.mouse.move(300, 300)
    page.mouse.wheel(0, 600)
    page.wait_for_function("window.scrollY > 300")
    page.mouse.wheel(0, -200)
    top = page.locator(".md-top")
    # Material hides it with the hidden attribute (and CSS that keeps it in the layout).
    expect(top).not_to_have_attribute("hidden", "")
    top.click()
    page.wait_for_function("window.scrollY === 0")
    assert watched.errors == []


def test_reader_goes_from_home_to_article_to_person(watched: Watched, site_url: str) -> None:
    page = watched.page
    page.goto(site_url)
    page.locator("article h3 a", has_text="Grain talks").click()
    expect(page.locator("h1")).to_have_text("Grain talks resume in Geneva")
    page.locator("a.digest-chip", has_text="Vladimir Putin").click()
    expect(page.locator("h1")).to_have_text("Vladimir Putin")
    expect(page.locator("article")).to_contain_text("2 articles")
    assert watched.external == []
    assert watched.errors == []


def test_hostile_article_runs_no_script(watched: Watched, site_url: str) -> None:
    page = watched.page
    page.goto(site_url)
    page.locator("article h3 a", has_text="Hostile").click()
    expect(page.locator("h1")).to_contain_text('Hostile "quoted" headline')
    expect(page.locator("article")).to_contain_text("Body <script>alert(4)</script>")
    page.locator("a", has_text="click me").click()
    page.keyboard.press("/")
    page.keyboard.type("Hostile")
    expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=15_000)
    page.wait_for_timeout(500)
    assert watched.external == []  # the curator's images and embeds are not loaded
    assert watched.dialogs == []
    assert watched.errors == []


def test_reader_walks_article_person_article_and_feed(watched: Watched, site_url: str) -> None:
    page = watched.page
    page.goto(site_url)
    page.locator("article h3 a", has_text="Washington will deliver").click()
    expect(page.locator("h1")).to_contain_text("Washington will deliver")
    page.locator("a.digest-chip", has_text="Vladimir Putin").click()
    expect(page.locator("h1")).to_have_text("Vladimir Putin")
    page.locator("article li a", has_text="Grain talks").click()
    expect(page.locator("h1")).to_have_text("Grain talks resume in Geneva")
    page.goto(site_url)
    with page.expect_response(lambda r: r.url.endswith("feeds/all.atom")) as feed:
        page.locator("a", has_text="Atom").click()
    assert feed.value.status == 200
    assert watched.external == [] and watched.errors == []


def test_the_colour_toggle_switches_and_the_next_page_keeps_it(
    watched: Watched, site_url: str
) -> None:
    page = watched.page
    page.goto(site_url)
    body = page.locator("body")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    page.get_by_title("Switch to dark mode").click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    expect(page.get_by_title("Switch to light mode")).to_be_visible()
    expect(page.get_by_title("Switch to dark mode")).to_be_hidden()
    page.locator("article h3 a", has_text="Grain talks").click()
    expect(page.locator("h1")).to_have_text("Grain talks resume in Geneva")
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    # Enter on the focused toggle switches back, as in Material.
    page.locator("#__palette_1").focus()
    page.keyboard.press("Enter")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    assert watched.errors == []


def test_a_reader_in_dark_mode_gets_the_dark_scheme(browser: Browser, site_url: str) -> None:
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    page.goto(site_url)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    expect(page.get_by_title("Switch to light mode")).to_be_visible()
    expect(page.locator('meta[name="color-scheme"]')).to_have_attribute("content", "dark")
    context.close()


SHIFTS = """() => new Promise((resolve) => {
  const shifts = [];
  new PerformanceObserver((list) => shifts.push(...list.getEntries().map((e) => e.value)))
    .observe({ type: "layout-shift", buffered: true });
  setTimeout(() => resolve(shifts), 500);
})"""


def test_nothing_on_a_phone_moves_as_the_page_loads(browser: Browser, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 412, "height": 823}, is_mobile=True)
    page = context.new_page()
    for path in ("", "people/vladimir-putin/"):
        page.goto(site_url + path)
        assert page.evaluate(SHIFTS) == [], path
    context.close()
