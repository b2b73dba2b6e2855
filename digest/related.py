"""Related articles: the ones sharing the most telling people, organisations, places, topics.

Pure and deterministic. Built from an inverted index, so the cost follows the
number of shared entities, not the square of the number of articles; names
carried by a large share of the digest ("United States") tell little and are
skipped.

The pairs are summed and ranked with numpy: a name may be shared by up to a
twentieth of the digest, so the pairs grow faster than the digest (450,000 at
4,000 articles), and adding and sorting them one by one in Python took a third
of a second of every build there. The sums are the same floats as one by one.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np

from digest.model import Article

WEIGHTS = {"people": 3.0, "organisations": 2.0, "places": 1.0, "topics": 1.0}
RELATED_MAX = 5
# An entity in more than this share of articles (and more than FLOOR of them) is too common.
COMMON_SHARE = 0.05
COMMON_FLOOR = 50


def related_articles(articles: list[Article], limit: int = RELATED_MAX) -> dict[str, list[Article]]:
    """Up to `limit` related articles per article slug, best first; ties go to the newer."""
    members: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, article in enumerate(articles):
        for kind in WEIGHTS:
            for name in getattr(article.meta, kind):
                members[(kind, name)].append(i)
    too_common = max(COMMON_FLOOR, int(len(articles) * COMMON_SHARE))
    shared = [(group, WEIGHTS[kind] / math.log(1 + len(group)))  # rarer names say more
              for (kind, _), group in members.items() if 2 <= len(group) <= too_common]
    # Each ordered pair of positions in each group, in the order of the names, then
    # of the first, then of the second article, as nested loops would take them.
    sizes = np.array([len(group) for group, _ in shared], np.int64)
    squares = sizes * sizes
    group_of = np.repeat(np.arange(len(shared)), squares)
    position = np.arange(squares.sum()) - np.repeat(np.cumsum(squares) - squares, squares)
    starts = (np.cumsum(sizes) - sizes)[group_of]
    flat = np.array([i for group, _ in shared for i in group], np.int64)
    first = flat[starts + position // sizes[group_of]]
    second = flat[starts + position % sizes[group_of]]
    other = first != second
    pairs, where = np.unique(first[other] * len(articles) + second[other], return_inverse=True)
    scores = np.zeros(len(pairs))
    # One addition after another, in that order, as a Python loop would make them.
    np.add.at(scores, where, np.array([weight for _, weight in shared])[group_of[other]])
    # Scores that differ only by the order of their additions are a tie: rounded as
    # Python's round() does (numpy's may differ in the last digit), once per value,
    # and ranked best first.
    values, of_value = np.unique(scores, return_inverse=True)
    _, rank = np.unique([round(value, 9) for value in values.tolist()], return_inverse=True)
    worse = (rank.max(initial=0) - rank)[of_value]
    article, candidate = np.divmod(pairs, len(articles))
    # By article, best first; articles are newest first, so a lower index wins a tie.
    ranked = np.sort((article * (len(values) + 1) + worse) * len(articles) + candidate)
    article = ranked // ((len(values) + 1) * len(articles))
    start = np.searchsorted(article, np.arange(len(articles)))
    end = np.minimum(np.searchsorted(article, np.arange(len(articles)), side="right"),
                     start + limit)
    best = (ranked % len(articles)).tolist()
    return {a.slug: [articles[j] for j in best[s:e]]
            for a, s, e in zip(articles, start.tolist(), end.tolist(), strict=True)}
