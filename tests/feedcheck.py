"""Checks a feed reader would make: the W3C feed validator, feedparser, the JSON Feed spec."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import feedparser

from tests.conftest import SHARED

VALIDATOR = SHARED / "tools" / "validate_feeds.py"
_SUMMARY = re.compile(r"(\d+) feeds: (\d+) errors, (\d+) warnings")
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def validator_errors(site: Path, base: str = "https://example.org/") -> tuple[int, str]:
    """How many feeds the W3C Feed Validation Service's code checked, and its error lines."""
    result = subprocess.run([sys.executable, str(VALIDATOR), str(site), "--base", base],
                            capture_output=True, text=True, timeout=600, check=False)
    found = _SUMMARY.search(result.stdout)
    assert found, result.stdout + result.stderr
    count, errors, _ = map(int, found.groups())
    assert (result.returncode != 0) == (errors > 0)
    return count, "\n".join(line for line in result.stdout.splitlines() if "[error]" in line)


def xml_feeds(feeds: Path) -> list[Path]:
    """Every Atom and RSS feed under feeds/, the dossiers' feeds in sub-folders too."""
    return [path for path in sorted(feeds.rglob("*.*")) if path.suffix in (".atom", ".rss")]


def bozo_feeds(feeds: Path) -> list[str]:
    """The Atom and RSS feeds feedparser cannot read cleanly."""
    return [path.name for path in xml_feeds(feeds) if feedparser.parse(path).bozo]


def _is_str(value: object) -> bool:
    return isinstance(value, str)


def _authors_problems(where: str, authors: object) -> list[str]:
    if not isinstance(authors, list) or not authors:
        return [f"{where}: authors must be a non-empty array"]
    problems = []
    for author in authors:
        keys = {"name", "url", "avatar"}
        if not isinstance(author, dict) or not keys & author.keys() or \
                not all(_is_str(author[k]) for k in keys & author.keys()):
            problems.append(f"{where}: author needs a string name, url or avatar: {author!r}")
    return problems


def json_feed_problems(data: object, absolute: bool) -> list[str]:
    """Where data breaks JSON Feed 1.1 (required fields and types of jsonfeed.org/version/1.1).

    With absolute, the feed's and items' ids and URLs must be absolute http(s) URLs.
    """
    if not isinstance(data, dict):
        return ["the feed is not an object"]
    problems = []
    if data.get("version") != "https://jsonfeed.org/version/1.1":
        problems.append("version must be https://jsonfeed.org/version/1.1")
    if not _is_str(data.get("title")):
        problems.append("title is required and must be a string")
    for key in ("home_page_url", "feed_url", "description", "language", "icon", "favicon"):
        if key in data and not _is_str(data[key]):
            problems.append(f"{key} must be a string")
    if "authors" in data:
        problems += _authors_problems("feed", data["authors"])
    items = data.get("items")
    if not isinstance(items, list):
        return [*problems, "items is required and must be an array"]
    urls = [data.get("home_page_url"), data.get("feed_url")]
    for n, item in enumerate(items):
        where = f"item {n}"
        if not isinstance(item, dict):
            problems.append(f"{where} is not an object")
            continue
        if not _is_str(item.get("id")):
            problems.append(f"{where}: id is required and must be a string")
        if not (_is_str(item.get("content_text")) or _is_str(item.get("content_html"))):
            problems.append(f"{where}: needs content_text or content_html")
        for key in ("url", "external_url", "title", "content_text", "content_html", "summary",
                    "language", "date_published", "date_modified"):
            if key in item and not _is_str(item[key]):
                problems.append(f"{where}: {key} must be a string")
        for key in ("date_published", "date_modified"):
            if _is_str(item.get(key)) and not _RFC3339.match(item[key]):
                problems.append(f"{where}: {key} must be an RFC 3339 date-time")
        if "tags" in item and not (isinstance(item["tags"], list)
                                   and all(map(_is_str, item["tags"]))):
            problems.append(f"{where}: tags must be an array of strings")
        if "authors" in item:
            problems += _authors_problems(where, item["authors"])
        urls += [item.get("id"), item.get("url")]
    if absolute:
        problems += [f"not absolute: {url!r}" for url in urls
                     if not (_is_str(url) and re.match(r"https?://[^/]", url))]
    return problems


def read_json_feed(path: Path) -> object:
    return json.loads(path.read_text("utf-8"))
