"""Articles to Markdown pages with YAML front matter (pure), and the one writer of docs_dir.

Pages use only standard Markdown, `attr_list` classes and Material's documented
page metadata, so any engine that reads MkDocs-style pages can render them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import html
import os
import posixpath
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from digest import taxonomy
from digest.charts import period_name, plural, timeline_html
from digest.dossier import Dossier, dossiers
from digest.extract.clean import paragraphs
from digest.feeds import FEEDS_DIR, Feeds, FeedSite, digest_feeds
from digest.memo import TextMemo, Texts, key_of, text_key
from digest.merge import given_slug
from digest.model import Article, Metadata, Source
from digest.paging import Page, in_order, link_pages, newest_first, page_url
from digest.parallel import FAILED, map_shared, run_shared
from digest.related import related_articles
from digest.sanitize import safe_markdown
from digest.slugs import assign_slugs, slug_for
from digest.staging import remove_empty_folders

ENTITY_KINDS = {
    "people": "People",
    "places": "Places",
    "organisations": "Organisations",
    "topics": "Topics",
}
# Search facet name per entity kind (Pagefind filters read data-pagefind-filter).
FACETS = {"people": "person", "places": "place", "organisations": "organisation",
          "topics": "topic"}
# Articles per page of a list; the first page holds up to twice as many (digest/paging.py).
PER_PAGE = 20  # the home listing, with summaries
# In a run of names with counts, a line never starts with a count or a separator:
# "Bo Chan (3) ·" stays together.
_NBSP = "\u00a0"
_SEPARATOR = f"{_NBSP}· "
ARCHIVE_PER_PAGE = 100  # a month's articles per page
ARCHIVE_DIR = "archive"
ENTITY_PER_PAGE = 50
TOP_ON_INDEX = 50  # entities in the "most articles" part of an index page
AZ_INLINE_MAX = 200  # an index with more entities than this has a page per letter
# Entities per page of a letter: at 300 (780 elements) a page lost Lighthouse a point on a phone.
AZ_PER_PAGE = 200

DATE_NOTES = {
    "filename": "date from the file name",
    "dateline": "date from the dateline",
    "text": "date from the article text",
    "added": "the article states no date: this is when it was added to the digest",
}

# Characters that start Markdown (or attr_list/HTML) syntax anywhere in a line.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]{}()!#+|~^])")
# Line starts that Markdown reads as a list, quote, heading or rule.
_BLOCK_START = re.compile(r"^(\s*)(\d+)([.)])(\s)|^(\s*)([-=>])", re.MULTILINE)
# A short line set off by dashes or in capitals is a subheading in wire copy: "– $700 million –".
_DASHED = re.compile(r"^[–—-]+\s*(.+?)\s*[–—-]+$")


def escape_markdown(text: str) -> str:
    """Plain text to Markdown that renders as exactly that text, with no markup or HTML."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    return _BLOCK_START.sub(
        lambda m: f"{m[1]}{m[2]}\\{m[3]}{m[4]}" if m[2] else f"{m[5]}\\{m[6]}", text
    )


def _subheading(paragraph: str) -> str | None:
    if "\n" in paragraph or len(paragraph) > 80:
        return None
    dashed = _DASHED.match(paragraph)
    if dashed:
        return dashed.group(1)
    letters = [c for c in paragraph if c.isalpha()]
    if len(letters) >= 4 and paragraph.isupper() and not paragraph.endswith("."):
        return paragraph.title()
    return None


def text_to_markdown(text: str, title: str = "") -> str:
    """A plain-text article body as Markdown: escaped paragraphs, subheadings found.

    A first paragraph that only repeats the title (wire headlines) is dropped.
    """
    blocks = []
    for i, para in enumerate(paragraphs(text)):
        if i == 0 and title and para.casefold().rstrip(".") == title.casefold().rstrip("."):
            continue
        heading = _subheading(para)
        if heading:
            blocks.append(f"## {escape_markdown(heading)}")
        else:
            blocks.append(escape_markdown(para).replace("\n", "  \n"))
    return "\n\n".join(blocks)


def format_date(date: str | None) -> str:
    if not date:
        return "undated"
    day = dt.date.fromisoformat(date)
    return f"{day.day} {day:%B %Y}"


def article_body(source: Source, title: str) -> str:
    """The article's text as the Markdown its page shows."""
    if source.fmt == "text":
        return text_to_markdown(source.text, title)
    return safe_markdown(source.text.strip())


def body_key(source: Source, title: str) -> tuple[str, str, str]:
    """What an article's body is made from (article_body): the file, its format, the title."""
    return source.sha256, source.fmt, title


def body_memo_key(key: tuple[str, str, str]) -> str:
    """The memo's key of the body with this body_key."""
    return key_of(("body", *key))


