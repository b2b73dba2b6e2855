"""Taking articles in from the web: fetching, reading a page's metadata, storing it,
refusing what is not an article. Pages are written here; URLs are served on loopback."""

from __future__ import annotations

import contextlib
import gzip
import http.server
import json
import plistlib
import quopri
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from digest.fetch import USER_AGENT, FetchError, fetch
from digest.ingest import add_web
from digest.webpage import PageRefused, extract_article
from tests.test_cli import digest

WORDS = ("The council voted on Tuesday to rebuild the old harbour wall after the winter "
         "storms, and residents said the decision came years too late for the fishing fleet. ")
BODY = "".join(f"<p>{WORDS}Paragraph {i} adds its own detail about the harbour.</p>\n"
               for i in range(4))


def news_page(*, head: str = "", body: str = BODY, title: str = "Harbour wall to be rebuilt",
              lang: str = "en-GB", before: str = "", after: str = "") -> str:
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title} | Coast Times</title>
{head}</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
{before}
<article><h1>{title}</h1>
{body}</article>
{after}
<footer>© Coast Times. All rights reserved.</footer></body></html>"""


LD = """<script type="application/ld+json">{"@context": "https://schema.org",
 "@type": "NewsArticle", "headline": "Harbour wall to be rebuilt",
 "datePublished": "2023-12-22T09:30:00+00:00", "dateModified": "2024-01-05T10:00:00Z",
 "author": [{"@type": "Person", "name": "Ann Lee"}, {"@type": "Person", "name": "Bo Chan"}],
 "publisher": {"@type": "NewsMediaOrganization", "name": "Coast Times"}}</script>
