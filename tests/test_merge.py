from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from digest.merge import canonicalise, merge, read_aliases
from digest.model import Metadata, Source
from digest.pages import make_articles

EXTRACTED = Metadata(
    title="Extracted title",
    date="1996-08-30",
    date_source="dateline",
    people=["Bill Clinton"],
    topics=["medtop:04000000"],
    summary="Extracted summary.",
)


def _source(front: dict[str, object], name: str = "a.md") -> Source:
    return Source(Path(f"content/articles/{name}"), "text", front, "h", "markdown", "2024-02-03")


def test_curator_front_matter_wins_field_by_field() -> None:
    front = {"title": "Curated", "people": ["Ann Lee"], "topics": ["sport"],
             "date": dt.date(2020, 1, 2)}
    meta, problems = merge(_source(front), EXTRACTED)
    assert (meta.title, meta.people, meta.topics) == ("Curated", ["Ann Lee"], ["medtop:15000000"])
    assert (meta.date, meta.date_source) == ("2020-01-02", "front-matter")
    assert meta.summary == "Extracted summary."  # not given: extracted
    assert problems == []


def test_wrong_types_warn_and_keep_extracted_values() -> None:
    meta, problems = merge(_source({"date": "yesterday", "people": 42, "topics": ["nonsense"]}),
                           EXTRACTED)
    assert meta.people == ["Bill Clinton"] and meta.date == "1996-08-30"
    assert meta.topics == ["medtop:04000000"]
    assert sorted(p.message.split("`")[1] for p in problems) == ["date", "people", "topics"]


@pytest.mark.parametrize("title", ["\x1b", "<b></b>", "\u200b"])
def test_a_title_with_nothing_to_show_warns_and_the_extracted_one_is_used(title: str) -> None:
    meta, problems = merge(_source({"title": title}), EXTRACTED)
    assert meta.title == "Extracted title"
    assert [p.message.split("`")[1] for p in problems] == ["title"]


def test_a_slug_of_the_wrong_type_warns_and_the_title_gives_the_slug() -> None:
    source = _source({"slug": ["one", "two"]})
    meta, problems = merge(source, EXTRACTED)
    assert [p.message.split("`")[1] for p in problems] == ["slug"]
    assert "slug" in str(problems[0]) and "a.md" in str(problems[0])
    assert [a.slug for a in make_articles([(source, meta)])] == ["extracted-title"]


def test_a_usable_slug_is_kept_without_a_warning() -> None:
    source = _source({"slug": "biden-ukraine-rockets"})
    meta, problems = merge(source, EXTRACTED)
    assert problems == []
    assert [a.slug for a in make_articles([(source, meta)])] == ["biden-ukraine-rockets"]


@pytest.mark.parametrize(
    ("written", "codes"),
    [
        # YAML splits an unquoted label at its commas: the parts are read as that label.
        (["conflict", "war and peace"], ["medtop:16000000"]),
        (["arts", "culture", "entertainment and media", "sport"],
         ["medtop:01000000", "medtop:15000000"]),
        # "crime" alone is a label too, but the parts make the longer one.
        (["crime", "law and justice"], ["medtop:02000000"]),
        ("conflict, war and peace", ["medtop:16000000"]),
        (["conflict, war and peace", "medtop:11000000"], ["medtop:16000000", "medtop:11000000"]),
    ],
)
def test_topic_labels_holding_commas_are_read_whole(written: object, codes: list[str]) -> None:
    meta, problems = merge(_source({"topics": written}), EXTRACTED)
    assert problems == []
    assert meta.topics == codes


def test_an_unknown_topic_is_named_in_the_warning() -> None:
    meta, problems = merge(_source({"topics": ["conflict", "war and pieces"]}), EXTRACTED)
    assert meta.topics == EXTRACTED.topics
    assert len(problems) == 1 and "'war and pieces'" in problems[0].message