def find_bodies(items: Iterable[tuple[Source, Metadata]],
                bodies: dict[tuple[str, str, str], str], memo: TextMemo) -> None:
    """Add each article's body to `bodies` (by body_key) unless there: as the last
    build made it, from the memo, else made now. Markdown made safe from a thousand
    articles' text was a tenth of a CPU-second of every build."""
    for source, meta in items:
        key = body_key(source, meta.title)
        if key not in bodies:
            found = memo.get(body_memo_key(key))
            bodies[key] = found if isinstance(found, str) else article_body(source, key[2])


def make_articles(items: list[tuple[Source, Metadata]],
                  bodies: Mapping[tuple[str, str, str], str] | None = None) -> list[Article]:
    """Articles with unique slugs and Markdown bodies, newest first. `bodies` holds
    bodies already made (article_body), by body_key."""
    items = sorted(items, key=lambda it: (_date_key(it[1]), str(it[0].path)), reverse=True)
    wanted = []
    for source, meta in items:
        wanted.append(slug_for(given_slug(source.front_matter) or meta.title))
    articles = []
    for (source, meta), slug in zip(items, assign_slugs(wanted), strict=True):
        body = (bodies or {}).get(body_key(source, meta.title))
        if body is None:
            body = article_body(source, meta.title)
        articles.append(Article(source=source, meta=meta, slug=slug, body=body))
    return articles


def _date_key(meta: Metadata) -> str:
    return meta.date or ""


# ---- the entity index -------------------------------------------------------


@dataclass(frozen=True)
class Entity:
    kind: str  # a key of ENTITY_KINDS
    name: str  # display name (a topic's label)
    slug: str
    articles: tuple[Article, ...]  # newest first
    code: str | None = None  # IPTC code, for topics

    @property
    def path(self) -> str:
        return f"{self.kind}/{self.slug}.md"


def entity_names(article: Article, kind: str) -> list[str]:
    if kind == "topics":
        return [taxonomy.label(code) for code in article.meta.topics]
    return list(getattr(article.meta, kind))


def build_index(articles: list[Article]) -> dict[str, list[Entity]]:
    """Every person, place, organisation and topic with its articles, sorted by name."""
    index: dict[str, list[Entity]] = {}
    for kind in ENTITY_KINDS:
        members: dict[str, list[Article]] = defaultdict(list)
        for article in articles:
            for name in entity_names(article, kind):
                members[name].append(article)
        names = sorted(members, key=lambda n: (n.casefold(), n))
        slugs = assign_slugs(slug_for(n) for n in names)
        codes = {taxonomy.label(c): c for c in taxonomy.topics()} if kind == "topics" else {}
        index[kind] = [
            Entity(kind, name, slug, tuple(members[name]), codes.get(name))
            for name, slug in zip(names, slugs, strict=True)
        ]
    return index


def entity_paths(index: dict[str, list[Entity]]) -> dict[tuple[str, str], str]:
    return {(e.kind, e.name): e.path for entities in index.values() for e in entities}


# ---- page text --------------------------------------------------------------


# libyaml's emitter where PyYAML has it: the same output, about ten times faster.
_SafeDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _front_matter(data: dict[str, object]) -> str:
    # A safe dumper quotes whatever needs it (topic labels hold commas, titles colons).
    dumped = yaml.dump(data, Dumper=_SafeDumper, allow_unicode=True, sort_keys=False,
                       width=1000)
    return f"---\n{dumped}---\n\n"


def _link(text: str, target: str, classes: str = "") -> str:
    attrs = f"{{ {classes} }}" if classes else ""
    return f"[{escape_markdown(text)}]({target}){attrs}"


def article_front_matter(article: Article) -> dict[str, object]:
    meta = article.meta
    data: dict[str, object] = {
        "title": meta.title,
        "date": dt.date.fromisoformat(meta.date) if meta.date else None,
        "date_source": meta.date_source,
        "people": meta.people,
        "places": meta.places,
        "organisations": meta.organisations,
        "topics": [taxonomy.label(c) for c in meta.topics],
        "iptc": meta.topics,
        "keywords": meta.keywords,
        "summary": meta.summary,
        "source": article.source.path.as_posix(),
        "slug": article.slug,
    }
    for key in ("authors", "publisher", "source_url", "language"):
        if getattr(meta, key):
            data[key] = getattr(meta, key)
    return data


def _paragraph(text: str, *attrs: str) -> list[str]:
    """A Markdown paragraph with attr_list classes and attributes (empty ones skipped)."""
    return [text, "{ " + " ".join(a for a in attrs if a) + " }", ""]


def _steps(links: list[str]) -> list[str]:
    """The newer/older links under an article or a page of the listing."""
    return _paragraph(" · ".join(links), ".digest-steps") if links else []


def _sentence(text: str) -> str:
    """Text ending in a full stop; IPTC writes most definitions without one, some with."""
    return text if text.rstrip().endswith(".") else f"{text}."


