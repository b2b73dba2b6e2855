"""Organisations that news layout and wording give away, on sentences written for the test."""

from digest.extract.entities import entities


def test_a_city_in_brackets_after_players_of_a_squad_list_is_their_club(make_doc):
    text = (
        "Squad named on Monday:\n"
        "Forwards - Jan Kovar (Leeds), Tom Reid (Ajax), Olle Berg (Porto), "
        "Ian Moss (Celtic)."
    )
    ents = [("Jan Kovar", "PER"), ("Leeds", "LOC"), ("Tom Reid", "PER"), ("Ajax", "ORG"),
            ("Olle Berg", "PER"), ("Porto", "PER"), ("Ian Moss", "PER"), ("Celtic", "ORG")]
    found = entities(make_doc(text, ents), sport=True)
    assert found.organisations == ["Leeds", "Ajax", "Porto", "Celtic"]
    assert found.places == []


def test_countries_in_brackets_after_players_stay_places(make_doc):
    text = (
        "Results on Sunday:\n"
        "1. Ana Silva (Portugal), 2. Eva Lund (Bergland), 3. Mia Roth (Austria), "
        "4. Ida Falk (Leeds)"
    )
    ents = [("Ana Silva", "PER"), ("Portugal", "LOC"), ("Eva Lund", "PER"),
            ("Bergland", "LOC"), ("Mia Roth", "PER"), ("Austria", "LOC"), ("Ida Falk", "PER"),
            ("Leeds", "ORG")]
    found = entities(make_doc(text, ents), sport=True)
    assert "Bergland" in found.places
    assert "Bergland" not in found.organisations


def test_a_city_owning_a_player_in_a_sports_story_is_the_club(make_doc):
    text = "Derby's Gary Breen was picked ahead of Phil Babb on Sunday."
    ents = [("Derby", "LOC"), ("Gary Breen", "PER"), ("Phil Babb", "PER")]
    found = entities(make_doc(text, ents), sport=True)
    assert found.organisations == ["Derby"]
    assert found.people == ["Gary Breen", "Phil Babb"]


def test_a_publication_that_reports_is_an_organisation(make_doc):
    text = (
        "The minister will resign, the Corriere del Mattino reported on Friday. "
        "Americans said they were surprised, and the Dutch said nothing."
    )
    ents = [("Corriere del Mattino", "MISC"), ("Americans", "MISC"), ("Dutch", "MISC")]
    assert entities(make_doc(text, ents)).organisations == ["Corriere del Mattino"]


def test_a_press_digest_heads_each_papers_items_with_its_name(make_doc):
    # "Diario del sur": a paper's name in capitals that recasing made partly lower case.
    items = ("LA VOZ DEL SUR\n- Copper price rises again.\nEl Observador\n- Rains close roads.\n"
             "Diario del sur\n- Port strike ends.\n")
    digest = entities(make_doc(f"PRESS DIGEST - Chile - May 3.\nThe day's papers.\n{items}"))
    assert digest.organisations == ["LA VOZ DEL SUR", "El Observador", "Diario del Sur"]
    story = entities(make_doc(f"Chile counts the cost of the rain.\nWhat we know.\n{items}"))
    assert story.organisations == []


def test_a_ranking_pick_or_an_award_category_is_no_organisation(make_doc):
    text = (
        "Best Budget Espresso Machine: the Brava One from Kettle Co, sold at Best Buy. "
        "Ana Mendes won Best Cooking Channel Host at the Fennel Awards."
    )
    ents = [("Best Budget Espresso Machine", "ORG"), ("Brava One", "MISC"),
            ("Kettle Co", "ORG"), ("Best Buy", "ORG"), ("Ana Mendes", "PER"),
            ("Best Cooking Channel Host", "ORG"), ("Fennel Awards", "MISC")]
    assert entities(make_doc(text, ents)).organisations == ["Kettle Co", "Best Buy"]


def test_a_street_address_is_a_place_not_a_person(make_doc):
    text = "Doors open at 7 p.m. at 1212 N. Halsted St. and at 40 S. Marsh Ave, said Dan Roe."
    ents = [("N. Halsted St.", "PER"), ("S. Marsh Ave", "ORG"), ("Dan Roe", "PER")]
    found = entities(make_doc(text, ents))
    assert found.people == ["Dan Roe"]
    assert found.organisations == []
    assert found.places == ["N. Halsted St.", "S. Marsh Ave"]


def test_a_heading_with_its_subheading_and_a_list_items_label_are_no_names(make_doc):
    text = (
        "Ten ways to keep a small firm's data safe\n\n"
        "Firms lose data every day, says Kora Labs.\n\n"
        "Stronger Passwords For Every Account\n"
        "Careful Password Managers\n\n"
        "Use long passwords.\n\n"
        "- Data Protection: keep backups away from the office.\n"
        "- Kora Labs: the firm sells backups.\n"
    )
    ents = [("Kora Labs", "ORG"), ("Careful Password Managers", "ORG"),
            ("Data Protection", "ORG"), ("Kora Labs", "ORG")]
    assert entities(make_doc(text, ents)).organisations == ["Kora Labs"]


def test_a_title_case_headline_line_keeps_its_names(make_doc):
    text = "Royal Mail Delays Parcels Again\n\nParcels will come late, the firm said.\n"
    assert entities(make_doc(text, [("Royal Mail", "ORG")])).organisations == ["Royal Mail"]


def test_an_everyday_abbreviation_names_no_organisation(make_doc):
    text = "The new laptop has a fast CPU and two USB ports, IBM said, and its AI helps."
    ents = [("CPU", "ORG"), ("USB", "ORG"), ("IBM", "ORG"), ("AI", "ORG")]
    assert entities(make_doc(text, ents)).organisations == ["IBM"]
