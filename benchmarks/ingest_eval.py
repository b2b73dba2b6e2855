"""Score `digest add PAGE.html` on the saved news pages of ../shared/eval/ingest-dev.

    .venv/bin/python benchmarks/ingest_eval.py [--keep DIR]

Runs `digest add PAGE.html… --no-build --json` once over all pages in a fresh digest,
turns each stored Markdown article into plain text (rendered with Python-Markdown,
tags removed), and scores it with ../shared/eval/ingest_score.py: the whole set, each
source set, and two halves split by page id (tune on one, check on the other). Then
precision, recall and F1 of each metadata field on the whole and on each half, by the
scorer's own matching: a wrong value counts against precision, no value only against
recall. Prints pages per second of the `digest add` run.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import html
import importlib.util
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import markdown

from digest.sources import read_front_matter

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
GOLD = EVAL / "ingest-dev" / "gold.jsonl"
DIGEST = Path(sys.executable).parent / "digest"


def plain_text(markdown_text: str) -> str:
    rendered = markdown.markdown(markdown_text)
    return html.unescape(re.sub(r"<[^>]+>", " ", rendered))


def half(page_id: str) -> str:
    return "half-a" if hashlib.sha256(page_id.encode()).digest()[0] % 2 == 0 else "half-b"


def prediction(page_id: str, path: Path | None) -> dict[str, object]:
    if path is None:
        return {"id": page_id}
    body, front, _ = read_front_matter(path)
    date = front.get("date")
    return {"id": page_id, "title": front.get("title"), "date": str(date) if date else None,
            "author": ", ".join(front.get("authors", [])), "body": plain_text(body)}


def _scorer() -> object:
    spec = importlib.util.spec_from_file_location("ingest_score", EVAL / "ingest_score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def field_scores(gold: list[dict], predictions: dict[str, dict]) -> dict[str, tuple]:
    """(precision, recall, F1) of title, date and author: a page counts for precision
    when it has a predicted value, for recall when it has a gold value."""
    scorer = _scorer()
    same = {
        "title": lambda g, p: scorer.norm(g) == scorer.norm(p),
        "date": lambda g, p: str(p)[:10] == g,
        "author": lambda g, p: bool(scorer.names(p)) and scorer.names(p) == scorer.names(g),
    }
    out = {}
    for name, match in same.items():
        predicted = golden = right = 0
        for page in gold:
            want, got = page.get(name), predictions[page["id"]].get(name)
            predicted += bool(got)
            golden += bool(want)
            right += bool(got) and bool(want) and match(want, got)
        p, r = right / max(1, predicted), right / max(1, golden)
        out[name] = (p, r, 2 * p * r / (p + r) if p + r else 0.0)
    return out


def print_field_scores(gold: list[dict], predictions: dict[str, dict]) -> None:
    parts = [("all", gold)] + [(name, [g for g in gold if half(g["id"]) == name])
                               for name in ("half-a", "half-b")]
    print(f"\n{'field P / R / F1':<18}" + "".join(f"{name:>24}" for name, _ in parts))
    scores = [field_scores(part, predictions) for _, part in parts]
    for name in ("title", "date", "author"):
        print(f"{name:<18}" + "".join(
            f"{'{:.3f} / {:.3f} / {:.3f}'.format(*s[name]):>24}" for s in scores))


def score(gold: Path, pred: Path) -> None:
    sys.stdout.flush()
    subprocess.run([sys.executable, str(EVAL / "ingest_score.py"), str(gold), str(pred),
                    "--by-set"], check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keep", type=Path, help="Build the digest here and keep it.")
    args = parser.parse_args()
    gold = [json.loads(line) for line in GOLD.read_text("utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as scratch:
        work = args.keep or Path(scratch)
        site = work / "digest"
        subprocess.run([str(DIGEST), "new", str(site)], check=True, capture_output=True)
        pages = work / "pages"
        pages.mkdir(parents=True, exist_ok=True)
        inputs = []
        for page in gold:
            saved = pages / f"{page['id']}.html"
            saved.write_bytes(gzip.decompress((GOLD.parent / page["file"]).read_bytes()))
            inputs.append(str(saved))
        start = time.perf_counter()
        cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        run = subprocess.run([str(DIGEST), "add", *inputs, "--no-build", "--json"], cwd=site,
                             capture_output=True, text=True)
        seconds = time.perf_counter() - start
        cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime
                                                              - cpu_before.ru_stime)
        if run.stdout.strip() == "":
            print(run.stderr, file=sys.stderr)
            return 1
        outcomes = {Path(o["input"]).stem: o for o in map(json.loads, run.stdout.splitlines())}
        predictions = []
        for page in gold:
            outcome = outcomes[page["id"]]
            path = site / outcome["path"] if outcome["path"] else None
            predictions.append(prediction(page["id"], path))
            if outcome["status"] != "added":
                print(f"{page['id']}: {outcome['status']} {outcome['error'] or outcome['path']}",
                      flush=True)
        pred_file = work / "pred.jsonl"
        pred_file.write_text("".join(json.dumps(p) + "\n" for p in predictions), "utf-8")
        score(GOLD, pred_file)
        for name in ("half-a", "half-b"):
            part = work / f"gold-{name}.jsonl"
            part.write_text("".join(json.dumps({**g, "set": name}) + "\n"
                                    for g in gold if half(g["id"]) == name), "utf-8")
            print(f"\n{name}:", flush=True)
            score(part, pred_file)
        print_field_scores(gold, {p["id"]: p for p in predictions})
        # The machine may be shared: CPU time says what two idle cores would do.
        print(f"\n{len(gold)} pages in {seconds:.1f} s wall, {cpu:.1f} s CPU: "
              f"{len(gold) / seconds:.1f} pages/s here, {len(gold) / cpu:.1f} pages per "
              f"CPU-second, so about {2 * len(gold) / cpu:.0f} pages/s on 2 idle cores "
              "(`digest add --no-build --json`, one process per core)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
