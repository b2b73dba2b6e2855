"""What the words around a name say it is: a work, a product, a seller, a side, a law.

The entity labels are given (as a model might read them), so each test shows what the
facts of news writing add to the model's reading.
"""

from __future__ import annotations

from digest.extract.entities import entities


def test_a_name_set_in_quotes_is_a_work_or_a_product_not_a_person(make_doc):
    text = (
        'Hewitt recalled that Hitler wrote in "Mein Kampf" that blood was poisoned. '
        'Fans of the show "Seinfeld," know the episode. '
        '"Tony Roche will decide," Newcombe said.'
    )
    doc = make_doc(
        text,
        [
            ("Hewitt", "PER"),
            ("Hitler", "PER"),
            ("Mein Kampf", "PER"),
            ("Seinfeld", "PER"),
            ("Tony Roche", "PER"),
            ("Newcombe", "PER"),
        ],
    )
    people = entities(doc).people
    assert "Mein Kampf" not in people
    assert "Seinfeld" not in people
    assert "Tony Roche" in people  # a quotation that opens with a name still names him


def test_a_word_that_opens_a_sentence_is_not_part_of_the_name_after_it(make_doc):
    text = (
        "As Google updates its rules, publishers worry. "
        "When Netflix raised prices, viewers left. Google and Netflix declined to comment."
    )
    doc = make_doc(
        text,
        [("As Google", "ORG"), ("When Netflix", "ORG"), ("Google", "ORG"), ("Netflix", "ORG")],
    )
    assert entities(doc).organisations == ["Google", "Netflix"]


def test_a_name_things_are_bought_from_is_a_seller_not_a_place(make_doc):
    text = (
        "Espro P7 French Press at Amazon\n$145\n"
        "The cheaper one is available at Target. Both were made in Portugal, "
        "and prices in Lisbon are higher."
    )
    doc = make_doc(
        text,
        [("Amazon", "LOC"), ("Target", "LOC"), ("Portugal", "LOC"), ("Lisbon", "LOC")],
    )
    found = entities(doc)
    assert {"Amazon", "Target"} <= set(found.organisations)
    assert found.places == ["Portugal", "Lisbon"]


def test_a_price_next_to_a_name_makes_it_a_product(make_doc):
    text = (
        "Smartwool's Merino Anorak ($130) uses a PFC-free coating, and the Merino Anorak "
        "packs small. Tiger Woods won $1.2 million on Sunday."
    )
    doc = make_doc(
        text,
        [("Smartwool", "ORG"), ("Merino Anorak", "PER"), ("Merino Anorak", "PER"),
         ("Tiger Woods", "PER")],
    )
    assert entities(doc).people == ["Tiger Woods"]


def test_capitals_in_brackets_after_a_person_are_a_side_not_a_share_listing(make_doc):
    text = (
        "Scorers: Anton Drobnjak (Bastia), Patrice Loko (PSG), Robert Pires (Metz).\n"
        "Susan Collins (R) voted against the bill.\n"
        "Shares of Diamond Shamrock <DIA> rose, and the Centraal Planbureau (CPB) cut "
        "its forecast."
    )
    doc = make_doc(
        text,
        [
            ("Anton Drobnjak", "PER"),
            ("Bastia", "ORG"),
            ("Patrice Loko", "PER"),
            ("PSG", "ORG"),
            ("Robert Pires", "PER"),
            ("Metz", "ORG"),
            ("Susan Collins", "PER"),
            ("Diamond Shamrock", "PER"),
            ("Centraal Planbureau", "PER"),
        ],
    )
    found = entities(doc)
    assert {"Patrice Loko", "Susan Collins"} <= set(found.people)
    assert "Patrice Loko" not in found.organisations
    # A ticker in angle brackets, or letters read off the name, still make a company.
    assert {"Diamond Shamrock", "Centraal Planbureau"} <= set(found.organisations)
    assert "Diamond Shamrock" not in found.people


def test_the_bantu_particle_wa_stays_inside_a_name(make_doc):
    text = "Prime Minister Kengo wa Dondo said on Thursday that the refugees would go home."
    doc = make_doc(text, [("Kengo wa Dondo", "PER")])
    assert entities(doc).people == ["Kengo wa Dondo"]


def test_laws_and_plans_are_no_people_or_organisations(make_doc):
    text = (
        "The Glass-Steagall Act kept banks apart. The Cruzado Plan froze prices, "
        "and the Baker Plan was discussed by Wyle Laboratories."
    )
    doc = make_doc(
        text,
        [("Glass-Steagall Act", "PER"), ("Cruzado Plan", "PER"), ("Baker Plan", "ORG"),
         ("Wyle Laboratories", "PER")],
    )
    found = entities(doc)
    assert found.people == []
    assert found.organisations == ["Wyle Laboratories"]


def test_a_word_with_a_capital_inside_is_a_brand_not_a_place(make_doc):
    text = (
        "OpenAI opened an office, and the site runs on SvelteKit. "
        "The concert is at RiverEdge Park, a short drive from McAlvey."
    )
    doc = make_doc(
        text,
        [("OpenAI", "LOC"), ("SvelteKit", "LOC"), ("RiverEdge Park", "LOC"), ("McAlvey", "LOC")],
    )
    assert entities(doc).places == ["RiverEdge Park", "McAlvey"]
