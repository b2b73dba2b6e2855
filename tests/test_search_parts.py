"""The search index in parts: fixed by the articles alone, and only the part an
added article falls in is indexed again."""

from __future__ import annotations

import functools
import http.server
import json
import random
import shutil
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Route, expect

from digest import search
from digest.build import build
from digest.config import load_config
from digest.search import plan_parts
from tests.conftest import make_digest
from tests.site_fixture import SECOND, _QuietHandler


def _page(i: int) -> str:
    return f"articles/story-{i}/index.html"


def _dates(count: int, days: int = 60) -> dict[str, str | None]:
    rng = random.Random(count)
    return {_page(i): f"1987-{3 + rng.randrange(days) // 30:02d}-{1 + rng.randrange(28):02d}"
            for i in range(count)}


def test_every_article_is_in_exactly_one_part_of_bounded_size() -> None:
    dates = _dates(1000)
    plan = plan_parts(dates, size=100)
    pages = [p for part in plan.values() for p in part]
    assert sorted(pages) == sorted(dates)
    assert all(0 < len(part) <= 100 for part in plan.values())
    assert len(plan) < 40  # periods are halved only as far as needed


def test_parts_do_not_depend_on_the_order_articles_come_in() -> None:
    dates = _dates(500)
    shuffled = list(dates.items())
    random.Random(1).shuffle(shuffled)
    assert plan_parts(dict(shuffled), size=50) == plan_parts(dates, size=50)


def test_an_added_article_changes_one_part_or_splits_it() -> None:
    dates = _dates(800)
    before = plan_parts(dates, size=100)
    for i, day in enumerate(["1987-03-14", "1987-04-02", "1986-12-31", None]):
        after = plan_parts({**dates, _page(1000 + i): day}, size=100)
        changed = [name for name in after if after[name] != before.get(name)]
        gone = [name for name in before if name not in after]
        assert 1 <= len(changed) <= 2 and len(gone) <= 1, (day, changed, gone)


def test_parts_are_newest_first_with_undated_articles_last() -> None:
    dates = {**_dates(300), "articles/undated/index.html": None}
    plan = plan_parts(dates, size=40)
    names = list(plan)
    assert names[-1] == search.UNDATED
    newest = [max(dates[p] for p in plan[name]) for name in names[:-1]]
    oldest = [min(dates[p] for p in plan[name]) for name in names[:-1]]
    assert all(old >= new for old, new in zip(oldest, newest[1:], strict=False))


def test_a_day_with_more_articles_than_a_part_holds_is_shared_out() -> None:
    dates = {_page(i): "1987-03-02" for i in range(25)}
    plan = plan_parts(dates, size=10)
    assert len(plan) == 3 and all(len(part) <= 12 for part in plan.values())
    assert plan_parts({**dates, _page(99): "1987-03-02"}, size=10).keys() == plan.keys()


# ---- in a build --------------------------------------------------------------


def _files(site: Path) -> dict[str, tuple[int, bytes]]:
    return {p.relative_to(site).as_posix(): (p.stat().st_ino, p.read_bytes())
            for p in site.rglob("*") if p.is_file()}


@pytest.mark.model
def test_adding_an_article_indexes_only_its_part(
    tmp_path: Path, seed_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "PART_SIZE", 1)  # one article per part
    root = make_digest(tmp_path / "d", {"seed.txt": seed_text, "2023-04-05-grain.md": SECOND})
    config = load_config(root)
    first = build(config).search_parts
    before = _files(root / "site")
    # The oldest article: only its own page and its newer neighbour's change.
    (root / "content" / "articles" / "2023-01-10-oslo.txt").write_text(
        "OSLO 2023-01-10\n\nNorway's prime minister Jonas Gahr Store opened a bridge.", "utf-8")
    parts = build(config).search_parts
    after = _files(root / "site")
    assert len(parts) == 3
    seed_part = next(name for name, pages in parts.items() if "washington" in pages[0])
    assert first[seed_part] == parts[seed_part]
    kept = [path for path in after if path.startswith(f"pagefind/{seed_part}/")]
    assert kept and all(after[path][0] == before[path][0] for path in kept)
    new_part = next(name for name, pages in parts.items() if "norway" in pages[0])
    assert all(after[path][0] != before.get(path, (None,))[0]
               for path in after if path.startswith(f"pagefind/{new_part}/"))

    for derived in ("site", "build"):
        shutil.rmtree(root / derived)
    build(config)  # clean, with the extraction cache
    assert {p: data for p, (_, data) in _files(root / "site").items()} == \
        {p: data for p, (_, data) in after.items()}


def _wasm(site: Path) -> list[str]:
    """The WebAssembly files of the search index, by part, newest part first."""
    names = [part["name"] for part in
             json.loads((site / "pagefind" / "parts.json").read_text("utf-8"))]
    return [f"{name}/{wasm.name}" for name in names
            for wasm in sorted((site / "pagefind" / name).glob("wasm.*"))]


