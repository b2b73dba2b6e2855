"""Articles to Markdown pages with YAML front matter (pure), and the one writer of docs_dir.

Pages use only standard Markdown, `attr_list` classes and Material's documented
page metadata, so any engine that reads MkDocs-style pages can render them.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from digest import taxonomy
from digest.extract.clean import paragraphs
from digest.feeds import FEEDS_DIR, feed_files
from digest.model import Article, Metadata, Source
from digest.parallel import FAILED, run_shared
from digest.related import related_articles
from digest.sanitize import safe_markdown
from digest.slugs import assign_slugs, slug_for

ENTITY_KINDS = {
    "people": "People",
    "places": "Places",
    "organisations": "Organisations",
    "topics": "Topics",
}
# Search facet name per entity kind (Pagefind filters read data-pagefind-filter).
FACETS = {"people": "person", "places": "place", "organisations": "organisation",
          "topics": "topic"}
PER_PAGE = 20  # articles per page of the home listing
TOP_ON_INDEX = 50  # entities in the "most articles" part of an index page

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


def make_articles(items: list[tuple[Source, Metadata]]) -> list[Article]:
    """Articles with unique slugs and Markdown bodies, newest first."""
    items = sorted(items, key=lambda it: (_date_key(it[1]), str(it[0].path)), reverse=True)
    wanted = []
    for source, meta in items:
        given = source.front_matter.get("slug")
        usable = isinstance(given, str | int) and str(given).strip()
        wanted.append(slug_for(str(given) if usable else meta.title))
    articles = []
    for (source, meta), slug in zip(items, assign_slugs(wanted), strict=True):
        body = (
            text_to_markdown(source.text, meta.title)
            if source.fmt == "text"
            else safe_markdown(source.text.strip())
        )
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


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


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
            chips = " ".join(
                _link(n, f"../{paths[(kind, n)]}", f".digest-chip {facet}") for n in names
            )
            lines += _paragraph(f"{heading}: {chips}", ".digest-chips", f".digest-{kind}")
    if meta.keywords:
        keywords = ", ".join(escape_markdown(k) for k in meta.keywords)
        lines += _paragraph(f"Keywords: {keywords}", ".digest-keywords")
    lines += [article.body, "", "---", ""]
    lines += _paragraph(f"Source: `{article.source.path.as_posix()}`", ".digest-source")
    if related:
        lines += ["## Related articles", ""]
        lines += [_bullet(a, "../") for a in related]
        lines.append("")
    steps = []
    if newer:
        steps.append("Newer: " + _link(newer.meta.title, f"{newer.slug}.md"))
    if older:
        steps.append("Older: " + _link(older.meta.title, f"{older.slug}.md"))
    lines += _steps(steps)
    return _front_matter(article_front_matter(article)) + "\n".join(lines)


def _listing_item(article: Article, prefix: str, topic_paths: dict[str, str]) -> str:
    meta = article.meta
    details = [format_date(meta.date)]
    if meta.topics:
        label = taxonomy.label(meta.topics[0])
        details.append(_link(label, prefix + topic_paths[label]))
    lines = [
        f"### {_link(meta.title, f'{prefix}articles/{article.slug}.md')}",
        "",
        *_paragraph(" · ".join(details), ".digest-item-meta"),
    ]
    if meta.summary:
        lines += [escape_markdown(meta.summary), ""]
    return "\n".join(lines)


def _bullet(article: Article, prefix: str) -> str:
    link = _link(article.meta.title, f"{prefix}articles/{article.slug}.md")
    return f"- {link} · {format_date(article.meta.date)}"


def _subscribe(stem: str) -> str:
    links = " · ".join(_link(kind, f"{stem}.{ext}") for kind, ext in
                       (("Atom", "atom"), ("RSS", "rss"), ("JSON Feed", "json")))
    return "\n".join(_paragraph(f"Subscribe: {links}", ".digest-feeds"))


def home_pages(
    articles: list[Article], paths: dict[tuple[str, str], str], site_name: str
) -> dict[str, str]:
    """The latest articles, PER_PAGE to a page: index.md, page/2.md, page/3.md, …"""
    topic_paths = {name: p for (kind, name), p in paths.items() if kind == "topics"}
    chunks = [articles[i : i + PER_PAGE] for i in range(0, len(articles), PER_PAGE)] or [[]]

    def path_of(number: int) -> str:
        return "index.md" if number == 1 else f"page/{number}.md"

    pages = {}
    for number, chunk in enumerate(chunks, 1):
        path = path_of(number)
        here = posixpath.dirname(path) or "."
        prefix = "../" * path.count("/")

        front: dict[str, object] = {"title": site_name if number == 1 else
                                    f"{site_name} – page {number}",
                                    "hide": ["navigation", "toc"], "search": {"exclude": True}}
        body = [f"# {escape_markdown(site_name)}", "",
                "## Latest articles" if number == 1 else f"## Page {number}", ""]
        body += [_listing_item(a, prefix, topic_paths) for a in chunk]
        if not articles:
            body.append("No articles yet: add some to `content/articles/` and run `digest build`.")
        steps = []
        if number > 1:
            steps.append(_link("← Newer articles", posixpath.relpath(path_of(number - 1), here)))
        if number < len(chunks):
            steps.append(_link("Older articles →", posixpath.relpath(path_of(number + 1), here)))
        body += _steps(steps)
        body.append(f"[Archive: all {len(articles)} articles by date]({prefix}archive/index.md)")
        body += ["", _subscribe(f"{prefix}{FEEDS_DIR}/all")]
        pages[path] = _front_matter(front) + "\n".join(body) + "\n"
    return pages


def archive_page(articles: list[Article]) -> str:
    front = {"title": "Archive", "search": {"exclude": True},
             "description": f"All {len(articles)} articles of the digest, by year and month."}
    body = ["# Archive", ""]
    year = month = None
    for article in sorted(articles, key=lambda a: (_date_key(a.meta), a.slug), reverse=True):
        date = article.meta.date
        if date and date[:4] != year:
            year = date[:4]
            body += [f"## {year}", ""]
        if date and date[:7] != month:
            month = date[:7]
            body += ["", f"### {dt.date.fromisoformat(date):%B %Y}", ""]
        body.append(_bullet(article, "../"))
    return _front_matter(front) + "\n".join(body) + "\n"


def entity_page(entity: Entity) -> str:
    count = len(entity.articles)
    about = ("mentioning" if entity.kind in ("people", "organisations") else
             "about" if entity.kind == "places" else "on")
    description = (_sentence(taxonomy.topics()[entity.code].definition) if entity.code else
                   _sentence(f"{_plural(count, 'news article')} {about} {entity.name}"))
    front = {"title": entity.name, "kind": entity.kind, "description": description}
    body = [f"# {escape_markdown(entity.name)}", ""]
    if entity.code:
        definition = escape_markdown(taxonomy.topics()[entity.code].definition)
        body += _paragraph(_sentence(definition), ".digest-definition")
    body += _paragraph(_plural(count, "article"), ".digest-count")
    body += [_bullet(a, "../") for a in entity.articles]
    if entity.kind == "topics":
        body += ["", _subscribe(f"../{FEEDS_DIR}/{entity.slug}")]
    return _front_matter(front) + "\n".join(body) + "\n"


def entity_index_page(kind: str, entities: list[Entity]) -> str:
    heading = ENTITY_KINDS[kind]
    front = {"title": heading, "search": {"exclude": True},
             "description": f"{heading} in the digest: those with most articles, and A–Z."}
    body = [f"# {heading}", ""]
    if not entities:
        return _front_matter(front) + "\n".join([*body, "None yet."]) + "\n"

    def item(e: Entity) -> str:
        return f"- {_link(e.name, f'{e.slug}.md')} ({len(e.articles)})"

    ranked = sorted(entities, key=lambda e: (-len(e.articles), e.name.casefold()))
    body += ["## Most articles", ""] + [item(e) for e in ranked[:TOP_ON_INDEX]] + [""]
    body += ["## A–Z", ""]
    letter = None
    for entity in entities:  # already sorted by name
        first = entity.name[:1].upper() if entity.name[:1].isalpha() else "#"
        if first != letter:
            letter = first
            body += ["", f"### {escape_markdown(letter)}", ""]
        body.append(item(entity))
    return _front_matter(front) + "\n".join(body) + "\n"


def about_page(site_name: str, article_count: int) -> str:
    notice = taxonomy.notice()
    front = {"title": "About", "search": {"exclude": True}}
    body = [
        "# About",
        "",
        f"{escape_markdown(site_name)} is a news digest of {_plural(article_count, 'article')}. "
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
    ]
    return _front_matter(front) + "\n".join(body)


def _notice(name: str) -> str:
    """A shipped attribution as one paragraph of plain text (its heading dropped)."""
    text = resources.files("digest").joinpath("data", name).read_text("utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    return " ".join(" ".join(lines).replace("**", "").replace("`", "").split())


def render_pages(
    articles: list[Article], site_name: str, site_url: str | None = None
) -> dict[str, str]:
    """Every page of the site (and feed) as {path under docs_dir: text}."""
    index = build_index(articles)
    paths = entity_paths(index)
    related = related_articles(articles)
    pages = home_pages(articles, paths, site_name)
    pages["archive/index.md"] = archive_page(articles)
    pages["about.md"] = about_page(site_name, len(articles))
    for i, article in enumerate(articles):  # newest first
        newer = articles[i - 1] if i > 0 else None
        older = articles[i + 1] if i + 1 < len(articles) else None
        pages[f"articles/{article.slug}.md"] = article_page(
            article, paths, related[article.slug], older, newer
        )
    for kind, entities in index.items():
        pages[f"{kind}/index.md"] = entity_index_page(kind, entities)
        for entity in entities:
            pages[entity.path] = entity_page(entity)
    topics = {e.slug: (e.name, list(e.articles)) for e in index["topics"]}
    pages.update(feed_files(articles, topics, site_name, site_url))
    pages["robots.txt"] = "User-agent: *\nAllow: /\n" + (
        f"Sitemap: {site_url.rstrip('/')}/sitemap.xml\n" if site_url else "")
    return pages


def write_pages(docs_dir: Path, pages: dict[str, str]) -> list[str]:
    """Make docs_dir hold exactly these pages, rewriting only files whose text changed.

    Returns the paths (relative, POSIX) written or removed: what must be rendered again.
    """
    changed = []
    for rel, text in pages.items():
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
    if docs_dir.is_dir():
        wanted = {docs_dir / rel for rel in pages}
        for path in sorted(docs_dir.rglob("*"), reverse=True):
            if path.is_file() and path not in wanted:
                path.unlink()
                changed.append(path.relative_to(docs_dir).as_posix())
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return changed
