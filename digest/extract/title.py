"""A short headline for an article that has none: the lede's main clause, compressed.

"Washington will deliver “to the Ukrainians more advanced missile systems …,” writes
Joe Biden in …" becomes "Washington will deliver to Ukrainians more advanced missile
systems": take the reported clause when the sentence only says who said it, then drop
what a headline leaves out (relative and adverbial clauses, asides, quote marks) until
it fits.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from digest.extract.summary import shorten, tidy

MAX_CHARS = 80
# fmt: off
_REPORTING = frozenset({
    "say", "write", "tell", "add", "announce", "claim", "report", "state", "insist", "argue",
    "explain", "indicate", "note", "warn", "declare", "confirm", "assure", "believe", "think",
    "suggest", "reveal", "acknowledge", "admit",
})
# Never in a headline: subordinate clauses, asides, discourse glue.
_ALWAYS_DROP = frozenset({
    "relcl", "advcl", "parataxis", "mark", "intj", "meta", "dep", "npadvmod", "preconj", "csubj",
})
# fmt: on
_QUOTES = "\"'“”‘’«»"


def _always_drop(tok: Token) -> bool:
    if tok.dep_ == "appos":
        # "media giant TimeWarner": a short proper-name apposition is the news itself.
        return not (tok.pos_ == "PROPN" and len(list(tok.subtree)) <= 3)
    return tok.dep_ in _ALWAYS_DROP


def _clause_head(root: Token) -> Token:
    if root.lemma_ in _REPORTING:
        for child in root.children:
            if child.dep_ in ("ccomp", "xcomp") and child.pos_ in ("VERB", "AUX"):
                return child
    return root


def _render(tokens: list[Token]) -> str:
    """Kept tokens as text: original spacing, and a space wherever something was cut."""
    parts: list[str] = []
    previous: Token | None = None
    for tok in tokens:
        if tok.text in _QUOTES or (tok.dep_ == "punct" and tok.text in ",;:()[]—–"):
            continue
        if previous is not None:
            adjacent = previous.i == tok.i - 1 and not previous.whitespace_
            parts.append("" if adjacent else " ")
        parts.append(tok.text)
        previous = tok
    return tidy("".join(parts).strip(" ,;:-–—" + _QUOTES))


def _keep(head: Token, dropped: set[int]) -> list[Token]:
    return [
        t for t in head.subtree if not any(a.i in dropped for a in [t, *t.ancestors] if a != head)
    ]


def _droppable_steps(head: Token) -> list[set[int]]:
    """Further cuts, least informative first, applied while the headline is too long."""
    sub = list(head.subtree)
    steps = [
        {t.i for t in sub if t.dep_ == "det" and t.lower_ in ("the", "a", "an")},
        {t.i for t in sub if t.dep_ in ("advmod", "aux") and t.head == head and t.pos_ == "ADV"},
        {t.i for t in sub if t.dep_ in ("conj", "cc") and t.head.pos_ in ("NOUN", "PROPN")},
    ]
    steps.extend({t.i} for t in reversed(sub) if t.dep_ in ("prep", "agent", "acl", "ccomp"))
    steps.append({t.i for t in sub if t.dep_ in ("conj", "cc")})
    return steps


def headline(doc: Doc) -> str:
    """A headline (≤ ~80 characters, at a word boundary) from a parsed lede sentence."""
    sents = list(doc.sents)
    if not sents:
        return ""
    head = _clause_head(sents[0].root)
    dropped = {t.i for t in head.subtree if _always_drop(t) and t != head}
    text = _render(_keep(head, dropped))
    for step in _droppable_steps(head):
        if len(text) <= MAX_CHARS:
            break
        dropped |= step
        text = _render(_keep(head, dropped))
    if len(text.split()) < 3:
        text = _render(list(sents[0]))
    text = shorten(text, MAX_CHARS).rstrip(".")
    return text[:1].upper() + text[1:]
