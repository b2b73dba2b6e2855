"""A news web page to an article: Markdown body and the page's own metadata (pure).

trafilatura finds the main text (and, through htmldate, a date); the page's
structured metadata is read first, because news sites state it there for
search engines and social networks: JSON-LD (schema.org NewsArticle), Open
Graph and article:* meta tags, and the visible <h1> headline.
"""

from __future__ import annotations

import copy
import datetime as dt
import html
import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import ftfy
import lxml.html
from htmldate import find_date
from lxml import etree
from trafilatura import bare_extraction
from trafilatura.metadata import extract_author
from trafilatura.xml import xmltotxt
from trafilatura.xpaths import BODY_XPATH

from digest.charts import plural
from digest.sanitize import joined_lines, strip_tags

MIN_WORDS = 40  # less text than this is a teaser, a paywall stub or a gallery (a brief has 60)
MAX_LINK_SHARE = 0.5  # more of the text in links than this: a page of links, not a story
# Pages of links (front pages, section fronts, search results) hold little prose.
INDEX_PAGE_TYPES = {"collectionpage", "itemlist", "searchresultspage", "website"}
MIN_TEASERS = 3  # a website page with this many linked <article> headings is a section front


class PageRefused(ValueError):
    """A page that is not a single article with enough text; the message says why."""


@dataclass(frozen=True)
class WebArticle:
    title: str
    body: str  # Markdown
    date: str | None = None  # YYYY-MM-DD
    date_source: str | None = None  # json-ld, meta, url, time, dateline, text
    authors: list[str] = field(default_factory=list)
    publisher: str | None = None
    source_url: str | None = None
    language: str | None = None


# ---- reading the page's metadata --------------------------------------------


def _text(node: Any) -> str:
    return " ".join(node.text_content().split()) if node is not None else ""


def _json_ld(tree: Any) -> list[dict[str, Any]]:
    """Every schema.org object in the page's JSON-LD blocks, @graph members flattened."""
    found: list[dict[str, Any]] = []

    def walk(item: object) -> None:
        if isinstance(item, list):
            for member in item:
                walk(member)
        elif isinstance(item, dict):
            found.append(item)
            walk(item.get("@graph"))

    for script in tree.xpath('//script[@type="application/ld+json"]'):
        raw = (script.text or "").strip()
        try:
            walk(json.loads(raw, strict=False))
        except ValueError:
            continue  # broken JSON-LD is common; the other sources still count
    return found


def _types(item: dict[str, Any]) -> set[str]:
    kind = item.get("@type", [])
    return {str(k).casefold() for k in (kind if isinstance(kind, list) else [kind])}


_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "blogposting",
                  "analysisnewsarticle", "opinionnewsarticle", "reviewnewsarticle",
                  "backgroundnewsarticle", "report", "techarticle", "liveblogposting",
                  "scholarlyarticle", "socialmediaposting", "medicalwebpage", "review",
                  "recipe", "howto"}


def _article_ld(items: list[dict[str, Any]]) -> dict[str, Any]:
    """The JSON-LD object describing the article itself (not the site or a breadcrumb)."""
    for item in items:
        if _types(item) & _ARTICLE_TYPES:
            return item
    for item in items:
        if "webpage" in _types(item) and (item.get("datePublished") or item.get("author")):
            return item
    return {}


def _meta(tree: Any, *keys: str) -> str:
    """The first non-empty <meta> content among name/property/itemprop keys, in key order."""
    found: dict[str, str] = {}
    for node in tree.xpath("//meta[@content]"):
        for attr in ("property", "name", "itemprop"):
            key = (node.get(attr) or "").strip().casefold()
            if key and key not in found and node.get("content", "").strip():
                found[key] = _as_str(node.get("content"))
    return next((found[k] for k in keys if k in found), "")


def _names(value: object) -> list[str]:
    """Names from a JSON-LD author value: a string, a Person or an Organization (a news
    agency, a company's blog), or a list of them."""
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    if isinstance(value, dict):
        return _names(value.get("name"))
    return [_as_str(value)] if _as_str(value) else []


_BYLINE_PREFIX = re.compile(r"^.*?\b(?:by|author|written by|posted by)\b[:\s]+", re.IGNORECASE)
# Words that follow a name in a byline but are not part of it.
_BYLINE_TAIL = re.compile(
    r"\s*(?:[•·|]|\b(?:published|updated|posted|link copied|founder|sponsored|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d)\b).*$",
    re.IGNORECASE)
_NOT_A_NAME = re.compile(r"https?:|www\.|@|\d|^(?:staff|admin|editor|editorial|view .*|"
                         r"(?:jan|febr)uary|march|april|may|june|july|august|september|"
                         r"october|november|december)$", re.IGNORECASE)