def article_page(
    article: Article,
    paths: dict[tuple[str, str], str],
    related: Sequence[Article] = (),
    older: Article | None = None,
    newer: Article | None = None,
) -> str:
    meta = article.meta
    lines = [f"# {escape_markdown(meta.title)}", ""]
    dateline = format_date(meta.date)
    if meta.date_source in DATE_NOTES:
        dateline += f" · {DATE_NOTES[meta.date_source]}"
    year = f'data-pagefind-filter="year:{meta.date[:4]}"' if meta.date else ""
    lines += _paragraph(dateline, ".digest-dateline", year)
    for kind, heading in ENTITY_KINDS.items():
        names = entity_names(article, kind)
        if names:
            facet = f'data-pagefind-filter="{FACETS[kind]}"'
            # The primary topic is also shown with the article's search results.
            chips = " ".join(
                _link(n, f"../{paths[(kind, n)]}", f".digest-chip {facet}"
                      + (' data-pagefind-meta="topic"' if kind == "topics" and i == 0 else ""))
                for i, n in enumerate(names)
            )
            lines += _paragraph(f"{heading}: {chips}", ".digest-chips", f".digest-{kind}")
    if meta.keywords:
        keywords = ", ".join(escape_markdown(k) for k in meta.keywords)
        lines += _paragraph(f"Keywords: {keywords}", ".digest-keywords")
    lines += [article.body, "", "---", ""]
    lines += _original(meta)
    if related:
        lines += ["## Related articles", ""]
        lines += _article_list(related, f"articles/{article.slug}.md")
        lines.append("")
    steps = []
    if newer:
        steps.append("Newer: " + _link(newer.meta.title, f"{newer.slug}.md"))
    if older:
        steps.append("Older: " + _link(older.meta.title, f"{older.slug}.md"))
    lines += _steps(steps)
    return _front_matter(article_front_matter(article)) + "\n".join(lines)


# Characters that would end or break a Markdown link destination, percent-encoded.
_URL_UNSAFE = {c: f"%{ord(c):02X}" for c in ' "<>()[]{}\\`'}


def _original(meta: Metadata) -> list[str]:
    """Who published the article and when, and a link to the original that says it
    leaves the site; nothing for an article that names no publisher, author or original."""
    url = meta.source_url  # merge keeps only absolute http(s) URLs
    if not (url or meta.publisher or meta.authors):
        return []
    said = "Published"
    if meta.publisher:
        said += f" by {escape_markdown(meta.publisher)}"
    if meta.date and meta.date_source == "front-matter":
        said += f" on {format_date(meta.date)}"
    if meta.authors:
        said += " · written by " + ", ".join(escape_markdown(a) for a in meta.authors)
    if url:
        url = "".join(_URL_UNSAFE.get(c, c) for c in url)
        host = urlsplit(url).hostname or url
        said += (f" · [Read the original on {escape_markdown(host)} ↗]({url})"
                 '{ rel="external noopener" .digest-external }')
    return _paragraph(said, ".digest-source")


def _listing_item(article: Article, here: str, topic_paths: dict[str, str]) -> str:
    """An article's headline, date, topic and summary on the list page `here`.

    The headline is an HTML heading, not a Markdown one, so that it stays out of the
    page's table of contents: Material would list every headline of the page again
    in the navigation drawer (70 links on the home page), and its scripts watch
    each of them, for the phone's first seconds on the page (Lighthouse's total
    blocking time)."""
    meta = article.meta
    prefix = _prefix(here)
    details = [format_date(meta.date)]
    if meta.topics:
        label = taxonomy.label(meta.topics[0])
        details.append(_link(label, prefix + topic_paths[label]))
    href = _relpath(page_url(f"articles/{article.slug}.md"), page_url(here) or ".")
    lines = [
        f'<h3><a href="{html.escape(href)}/">{html.escape(meta.title, quote=False)}</a></h3>',
        "",
        *_paragraph(" · ".join(details), ".digest-item-meta"),
    ]
    if meta.summary:
        lines += [escape_markdown(meta.summary), ""]
    return "\n".join(lines)


def _article_list(articles: Sequence[Article], here: str) -> list[str]:
    """Links to articles with their dates, on the page `here`, in the HTML that Markdown
    makes of a list of _bullet lines. Thousands of dossier pages list up to a hundred
    articles each: as HTML, they skip Markdown's inline parsing and MkDocs' resolving
    of every link, which took a fifth of rendering them."""
    base = page_url(here) or "."
    items = [
        f'<li><a href="{html.escape(_relpath(page_url(f"articles/{a.slug}.md"), base))}/">'
        f"{html.escape(a.meta.title, quote=False)}</a> · {format_date(a.meta.date)}</li>"
        for a in articles
    ]
    return ["<ul>", *items, "</ul>"]


def _bullet(article: Article, prefix: str) -> str:
    link = _link(article.meta.title, f"{prefix}articles/{article.slug}.md")
    return f"- {link} · {format_date(article.meta.date)}"


def _subscribe(stem: str) -> str:
    links = " · ".join(_link(kind, f"{stem}.{ext}") for kind, ext in
                       (("Atom", "atom"), ("RSS", "rss"), ("JSON Feed", "json")))
    return "\n".join(_paragraph(f"Subscribe: {links}", ".digest-feeds"))


