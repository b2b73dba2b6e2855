"""People, places and organisations from a parsed doc's entities.

The model (trained on CoNLL-2003 news, results tables included: training/ner.py) tags
mentions one at a time; a reader knows a document-level set of names.  So mentions
are cleaned (titles, possessives, a leading "the"), conventions of news layout that
hold for any wire story add votes (datelines, bylines, team sheets, score lines,
stock tickers), capitals that only a Title Case heading gives a run of common words
make no name, each name takes the kind most of its mentions vote for, a gazetteer
settles countries and cities, and aliases collapse into the longest form the
document uses ("Biden", "President Biden" -> "Joe Biden"; "US" -> "United States").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Span

from digest.extract.gazetteer import full_place_name, place_code, place_kind, rules
from digest.extract.nlp import word_classes
from digest.extract.truecase import WIRE_DATELINE

PERSON, PLACE, ORG, OTHER = "person", "place", "org", "other"
_KINDS = {
    # CoNLL-2003 labels of the shipped model (digest/data/ner)
    "PER": PERSON,
    "LOC": PLACE,
    "ORG": ORG,
    "MISC": OTHER,
    # OntoNotes labels of the stock small model
    "PERSON": PERSON,
    "GPE": PLACE,
    "FAC": PLACE,
    "NORP": OTHER,
    "PRODUCT": OTHER,
    "EVENT": OTHER,
    "WORK_OF_ART": OTHER,
    "LAW": OTHER,
    "LANGUAGE": OTHER,
}
_MODEL_VOTE, _RULE_VOTE, _STRONG_VOTE = 1, 2, 3

_QUOTES = "\"'“”‘’`´<>"
_POSSESSIVE = re.compile(r"['’]s?$")
_DEMONYM = re.compile(r"^[A-Z][a-z]+(?:ans|ians|eans|ese|ens|is|i|ish)$")
_ORG_DESCRIPTOR = re.compile(r"\s+(?:news agency|news|newspaper|agency|daily)$")
# Wire conventions that name a thing without the model seeing it.
_DATELINE = re.compile(
    r"^([A-Z][A-Za-z.'-]+(?: [A-Z][A-Za-z.'-]+){0,3})"  # city
    r"(?:, ([A-Z][A-Za-z.'-]+(?: [A-Z][A-Za-z.'-]+){0,2}))?"  # region or country
    # A dateline's date is a month and a day: "Under Article 5" opens a sentence.
    r",?\s+(?:\d{4}-\d\d-\d\d|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]{0,6}\.?"
    r" \d{1,2}\b)"
)
_VENUE = re.compile(r"^([A-Z][\w'.-]*(?: [A-Z][\w'.-]*){0,3})(?: \(([^)]*)\))?:")
_SCORE_LINE = re.compile(
    r"^\s*([A-Z][A-Za-z.'&-]*(?: [A-Za-z.'&-]+){0,3}?)\s+\d+\s+"
    r"([A-Z][A-Za-z.'&-]*(?: [A-Za-z.'&-]+){0,3}?)\s+\d+\s*$"
)
# A standings line: a team, then figures; games behind are counted in halves ("5 1/2").
_TABLE_LINE = re.compile(
    r"^\s*([A-Z][A-Za-z.'&-]*(?: [A-Z][A-Za-z.'&-]*){0,3})(?:\s+[\d./-]+){3,}\s*$"
)
# A fixture list gives a line per game, the visitors "at" the home side: "Boston at Detroit".
_FIXTURE = re.compile(
    r"^([A-Za-z][A-Za-z.'-]*(?: [A-Za-z][A-Za-z.'-]*){0,2}) (?:at|AT) "
    r"([A-Za-z][A-Za-z.'-]*(?: [A-Za-z][A-Za-z.'-]*){0,2})$"
)
_BYLINE = re.compile(r"^(?:By )?([A-Z][a-z]+(?:-[A-Z][a-z]+)? [A-Z][a-z]+(?:-[A-Z][a-z]+)?)$")
_CONTACT = re.compile(r"^--\s*([A-Z][a-z]+ [A-Z][\w'-]+),")
_ROSTER = re.compile(r"^([A-Z][A-Za-z ]+?)(?: -|:) (.+)$")
_LIST_ITEM = re.compile(r"^([A-Z][\w'.-]*(?: (?:de |van |al-)?[A-Z][\w'.-]*){0,2})(?: \(.*\))?\.?$")
_SCORECARD = re.compile(r"\b(?:c|b|st|lbw b|c and b) ([A-Z][\w'-]+)\b")
# Doubles results join the partners' names with a slash before their country or club:
# "Marlene Thomsen / Lisbet Stuer-Lauridsen (Denmark)".
_PARTNERS = re.compile(
    r"\b([A-Z][\w'-]*(?: [A-Z][\w'-]*){1,3}) / ([A-Z][\w'-]*(?: [A-Z][\w'-]*){1,3}) \("
)
_BOWLING = re.compile(r"\b([A-Z][\w'-]+) \d+-\d+-\d+-\d+")
# Financial wires follow a listed company's name with its ticker: "Diamond Shamrock <DIA>".
_TICKER = re.compile(
    r"([A-Z][\w&.'-]*(?: [A-Z][\w&.'-]*){0,4}) [<(]([A-Z]{1,5}(?:\.[A-Z]{1,2})?)[>)]"
)
# A price straight after a name, in brackets or after a verb of price, makes it a product's:
# "Smartwool's Merino Anorak ($130)", "the Anker Charger costs $25".
_PRICED = re.compile(
    r"([A-Z][\w&.'’-]*(?: [A-Z][\w&.'’-]*){0,4}) (?:\(\s*|(?:costs?|is priced at|retails "
    r"(?:for|at)|sells for|starts at) (?:just |only |about |around )?)[$€£]\s*\d"
)
_BRACKETED_COMPANY = re.compile(
    r"([A-Z][\w&.'-]*(?: [A-Z][\w&.'-]*){0,4}) \([A-Z][\w .&'-]{0,30}\),? ([A-Z][A-Za-z]+)\b"
)
_MIN_BARE_LIST = 4
# "Ann Lee, chief economist at Acme": the role comes before the employer.
_APPOSITION_ENDS = frozenset({"of", "at", "with", "for", "in", "from"})
# Two surnames joined by a hyphen and written alone name a law or plan ("Gramm-Rudman").
_SURNAME_PAIR = re.compile(r"^[A-Z][a-z]+-[A-Z][a-z]+$")
# Institutions write the article in lower case inside their names: "Queen of the South",
# "Journal of the Royal College of Physicians".  ("in" and "at" are left out: "Bankers in
# New York" is a phrase, not a name.)
_INNER_FUNCTION_WORDS = frozenset({"the"})
# An abbreviation: a few capitals, with or without full stops ("AI", "NYC", "N.H.").
_ABBREVIATION = re.compile(r"(?:[A-Z]\.?){2,5}")
_RANKED = re.compile(r"^\d+\.? +(.+)$")
# What may stand before the first name of a table row: a rank, a seeding, a score, a dash.
_ROW_LEAD = re.compile(r"^[\d.,:/=-]*$")
_MIN_COLUMN_ROWS = 3
_COLUMN_MAJORITY = 2 / 3


@dataclass(frozen=True)
class Entities:
    people: list[str]
    places: list[str]
    organisations: list[str]
    acronyms: list[str]  # things spelled out in brackets ("HIMARS"), for keywords


@dataclass
class _Name:
    text: str
    first: int  # character offset of the first mention, to keep reading order
    votes: Counter[str] = field(default_factory=Counter)
    mid_sentence: bool = False  # capitalised where a common word would not be
    introduced: bool = False  # seen with a title ("President Reagan") or found by a rule
    titled: bool = False  # written after a personal title at least once ("President Suharto")
    in_prose: bool = False  # mentioned at least once outside a Title Case heading


@cache
def _words(name: str) -> frozenset[str]:
    return frozenset(rules()[name])


@cache
def _titles() -> re.Pattern[str]:
    titles = sorted(rules()["titles"], key=len, reverse=True)
    alternatives = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in titles)
    return re.compile(rf"^(?:(?:{alternatives})\.?\s+)+", re.IGNORECASE)


@cache
def _suffix_words() -> tuple[frozenset[str], frozenset[str]]:
    data = rules()
    return frozenset(data["event_words"]), frozenset(data["facility_words"])


def key(name: str) -> str:
    """A comparison key: case, dots and accents do not make a different name."""
    return " ".join(name.replace(".", " ").split()).casefold()


def clean_name(text: str, kind: str = PERSON) -> str:
    """A display name from a mention: no possessive, leading "the", quotes or breaks, and for
    a person no title.  Titles begin people's names only: "General Motors" and "Prince Edward
    Island" keep their first word."""
    text = " ".join(text.split())
    text = text.split("(")[0]
    text = text.strip(_QUOTES + " -–—,;:)]}")
    text = _POSSESSIVE.sub("", text)
    text = re.sub(r"^the\s+", "", text, flags=re.IGNORECASE)
    text = _ORG_DESCRIPTOR.sub("", text)
    if kind == PERSON:
        # A bare title ("President") is a role, not a name: keep it for the filters to drop.
        text = _titles().sub("", text) or text
    text = text.strip(_QUOTES + " -–—,;:")
    if text.islower() and text.isalpha():
        text = text.title()  # "kyiv" in a sloppy translation is still the city
    return text


