"""Score the extractor on the dev sets and compare its speed with a raw spaCy pipeline.

    python benchmarks/eval.py [DEV_DIR] [--score PATH] [--pred-dir DIR]

DEV_DIR defaults to ../shared/eval/dev next to the repository. Prints one Markdown
table (one row per dev file) and the throughput on reuters-dev, both measured in
this run, so the numbers can go straight into the README.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from digest.extract.nlp import MODEL, pipeline  # noqa: E402
from digest.extract.pipeline import extract_many  # noqa: E402

SPEED_FILE = "reuters-dev.jsonl"
COLUMNS = [
    ("people P", "people", "precision"),
    ("people R", "people", "recall"),
    ("people F1", "people", "f1"),
    ("places F1", "places", "f1"),
    ("orgs F1", "organisations", "f1"),
    ("date acc", "date", "accuracy"),
    ("date prec", "date", "precision"),
    ("topic acc", "topic", "accuracy"),
]


def _load_scorer(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("digest_eval_score", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load scorer {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _predict(docs: list[dict]) -> list[dict]:
    metas = extract_many((d["text"], d.get("title")) for d in docs)
    return [{"id": d["id"], **asdict(m)} for d, m in zip(docs, metas, strict=True)]


def _cell(metrics: dict, field: str, stat: str) -> str:
    value = metrics.get(field, {}).get(stat)
    return "—" if value is None else f"{value:.3f}"


def _throughput(docs: list[dict], rounds: int = 3) -> tuple[float, float]:
    """Articles per CPU second, ours then the full stock pipeline, best of alternating rounds.

    CPU time, not wall time: on a shared machine other jobs would otherwise decide the ratio.
    """
    import spacy  # only for the baseline: the stock pipeline as shipped

    texts = [d["text"] for d in docs]
    titles = [d.get("title") for d in docs]
    raw = spacy.load(MODEL)
    list(raw.pipe(texts[:10]))
    list(extract_many(zip(texts[:10], titles[:10], strict=True)))
    ours_best = raw_best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        for _ in raw.pipe(texts, batch_size=32):
            pass
        raw_best = min(raw_best, time.process_time() - start)
        start = time.process_time()
        for _ in extract_many(zip(texts, titles, strict=True)):
            pass
        ours_best = min(ours_best, time.process_time() - start)
    return len(texts) / ours_best, len(texts) / raw_best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dev_dir", nargs="?", type=Path, default=REPO.parent / "shared/eval/dev")
    parser.add_argument("--score", type=Path, help="score.py (default: DEV_DIR/../score.py)")
    parser.add_argument("--pred-dir", type=Path, help="also write each file's predictions here")
    args = parser.parse_args(argv)

    scorer = _load_scorer(args.score or args.dev_dir.parent / "score.py")
    scorer.load_taxonomy(REPO / "digest/data/iptc-mediatopics.json")
    pipeline()  # load once, outside any timing
    rows = []
    speed_docs: list[dict] = []
    for path in sorted(args.dev_dir.glob("*.jsonl")):
        gold = _read(path)
        preds = _predict(gold)
        if args.pred_dir:
            args.pred_dir.mkdir(parents=True, exist_ok=True)
            out = args.pred_dir / path.name.replace(".jsonl", ".pred.jsonl")
            out.write_text("".join(json.dumps(p) + "\n" for p in preds), encoding="utf-8")
        metrics = scorer.score(gold, preds)["metrics"]
        rows.append([path.stem, *(_cell(metrics, f, s) for _, f, s in COLUMNS)])
        if path.name == SPEED_FILE:
            speed_docs = gold

    print("| file | " + " | ".join(name for name, _, _ in COLUMNS) + " |")
    print("| --- | " + " | ".join("---:" for _ in COLUMNS) + " |")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    if speed_docs:
        ours, raw = _throughput(speed_docs)
        print(
            f"\nThroughput on {SPEED_FILE} ({len(speed_docs)} articles, best of 3, CPU time): "
            f"extract_many {ours:.1f} articles/CPU-s, raw `nlp.pipe` ({MODEL}, full pipeline) "
            f"{raw:.1f} articles/CPU-s — {ours / raw:.2f}×"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
