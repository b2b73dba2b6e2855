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
from html.parser import HTMLParser

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.DOTALL)
# Inline link or image destination, autolink, or reference definition.
_INLINE_DEST = re.compile(r"(\]\(\s*<?)([^()\s>]*(?:\([^()\s]*\)[^()\s>]*)*)")
_REF_DEF = re.compile(r"^(\s{0,3}\[[^\]]+\]:\s*<?)(\S+)", re.MULTILINE)
_SAFE_SCHEMES = ("http", "https", "mailto", "ftp")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


def safe_url(url: str) -> str:
    """The URL when it is relative or uses a web scheme; '#' otherwise (javascript:, data:…)."""
    # Browsers ignore control characters and whitespace inside a scheme: strip them first.
    probe = re.sub(r"[\x00-\x20]", "", html.unescape(url))
    match = _SCHEME.match(probe)
    if match and match.group(1).lower() not in _SAFE_SCHEMES:
        return "#"
    return url


def _escape_prose(text: str) -> str:
    text = text.replace("<", "&lt;").replace("{", "\\{")
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
    """Curator Markdown with raw HTML shown as text, attribute lists and script links removed.

    Fenced code blocks and code spans are left alone: Markdown already escapes them.
    """
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

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skipping += tag in self._SKIP

    def handle_endtag(self, tag: str) -> None:
        self._skipping -= tag in self._SKIP and self._skipping > 0

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def strip_tags(text: str) -> str:
    """Text with HTML tags dropped (and script/style content with them); plain text unchanged."""
    if "<" not in text:
        return text
    parser = _TextOnly()
    parser.feed(text)
    parser.close()
    return " ".join("".join(parser.parts).split())
