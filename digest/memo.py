"""Texts that a slow pure function made in the last build, found again by a digest of
its inputs, so that a build recomputes only those whose inputs changed.

A memo entry is a text, or the files one job made ({path: text}). One file in
`.digest-cache/` (digest/entryfile.py); like the extraction cache, safe to delete.
A key (`key_of`) must cover every input of the text; the memo is only read back by
the same version of the code (its `version`). An entry not used by a build is dropped
when the memo is saved, so it never grows past one build's worth.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from pathlib import Path

from digest.entryfile import EntryFile

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
        self._file = EntryFile[Texts](path, self._head, self._texts, _checked, _same)
        self._known: dict[str, Texts] = {}
        self._used: dict[str, Texts] = {}
        try:
            self._known = self._file.load()
        except (OSError, ValueError, TypeError) as err:  # a damaged memo only costs time
            log.warning("%s is damaged (%s): its pages are made again and it is rewritten",
                        path, err)

    def get(self, key: str) -> Texts | None:
        return self._known.get(key)

    def keep(self, made: Mapping[str, Texts]) -> None:
        """Texts this build used (found or newly made): the memo the next build reads."""
        self._used.update(made)

    def save(self) -> None:
        self._file.save(self._used)
        # The next build (of a long-running process) starts from this one's texts.
        self._known, self._used = self._used, {}

    def _head(self, texts: dict[str, object]) -> object:
        return {"version": self.version, "texts": texts}

    def _texts(self, data: object) -> dict[str, Texts] | None:
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        texts = data.get("texts")
        if data.get("version") != self.version or not isinstance(texts, dict):
            return None
        return {str(key): value for key, value in texts.items() if _is_texts(value)}


def _checked(value: object) -> Texts:
    if not _is_texts(value):
        raise TypeError("not a text nor files")
    return value  # type: ignore[return-value]


def _same(texts: Texts) -> Texts:
    return texts


def _is_texts(value: object) -> bool:
    if isinstance(value, dict):
        return all(isinstance(v, str) for v in value.values())
    return isinstance(value, str)
