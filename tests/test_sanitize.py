from __future__ import annotations

import re

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digest.sanitize import markdown_text, safe_markdown, safe_url, strip_tags


def _render(md: str) -> str:
    # As the digest's mkdocs.yml renders: attr_list on, no fenced_code.
    return markdown.markdown(safe_markdown(md), extensions=["attr_list", "toc"])


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " java\tscript:x", "jav&#x61;script:x",
     "data:text/html,<script>x</script>", "vbscript:x"],
)
def test_script_urls_are_neutralised(url: str) -> None:
    assert safe_url(url) == "#"


@pytest.mark.parametrize("url", ["https://example.org/a(b)", "../people/x.md", "#top",
                                 "mailto:a@b.c"])
def test_ordinary_urls_are_kept(url: str) -> None:
    assert safe_url(url) == url


def test_raw_html_is_shown_as_text_not_run() -> None:
    html = _render('Hi <script>alert(1)</script> <img src=x onerror="alert(2)">')
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_links_keep_working_but_script_links_do_not() -> None:
    html = _render("[ok](https://example.org/x_(y)) and [bad](javascript:alert(1)) end")
    assert '<a href="https://example.org/x_(y)">ok</a>' in html
    assert '<a href="#">bad</a> end' in html


def test_attribute_lists_cannot_add_event_handlers() -> None:
    html = _render('A paragraph { onclick="alert(1)" }\n\n# Heading {: onmouseover="x" }')
    assert "<p onclick" not in html and "<h1 onmouseover" not in html


def test_code_is_left_as_the_author_wrote_it() -> None:
    md = "Use `a < b` here.\n\n```\nif x < y: {print('<b>')}\n```\n"
    html = _render(md)
    assert "<code>a &lt; b</code>" in html
    assert "if x &lt; y: {print('&lt;b&gt;')}" in html


def test_strip_tags_keeps_text_and_drops_scripts() -> None:
    assert strip_tags("Evil <img src=x onerror=alert(1)> <b>bold</b> title") == "Evil bold title"
    assert strip_tags("<script>alert(1)</script>Safe") == "Safe"
    assert strip_tags("AT&T rises 5% as a < b") == "AT&T rises 5% as a < b"


REMOTE = "https://tracker.example.com/pixel.png"


@pytest.mark.parametrize(
    "md",
    [
        f"The photo: ![pic]({REMOTE})",
        f'![pic]({REMOTE} "a title")',
        f"![]({REMOTE})",
        f"![a [nested] alt]({REMOTE})",
        f"![pic][px]\n\n[px]: {REMOTE}",
        f"![px]\n\n[px]: {REMOTE}",
        f"\\\\![pic]({REMOTE})",  # an escaped backslash, then an image
        f"``a`` ![pic]({REMOTE}) `b`",
        f"`a`` ![pic]({REMOTE}) `b`",  # "`a`" is no code span to Markdown: the image is live
    ],
)
def test_no_image_is_rendered_only_a_link_to_it(md: str) -> None:
    assert "<img" not in _render(md)


def test_an_image_becomes_a_link_named_for_it() -> None:
    html = _render(f"The photo: ![pic]({REMOTE})")
    assert f'<a href="{REMOTE}">Image: pic</a>' in html


def test_an_escaped_image_stays_text() -> None:
    assert "<img" not in _render(f"\\![pic]({REMOTE})")
    assert "!" in _render(f"\\![pic]({REMOTE})")


def test_markdown_text_keeps_words_and_lines_without_markup() -> None:
    md = ("LONDON 2024-01-02\nThe photo: ![pic](https://t.example/p.png) shows **the** "
          "[minister](https://example.org/m) in *Kyiv*.  \nMore.\n\n## Talks\n\n- one\n- two")
    assert markdown_text(md) == ("LONDON 2024-01-02\nThe photo: shows the minister in Kyiv."
                                 "\nMore.\n\nTalks\n\none\n\ntwo")


# Pieces a hostile article can combine: backtick runs and fence lines that the
# renderer may or may not read as code, next to markup that must never be live.
_PIECES = ["`", "``", "```", "\n", "\n```\n", "\n~~~\n", "a ", "<script>alert(1)</script>",
           "<img src=https://t.example/x.png>", "[l](javascript:alert(1))",
           f"![p]({REMOTE})", '{: onclick="alert(1)"}']
_LIVE = re.compile(r"<(?:script|img|iframe)\b|<[a-z0-9]+[^>]*\son\w+=|href=\"javascript:")


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=6))
def test_no_mix_of_code_and_markup_renders_anything_live(pieces: list[str]) -> None:
    md = "".join(pieces)
    assert not _LIVE.search(_render(md)), md


@pytest.mark.parametrize("md", ["```<script>alert(1)</script>",
                                "```\n[l](javascript:alert(1))",
                                "``<img src=https://t.example/x.png>` ```"])
def test_a_fence_the_renderer_does_not_read_as_code_is_no_way_in(md: str) -> None:
    assert not _LIVE.search(_render(md))