@pytest.mark.model
def test_only_the_newest_part_holds_webassembly_as_a_newer_one_comes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "PART_SIZE", 1)  # one article per part
    root = make_digest(tmp_path / "d", {
        "2022-05-31-rockets.md": "---\ntitle: Rockets for Ukraine\n---\n"
                                 "Washington will send rockets to Ukraine.",
        "2023-04-05-grain.md": SECOND,
    })
    config = load_config(root)
    first = list(build(config).search_parts)
    # The one file the browser loads (Pagefind's JS: wasm.<the entry's "wasm">.pagefind).
    assert _wasm(root / "site") == [f"{first[0]}/wasm.en.pagefind"]
    (root / "content" / "articles" / "2024-01-10-oslo.txt").write_text(
        "OSLO 2024-01-10\n\nNorway's prime minister Jonas Gahr Store opened a bridge.", "utf-8")
    parts = list(build(config).search_parts)
    assert len(parts) == 3 and parts[1:] == first
    assert _wasm(root / "site") == [f"{parts[0]}/wasm.en.pagefind"]
    after = _files(root / "site")

    for derived in ("site", "build"):
        shutil.rmtree(root / derived)
    build(config)  # clean, with the extraction cache
    assert {p: data for p, (_, data) in _files(root / "site").items()} == \
        {p: data for p, (_, data) in after.items()}


# ---- in the browser ----------------------------------------------------------


class _PagesHandler(_QuietHandler):
    """Files with the cache lifetime GitHub Pages gives them (ten minutes)."""

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()