# ---- pages of a list ----------------------------------------------------------


def _prefix(path: str) -> str:
    """From a page under docs_dir back to the docs_dir root."""
    return "../" * path.count("/")


def _relative(target: str, here: str) -> str:
    return _relpath(target, posixpath.dirname(here) or ".")


def _relpath(target: str, start: str) -> str:
    """posixpath.relpath for two paths under docs_dir (neither absolute nor leaving
    it), without asking the OS for the working directory on each of thousands of calls."""
    to = [part for part in posixpath.normpath(target).split("/") if part != "."]
    at = [part for part in posixpath.normpath(start).split("/") if part != "."]
    common = 0
    while common < min(len(to), len(at)) and to[common] == at[common]:
        common += 1
    return "/".join([".."] * (len(at) - common) + to[common:]) or "."


def _turn_front(page: Page[object]) -> dict[str, object]:
    """Front matter naming the pages before and after: the theme links them rel=prev/next."""
    front: dict[str, object] = {}
    if page.prev:
        front["prev"] = page_url(page.prev)
    if page.next:
        front["next"] = page_url(page.next)
    return front


def _turn_links(page: Page[object], before: str, after: str) -> list[str]:
    """The visible links to the page before and after (rel set, for the keyboard too)."""
    links = []
    if page.prev:
        links.append(_link(before, _relative(page.prev, page.path), 'rel="prev"'))
    if page.next:
        links.append(_link(after, _relative(page.next, page.path), 'rel="next"'))
    return _paragraph(" · ".join(links), ".digest-steps") if links else []


def _span(articles: Sequence[Article]) -> str:
    """The dates a newest-first run of articles covers: "3 March 1987 to 5 March 1987"."""
    newest, oldest = format_date(articles[0].meta.date), format_date(articles[-1].meta.date)
    return newest if newest == oldest else f"{oldest} to {newest}"


def _month_path(month: str) -> str:
    """A month's archive page: "1987-03" → archive/1987/03.md; "" (undated) → archive/undated.md."""
    return f"{ARCHIVE_DIR}/{month[:4]}/{month[5:7]}.md" if month else f"{ARCHIVE_DIR}/undated.md"


def _by_month(articles: Sequence[Article]) -> dict[str, list[Article]]:
    """Newest-first articles by month ("1987-03", "" for undated), newest month first."""
    months: dict[str, list[Article]] = {}
    for article in articles:
        months.setdefault((article.meta.date or "")[:7], []).append(article)
    return months


def reading_order(articles: list[Article]) -> list[Page[Article]]:
    """The home page (the newest PER_PAGE articles), then the archive's pages of each
    month, newest first, each month's split newest-first (digest/paging.py), all linked
    so that "older" leads from the home page to the digest's first article.

    A list paged by calendar month changes, when an article is added, only in the
    article's own month: the pages of the other months stay byte for byte, however
    old the article's date."""
    paths, chunks, numbers = ["index.md"], [tuple(articles[:PER_PAGE])], [0]
    for month, items in _by_month(articles).items():
        stem = _month_path(month).removesuffix(".md")
        for page in newest_first(items, f"{stem}.md", lambda k, stem=stem: f"{stem}/page/{k}.md",
                                 ARCHIVE_PER_PAGE):
            paths.append(page.path)
            chunks.append(page.items)
            numbers.append(page.number)
    return link_pages(paths, chunks, numbers)


def home_page(home: Page[Article], count: int, paths: dict[tuple[str, str], str],
              site_name: str) -> str:
    """The latest articles with their summaries, and the way on to the archive."""
    topic_paths = {name: p for (kind, name), p in paths.items() if kind == "topics"}
    front: dict[str, object] = {"title": site_name, "hide": ["navigation", "toc"],
                                "search": {"exclude": True}, **_turn_front(home)}
    body = [f"# {escape_markdown(site_name)}", "", "## Latest articles", ""]
    body += [_listing_item(a, home.path, topic_paths) for a in home.items]
    if not count:
        body.append("No articles yet: add some to `content/articles/` and run `digest build`.")
    body += _turn_links(home, "", "Older articles →")
    body.append(f"[Archive: {plural(count, 'article')} by date]({ARCHIVE_DIR}/index.md)")
    body += ["", _subscribe(f"{FEEDS_DIR}/all")]
    return _front_matter(front) + "\n".join(body) + "\n"


def archive_pages(articles: list[Article], order: list[Page[Article]]) -> dict[str, str]:
    """The archive: its index of months (archive/index.md), and each month's pages
    from `order` (reading_order)."""
    months = _by_month(articles)
    pages = {f"{ARCHIVE_DIR}/index.md": _archive_index(months, len(articles))}
    for page in order[1:]:
        month = (page.items[0].meta.date or "")[:7]
        when = period_name(month) if month else "Undated"
        span = _span(page.items)
        title = when if page.number == 0 or not month else span
        front: dict[str, object] = {
            "title": f"Archive: {title}", "search": {"exclude": True},
            "description": f"Articles of the digest from {span}." if month else
                           "Articles of the digest without a date.",
            **_turn_front(page)}
        body = [f"# Archive: {escape_markdown(title)}", ""]
        body += [_bullet(article, _prefix(page.path)) for article in page.items]
        body += ["", *_turn_links(page, "← Newer articles", "Older articles →")]
        body.append(_link("All months", _relative(f"{ARCHIVE_DIR}/index.md", page.path)))
        pages[page.path] = _front_matter(front) + "\n".join(body) + "\n"
    return pages