def _well_formed(name: str) -> bool:
    if " - " in name or re.search(r"\d", name) or len(name) < 2:
        return False
    words = name.split()
    if not words[0][:1].isupper() or words[-1].casefold() in _words("name_connectors"):
        return False
    return all(
        w[:1].isupper()
        or w.casefold() in _words("name_connectors")
        or (0 < i < len(words) - 1 and w in _INNER_FUNCTION_WORDS)
        # Arabic names write the article in lower case before the name: "al-Sabah".
        or w.split("-")[0].casefold() in _words("name_connectors")
        or w[:1] in "'-"
        for i, w in enumerate(words)
    )


def _acronym_expansion(ent: Span) -> bool:
    """True for "Himars (High Mobility Artillery Rocket System)": a spelled-out abbreviation."""
    doc = ent.doc
    if len(ent) != 1 or ent.end + 2 >= len(doc) or doc[ent.end].text != "(":
        return False
    words = []
    for tok in doc[ent.end + 1 : min(len(doc), ent.end + 12)]:
        if tok.text == ")":
            break
        if tok.is_alpha and tok.text[0].isupper():
            words.append(tok.text.casefold())
    return len(words) >= 2 and _spells(ent.text.casefold(), words)


def _spells(letters: str, words: list[str]) -> bool:
    """Whether `letters` joins a prefix of each word in turn ("himars": "high mobility …")."""
    if not words:
        return not letters
    if not letters:
        return False
    word = words[0]
    return any(
        letters[:n] == word[:n] and _spells(letters[n:], words[1:])
        for n in range(1, min(len(word), len(letters)) + 1)
    )


# An abbreviation beside the words it stands for, those in lower case: "search engine
# optimization (SEO)", "GFCI (ground fault circuit interrupter)".
_TERM_BEFORE = re.compile(r"((?:[a-z][a-z'-]* ){1,8})\(([A-Z]{2,6})s?\)")
_TERM_AFTER = re.compile(r"\b([A-Z]{2,6})s? \(((?:[a-z][a-z'-]*)(?: [a-z][a-z'-]*){1,7})\)")
_PLURAL_ABBREVIATION = re.compile(r"\b([A-Z]{2,6})s\b")


def _initials(letters: str, words: list[str]) -> bool:
    """Whether `letters` joins a prefix of each word in turn, short function words allowed
    to give none ("dac": "digital-to-analog converter")."""
    if not words:
        return not letters
    word, rest = words[0], words[1:]
    if word in STOP_WORDS and _initials(letters, rest):
        return True
    return any(
        letters[:n] == word[:n] and _initials(letters[n:], rest)
        for n in range(1, min(len(word), len(letters)) + 1)
    )


def _common_noun_abbreviations(text: str) -> set[str]:
    """Keys of the abbreviations the text uses as common nouns, no names: those it spells
    out in lower-case words (English writes a name in capitals, so "artificial intelligence
    (AI)" is a thing where "Federal Bureau of Investigation (FBI)" is an organisation), and
    those it writes in the plural ("APIs", "LEDs": a name takes no plural)."""
    found = {m.group(1).casefold() for m in _PLURAL_ABBREVIATION.finditer(text)}
    pairs = [(m.group(2), m.group(1)) for m in _TERM_BEFORE.finditer(text)]
    pairs += [(m.group(1), m.group(2)) for m in _TERM_AFTER.finditer(text)]
    for short, long in pairs:
        words = long.replace("-", " ").split()
        if any(_initials(short.casefold(), words[i:]) for i in range(len(words))):
            found.add(short.casefold())
    return found | {f"{k}s" for k in found}


def _is_acronym_of(short: str, long: str) -> bool:
    letters = short.replace(".", "")
    words = [w for w in long.split() if w[0].isupper()]
    return (
        letters.isupper()
        and len(letters) >= 2
        and len(words) >= 2
        and "".join(w[0] for w in words) == letters
    )