def _served_in_parts(root: Path, part_size: int, parts: int) -> Iterator[str]:
    """The digest at `root` built with search parts of `part_size` articles (`parts` of
    them), served on loopback as GitHub Pages serves it: its address."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "PART_SIZE", part_size)
        assert len(build(load_config(root)).search_parts) == parts
    handler = functools.partial(_PagesHandler, directory=str(root / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def parted_site(tmp_path_factory: pytest.TempPathFactory, browser: Browser) -> Iterator[str]:
    """Four articles in two parts of the index (two months apart), served on loopback."""
    root = make_digest(tmp_path_factory.mktemp("parts") / "d", {
        "2023-04-01-kyiv.md": "---\ntitle: Kyiv and Ukraine rebuild\n---\n"
                              "Ukraine and its allies met in Kyiv to plan the rebuilding.",
        "2023-04-05-grain.md": SECOND,
        "2023-09-01-odesa.md": "---\ntitle: Odesa port and Ukraine exports\n---\n"
                               "Ukraine and Turkey reopened the port of Odesa for grain.",
        "2023-09-03-lviv.md": "---\ntitle: Lviv and Ukraine schools\n---\n"
                              "Ukraine and Poland opened new schools in Lviv.",
    })
    yield from _served_in_parts(root, part_size=2, parts=2)


# The paths of the search index's files downloaded since a time (ms after navigation)
# over the network: a copy from the browser's cache transfers nothing.
_DOWNLOADED = """(since) => performance.getEntriesByType("resource")
    .filter((e) => e.name.includes("/pagefind/") && e.transferSize > 0 && e.startTime >= since)
    .map((e) => new URL(e.name).pathname)"""


@pytest.mark.model
@pytest.mark.browser
def test_a_search_downloads_each_file_of_the_index_once(
    browser: Browser, parted_site: str
) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(parted_site)
    page.keyboard.press("/")
    page.keyboard.type("Ukraine")
    expect(page.locator(".md-search-result__item")).to_have_count(4, timeout=15_000)
    page.wait_for_load_state("networkidle")
    fetched = page.evaluate(_DOWNLOADED, 0)
    context.close()
    entries = [path for path in fetched if path.endswith("/pagefind-entry.json")]
    assert len(entries) == 2, fetched  # one per part
    assert len([path for path in fetched if "/wasm." in path]) == 1, fetched  # shared
    assert sorted(fetched) == sorted(set(fetched)), fetched


@pytest.mark.model
@pytest.mark.browser
def test_search_files_come_at_the_first_move_so_a_search_waits_only_for_its_own(
    browser: Browser, parted_site: str
) -> None:
    with urllib.request.urlopen(f"{parted_site}pagefind/parts.json") as response:
        newest, older = (f"/pagefind/{part['name']}/" for part in json.load(response))
    context = browser.new_context()
    page = context.new_page()
    page.goto(parted_site)
    page.wait_for_load_state("networkidle")
    # A page view nobody touches downloads the list of the index's parts, nothing more.
    assert page.evaluate(_DOWNLOADED, 0) == ["/pagefind/parts.json"]
    # The reader's first move fetches what Pagefind starts from: its script and the
    # newest part's entry, metadata and WebAssembly; nothing that depends on a query,
    # and nothing of the older part until a search asks.
    moved = page.evaluate("performance.now()")
    page.mouse.move(20, 300)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    started = page.evaluate(_DOWNLOADED, moved)
    assert "/pagefind/pagefind.js" in started, started
    assert [path for path in started if path.startswith(newest) and "/wasm." in path], started
    assert [path for path in started if path.startswith(newest) and ".pf_meta" in path], started
    assert [path for path in started if "/index/" in path or "/fragment/" in path] == []
    assert [path for path in started if path.startswith(older)] == []
    # A search then downloads its index chunks, results and the older part, not those
    # files again.
    opened = page.evaluate("performance.now()")
    page.keyboard.press("/")
    page.keyboard.type("Ukraine")
    expect(page.locator(".md-search-result__item")).to_have_count(4, timeout=15_000)
    page.wait_for_load_state("networkidle")
    searched = page.evaluate(_DOWNLOADED, opened)
    context.close()
    assert [path for path in searched if path in started] == [], searched
    assert [path for path in searched if path.startswith(older)], searched


@pytest.mark.model
@pytest.mark.browser
def test_search_finds_articles_in_every_part_and_lists_them_by_date(
    browser: Browser, parted_site: str
) -> None:
    page = browser.new_context().new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(parted_site)
    page.keyboard.press("/")
    page.keyboard.type("and")  # a word of all four
    results = page.locator(".md-search-result__item")
    expect(results).to_have_count(4, timeout=15_000)
    # Narrowed to a place and with the words cleared, the list is by date, newest
    # first, across the parts as within them.
    page.locator(".digest-facet[data-facet='place']", has_text="Ukraine").click()
    page.locator(".md-search__input").fill("")
    expect(page.locator(".md-search-result__item h1")).to_have_text(
        ["Lviv and Ukraine schools", "Odesa port and Ukraine exports",
         "Grain talks resume in Geneva", "Kyiv and Ukraine rebuild"])
    assert errors == []


@pytest.mark.model
@pytest.mark.browser
def test_words_find_articles_newest_first_across_the_parts(
    browser: Browser, parted_site: str
) -> None:
    page = browser.new_context().new_page()
    page.goto(parted_site)
    page.keyboard.press("/")
    page.keyboard.type("Ukraine")
    expect(page.locator(".md-search-result__item h1")).to_have_text(
        ["Lviv and Ukraine schools", "Odesa port and Ukraine exports",
         "Grain talks resume in Geneva", "Kyiv and Ukraine rebuild"], timeout=15_000)


def _search_as_the_oldest_part_comes(browser: Browser, site: str, query: str,
                                     before: list[str], after: list[str]) -> None:
    """Search `site` with the oldest part's files held back: the results shown are
    `before` while they are held (they must have been asked for), then `after`."""
    with urllib.request.urlopen(f"{site}pagefind/parts.json") as response:
        oldest = f"**/pagefind/{json.load(response)[-1]['name']}/**"
    held: list[Route] = []
    released = threading.Event()

    def hold(route: Route) -> None:
        if released.is_set():
            route.continue_()
        else:
            held.append(route)

    context = browser.new_context()
    page = context.new_page()
    page.route(oldest, hold)
    page.goto(site)
    page.keyboard.press("/")
    page.keyboard.type(query)
    titles = page.locator(".md-search-result__item h1")
    expect(titles).to_have_text(before, timeout=15_000)
    assert held, "the oldest part was not asked for"
    released.set()
    for route in held:
        route.continue_()
    expect(titles).to_have_text(after, timeout=15_000)
    expect(page.locator(".md-search-result__meta")).to_have_text(
        f"{len(after)} matching articles")
    context.close()


@pytest.mark.model
@pytest.mark.browser
def test_the_newest_parts_results_show_while_the_older_parts_load(
    browser: Browser, parted_site: str
) -> None:
    _search_as_the_oldest_part_comes(
        browser, parted_site, "Ukraine",
        before=["Lviv and Ukraine schools", "Odesa port and Ukraine exports"],
        after=["Lviv and Ukraine schools", "Odesa port and Ukraine exports",
               "Grain talks resume in Geneva", "Kyiv and Ukraine rebuild"])


@pytest.fixture(scope="module")
def one_article_parts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Four articles, each its own part of the index, served on loopback. "Wheat"
    is in the second newest and the oldest, not in the newest."""
    root = make_digest(tmp_path_factory.mktemp("batches") / "d", {
        "2023-01-10-kansas.md": "---\ntitle: Kansas wheat harvest\n---\n"
                                "Farmers in Kansas brought in the wheat early this year.",
        "2023-03-10-ports.md": "---\ntitle: Ports reopen after the storm\n---\n"
                               "The ports of Hamburg and Rotterdam reopened on Monday.",
        "2023-05-10-ukraine.md": "---\ntitle: Ukraine wheat exports rise\n---\n"
                                 "Ukraine sold more wheat abroad in May than in April.",
        "2023-07-10-schools.md": "---\ntitle: Schools open in Lviv\n---\n"
                                 "New schools opened in Lviv for the autumn term.",
    })
    yield from _served_in_parts(root, part_size=1, parts=4)


@pytest.mark.model
@pytest.mark.browser
def test_a_word_the_newest_part_lacks_is_shown_before_the_oldest_parts_load(
    browser: Browser, one_article_parts: str
) -> None:
    _search_as_the_oldest_part_comes(
        browser, one_article_parts, "wheat",
        before=["Ukraine wheat exports rise"],
        after=["Ukraine wheat exports rise", "Kansas wheat harvest"])