def _archive_index(months: dict[str, list[Article]], count: int) -> str:
    """Each month of the digest with its number of articles, by year, newest first."""
    front = {"title": "Archive", "search": {"exclude": True},
             "description": f"All {plural(count, 'article')} of the digest, by year and month."}
    body = ["# Archive", "", f"All {plural(count, 'article')} of the digest, by month.", ""]
    if not months:
        body.append("No articles yet.")
    here = f"{ARCHIVE_DIR}/index.md"
    years: dict[str, list[str]] = {}
    for month, items in months.items():
        text = (f"{period_name(month).split()[0]}{_NBSP}({len(items)})" if month
                else plural(len(items), "article"))
        link = _link(text, _relative(_month_path(month), here))
        years.setdefault(month[:4] or "Undated", []).append(link)
    for year, links in years.items():
        body += [f"## {year}", "", *_paragraph(_SEPARATOR.join(links), ".digest-months")]
    return _front_matter(front) + "\n".join(body) + "\n"


# ---- person, place, organisation and topic pages -----------------------------


def entity_feed_path(entity: Entity) -> str:
    """Where an entity's Atom feed is: topics keep feeds/<slug>.atom beside RSS and JSON."""
    if entity.kind == "topics":
        return f"{FEEDS_DIR}/{entity.slug}.atom"
    return f"{FEEDS_DIR}/{entity.kind}/{entity.slug}.atom"


def entity_pages(
    entity: Entity, dossier: Dossier, paths: dict[tuple[str, str], str]
) -> dict[str, str]:
    """A dossier (the first page, with the newest articles) and the older pages of its list."""
    stem = entity.path.removesuffix(".md")
    pages = newest_first(entity.articles, entity.path, lambda k: f"{stem}/page/{k}.md",
                         ENTITY_PER_PAGE)
    count = len(entity.articles)
    about = ("mentioning" if entity.kind in ("people", "organisations") else
             "about" if entity.kind == "places" else "on")
    description = (_sentence(taxonomy.topics()[entity.code].definition) if entity.code else
                   _sentence(f"{plural(count, 'news article')} {about} {entity.name}"))
    feed = entity_feed_path(entity)
    result = {}
    for page in pages:
        prefix = _prefix(page.path)
        first = page.number == 0
        front: dict[str, object] = {"title": entity.name, "kind": entity.kind,
                                    "description": description, "feed": feed,
                                    **_turn_front(page)}
        body = [f"# {escape_markdown(entity.name)}", ""]
        if first:
            body += _dossier(entity, dossier, paths, prefix)
            body += ["## Latest articles" if len(pages) > 1 else "## Articles", ""]
        else:
            front["title"] = f"{entity.name}: articles of {_span(page.items)}"
            front["description"] = f"Articles {about} {entity.name} from {_span(page.items)}."
            body += _paragraph(
                f"Articles of {escape_markdown(_span(page.items))} · "
                + _link(f"{entity.name}: the newest articles", _relative(entity.path, page.path)),
                ".digest-count")
        body += _article_list(page.items, page.path)
        body += ["", *_turn_links(page, "← Newer articles", "Older articles →")]
        result[page.path] = _front_matter(front) + "\n".join(body) + "\n"
    return result


def _dossier(
    entity: Entity, dossier: Dossier, paths: dict[tuple[str, str], str], prefix: str
) -> list[str]:
    body = []
    if entity.code:
        definition = escape_markdown(taxonomy.topics()[entity.code].definition)
        body += _paragraph(_sentence(definition), ".digest-definition")
    count = plural(dossier.count, "article")
    if dossier.first and dossier.last and dossier.first != dossier.last:
        count += f", from {format_date(dossier.first)} to {format_date(dossier.last)}"
    elif dossier.first:
        count += f", of {format_date(dossier.first)}"
    body += _paragraph(count, ".digest-count")
    chart = timeline_html(dossier.timeline, entity.name)
    if chart:
        body += [chart, ""]
    lists = []
    for kind in ("people", "places", "organisations"):
        names = dossier.often.get(kind, ())
        if names:
            links = _SEPARATOR.join(
                f"{_link(name, prefix + paths[(kind, name)])}{_NBSP}({shared})"
                for name, shared in names)
            lists += _paragraph(f"{ENTITY_KINDS[kind]}: {links}", ".digest-often")
    if lists:
        body += ["## Often with", "",
                 *_paragraph("Named together more often than chance would have it, "
                             "most telling first; in brackets, the articles they share.",
                             ".digest-note"),
                 *lists]
    # One article's topics are on that article, listed just below: said again, they
    # would only cost a link per topic on thousands of pages.
    if dossier.topics and dossier.count > 1:
        links = _SEPARATOR.join(f"{_link(label, prefix + paths[('topics', label)])}{_NBSP}({n})"
                                for label, n in dossier.topics)
        heading = "Also filed under" if entity.kind == "topics" else "Topics"
        body += [f"## {heading}", "", *_paragraph(links, ".digest-often")]
    if entity.kind == "topics":
        body += [_subscribe(f"{prefix}{FEEDS_DIR}/{entity.slug}"), ""]
    else:
        body += _paragraph(f"Follow {escape_markdown(entity.name)}: "
                           + _link("Atom feed", prefix + entity_feed_path(entity)),
                           ".digest-feeds")
    return body