class _Votes:
    def __init__(self, headings: list[tuple[int, int]]) -> None:
        self.headings = headings  # character ranges of the text's Title Case headings
        self.names: dict[str, _Name] = {}
        self.datelines: list[str] = []
        self.venues: list[str] = []  # the home side's city in a fixture list ("Atlanta at Chicago")
        self.sources: set[str] = set()  # keys of people introduced as a quoted source

    def add(
        self,
        name: str,
        kind: str,
        weight: int,
        start: int,
        mid_sentence: bool = True,
        titled: bool = False,
    ) -> None:
        if kind == PLACE and ", " in name:
            # "Markham, Ontario": a town and its region are two places.
            for part in name.split(", "):
                self.add(part, kind, weight, start, mid_sentence)
            return
        name = clean_name(name, kind)
        if not _well_formed(name):
            return
        entry = self.names.setdefault(key(name), _Name(name, start))
        entry.votes[kind] += weight
        entry.first = min(entry.first, start)
        entry.mid_sentence |= mid_sentence
        entry.introduced |= weight > _MODEL_VOTE or bool(_titles().match(" ".join(name.split())))
        entry.titled |= titled
        entry.in_prose |= not any(begin <= start < end for begin, end in self.headings)
        if entry.text.isupper() and not name.isupper():
            entry.text = name  # prefer "Detroit" to a headline's "DETROIT"


def _joined(doc: Doc, start: int, end: int) -> bool:
    """Whether doc[start:end] is "-" written without a space on either side."""
    return (
        end == start + 1
        and 0 < start < len(doc) - 1
        and doc[start].text == "-"
        and not doc[start - 1].whitespace_
        and not doc[start].whitespace_
    )


_SYLLABLE = 6  # letters in the longest romanised Chinese or Korean syllable ("zhuang")


def _given_name_syllable(doc: Doc, end: int) -> bool:
    """Whether doc[end] is "-" joining the capitalised syllable before it to a lower-case one
    after it, as romanised East Asian given names are written ("Ing-wen", "Jong-un"), and
    not to a word that makes the name a modifier ("Biden-led", "Obama-era")."""
    if not _joined(doc, end, end + 1):  # which also means doc[end + 1] exists
        return False
    before, after = doc[end - 1].text, doc[end + 1].text
    return (
        before.isalpha() and before.istitle() and len(before) <= _SYLLABLE
        and after.isalpha() and after.islower() and len(after) <= _SYLLABLE
        and after not in _words("compound_heads") and not after.endswith("ed")
        and not (end + 2 < len(doc) and _joined(doc, end + 2, end + 3))
    )


def _person_end(doc: Doc, end: int) -> int:
    """Where a person's name ending before `end` really ends: a hyphen written without spaces
    joins it to the next capitalised word, also after a lower-case particle ("al-Sabah"),
    or to the second syllable of a given name ("Tsai Ing-wen")."""
    while end < len(doc):
        if doc[end - 1].text == "-" and _joined(doc, end - 1, end) and doc[end].is_title:
            end += 1
        elif _joined(doc, end, end + 1) and doc[end + 1].is_title:
            end += 2
        elif _given_name_syllable(doc, end):
            return end + 2
        elif (
            doc[end].lower_ in _words("name_connectors")
            and not doc[end].whitespace_
            and _joined(doc, end + 1, end + 2)
            and end + 2 < len(doc)
            and doc[end + 2].is_title
        ):
            end += 3
        else:
            return end
    return end


def _wrapped(first: Span, second: Span) -> bool:
    """Whether two names are one cut by a line break: text wrapped at a fixed width breaks
    lines inside sentences, so a one-word name that ends a line without punctuation and a
    one-word name that starts the next ("Miladin / Becanovic (Lille)") are one name."""
    doc = first.doc
    between = doc[first.end : second.start]
    return (
        len(first) == 1
        and len(second) == 1
        and len(between) == 1
        and between[0].is_space
        and between[0].text == "\n"
    )


def _entities(doc: Doc) -> list[Span]:
    """The model's names, a person's name kept whole across a hyphen written without spaces
    ("Abal-Khail", "Ali al-Khalifa al-Sabah"): one name, however the tokenizer split it."""
    out: list[Span] = []
    for ent in doc.ents:
        last = out[-1] if out else None
        if (
            last is not None
            and last.label_ == ent.label_ == "PER"
            and (ent.start < last.end or _joined(doc, last.end, ent.start))
        ):
            out[-1] = Span(doc, last.start, _person_end(doc, max(last.end, ent.end)), "PER")
        elif last is not None and last.label_ == ent.label_ == "PER" and _wrapped(last, ent):
            out[-1] = Span(doc, last.start, _person_end(doc, ent.end), "PER_WRAPPED")
        elif ent.label_ == "PER":
            out.append(Span(doc, ent.start, _person_end(doc, ent.end), "PER"))
        else:
            out.append(ent)
    return out


# Words of four letters or more: the ones a Title Case heading capitalises ("of", "and",
# "the" stay lower case in most house styles).
_LONG_WORD = re.compile(r"[^\W\d_]{4,}")
_MAX_HEADING_WORDS = 14


def _is_heading(line: str) -> bool:
    """Whether a line reads as a heading set in Title Case ("Strategic Insights", "6. Learn
    Timing Patterns"): short, not closed like a sentence or a quotation, most of its longer
    words capitalised, and not in capitals throughout (those lines are recased earlier)."""
    line = line.strip()
    if not line or len(line.split()) > _MAX_HEADING_WORDS or line[-1] in ".!:;,\"”'’":
        return False
    words = [w for w in _LONG_WORD.findall(line) if w.casefold() not in STOP_WORDS]
    capitalised = sum(w[0].isupper() for w in words)
    return len(words) >= 2 and capitalised >= 0.8 * len(words) and not line.isupper()


# A list item led by a label and a colon: "- Cloud Security Risks: Security challenges ...".
_LEAD_IN = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+([^:\n]{3,80}):\s")


def _headings(text: str) -> list[tuple[int, int]]:
    """Character ranges of the Title Case headings: a paragraph of its own, or of two lines
    (a heading and its subheading), the first line excepted, which is the headline or the
    lede, where names are news; and the labels that lead list items before a colon."""
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    found = []
    for i, line in enumerate(lines):
        if (m := _LEAD_IN.match(line)) and _is_heading(m.group(1)):
            found.append((starts[i] + m.start(1), starts[i] + m.end(1)))
    for i in range(1, len(lines)):
        block = 2 if i + 1 < len(lines) and lines[i + 1].strip() else 1
        after = lines[i + block] if i + block < len(lines) else ""
        if (not lines[i - 1].strip() and not after.strip()
                and all(_is_heading(line) for line in lines[i : i + block])):
            found.extend((starts[j], starts[j] + len(lines[j])) for j in range(i, i + block))
    return found


def _mid_sentence(ent: Span) -> bool:
    if ent.start == 0 or ent[0].is_sent_start:
        return False
    prev = ent.doc[ent.start - 1]
    return not (prev.is_space or prev.text in "-–—:\n" or "\n" in prev.text)


_PERSON_LABELS = ("PER", "PERSON")


def _players_side(ent: Span) -> bool:
    """Whether a sports story names `ent` as the side owning a player ("Birmingham's Gary
    Breen", "Atlanta's Tom Glavine")."""
    doc = ent.doc
    return (
        ent.end + 1 < len(doc)
        and doc[ent.end].lower_ == "'s"
        and doc[ent.end + 1].ent_iob_ == "B"
        and doc[ent.end + 1].ent_type_ in _PERSON_LABELS
    )


