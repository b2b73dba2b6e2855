"""Text clean-up shared by extraction and page writing (pure functions)."""

from __future__ import annotations

import re
import unicodedata

# Zero-width and bidirectional control characters: invisible, and able to
# reorder what a reader sees (Trojan Source), so they never reach a page.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# Unicode's control characters (category Cc) but the tab and the newline: shown as a space.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# A sentence end followed by a stray, space-separated period: "newspaper. ."
_STRAY_PERIOD = re.compile(r"([.!?…][”\"’']?)\s+\.(?=\s|$)")
_SPACE_BEFORE_PUNCT = re.compile(r"[ \t]+([,;:!?](?=\s|$)|\.(?=\s|$))")
_SPACES = re.compile(r"[ \t\u00a0]+")


def clean_text(text: str) -> str:
    """Normalise an article's text without changing its words."""
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub(" ", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    text = "\n".join(lines)
    text = _STRAY_PERIOD.sub(r"\1", text)
    return _SPACE_BEFORE_PUNCT.sub(r"\1", text).strip()


# Typographic quotes and apostrophes as the ASCII ones, one character for one. The models
# learned names from wire text typed in ASCII ("Watson's"), and read the curly apostrophe
# of web pages as part of a name ("Carlos Watson’s Ozy Media" as one person).
_PLAIN_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})


def plain_quotes(text: str) -> str:
    """The text with ASCII quotes and apostrophes, of the same length (offsets hold)."""
    return text.translate(_PLAIN_QUOTES)


def paragraphs(text: str) -> list[str]:
    """Paragraphs separated by blank lines; single newlines inside one are kept."""
    return [p.strip() for p in re.split(r"\n\s*\n", clean_text(text)) if p.strip()]
