#!/usr/bin/env python3
"""Page weight of a built site: the largest HTML pages by bytes and by element count.

    python benchmarks/page_weight.py SITE [--top N] [--max-kb 100] [--max-elements 1400]

Prints the heaviest pages and how many exceed the limits (issue #13: no page over
100 KB or 1,400 elements at 4,000 articles); exits 1 when any does. Elements are
counted as Lighthouse's DOM size audit does: every element of the parsed page.
This is a measurement, not a test: pytest never collects it.
"""

from __future__ import annotations

import argparse
import sys
from html.parser import HTMLParser
from pathlib import Path


class _Counter(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements += 1


def elements(html: str) -> int:
    counter = _Counter()
    counter.feed(html)
    return counter.elements


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a built site (digest build's site/)")
    parser.add_argument("--top", type=int, default=8, help="pages listed per measure")
    parser.add_argument("--max-kb", type=float, default=100.0)
    parser.add_argument("--max-elements", type=int, default=1400)
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        parser.error(f"{args.site} holds no built site (no index.html)")
    rows = []
    for path in sorted(args.site.rglob("*.html")):
        data = path.read_bytes()
        rows.append((len(data), elements(data.decode("utf-8")), path.relative_to(args.site)))
    print(f"{len(rows)} HTML pages in {args.site}")
    for title, key in (("bytes", 0), ("elements", 1)):
        print(f"\nlargest by {title}:")
        for row in sorted(rows, key=lambda r: (-r[key], str(r[2])))[: args.top]:
            print(f"  {row[0] / 1024:7.1f} KB {row[1]:6d} elements  {row[2]}")
    heavy = [r for r in rows if r[0] > args.max_kb * 1024]
    crowded = [r for r in rows if r[1] > args.max_elements]
    print(f"\nover {args.max_kb:g} KB: {len(heavy)}; over {args.max_elements} elements: "
          f"{len(crowded)}")
    return 1 if heavy or crowded else 0


if __name__ == "__main__":
    sys.exit(main())
