#!/usr/bin/env python3
"""Feed check on a large digest: the W3C feed validator and feedparser over every feed.

    python benchmarks/feeds_check.py [N] [--shared DIR] [--keep]

Makes a digest of N bench articles (default 1,000; `shared/bench/make_corpus.py`,
the repo's mkdocs.yml and theme), builds it twice — as the GitHub Pages workflow
does (with --site-url) and with no site URL at all — and after each build runs
`shared/tools/validate_feeds.py` over every feed (the digest's and every
topic's) and feedparser over every Atom and RSS feed. Prints one line per build:
feeds, topic feeds, validator errors and warnings, feeds feedparser flags as
bozo. Exit status 1 when any build has a validator error or a bozo feed.

Too slow for the test suite at this size (tests/test_feeds.py runs the same
checks on a digest of 60); pytest never collects it.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import feedparser

REPO = Path(__file__).resolve().parent.parent
SITE_URL = "https://curator.github.io/digest"  # as actions/configure-pages gives it


def build(root: Path, *args: str) -> None:
    result = subprocess.run([sys.executable, "-m", "digest", "build", *args], cwd=root,
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"digest build failed:\n{result.stderr}")


def check(site: Path, validator: Path, base: str) -> tuple[str, bool]:
    feeds = site / "feeds"
    result = subprocess.run([sys.executable, str(validator), str(site), "--base", base],
                            capture_output=True, text=True, check=False)
    summary = re.search(r"(\d+) feeds: (\d+) errors, (\d+) warnings", result.stdout)
    if not summary:
        sys.exit(f"validator failed:\n{result.stdout}{result.stderr}")
    count, errors, warnings = map(int, summary.groups())
    xml = sorted(p for p in feeds.rglob("*") if p.suffix in (".atom", ".rss"))
    bozo = [p.name for p in xml if feedparser.parse(p).bozo]
    top = [p for p in xml if p.parent == feeds]
    topics = len([p for p in top if p.stem != "all"]) // 2
    line = (f"{count} feeds ({topics} topics × Atom and RSS, the digest's, and "
            f"{len(xml) - len(top)} dossier Atom feeds), "
            f"{errors} errors, {warnings} warnings; feedparser bozo: {len(bozo)}")
    if errors:
        line += "\n" + "\n".join(result.stdout.splitlines()[:20])
    return line, not errors and not bozo


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=1000, help="number of articles")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared",
                        help="the shared folder (bench/make_corpus.py, tools/validate_feeds.py)")
    parser.add_argument("--keep", action="store_true", help="keep the digest folder")
    args = parser.parse_args()
    validator = args.shared / "tools" / "validate_feeds.py"
    work = Path(tempfile.mkdtemp(prefix="digest-feeds-"))
    root = work / "digest"
    try:
        articles = root / "content" / "articles"
        subprocess.run([sys.executable, str(args.shared / "bench" / "make_corpus.py"),
                        str(args.n), str(articles), "--format", "digest"],
                       check=True, capture_output=True)
        shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
        shutil.copytree(REPO / "theme", root / "theme")
        ok = True
        for label, build_args, base in (
            ("Pages workflow (--site-url)", ("--site-url", SITE_URL), SITE_URL + "/"),
            ("no site URL", (), "https://example.org/"),
        ):
            build(root, *build_args)
            line, passed = check(root / "site", validator, base)
            print(f"{args.n} articles, {label}: {line}")
            ok = ok and passed
    finally:
        if args.keep:
            print(f"kept {root}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