def _clean_authors(names: list[str], publisher: str | None) -> list[str]:
    """Distinct names: no URLs, no "By", no dates; the publisher only when it is the
    one author named (a page that lists it beside people means the people)."""
    out: list[str] = []
    for raw in names:
        raw = _BYLINE_TAIL.sub("", _BYLINE_PREFIX.sub("", html.unescape(raw)))
        for name in re.split(r"\s*(?:,|;|\band\b|&|\|)\s*", raw):
            name = name.strip(" -–—|·")
            if not name or _NOT_A_NAME.search(name) or len(name.split()) > 5:
                continue
            if name.casefold() not in {n.casefold() for n in out}:
                out.append(name)
    people = [n for n in out if not publisher or n.casefold() != publisher.casefold()]
    return people or out


def _names_site(name: str, sites: set[str]) -> bool:
    """Whether a name is the site's own ("The Worcester Telegram" on telegram.com)."""
    key = re.sub(r"^the", "", re.sub(r"\W+", "", name.casefold()))
    return any(key == site or (min(len(key), len(site)) > 3 and (key in site or site in key))
               for site in sites)


def _author_page_link(tree: Any) -> list[str]:
    """The name on the first link to an author's page (/author/NAME, /authors/NAME),
    how most publishing systems link a byline."""
    for link in tree.xpath('//body//a[contains(@href, "/author/") or '
                           'contains(@href, "/authors/")]'):
        name = _text(link)
        if 1 <= len(name.split()) <= 4:
            return [name]
    return []


_SIGNED = re.compile(r"(?:by|written by|article by|words by|contributors?|authors?)\s*:?\s*(.*)",
                     re.IGNORECASE)
_NAME = re.compile(r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){1,3}")


def _under_headline(tree: Any) -> list[str] | None:
    """The first 40 text pieces after the page's first headline, spaces collapsed (where
    its byline and date stand), or None for a page without a headline."""
    for h1 in tree.xpath("//body//h1")[:1]:
        return [" ".join(t.split()) for t in h1.xpath(
            "following::text()[not(ancestor::script) and not(ancestor::style)]")[:40]]
    return None


# Names in a byline: "Ann Lee", "Ann Lee and Bo Chan", "Ann Lee, Bo Chan & Cy Dunn", in one
# element or in elements of their own (links), each name within one element. A list ends
# with "and": in "Ann Lee, Senior Writer" the comma leads to her role.
_SIGNED_NAME = _NAME.pattern.replace(r"\s+", " ")
_NAME_JOINER = r"\s*(?:,?\s*\band\b|,?\s*&|,)\s*"
_SIGNED_NAMES = re.compile(
    rf"{_SIGNED_NAME}(?:(?:\s*,\s*{_SIGNED_NAME})*\s*,?\s*(?:\band\b|&)\s*{_SIGNED_NAME})?"
    r"(?=\s*(?:$|\n|[,|•·–—-]))")
SIGNED_PIECES = 6  # the text pieces after "By" that a list of names may span


def _byline_under_headline(tree: Any) -> list[str]:
    """The names signed under the headline ("By Ann Lee", "Written by: Ann Lee and Bo
    Chan"), where a page without author metadata shows them: after the word "by", in
    the same element or the ones after it."""
    texts = [t for t in _under_headline(tree) or [] if t]
    for i, text in enumerate(texts):
        signed = _SIGNED.fullmatch(text)
        if signed:
            after = "\n".join(([signed.group(1)] if signed.group(1) else [])
                              + texts[i + 1:i + 1 + SIGNED_PIECES])
            names = _SIGNED_NAMES.match(after)
            return re.split(_NAME_JOINER, names.group(0)) if names else []
    return []


# ---- the headline -----------------------------------------------------------

_SUFFIX_SEPARATORS = re.compile(r"\s+[|–—-]\s+|\s+[|:]{1,2}\s*|\s*\|\s*")


def _strip_site(title: str, sites: set[str]) -> str:
    """The title without a trailing (or leading) " | Site" or " - Site" naming the site."""
    parts = _SUFFIX_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    def is_site(part: str) -> bool:
        key = re.sub(r"\W+", "", part.casefold())
        return bool(key) and any(key == s or (len(key) > 3 and key in s) or s in key
                                 for s in sites)
    while len(parts) > 1 and is_site(parts[-1]):
        title = title[: title.rfind(parts[-1])].rstrip(" |–—-:")
        parts = parts[:-1]
    if len(parts) > 1 and is_site(parts[0]):
        title = title[len(parts[0]):].lstrip(" |–—-:")
    return title.strip()


# The share of words an <h1> and a title have in common (over the words of both) that
# makes them one headline; the bar is the one the old share (over the h1's words) had.
HEADLINE_SHARE = 0.3