def _after_a_person(ent: Span) -> bool:
    """Whether `ent` stands in brackets right after a person's name ("Robert Pires (Metz)"),
    also across a wrapped line."""
    doc = ent.doc
    if ent.start < 2 or ent.end >= len(doc) or doc[ent.start - 1].text != "(" \
            or doc[ent.end].text != ")":
        return False
    i = ent.start - 2
    while i >= 0 and doc[i].is_space:
        i -= 1
    return i >= 0 and doc[i].ent_type_ in _PERSON_LABELS


def _side_votes(doc: Doc, votes: _Votes) -> None:
    """Squad lists, scorer lists and results of a sports story follow each player's name
    with the player's side in brackets: a club ("Robert Pires (Metz)") or a country
    ("Tanja Damaske (Germany)"), one kind for the whole list.  When the model read at most a
    third of at least three such names as places, they are clubs, the ones it read as
    places too ("Alain Caveglia (Lyon)"): a city's name in that column names its club."""
    sides = [e for e in doc.ents if _KINDS.get(e.label_) in (PERSON, PLACE, ORG)
             and _after_a_person(e)]
    places = [e for e in sides if _KINDS[e.label_] == PLACE]
    if len(sides) >= _MIN_COLUMN_ROWS and 3 * len(places) <= len(sides):
        for ent in sides:
            if _KINDS[ent.label_] != ORG:
                votes.add(ent.text, ORG, _STRONG_VOTE, ent.start_char, _mid_sentence(ent))


def _team_context(ent: Span) -> bool:
    doc = ent.doc
    after = doc[ent.end] if ent.end < len(doc) else None
    before = doc[ent.start - 1] if ent.start > 0 else None
    if after is not None and (after.text.isdigit() or after.lower_ in _words("team_neighbours")):
        return True
    return (before is not None and before.lower_ in _words("team_neighbours")) or \
        _players_side(ent)


def _locative(ent: Span) -> bool:
    doc = ent.doc
    if ent.start == 0:
        return False
    prev = doc[ent.start - 1]
    if prev.lower_ in _words("locative_prepositions"):
        return True
    return (
        prev.lower_ == "of"
        and ent.start > 1
        and doc[ent.start - 2].lower_ in _words("locative_nouns")
    )


def _modifier(ent: Span) -> bool:
    """ "Vienna-based", "Amman-bound", "pro-Moscow": a place name inside an adjective."""
    doc = ent.doc
    after = doc[ent.end : ent.end + 2]
    if len(after) == 2 and after[0].text == "-" and not after[0].whitespace_ and after[1].is_lower:
        return True
    before = doc[max(0, ent.start - 2) : ent.start]
    return len(before) == 2 and before[1].text == "-" and before[0].lower_ in ("pro", "anti")


def _after_title(ent: Span) -> bool:
    """Whether a title ("President", "Mr") or a word for a person's relation or role in lower
    case ("widow Ruth", "world champion Haruchika") stands right before the name."""
    before = ent.doc[max(0, ent.start - 2) : ent.start]
    return any(
        " ".join(t.lower_.rstrip(".") for t in before[i:]) in _title_set()
        for i in range(len(before))
    ) or (bool(before) and before[-1].text in _words("relation_nouns"))


def _part_of_title(ent: Span) -> bool:
    """ "State" in "Secretary of State", "Commons" in "Leader of the Commons"."""
    before = ent.doc[max(0, ent.start - 3) : ent.start]
    words = [t.lower_ for t in before] + [ent.text.casefold()]
    return any(" ".join(words[i:]) in _title_set() for i in range(len(words) - 1))


@cache
def _title_set() -> frozenset[str]:
    return frozenset(rules()["titles"])


def _described_as(ent: Span) -> str | None:
    """ORG for a name the text calls a firm or paper ("law firm Fried", "Ming Pao newspaper",
    "<Agence Havas>"), OTHER for a law or plan named after people
    ("the Gramm-Rudman law"), else None."""
    doc = ent.doc
    before = doc[ent.start - 1] if ent.start > 0 else None
    after = doc[ent.end : ent.end + 2]
    if before is not None and (before.lower_ in _words("org_kind_nouns") or before.text == "<"):
        return ORG
    if after and after[0].lower_ in _words("org_kind_nouns"):
        return ORG
    if after and after[0].lower_ in _words("named_after_people"):
        return OTHER
    return None


def _reports(ent: Span) -> bool:
    """Whether a name is the subject of a reporting verb ("The Gazzetta dello Sport said"),
    and not a people's name, which the lexicon knows as a word ("Americans say", "the Dutch
    said")."""
    after = ent.doc[ent.end] if ent.end < len(ent.doc) else None
    if after is None or after.lower_ not in _words("reporting_verbs"):
        return False
    name = clean_name(ent.text, OTHER)
    return " " in name or not word_classes(name.casefold())


def _firm_of(ent: Span) -> str | None:
    """ "Lanston and Co" for "Lanston" in "Aubrey G. Lanston and Co Inc": a firm named after
    its founders, not the founder."""
    after = ent.doc[ent.end : ent.end + 2]
    if len(after) == 2 and after[0].lower_ in ("and", "&") and after[1].text.rstrip(".") == "Co":
        return ent.doc[ent.start : ent.end + 2].text
    return None


def _is_source_role(word: str) -> bool:
    return word.casefold().removesuffix("s") in _words("source_roles")


def _quoted_source(ent: Span) -> bool:
    """ "economist Ann Lee", "Ann Lee, chief economist at ...": a person the story quotes for
    comment, named with the role they speak in."""
    doc = ent.doc
    if _is_source_role(ent[0].text) or (ent.start > 0 and _is_source_role(doc[ent.start - 1].text)):
        return True
    if ent.end + 1 >= len(doc) or doc[ent.end].text != ",":
        return False
    for tok in doc[ent.end + 1 : ent.end + 8]:
        if tok.is_punct or tok.lower_ in _APPOSITION_ENDS or "\n" in tok.text:
            return False
        if _is_source_role(tok.text):
            return True
    return False


_QUOTE_MARKS = ('"', "'")
_SELLER_PREPOSITIONS = frozenset({"on", "at", "from", "through", "via"})
_PRICE_AFTER = re.compile(r"\s*(?:for\s+)?[$€£]\s*\d")


def _without_clause_opener(ent: Span) -> Span:
    """"As Google" that opens a sentence is Google: the model learned that a capital word
    before a name belongs to it."""
    if len(ent) > 1 and ent[0].is_title and ent[0].lower_ in _words("clause_openers"):
        return Span(ent.doc, ent.start + 1, ent.end, ent.label)
    return ent


