"""Undo wire-style capitals before NER: "SAN DIEGO 60 75" reads as "San Diego 60 75".

The model learned names from mixed-case text and misses most of them in all-capitals
headlines and results tables.  On such a line a word takes, in this order:

- the casing the rest of the article gives it, or gives a run of capitalised words it
  starts ("Green Rovers" even though "green" and "rovers" are English words);
- title case for every word of a multi-word place the gazetteer lists ("New York",
  "Kansas City", "St Louis" for "St. Louis" or "Saint Louis");
- title case for every word of a name in a table row, where each name is followed by
  its figures or two names face each other in a fixture ("San Diego at Montreal");
  joining words such as "de" or "van" stay lower case inside such a name;
- otherwise lower case for an English word, capitals for an abbreviation, and title
  case for the rest, including weekdays and months.

Title case keeps the inner capital of "McGwire" and "O'Neill". The output has the same
length as the input, so character offsets stay valid for the original text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from spacy.lang.en.stop_words import STOP_WORDS

from digest.extract.gazetteer import place_kind, rules
from digest.extract.nlp import word_classes

_WORD = re.compile(r"[^\W\d_]+(?:['’.][^\W\d_]+)*\.?")
# A wire story opens with its dateline: the city (in capitals on most wires), maybe its
# region or country, the agency in brackets, then a dash: "WASHINGTON (Reuters) -",
# "NAIROBI, Kenya (AP) —", "PARIS (AFP) --".
WIRE_DATELINE = re.compile(
    r"^([A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3})"
    r"(?:, ([A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,2}))?"
    r" \(([A-Z][\w.&' -]{0,30}?)\) ?(?:--|[-—–])"
)
# A figure in a results table or standings: "74", ".574", "27-22", "1/2", "-", "19.66".
_FIGURE = re.compile(r"[\d.,:/%+=-]*\d[\d.,:/%+=-]*|-")
# A consonant, a vowel, a consonant: "jim", "tom", "ben".
_SYLLABLE = re.compile(r"[^\W\daeiouy_][aeiouy][^\W\daeiouy_]")
_MIN_LETTERS = 4
_MIN_TITLE_WORDS = 3
_TITLE_SHARE = 0.8
_MAX_NAME_WORDS = 4
# Words that join two teams or players in a fixture list: "CLEVELAND AT DETROIT".
_FIXTURE_WORDS = frozenset({"at", "v", "v.", "vs", "vs."})
# Words that open a place or family name and are capitalised there, though short:
# "St Louis", "San Diego", "Los Angeles", "Le Mans", "Mt Everest".
_NAME_OPENERS = frozenset(
    {"st", "st.", "ste", "san", "santa", "santo", "sao", "los", "las", "el", "la", "le"}
    | {"les", "mt", "mt.", "ft", "ft."}
)
# "St Louis" and "Saint Louis" are one place: the gazetteer lists one spelling.
_OPENER_SPELLINGS = {
    "st": ("st.", "saint"),
    "st.": ("saint",),
    "ste": ("ste.", "sainte"),
    "mt": ("mt.", "mount"),
    "ft": ("ft.", "fort"),
}
_WEEKDAYS = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
)
_MONTHS = frozenset(
    {"january", "february", "april", "june", "july", "august", "september", "october"}
    | {"november", "december"}
)
# Months that are also common words: a month only beside a date's number ("MAY 5").
_AMBIGUOUS_MONTHS = frozenset({"march", "may"})


def is_caps_line(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    upper = all(c.isupper() for c in letters)
    return len(letters) >= _MIN_LETTERS and upper and " " in line.strip()


def _is_place(words: list[str]) -> bool:
    """Whether the words (any case) name a gazetteer place, however "St"/"Saint" is spelt."""
    folded = [w.casefold() for w in words]
    spellings = [folded[0], *_OPENER_SPELLINGS.get(folded[0], ())]
    return any(place_kind(" ".join([first, *folded[1:]])) for first in spellings)


def _known_casings(lines: list[str]) -> dict[str, str]:
    """How the article writes each word and each run of capitalised words, outside capitals
    lines. Capitals in a results line mark the home team ("BOSTON 2 Oakland 1"), not how the
    name is spelt, and any casing seen elsewhere beats capitals."""
    seen: dict[str, Counter[str]] = {}
    for line in lines:
        if is_caps_line(line):
            continue
        words = list(_WORD.finditer(line))
        table = _has_capitals(words) and bool(_table_names(line, words))
        run: list[str] = []
        run_end = 0
        for m in words:
            word = m.group()
            if table and word.isupper() and len(word) > 1:
                run = []
                continue
            seen.setdefault(word.casefold(), Counter())[word] += 1
            if word[:1].isupper() and (not run or line[run_end : m.start()] == " "):
                run.append(word)
                for n in range(2, min(len(run), _MAX_NAME_WORDS) + 1):
                    phrase = " ".join(run[-n:])
                    seen.setdefault(phrase.casefold(), Counter())[phrase] += 1
            else:
                run = [word] if word[:1].isupper() else []
            run_end = m.end()
    return {k: max(c, key=lambda w: (not w.isupper(), c[w])) for k, c in seen.items()}


def _bare(word: str) -> str:
    """The word without a full stop that ends a sentence rather than an abbreviation."""
    return word[:-1] if word.endswith(".") and "." not in word[:-1] else word


def _title(word: str) -> str:
    """Title case, with the capitals of Irish and Scottish surnames: "McGwire", "O'Neill"."""
    low = word.lower()
    if re.match(r"mc[^\W\d_]{2}", low):
        return "Mc" + low[2].upper() + low[3:]
    if re.match(r"[^\W\d_]['’][^\W\d_]{2}", low):
        return low[0].upper() + low[1] + low[2].upper() + low[3:]
    return low[:1].upper() + low[1:]


def _keeps_capitals(word: str) -> bool:
    """Abbreviations keep their capitals: "US", "U.S.", "NBA"."""
    folded = word.casefold()
    if folded in _NAME_OPENERS:
        return False
    return "." in word.rstrip(".") or (len(word) <= 3 and not word_classes(folded))


def _is_date_word(folded: str, line: str, start: int, end: int) -> bool:
    if folded in _WEEKDAYS or folded.removesuffix("'s") in _WEEKDAYS or folded in _MONTHS:
        return True
    beside = line[max(0, start - 3) : start] + line[end : end + 3]
    return folded in _AMBIGUOUS_MONTHS and any(c.isdigit() for c in beside)


def _recase_word(word: str, first: bool, known: dict[str, str]) -> str:
    folded = word.casefold()
    if folded in known:
        return known[folded][:1].upper() + known[folded][1:] if first else known[folded]
    if folded in STOP_WORDS or (word_classes(folded) and not place_kind(folded)):
        # A common word in a headline is most likely just that: "MITCHELL DEFEATS BAILEY".
        return word[:1] + folded[1:] if first else folded
    if _keeps_capitals(word):
        return word
    return _title(word)


def _name_word(word: str, first: bool, alone: bool, known: dict[str, str]) -> str:
    """A word of a name: the article's casing, else capitalised, joining words ("de", "van",
    "of") in lower case inside the name. Abbreviations keep their capitals ("PSV", "(USA)",
    "FC Porto"), but a three-letter English word or syllable ("LEE", "JIM") beside other name
    words is a given name or surname."""
    folded = word.casefold()
    if known.get(folded, "")[:1].isupper():
        return known[folded]  # "DeShawn"; a word the article writes in lower case is no help
    if not first and folded in rules()["name_connectors"]:
        return folded
    if folded not in _NAME_OPENERS and ("." in word or len(word) <= 2):
        return word
    if len(word) == 3 and (alone or not (_SYLLABLE.fullmatch(folded) or word_classes(folded))):
        return word
    return _title(word)


def _runs(line: str, words: list[re.Match[str]]) -> list[list[int]]:
    """Indexes of words that stand next to each other, parted by a single space or a hyphen."""
    runs: list[list[int]] = []
    for i, m in enumerate(words):
        if runs and line[words[i - 1].end() : m.start()] in (" ", "-"):
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _table_names(line: str, words: list[re.Match[str]]) -> set[int]:
    """Words that name a team or player in a table row, where each name is followed by its
    figures ("SAN DIEGO 72 60 .545") or two names face each other ("SAN DIEGO AT MONTREAL").
    Empty for any other line, such as a headline with a score in it."""
    tokens = line.split()
    kinds: list[str] = []
    for group in re.finditer(r"\([^)]*\)?|[^\s(]+", line):
        parts = group.group().split()
        if group.group().startswith("("):
            # A player's country or club is part of the name ("(IRELAND)"); a note with
            # figures in it is not ("(in 12)").
            note = any(c.isdigit() for c in group.group())
            kinds.extend(["note" if note else "bracket"] * len(parts))
        elif _FIGURE.fullmatch(parts[0]):
            kinds.append("figure")
        elif parts[0].casefold() in _FIXTURE_WORDS:
            kinds.append("vs")
        elif not any(c.isdigit() for c in parts[0]):
            kinds.append("word")
        else:
            return set()
    if len(kinds) != len(tokens):
        return set()  # a bracket glued to a word: "NET(LOSS)"
    names: list[int] = []  # token positions of name words
    run = 0
    for n, kind in enumerate([*kinds, "end"]):
        if kind == "bracket":  # a player's country or club: "(IRELAND)"
            names.append(n)
            continue
        if kind == "word":
            run += 1
            names.append(n)
            continue
        if run > _MAX_NAME_WORDS:
            return set()
        if run and kind == "figure" and tokens[n] == "-" and "word" in kinds[n + 1 :]:
            return set()  # "BASEBALL - GIANTS EDGE PHILLIES 1-0": a headline's subject slug
        if run and kind == "end" and "vs" not in kinds:
            return set()  # a name with no figures after it: "DEFICIT 12.5 BILLION DLRS"
        run = 0
    if "figure" not in kinds and (kinds.count("vs") != 1 or "vs" in (kinds[0], kinds[-1])):
        return set()
    starts, pos = [], 0
    for token in tokens:
        pos = line.index(token, pos)
        starts.append(pos)
        pos += len(token)
    name_spans = [(starts[n], starts[n] + len(tokens[n])) for n in names]
    return {i for i, m in enumerate(words) if any(a <= m.start() < b for a, b in name_spans)}


def _recase_caps_line(line: str, known: dict[str, str]) -> str:
    words = list(_WORD.finditer(line))
    return _recase_runs(line, words, _runs(line, words), _table_names(line, words), known)


def _has_capitals(words: list[re.Match[str]]) -> bool:
    """Whether a word of two letters or more is written in capitals (cheap, tried first)."""
    return any(len(m.group()) > 1 and m.group().isupper() for m in words)


def _recase_row_capitals(line: str, known: dict[str, str]) -> str:
    """A mixed-case table row writes some names in capitals: the home team in a results
    list ("BOSTON 2 Oakland 1") or the place a story was filed from ("KHASAVYURT, Russia
    1996-08-31"). Those names are recased; acronyms beside mixed-case words are not."""
    words = list(_WORD.finditer(line))
    if (dateline := WIRE_DATELINE.match(line)) and dateline.group(1).isupper():
        # The city is a name, not an abbreviation: its capitals elsewhere say nothing.
        mixed = {k: v for k, v in known.items() if not v.isupper()}
        city = [j for j, m in enumerate(words) if m.end() <= dateline.end(1)]
        return _recase_runs(line, words, [city], set(city), mixed)
    table = _table_names(line, words) if _has_capitals(words) else set()
    if not table:
        return line
    runs = [
        run
        for run in _runs(line, words)
        if all(j in table and words[j].group().isupper() for j in run)
    ]
    return _recase_runs(line, words, runs, table, known) if runs else line


def _recase_runs(
    line: str,
    words: list[re.Match[str]],
    runs: list[list[int]],
    table: set[int],
    known: dict[str, str],
) -> str:
    cased = [m.group() for m in words]
    for run in runs:
        i = 0
        while i < len(run):
            n, phrase = _longest_name(words, run[i:], known)
            for k, j in enumerate(run[i : i + n]):
                m = words[j]
                word = _bare(m.group())  # "OPEN." ends a headline; "U.S." keeps its dot
                dot = m.group()[len(word) :]
                folded = word.casefold()
                if m.start() > 0 and line[m.start() - 1].isdigit():
                    cased[j] = folded  # an ordinal's ending: "26TH", "1ST"
                elif phrase:
                    cased[j] = phrase[k]
                elif n > 1:
                    cased[j] = _name_word(word, k == 0, False, known)
                elif j in table:
                    cased[j] = _name_word(word, j == run[0], len(run) == 1, known)
                elif _is_date_word(folded, line, m.start(), m.end()) or (
                    folded in _NAME_OPENERS and j != run[-1]
                ):
                    cased[j] = _title(word)
                else:
                    cased[j] = _recase_word(word, j == 0, known)
                cased[j] += dot
            i += n
    parts, last = [], 0
    for m, word in zip(words, cased, strict=True):
        parts.append(line[last : m.start()])
        parts.append(word)
        last = m.end()
    parts.append(line[last:])
    return "".join(parts)


def _longest_name(
    words: list[re.Match[str]], run: list[int], known: dict[str, str]
) -> tuple[int, list[str]]:
    """How many words from the start of `run` make one multi-word name that the article
    writes in mixed case (with that casing) or the gazetteer lists ("NEW YORK", "KANSAS
    CITY"); 1 if none does."""
    for n in range(min(len(run), _MAX_NAME_WORDS), 1, -1):
        texts = [_bare(words[j].group()) for j in run[:n]]
        phrase = " ".join(texts).casefold()
        if phrase in known:
            return n, known[phrase].split(" ")
        if _is_place(texts):
            return n, []
    return 1, []


def is_title_case(line: str) -> bool:
    """A Headline Written Like This: most content words capitalised, not all in capitals."""
    if is_caps_line(line):
        return False
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
        _recase_caps_line(line, known) if is_caps_line(line) else _recase_row_capitals(line, known)
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