def test_date_chain_file_name_then_text_then_added() -> None:
    meta, _ = merge(_source({}, "2021-03-04-story.md"), EXTRACTED)
    assert (meta.date, meta.date_source) == ("2021-03-04", "filename")
    undated = Metadata(title="x")
    meta, _ = merge(_source({}), undated)
    assert (meta.date, meta.date_source) == ("2024-02-03", "added")


def _digest(*metas: Metadata, texts: tuple[str, ...] = (),
            fronts: tuple[dict[str, object], ...] = ()) -> list[tuple[Source, Metadata]]:
    """(source, extracted metadata) pairs; texts and fronts default to none."""
    return [
        (Source(Path(f"content/articles/{i}.md"), texts[i] if i < len(texts) else "",
                fronts[i] if i < len(fronts) else {}, str(i), "markdown"), meta)
        for i, meta in enumerate(metas)
    ]


def test_aliases_and_surnames_converge_across_the_digest() -> None:
    aliases, problems = read_aliases({"Kyiv": ["Kiev"], "Joe Biden": "President Biden"},
                                     Path("aliases.yml"))
    assert problems == []
    out = canonicalise(_digest(Metadata(people=["Joe Biden"], places=["Kiev"]),
                               Metadata(people=["Biden", "President Biden"], places=["kyiv"])),
                       aliases)
    assert [m.people for m in out] == [["Joe Biden"], ["Joe Biden"]]
    assert [m.places for m in out] == [["Kyiv"], ["Kyiv"]]


def test_ambiguous_surname_is_left_alone() -> None:
    out = canonicalise(_digest(Metadata(people=["George Bush", "Jeb Bush"]),
                               Metadata(people=["Bush"])), {})
    assert out[1].people == ["Bush"]


def test_spelling_variants_share_one_name_so_one_page() -> None:
    metas = [Metadata(places=["Kyiv"]), Metadata(places=["kyiv"]), Metadata(places=["Kyiv"]),
             Metadata(organisations=["Société Générale"]),
             Metadata(organisations=["Societe Generale"])]
    out = canonicalise(_digest(*metas), {})
    assert [m.places for m in out[:3]] == [["Kyiv"]] * 3
    assert {tuple(m.organisations) for m in out[3:]} == {("Société Générale",)}


def test_a_place_abbreviation_joins_the_full_name_the_digest_uses() -> None:
    metas = [Metadata(places=["U.S.", "Japan"]), Metadata(places=["United States"]),
             Metadata(places=["U.K."])]
    out = canonicalise(_digest(*metas), {})
    assert out[0].places == ["United States", "Japan"]
    assert out[2].places == ["U.K."]  # no story names the United Kingdom in full


def test_web_metadata_from_front_matter_is_checked() -> None:
    good = {"authors": ["Ann Lee", "Bo Chan"], "publisher": "Coast <b>Times</b>",
            "source_url": "https://coast.example/a", "language": "en-GB"}
    meta, problems = merge(_source(good), EXTRACTED)
    assert (meta.authors, meta.publisher, meta.source_url, meta.language) == (
        ["Ann Lee", "Bo Chan"], "Coast Times", "https://coast.example/a", "en-GB")
    assert problems == []
    bad = {"authors": {"name": "Ann"}, "publisher": 7, "source_url": "javascript:alert(1)",
           "language": "English (UK)"}
    meta, problems = merge(_source(bad), EXTRACTED)
    assert (meta.authors, meta.publisher, meta.source_url, meta.language) == ([], "", "", "")
    assert sorted(p.message.split("`")[1] for p in problems) == [
        "authors", "language", "publisher", "source_url"]


def test_initial_and_surname_join_the_one_full_name_they_end() -> None:
    out = canonicalise(_digest(Metadata(people=["Joseph R. Biden", "R. Biden"]),
                               Metadata(people=["Jill Biden", "R. Biden"])), {})
    assert [m.people for m in out] == [["Joseph R. Biden"], ["Jill Biden", "Joseph R. Biden"]]


