"""Pure extraction: article text in, Metadata out. No I/O besides loading the model once.

Every article is parsed once, in batches, by a fast pipeline (entities and sentence
boundaries), and its headline and lede are embedded, in batches too, for the topic
classifier; each field is then a cheap function of those.  Only an untitled
article's lede sentence gets a full dependency parse, for its headline.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from digest.extract.clean import clean_text
from digest.extract.dates import find_date
from digest.extract.embed import embed
from digest.extract.entities import entities
from digest.extract.keywords import keywords
from digest.extract.nlp import MAX_CHARS, parse_many, parse_sentence, truncate
from digest.extract.summary import (
    lede_sentences,
    lede_start,
    own_headline,
    summary,
    tidy,
    without_dateline,
)
from digest.extract.title import headline
from digest.extract.topics import SPORT, head, topics
from digest.extract.truecase import truecase
from digest.model import Metadata

__all__ = ["extract", "extract_many"]


def _prepare(text: str) -> str:
    """Cleaned text, bounded: a 5 MB article costs no more than a long one."""
    return truncate(clean_text(text[: 2 * MAX_CHARS]))


def extract_many(
    items: Iterable[tuple[str, str | None]], batch_size: int = 32
) -> Iterator[Metadata]:
    """Metadata for each (text, title) pair, in order; the model parses in batches."""
    pairs = [(_prepare(text), title.strip() if title else None) for text, title in items]
    vectors = embed([head(text, title) for text, title in pairs])
    docs = parse_many((truecase(text, title) for text, title in pairs), batch_size=batch_size)
    for (text, title), doc, vector in zip(pairs, docs, vectors, strict=True):
        start = lede_start(text, title)
        lede = lede_sentences(doc, start)
        lede_text = " ".join(s.text for s in lede[:2])
        found_topics = topics(doc.text, title, lede_text, vector)
        found = entities(doc, sport=found_topics[0] == SPORT, title=title)
        date, date_source = find_date(text, title)
        if not title:
            title = own_headline(doc.text, start) or (
                headline(parse_sentence(without_dateline(tidy(lede[0].text)))) if lede else "")
        yield Metadata(
            title=title,
            date=date,
            date_source=date_source,
            people=found.people,
            places=found.places,
            organisations=found.organisations,
            topics=found_topics,
            keywords=keywords(
                doc,
                names=found.people + found.places + found.organisations,
                acronyms=found.acronyms,
            ),
            summary=summary(lede),
        )


def extract(text: str, title: str | None = None) -> Metadata:
    return next(extract_many([(text, title)]))
