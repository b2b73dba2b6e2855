"""Live preview: MkDocs' dev server on the generated pages, regenerated when content/ changes."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from mkdocs.commands.serve import serve as mkdocs_serve

from digest.config import DigestConfig

log = logging.getLogger(__name__)
POLL_SECONDS = 1.0


def snapshot(folder: Path) -> dict[Path, tuple[int, int]]:
    """What changed detection needs: each file's mtime and size."""
    return {p: (p.stat().st_mtime_ns, p.stat().st_size)
            for p in folder.rglob("*") if p.is_file()}


def _watch(folder: Path, on_change: Callable[[], None], stop: threading.Event) -> None:
    # Polling, not inotify: works the same on every OS and in containers, and a
    # digest's content folder is small enough to stat every second.
    last = snapshot(folder)
    while not stop.wait(POLL_SECONDS):
        current = snapshot(folder)
        if current != last:
            last = current
            try:
                on_change()
            except Exception as err:  # a bad edit must not stop the preview
                log.error("rebuild failed: %s", err)


def serve(config: DigestConfig, regenerate: Callable[[], None], dev_addr: str) -> None:
    """Serve until interrupted. `regenerate` rewrites docs_dir (only changed pages);
    MkDocs notices the changed pages, rebuilds and reloads the browser."""
    regenerate()
    stop = threading.Event()
    watcher = threading.Thread(
        target=_watch, args=(config.content_dir, regenerate, stop), daemon=True
    )
    watcher.start()
    try:
        mkdocs_serve(config_file=str(config.config_file), docs_dir=str(config.docs_dir),
                     dev_addr=dev_addr, livereload=True)
    finally:
        stop.set()