def _headline(tree: Any, ld: dict[str, Any], sites: set[str]) -> str:
    """The visible <h1> when the page has one that looks like the headline; else the
    metadata title, without the site name."""
    titles = [_as_str(ld.get("headline")), _meta(tree, "og:title"), _meta(tree, "twitter:title"),
              _strip_site(_text(tree.find(".//title")), sites)]
    titles = [title for title in titles if title]
    meta_title = titles[0] if titles else ""
    # An <h1> linking to the home page is the site's name set as a heading (a blog's).
    h1s = [_text(h) for h in tree.xpath("//h1") if not any(
        urlsplit(href.strip()).path in ("", "/") and not urlsplit(href.strip()).query
        for href in h.xpath(".//a/@href"))]
    h1s = [h for h in h1s if len(h.split()) >= 3 and re.sub(r"\W+", "", h.casefold())
           not in sites]
    # A title may carry the site's name or tagline after a separator: each part counts.
    references = [set(re.findall(r"\w+", part.casefold())) for title in titles
                  for part in (title, *_SUFFIX_SEPARATORS.split(title))]

    def shared(h1: str) -> float:
        own = set(re.findall(r"\w+", h1.casefold()))
        return max((2 * len(words & own) / (len(words) + len(own)) for words in references),
                   default=0.0)

    # A page may have several <h1> (site logo, related stories, subheadings): take the
    # one that shares most words with one of the titles its metadata gives (the headline
    # for search engines, for social networks, the window's), when it shares enough to
    # be the same story: each of those titles may be reworded from the one readers see.
    # Words shared over the words of both, so that a subheading sharing one of its three
    # words with the headline is no match.
    best = max(h1s, key=shared, default="")
    if best and (not references or shared(best) >= HEADLINE_SHARE):
        return best
    return _strip_site(meta_title, sites)


def _as_str(value: object) -> str:
    """A JSON-LD or meta value as one line of text (entities some sites escape twice, decoded)."""
    if isinstance(value, list):
        value = value[0] if value else ""
    return " ".join(strip_tags(html.unescape(value)).split()) if isinstance(value, str) else ""


# ---- the date ---------------------------------------------------------------

_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_URL_DATE = re.compile(r"/(20\d{2}|19\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|-|\b)")
_MONTHS = "january february march april may june july august september october november december"
_MONTH = {m[:3]: i for i, m in enumerate(_MONTHS.split(), 1)}
_WRITTEN = re.compile(
    r"\b(?:(\d{1,2})\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+"
    r"(?:(\d{1,2})(?:st|nd|rd|th)?,?\s+)?(\d{4})\b", re.IGNORECASE)


def _day(year: int, month: int, day: int) -> str | None:
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return None
    return date.isoformat() if 1990 <= year <= dt.date.today().year + 1 else None


def parse_page_date(value: str) -> str | None:
    """YYYY-MM-DD from an ISO timestamp or a written date ("Dec. 22, 2023", "22 December
    2023"), as the page states it (its own time zone, not converted)."""
    iso = _ISO.search(value)
    if iso:
        return _day(int(iso[1]), int(iso[2]), int(iso[3]))
    written = _WRITTEN.search(value)
    if written and (written[1] or written[3]):
        return _day(int(written[4]), _MONTH[written[2][:3].casefold()],
                    int(written[1] or written[3]))
    return None


_DATE_META = ("article:published_time", "og:published_time", "datepublished",
              "pubdate", "publishdate", "publish-date", "publish_date", "date",
              "dc.date.issued", "dc.date", "dcterms.created", "dcterms.date",
              "parsely-pub-date", "sailthru.date", "article.published", "published_time",
              "cxenseparse:recs:publishtime", "dc.date.created", "originalpublicationdate")


_MODIFIED_META = ("article:modified_time", "og:updated_time", "datemodified",
                  "dc.date.modified", "dcterms.modified", "last-modified")

# "Updated Dec. 14, 2023", "Published on 22 December 2023": a date the page shows its readers.
_SHOWN = re.compile(
    r"\b(?:updated|modified|published|posted|reviewed)\b[^\w]{0,3}(?:on\s+)?(.{0,40})",
    re.IGNORECASE)


# A time in the comments under the article dates a reader's comment, not the article.
_TIMES_OUTSIDE_COMMENTS = ("//body//time[not(ancestor::*[contains(@class, 'comment') "
                           "or contains(@id, 'comment')])]")
HEADER_CHARS = 300  # the text under a headline that may hold its byline and date
DATE_LINE_CHARS = 60  # "Saturday 23 December 2023 05:39, UK": a date line, not a sentence
VISIBLE_CHARS = 20000  # the top of the page's text, where its byline and date are


def _visible_text(tree: Any) -> str:
    texts = tree.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)]")
    return " ".join(" ".join(texts).split())[:VISIBLE_CHARS]


