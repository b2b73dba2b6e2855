"""Texts that a slow pure function made in the last build, found again by a digest of
its inputs, so that a build recomputes only those whose inputs changed.

A memo entry is a text, or the files one job made ({path: text}). One JSON file
in `.digest-cache/`; like the extraction cache, safe to delete. A key (`key_of`)
must cover every input of the text; the memo is only read back by the same
version of the code (its `version`). An entry not used by a build is dropped
when the memo is saved, so it never grows past one build's worth.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

log = logging.getLogger(__name__)

Texts = str | dict[str, str]  # a text, or files by path


def key_of(inputs: object) -> str:
    """The key of a text made from `inputs`, whose repr() must show all of them."""
    return hashlib.sha256(repr(inputs).encode()).hexdigest()[:32]


def text_key(text: str) -> str:
    """A digest of a text itself, also of one read with surrogateescape (a file's
    bytes that are not UTF-8): without repr's escaped copy, a third of the time."""
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:32]


class TextMemo:
    def __init__(self, path: Path, version: str) -> None:
        self.path = path
        self.version = version
        self._known: dict[str, Texts] = {}
        self._used: dict[str, Texts] = {}
        try:
            data = json.loads(path.read_text("utf-8"))
            texts = data.get("texts") if data.get("version") == version else None
            if isinstance(texts, dict):
                self._known = {str(k): v for k, v in texts.items() if _is_texts(v)}
        except FileNotFoundError:
            pass
        except (OSError, ValueError, AttributeError) as err:  # a damaged memo only costs time
            log.warning("%s is damaged (%s): its pages are made again and it is rewritten",
                        path, err)

    def get(self, key: str) -> Texts | None:
        return self._known.get(key)

    def keep(self, made: Mapping[str, Texts]) -> None:
        """Texts this build used (found or newly made): the memo the next build reads."""
        self._used.update(made)

    def save(self) -> None:
        if self._used == self._known:
            self._used = {}
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            # dumps, not dump: json.dump encodes in Python, chunk by chunk; dumps in C. And
            # ASCII (other characters as \u escapes): json's C encoder and decoder take
            # their fast path, and the file needs no decoding: saving megabytes of pages
            # took half the time of UTF-8 text, reading them back two thirds.
            out.write(json.dumps({"version": self.version, "texts": self._used},
                                 sort_keys=True))
        os.replace(tmp, self.path)
        # The next build (of a long-running process) starts from this one's texts.
        self._known, self._used = self._used, {}


def _is_texts(value: object) -> bool:
    if isinstance(value, dict):
        return all(isinstance(v, str) for v in value.values())
    return isinstance(value, str)
