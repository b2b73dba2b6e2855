"""Extraction results kept between builds, keyed by (content hash, extractor version).

One file per extractor version in `.digest-cache/` (digest/entryfile.py): a rule
change starts a new file, so stale results are never read. Safe to delete at any time.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from digest.entryfile import EntryFile
from digest.model import Metadata

log = logging.getLogger(__name__)


class CacheError(OSError):
    """The cache folder cannot be read or written; the message says what to do."""


def check_folder(folder: Path, root: Path) -> None:
    """Raise CacheError when the cache folder, or anything in it, cannot be read or
    written: said at once, in one line, instead of an [Errno 13] from deep in a build
    (or after minutes of extraction, when the results are saved)."""
    if folder.exists() and not folder.is_dir():
        raise CacheError(f"{folder.relative_to(root)} is not a folder: delete it "
                         "(it is rebuilt as one)")
    pending = [folder] if folder.exists() else []
    while pending:
        path = pending.pop()
        if path.is_dir():
            if not os.access(path, os.R_OK | os.X_OK):
                raise _denied("read", path, folder, root)
            if not os.access(path, os.W_OK):
                raise _denied("write to", path, folder, root)
            pending.extend(path.iterdir())
        elif not os.access(path, os.R_OK):
            raise _denied("read", path, folder, root)


def _denied(doing: str, path: Path, folder: Path, root: Path) -> CacheError:
    return CacheError(f"cannot {doing} {path.relative_to(root)}: permission denied; fix its "
                      f"permissions or delete the folder {folder.relative_to(root)} "
                      "(it is rebuilt)")


class ExtractionCache:
    def __init__(self, folder: Path, version: str) -> None:
        self.path = folder / f"extract-{version}.json"
        self._file = EntryFile[Metadata](self.path, _head, _entries, _metadata, vars)
        self._entries: dict[str, Metadata] = {}
        self._dirty = False
        try:
            self._entries = self._file.load()
        except (OSError, ValueError, TypeError) as err:
            # A damaged cache only costs time: warn and extract again.
            log.warning("%s is damaged (%s): its articles are extracted again and it is "
                        "rewritten", self.path, err)

    def get(self, key: str) -> Metadata | None:
        return self._entries.get(key)

    def put(self, key: str, meta: Metadata) -> None:
        self._entries[key] = meta
        self._dirty = True

    def save(self, keep: set[str] | None = None) -> None:
        """Save what changed; `keep` drops entries of articles no longer in the digest."""
        if keep is not None and set(self._entries) - keep:
            self._entries = {k: v for k, v in self._entries.items() if k in keep}
            self._dirty = True
        if self._dirty:
            self._file.save(self._entries)
            self._dirty = False
            # Another extractor version's results are never read again (its file name
            # says which): they would only grow the folder, and the CI cache, with
            # each upgrade.
            for other in self.path.parent.glob("extract-*.json"):
                if other != self.path:
                    other.unlink(missing_ok=True)


def _head(entries: dict[str, object]) -> object:
    return entries


def _entries(data: object) -> dict[str, Metadata]:
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    return {str(key): _metadata(value) for key, value in data.items()}


def _metadata(value: object) -> Metadata:
    # vars(), not asdict(), writes them: Metadata holds only strings and lists of them,
    # and asdict's deep copy was most of the time of saving thousands of entries.
    if not isinstance(value, dict):
        raise TypeError("an entry is not a JSON object")
    return Metadata(**value)
