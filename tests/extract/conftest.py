"""Helpers for extraction tests: small docs built on a blank English pipeline."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span


@pytest.fixture(scope="session")
def blank() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


@pytest.fixture
def make_doc(blank: Language):
    """A doc from text with entities given as (surface, label) pairs, first occurrences."""

    def build(text: str, ents: list[tuple[str, str]] = ()) -> Doc:
        doc = blank(text)
        spans, start = [], 0
        for surface, label in ents:
            at = text.index(surface, start)
            span = doc.char_span(at, at + len(surface), label=label)
            assert span is not None, surface
            spans.append(span)
            start = at + len(surface)
        doc.ents = sorted(spans, key=lambda s: s.start)
        return doc

    return build


def all_mentions(doc: Doc, surface: str, label: str) -> list[Span]:
    """Every occurrence of `surface` as an entity span (for repeated names)."""
    out, start = [], 0
    while (at := doc.text.find(surface, start)) >= 0:
        out.append(doc.char_span(at, at + len(surface), label=label))
        start = at + len(surface)
    return out
