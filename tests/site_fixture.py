"""One small digest built with the real command, shared by end-to-end and browser tests."""

from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import SEED, make_digest

SECOND = """---
title: Grain talks resume in Geneva
---
GENEVA 2023-04-05

Negotiators from Ukraine and Russia resumed talks in Geneva on Wednesday about
grain exports through the Black Sea, the United Nations said.

Vladimir Putin said Moscow would extend the deal only if sanctions on Russian
banks were eased. Secretary-General Antonio Guterres called the talks useful.
"""

# Everything here must show as text or vanish, never run.
HOSTILE = """---
title: 'Hostile <img src=x onerror=alert(1)> "quoted" headline'
summary: '"><script>alert(2)</script>'
people: ['<script>alert(3)</script>Eve Mallory']
---
Body <script>alert(4)</script> <img src=x onerror=alert(5)>
[click me](javascript:alert(6)) and a paragraph { onclick="alert(7)" }

The photo: ![pic](https://tracker.example.com/pixel.png), ![by ref][px] and ![px].

```<video src="https://tracker.example.com/v.mp4" poster="https://tracker.example.com/p.png">
<audio src="https://tracker.example.com/a.mp3"></audio><iframe src="https://tracker.example.com/f">
<object data="https://tracker.example.com/o"></object><embed src="https://tracker.example.com/e">
<link rel="stylesheet" href="https://tracker.example.com/s.css">
<script src="//tracker.example.com/s.js"></script>
<picture><source srcset="https://tracker.example.com/s.png"></picture>
<p style="background: url(https://tracker.example.com/bg.png)">styled</p>
<style>body { background: url('//tracker.example.com/c.png') }</style>

[px]: https://tracker.example.com/ref.png
"""
# Where every resource in HOSTILE points: nothing may be fetched from it.
TRACKER = "tracker.example.com"


def build_digest(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "digest", "build", *args],
        cwd=root, capture_output=True, text=True, timeout=600,
    )


@pytest.fixture(scope="session")
def built_digest(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_digest(
        tmp_path_factory.mktemp("e2e") / "digest",
        {SEED.name: SEED.read_bytes(), "grain-talks.md": SECOND, "hostile.md": HOSTILE},
    )
    result = build_digest(root)
    assert result.returncode == 0, result.stderr
    return root


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def site_url(built_digest: Path) -> Iterator[str]:
    """The built site served on loopback, as a reader's browser would get it."""
    handler = functools.partial(_QuietHandler, directory=str(built_digest / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
