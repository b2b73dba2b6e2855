"""Search: Pagefind's index of the article pages, in Material's search box."""

from __future__ import annotations

import filecmp
import functools
import gzip
import http.server
import json
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from digest.search import index_site
from digest.staging import FINGERPRINT_FILE
from tests.browser import Watched
from tests.conftest import SEED
from tests.site_fixture import _QuietHandler

pytestmark = pytest.mark.model

SEED_TITLE = "Washington will deliver"
GRAIN_TITLE = "Grain talks resume in Geneva"
RESULTS = ".md-search-result__item"


def _search(page: Page, query: str) -> None:
    page.keyboard.press("/")  # Material's shortcut, kept
    page.keyboard.type(query)
    expect(page.locator(RESULTS).first).to_be_visible(timeout=15_000)


def _titles(page: Page) -> list[str]:
    return page.locator(f"{RESULTS} h1").all_inner_texts()


# ---- the index ---------------------------------------------------------------


def _parts(site: Path) -> list[Path]:
    bundle = site / "pagefind"
    return [bundle / part["name"]
            for part in json.loads((bundle / "parts.json").read_text("utf-8"))]


def _fragments(site: Path) -> list[Path]:
    return [f for part in _parts(site) for f in (part / "fragment").iterdir()]


def test_only_article_pages_are_indexed(built_digest: Path) -> None:
    bundle = built_digest / "site" / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    # One fragment per indexed page: the three articles, no listing or entity page.
    assert len(_fragments(built_digest / "site")) == 3
    # Pagefind's ready-made UIs are not used, and Material's lunr index is gone.
    assert not (bundle / "pagefind-ui.js").exists()
    assert not (built_digest / "site" / "search" / "search_index.json").exists()


def test_each_part_holds_only_the_webassembly_the_browser_loads(built_digest: Path) -> None:
    # Pagefind's JS loads wasm.<the entry's "wasm">.pagefind, "unknown" when it names none.
    for part in _parts(built_digest / "site"):
        entry = json.loads((part / "pagefind-entry.json").read_text("utf-8"))
        loaded = {f"wasm.{language.get('wasm') or 'unknown'}.pagefind"
                  for language in entry["languages"].values()}
        assert {wasm.name for wasm in part.glob("wasm.*")} == loaded == {"wasm.en.pagefind"}


def test_index_holds_the_articles(built_digest: Path) -> None:
    """Replaces the lunr-index check: people, words of the body, other articles."""
    fragments = [
        json.loads(gzip.decompress(f.read_bytes()).removeprefix(b"pagefind_dcd"))
        for f in _fragments(built_digest / "site")
    ]
    assert sorted(f["url"].split("/")[1] for f in fragments) == ["articles"] * 3
    texts = " ".join(f["content"] for f in fragments)
    assert "Kissinger" in texts and "Himars" in texts and "Guterres" in texts
    assert "Related articles" not in texts and "Source:" not in texts
    people = {p for f in fragments for p in f["filters"].get("person", [])}
    assert {"Vladimir Putin", "Henry Kissinger", "Antonio Guterres"} <= people
    assert {y for f in fragments for y in f["filters"]["year"]} >= {"2023"}


def test_index_is_deterministic(built_digest: Path, tmp_path: Path) -> None:
    state = json.loads((built_digest / ".digest-cache" / FINGERPRINT_FILE).read_text("utf-8"))
    copies = []
    for name in ("one", "two"):
        site = tmp_path / name
        shutil.copytree(built_digest / "site", site)
        index_site(site, state["search_parts"])
        copies.append(site / "pagefind")
    left, right = copies
    files = sorted(p.relative_to(left) for p in left.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(right) for p in right.rglob("*") if p.is_file())
    assert all(filecmp.cmp(left / f, right / f, shallow=False) for f in files)
    # and the same as the one the build wrote
    built = built_digest / "site" / "pagefind"
    assert all(filecmp.cmp(left / f, built / f, shallow=False) for f in files)


# ---- in the browser ----------------------------------------------------------



@pytest.mark.browser
def test_search_by_a_person_finds_the_seed(watched: Watched, site_url: str) -> None:
    page = watched.page
    page.goto(site_url)
    _search(page, "Kissinger")
    assert SEED_TITLE in _titles(page)[0]
    assert watched.external == [] and watched.errors == []


@pytest.mark.browser
def test_search_by_a_word_of_the_body_finds_the_seed(watched: Watched, site_url: str) -> None:
    page = watched.page
    page.goto(site_url)
    _search(page, "HIMARS")
    assert SEED_TITLE in _titles(page)[0]
    expect(page.locator(f"{RESULTS} mark").first).to_be_visible()
    assert watched.external == [] and watched.errors == []


@pytest.mark.browser
def test_a_result_quotes_the_article_with_its_date_and_primary_topic(
    watched: Watched, site_url: str
) -> None:
    page = watched.page
    page.goto(site_url)
    _search(page, "Kissinger")  # a person, named in the body and in the chips
    first = page.locator(RESULTS).first
    excerpt = first.locator("article > p").last
    expect(excerpt.locator("mark").first).to_contain_text("Kissinger")
    words = set(excerpt.inner_text().replace(".", " ").replace(",", " ").split())
    body = set(SEED.read_text("utf-8").replace(".", " ").replace(",", " ").split())
    assert len(words & body) >= 8, words
    assert "People:" not in excerpt.inner_text()
    expect(first.locator(".digest-search-result__date")).to_have_text(
        re.compile(r"^\d{1,2} [A-Z][a-z]+ \d{4} · conflict, war and peace$"))
    assert watched.external == [] and watched.errors == []