<link rel="canonical" href="https://coast.example/news/harbour-wall">"""


# ---- reading a page ---------------------------------------------------------


def test_page_metadata_from_json_ld_canonical_link_and_html_lang() -> None:
    article = extract_article(news_page(head=LD), "https://coast.example/amp/harbour?utm=x")
    assert article.title == "Harbour wall to be rebuilt"  # no " | Coast Times"
    assert (article.date, article.date_source) == ("2023-12-22", "json-ld")  # not modified
    assert article.authors == ["Ann Lee", "Bo Chan"]
    assert article.publisher == "Coast Times"
    assert article.source_url == "https://coast.example/news/harbour-wall"
    assert article.language == "en-GB"
    assert "Paragraph 3 adds its own detail" in article.body
    assert "Home" not in article.body and "All rights reserved" not in article.body


def test_page_metadata_from_meta_tags_and_the_url_when_there_is_no_json_ld() -> None:
    head = ('<meta property="og:site_name" content="Coast Times">'
            '<meta name="author" content="By Ann Lee">')
    page = news_page(head=head, title="Harbour wall to be rebuilt")
    article = extract_article(page, "https://coast.example/2023/12/21/harbour-wall")
    assert article.title == "Harbour wall to be rebuilt"
    assert (article.date, article.date_source) == ("2023-12-21", "url")
    assert article.authors == ["Ann Lee"]
    assert article.publisher == "Coast Times"


@pytest.mark.parametrize("title", ["Harbour wall to be rebuilt | Coast Times",
                                   "Harbour wall to be rebuilt - Coast Times",
                                   "Coast Times | Harbour wall to be rebuilt"])
def test_the_headline_loses_the_site_name(title: str) -> None:
    head = '<meta property="og:site_name" content="Coast Times">'
    page = news_page(head=head).replace("<title>Harbour wall to be rebuilt | Coast Times",
                                        f"<title>{title}").replace(
        "<h1>Harbour wall to be rebuilt</h1>", "")
    assert extract_article(page).title == "Harbour wall to be rebuilt"


def test_the_h1_is_the_headline_when_any_title_in_the_metadata_confirms_it() -> None:
    # Search engines get one headline, social networks another, readers the <h1>.
    head = (LD.replace('"headline": "Harbour wall to be rebuilt"',
                       '"headline": "Council backs new sea defences for Coast"')
            + '<meta property="og:title" content="Harbour wall to be rebuilt">')
    assert extract_article(news_page(head=head)).title == "Harbour wall to be rebuilt"


def test_the_h1_matches_a_title_that_carries_a_long_tagline_after_a_separator() -> None:
    tagline = ("Slow news from a small harbour town, told by the people who live there, "
               "about the boats, the weather, the council and everything in between. We "
               "write it for our neighbours first, since 1850, and mostly on Sundays")
    head = f'<meta property="og:title" content="Harbour wall to be rebuilt | {tagline}">'
    page = news_page(head=head).replace("<title>Harbour wall to be rebuilt | Coast Times",
                                        f"<title>Harbour wall to be rebuilt | {tagline}")
    assert extract_article(page).title == "Harbour wall to be rebuilt"


def test_neither_a_blogs_name_linking_home_nor_a_subheading_is_the_headline() -> None:
    page = ("<html><head><title>Harbour Notes Blog: Why the old wall failed</title>"
            '<meta property="og:title" content="Why the old wall failed"></head><body>'
            '<header><h1><a href="https://harbournotes.example/">Harbour Notes Blog</a></h1>'
            f"</header><main><article>{BODY}<h1>Why walls fail</h1>{BODY}"
            "</article></main></body></html>")
    assert extract_article(page).title == "Why the old wall failed"


def test_mojibake_is_undone_and_other_characters_are_kept() -> None:
    # UTF-8 once read as Windows-1252 and saved again, as many pages carry it.
    def garbled(text: str) -> str:
        return text.encode("utf-8").decode("cp1252")

    page = news_page(title=garbled("Harbour’s wall to be rebuilt"),
                     body=f"<p>{garbled('The £5m repair starts in May.')} "
                          "The café owner’s naïve hope – a “quick fix” – is gone.</p>" + BODY)
    article = extract_article(page)
    assert article.title == "Harbour’s wall to be rebuilt"
    assert "The £5m repair starts in May." in article.body
    assert "The café owner’s naïve hope – a “quick fix” – is gone." in article.body


def test_the_publisher_beside_people_is_no_author_but_an_agency_alone_is() -> None:
    beside = LD.replace('{"@type": "Person", "name": "Bo Chan"}',
                        '{"@type": "Organization", "name": "Coast Times"}')
    assert extract_article(news_page(head=beside)).authors == ["Ann Lee"]
    agency = LD.replace('[{"@type": "Person", "name": "Ann Lee"}, {"@type": "Person", '
                        '"name": "Bo Chan"}]', '{"@type": "Organization", "name": "AP"}')
    assert extract_article(news_page(head=agency)).authors == ["AP"]


def test_a_link_to_an_author_page_names_the_author() -> None:
    byline = '<p class="meta"><a href="/authors/ann-lee">Ann Lee</a> · 5 min read</p>'
    assert extract_article(news_page(before=byline)).authors == ["Ann Lee"]


def test_a_name_signed_under_the_headline_is_the_author() -> None:
    byline = '<p>Written by: <a href="/team/ann">Ann Lee</a> and friends</p>'
    article = extract_article(news_page(body=byline + BODY))
    assert article.authors == ["Ann Lee"]


@pytest.mark.parametrize(("byline", "authors"), [
    ('<p>By <a href="/team/ann">Ann Lee</a> and <a href="/team/bo">Bo Chan</a></p>',
     ["Ann Lee", "Bo Chan"]),
    ("<p>By Ann Lee, Bo Chan and Cy Dunn</p>", ["Ann Lee", "Bo Chan", "Cy Dunn"]),
    ("<p>By Ann Lee, Senior Writer</p>", ["Ann Lee"]),  # a comma without "and": her role
])
def test_every_name_a_byline_lists_is_an_author(byline: str, authors: list[str]) -> None:
    assert extract_article(news_page(body=byline + BODY)).authors == authors


def test_a_byline_naming_a_person_beats_metadata_naming_the_site() -> None:
    head = LD.replace('[{"@type": "Person", "name": "Ann Lee"}, {"@type": "Person", '
                      '"name": "Bo Chan"}]', '{"@type": "Organization", "name": "The Coast Times"}')
    article = extract_article(news_page(head=head, body="<p>By Bo Chan</p>" + BODY))
    assert article.authors == ["Bo Chan"]


def test_the_name_signed_under_the_headline_beats_metadata_naming_someone_else() -> None:
    head = LD.replace(', {"@type": "Person", "name": "Bo Chan"}', "")
    article = extract_article(news_page(head=head, body="<p>By Cy Dunn</p>" + BODY))
    assert article.authors == ["Cy Dunn"]
    # A byline showing one of the authors metadata lists keeps the whole list.
    article = extract_article(news_page(head=LD, body="<p>By Ann Lee</p>" + BODY))
    assert article.authors == ["Ann Lee", "Bo Chan"]


def test_the_day_shown_in_the_publishers_time_zone_beats_a_utc_timestamp() -> None:
    head = LD.replace("2023-12-22T09:30:00+00:00", "2023-12-22T18:30:00+00:00")
    shown = '<p>By Ann Lee <time datetime="2023-12-23T05:30:00+11:00">23 Dec</time></p>'
    article = extract_article(news_page(head=head, before=shown))
    assert (article.date, article.date_source) == ("2023-12-23", "page")


def test_an_update_date_counts_only_when_the_page_shows_it_to_its_readers() -> None:
    shown = '<p>By Ann Lee. Updated January 5, 2024</p>'
    article = extract_article(news_page(head=LD, before=shown))
    assert (article.date, article.date_source) == ("2024-01-05", "page")
    assert extract_article(news_page(head=LD)).date == "2023-12-22"
    # The page stands by the date it shows, whatever the metadata's modified date says.
    head = LD.replace("2024-01-05T10:00:00Z", "2024-02-01T10:00:00Z")
    assert extract_article(news_page(head=head, before=shown)).date == "2024-01-05"


def test_a_date_written_under_the_headline_is_one_the_page_shows() -> None:
    head = LD.replace("2024-01-05T10:00:00Z", "2024-01-09T10:00:00Z")
    byline = "<p>Ann Lee • January 9th, 2024</p>"
    article = extract_article(news_page(head=head, body=byline + BODY))
    assert (article.date, article.date_source) == ("2024-01-09", "page")


def test_a_timestamp_with_the_publishers_offset_states_the_day_itself() -> None:
    url = "https://coast.example/news/2023-12-19-harbour-wall"
    no_canonical = LD.split("<link")[0]
    head = no_canonical.replace("2023-12-22T09:30:00+00:00", "2023-12-20T07:30:00-05:00")
    article = extract_article(news_page(head=head), url)
    assert (article.date, article.date_source) == ("2023-12-20", "json-ld")
    head = no_canonical.replace("2023-12-22T09:30:00+00:00", "2023-12-20T07:30:00+00:00")
    article = extract_article(news_page(head=head), url)
    assert (article.date, article.date_source) == ("2023-12-19", "url")


def test_the_published_day_shown_beside_an_update_is_the_articles_date() -> None:
    shown = ("<p><time>Last Updated: Jan. 5, 2024 at 6:33 a.m.</time> "
             "<time>First Published: Dec. 22, 2023 at 4:12 p.m.</time></p>")
    article = extract_article(news_page(head=LD, before=shown))
    assert (article.date, article.date_source) == ("2023-12-22", "json-ld")


def test_the_first_of_two_dates_in_a_byline_is_the_publication() -> None:
    byline = "<p>Ann Lee</p><p>December 3, 2025. <i>Updated: December 7, 2025</i></p>"
    assert extract_article(news_page(body=byline + BODY)).date == "2025-12-03"


def test_a_day_shown_after_the_urls_day_is_when_the_story_was_published() -> None:
    shown = '<p><time datetime="2023-12-22 05:00:00">12/22/2023 05:00 AM EST</time></p>'
    article = extract_article(news_page(before=shown),
                              "https://coast.example/news/2023/12/21/harbour-wall")
    assert (article.date, article.date_source) == ("2023-12-22", "page")


def test_a_date_line_under_a_long_standfirst_is_the_bylines() -> None:
    standfirst = "<p>" + WORDS * 3 + "</p>"
    byline = "<p>Ann Lee, political reporter</p><p>Saturday 23 December 2023 05:39, UK</p>"
    article = extract_article(news_page(body=standfirst + byline + BODY))
    assert (article.date, article.date_source) == ("2023-12-23", "page")


def test_the_one_date_a_byline_shows_beats_metadata_the_page_never_shows() -> None:
    head = LD.replace("2023-12-22T09:30:00+00:00", "2013-03-11T11:11:07-07:00")
    byline = ('<p class="byline"><time datetime="2023-03-20T00:00:00-07:00">'
              'March 20, 2023</time></p>')
    assert extract_article(news_page(head=head, body=byline + BODY)).date == "2023-03-20"
    # Many days in <time> elements are a list of other stories, not the byline.
    others = "".join(f'<li><time datetime="202{n}-0{n}-1{n}">story {n}</time></li>'
                     for n in range(1, 6))
    page = news_page(head=head, before=f"<ul>{others}</ul>")
    assert extract_article(page).date == "2013-03-11"


def test_the_time_of_a_readers_comment_is_not_the_articles_date() -> None:
    comments = ('<section id="comments"><p>Ann wrote '
                '<time datetime="2023-12-23T08:00:00Z">23 Dec</time>: well done.</p></section>')
    article = extract_article(news_page(head=LD, after=comments))
    assert article.date == "2023-12-22"


@pytest.mark.parametrize("page", [
    news_page(head='<meta property="article:modified_time" content="2024-01-05T10:00:00Z">'),
    news_page().replace("© Coast Times.", "© 2024 Coast Times."),
    news_page(body=BODY + "<p>The first storm struck the harbour on 5 March 2024, and the "
                          "wall gave way that night.</p>"),
])
def test_a_change_a_copyright_year_or_a_day_in_the_story_is_no_publication_date(
        page: str) -> None:
    assert extract_article(page).date is None


def test_the_date_never_comes_from_today() -> None:
    article = extract_article(news_page())
    assert article.date is None and article.date_source is None


@pytest.mark.parametrize(("page", "reason"), [
    (news_page(body="<p>Subscribe to read the rest of this story.</p>"), "too little"),
    ("<html><body>" + "".join(f'<a href="/s/{i}">Story number {i} of the day</a><br>'
                              for i in range(200)) + "</body></html>", "an index page"),
    ("\x00\x01binary", r"too little article text \(1 word\)"),
])
def test_pages_that_are_not_articles_are_refused(page: str, reason: str) -> None:
    with pytest.raises(PageRefused, match=reason):
        extract_article(page)


def test_a_list_of_links_marked_as_a_collection_is_an_index_page() -> None:
    head = ('<meta property="og:type" content="website"><script type="application/ld+json">'
            '{"@type": "CollectionPage", "name": "News"}</script>')
    with pytest.raises(PageRefused, match="index page"):
        extract_article(news_page(head=head))


def test_a_section_front_of_story_teasers_is_an_index_page() -> None:
    teasers = "".join(
        f'<article><h2><a href="/news/2023/12/{n:02d}/plan-{n}">Council approves plan {n} for '
        f"the harbour district</a></h2><p>The council on Tuesday approved plan {n}, which "
        "officials say will bring new jobs and homes to the harbour over the next decade.</p>"
        "</article>" for n in range(1, 13))
    page = ('<html><head><title>Local news | Coast Times</title>'
            '<meta property="og:type" content="website"></head>'
            f"<body><main><h1>Local news</h1>{teasers}</main></body></html>")
    with pytest.raises(PageRefused, match="index page"):
        extract_article(page)


def test_an_article_after_an_early_end_of_body_is_read_as_a_browser_shows_it() -> None:
    page = news_page().replace("<article>", "</body></html><article>")
    assert "Paragraph 3 adds its own detail" in extract_article(page).body
    assert "Paragraph 3 adds its own detail" in extract_article(page.encode()).body


def test_subheadings_and_lists_survive_in_a_container_of_unknown_name() -> None:
    sentence = "The council voted on Tuesday to rebuild the old harbour wall after the storms."
    story = ("".join(f"<p>{sentence} Point {k}.</p>" for k in range(7))
             + "<h2>What the council decided</h2><ul><li>Height: the wall rises by two metres."
             f"</li><li>Cost: paid by the port.</li></ul><p>{sentence} Point 7.</p>")
    page = f'<html><body><div class="w-richtext">{story}</div></body></html>'
    body = extract_article(page).body
    assert "What the council decided" in body and "the wall rises by two metres" in body
    # An article split into sections: the container is the one holding them all.
    sections = "".join(f'<div class="w-richtext">{story.replace("Point", f"Part {n}, point")}'
                       "</div>" for n in range(3))
    body = extract_article(f"<html><body><div>{sections}</div></body></html>").body
    assert all(f"Part {n}, point 6" in body for n in range(3))
    assert body.count("the wall rises by two metres") == 3


def test_readers_comments_under_their_heading_are_left_out() -> None:
    comments = ("<h3>Comment from the forums</h3><p>bit_user: I don't consider that a wall at "
                "all, it is really a fence.</p><p>thestryker: Agreed, and the port should "
                "pay for the fence.</p>")
    body = extract_article(news_page(body=BODY + comments)).body
    assert "Paragraph 3 adds its own detail" in body and "thestryker" not in body
    # Above the story, "3 Comments" is a count in its byline: the story stays.
    body = extract_article(news_page(body="<p>By Ann Lee</p><p>3 Comments</p>" + BODY)).body
    assert "Paragraph 3 adds its own detail" in body


def test_the_byline_at_the_top_of_the_text_goes_to_the_front_matter_only() -> None:
    byline = "<p>By Ann Lee</p><p>Friday 22 December 2023 16:22, UK</p>"
    article = extract_article(news_page(head=LD, body=byline + BODY))
    assert (article.authors[0], article.date) == ("Ann Lee", "2023-12-22")
    assert article.body.startswith("The council voted on Tuesday")


def test_short_notes_of_the_site_are_left_out_but_a_story_about_them_stays() -> None:
    notes = ("<p>When you buy through our links, we may earn an affiliate commission.</p>"
             "<p>Sign up for our newsletter: the best of the coast in your inbox.</p>")
    story = ("<p>The port's new affiliate scheme pays local shops a share of ferry ticket sales, "
             "and the harbour office will send a newsletter to every household, " + WORDS + "</p>")
    body = extract_article(news_page(body=notes + BODY + story)).body
    assert "we may earn" not in body and "best of the coast" not in body
    assert "new affiliate scheme pays local shops" in body


def test_the_sites_copyright_cookie_and_sign_up_terms_are_left_out() -> None:
    notes = ("<p>© 2024 Coast Times Ltd. All rights reserved.</p>"
             "<p>By entering your email address you agree to our Terms of Use and Privacy "
             "Policy and consent to receive emails from us.</p>"
             "<p>This website uses cookies to improve your experience while you navigate "
             "through the website.</p>")
    story = ("<p>The harbour office website will stop using tracking cookies next month, "
             "the council said, " + WORDS + WORDS + "</p>")
    body = extract_article(news_page(body=BODY + story + notes)).body
    assert "All rights reserved" not in body and "Terms of Use" not in body
    assert "improve your experience" not in body
    assert "will stop using tracking cookies" in body


def test_the_republishing_guidelines_under_a_stories_licence_are_left_out() -> None:
    licence = ("<p>This work is licensed under a Creative Commons Attribution-NoDerivatives "
               "4.0 International License.</p><h3>Want to republish a Coast Times story?</h3>"
               "<p>We are happy for our stories to be shared, and encourage you to republish "
               "our articles. Please credit us and our writers, and link to the article.</p>")
    body = extract_article(news_page(body=BODY + licence)).body
    assert "Paragraph 3 adds its own detail" in body
    assert "Creative Commons" not in body and "Please credit us" not in body


def test_a_second_copy_of_the_article_is_left_out_but_a_short_refrain_stays() -> None:
    refrain = "<p>Rest day.</p><p>Harbour walk.</p><p>Rest day.</p>"
    copy = f'<div class="narrow-screens">{BODY}</div>'
    body = extract_article(news_page(body=BODY + refrain + copy)).body
    assert body.count("Paragraph 3 adds its own detail") == 1
    assert body.count("Rest day") == 2


def test_the_standfirst_the_page_shows_leads_the_text() -> None:
    standfirst = "Residents say the decision came years too late for the fishing fleet."
    head = f'<meta property="og:description" content="{standfirst}">'
    shown = f'<header><p class="standfirst">{standfirst}</p></header>'
    body = extract_article(news_page(head=head, before=shown)).body
    assert body.startswith(standfirst + "\n\nThe council voted")
    # A description for search engines only, never shown on the page, is not the text.
    body = extract_article(news_page(head=head)).body
    assert body.startswith("The council voted")


def test_links_to_other_pages_around_the_text_are_left_out() -> None:
    related = ('<h3>Read on</h3><p>Next: <a href="/next">Ferry fares rise again in spring as '
               'the harbour board meets</a></p><p>Related: <a href="/b">Lifeboat crew honoured '
               'at the harbour for a rescue in the storm</a></p>')
    linked = f'<p>{WORDS}<a href="/council">The council\'s report</a> says so.</p>'
    section = '<p><a href="/news/local">Local news from the harbour towns</a></p>'
    body = extract_article(news_page(body=section + BODY + linked + related)).body
    assert body.startswith("The council voted")
    assert "The council's report says so" in body  # a link inside the story stays
    assert "Ferry fares rise" not in body and "Lifeboat crew" not in body
    assert "Read on" not in body


def test_the_note_about_the_author_closing_an_article_is_left_out() -> None:
    bio = ("<p>Ann Lee is a freelance writer covering the coast, its harbours and "
           "its fishing fleet.</p>")
    article = extract_article(news_page(head=LD, body=BODY + bio))
    assert article.authors == ["Ann Lee", "Bo Chan"]
    assert "Paragraph 3 adds its own detail" in article.body
    assert "freelance writer" not in article.body


def test_a_longer_cookie_notice_does_not_replace_a_short_article() -> None:
    notice = ("A cookie is a small piece of data that a website asks your browser to store on "
              "your device in order to remember information about you, such as your language. ")
    modal = '<div class="privacy-modal">' + "".join(
        f'<p class="privacy-text">{notice}Setting {i} is one more kind of cookie.</p>'
        for i in range(14)) + "</div>"
    short = "".join(f"<p>{WORDS}Paragraph {i} adds its own detail.</p>" for i in range(2))
    body = extract_article(news_page(body=short, after=modal)).body
    assert "Paragraph 1 adds its own detail" in body
    assert "cookie" not in body


# ---- a loopback web server -----------------------------------------------------

LATIN = news_page(title="Café owners welcome the harbour plan",
                  body=BODY.replace("residents", "café owners")).replace(
    '<meta charset="utf-8">', '<meta http-equiv="Content-Type" content="text/html; '
    'charset=windows-1252">').encode("cp1252")
ROUTES: dict[str, tuple[int, dict[str, str], bytes]] = {
    "/article": (200, {"Content-Type": "text/html; charset=utf-8"}, news_page(head=LD).encode()),
    "/plain": (200, {"Content-Type": "text/html"}, news_page().encode()),
    "/redirect": (302, {"Location": "/plain"}, b""),
    "/loop": (302, {"Location": "/loop"}, b""),
    "/to-ftp": (302, {"Location": "ftp://coast.example/file"}, b""),
    "/missing": (404, {"Content-Type": "text/html"}, b"<html><body>Not found</body></html>"),
    "/pdf": (200, {"Content-Type": "application/pdf"}, b"%PDF-1.4"),
    "/latin": (200, {"Content-Type": "text/html"}, LATIN),
    "/gzip": (200, {"Content-Type": "text/html", "Content-Encoding": "gzip"},
              gzip.compress(news_page().encode())),
    "/bomb": (200, {"Content-Type": "text/html", "Content-Encoding": "gzip"},
              gzip.compress(b"<html><body>" + b" " * 60_000_000)),
    "/big": (200, {"Content-Type": "text/html", "Content-Length": str(50_000_000)}, b""),
}


class _Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/slow":
            time.sleep(2)
        if self.path == "/endless":  # no length: only a size cap stops it
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                while True:
                    self.wfile.write(b"<p>" + b"x" * 65_536 + b"</p>")
            except OSError:
                return
        if self.path.startswith("/hop/"):  # a chain of distinct redirects
            hop = int(self.path.rsplit("/", 1)[1])
            if hop < 20:
                self.send_response(301)
                self.send_header("Location", f"/hop/{hop + 1}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        if self.path == "/agent":
            ROUTES["/agent"] = (200, {"Content-Type": "text/html"},
                                f"<p>{self.headers.get('User-Agent')}</p>".encode())
        code, headers, body = ROUTES.get(self.path, (200, {"Content-Type": "text/html"},
                                                     news_page().encode()))
        self.send_response(code)
        for key, value in headers.items():
            self.send_header(key, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(OSError):
            self.wfile.write(body)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_fetch_follows_a_few_redirects(server: str) -> None:
    page = fetch(server + "/redirect")
    assert page.url == server + "/plain"
    assert b"Harbour wall" in page.html
    assert fetch(server + "/hop/16").url == server + "/hop/20"


def test_fetch_sends_an_honest_user_agent(server: str) -> None:
    assert fetch(server + "/agent").html.decode() == f"<p>{USER_AGENT}</p>"
    assert USER_AGENT.startswith("Digest/")


@pytest.mark.parametrize(("path", "reason"), [
    ("/missing", "HTTP 404"),
    ("/pdf", "not an HTML page"),
    ("/loop", "too many redirects"),
    ("/hop/0", "too many redirects"),
    ("/to-ftp", "non-web address"),
    ("/big", "larger than"),
    ("/endless", "larger than"),
    ("/bomb", "larger than"),
])
def test_fetch_refuses_with_a_one_line_reason(server: str, path: str, reason: str) -> None:
    with pytest.raises(FetchError, match=reason) as caught:
        fetch(server + path)
    assert "\n" not in str(caught.value)


def test_no_server_at_the_address_is_one_plain_line() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError) as caught:
        fetch(f"http://127.0.0.1:{port}/news")
    # It names the host and says why in words, without the errno a user cannot use.
    assert "127.0.0.1" in str(caught.value) and "Connection refused" in str(caught.value)
    assert "Errno" not in str(caught.value)


def test_a_slow_server_times_out(server: str) -> None:
    start = time.monotonic()
    with pytest.raises(FetchError, match="no answer within"):
        fetch(server + "/slow", timeout=0.3)
    assert time.monotonic() - start < 1.5


def test_gzip_transfer_and_a_charset_declared_only_in_a_meta_tag(server: str,
                                                                 tmp_path: Path) -> None:
    outcomes = add_web([server + "/gzip", server + "/latin"], tmp_path / "content")
    assert [o.status for o in outcomes] == ["added", "added"]
    gzipped, latin = (o.path.read_text("utf-8") for o in outcomes if o.path)
    assert "Paragraph 3 adds its own detail" in gzipped
    assert "title: Café owners welcome the harbour plan" in latin
    assert "and café owners said" in latin


# ---- digest add -----------------------------------------------------------------


def _json_lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines()]


def _front(path: Path) -> dict[str, object]:
    return yaml.safe_load(path.read_text("utf-8").split("---\n")[1])


def test_add_urls_and_saved_pages_with_json_report(server: str, tmp_path: Path) -> None:
    root = tmp_path / "news"
    assert digest("new", str(root)).returncode == 0
    saved = tmp_path / "saved copy.HTM"
    saved.write_text(news_page(head=LD), "utf-8")  # same canonical URL as /article
    other = tmp_path / "other.html"
    other.write_text(news_page(title="Harbour wall vote delayed"), "utf-8")  # same text
    result = digest("add", server + "/article", str(saved), server + "/missing", str(other),
                    "--no-build", "--json", cwd=root)
    assert result.returncode == 1  # one input was refused
    lines = _json_lines(result.stdout)
    assert [line["input"] for line in lines] == [server + "/article", str(saved),
                                                 server + "/missing", str(other)]
    assert [line["status"] for line in lines] == ["added", "duplicate", "error", "duplicate"]
    assert lines[2]["error"] == "HTTP 404 Not Found" and lines[2]["path"] is None
    assert lines[1]["path"] == lines[0]["path"] == lines[3]["path"]
    stored = root / str(lines[0]["path"])
    assert stored.parent == root / "content" / "articles" and stored.suffix == ".md"
    front = _front(stored)
    assert front == {"title": "Harbour wall to be rebuilt",
                     "date": __import__("datetime").date(2023, 12, 22),
                     "date_source": "json-ld", "authors": ["Ann Lee", "Bo Chan"],
                     "publisher": "Coast Times",
                     "source_url": "https://coast.example/news/harbour-wall",
                     "language": "en-GB"}
    assert sorted(p.name for p in (root / "content" / "articles").iterdir()) == [stored.name]


def test_add_without_json_says_what_happened_in_one_line_each(server: str,
                                                               tmp_path: Path) -> None:
    root = tmp_path / "news"
    digest("new", str(root))
    result = digest("add", server + "/pdf", "https://", "--no-build", cwd=root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"not added: {server}/pdf: not an HTML page (application/pdf)" in result.stderr
    assert "not added: https://: not an http(s) URL" in result.stderr
    assert not list((root / "content" / "articles").iterdir())


def test_a_50_mb_saved_page_is_refused_without_harm(tmp_path: Path) -> None:
    huge = tmp_path / "huge.html"
    with huge.open("wb") as out:
        out.write(b"<html><body><p>")
        out.write(b"word " * 10_500_000)
    (outcome,) = add_web([str(huge)], tmp_path / "content")
    assert outcome.status == "error" and "larger than 50 MB" in (outcome.error or "")
    assert not (tmp_path / "content" / "articles").exists()


def _mhtml(html: bytes, charset: str, url: str) -> bytes:
    """A page as Chrome saves it with "Webpage, Single File": a MIME multipart archive,
    the HTML quoted-printable, an image beside it."""
    boundary = "----MultipartBoundary--x1----"
    head = (f"From: <Saved by Blink>\r\nSnapshot-Content-Location: {url}\r\n"
            "Subject: Harbour wall\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;"
            f'\r\n\ttype="text/html";\r\n\tboundary="{boundary}"\r\n\r\n')
    part = (f"--{boundary}\r\nContent-Type: text/html; charset={charset}\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\n"
            f"Content-Location: {url}\r\n\r\n")
    image = (f"\r\n--{boundary}\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: "
             "base64\r\nContent-Location: https://coast.example/logo.png\r\n\r\niVBORw0KGgo="
             f"\r\n--{boundary}--\r\n")
    return head.encode() + part.encode() + quopri.encodestring(html) + image.encode()


def test_a_page_saved_as_one_mhtml_file_is_read_with_its_address_and_charset(
        tmp_path: Path) -> None:
    url = "https://coast.example/news/harbour"
    line = "The ferry to \u03a0\u03b5\u03b9\u03c1\u03b1\u03b9\u03ac\u03c2 will run."
    page = news_page(body=f"{BODY}<p>{line}</p>")
    saved = tmp_path / "Harbour wall.mhtml"
    # The archive states the charset; the page inside has no <meta charset> of its own.
    # Greek in ISO-8859-7: read as UTF-8 or Windows-1252, it would come out garbled.
    saved.write_bytes(_mhtml(page.replace('<meta charset="utf-8">', "").encode("iso-8859-7"),
                             "iso-8859-7", url))
    (outcome,) = add_web([str(saved)], tmp_path / "content")
    assert outcome.status == "added" and outcome.path is not None
    stored = tmp_path / "content" / "articles" / outcome.path.name
    assert _front(stored)["source_url"] == url
    text = stored.read_text("utf-8")
    assert line in text
    assert "old harbour wall" in text


def test_a_page_saved_by_a_browser_keeps_the_address_it_was_saved_from(tmp_path: Path) -> None:
    url = "https://coast.example/news/harbour-wall"
    saved = tmp_path / "Harbour wall.html"
    page = news_page()  # no canonical link, no JSON-LD: only the browser's mark says where
    saved.write_text(page.replace("<html", f"<!-- saved from url=({len(url):04d}){url} -->\n<html",
                                  1), "utf-8")
    (outcome,) = add_web([str(saved)], tmp_path / "content")
    assert outcome.path is not None
    assert _front(tmp_path / "content" / "articles" / outcome.path.name)["source_url"] == url


def test_a_safari_web_archive_is_read_with_its_address_and_encoding(tmp_path: Path) -> None:
    url = "https://coast.example/news/harbour"
    line = "The ferry to \u03a0\u03b5\u03b9\u03c1\u03b1\u03b9\u03ac\u03c2 will run."
    page = news_page(body=f"{BODY}<p>{line}</p>").replace('<meta charset="utf-8">', "")
    saved = tmp_path / "Harbour wall.webarchive"
    saved.write_bytes(plistlib.dumps({
        "WebMainResource": {"WebResourceData": page.encode("iso-8859-7"),
                            "WebResourceURL": url, "WebResourceMIMEType": "text/html",
                            "WebResourceTextEncodingName": "ISO-8859-7",
                            "WebResourceFrameName": ""},
        "WebSubresources": [{"WebResourceData": b"\x89PNG", "WebResourceMIMEType": "image/png",
                             "WebResourceURL": "https://coast.example/logo.png"}],
    }, fmt=plistlib.FMT_BINARY))
    (outcome,) = add_web([str(saved)], tmp_path / "content")
    assert outcome.status == "added" and outcome.path is not None
    stored = tmp_path / "content" / "articles" / outcome.path.name
    assert _front(stored)["source_url"] == url
    assert line in stored.read_text("utf-8")


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("empty.mht", b"MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nhello\r\n",
     "an MHTML file with no HTML page in it"),
    ("broken.webarchive", b"bplist00 not really", "not a Web Archive with a page in it"),
    ("other.webarchive", plistlib.dumps({"WebSubresources": []}),
     "not a Web Archive with a page in it"),
])
def test_a_single_file_save_without_a_page_is_refused_in_one_line(
        tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    saved = tmp_path / name
    saved.write_bytes(data)
    (outcome,) = add_web([str(saved)], tmp_path / "content")
    assert outcome.status == "error" and outcome.error == reason
    assert not (tmp_path / "content" / "articles").exists()


# ---- on the site ----------------------------------------------------------------

HOSTILE_LD = """<script type="application/ld+json">{"@type": "NewsArticle",
 "headline": "Harbour \\u003cscript\\u003ealert(1)\\u003c/script\\u003e row",
 "datePublished": "2023-11-02",
 "author": {"@type": "Person", "name": "<img src=x onerror=alert(2)>Eve Mallory"},
 "publisher": {"name": "Evil <b onmouseover=alert(3)>Times</b>"}}</script>
