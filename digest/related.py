"""Related articles: the ones sharing the most telling people, organisations, places, topics.

Pure and deterministic. Built from an inverted index, so the cost follows the
number of shared entities, not the square of the number of articles; names
carried by a large share of the digest ("United States") tell little and are
skipped.
"""

from __future__ import annotations

import math
from collections import defaultdict

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
    scores: list[dict[int, float]] = [defaultdict(float) for _ in articles]
    for (kind, _), group in members.items():
        if len(group) < 2 or len(group) > too_common:
            continue
        # Rarer shared names say more: weight by inverse frequency.
        weight = WEIGHTS[kind] / math.log(1 + len(group))
        for i in group:
            for j in group:
                if i != j:
                    scores[i][j] += weight
    result = {}
    for i, article in enumerate(articles):
        # articles are newest first, so a lower index wins a tie.
        ranked = sorted(scores[i].items(), key=lambda item: (-round(item[1], 9), item[0]))
        result[article.slug] = [articles[j] for j, _ in ranked[:limit]]
    return result
