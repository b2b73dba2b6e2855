#!/usr/bin/env python3
"""LinkChecker over a whole built Digest site, served on loopback.

    python benchmarks/links_check.py SITE_DIR [--linkchecker PATH] [--port PORT]
                                     [--threads N] [--no-warnings]

Serves SITE_DIR on 127.0.0.1 (benchmarks/serving.py, not compressed) and runs
LinkChecker 10 (`pip install linkchecker==10.6.0` into a virtual environment of its
own) recursively from the home page: every page, feed, stylesheet and script the
site links to, robots.txt and the sitemap. Links to other hosts are not followed
(LinkChecker's default). LinkChecker's own text output (each broken link with the
page it is on, then its summary line) goes to stdout; the exit status is
LinkChecker's (0: no error, 1: errors or warnings, 2: LinkChecker failed).

Absolute links (canonical URLs, feeds, the sitemap) are only checked when they point
at the served copy: build the site with `site_url: http://127.0.0.1:PORT/` and pass
--port PORT.

Why a served copy and a config file: LinkChecker checks a folder of files as
directory listings, not as the index.html a web server sends; and it waits 0.1 to
0.6 s between two requests to one host unless the host answers with a `LinkChecker`
header, which at 4,000 articles (about 25,000 files) makes a run of hours. The server
sends that header and the config raises LinkChecker's request rate, so the check is
bound by LinkChecker's own parsing. This is not a test: pytest never collects it.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from serving import serve  # benchmarks/serving.py (scripts run from this folder)

# LinkChecker waits between 1 and 6 times 1/rate seconds between requests to one host.
REQUESTS_PER_SECOND = 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a built site (digest build's site/)")
    parser.add_argument(
        "--linkchecker",
        default="linkchecker",
        help="the linkchecker command (default: the one on PATH)",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=0,
        help="serve on this port: the one of the site_url the site was built with",
    )
    parser.add_argument("--threads", type=int, default=10, help="LinkChecker's threads")
    parser.add_argument(
        "--no-warnings", action="store_true", help="log errors only (LinkChecker's option)"
    )
    args = parser.parse_args(argv)
    site = args.site.resolve()
    if not (site / "index.html").is_file():
        parser.error(f"{site} has no index.html: pass the site folder of a built digest")
    command = shutil.which(args.linkchecker)
    if command is None:
        parser.error(f"no {args.linkchecker}: pip install linkchecker==10.6.0 in a venv of its own")

    with tempfile.NamedTemporaryFile("w", prefix="linkcheckerrc-", suffix=".ini") as rc:
        rc.write(f"[checking]\nmaxrequestspersecond={REQUESTS_PER_SECOND}\n")
        rc.flush()
        server, base = serve(site, compress=False, port=args.port, headers={"LinkChecker": "1"})
        try:
            cmd = [command, "--config", rc.name, "--no-status", "--threads", str(args.threads)]
            if args.no_warnings:
                cmd.append("--no-warnings")
            print(" ".join([*cmd, base]), file=sys.stderr, flush=True)
            return subprocess.run([*cmd, base]).returncode
        finally:
            server.shutdown()


if __name__ == "__main__":
    sys.exit(main())
