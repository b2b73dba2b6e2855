"""Pure extraction: article text in, Metadata out. No I/O besides loading the model once.

Every article is parsed once, in batches, by a fast pipeline (entities and sentence
boundaries), and its headline and lede are embedded, in batches too, for the topic
classifier; each field is then a cheap function of those.  Only an untitled
article's lede sentence gets a full dependency parse, for its headline.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from digest.extract.clean import clean_text, plain_quotes
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
from digest.extract.truecase import is_title_case, truecase
from digest.model import Metadata

__all__ = ["extract", "extract_many"]


def _prepare(text: str) -> str:
    """Cleaned text, bounded: a 5 MB article costs no more than a long one."""
    return truncate(clean_text(text[: 2 * MAX_CHARS]))


def _as_written(names: list[str], written: str) -> list[str]:
    """Names or phrases read from the plain-quoted copy, with the quotes the article uses
    ("O’Neill")."""
    out = []
    for name in names:
        if "'" in name or '"' in name:
            pattern = re.escape(name).replace("'", "['‘’]").replace('"', '["“”]')
            if found := re.search(pattern, written):
                name = found.group()
        out.append(name)
    return out


def extract_many(
    items: Iterable[tuple[str, str | None]], batch_size: int = 32
) -> Iterator[Metadata]:
    """Metadata for each (text, title) pair, in order; the model parses in batches."""
    pairs = [(_prepare(text), title.strip() if title else None) for text, title in items]
    vectors = embed([head(text, title) for text, title in pairs])
    # A plain-text article's own headline line is recased for the model like a given title:
    # "Harbour Wall Will Be Rebuilt" names no "Harbour Wall Will Be".
    starts = [lede_start(text, title) for text, title in pairs]
    headlines = [title or own_headline(text, start)
                 for (text, title), start in zip(pairs, starts, strict=True)]
    shown = [truecase(text, line) for (text, _), line in zip(pairs, headlines, strict=True)]
    docs = parse_many((plain_quotes(text) for text in shown), batch_size=batch_size)
    for (text, title), start, headline_line, written, doc, vector in zip(
            pairs, starts, headlines, shown, docs, vectors, strict=True):
        # The lede as written, curly quotes included: the model read a plain-quoted copy.
        lede = [written[s.start_char : s.end_char] for s in lede_sentences(doc, start)]
        lede_text = " ".join(lede[:2])
        found_topics = topics(written, title, lede_text, vector)
        found = entities(doc, sport=found_topics[0] == SPORT, title=title)
        date, date_source = find_date(text, title)
        if not title:
            # As written when in Title Case; a headline in capitals comes back recased.
            title = (headline_line if headline_line and is_title_case(headline_line)
                     else own_headline(written, start)) or (
                headline(parse_sentence(without_dateline(tidy(lede[0])))) if lede else "")
        yield Metadata(
            title=title,
            date=date,
            date_source=date_source,
            people=_as_written(found.people, written),
            places=_as_written(found.places, written),
            organisations=_as_written(found.organisations, written),
            topics=found_topics,
            keywords=_as_written(keywords(
                doc,
                names=found.people + found.places + found.organisations,
                acronyms=found.acronyms,
            ), written),
            summary=summary(lede),
        )


def extract(text: str, title: str | None = None) -> Metadata:
    return next(extract_many([(text, title)]))
