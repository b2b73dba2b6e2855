"""Entries {key: value} kept in one JSON-lines file that a save appends to.

The extraction cache and the pages memo are content-addressed: an entry's key
digests everything it was made from, so an entry is right whenever it is read,
and from one build to the next only which entries there are changes. Writing the
whole file again for a build that added one article (9.5 MB of pages at 1,000
articles) was the largest write of that build and most of its last tenth of a
second. So the first line holds every entry as of the last full write, and each
save appends one line with the entries it put and the keys it dropped; once the
appended lines outweigh half of the first, the file is written whole again.
A line that does not parse (a save cut short) is ignored with what follows it,
and the next save writes the file whole.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Generic, TypeVar

V = TypeVar("V")


class EntryFile(Generic[V]):
    """`head` gives the first line's JSON of all the entries (as JSON values), and
    `entries` reads them back from it: None when they are another version's (they are
    not read, and the next save writes the file whole), ValueError or TypeError when
    the line is not entries at all. `value` reads one appended entry, `to_json`
    writes one."""

    def __init__(
        self,
        path: Path,
        head: Callable[[dict[str, object]], object],
        entries: Callable[[object], dict[str, V] | None],
        value: Callable[[object], V],
        to_json: Callable[[V], object],
    ) -> None:
        self.path = path
        self._head, self._entries, self._value, self._to_json = head, entries, value, to_json
        self._saved: dict[str, V] = {}
        # Characters of the first line and of those appended (bytes, as the file is ASCII).
        self._head_size = 0
        self._tail_size = 0
        self._whole = True  # the next save writes the file whole

    def load(self) -> dict[str, V]:
        """The entries as saved (none when there is no file). Raises OSError, or
        ValueError or TypeError when the first line is not the entries'."""
        self._saved, self._head_size, self._tail_size, self._whole = {}, 0, 0, True
        try:
            text = self.path.read_text("utf-8")
        except FileNotFoundError:
            return {}
        head, *tail = text.split("\n")
        entries = self._entries(json.loads(head))
        if entries is None:
            return {}
        self._whole = False
        for line in tail:
            if not line:
                continue
            try:
                change = json.loads(line)
                put = {str(key): self._value(value) for key, value in change["put"].items()}
                dropped = [str(key) for key in change["drop"]]
            except (ValueError, TypeError, KeyError, AttributeError):
                self._whole = True
                break
            entries.update(put)
            for key in dropped:
                entries.pop(key, None)
            self._tail_size += len(line) + 1
        self._saved, self._head_size = dict(entries), len(head)
        return entries

    def save(self, entries: Mapping[str, V]) -> None:
        """Keep `entries`, and only them, for the next load."""
        saved = self._saved
        put = {key: self._to_json(value) for key, value in entries.items()
               if key not in saved or saved[key] != value}
        dropped = sorted(key for key in saved if key not in entries)
        if not put and not dropped and not self._whole:
            return
        # Most entries new (a first build, or a new version of the code): written whole
        # at once, without encoding them twice.
        line = None if self._whole or 2 * len(put) > len(entries) else _dumps(
            {"put": put, "drop": dropped})
        if line is None or self._tail_size + len(line) + 1 > self._head_size // 2:
            self._write_whole(entries)
        else:
            with self.path.open("a", encoding="utf-8") as out:
                out.write(line + "\n")
            self._tail_size += len(line) + 1
        self._saved = dict(entries)

    def _write_whole(self, entries: Mapping[str, V]) -> None:
        head = _dumps(self._head({key: self._to_json(value) for key, value in entries.items()}))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(head + "\n")
        os.replace(tmp, self.path)
        self._head_size, self._tail_size, self._whole = len(head), 0, False


def _dumps(data: object) -> str:
    # dumps, not dump: json.dump encodes in Python, chunk by chunk; dumps in C. And
    # ASCII (other characters as \u escapes): json's C encoder and decoder take their
    # fast path, and a line never holds a line break: saving megabytes of pages took
    # half the time of UTF-8 text, reading them back two thirds.
    return json.dumps(data, sort_keys=True)