def _shown_date(tree: Any) -> tuple[str | None, bool]:
    """The first date the page shows with its byline (a <time> element, else a date
    after "Updated" or "Published" in the text, else one under the headline), and
    whether it is doubtful as the article's date: one of many days in the page's
    <time> elements (a list of other stories)."""
    times = [(node, parse_page_date(node.get("datetime") or "") or parse_page_date(_text(node)))
             for node in tree.xpath(_TIMES_OUTSIDE_COMMENTS)]
    times = [(node, date) for node, date in times if date]
    if times:
        # Many days in <time> elements: a list of other stories, not one byline.
        return times[0][1], len({date for _, date in times}) > 2
    text = _visible_text(tree)
    for found in _SHOWN.finditer(text):
        date = parse_page_date(found.group(1))
        if date:
            # "December 3, 2025. Updated: December 7, 2025": the first is the publication.
            before = _WRITTEN.search(text[max(0, found.start() - 30):found.start()])
            if before and parse_page_date(before.group(0)):
                return parse_page_date(before.group(0)), False
            return date, False
    after = _under_headline(tree)
    if after is None:
        return None, False
    # A byline's date stands in an element of its own, past a long standfirst too.
    return parse_page_date(" ".join(after)[:HEADER_CHARS]) or next(
        (date for text in after if len(text) <= DATE_LINE_CHARS
         and (date := parse_page_date(text))), None), False


def _days_after(a: str, b: str) -> int:
    return (dt.date.fromisoformat(b) - dt.date.fromisoformat(a)).days


def _days_apart(a: str, b: str) -> int:
    return abs(_days_after(a, b))


_LOCAL_OFFSET = re.compile(r"T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*[+-](?!00:?00)\d{2}:?\d{2}")


def _slack(stamp: str) -> int:
    """How many days another date may differ from a timestamp's and still be its day.

    A timestamp in UTC may fall on the day before or after the publisher's own; one
    with a publisher's offset ("-05:00") states the publisher's day itself."""
    return 0 if _LOCAL_OFFSET.search(stamp) else 1


def _first_stamp(tree: Any, ld: dict[str, Any], ld_keys: tuple[str, ...],
                 meta_keys: tuple[str, ...]) -> tuple[str, str | None, str]:
    """The first timestamp that parses, its day, and whether it came from JSON-LD or meta."""
    for key in ld_keys:
        stamp = _as_str(ld.get(key))
        if parse_page_date(stamp):
            return stamp, parse_page_date(stamp), "json-ld"
    stamp = _meta(tree, *meta_keys)
    return stamp, parse_page_date(stamp), "meta"


def _shows_day(tree: Any, day: str) -> bool:
    """Whether the page shows its readers this day, in a <time> or written out."""
    for node in tree.xpath(_TIMES_OUTSIDE_COMMENTS):
        if day in (parse_page_date(node.get("datetime") or ""), parse_page_date(_text(node))):
            return True
    return any(parse_page_date(found.group(0)) == day
               for found in _WRITTEN.finditer(_visible_text(tree)))


# <meta> keys that date a page's last change or its copyright, not its publication.
_NOT_PUBLISHED_META = re.compile(r"modif|updat|copyright", re.IGNORECASE)


def _htmldate(tree: Any, url: str | None) -> str | None:
    """htmldate's search of the page's markup, when the page states no date where
    _page_date looks. htmldate falls back on a modified time, a copyright year (as
    1 January) and, in its extensive search, any date in the text: none of them is
    when the article was published, and a wrong date files it in the wrong month
    where no date leaves it undated. So it searches a copy without those meta tags,
    and not the free text."""
    page = copy.deepcopy(tree)  # trafilatura later needs the tree unchanged
    for node in page.xpath("//meta"):
        if any(_NOT_PUBLISHED_META.search(node.get(attr) or "")
               for attr in ("name", "property", "itemprop", "http-equiv")):
            node.getparent().remove(node)
    found = find_date(page, url=url, original_date=True, extensive_search=False)
    return parse_page_date(found) if found else None


