"""Undo wire-style capitals before NER: "DETROIT 60 75" reads as "Detroit 60 75".

The small model learned names from mixed-case text and misses most of them in
all-capitals headlines and results tables.  Each all-caps word on such a line takes
the casing the rest of the article uses for it, else title case.  The output has the
same length as the input, so character offsets stay valid for the original text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from spacy.lang.en.stop_words import STOP_WORDS

from digest.extract.gazetteer import place_kind
from digest.extract.nlp import word_classes

_WORD = re.compile(r"[^\W\d_]+(?:['’.][^\W\d_]+)*\.?")
_MIN_LETTERS = 4
_MIN_TITLE_WORDS = 3
_TITLE_SHARE = 0.8


def is_caps_line(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    upper = all(c.isupper() for c in letters)
    return len(letters) >= _MIN_LETTERS and upper and " " in line.strip()


def _known_casings(lines: list[str]) -> dict[str, str]:
    seen: dict[str, Counter[str]] = {}
    for line in lines:
        if is_caps_line(line):
            continue
        for m in _WORD.finditer(line):
            seen.setdefault(m.group().casefold(), Counter())[m.group()] += 1
    return {k: c.most_common(1)[0][0] for k, c in seen.items()}


def _recase(word: str, first: bool, known: dict[str, str]) -> str:
    folded = word.casefold()
    if folded in known:
        return known[folded]
    if folded in STOP_WORDS or (word_classes(folded) and not place_kind(folded)):
        # A common word in a headline is most likely just that: "MITCHELL DEFEATS BAILEY".
        return word[:1] + folded[1:] if first else folded
    if "." in word.rstrip(".") or (len(word) <= 3 and not word_classes(folded)):
        return word  # "US", "U.S.", "NBA": abbreviations keep their capitals
    return word[:1] + word[1:].lower()


def is_title_case(line: str) -> bool:
    """A Headline Written Like This: most content words capitalised."""
    words = [w for w in _WORD.findall(line) if len(w) > 3 and w.casefold() not in STOP_WORDS]
    capitalised = sum(w[0].isupper() for w in words)
    return len(words) >= _MIN_TITLE_WORDS and capitalised >= _TITLE_SHARE * len(words)


def _recase_line(line: str, recase: Callable[[str, bool], str]) -> str:
    parts, last, first = [], 0, True
    for m in _WORD.finditer(line):
        parts.append(line[last : m.start()])
        parts.append(recase(m.group(), first))
        last, first = m.end(), False
    parts.append(line[last:])
    return "".join(parts)


def truecase(text: str, title: str | None = None) -> str:
    """`text` with capitals lines, and a Title Case copy of `title` at its top, recased."""
    head = ""
    if title and is_title_case(title) and text.startswith(title.rstrip(".")):
        head, text = text[: len(title.rstrip("."))], text[len(title.rstrip(".")) :]
    lines = text.split("\n")
    known = _known_casings(lines)
    out = [
        _recase_line(line, lambda w, first: _recase(w, first, known))
        if is_caps_line(line)
        else line
        for line in lines
    ]
    if head:
        head = _recase_line(head, _TitleRecaser(known))
    return head + "\n".join(out)


class _TitleRecaser:
    """In a Title Case headline only ordinary words change: "Clooney Breaks Down".

    A noun or adjective right after a name stays capitalised: "Howard Stern".
    """

    def __init__(self, known: dict[str, str]) -> None:
        self.known = known
        self.after_name = False

    def __call__(self, word: str, first: bool) -> str:
        folded = word.casefold()
        classes = word_classes(folded)
        if first or folded in self.known:
            out = word if first else self.known[folded]
        elif folded in STOP_WORDS:
            out = folded
        elif not classes or place_kind(folded) or (self.after_name and classes <= {"noun", "adj"}):
            out = word
        else:
            out = folded
        self.after_name = out[:1].isupper() and folded not in STOP_WORDS
        return out