def _in_quotes(ent: Span) -> bool:
    """Whether a mention stands alone between quotation marks, as news sets the titles of
    books, films and shows and the names of products and nicknames ("Mein Kampf", "Seinfeld",
    'Pedro Ximenez'); it quotes no person's name."""
    doc = ent.doc
    end = ent.end + 1 if ent.end < len(doc) and doc[ent.end].text in (",", ".") else ent.end
    if ent.start == 0 or end >= len(doc):
        return False
    before = doc[ent.start - 2] if ent.start > 1 else None
    return (
        doc[ent.start - 1].text in _QUOTE_MARKS
        and doc[end].text in _QUOTE_MARKS
        and (before is None or bool(before.whitespace_) or before.is_space)
    )


def _seller(ent: Span) -> bool:
    """Whether things are bought on, at or from the name ("buy on Amazon", "available at
    Target", "at Amazon for $39", a price on the next line): a seller, no place."""
    doc = ent.doc
    if ent.start == 0 or doc[ent.start - 1].lower_ not in _SELLER_PREPOSITIONS:
        return False
    verb = doc[ent.start - 2].lower_ if ent.start > 1 else ""
    return verb in _words("selling_verbs") or bool(
        _PRICE_AFTER.match(doc[ent.end : ent.end + 4].text))


def _town_and_state(text: str) -> tuple[str, str] | None:
    """("Camden", "N.J.") for "Camden N.J.": a name ending in a state's abbreviation written
    with full stops, as AP style abbreviates states after towns."""
    *town, last = text.split()
    if town and "." in last[:-1] and place_code(last):
        return " ".join(town), last
    return None


def _model_votes(doc: Doc, votes: _Votes, sport: bool) -> list[str]:
    acronyms = []
    for ent in map(_without_clause_opener, _entities(doc)):
        if ent.label_ == "PER_WRAPPED":
            name = " ".join(ent.text.split())
            votes.add(name, PERSON, _MODEL_VOTE, ent.start_char, _mid_sentence(ent))
            continue
        kind = _KINDS.get(ent.label_)
        if kind is None or (kind == PERSON and _in_quotes(ent)):
            continue
        if _acronym_expansion(ent):
            acronyms.append(ent.text.upper())
            continue
        if _part_of_title(ent) or (kind == PLACE and _modifier(ent)):
            continue
        weight = _MODEL_VOTE
        if "\n" in ent.text.strip():
            # A span across a line break joins a byline to a dateline: vote for each line.
            for part in ent.text.split("\n"):
                votes.add(part, kind, weight, ent.start_char, mid_sentence=False)
            continue
        if kind == PERSON and (town := _town_and_state(ent.text)):
            # "Camden N.J. 62 unch": AP style follows a town with its state's abbreviation.
            for part in town:
                votes.add(part, PLACE, _RULE_VOTE, ent.start_char, mid_sentence=False)
            continue
        name = clean_name(ent.text)
        team_like = kind == PLACE or (kind == PERSON and len(ent) == 1)
        if sport and team_like and place_kind(name) != "country" and _team_context(ent):
            kind, weight = ORG, _RULE_VOTE
        elif kind == PERSON and len(ent) == 1 and _locative(ent):
            kind, weight = PLACE, _RULE_VOTE
        titled = kind == PERSON and bool(
            _titles().match(" ".join(ent.text.split())) or _after_title(ent)
        )
        if titled:
            weight = _RULE_VOTE  # "President Reagan", "Mr Smith": a person, introduced
        if kind == PERSON and (firm := _firm_of(ent)):
            votes.add(firm, ORG, _RULE_VOTE, ent.start_char)
            continue
        if kind == OTHER and _reports(ent):
            kind, weight = ORG, _RULE_VOTE
        if _seller(ent):
            kind, weight = ORG, _RULE_VOTE
        if kind == PERSON and (described := _described_as(ent)):
            kind, weight = described, _RULE_VOTE
        if kind == PERSON and _quoted_source(ent):
            votes.sources.add(key(name))
        votes.add(ent.text, kind, weight, ent.start_char, _mid_sentence(ent), titled)
    return acronyms


def _table_row(line: Span) -> bool:
    """A line made of names and figures, not a sentence: a results table, leaderboard, team
    sheet or list of scorers, where fewer than a third of the words are lower-case words."""
    words = [t for t in line if not t.is_punct and not t.is_space]
    figures = sum(1 for t in words if any(c.isdigit() for c in t.text))
    lower = sum(1 for t in words if t.is_lower and t.is_alpha)
    return figures > 0 and 3 * lower < len(words)


def _column_votes(doc: Doc, votes: _Votes) -> None:
    """A column of a table holds one kind of thing: a row's first name, a name followed by a
    bracket ("Tanja Damaske (Germany)") and a name in brackets are read as what most rows
    of the same table have there, when the model read at least three of them alike."""
    columns: dict[str, list[Span]] = defaultdict(list)
    start = 0
    for i in [*(t.i for t in doc if "\n" in t.text), len(doc)]:
        line = doc[start:i]
        start = i + 1
        if not len(line) or not _table_row(line) or _DATELINE.match(line.text):
            continue
        ents = [e for e in line.ents if _KINDS.get(e.label_) in (PERSON, PLACE, ORG)]
        for n, ent in enumerate(ents):
            lead = doc[line.start : ent.start]
            if n == 0 and all(_ROW_LEAD.match(t.text) for t in lead):
                columns["first"].append(ent)
            nxt = ents[n + 1] if n + 1 < len(ents) else None
            if (
                nxt is not None
                and nxt.start == ent.end + 1
                and doc[ent.end].text == "("
                and nxt.end < line.end
                and doc[nxt.end].text == ")"
            ):
                columns["before bracket"].append(ent)  # "Tanja Damaske (Germany)"
                columns["in brackets"].append(nxt)
    for ents in columns.values():
        if len(ents) < _MIN_COLUMN_ROWS:
            continue
        kind, count = Counter(_KINDS[e.label_] for e in ents).most_common(1)[0]
        if count < _COLUMN_MAJORITY * len(ents):
            continue
        for ent in ents:
            if _KINDS[ent.label_] != kind:
                votes.add(ent.text, kind, _RULE_VOTE, ent.start_char, mid_sentence=False)


_PRESS_DIGEST = re.compile(r"\bpress (?:digest|review)\b", re.IGNORECASE)
_DIGEST_PAPER = re.compile(r"^[A-Za-z][\w'.&-]*(?: [\w'.&-]+){0,5}$")


def _press_digest_votes(text: str, title: str | None, votes: _Votes) -> None:
    """A press digest ("PRESS DIGEST - Spain", a press review) sums up the day's papers under
    each paper's name, a line of its own above the paper's items ("EL PAIS" / "- Work groups
    ..."): those lines name newspapers."""
    lines = text.split("\n")
    if not _PRESS_DIGEST.search(f"{title or ''}\n{lines[0]}"):
        return
    offset = 0
    for line, after in zip(lines, [*lines[1:], ""], strict=True):
        name = line.strip()
        if after.startswith("-") and _DIGEST_PAPER.match(name) and not _DATELINE.match(name):
            # The recased copy may have made words of a name in capitals lower case.
            name = " ".join(w.capitalize() if w.islower() and w not in _words("name_connectors")
                            else w for w in name.split())
            votes.add(name, ORG, _STRONG_VOTE, offset, mid_sentence=False)
        offset += len(line) + 1


