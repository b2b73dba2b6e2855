"""Keep markup from articles out of the site's HTML (pure functions).

Plain-text articles are escaped whole (pages.escape_markdown). Markdown articles
keep their Markdown, but not raw HTML, attribute lists or script links: the
renderer (Python-Markdown) passes all three through unchanged, and article text
is data, not markup. Done on the Markdown rather than on rendered HTML so the
pages stay safe whatever engine renders them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from html.parser import HTMLParser

import markdown

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
# As Python-Markdown reads code spans: the closing run of backticks stands alone.
_CODE_SPAN = re.compile(r"(?<![\\`])(`+)(.+?)(?<!`)\1(?!`)", re.DOTALL)
# Inline link or image destination, autolink, or reference definition.
_INLINE_DEST = re.compile(r"(\]\(\s*<?)([^()\s>]*(?:\([^()\s]*\)[^()\s>]*)*)")
_REF_DEF = re.compile(r"^(\s{0,3}\[[^\]]+\]:\s*<?)(\S+)", re.MULTILINE)
_SAFE_SCHEMES = ("http", "https", "mailto", "ftp")
# The start of an image, inline or by reference: `![alt](…)`, `![alt][ref]`, `![ref]`.
_IMAGE = re.compile(r"(\\*)!\[(\]?)")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


def safe_url(url: str) -> str:
    """The URL when it is relative or uses a web scheme; '#' otherwise (javascript:, data:…)."""
    # Browsers ignore control characters and whitespace inside a scheme: strip them first.
    probe = re.sub(r"[\x00-\x20]", "", html.unescape(url))
    match = _SCHEME.match(probe)
    if match and match.group(1).lower() not in _SAFE_SCHEMES:
        return "#"
    return url


def _image_as_link(match: re.Match[str]) -> str:
    """`![` opens an image unless its `!` is escaped (an odd number of backslashes)."""
    backslashes = match.group(1)
    if len(backslashes) % 2:
        return match.group(0)
    return f"{backslashes}[{'Image' if match.group(2) == ']' else 'Image: '}{match.group(2)}"


def _escape_prose(text: str) -> str:
    text = text.replace("<", "&lt;").replace("{", "\\{")
    text = _IMAGE.sub(_image_as_link, text)
    text = _INLINE_DEST.sub(lambda m: m[1] + safe_url(m[2]), text)
    return _REF_DEF.sub(lambda m: m[1] + safe_url(m[2]), text)


def _escape_outside_code_spans(block: str) -> str:
    out, last = [], 0
    for match in _CODE_SPAN.finditer(block):
        out += [_escape_prose(block[last : match.start()]), match.group(0)]
        last = match.end()
    out.append(_escape_prose(block[last:]))
    return "".join(out)


def safe_markdown(text: str) -> str:
    """Curator Markdown with raw HTML shown as text, attribute lists and script links removed,
    and images made links to them: the reader's browser loads nothing from another host.

    Code blocks and code spans are left alone where Markdown reads them as code
    too (it escapes them itself); when it does not, the whole text is escaped.
    """
    escaped = _escape_prose(text)
    kept = _escape_outside_code(text)
    # Where sanitizing and Markdown disagree on what is code, a tag could pass
    # as "code" here and render there: keep the code only if the result is safe.
    return kept if kept == escaped or _renders_safely(kept) else escaped


# What Python-Markdown makes of Markdown itself; anything else came from raw HTML.
_MARKDOWN_TAGS = frozenset({"p", "a", "em", "strong", "code", "pre", "h1", "h2", "h3", "h4",
                            "h5", "h6", "ul", "ol", "li", "blockquote", "hr", "br", "table",
                            "thead", "tbody", "tr", "th", "td"})


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))


def _renders_safely(md: str) -> bool:
    """Whether MkDocs' renderer makes only Markdown's own elements of `md`, with
    no attribute but safe link addresses and titles."""
    parser = _Elements()
    parser.feed(markdown.markdown(md, extensions=["attr_list"]))
    return all(
        tag in _MARKDOWN_TAGS
        and all(name == "title" or (tag == "a" and name == "href" and value is not None
                                    and safe_url(value) == value) for name, value in attrs)
        for tag, attrs in parser.elements
    )


def _escape_outside_code(text: str) -> str:
    out: list[str] = []
    prose: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        marker = _FENCE.match(line)
        if fence is None and marker:
            out.append(_escape_outside_code_spans("\n".join(prose)))
            prose = []
            fence = marker.group(1)[0] * len(marker.group(1))
            out.append(line)
        elif fence is not None:
            out.append(line)
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence = None
        else:
            prose.append(line)
    if prose:
        out.append(_escape_outside_code_spans("\n".join(prose)))
    return "\n".join(out)


class _TextOnly(HTMLParser):
    _SKIP = frozenset({"script", "style"})
    # Elements that end a paragraph or a line of text.
    _BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre",
                         "div", "tr", "hr", "dt", "dd"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skipping += tag in self._SKIP
        if tag in self._BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        self._skipping -= tag in self._SKIP and self._skipping > 0
        if tag in self._BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def _text_of(html_text: str) -> str:
    parser = _TextOnly()
    parser.feed(html_text)
    parser.close()
    return "".join(parser.parts)


def strip_tags(text: str) -> str:
    """Text with HTML tags dropped (and script/style content with them); plain text unchanged."""
    if "<" not in text:
        return text
    return " ".join(_text_of(text).split())


def markdown_text(text: str) -> str:
    """What a reader reads of curator Markdown, as plain text: link text without
    its address, no images, emphasis or heading marks; one blank line between
    paragraphs, and a paragraph's own line breaks kept (datelines are lines)."""
    # Rendered as written: HTML here is only parsed for its text, never shown.
    rendered = markdown.markdown(text, extensions=["fenced_code", "tables"])
    return joined_lines(" ".join(line.split()) for line in _text_of(rendered).split("\n"))


def joined_lines(lines: Iterable[str]) -> str:
    """Lines as one text, with no more than one blank line in a row and none at the ends."""
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
