#!/usr/bin/env python3
"""Lighthouse scores of a built Digest site: the pages issue #13 names.

    python benchmarks/lighthouse.py SITE_DIR [--node-prefix DIR] [--runs N] [--no-gzip]
                                    [--page PATH ...] [--form-factor mobile|desktop]
                                    [--port PORT] [--dark] [--json-dir DIR]

Serves SITE_DIR on 127.0.0.1 (http.server in a child process; HTML, CSS, JS, JSON and XML
gzip-compressed as GitHub Pages sends them, unless --no-gzip) and runs Lighthouse
(`npx lighthouse`, installed with `npm install --prefix DIR lighthouse@12`) against
Debian's Chromium (CHROME_PATH=/usr/bin/chromium, headless, no sandbox, no GPU, no
background networking) on the pages issue #13 names: the home page, the newest
article, the largest person, place, organisation and topic page (the most articles),
the archive and each index (people, places, organisations, topics), and the heaviest
page of an index's A-Z (by bytes). Each page is measured with the default mobile
emulation and with --preset=desktop, for the categories performance, accessibility,
best practices and SEO.

Prints a Markdown table of the four scores per page and form factor (the median of
--runs runs, with the range when runs differ), the audits that failed in any run
(score below 1; performance metrics with their score and value; diagnostics and
insights that weigh nothing in the score are left out), Lighthouse's own errors, and
any request to a host other than the one serving the site. Exit status 0 when every
score is 100. --dark measures the dark palette (prefers-color-scheme: dark).

Canonical URLs are only checked when the site was built with a site_url: build a copy
with `site_url: http://127.0.0.1:PORT/` and pass --port PORT.

Performance on loopback varies with the machine's load: rerun a page (--page,
--runs 3) before concluding. This is not a test: pytest never collects it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from serving import serve  # benchmarks/serving.py (scripts run from this folder)

CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
FORM_FACTORS = ("mobile", "desktop")
# Audits whose score is not pass/fail: shown, not counted as failures.
NOT_SCORED = {"informative", "manual", "notApplicable", "error"}


# ---- which pages ------------------------------------------------------------

_HREF = re.compile(r'href="([^"#?]+)"')


def _links(page: Path) -> list[str]:
    try:
        return _HREF.findall(page.read_text(encoding="utf-8"))
    except OSError:
        return []


def _first_under(site: Path, kind: str) -> str | None:
    """The first page of kind/ (not its index), by name."""
    folder = site / kind
    if not folder.is_dir():
        return None
    for entry in sorted(folder.iterdir()):
        if entry.is_dir() and (entry / "index.html").is_file():
            return f"{kind}/{entry.name}/"
    return None


def _resolve(base: str, href: str) -> str:
    """A relative href on the page at site path base ("articles/x/") as a site path."""
    parts = [p for p in base.split("/") if p]
    for piece in href.split("/"):
        if piece == "..":
            parts = parts[:-1]
        elif piece and piece != ".":
            parts.append(piece)
    path = "/".join(parts)
    return path + "/" if href.endswith("/") else path


_COUNT = re.compile(r'<p class="digest-count">(\d+) article')
DOSSIERS = (("person", "people"), ("place", "places"), ("organisation", "organisations"),
            ("topic", "topics"))


def _count(page: Path) -> int:
    """The number of articles a dossier page says it has (0 when it says none)."""
    try:
        found = _COUNT.search(page.read_text(encoding="utf-8"))
    except OSError:
        return 0
    return int(found.group(1)) if found else 0


def _largest(site: Path, kind: str) -> str | None:
    """The dossier of kind/ with the most articles (the first by name among equals)."""
    folder = site / kind
    if not folder.is_dir():
        return None
    counted = [
        (-_count(entry / "index.html"), entry.name)
        for entry in sorted(folder.iterdir())
        if entry.name != "letter" and (entry / "index.html").is_file()
    ]
    return f"{kind}/{min(counted)[1]}/" if counted else None


def _heaviest_letter(site: Path) -> str | None:
    """The largest page (bytes) of any index's A-Z, where an index is split by letter."""
    pages = [page for _, kind in DOSSIERS for page in (site / kind / "letter").rglob("index.html")]
    if not pages:
        return None
    page = max(sorted(pages), key=lambda p: p.stat().st_size)
    return page.parent.relative_to(site).as_posix() + "/"


def pick_pages(site: Path) -> dict[str, str]:
    """{label: site path}: home, newest article, largest dossiers, archive and indexes."""
    pages = {"home": ""}
    article = next(
        (
            _resolve("", h)
            for h in _links(site / "index.html")
            if h.startswith("articles/") and h.endswith("/")
        ),
        None,
    )
    article = article or _first_under(site, "articles")
    if article:
        pages["article"] = article
    for label, kind in DOSSIERS:
        path = _largest(site, kind)
        if path:
            pages[label] = path
    for index in ("archive", *(kind for _, kind in DOSSIERS)):
        if (site / index / "index.html").is_file():
            pages[f"{index} index"] = f"{index}/"
    letter = _heaviest_letter(site)
    if letter:
        pages["letter page"] = letter
    return pages


# ---- running Lighthouse -----------------------------------------------------


@dataclass
class Result:
    page: str
    form_factor: str
    scores: list[dict[str, float | None]] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # audit id -> note
    external: set[str] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)

    def score(self, category: str) -> str:
        values = [s[category] for s in self.scores if s.get(category) is not None]
        if not values:
            return "–"
        median, low, high = (round(v * 100) for v in (statistics.median(values), *_span(values)))
        return f"{median}" if low == high else f"{median} ({low}–{high})"


def _span(values: list[float]) -> tuple[float, float]:
    return min(values), max(values)