<link rel="canonical" href="javascript:alert(4)">"""
HOSTILE_BODY = BODY + """
<p onclick="alert(5)">Residents <script>alert(6)</script> clicked
<a href="javascript:alert(7)">this link</a> and <a href=" JaVaScRiPt:alert(8)">that one</a>.</p>
<iframe src="https://evil.example/frame" onload="alert(9)"></iframe>
<p>[markdown link](javascript:alert(10)) and <img src="x" onerror="alert(11)"> and
&lt;script&gt;alert(12)&lt;/script&gt; written as text.</p>
<img src="data:image/png;base64,""" + "A" * 3_000_000 + """">
<svg onload="alert(13)"><script>alert(14)</script></svg>
"""


@pytest.mark.model
def test_web_articles_on_the_site_link_their_original_and_run_nothing(
        server: str, tmp_path: Path) -> None:
    root = tmp_path / "news"
    digest("new", str(root))
    config = root / "mkdocs.yml"
    settings = config.read_text("utf-8").replace(
        "    - navigation.top\n", "    - navigation.top\n    - content.action.edit\n")
    config.write_text(settings + "site_url: https://digest.example/\n"
                      "repo_url: https://github.com/u/news\nedit_uri: edit/main/\n")
    hostile = tmp_path / "hostile.html"
    hostile.write_text(news_page(head=HOSTILE_LD, body=HOSTILE_BODY,
                                 title="Harbour &lt;script&gt;alert(1)&lt;/script&gt; row"))
    result = digest("add", server + "/article", str(hostile), "--json", cwd=root)
    assert result.returncode == 0, result.stderr
    statuses = [line["status"] for line in _json_lines(result.stdout)]  # JSON only on stdout
    assert statuses == ["added", "added"]
    site = root / "site"
    pages = {p: p.read_text("utf-8") for p in (site / "articles").rglob("index.html")}
    harbour = next(t for t in pages.values() if "Ann Lee" in t)
    link = re.search(r'<a [^>]*href="https://coast.example/news/harbour-wall"[^>]*>', harbour)
    assert link and 'rel="external noopener"' in link.group(0)
    assert "Read the original on coast.example ↗" in harbour
    assert "Published by Coast Times on 22 December 2023" in harbour
    assert "written by Ann Lee, Bo Chan" in harbour
    edit = "https://github.com/u/news/edit/main/content/articles/2023-12-22-harbour-wall-to"
    assert f'href="{edit}-be-rebuilt.md"' in harbour  # the curator's file, not build/docs
    for made in ("index.html", "people/index.html", "about/index.html"):  # no source file
        assert "/edit/main/" not in (site / made).read_text("utf-8"), made
    for text in [*pages.values(), *(p.read_text("utf-8") for p in site.rglob("*.xml")),
                 *(p.read_text("utf-8") for p in (site / "feeds").iterdir())]:
        assert "Source:" not in text and "<code>content/" not in text  # no repository path
        assert not re.search(r"<script[^>]*>[^<]*alert\(", text)
        assert not re.search(r"""(?i)<[^>]+\son\w+\s*=""", text)
        assert not re.search(r"(?i)href=\"\s*javascript:", text)
        assert "<iframe" not in text and "data:image/png;base64" not in text
    evil = next(t for t in pages.values() if "Eve Mallory" in t)
    assert "written as text" in evil and "Read the original" not in evil  # javascript: URL
    feed = (site / "feeds" / "all.atom").read_text("utf-8")
    assert '<link href="https://coast.example/news/harbour-wall"/>' in feed
    rss = (site / "feeds" / "all.rss").read_text("utf-8")
    assert "<link>https://coast.example/news/harbour-wall</link>" in rss
    assert "<name>Ann Lee</name>" in feed
    items = json.loads((site / "feeds" / "all.json").read_text("utf-8"))["items"]
    assert {i.get("external_url") for i in items} == {"https://coast.example/news/harbour-wall",
                                                     None}