def test_a_surname_taken_for_an_organisation_joins_the_person() -> None:
    # What extraction makes of "Biden said on Monday ..." without a full name in the text.
    out = canonicalise(_digest(
        Metadata(people=["Joe Biden"]),
        Metadata(organisations=["Biden", "Pentagon"], places=["Kyiv"]),
        texts=("Joe Biden spoke.", "Biden said on Monday the Pentagon would help Kyiv."),
    ), {})
    assert out[1].people == ["Joe Biden"]
    assert out[1].organisations == ["Pentagon"] and out[1].places == ["Kyiv"]


def test_a_dropped_surname_that_speaks_joins_the_person() -> None:
    # Extraction drops a lone "Merkel" it cannot tell is a person.
    out = canonicalise(_digest(
        Metadata(people=["Angela Merkel"]), Metadata(places=["Berlin"]),
        texts=("Angela Merkel arrived.", "Merkel told reporters in Berlin she would stay."),
    ), {})
    assert out[1].people == ["Angela Merkel"]


@pytest.mark.parametrize(
    ("person", "text"),
    [
        ("Denzel Washington", "Washington said on Monday it would send more aid."),  # a place
        ("Angela Merkel", "Hunter Merkel said on Monday he would stay."),  # another's full name
        ("Angela Merkel", "A book on the Merkel years came out."),  # not speaking
    ],
)
def test_a_surname_joins_only_when_it_speaks_alone_and_is_no_place(person: str,
                                                                   text: str) -> None:
    out = canonicalise(_digest(Metadata(people=[person]), Metadata(), texts=("", text)), {})
    assert out[1].people == []


def test_a_company_the_digest_knows_better_than_the_person_stays_a_company() -> None:
    apple = Metadata(organisations=["Apple"])
    out = canonicalise(_digest(Metadata(people=["Fiona Apple"]), apple, apple,
                               texts=("", "", "Apple said on Monday its phones would cost more.")),
                       {})
    assert (out[2].people, out[2].organisations) == ([], ["Apple"])


@pytest.mark.parametrize(
    "text",
    [
        "Reuters agreed to buy I P Sharp Associates Ltd. However, Sharp said it would stay.",
        "Sharp Associates Ltd was sold. Sharp said it would stay in Toronto.",
    ],
)
def test_a_surname_the_text_uses_in_another_name_stays_that_name(text: str) -> None:
    out = canonicalise(_digest(Metadata(people=["Eric Sharp"]),
                               Metadata(organisations=["Sharp"]), texts=("", text)), {})
    assert (out[1].people, out[1].organisations) == ([], ["Sharp"])


@pytest.mark.parametrize(
    "text",
    ["Angela Merkel arrived. Merkel told reporters she would stay.",
     "Chancellor Merkel arrived. Later, Merkel told reporters she would stay.",
     "She flew back to Berlin. Merkel told reporters she would stay."],
)
def test_the_persons_own_name_and_titles_do_not_stop_the_join(text: str) -> None:
    out = canonicalise(_digest(Metadata(people=["Angela Merkel"]), Metadata(),
                               texts=("", text)), {})
    assert out[1].people == ["Angela Merkel"]


def test_the_curators_names_stay_as_written_unless_aliased() -> None:
    aliases, _ = read_aliases({"Kyiv": ["Kiev"]}, Path("aliases.yml"))
    out = canonicalise(_digest(
        Metadata(people=["Joe Biden"], places=["Odesa"]),
        Metadata(people=["Biden"], places=["Kiev", "odesa"]),
        Metadata(people=["Biden"], places=["Kiev"]),
        texts=("", "Biden said on Monday.", "Biden said on Monday."),
        fronts=({}, {"people": ["Biden"], "places": ["Kiev", "odesa"]}, {}),
    ), aliases)
    assert out[1].people == ["Biden"]  # not joined to Joe Biden: the curator wrote it
    assert out[1].places == ["Kyiv", "odesa"]  # mapped by the aliases, else as written
    assert out[0].places == ["odesa"]  # an extracted spelling takes the curator's
    assert out[2].people == ["Joe Biden"] and out[2].places == ["Kyiv"]
