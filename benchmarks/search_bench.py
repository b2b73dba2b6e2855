#!/usr/bin/env python3
"""Search benchmark: our digest (Pagefind) against a stock Material blog (lunr), in a browser.

    python benchmarks/search_bench.py [N ...] [--repeat R] [--query Q ...] [--work DIR]
                                      [--gzip] [--shared DIR]

For each N (default 1000), in one run and on the same machine, this makes the two
corpora of the same N bench articles with `shared/bench/make_corpus.py` (formats
`digest` and `material`), builds them (`digest build`; `mkdocs build` for the stock
blog), serves each site on loopback and, in headless Debian Chromium (Playwright,
--headless --no-sandbox --disable-gpu --disable-background-networking), measures a
reader's cold first search R times per query, each in a fresh browser context (empty
cache):

  first result   ms from navigation start to the first search result in the page
                 (a MutationObserver stamps it), with the reader pressing "/" and
                 typing the query as soon as the page's load event has fired
  after load     the same, from the load event (what search adds to the page load)
  load           ms from navigation start to the load event (the page itself)
  (the page is each site's home page; --stock-page blog/ starts the stock blog from
  its list of latest posts instead, the page like our home page)
  bytes          bytes over the wire (Resource Timing transferSize: body as sent plus
                 headers) from navigation to the first result: all, and search only
                 (Pagefind's bundle; Material's search_index.json, worker and lunr)
  settled bytes  all bytes once the network is idle after the first result
                 (ours: including the facet counts fetched after the results)
  page view      search bytes a cold page view downloads when the reader does
                 nothing (no move, no key), once the network is idle: what every
                 visit costs, searching or not (one load per side)

and prints a Markdown table of medians with the ratios ours/stock. --gzip serves
HTML, CSS, JS, JSON and XML gzip-compressed as GitHub Pages does (Pagefind's index
files are compressed already). Figures only mean something as ratios within one run.

With --work DIR the corpora and builds are kept there and reused (the digest is
rebuilt each run, so theme changes count; its extraction cache makes that quick).
This is not a test: pytest never collects it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from serving import serve  # benchmarks/serving.py (scripts run from this folder)

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
QUERIES = ("OPEC", "Volcker", "coffee")
RESULT = ".md-search-result__item"
SEARCH_PARTS = ("/pagefind/", "/search/search_index", "/workers/search", "/lunr/")

# Stamps the moment the first search result enters the page, relative to navigation start.
OBSERVER = """
(() => {
  const seen = () => {
    if (window.__firstResult === undefined && document.querySelector(SELECTOR)) {
      window.__firstResult = performance.now();
    }
  };
  new MutationObserver(seen).observe(document, {childList: true, subtree: true});
})();
""".replace("SELECTOR", json.dumps(RESULT))


@dataclass
class Sample:
    first_ms: float
    load_ms: float
    bytes_first: int
    search_bytes_first: int
    bytes_settled: int
    results: int


@dataclass
class Side:
    samples: list[Sample] = field(default_factory=list)
    page_view_bytes: int = 0

    def median(self, name: str) -> float:
        return statistics.median(getattr(s, name) for s in self.samples)

    def after_load(self) -> float:
        return statistics.median(s.first_ms - s.load_ms for s in self.samples)


def log(message: str) -> None:
    print(f"[search-bench] {message}", file=sys.stderr, flush=True)


def run(cmd: list[str], cwd: Path | None = None) -> None:
    env = dict(
        os.environ,
        NO_MKDOCS_2_WARNING="1",
        PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
    )
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"failed ({done.returncode}): {' '.join(cmd)}")


def prepare(n: int, work: Path, shared: Path, rebuild: bool = True) -> tuple[Path, Path]:
    """The built sites (ours, stock) of N bench articles, under work/n{N}/."""
    root = work / f"n{n}"
    ours, stock = root / "digest", root / "material"
    if not rebuild and (ours / "site" / "pagefind").is_dir() and (stock / "site").is_dir():
        return ours / "site", stock / "site"
    script = shared / "bench" / "make_corpus.py"
    if not (stock / "mkdocs.yml").exists():
        log(f"N={n}: making the corpora")
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        run([sys.executable, str(script), str(n), str(root / "articles"), "--format", "digest"])
        run([sys.executable, str(script), str(n), str(stock), "--format", "material"])
        (ours / "content").mkdir(parents=True)
        shutil.move(str(root / "articles"), str(ours / "content" / "articles"))
    # The current config and theme of this checkout, every run.
    shutil.copy2(REPO / "mkdocs.yml", ours / "mkdocs.yml")
    shutil.rmtree(ours / "theme", ignore_errors=True)
    shutil.copytree(REPO / "theme", ours / "theme")
    log(f"N={n}: digest build")
    started = time.perf_counter()
    run([sys.executable, "-m", "digest", "build"], cwd=ours)
    log(f"N={n}: digest build took {time.perf_counter() - started:.1f} s")
    if not (stock / "site" / "index.html").exists():
        log(f"N={n}: mkdocs build (stock Material blog)")
        run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=stock)
    return ours / "site", stock / "site"


def measure(browser, url: str, query: str) -> Sample:  # type: ignore[no-untyped-def]
    # A fresh context has an empty cache. Bytes come from Resource Timing (transferSize:
    # body as sent plus headers) rather than a CDP Network session, whose per-request
    # overhead would slow the side that makes more, smaller requests.
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.add_init_script(OBSERVER)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: errors.append(f"{r.url}: {r.failure}"))
    page.goto(url, wait_until="load")
    page.keyboard.press("/")
    page.keyboard.type(query)
    page.wait_for_function("window.__firstResult !== undefined", timeout=60_000)
    # Wait for what follows the first result (more results, facet counts) to settle.
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    timing = page.evaluate("""() => {
      const nav = performance.getEntriesByType("navigation")[0];
      const first = window.__firstResult;
      const resources = performance.getEntriesByType("resource").map(
        (e) => [e.name, e.responseEnd, e.transferSize]);
      resources.push([nav.name, nav.responseEnd, nav.transferSize]);
      return {first, load: nav.loadEventStart, resources};
    }""")
    results = page.locator(RESULT).count()
    context.close()
    first = timing["first"]
    before = [(u, b) for u, end, b in timing["resources"] if end <= first]
    sample = Sample(
        first_ms=first,
        load_ms=timing["load"],
        bytes_first=sum(b for _, b in before),
        search_bytes_first=sum(b for u, b in before if any(p in u for p in SEARCH_PARTS)),
        bytes_settled=sum(b for _, _, b in timing["resources"]),
        results=results,
    )
    if errors:
        log(f"console errors on {url} for {query!r}: {errors}")
    return sample


def page_view_bytes(browser, url: str) -> int:  # type: ignore[no-untyped-def]
    """Search bytes of a cold page view the reader never touches."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    resources = page.evaluate("""() => performance.getEntriesByType("resource").map(
      (e) => [e.name, e.transferSize])""")
    context.close()
    return sum(b for u, b in resources if any(p in u for p in SEARCH_PARTS))


def kb(n: float) -> str:
    return f"{n / 1024:,.0f} KB"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if b else "n/a"


def table(rows: list[tuple[int, Side, Side]], compress: bool, stock_page: str) -> str:
    head = [
        "N",
        "first result ours",
        "first result stock",
        "ratio",
        "after load ours",
        "after load stock",
        "ratio",
        "page load ours",
        "page load stock",
        "bytes to 1st result ours",
        "stock",
        "ratio",
        "search bytes ours",
        "stock",
        "ratio",
        "settled bytes ours",
        "stock",
        "ratio",
        "page view search bytes ours",
        "stock",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for n, ours, stock in rows:
        f = [ours.median("first_ms"), stock.median("first_ms")]
        b = [ours.median("bytes_first"), stock.median("bytes_first")]
        s = [ours.median("search_bytes_first"), stock.median("search_bytes_first")]
        t = [ours.median("bytes_settled"), stock.median("bytes_settled")]
        lines.append(
            "| "
            + " | ".join(
                [
                    f"{n:,}",
                    f"{f[0]:.0f} ms",
                    f"{f[1]:.0f} ms",
                    ratio(*f),
                    f"{ours.after_load():.0f} ms",
                    f"{stock.after_load():.0f} ms",
                    ratio(ours.after_load(), stock.after_load()),
                    f"{ours.median('load_ms'):.0f} ms",
                    f"{stock.median('load_ms'):.0f} ms",
                    kb(b[0]),
                    kb(b[1]),
                    ratio(*b),
                    kb(s[0]),
                    kb(s[1]),
                    ratio(*s),
                    kb(t[0]),
                    kb(t[1]),
                    ratio(*t),
                    kb(ours.page_view_bytes),
                    kb(stock.page_view_bytes),
                ]
            )
            + " |"
        )
    wire = "gzip-encoded text files" if compress else "uncompressed (python http.server)"
    lines.append("")
    lines.append(
        f"Medians over {len(rows[0][1].samples)} cold loads per side and size; "
        f"served on loopback, {wire}; stock page: /{stock_page}."
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000])
    parser.add_argument("--repeat", type=int, default=3, help="cold loads per query and side")
    parser.add_argument("--query", action="append", help=f"default: {', '.join(QUERIES)}")
    parser.add_argument("--work", type=Path, help="keep corpora and builds here (reused)")
    parser.add_argument(
        "--no-rebuild",
        action="store_true",
        help="with --work: measure the sites built there as they are",
    )
    parser.add_argument("--gzip", action="store_true", help="serve text files gzip-encoded")
    parser.add_argument(
        "--stock-page",
        default="",
        help="path of the stock blog's page to start from: '' (its home, a"
        " short index.md; default) or 'blog/' (its latest posts, like"
        " our home page)",
    )
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    args = parser.parse_args(argv)
    queries = args.query or list(QUERIES)

    from playwright.sync_api import sync_playwright

    work = args.work or Path(tempfile.mkdtemp(prefix="search-bench-"))
    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for n in args.sizes:
            ours_site, stock_site = prepare(n, work, args.shared, not args.no_rebuild)
            ours_server, ours_url = serve(ours_site, args.gzip)
            stock_server, stock_url = serve(stock_site, args.gzip)
            stock_url += args.stock_page
            ours, stock = Side(), Side()
            try:
                for i in range(args.repeat):
                    for query in queries:
                        # Alternate which side goes first, so drift hits both alike.
                        pair = [(ours, ours_url), (stock, stock_url)]
                        for side, url in pair if i % 2 == 0 else pair[::-1]:
                            sample = measure(browser, url, query)
                            side.samples.append(sample)
                            who = "ours" if side is ours else "stock"
                            log(
                                f"N={n} {who:5} {query!r}: first result {sample.first_ms:.0f} ms,"
                                f" {kb(sample.bytes_first)} ({kb(sample.search_bytes_first)}"
                                f" search), settled {kb(sample.bytes_settled)},"
                                f" {sample.results} results"
                            )
                ours.page_view_bytes = page_view_bytes(browser, ours_url)
                stock.page_view_bytes = page_view_bytes(browser, stock_url)
            finally:
                ours_server.shutdown()
                stock_server.shutdown()
            rows.append((n, ours, stock))
        browser.close()
    print(table(rows, args.gzip, args.stock_page))
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
