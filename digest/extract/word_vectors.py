"""Static word vectors shipped as package data, for representations that carry over between
outlets: a story about "midfielders" and one about "strikers" land near each other even
when no training item used either word.

The table is the lower-case part of spaCy's en_core_web_md 3.8.0 vectors (MIT), made by
training/topics.py: every word keeps the row it maps to in the md model, and each row is
stored as int8 with its own scale.  Loaded once, without network, and checked against the
hash pinned in digest/data/topic-model/MANIFEST.json.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
from spacy.lang.en.stop_words import STOP_WORDS

MODEL_DIR = "data/topic-model"
VECTORS_FILE = "word-vectors.npz"
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
MAX_WORDS = 400  # a story's subject is set in its first few hundred words


class ModelFileError(RuntimeError):
    """A shipped model file is missing or is not the one the package was built with."""


@dataclass(frozen=True)
class WordVectors:
    index: dict[str, int]
    rows: np.ndarray  # unit-length float32 rows

    @property
    def dim(self) -> int:
        return int(self.rows.shape[1])

    def mean(self, text: str) -> np.ndarray:
        """Unit-length mean of the content words' vectors (zeros when none is known)."""
        found = [
            self.index[w]
            for w in (m.casefold().replace("’", "'") for m in _WORD.findall(text)[:MAX_WORDS])
            if w not in STOP_WORDS and w in self.index
        ]
        if not found:
            return np.zeros(self.dim, np.float32)
        mean = self.rows[found].mean(axis=0)
        return mean / max(float(np.linalg.norm(mean)), 1e-9)


def read_model_file(name: str) -> bytes:
    """A file of the shipped topic model, verified against its pinned sha256."""
    folder = resources.files("digest").joinpath(MODEL_DIR)
    try:
        manifest = json.loads(folder.joinpath("MANIFEST.json").read_text("utf-8"))
        data = folder.joinpath(name).read_bytes()
    except (FileNotFoundError, json.JSONDecodeError) as err:
        raise ModelFileError(f"topic model file missing or unreadable: {name} ({err})") from err
    if hashlib.sha256(data).hexdigest() != manifest.get(name):
        raise ModelFileError(f"topic model file {name} does not match its pinned sha256")
    return data


def pack(words: list[str], row_of: list[int], matrix: np.ndarray) -> bytes:
    """The shipped form: words, their row numbers, and int8 rows with a scale per row."""
    scale = np.abs(matrix).max(axis=1) / 127.0
    scale[scale == 0] = 1.0
    quantised = np.round(matrix / scale[:, None]).astype(np.int8)
    out = io.BytesIO()
    np.savez_compressed(
        out,
        words=np.frombuffer("\n".join(words).encode("utf-8"), dtype=np.uint8),
        row_of=np.asarray(row_of, dtype=np.uint16),
        rows=quantised,
        scale=scale.astype(np.float32),
    )
    return out.getvalue()


def unpack(data: bytes) -> WordVectors:
    with np.load(io.BytesIO(data)) as npz:
        words = npz["words"].tobytes().decode("utf-8").split("\n")
        rows = npz["rows"].astype(np.float32) * npz["scale"][:, None]
        row_of = npz["row_of"]
    rows /= np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-9)
    return WordVectors(dict(zip(words, row_of.tolist(), strict=True)), rows)


@cache
def vectors() -> WordVectors:
    return unpack(read_model_file(VECTORS_FILE))