def _page_date(tree: Any, ld: dict[str, Any], url: str | None) -> tuple[str | None, str | None]:
    """The date the page gives its article, and where it was found.

    Structured data gives the instant, often in UTC; the URL and the dates the page
    shows its readers give the day in the publisher's own time zone, so they win when
    they are a day apart from it at most (none, when the timestamp carries the
    publisher's own offset). A later "updated" date counts only when the page shows
    it to its readers as the article's date (guides and reviews kept up to date show
    only that one): the metadata's modified date confirms it is no other, and the
    page does not show the published day beside it. The one date a byline shows, not
    marked as an update, beats a published date the page never shows: metadata may
    keep the day the page was first made, in an older system.
    """
    stamp, published, source = _first_stamp(tree, ld, ("datePublished", "dateCreated"),
                                             _DATE_META)
    url_date = None
    if url:
        found = _URL_DATE.search(urlsplit(url).path)
        url_date = found and _day(int(found[1]), int(found[2]), int(found[3]))
    shown, doubtful = _shown_date(tree)
    if published:
        if url_date and _days_apart(url_date, published) <= _slack(stamp):
            return url_date, "url"
        if shown and _days_apart(shown, published) <= _slack(stamp):
            return shown, "page"
        if shown and doubtful:
            # One of many days shown: it counts only as the modified date it confirms.
            modified_stamp, modified, _ = _first_stamp(tree, ld, ("dateModified",),
                                                       _MODIFIED_META)
            doubtful = not (modified and _days_apart(shown, modified) <= _slack(modified_stamp))
        if shown and not doubtful and not _shows_day(tree, published):
            return shown, "page"
        return published, source
    # A story's address is made when it is first saved; it may go out the day after.
    if shown and url_date and 0 < _days_after(url_date, shown) <= 1:
        return shown, "page"
    if url_date:
        return url_date, "url"
    if shown:
        return shown, "page"
    return None, None


# ---- the body ---------------------------------------------------------------

STANDFIRST_WORDS = 5  # fewer words than this is a label ("Live updates"), not a standfirst


def _standfirst(tree: Any, ld: dict[str, Any]) -> str:
    """The summary under the headline (the standfirst), when the page shows it: news
    pages give it as their description for search engines and set it above the text,
    where extractors miss it (it is outside the story's own paragraphs)."""
    summary = _as_str(ld.get("description")) or _meta(
        tree, "og:description", "description", "twitter:description")
    if len(summary.split()) < STANDFIRST_WORDS:
        return ""
    # Where its opening words stand, and up to two elements up (a link, a <b> inside).
    opening = " ".join(summary.split()[:STANDFIRST_WORDS])
    for text in tree.xpath("//body//text()[contains(normalize-space(), $opening)]",
                           opening=opening):
        holder = text.getparent()
        for _ in range(3):
            if holder is None or len(holder.text_content()) > 2 * len(summary):
                break
            if _text(holder) == summary:
                return summary
            holder = holder.getparent()
    return ""


def _with_standfirst(markdown: str, standfirst: str) -> str:
    """The body led by its standfirst, unless its opening already has it."""
    key = " ".join(re.findall(r"\w+", standfirst.casefold()))
    opening = " ".join(re.findall(r"\w+", markdown.casefold())[:3 * len(key.split())])
    return markdown if not key or key in opening else f"{standfirst}\n\n{markdown}"


_LINE_NOISE = re.compile(
    r"^(?:advertisement|sponsored|related|recommended|read more|share|share this"
    r"(?: article)?|subscribe|sign up|reply|comments?)\W*$", re.IGNORECASE)


# Readers' comments start under a heading that says so; the article ends above it.
_COMMENTS_HEADING = re.compile(r"(?:\d+\s+)?comments?(?: from the forums)?|"
                               r"join the conversation|click here to comment", re.IGNORECASE)
# A story that others may republish closes with its licence; the site's republishing
# guidelines and its cookie settings follow.
_LICENCE_NOTE = re.compile(r"licen[cs]ed under (?:a |the )?creative commons", re.IGNORECASE)


# Short paragraphs that speak for the site, not the story, with the most words they
# have: an affiliate disclosure ("we may earn a commission"), a newsletter sign-up
# ("Sign up", "Enter your email") and the terms that come with it, the site's copyright
# line, its cookie notice. Short only: an article may report on such things.
_SITE_NOTES = (
    (re.compile(r"\baffiliate\b|\bearn (?:an? )?(?:small )?commission", re.IGNORECASE), 40),
    (re.compile(r"\bsign(?:ing)? up\b|\bsubscribe\b|thanks for subscribing|you(?:'|’)re "
                r"(?:now )?subscribed|\benter (?:your )?email|\byour inbox\b|\bnewsletter\b",
                re.IGNORECASE), 25),
    (re.compile(r"^(?=.*\bemail\b).*\b(?:privacy policy|terms of (?:use|service))\b",
                re.IGNORECASE), 40),
    (re.compile(r"^(?=.*(?:©|\bcopyright\b)).*\ball rights reserved\b", re.IGNORECASE), 40),
    (re.compile(r"^(?=.*\bcookies\b).*\b(?:website|browser|browsing|consent)\b",
                re.IGNORECASE), 60),
)


def _site_note(line: str) -> bool:
    count = _word_count(line)
    return any(count <= words and note.search(line) for note, words in _SITE_NOTES)


