"""Headlines derived from a lede sentence (needs the parser: model-backed)."""

from __future__ import annotations

import pytest

from digest.extract.nlp import parse_sentence
from digest.extract.title import MAX_CHARS, headline

pytestmark = pytest.mark.model


def test_reported_clause_becomes_the_headline():
    sentence = (
        "Washington will deliver “to the Ukrainians more advanced missile systems and "
        "ammunition that will allow them to hit key targets,” writes Joe Biden in a column."
    )
    title = headline(parse_sentence(sentence))
    assert title.startswith("Washington will deliver")
    assert "writes" not in title and "“" not in title and "that will allow" not in title
    assert len(title) <= MAX_CHARS


def test_short_lede_is_kept_whole():
    assert headline(parse_sentence("The council approved the new budget.")) == (
        "The council approved the new budget"
    )


def test_headline_is_never_longer_than_the_limit():
    sentence = (
        "The committee of the regional parliament, which met on Tuesday in the capital "
        "after weeks of delays caused by disputes over the agenda, voted to extend the "
        "emergency powers granted to the provincial governor and his deputies until spring."
    )
    title = headline(parse_sentence(sentence))
    assert 0 < len(title) <= MAX_CHARS
    assert not title.endswith((",", " "))
