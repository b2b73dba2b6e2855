"""Live preview: the built site, search included, rebuilt when content/ changes.

One process builds the site and serves it, so what makes the next build quick
stays loaded between builds: the spaCy model, each article's merged metadata,
the dossiers and the pages as written (digest.build.Session), and the site and
search index the last build left (an added article re-indexes one part of the
index). MkDocs'
live-reload server serves `site/`, watches the content folder, the config and
the theme, and reloads the browser once a rebuild is in.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable

from mkdocs.livereload import LiveReloadServer

from digest.config import DigestConfig

log = logging.getLogger(__name__)
POLL_SECONDS = 0.5


def serve(config: DigestConfig, rebuild: Callable[[], None], dev_addr: str,
          warm: Callable[[], None] | None = None) -> None:
    """Build, then serve until interrupted, rebuilding on every change.

    `warm` loads what a build of a new article needs (the models) before the
    first request, not when the first article arrives.
    """
    host, _, port = dev_addr.rpartition(":")
    host = host or "127.0.0.1"
    _check_free(host, int(port))
    rebuild()
    if warm:
        warm()

    def safe_rebuild() -> None:
        try:
            rebuild()
        except Exception as err:  # a bad edit must not stop the preview
            log.error("rebuild failed: %s", err)

    server = LiveReloadServer(builder=safe_rebuild, host=host, port=int(port),
                              root=str(config.site_dir), polling_interval=POLL_SECONDS)
    for path in (config.content_dir, config.config_file, config.root / "theme"):
        if path.exists():
            server.watch(str(path))
    try:
        server.serve()
    except KeyboardInterrupt:
        log.info("Shutting down...")
    finally:
        server.shutdown()


def _check_free(host: str, port: int) -> None:
    """Raise OSError now if the address cannot be served on, not after a long first build.

    The server binds only when it starts serving; this probe binds and lets go at once.
    """
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    with socket.socket(family, kind, proto) as probe:
        probe.bind(address)