def _markdown(body: Any) -> str:
    lines = xmltotxt(body, True).split("\n")
    for i, line in enumerate(lines):
        # Above the story, "59 Comments" is a count in its byline.
        if ((_COMMENTS_HEADING.fullmatch(line.strip(" *#>-"))
             or (_LICENCE_NOTE.search(line) and _word_count(line) <= MIN_WORDS))
                and _word_count("\n".join(lines[:i])) >= MIN_WORDS):
            lines = lines[:i]
            break
    lines = [line for line in lines
             if not _LINE_NOISE.match(line.strip(" *#>-")) and not _site_note(line)]
    return joined_lines(lines)


REPEAT_WORDS = 100  # a repeated run this long is a second copy, not a refrain


def _without_repeats(markdown: str) -> str:
    """The body without a second copy of a run of its blocks: pages built for both wide
    and narrow screens may hold the article twice, and trafilatura keeps both. Short
    repeats stay (a schedule's "Rest day", a recipe's repeated step)."""
    lines = markdown.split("\n")
    # Lines without words (a table's rule) stay and join no run: every line of a run then
    # has a word, so a run is dropped within REPEAT_WORDS lines or it is short.
    filled = [i for i, line in enumerate(lines) if re.search(r"\w", line)]
    keys = [" ".join(re.findall(r"\w+", lines[i].casefold())) for i in filled]
    first: dict[str, int] = {}
    for n, key in enumerate(keys):
        first.setdefault(key, n)
    dropped: set[int] = set()
    n = 0
    while n < len(keys):
        start, run = first[keys[n]], 0
        while (n + run < len(keys) and start + run < n
               and keys[start + run] == keys[n + run]):
            run += 1
        if start < n and sum(len(key.split()) for key in keys[n:n + run]) >= REPEAT_WORDS:
            dropped.update(filled[n:n + run])
            n += run
        else:
            n += 1
    kept = [line for i, line in enumerate(lines) if i not in dropped]
    return joined_lines(kept)


BYLINE_LINES = 6  # the lines at the top of a body that may be the byline
BYLINE_WORDS = 8  # "By Ann Lee, political reporter", "Saturday 23 December 2023 05:39"


def _without_byline(markdown: str, authors: list[str]) -> str:
    """The body without the byline lines at its top (the author's name, the date): the
    front matter holds them, and the page shows them already."""
    names = [name.casefold() for name in authors]
    lines = markdown.split("\n")

    def is_byline(line: str) -> bool:
        return 0 < _word_count(line) <= BYLINE_WORDS and bool(
            parse_page_date(line) or any(name in line.casefold() for name in names))

    kept = [line for i, line in enumerate(lines) if i >= BYLINE_LINES or not is_byline(line)]
    return joined_lines(kept)


# "Ann Lee is a reporter covering…", "Ann Lee writes about…": a note about the writer.
_BIO_VERBS = r"(?:is|was|writes|covers|has|joined|started|reports|holds)\b"


def _without_author_bio(markdown: str, authors: list[str]) -> str:
    """The body without the note on its author that closes many articles: it is about
    the writer, not the story. Only in the second half, where such notes stand."""
    names = [re.escape(name) for name in authors if len(name.split()) >= 2]
    if not names:
        return markdown
    bio = re.compile(rf"(?:{'|'.join(names)})\s+{_BIO_VERBS}")
    lines = markdown.split("\n")
    half = len(lines) // 2
    kept = lines[:half] + [line for line in lines[half:] if not bio.match(line.strip(" *>-"))]
    return joined_lines(kept)


def _without_headline(markdown: str, title: str) -> str:
    """The body without the headline at its top: the page shows the title already."""
    key = re.findall(r"\w+", title.casefold())
    blocks = markdown.split("\n\n")
    while blocks and key and re.findall(r"\w+", blocks[0].casefold()) == key:
        blocks.pop(0)
    return "\n\n".join(blocks)


# The share of its own text's word triples that a fall-back extraction must keep to be
# the same article: on the dev pages a fall-back either kept 0.55 or more of them, or
# at most 0.11 (it had taken a cookie notice or an appeal for donations instead).
SAME_TEXT_SHARE = 0.4
CONTAINER_SHARE = 0.85


def _triples(body: Any) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", " ".join(body.itertext()).casefold())
    return {tuple(words[i:i + 3]) for i in range(len(words) - 2)}