def _letter(name: str) -> str:
    """The A–Z heading a name is filed under: a letter, or # for anything else."""
    initial = slug_for(name[:1])[:1] if name[:1].isalnum() else ""
    return initial.upper() if initial.isalpha() else "#"


def entity_index_pages(kind: str, entities: list[Entity]) -> dict[str, str]:
    """The index of a kind: those with most articles and A–Z, split by letter when large."""
    heading = ENTITY_KINDS[kind]
    front = {"title": heading, "search": {"exclude": True},
             "description": f"{heading} in the digest: those with most articles, and A–Z."}
    body = [f"# {heading}", ""]
    if not entities:
        return {f"{kind}/index.md": _front_matter(front) + "\n".join([*body, "None yet."]) + "\n"}

    def item(e: Entity, prefix: str = "") -> str:
        return f"- {_link(e.name, f'{prefix}{e.slug}.md')} ({len(e.articles)})"

    ranked = sorted(entities, key=lambda e: (-len(e.articles), e.name.casefold()))
    body += ["## Most articles", ""] + [item(e) for e in ranked[:TOP_ON_INDEX]] + [""]
    body += ["## A–Z", ""]
    by_letter: dict[str, list[Entity]] = defaultdict(list)
    for entity in entities:  # already sorted by name
        by_letter[_letter(entity.name)].append(entity)
    if len(entities) <= AZ_INLINE_MAX:
        for letter, members in by_letter.items():
            body += ["", f"### {escape_markdown(letter)}", ""]
            body += [item(e) for e in members]
        return {f"{kind}/index.md": _front_matter(front) + "\n".join(body) + "\n"}

    def letter_path(letter: str) -> str:
        return f"{kind}/letter/{'other' if letter == '#' else letter.lower()}.md"

    paths, chunks, letters = [], [], []
    for letter, members in by_letter.items():
        stem = letter_path(letter).removesuffix(".md")
        for page in in_order(members, letter_path(letter),
                             lambda k, stem=stem: f"{stem}/page/{k}.md", AZ_PER_PAGE):
            paths.append(page.path)
            chunks.append(page.items)
            letters.append(letter)
    # The pages are turned as one chain, from A's first page to Z's last.
    pages = link_pages(paths, chunks, range(len(paths)))

    def letters_nav(here: str) -> str:
        return " · ".join(_link(letter, _relative(letter_path(letter), here))
                          for letter in by_letter)

    body += _paragraph(letters_nav(f"{kind}/index.md"), ".digest-letters")
    # By folder: the pages of one folder link to the letters alike.
    navs: dict[str, str] = {}
    result = {f"{kind}/index.md": _front_matter(front) + "\n".join(body) + "\n"}
    for page, letter in zip(pages, letters, strict=True):
        prefix = "../" * (page.path.count("/") - 1)
        first, last = page.items[0].name, page.items[-1].name
        title = f"{heading}: {letter}" + ("" if page.path == letter_path(letter) else
                                          f", {first} to {last}")
        letter_front = {"title": title, "search": {"exclude": True},
                        "description": f"{heading} in the digest, from {first} to {last}.",
                        **_turn_front(page)}
        folder = posixpath.dirname(page.path)
        if folder not in navs:
            navs[folder] = letters_nav(page.path)
        lines = [f"# {escape_markdown(title)}", "", *_paragraph(navs[folder], ".digest-letters")]
        lines += [item(e, prefix) for e in page.items]
        lines += ["", *_turn_links(page, "← Previous", "Next →")]
        result[page.path] = _front_matter(letter_front) + "\n".join(lines) + "\n"
    return result


def about_page(site_name: str, article_count: int) -> str:
    notice = taxonomy.notice()
    front = {"title": "About", "search": {"exclude": True}}
    body = [
        "# About",
        "",
        f"{escape_markdown(site_name)} is a news digest of {plural(article_count, 'article')}. "
        "People, places, organisations, "
        "topics, keywords and summaries are extracted automatically from each article's "
        "text by Digest; the curator can correct any of them.",
        "",
        "## Data used",
        "",
        escape_markdown(notice),
        "",
        escape_markdown(_notice("GEONAMES-NOTICE.md")),
        "",
        escape_markdown(_notice("TOPIC-CLASSIFIER-NOTICE.md")),
        "",
    ]
    return _front_matter(front) + "\n".join(body)