def _pattern_votes(text: str, votes: _Votes, sport: bool) -> None:
    offset = 0
    for n, line in enumerate(text.split("\n")):
        dateline = _DATELINE.match(line) if n < 3 else None
        if dateline and dateline.group(1).casefold() in _words("not_place_words"):
            dateline = None
        wire = WIRE_DATELINE.match(line) if n < 3 and not dateline else None
        if m := dateline or wire:
            for group in (1, 2):
                if m.group(group):
                    votes.add(m.group(group), PLACE, _STRONG_VOTE, offset + m.start(group))
                    votes.datelines.append(clean_name(m.group(group)))
        if wire:
            # The bracket credits the agency that filed the story: an organisation, no place.
            votes.add(wire.group(3), ORG, _STRONG_VOTE, offset + wire.start(3))
        if sport:
            if m := _SCORE_LINE.match(line):
                votes.add(m.group(1), ORG, _STRONG_VOTE, offset + m.start(1))
                votes.add(m.group(2), ORG, _STRONG_VOTE, offset + m.start(2))
            elif m := _TABLE_LINE.match(line):
                votes.add(m.group(1), ORG, _STRONG_VOTE, offset + m.start(1))
            elif venue := _home_side(line):
                votes.venues.append(venue)
        _roster_votes(line, offset, votes, n, sport)
        offset += len(line) + 1


def _home_side(line: str) -> str | None:
    """The home side of a fixture line ("Boston at Detroit" -> "Detroit"); "Results at the
    World Championships" is a heading, not a game."""
    m = _FIXTURE.match(line.strip())
    if not m:
        return None
    for side in (m.group(1), m.group(2)):
        first = side.split()[0].casefold()
        if first in ("the", "a", "an") or (word_classes(first) and not place_kind(side)):
            return None
    return clean_name(m.group(2))


def _ticker_votes(text: str, votes: _Votes) -> None:
    """A name the story already uses, seen with a stock ticker, is a listed company."""
    for m in _TICKER.finditer(text):
        name, ticker = m.group(1), m.group(2)
        round_brackets = m.group().endswith(")")
        if round_brackets and _is_acronym_of(ticker, name):
            continue  # "Free Trade Agreement (FTA)" spells a name out, it lists no share
        if (known := _known_tail(name, votes)) is None:
            continue
        words, entry = known
        if not (round_brackets and "." not in ticker and _read_as(entry, PERSON)
                and not _abbreviates(ticker, words)):
            # Capitals in round brackets after a person's name are the person's side, a club
            # ("Patrice Loko (PSG)") or a party ("Susan Collins (R)"): no person is listed on
            # a stock exchange.  Wire tickers stand in angle brackets or carry their exchange
            # ("AAPL.O"), and an abbreviation of the name itself ("Centraal Planbureau (CPB)")
            # shows the model misread a body as a person.
            votes.add(words, ORG, _STRONG_VOTE, m.start(1))


def _known_tail(name: str, votes: _Votes) -> tuple[str, _Name] | None:
    """The longest tail of a run of capitalised words that the story already uses as a name
    ("Merino Anorak" of "Smartwool's Merino Anorak"), with its entry."""
    words = name.split()
    for start in range(len(words)):
        tail = " ".join(words[start:])
        if (entry := votes.names.get(key(clean_name(tail)))) is not None:
            return tail, entry
    return None


def _bracketed_company_votes(text: str, votes: _Votes) -> None:
    """A company's full name may hold a bracketed part before its legal form ("James Capel
    (Far East) Ltd", "Cheung Kong (Holdings) Ltd"); the name before the bracket, which the
    story goes on using, is the company's."""
    legal_forms = _words("legal_forms")
    if not any(f") {form}" in text or f"), {form}" in text for form in legal_forms):
        return  # the common case, found without scanning every capital for a bracket
    for m in _BRACKETED_COMPANY.finditer(text):
        # "Teck Hock and Co (Pte) Ltd" has its form before the bracket already.
        if m.group(2) in legal_forms and m.group(1).split()[-1] not in legal_forms:
            votes.add(f"{m.group(1)} {m.group(2)}", ORG, _STRONG_VOTE, m.start(1))


def _price_votes(text: str, votes: _Votes) -> None:
    """A name the text uses, seen with its price, is a product: a person or a company has
    no price."""
    if not any(sign in text for sign in "$€£"):
        return
    for m in _PRICED.finditer(text):
        if known := _known_tail(m.group(1), votes):
            votes.add(known[0], OTHER, _STRONG_VOTE, m.start(1))


def _abbreviates(letters: str, name: str) -> bool:
    """Whether two or more letters are read off the name in order from its first letter
    ("CPB": "Centraal Planbureau", "DIA": "Diamond Shamrock")."""
    letters, name = letters.casefold(), name.casefold()
    rest = iter(name)
    return len(letters) > 1 and name.startswith(letters[0]) and all(c in rest for c in letters)


def _read_as(entry: _Name, kind: str) -> bool:
    return entry.votes.most_common(1)[0][0] == kind


def _list_items(text: str) -> list[str] | None:
    """ "Given, Breen, Staunton (captain), O'Neill." as names, or None if not such a list."""
    items = [item.strip() for item in text.split(",")]
    names = [m.group(1) for item in items if (m := _LIST_ITEM.match(item))]
    return names if len(items) >= 3 and len(names) == len(items) else None