def _mark_article_container(tree: Any) -> None:
    """Name the article's container for trafilatura when its own list of container
    names knows none on the page: without one it keeps bare paragraphs and loses the
    subheadings and lists. The container is the element that holds most paragraphs
    of its own, or its nearest ancestor holding most of the page's paragraph text
    (an article split into sections)."""
    if any(next(iter(expr(tree)), None) is not None for expr in BODY_XPATH):
        return
    own: dict[Any, int] = {}
    for para in tree.xpath("//body//p"):
        parent = para.getparent()
        if parent is not None:
            own[parent] = own.get(parent, 0) + len(para.text_content().split())
    if not own:
        return
    total = sum(own.values())
    container = max(own, key=lambda element: own[element])
    if own[container] < MIN_WORDS:
        return
    held: dict[Any, int] = {}  # the paragraph words inside each element
    for element, count in own.items():
        for holder in (element, *element.iterancestors()):
            held[holder] = held.get(holder, 0) + count
    for ancestor in (container, *container.iterancestors()):
        if ancestor.tag == "body":
            return
        if held[ancestor] >= CONTAINER_SHARE * total:
            ancestor.set("itemprop", "articleBody")
            return


def _main_text(tree: Any, url: str | None) -> Any:
    """The article text as trafilatura's XML, or None.

    trafilatura falls back on readability and jusText when their text is much longer
    than its own; on a news page the longer block is sometimes another one (a cookie
    notice, an appeal for donations). Its own extraction wins then, unless it is too
    short to be an article.
    """
    options: dict[str, Any] = {
        "url": url, "with_metadata": False, "include_comments": False,
        "include_tables": True, "include_formatting": True, "include_links": True,
        "include_images": False, "deduplicate": False}
    _mark_article_container(tree)
    own = bare_extraction(copy.deepcopy(tree), fast=True, **options)
    checked = bare_extraction(tree, **options)
    own_body = own.body if own is not None else None
    checked_body = checked.body if checked is not None else None
    if own_body is None or checked_body is None:
        return checked_body if own_body is None else own_body
    own_triples = _triples(own_body)
    kept = len(own_triples & _triples(checked_body)) / max(1, len(own_triples))
    own_words = len(re.findall(r"\w+", " ".join(own_body.itertext())))
    return checked_body if kept >= SAME_TEXT_SHARE or own_words < MIN_WORDS else own_body


def _link_share(body: Any) -> float:
    """The share of the text's words that are the words of links."""
    words = len(re.findall(r"\w+", " ".join(body.itertext())))
    linked = sum(len(re.findall(r"\w+", " ".join(ref.itertext()))) for ref in body.iter("ref"))
    return linked / words if words else 0.0


LINKED_SHARE = 0.9  # a block with this share of its words in links points elsewhere


def _linked(block: Any) -> bool:
    """Whether a block's words are (nearly) all the words of links."""
    words = len(re.findall(r"\w+", " ".join(block.itertext())))
    linked = sum(len(re.findall(r"\w+", " ".join(ref.itertext()))) for ref in block.iter("ref"))
    return words > 0 and linked >= LINKED_SHARE * words


def _without_links_around(body: Any) -> None:
    """Drop the runs of blocks before and after the story that only point to other
    pages: a section link above it ("News"), related stories under it ("Next: …",
    product cards) with their headings. A story neither starts nor ends on a link."""
    blocks = list(body)
    while blocks and (blocks[-1].tag == "head" or _linked(blocks[-1])):
        body.remove(blocks.pop())
    for block in blocks:  # over the headline, which the body loses later
        if block.tag != "head":
            if not _linked(block):
                break
            body.remove(block)


def _word_count(markdown: str) -> int:
    return len(re.findall(r"\w+", markdown))


# ---- the whole page ---------------------------------------------------------


# Browsers read on past a "</body>" or "</html>" that comes too early (pages glued
# from templates have them) and show what follows in the body; lxml would not.
_EARLY_END = re.compile(r"</(?:body|html)\s*>", re.IGNORECASE)


def parse_html(page: str | bytes) -> Any:
    """An lxml tree; bytes are decoded by lxml from the page's own charset declaration."""
    if isinstance(page, bytes):
        page = re.sub(_EARLY_END.pattern.encode(), b"", page, flags=re.IGNORECASE)
    else:
        page = _EARLY_END.sub("", page)
    try:
        tree = lxml.html.document_fromstring(page)
    except (etree.ParserError, ValueError) as err:
        raise PageRefused("not an HTML page") from err
    return tree


def _canonical(tree: Any, url: str | None) -> str | None:
    for href in (*tree.xpath('//link[@rel="canonical"]/@href'), _meta(tree, "og:url")):
        href = href.strip()
        if href:
            absolute = urljoin(url or "", href)
            if urlsplit(absolute).scheme in ("http", "https"):
                return absolute
    return url if url and urlsplit(url).scheme in ("http", "https") else None


def _language(tree: Any) -> str | None:
    lang = (tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
            or _meta(tree, "og:locale", "content-language", "language")).strip()
    lang = lang.replace("_", "-")
    return lang if re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*", lang) else None