def _notice(name: str) -> str:
    """A shipped attribution as one paragraph of plain text (its heading dropped)."""
    text = resources.files("digest").joinpath("data", name).read_text("utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    return " ".join(" ".join(lines).replace("**", "").replace("`", "").split())


# The files one job of render_pages makes, and the memo entries it used:
# ({path: text}, {key: the page's text_key, or the files}).
Made = tuple[dict[str, str], dict[str, Texts]]


def render_pages(
    articles: list[Article], site_name: str, site_url: str | None = None,
    site_author: str | None = None, memo: TextMemo | None = None,
    written: Mapping[str, str] | None = None, made: dict[str, Made] | None = None,
) -> dict[str, str]:
    """Every page of the site (and feed) as {path under docs_dir: text}.

    site_url is absolute with a trailing slash, or None when unknown. `memo`
    holds the dossier pages and the feeds of the last build; it is given this build's.
    `written` is what docs_dir holds, when known: an article page whose inputs
    the memo knows, and whose text there is the one the memo says it made from
    them, is taken from there instead of being made again.
    `made` (kept by a long-running process) holds what each article, dossier and
    feed job of the last build made, by the key of its inputs: when it holds any,
    only the jobs whose inputs changed are run. It is given this build's.
    """
    index = build_index(articles)
    paths = entity_paths(index)
    related = related_articles(articles)
    order = reading_order(articles)
    pages = {"index.md": home_page(order[0], len(articles), paths, site_name)}
    pages.update(archive_pages(articles, order))
    pages["about.md"] = about_page(site_name, len(articles))
    for kind, entities in index.items():
        pages.update(entity_index_pages(kind, entities))
    found = entity_dossiers(articles, index)
    feeds = Feeds(FeedSite(site_name, site_url, site_author or site_name), articles)

    # A job: the key of all it reads, what the memo and docs_dir already hold of its
    # files (None when not all), and a function making them.
    def article_job(i: int) -> tuple[str, Callable[[], Made | None], Callable[[], Made]]:
        article = articles[i]  # newest first
        newer = articles[i - 1] if i > 0 else None
        older = articles[i + 1] if i + 1 < len(articles) else None
        path = f"articles/{article.slug}.md"
        key = key_of(_article_inputs(article, paths, related[article.slug], older, newer, feeds))

        def known() -> Made | None:
            page = written.get(path) if written is not None else None
            if page is None or memo is None or memo.get(key) != (page_key := text_key(page)):
                return None
            return {path: page}, {key: page_key}

        def make() -> Made:
            page = article_page(article, paths, related[article.slug], older, newer)
            return {path: page}, {key: text_key(page)}

        return key, known, make

    def entity_job(entity: Entity) -> tuple[str, Callable[[], Made | None], Callable[[], Made]]:
        dossier = found[(entity.kind, entity.name)]
        key = key_of(_entity_inputs(entity, dossier, paths, feeds))

        def make() -> Made:
            files = entity_pages(entity, dossier, paths)
            if entity.kind != "topics":  # a topic's feeds are made with the digest's
                feed_path = entity_feed_path(entity)
                files[feed_path] = feeds.atom(feed_path.removesuffix(".atom"),
                                              f"{site_name}: {entity.name}", entity.articles)
            return files, {key: files}

        return key, functools.partial(found_files, key), make

    def feed_job(key: str, feed: Callable[[], dict[str, str]]
                 ) -> tuple[str, Callable[[], Made | None], Callable[[], Made]]:
        def make() -> Made:
            files = feed()
            return files, {key: files}

        return key, functools.partial(found_files, key), make

    def found_files(key: str) -> Made | None:
        """A dossier's or a feed's files as the memo holds them under `key`."""
        files = memo.get(key) if memo else None
        return (files, {key: files}) if isinstance(files, dict) else None

    topics = {e.slug: (e.name, list(e.articles)) for e in index["topics"]}
    jobs = [functools.partial(article_job, i) for i in range(len(articles))]
    jobs += [functools.partial(entity_job, e) for kind in index.values() for e in kind]
    jobs += [functools.partial(feed_job, *feed)
             for feed in digest_feeds(feeds, articles, topics)]
    if written is None and not made:
        # Nothing of the site known (a first build, or build/ deleted): thousands of
        # pages and feeds to make or find, keys and all, on every CPU core.
        results = map_shared(lambda share: [(key, known() or make()) for key, known, make
                                            in (job() for job in share)], jobs)
    else:
        # What the last build made (a long-running process) or the memo holds is taken
        # here; only the other jobs run, on every core when they are many. Forking and
        # sending back what was found took a +1 build longer than finding it.
        keyed = [job() for job in jobs]
        found_now = [(key, made[key] if made and key in made else known())
                     for key, known, _ in keyed]
        fresh = iter(map_shared(lambda share: [make() for make in share],
                                [make for (_, _, make), (_, got)
                                 in zip(keyed, found_now, strict=True) if got is None]))
        results = [(key, got if got is not None else next(fresh)) for key, got in found_now]
    if made is not None:
        made.clear()
    for key, (files, kept) in results:
        pages.update(files)
        if memo:
            memo.keep(kept)
        if made is not None:
            made[key] = (files, kept)
    pages["robots.txt"] = "User-agent: *\nAllow: /\n" + (
        f"Sitemap: {site_url.rstrip('/')}/sitemap.xml\n" if site_url else "")
    return pages


def _article_inputs(
    article: Article, paths: dict[tuple[str, str], str], related: Sequence[Article],
    older: Article | None, newer: Article | None, feeds: Feeds,
) -> tuple[object, ...]:
    """Everything article_page reads, to know its page again (see render_pages): the
    article's own source path, slug, metadata (in its Feeds.entry_key) and body (by
    a digest, a third of the time of its repr()); of the others, their entry_key."""
    return ("article", article.source.path.as_posix(), feeds.entry_key(article),
            text_key(article.body),
            [paths[(kind, name)] for kind in ENTITY_KINDS for name in entity_names(article, kind)],
            [feeds.entry_key(a) for a in related],
            [feeds.entry_key(a) if a else None for a in (older, newer)])


def _entity_inputs(
    entity: Entity, dossier: Dossier, paths: dict[tuple[str, str], str], feeds: Feeds
) -> tuple[object, ...]:
    """Everything entity_pages and the entity's feed read, to find them again in the
    memo: of the articles, their Feeds.entry_key; of the other pages, those the
    dossier links to."""
    linked = [paths[(kind, name)] for kind, names in dossier.often.items() for name, _ in names]
    linked += [paths[("topics", label)] for label, _ in dossier.topics]
    return (entity.kind, entity.name, entity.slug, entity.code, dossier, linked, feeds.site_key,
            [feeds.entry_key(a) for a in entity.articles])


def entity_dossiers(
    articles: list[Article], index: dict[str, list[Entity]]
) -> dict[tuple[str, str], Dossier]:
    """The dossier of every person, place, organisation and topic, in one pass."""
    carried = {
        article.slug: tuple((kind, name) for kind in ENTITY_KINDS
                            for name in entity_names(article, kind))
        for article in articles
    }
    members = {
        (kind, e.name): [(a.meta.date, carried[a.slug]) for a in e.articles]
        for kind, entities in index.items() for e in entities
    }
    return dossiers(members, len(articles))


def read_pages(docs_dir: Path) -> dict[str, str]:
    """What docs_dir holds: {path (relative, POSIX): text}. Bytes that are not UTF-8
    are read as lone surrogates, which no page's text holds: such a file is written
    again, or removed."""
    found: dict[str, str] = {}
    folders = [(str(docs_dir), "")]
    while folders:
        folder, prefix = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:  # no docs_dir yet
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                folders.append((entry.path, f"{prefix}{entry.name}/"))
                continue
            # open(), not a Path per file: for thousands of pages, making the Paths took
            # as long as reading the files (a +1 build reads build/docs whole).
            with contextlib.suppress(OSError), open(entry.path, "rb") as file:
                found[f"{prefix}{entry.name}"] = file.read().decode("utf-8", "surrogateescape")
    return found


def write_pages(docs_dir: Path, pages: dict[str, str],
                written: Mapping[str, str] | None = None) -> list[str]:
    """Make docs_dir hold exactly these pages, rewriting only files whose text changed.

    `written` is what this process last wrote there, when it knows: then the
    files are not read back to compare. Returns the paths (relative, POSIX)
    written or removed: what must be rendered again.
    """
    changed = []
    for rel, text in pages.items():
        if written is not None:
            if written.get(rel) == text:
                continue
        else:
            try:
                if (docs_dir / rel).read_bytes() == text.encode("utf-8"):
                    continue
            except OSError:  # missing (or not a file): write it
                pass
        changed.append(rel)
    for folder in sorted({(docs_dir / rel).parent for rel in changed}):
        folder.mkdir(parents=True, exist_ok=True)

    def write(share: Sequence[str]) -> int:
        for rel in share:
            (docs_dir / rel).write_bytes(pages[rel].encode("utf-8"))
        return 0

    if FAILED in run_shared(write, changed):
        raise OSError(f"could not write the pages into {docs_dir} (see the error above)")
    if written is not None:
        for rel in sorted(set(written) - set(pages), reverse=True):
            (docs_dir / rel).unlink(missing_ok=True)
            changed.append(rel)
        remove_empty_folders({(docs_dir / rel).parent for rel in written if rel not in pages},
                             docs_dir)
    elif docs_dir.is_dir():
        wanted = {docs_dir / rel for rel in pages}
        for path in sorted(docs_dir.rglob("*"), reverse=True):
            if path.is_file() and path not in wanted:
                path.unlink()
                changed.append(path.relative_to(docs_dir).as_posix())
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return changed
