"""Pure extraction: article text in, Metadata out. No I/O besides loading the model once."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from digest.extract.clean import clean_text
from digest.extract.nlp import pipeline
from digest.model import Metadata

# Bump whenever a rule or model change alters output: it keys the extraction cache.
EXTRACTOR_VERSION = "0.1.0"


def extract_many(items: Iterable[tuple[str, str | None]], batch_size: int = 32) -> Iterator[Metadata]:
    """Metadata for each (text, title) pair, in order; the model parses in batches."""
    pairs = [(clean_text(text), title) for text, title in items]
    docs = pipeline().pipe((text for text, _ in pairs), batch_size=batch_size)
    for (text, title), doc in zip(pairs, docs, strict=True):
        def names(*labels: str) -> list[str]:
            return list(dict.fromkeys(e.text for e in doc.ents if e.label_ in labels))
        yield Metadata(
            title=title or text.split("\n")[0][:80],
            people=names("PERSON"),
            places=names("GPE", "LOC"),
            organisations=names("ORG"),
            topics=["medtop:16000000"],
            summary=text.split("\n")[0][:300],
        )


def extract(text: str, title: str | None = None) -> Metadata:
    return next(extract_many([(text, title)]))
