"""The lede: where an article's own text starts, and its first sentence or two."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from digest.extract.dates import find_date
from digest.extract.truecase import WIRE_DATELINE

MAX_CHARS = 300
_SHORT_SENTENCE = 150
_HEADING_MAX_WORDS = 8
_HEADLINE_MIN_WORDS = 3  # fewer is a section label ("Sport", "World news")
_HEADLINE_MAX_CHARS = 150
_STRAY = re.compile(r"\s+([,.;:!?])")
_DOUBLE_STOP = re.compile(r"([.!?])(?:\s*[.])+")
_CLOSED = re.compile(r"[.!?…][\"'”’)]*$")


def _is_front_matter_line(line: str, title: str | None) -> bool:
    """Headline, dateline or section heading lines that sit above the lede."""
    if title and line.strip(" .").casefold() == title.strip(" .").casefold():
        return True
    letters = [c for c in line if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        return True  # a wire headline in capitals
    if find_date(line)[0] and len(line) <= 60:
        return True
    words = line.split()
    return len(words) <= _HEADING_MAX_WORDS and not re.search(r"[.!?\"”]$", line)


def lede_start(text: str, title: str | None = None) -> int:
    """Character offset of the first line of running text (0 when every line is short)."""
    offset = 0
    for line in text.split("\n"):
        if line.strip() and not _is_front_matter_line(line.strip(), title):
            return offset + (len(line) - len(line.lstrip()))
        offset += len(line) + 1
    return 0


def own_headline(text: str, start: int) -> str | None:
    """The headline a plain-text article starts with, or None.

    Wire copy and pasted stories put the headline on a line of its own above the
    lede; it is the article's own title, better than one derived from the lede. A
    headline has at least three words and no closing full stop; a dateline, a date
    or a byline ("By …") on that line is not one. `text` is the recased text, so a
    headline in capitals comes back in sentence case.
    """
    lines = [line.strip() for line in text[:start].split("\n") if line.strip()]
    if not lines:
        return None
    line = tidy(lines[0]).rstrip(" .")
    if len(line.split()) < _HEADLINE_MIN_WORDS or len(line) > _HEADLINE_MAX_CHARS:
        return None
    if find_date(line)[0] or line.startswith("By "):
        return None
    return line


def _within_paragraphs(doc: Doc) -> list[Span]:
    """The doc's sentences, cut at blank lines: a paragraph ends its last sentence even
    without a full stop (a standfirst, "a winning look and feel"), where a parser may run
    it into the next paragraph."""
    out = []
    for sent in doc.sents:
        begin = sent.start
        for token in sent:
            if token.is_space and token.text.count("\n") >= 2:
                if token.i > begin:
                    out.append(doc[begin : token.i])
                begin = token.i + 1
        if begin < sent.end:
            out.append(doc[begin : sent.end])
    return out


def lede_sentences(doc: Doc, start: int) -> list[Span]:
    """Sentences from character offset `start` (see `lede_start`) on."""
    out = []
    for sent in _within_paragraphs(doc):
        if sent.end_char <= start:
            continue
        if sent.start_char < start:
            # A sentence splitter may run a headline into the lede: keep only the lede part.
            tokens = [t for t in sent if t.idx >= start]
            if not tokens:
                continue
            sent = doc[tokens[0].i : sent.end]
        if sent.text.strip():
            out.append(sent)
    return out


def tidy(text: str) -> str:
    """One line of prose: no line breaks, doubled stops or spaces before punctuation."""
    text = " ".join(text.split())
    text = _DOUBLE_STOP.sub(r"\1", text)
    return _STRAY.sub(r"\1", text).strip()


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-–—")
    return cut + "…"


def without_dateline(sentence: str) -> str:
    """A lede without its wire dateline ("PARIS (AFP) --"): where the story was filed is
    the byline's business, not part of what it says (nor of a headline made from it)."""
    return WIRE_DATELINE.sub("", sentence, count=1).lstrip()


def summary(lede: list[str]) -> str:
    """The lede's first sentence, and the second when both fit in ~300 characters."""
    sentences = [tidy(s) for s in lede[:2]]
    if not sentences:
        return ""
    sentences[0] = without_dateline(sentences[0])
    text = sentences[0]
    # A sentence without its closing stop (a standfirst) takes no second one after it.
    if len(sentences) > 1 and len(text) < _SHORT_SENTENCE and _CLOSED.search(text):
        both = f"{text} {sentences[1]}"
        if len(both) <= MAX_CHARS:
            text = both
    return shorten(text, MAX_CHARS)
