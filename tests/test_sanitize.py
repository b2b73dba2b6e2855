from __future__ import annotations

import markdown
import pytest

from digest.sanitize import safe_markdown, safe_url, strip_tags


def _render(md: str) -> str:
    return markdown.markdown(safe_markdown(md), extensions=["attr_list", "fenced_code"])


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