def _roster_votes(line: str, offset: int, votes: _Votes, n: int, sport: bool) -> None:
    """Bylines, contact lines, team sheets and scorecards: names outside sentences."""
    stripped = line.strip()
    if (
        0 < n < 4
        and (m := _BYLINE.match(stripped))
        and not place_kind(m.group(1))
        and not any(word_classes(w.casefold()) for w in m.group(1).split())
    ):
        votes.add(m.group(1), PERSON, _RULE_VOTE, offset)
    if m := _CONTACT.match(stripped):
        votes.add(m.group(1), PERSON, _STRONG_VOTE, offset)
    if (m := _ROSTER.match(stripped)) and place_kind(m.group(1)):
        votes.add(m.group(1), PLACE, _RULE_VOTE, offset)  # "GERMANY - Bunds extended losses"
    if not sport:
        return
    if m := _VENUE.match(stripped):
        # "Hove: Sussex 363 ...", "London (The Oval): ...": where a match was played;
        # "Attendance:" or "Scorers:" are labels, made of ordinary words.
        for group in (1, 2):
            if m.group(group) and not any(
                word_classes(w.casefold()) for w in m.group(group).split() if w != "The"
            ):
                votes.add(m.group(group), PLACE, _STRONG_VOTE, offset + m.start(group))
    for m in re.finditer(r"\bat ((?:The )?[A-Z][\w'.-]*(?: [A-Z][\w'.-]*){0,2})", stripped):
        votes.add(m.group(1), PLACE, _RULE_VOTE, offset + m.start(1))
    m = _ROSTER.match(stripped) or _RANKED.match(stripped)
    items = _list_items(m.group(m.lastindex or 1)) if m else None
    if items is None and (items := _list_items(stripped)) and len(items) < _MIN_BARE_LIST:
        items = None  # a bare list of names, one team sheet: "Given, Breen, Staunton, ..."
    if m and m.re is _ROSTER and place_kind(m.group(1)) == "country" and items:
        votes.add(m.group(1), PLACE, _RULE_VOTE, offset)
    if items:
        for item in items:
            if not place_kind(item):
                votes.add(item, PERSON, _RULE_VOTE, offset)
    if re.search(r"\d\s*$", stripped):
        for m in _SCORECARD.finditer(stripped):
            votes.add(m.group(1), PERSON, _RULE_VOTE, offset + m.start(1))
    for m in _PARTNERS.finditer(stripped):
        for group in (1, 2):
            if not place_kind(m.group(group)):
                votes.add(m.group(group), PERSON, _RULE_VOTE, offset + m.start(group))
    for m in _BOWLING.finditer(stripped):
        # Overs-maidens-runs-wickets follow only a bowler's name: no team context outweighs it.
        votes.add(m.group(1), PERSON, _STRONG_VOTE, offset + m.start(1))


def _lowercase_places(doc: Doc, votes: _Votes) -> None:
    """Places a careless text writes in lower case ("kyiv"), when no English word is meant."""
    for tok in doc:
        if (
            tok.is_lower
            and tok.is_alpha
            and len(tok) > 3
            and not tok.is_stop
            and place_kind(tok.text)
            and not word_classes(tok.text)
        ):
            votes.add(tok.text, PLACE, _RULE_VOTE, tok.idx)


def _only_a_person(entry: _Name) -> bool:
    """Read as a person again and again, or after a title or a word for a relation ("wife
    Nancy"), and never as a place: "Concepcion said" is the minister, even if a Chilean city
    has the same name."""
    return entry.votes[PLACE] == 0 and (entry.votes[PERSON] >= 3 or entry.titled)


def _short_company_names(kinds: dict[str, str], org_suffixes: frozenset[str]) -> set[str]:
    """Keys of the short names of the text's companies: news names a company in full with its
    legal form or institution word once ("Inco Ltd", "Growmark, Inc.") and by the rest of the
    name, its first words or its last word after ("Inco said", "Kappa Networks Inc" ...
    "Kappa", "Fuji Photo Film Co Ltd" ... "Fuji Photo", "E.F. Hutton Group Inc" ... "Hutton")."""
    suffixes = {w.casefold() for w in org_suffixes}
    short = set()
    for k, kind in kinds.items():
        if kind != ORG:
            continue
        words = k.replace(",", " ").split()
        # A firm named after its founders ("Ivan F. Boesky and Co") shares their names: its
        # first words are people's.
        founders = "and" in words or "&" in words
        while len(words) > 1 and words[-1] in suffixes:
            words.pop()
            short.update((" ".join(words), words[0], words[-1]))
            if not founders:
                short.update(" ".join(words[:n]) for n in range(2, len(words)))
    return short


def _decide(names: dict[str, _Name], sport: bool, lower_words: set[str]) -> dict[str, str]:
    """The kind of each name: majority vote, then gazetteer and surname evidence.

    `lower_words` are the words the text also writes in lower case (common words).
    """
    kinds = {k: e.votes.most_common(1)[0][0] for k, e in names.items()}
    org_suffixes = frozenset(rules()["org_suffixes"])
    # A name that ends in a legal form or institution word is a company's, whatever the
    # model read (below): so are its short names ("Electric Co", then "General Electric is").
    companies = {k: ORG if names[k].text.split()[-1] in org_suffixes else kind
                 for k, kind in kinds.items()}
    firms = _short_company_names(companies, org_suffixes)
    people = [k.split() for k, kind in companies.items()
              if " " in k and kind == PERSON and k not in firms]
    surnames = {words[-1] for words in people}
    # Given names alone ("Keely Shaye" of "Keely Shaye Smith") name that person, not a
    # place. Not an organisation: a company's name opens those of its products, which the
    # model may take for people ("Google" of "Google Cloud").
    given_names = {" ".join(words[:i]) for words in people for i in range(1, len(words))}
    events, facilities = _suffix_words()
    titles = _title_set() | {t.rstrip(".") for t in _title_set()}
    for k, entry in names.items():
        gazetteer = place_kind(entry.text)
        last = entry.text.split()[-1]
        if kinds[k] == PERSON and k in firms:
            kinds[k] = ORG  # "Growmark, Inc." first, then "Growmark said"
        elif (" " not in k and k in surnames) or (
                kinds[k] == PLACE and k in given_names and not gazetteer):
            kinds[k] = PERSON
        elif entry.titled and kinds[k] in (PLACE, ORG) and gazetteer != "country":
            kinds[k] = PERSON  # "President Suharto" once: "see Suharto" is the same man
        elif (
            kinds[k] == PERSON
            and " " not in k
            and not entry.introduced
            and entry.votes.total() == 1
        ):
            kinds[k] = OTHER  # a lone capitalised word never introduced as a person: "Ericsson"
        elif gazetteer == "country":
            kinds[k] = PLACE
        elif gazetteer and kinds[k] in (PERSON, ORG) and not _only_a_person(entry):
            kinds[k] = ORG if sport else PLACE
        elif kinds[k] == PERSON and _SURNAME_PAIR.match(entry.text):
            kinds[k] = OTHER  # "the Gramm-Rudman law": a double-barrelled surname has a given name
        elif kinds[k] == PERSON and companies[k] == ORG:
            kinds[k] = ORG  # "Wireless Plc", "Marine Midland Bank"
        elif kinds[k] == PERSON and (last in rules()["not_surnames"] or last.casefold() in titles):
            kinds[k] = OTHER  # "U.S. Dlrs", "Marine Lt"
        elif last in events:
            kinds[k] = OTHER  # a competition ("UEFA Cup", "Hong Kong Open"), not a name
        elif last in _words("law_words"):
            kinds[k] = OTHER  # "the Glass-Steagall Act", "the Cruzado Plan": a law or a plan
        elif kinds[k] in (ORG, PERSON) and last.rstrip(".") in facilities:
            kinds[k] = PLACE
        if (
            " " not in entry.text
            and not gazetteer
            and word_classes(k)
            and (not entry.mid_sentence or k in lower_words)
            # An abbreviation in capitals (USDA, NATO) is not the word it may spell, unless
            # the text also writes that word in lower case; abbreviations are short, and a
            # longer word in capitals is a table's or a headline's ("UNCHANGED").
            and not (entry.text.isupper() and 1 < len(k) <= 5 and k not in lower_words)
        ):
            kinds[k] = OTHER  # "Attendance", "Bat": a common word that starts a line
        if _ranking_label(entry.text, org_suffixes) or (
                kinds[k] == ORG and entry.text in _words("common_abbreviations")):
            kinds[k] = OTHER  # "Best Music Vtuber", "USB": a category or a thing, no name
        if entry.text.rstrip(".") in _words("legal_forms"):
            kinds[k] = OTHER  # "Ltd" cut from "James Capel (Far East) Ltd": a form, no name
        if not entry.in_prose and not gazetteer and _common_words(entry.text):
            # A heading's capitals are its style ("Strategic Insights", "Smart Shopping"): a
            # run of common words that the prose never uses as a name is not one.
            kinds[k] = OTHER
        if (kinds[k] == PLACE and not gazetteer and _ABBREVIATION.fullmatch(entry.text)
                and not place_code(entry.text)):
            # News abbreviates few places, and those it does are known (US, UK, NYC, the
            # states' postal codes); the model learned from 1996 news and takes the
            # abbreviations of later things for places ("AI", "VR", "HR").
            kinds[k] = OTHER
        if kinds[k] == PLACE and " " not in k and not gazetteer and _inner_capital(entry.text):
            # "OpenAI", "SvelteKit": brands and software, no place.  (One word only: a place's
            # name of two words may run them together, "RiverEdge Park".)
            kinds[k] = OTHER
        if kinds[k] == PLACE and not gazetteer and _DEMONYM.match(entry.text):
            kinds[k] = OTHER  # "Ukrainians", "Kuwaiti": people of a place, not the place
        if kinds[k] == PERSON and " " not in entry.text and entry.text.isupper():
            kinds[k] = OTHER  # "HIMARS", "NATO": an all-caps word is not a person
    return kinds


