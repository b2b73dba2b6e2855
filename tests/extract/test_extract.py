"""End-to-end extraction with the real model (the seed article)."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.extract.pipeline import extract, extract_many
from digest.extract.title import MAX_CHARS as TITLE_CHARS

SEED = Path(__file__).resolve().parents[2] / "content/articles/000_0e367a65feda92c3.txt"

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def seed():
    return extract(SEED.read_text("utf-8"))


def test_seed_people_places_organisations(seed):
    assert seed.people == ["Joe Biden", "Henry Kissinger", "Vladimir Putin"]
    assert {"Washington", "Ukraine", "Russia", "United States", "Donbass", "Kyiv", "Moscow"} == set(
        seed.places
    )
    assert set(seed.organisations) == {"New York Times", "White House"}


def test_seed_has_no_date_and_is_about_war(seed):
    assert seed.date is None and seed.date_source is None
    assert seed.topics == ["medtop:16000000", "medtop:11000000"]  # as in DESIGN.md


def test_seed_title_keywords_summary(seed):
    assert seed.title.startswith("Washington will deliver")
    assert len(seed.title) <= TITLE_CHARS and "“" not in seed.title
    assert "HIMARS" in seed.keywords and "multiple rocket launchers" in seed.keywords
    assert seed.summary.endswith("by the newspaper.")
    assert len(seed.summary) <= 300


def test_extract_many_keeps_order_and_given_titles():
    items = [("Rain fell in London.", "Wet day"), ("Shares fell in Tokyo.", None)] * 3
    out = list(extract_many(items, batch_size=2))
    # A given title is kept; an untitled article's headline comes from its own text.
    assert [m.title for m in out] == ["Wet day", "Shares fell in Tokyo"] * 3
    assert [m.places for m in out] == [["London"], ["Tokyo"]] * 3


def test_a_plain_text_article_keeps_the_headline_it_starts_with():
    ferry = ("Ferry returns to Portsmouth after winter refit\n\nThe ferry Normandie Express "
             "returned to service on Tuesday after a three-month refit, its operator said.")
    wire = ("EU REJECTS GERMAN CALL TO BOYCOTT BRITISH LAMB .\nBRUSSELS 1996-08-22\n"
            "The Commission said on Thursday it disagreed with German advice to shun "
            "British lamb, the EU said.")
    byline = "By Jane Smith\n\nThe council voted on Tuesday to rebuild the old harbour wall."
    titles = [m.title for m in extract_many([(ferry, None), (wire, None), (byline, None)])]
    assert titles[0] == "Ferry returns to Portsmouth after winter refit"
    # In capitals on the wire: recased with the casings the story itself uses.
    assert titles[1] == "EU rejects German call to boycott British lamb"
    # A byline is not a headline: the title then comes from the lede.
    assert titles[2] == "The council voted on Tuesday to rebuild the old harbour wall"


def test_a_wire_dateline_names_the_city_and_credits_the_agency():
    text = ("LONDON (AP) — Britain's health minister visited a hospital in Leeds on Friday, "
            "the ministry said.")
    meta = extract(text)
    assert meta.places == ["London", "Britain", "Leeds"]  # the city recased, as elsewhere
    assert meta.organisations == ["AP"]  # the agency that filed it, not a place
    assert meta.title.startswith("Britain's health minister visited")


def test_huge_article_is_read_only_up_to_the_cap():
    # ~5 MB: the model reads only the first MAX_CHARS, so a huge file costs no
    # more than a long article; a place named only beyond the cap is not seen.
    text = "The minister spoke in Paris about the budget. " * 110_000 + "Then Oslo."
    meta = extract(text)
    assert meta.places == ["Paris"]


def test_a_curly_possessive_ends_a_name_and_curly_quotes_stay_as_written():
    # Web pages write the typographic apostrophe; wire text, which the models learned
    # names from, the ASCII one.
    text = (
        "Carlos Watson’s Ozy Media sued BuzzFeed in New York on Tuesday. "
        "“It is about trade secrets,” said Karen O’Donohoe, a lawyer for the company."
    )
    found = extract(text)
    assert "Carlos Watson" in found.people and "Karen O’Donohoe" in found.people
    assert not any("’s" in name for name in found.people)
    assert "“It is about trade secrets,”" in found.summary


def test_a_plain_text_headline_in_title_case_is_read_as_a_headline_and_kept_as_written():
    text = ("Harbour Wall Will Be Rebuilt Soon\n\n"
            "The council voted on Tuesday to rebuild the old harbour wall, said Mayor Ann Lee.")
    found = extract(text)
    assert found.title == "Harbour Wall Will Be Rebuilt Soon"
    assert found.people == ["Ann Lee"]
