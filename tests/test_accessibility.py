"""Independent checks a reader never sees but feels: axe-core, phone width, dark scheme."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, expect

from tests.browser import Watched

pytestmark = [pytest.mark.browser, pytest.mark.model]

PAGES = ["", "archive/", "people/", "people/vladimir-putin/", "topics/"]


def _article_path(watched: Watched, site_url: str) -> str:
    watched.page.goto(site_url)
    href = watched.page.locator("article h3 a", has_text="Grain talks").get_attribute("href")
    assert href
    return href


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 375])
def test_axe_finds_no_violation(browser: Browser, site_url: str, scheme: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800},
                                  color_scheme=scheme)  # type: ignore[arg-type]
    page = context.new_page()
    watched = Watched(page, site_url.rstrip("/"))
    paths = [*PAGES, _article_path(watched, site_url)]
    axe = Axe()
    found = {}
    for path in paths:
        page.goto(site_url + path)
        result = axe.run(page)
        found[path] = [(v["id"], [n["target"] for n in v["nodes"]][:2])
                       for v in result.response["violations"]]
    context.close()
    assert found == {path: [] for path in paths}
    assert watched.external == [] and watched.errors == []


def test_phone_width_has_no_horizontal_scroll(browser: Browser, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 700}, is_mobile=True)
    page = context.new_page()
    watched = Watched(page, site_url.rstrip("/"))
    for path in [*PAGES, _article_path(watched, site_url)]:
        page.goto(site_url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
    expect(page.locator("h1")).to_be_visible()
    context.close()


def test_keyboard_reaches_the_article_chips(watched: Watched, site_url: str) -> None:
    page = watched.page
    page.goto(site_url + _article_path(watched, site_url))
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.className")
        if "digest-chip" in str(focused):
            break
    else:
        pytest.fail("no chip reachable with Tab")
    name = page.evaluate("document.activeElement.textContent").strip()
    target = page.evaluate("document.activeElement.href")
    assert name and target
    page.keyboard.press("Enter")
    # Enter follows the focused chip: its own page, headed with its name.
    expect(page).to_have_url(target)
    expect(page.locator("h1")).to_have_text(name)
    assert page.evaluate("document.documentElement.lang") == "en"
