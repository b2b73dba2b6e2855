"""Extraction results kept between builds, keyed by (content hash, extractor version).

One JSON file per extractor version in `.digest-cache/`: a rule change starts a
new file, so stale results are never read. Safe to delete at any time.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path

from digest.model import Metadata

log = logging.getLogger(__name__)


class ExtractionCache:
    def __init__(self, folder: Path, version: str) -> None:
        self.path = folder / f"extract-{version}.json"
        self._entries: dict[str, Metadata] = {}
        self._dirty = False
        if self.path.exists():
            self._load()

    def _load(self) -> None:
        try:
            raw = json.loads(self.path.read_text("utf-8"))
            self._entries = {key: Metadata(**value) for key, value in raw.items()}
        except (OSError, ValueError, TypeError) as err:
            # A damaged cache only costs time: warn and extract again.
            log.warning("ignoring unreadable extraction cache %s (%s)", self.path, err)
            self._entries = {}

    def get(self, key: str) -> Metadata | None:
        return self._entries.get(key)

    def put(self, key: str, meta: Metadata) -> None:
        self._entries[key] = meta
        self._dirty = True

    def save(self, keep: set[str] | None = None) -> None:
        """Write atomically; `keep` drops entries of articles no longer in the digest."""
        if keep is not None and set(self._entries) - keep:
            self._entries = {k: v for k, v in self._entries.items() if k in keep}
            self._dirty = True
        if not self._dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # vars(), not asdict(): Metadata holds only strings and lists of them, and
        # asdict's deep copy was most of the time of saving thousands of entries.
        data = {key: vars(meta) for key, meta in sorted(self._entries.items())}
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            # dumps, not dump: json.dump encodes in Python, chunk by chunk; dumps in C.
            out.write(json.dumps(data, ensure_ascii=False))
        os.replace(tmp, self.path)
        self._dirty = False
