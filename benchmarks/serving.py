"""Serve a built site on loopback for the benchmarks, with GitHub Pages' cache lifetime
and optionally gzip-encoded as GitHub Pages serves it. Shared by lighthouse.py and search_bench.py.

The server runs in its own process: in a thread of the benchmark, it would share
the interpreter lock with Playwright's driver loop, and a page's requests would
wait for the harness (measured: 150 ms for a 45 KB script while a query was typed).
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import multiprocessing
from pathlib import Path
from typing import ClassVar

COMPRESSIBLE = {".html", ".css", ".js", ".mjs", ".json", ".xml", ".svg", ".txt", ".atom", ".rss"}


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files; with gzip=True, compressible types are sent gzip-encoded."""

    gzip = False
    extra_headers: ClassVar[dict[str, str]] = {}

    def log_message(self, format: str, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        # GitHub Pages' cache lifetime: within a page load, a file fetched twice comes
        # from the browser's cache, as it does there (each measurement starts cold).
        self.send_header("Cache-Control", "max-age=600")
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        super().end_headers()

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        if not (
            self.gzip
            and path.is_file()
            and path.suffix in COMPRESSIBLE
            and "gzip" in self.headers.get("Accept-Encoding", "")
        ):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


class Server:
    """A site served by a child process; shutdown() stops it."""

    def __init__(self, server: http.server.ThreadingHTTPServer) -> None:
        self._process = multiprocessing.get_context("fork").Process(
            target=server.serve_forever, daemon=True)
        self._process.start()
        server.socket.close()  # the child listens on its copy

    def shutdown(self) -> None:
        self._process.terminate()
        self._process.join()


def serve(
    site: Path, compress: bool, port: int = 0, headers: dict[str, str] | None = None
) -> tuple[Server, str]:
    """Serve site on 127.0.0.1 (any free port by default), adding headers to every response."""
    handler_class = type("SiteHandler", (Handler,), {"gzip": compress,
                                                     "extra_headers": dict(headers or {})})
    handler = functools.partial(handler_class, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    return Server(server), url
