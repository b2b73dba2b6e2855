"""The activity timeline of a dossier: an inline SVG bar chart and its text (pure HTML out).

The chart is an image to assistive technology (role="img", named by a one-line
summary), and the numbers behind it are on the page as text, under a
disclosure, so nothing it shows is only shown as a picture. Colours come from
CSS (theme/assets/digest.css), so the chart follows the light and dark schemes.
"""

from __future__ import annotations

import datetime as dt
from html import escape

BAR = 10  # viewBox units per bar (the chart is stretched to the page width)
GAP = 2
HEIGHT = 40
# A month with one article among dozens still shows as a bar, not a hairline; its exact
# count is in the text alternative.
MIN_BAR = HEIGHT / 10


def period_name(label: str) -> str:
    """"1987-03" → "March 1987"; a year stays a year."""
    if len(label) == 4:
        return label
    return f"{dt.date(int(label[:4]), int(label[5:]), 1):%B %Y}"


def plural(count: int, word: str) -> str:
    """ "1 article", "2 articles": counts on pages and in messages."""
    return f"{count} {word}{'s' if count != 1 else ''}"


def timeline_html(timeline: tuple[tuple[str, int], ...], name: str) -> str:
    """A block of raw HTML (one Markdown block: no blank line) or "" for no timeline."""
    if not timeline:
        return ""
    unit = "year" if len(timeline[0][0]) == 4 else "month"
    peak_label, peak = max(timeline, key=lambda t: (t[1], t[0]))
    first, last = period_name(timeline[0][0]), period_name(timeline[-1][0])
    summary = (f"Articles on {name} per {unit}, {first} to {last}: "
               f"most in {period_name(peak_label)} ({plural(peak, 'article')}).")
    width = len(timeline) * BAR
    bars = []
    for i, (_, n) in enumerate(timeline):
        if n:
            h = max(MIN_BAR, HEIGHT * n / peak)
            bars.append(f'<rect x="{i * BAR + GAP // 2}" y="{HEIGHT - h:.2f}" '
                        f'width="{BAR - GAP}" height="{h:.2f}"/>')
    text = "; ".join(f"{period_name(label)}: {n}" for label, n in timeline)
    return "".join([
        '<div class="digest-timeline">',
        f'<svg role="img" aria-label="{escape(summary)}" viewBox="0 0 {width} {HEIGHT}" '
        f'preserveAspectRatio="none" focusable="false">{"".join(bars)}</svg>',
        f'<p class="digest-timeline__axis"><span>{escape(first)}</span>'
        + (f"<span>{escape(last)}</span>" if last != first else "") + "</p>",
        f'<details class="digest-timeline__text"><summary>Articles per {unit}, as text'
        f'</summary><p>{escape(text)}.</p></details>',
        "</div>",
    ])
