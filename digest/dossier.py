"""What a person's, place's, organisation's or topic's page tells about it (pure).

Computed once per build from the merged metadata, in one pass over the
articles: the months it was in the news, and who and what often appears with
it. "Often with" is ranked by Dunning's log-likelihood ratio (G²) of the two
names appearing in the same article, not by how often they do: a name in a
third of the digest ("United States") appears with everyone, which says
nothing about anyone. Only names that share at least MIN_TOGETHER articles,
and more of them than chance would give, are listed.

The names counted with a name are those of its articles; a name in one article
(most names) shares none with MIN_TOGETHER articles, and its dossier is that
article's. The cost is linear in the number of articles for a bounded number
of names per article.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain

Key = tuple[str, str]  # (kind, name), kind a key of ENTITY_KINDS

MIN_TOGETHER = 2  # articles two names must share to count as often together
OFTEN_MAX = 8  # names listed per kind
TOPICS_MAX = 8
MONTHS_MAX = 60  # a longer span is counted by year


@dataclass(frozen=True)
class Dossier:
    count: int
    first: str | None  # YYYY-MM-DD of the oldest dated article
    last: str | None
    # (label, articles): "1987-03" by month, "1987" by year over a long span, oldest first
    timeline: tuple[tuple[str, int], ...]
    often: dict[str, tuple[tuple[str, int], ...]]  # kind → ((name, shared articles), …) best first
    topics: tuple[tuple[str, int], ...]  # topic label → articles, most first


def timeline(dates: Iterable[str]) -> tuple[tuple[str, int], ...]:
    """Articles per month from the first month to the last, empty months included."""
    per_month = Counter(d[:7] for d in dates)
    if not per_month:
        return ()
    first, last = min(per_month), max(per_month)
    y0, m0, y1, m1 = int(first[:4]), int(first[5:]), int(last[:4]), int(last[5:])
    span = (y1 - y0) * 12 + m1 - m0 + 1
    if span > MONTHS_MAX:
        per_year = Counter()
        for month, n in per_month.items():
            per_year[month[:4]] += n
        return tuple((str(y), per_year[str(y)]) for y in range(y0, y1 + 1))
    months = [f"{y0 + (m0 - 1 + i) // 12}-{(m0 - 1 + i) % 12 + 1:02d}" for i in range(span)]
    return tuple((m, per_month[m]) for m in months)


def log_likelihood(together: int, a: int, b: int, total: int) -> float:
    """Dunning's G² for names in `a` and `b` of `total` articles, `together` in both."""
    cells = (
        (together, a, b),
        (a - together, a, total - b),
        (b - together, total - a, b),
        (total - a - b + together, total - a, total - b),
    )
    score = 0.0
    for observed, row, column in cells:
        if observed > 0:
            score += observed * math.log(observed * total / (row * column))
    return 2 * score


def dossiers(
    members: dict[Key, list[tuple[str | None, tuple[Key, ...]]]], total: int
) -> dict[Key, Dossier]:
    """A dossier per name.

    `members` maps each name to its articles, newest first, each given as its date
    and every name it carries (its own included).
    """
    counts = {key: len(items) for key, items in members.items()}
    result = {}
    for key, items in members.items():
        if len(items) == 1:
            result[key] = _alone(key, *items[0])
            continue
        dates = [date for date, _ in items if date]
        # Counted in C by Counter, then sorted out per name: a loop over each name of
        # each article here was most of a build's dossier time.
        shared = Counter(chain.from_iterable(names for _, names in items))
        del shared[key]
        topics = [(other[1], n) for other, n in shared.items() if other[0] == "topics"]
        together = {other: n for other, n in shared.items()
                    if n >= MIN_TOGETHER and other[0] != "topics"}
        result[key] = Dossier(
            count=len(items),
            first=min(dates, default=None),
            last=max(dates, default=None),
            timeline=timeline(dates) if len(items) >= MIN_TOGETHER else (),
            often=_often(together, counts[key], counts, total),
            topics=tuple(sorted(topics, key=lambda t: (-t[1], t[0]))[:TOPICS_MAX]),
        )
    return result


def _alone(key: Key, date: str | None, names: tuple[Key, ...]) -> Dossier:
    """The dossier of a name in one article, as most are: as an article names each
    name once (merge makes them unique), it shares no name with MIN_TOGETHER
    articles, and each of the article's topics once. Thousands of them took most
    of a build's dossier time the long way."""
    labels = sorted(other[1] for other in names if other[0] == "topics" and other != key)
    return Dossier(count=1, first=date, last=date, timeline=(), often={},
                   topics=tuple((label, 1) for label in labels[:TOPICS_MAX]))


def _often(
    together: dict[Key, int], n: int, counts: dict[Key, int], total: int
) -> dict[str, tuple[tuple[str, int], ...]]:
    ranked: dict[str, list[tuple[float, str, int]]] = defaultdict(list)
    for other, shared in together.items():
        # Fewer shared articles than chance would give is no association.
        if shared * total <= n * counts[other]:
            continue
        score = log_likelihood(shared, n, counts[other], total)
        ranked[other[0]].append((-round(score, 9), other[1], shared))
    return {kind: tuple((name, shared) for _, name, shared in sorted(found)[:OFTEN_MAX])
            for kind, found in ranked.items()}