def lighthouse_command(
    node_prefix: Path, url: str, form_factor: str, out: Path, dark: bool = False
) -> list[str]:
    local = node_prefix / "node_modules" / ".bin" / "lighthouse"
    if not local.exists():
        raise SystemExit(
            f"no Lighthouse in {node_prefix}: npm install --prefix {node_prefix} lighthouse@12"
        )
    cmd = [
        "npx",
        "--no-install",
        "--prefix",
        str(node_prefix),
        "lighthouse",
        url,
        f"--chrome-flags={CHROME_FLAGS}" + (" --force-dark-mode" if dark else ""),
        "--only-categories=" + ",".join(CATEGORIES),
        "--output=json",
        f"--output-path={out}",
        "--quiet",
    ]
    if form_factor == "desktop":
        cmd.append("--preset=desktop")
    return cmd


def run_once(
    node_prefix: Path,
    url: str,
    form_factor: str,
    result: Result,
    json_dir: Path | None,
    dark: bool = False,
) -> None:
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as tmp:
        out = Path(tmp) / "report.json"
        env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", CHROMIUM)}
        proc = subprocess.run(
            lighthouse_command(node_prefix, url, form_factor, out, dark),
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if proc.returncode != 0 or not out.exists():
            result.errors.append(f"lighthouse exit {proc.returncode}: {proc.stderr.strip()[-500:]}")
            return
        report = json.loads(out.read_text(encoding="utf-8"))
        if json_dir:
            json_dir.mkdir(parents=True, exist_ok=True)
            name = f"{result.page}-{form_factor}-{len(result.scores)}.json".replace("/", "_")
            (json_dir / name).write_text(out.read_text(encoding="utf-8"), encoding="utf-8")
    if report.get("runtimeError"):
        result.errors.append(str(report["runtimeError"].get("message")))
    categories = report["categories"]
    result.scores.append({c: categories[c]["score"] for c in CATEGORIES if c in categories})
    audits = report["audits"]
    for category in CATEGORIES:
        for ref in categories.get(category, {}).get("auditRefs", []):
            audit = audits.get(ref["id"], {})
            score = audit.get("score")
            mode = audit.get("scoreDisplayMode")
            if category == "performance" and ref.get("weight", 0) == 0:
                continue  # a diagnostic or insight: it weighs nothing in the score
            if mode == "error":
                result.failed[ref["id"]] = "error: " + str(audit.get("errorMessage", ""))[:80]
            elif score is not None and mode not in NOT_SCORED and score < 1:
                note = f"{score:.2f}" if mode in ("numeric", "metricSavings") else ""
                result.failed[ref["id"]] = note + (
                    f" {audit.get('displayValue')}" if audit.get("displayValue") else ""
                )
    host = urlsplit(url).netloc
    for item in audits.get("network-requests", {}).get("details", {}).get("items", []):
        split = urlsplit(item.get("url", ""))
        if split.scheme in ("http", "https") and split.netloc != host:
            result.external.add(split.netloc)


def table(results: list[Result]) -> str:
    head = "| page | form factor | " + " | ".join(CATEGORIES) + " | failed audits |"
    rows = [head, "|" + " --- |" * (len(CATEGORIES) + 3)]
    for r in results:
        failed = (
            ", ".join(f"{k} ({v.strip()})" if v.strip() else k for k, v in sorted(r.failed.items()))
            or "–"
        )
        if r.errors:
            failed += " · errors: " + "; ".join(r.errors)
        if r.external:
            failed += " · external hosts: " + ", ".join(sorted(r.external))
        cells = " | ".join(r.score(c) for c in CATEGORIES)
        rows.append(f"| {r.page} | {r.form_factor} | {cells} | {failed} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a built site (digest build's site/)")
    parser.add_argument(
        "--node-prefix",
        type=Path,
        default=Path("/tmp/lhnode"),
        help="where `npm install --prefix DIR lighthouse@12` put Lighthouse",
    )
    parser.add_argument("--runs", type=int, default=1, help="runs per page (median scores)")
    parser.add_argument("--no-gzip", action="store_true", help="serve files uncompressed")
    parser.add_argument(
        "--page",
        action="append",
        default=[],
        help="a site path to measure instead of the four (repeatable)",
    )
    parser.add_argument(
        "--form-factor",
        choices=FORM_FACTORS,
        action="append",
        help="only this form factor (repeatable; default both)",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=0,
        help="serve on this port (a site built with site_url http://127.0.0.1:PORT/ "
        "then has canonical URLs Lighthouse can check); default: any free port",
    )
    parser.add_argument(
        "--dark",
        action="store_true",
        help="prefers-color-scheme: dark (Chromium's --force-dark-mode): the dark palette",
    )
    parser.add_argument("--json-dir", type=Path, help="keep each Lighthouse JSON report here")
    args = parser.parse_args(argv)
    site = args.site.resolve()
    if not (site / "index.html").is_file():
        parser.error(f"{site} has no index.html: build the site first")
    pages = {p.strip("/") or "home": p.lstrip("/") for p in args.page} or pick_pages(site)
    server, base = serve(site, compress=not args.no_gzip, port=args.port)
    results = []
    try:
        for label, path in pages.items():
            for form_factor in args.form_factor or FORM_FACTORS:
                result = Result(label, form_factor)
                for _ in range(args.runs):
                    print(f"lighthouse: {label} ({path or '/'}) {form_factor}", file=sys.stderr)
                    run_once(
                        args.node_prefix.resolve(),
                        base + path,
                        form_factor,
                        result,
                        args.json_dir,
                        args.dark,
                    )
                results.append(result)
    finally:
        server.shutdown()
    print("Pages: " + ", ".join(f"{label} = /{path}" for label, path in pages.items()))
    print()
    print(table(results))
    ok = all(r.score(c) == "100" for r in results for c in CATEGORIES)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