def _publisher(tree: Any, ld: dict[str, Any], items: list[dict[str, Any]]) -> str | None:
    publisher = ld.get("publisher")
    name = _as_str(publisher.get("name")) if isinstance(publisher, dict) else _as_str(publisher)
    if not name:
        name = _meta(tree, "og:site_name", "application-name")
    if not name:
        for item in items:
            if _types(item) & {"newsmediaorganization", "organization", "website"}:
                name = _as_str(item.get("name"))
                if name:
                    break
    return name or None


def _site_keys(publisher: str | None, url: str | None, tree: Any) -> set[str]:
    """Ways a page names its own site: publisher, og:site_name, host name."""
    keys = {publisher or "", _meta(tree, "og:site_name", "application-name")}
    if url:
        host = urlsplit(url).hostname or ""
        host = re.sub(r"^(?:www|m|amp)\.", "", host)
        keys |= {host, host.split(".")[0]}
    return {re.sub(r"\W+", "", k.casefold()) for k in keys if k and len(k) > 1}


def _teasers(tree: Any) -> int:
    """How many <article> elements are headed by a link: the teasers of a section front."""
    return sum(1 for item in tree.iter("article") if item.xpath(
        ".//*[self::h1 or self::h2 or self::h3 or self::h4]//a[@href]"))


def _is_index_page(tree: Any, items: list[dict[str, Any]], ld: dict[str, Any]) -> bool:
    # Story pages list related stories as teasers too, but call themselves articles
    # (og:type, JSON-LD): only a page that says it is a website is judged by them.
    if ld or _meta(tree, "og:type").casefold() != "website":
        return False
    types = {t for item in items for t in _types(item)}
    return bool(types & INDEX_PAGE_TYPES - {"website"}) or _teasers(tree) >= MIN_TEASERS


def extract_article(page: str | bytes, url: str | None = None) -> WebArticle:
    """The article in a web page; PageRefused when the page is not one."""
    tree = parse_html(page)
    items = _json_ld(tree)
    ld = _article_ld(items)
    canonical = _canonical(tree, url)
    if _is_index_page(tree, items, ld):
        raise PageRefused("an index page (a list of links), not an article")
    publisher = _publisher(tree, ld, items)
    sites = _site_keys(publisher, canonical or url, tree)
    title = _headline(tree, ld, sites)
    date, date_source = _page_date(tree, ld, canonical or url)
    author_names = _names(ld.get("author")) or [
        _meta(tree, "author", "article:author", "parsely-author", "sailthru.author",
              "dc.creator", "byl")]
    # trafilatura's byline search (rel=author, itemprop, class names), on a copy of the tree.
    byline = (extract_author(tree) or "").split(";")
    author_link = _author_page_link(tree)
    signed = _byline_under_headline(tree)
    language = _language(tree)
    standfirst = _standfirst(tree, ld)

    # trafilatura rewrites the tree it is given: metadata is read before this point.
    if not date:
        date = _htmldate(tree, canonical or url)
        date_source = "text" if date else None
    body_tree = _main_text(tree, canonical or url)
    if body_tree is None:
        raise PageRefused("no article text found")
    if _link_share(body_tree) > MAX_LINK_SHARE:
        raise PageRefused("an index page (mostly links to other pages), not an article")
    _without_links_around(body_tree)
    # Links are kept only to measure that: a page's own relative links lead nowhere here.
    etree.strip_tags(body_tree, "ref")
    found = [_clean_authors(names, publisher) for names in
             ([n for n in author_names if n], byline, author_link, signed)]
    # The name signed under the headline is the credit readers see; metadata naming
    # someone else names the account that posted the page (an editor, a web producer).
    metadata, signed_names = found[0], found[3]
    if signed_names and not ({n.casefold() for n in signed_names}
                             & {n.casefold() for n in metadata}):
        found.insert(0, signed_names)
    # Metadata often names the site itself as the author; a byline naming people wins then.
    authors = next((names for names in found if names and not all(
        _names_site(name, sites) for name in names)), next(filter(None, found), []))
    body = _without_headline(_without_repeats(_markdown(body_tree)), title)
    body = _without_author_bio(_without_byline(body, authors), authors)
    body = _with_standfirst(body, standfirst)
    if (words := _word_count(body)) < MIN_WORDS:
        raise PageRefused(f"too little article text ({plural(words, 'word')})")
    return WebArticle(
        title=_repaired(title),
        body=_repaired(body),
        date=date,
        date_source=date_source if date else None,
        authors=[_repaired(name) for name in authors],
        publisher=_repaired(publisher) if publisher else None,
        source_url=canonical,
        language=language,
    )


def _repaired(text: str) -> str:
    """The text with its mojibake undone: many pages carry UTF-8 that was once read as
    Windows-1252 and saved again ("Investorâ€™s" for "Investor’s", "Â " before a
    no-break space). ftfy only reverses such a decoding where it is sure; it leaves
    quotes and other characters as written."""
    return ftfy.fix_encoding(text)