@pytest.mark.browser
def test_a_person_facet_narrows_the_results(watched: Watched, site_url: str) -> None:
    page = watched.page
    page.goto(site_url)
    _search(page, "and")  # a word of every article
    expect(page.locator(RESULTS)).to_have_count(3)
    putin = page.locator(".digest-facet[data-facet='person']", has_text="Vladimir Putin")
    expect(putin).to_contain_text("2")
    putin.click()
    expect(putin).to_have_attribute("aria-pressed", "true")
    expect(page.locator(RESULTS)).to_have_count(2)
    expect(page.locator(".md-search-result__meta")).to_have_text("2 matching articles")
    titles = _titles(page)
    assert any(SEED_TITLE in t for t in titles) and GRAIN_TITLE in titles
    putin.click()  # and off again
    expect(page.locator(RESULTS)).to_have_count(3)
    assert watched.external == [] and watched.errors == []


@pytest.mark.browser
def test_a_year_facet_narrows_the_results(watched: Watched, site_url: str) -> None:
    page = watched.page
    page.goto(site_url)
    _search(page, "Russia")
    page.locator(".digest-facet[data-facet='year']", has_text="2023").click()
    expect(page.locator(RESULTS)).to_have_count(1)
    assert _titles(page) == [GRAIN_TITLE]


@pytest.mark.browser
def test_keyboard_only_search_opens_the_article(watched: Watched, site_url: str) -> None:
    page = watched.page
    page.goto(site_url)
    expect(page.locator("#__search")).not_to_be_checked()
    _search(page, "Kissinger")
    expect(page.locator("#__search")).to_be_checked()
    page.keyboard.press("ArrowDown")
    expect(page.locator(f"{RESULTS} a").first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text(SEED_TITLE)
    assert "/articles/" in page.url
    # Esc closes the search again, from the article page.
    page.keyboard.press("s")
    expect(page.locator("#__search")).to_be_checked()
    page.keyboard.press("Escape")
    expect(page.locator("#__search")).not_to_be_checked()
    assert watched.external == [] and watched.errors == []


@pytest.mark.browser
def test_enter_in_the_box_opens_the_first_result(watched: Watched, site_url: str) -> None:
    page = watched.page
    page.goto(site_url)
    _search(page, "Guterres")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(GRAIN_TITLE)


@pytest.mark.browser
def test_search_dialog_has_an_accessible_name(watched: Watched, site_url: str) -> None:
    page = watched.page
    page.goto(site_url)
    expect(page.get_by_role("dialog", name="Search articles")).to_have_count(1)
    expect(page.get_by_role("textbox", name="Search articles")).to_have_count(1)


@pytest.mark.browser
def test_hostile_text_in_results_is_only_text(watched: Watched, site_url: str) -> None:
    page = watched.page
    page.goto(site_url)
    _search(page, "alert")
    expect(page.locator(".md-search-result")).to_contain_text("<script>alert(4)</script>")
    expect(page.locator(".md-search-result script")).to_have_count(0)
    expect(page.locator(".md-search-result img")).to_have_count(0)
    page.wait_for_timeout(300)
    assert watched.dialogs == [] and watched.errors == []


@pytest.fixture
def sub_path_url(built_digest: Path, tmp_path: Path) -> Iterator[str]:
    """The built site published under /news/, as on user.github.io/news/."""
    (tmp_path / "news").symlink_to(built_digest / "site", target_is_directory=True)
    handler = functools.partial(_QuietHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/news/"
    server.shutdown()


@pytest.mark.browser
def test_search_works_under_a_sub_path(watched: Watched, sub_path_url: str) -> None:
    page = watched.page
    watched.external.clear()
    page.goto(sub_path_url + "people/vladimir-putin/")
    _search(page, "Guterres")
    page.locator(f"{RESULTS} a").first.click()
    expect(page.locator("h1")).to_have_text(GRAIN_TITLE)
    assert page.url.startswith(sub_path_url + "articles/")
    assert watched.errors == []


@pytest.mark.browser
def test_on_a_wide_screen_the_search_box_opens_at_its_full_width_at_once(
    watched: Watched, site_url: str
) -> None:
    page = watched.page
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(site_url)
    width = "() => document.querySelector('.digest-search .md-search__inner').offsetWidth"
    closed = page.evaluate(width)
    page.keyboard.press("/")
    opened = page.evaluate(width)
    page.wait_for_timeout(500)  # longer than Material's widening (a quarter second)
    assert closed < opened == page.evaluate(width)


@pytest.mark.browser
def test_the_search_dialog_opens_at_once(watched: Watched, site_url: str) -> None:
    page = watched.page
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(site_url)
    looks = """() => {
      const style = (part) => getComputedStyle(document.querySelector(`.digest-search ${part}`));
      return [style('.md-search__form').backgroundColor, style('.md-search__icon').color,
              style('.md-search__overlay').opacity, style('.md-search__output').opacity];
    }"""
    closed = page.evaluate(looks)
    page.keyboard.press("/")
    opened = page.evaluate(looks)
    page.wait_for_timeout(600)  # longer than Material's fades (up to 0.4 s)
    assert closed != opened == page.evaluate(looks)