# Prefixes of names written with a second capital ("McAllen", "DeKalb", "LaSalle", "O'Hare").
_CAPITAL_PREFIX = re.compile(r"^(?:Mc|Mac|De|Di|Du|La|Le|Van|Von|Fitz|[A-Z]')")


def _inner_capital(word: str) -> bool:
    """Whether a word has a capital inside it past the prefixes of family and place names:
    brands and software are written so ("OpenAI", "GoHighLevel", "WorkFit"), places are not."""
    return bool(re.search(r"[a-z][A-Z]", _CAPITAL_PREFIX.sub("", word)))


def _ranking_label(name: str, org_suffixes: frozenset[str]) -> bool:
    """Whether a name is an award's category or a ranking's pick: those open with "Best"
    ("Best Budget French Press Coffee Maker", "Best Music Vtuber", "Best of Class").  The
    companies named so are written in two words ("Best Buy", "Best Western") or end in a
    legal form or an institution word."""
    words = name.split()
    return len(words) > 2 and words[0] == "Best" and words[-1] not in org_suffixes


def _common_words(name: str) -> bool:
    """Whether every word of a name (initials and words like "of" aside) is an English word,
    none a place."""
    words = [w for w in re.findall(r"[^\W\d_]{2,}", name) if w.casefold() not in STOP_WORDS]
    return bool(words) and all(word_classes(w.casefold()) and not place_kind(w) for w in words)


def _collapse(items: list[tuple[str, int]], kind: str) -> list[str]:
    """Names of one kind with aliases folded into the longest form present, in order."""
    ordered = [name for name, _ in sorted(items, key=lambda it: it[1])]
    if kind == PLACE:
        variants = {
            v.casefold(): preferred
            for preferred, vs in rules()["place_variants"].items()
            for v in vs
        }
        ordered = [variants.get(n.casefold(), n) for n in ordered]
        present = {key(n) for n in ordered}
        ordered = [
            full if (full := full_place_name(n)) and key(full) in present else n
            for n in ordered
        ]
    keys = [key(n).split() for n in ordered]
    if kind == PERSON:
        # "Dennis A. Levine" is "Dennis Levine": compare people without middle initials.
        keys = [k[:1] + [w for w in k[1:] if len(w) > 1] for k in keys]
    if kind == ORG:
        # "Apple Inc." is "Apple": compare companies without their legal form.
        legal = {w.casefold() for w in rules()["legal_forms"]}
        keys = [[w.rstrip(",") for w in k] for k in keys]  # "Growmark, Inc."
        keys = [k[:-1] if len(k) > 1 and k[-1] in legal else k for k in keys]
    out = [
        name
        for i, name in enumerate(ordered)
        if not any(
            (len(keys[j]) > len(keys[i]) and keys[j][-len(keys[i]) :] == keys[i])
            or (
                kind == PERSON
                and len(keys[j]) > len(keys[i])
                and keys[j][: len(keys[i])] == keys[i]
            )
            or (keys[j] == keys[i] and len(ordered[j]) > len(name))
            or _is_acronym_of(name, other)
            for j, other in enumerate(ordered)
            if j != i
        )
    ]
    return list(dict.fromkeys(out))


def entities(doc: Doc, *, sport: bool = False, title: str | None = None) -> Entities:
    """Document-level names; `sport` reads place names in score lines as teams; the `title`
    adds evidence about names the text uses."""
    text = doc.text  # spaCy joins the tokens' text anew on each access
    votes = _Votes(_headings(text))
    acronyms = _model_votes(doc, votes, sport)
    _column_votes(doc, votes)
    if sport:
        _side_votes(doc, votes)
    _pattern_votes(text, votes, sport)
    _press_digest_votes(text, title, votes)
    _ticker_votes(f"{title or ''}\n{text}", votes)
    _price_votes(text, votes)
    _bracketed_company_votes(text, votes)
    _lowercase_places(doc, votes)
    acronym_keys = {a.casefold() for a in acronyms} | _common_noun_abbreviations(text)
    lower_words = {t.text for t in doc if t.is_lower and t.is_alpha}
    kinds = _decide(votes.names, sport, lower_words)
    grouped: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for k, entry in votes.names.items():
        if k not in acronym_keys and kinds[k] in (PERSON, PLACE, ORG):
            grouped[kinds[k]].append((entry.text, entry.first))
    for name in [*votes.datelines, *votes.venues]:
        # "DETROIT 1996-08-30" is where the story was filed and "Boston at Detroit" where a game
        # is played, even if Detroit's team also plays in it.
        if kinds.get(key(name)) != PLACE:
            entry = votes.names.get(key(name))
            grouped[PLACE].append((entry.text if entry else name, -1))
    sources = [k.split() for k in votes.sources]
    people = [
        name
        for name in _collapse(grouped[PERSON], PERSON)
        if not any(key(name).split()[-len(s) :] == s for s in sources)
    ]
    return Entities(
        people=people,
        places=_collapse(grouped[PLACE], PLACE),
        organisations=_collapse(grouped[ORG], ORG),
        acronyms=list(dict.fromkeys(acronyms)),
    )
