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


def test_a_company_is_known_by_the_name_before_its_bracket_and_by_its_first_words(make_doc):
    text = (
        "Yields rose, James Capel (Far East) Ltd said. James Capel expects fuel prices to fall. "
        "Fuji Photo Film Co Ltd will build a plant, and Fuji Photo plans to hire 200."
    )
    doc = make_doc(
        text,
        [("James Capel", "PER"), ("Ltd", "ORG"), ("James Capel", "PER"),
         ("Fuji Photo Film Co Ltd", "ORG"), ("Fuji Photo", "PER")],
    )
    found = entities(doc)
    assert found.people == []
    assert "Ltd" not in found.organisations
    assert any(name.startswith("James Capel") for name in found.organisations)
    assert "Fuji Photo Film Co Ltd" in found.organisations
    # A name that has its legal form before the bracket gives no second form to its end.
    teck_hock = make_doc("Banks may buy into Teck Hock and Co (Pte) Ltd.")
    assert entities(teck_hock).organisations == []


def test_a_town_followed_by_its_state_is_a_place_and_a_party_is_no_person(make_doc):
    text = (
        "Stratford Conn 785 unch, Camden N.J. 62 unch.\n"
        "The conservative Christian Democrats demanded a meeting."
    )
    doc = make_doc(text, [("Camden N.J.", "PER"), ("Christian Democrats", "PER")])
    found = entities(doc)
    assert found.people == []
    assert "Camden" in found.places
    assert found.organisations == ["Christian Democrats"]


def test_a_job_title_before_a_name_is_not_part_of_it(make_doc):
    text = "Chef Tim Ma opened a bar, and Detective Earl Feugill ordered them to freeze."
    doc = make_doc(text, [("Chef Tim Ma", "PER"), ("Detective Earl Feugill", "PER")])
    assert entities(doc).people == ["Tim Ma", "Earl Feugill"]


def test_a_firm_named_after_its_founder_leaves_the_founder_a_person(make_doc):
    text = (
        "Ivan F. Boesky and Co will close. Ivan F. Boesky agreed to pay the fine, and "
        "Boesky will leave the firm."
    )
    doc = make_doc(
        text,
        [("Ivan F. Boesky and Co", "ORG"), ("Ivan F. Boesky", "PER"), ("Boesky", "PER")],
    )
    found = entities(doc)
    assert found.people == ["Ivan F. Boesky"]
    assert found.organisations == ["Ivan F. Boesky and Co"]


def test_awards_and_addresses_are_no_people(make_doc):
    text = (
        "The show won a Tony Award. The shop at 151 N. Wacker Drive opens daily, "
        "and Attorney General Edwin Meese spoke."
    )
    doc = make_doc(
        text,
        [("Tony Award", "PER"), ("N. Wacker Drive", "PER"),
         ("Attorney General Edwin Meese", "PER")],
    )
    found = entities(doc)
    assert found.people == ["Edwin Meese"]
    assert "N. Wacker Drive" in found.places


def test_a_relation_or_role_before_a_lone_name_introduces_a_person(make_doc):
    text = (
        "Owens's widow Ruth will not attend, and world champion Haruchika raced on. "
        "Reagan's wife Nancy was angered."
    )
    doc = make_doc(
        text, [("Owens", "PER"), ("Ruth", "PER"), ("Haruchika", "PER"), ("Reagan", "PER"),
               ("Nancy", "PER")],
    )
    found = entities(doc)
    # Nancy is also a French city: a name introduced as a person's stays the person.
    assert {"Ruth", "Haruchika", "Nancy"} <= set(found.people)
    assert found.places == []


def test_a_word_that_is_also_an_adjective_or_an_award_does_not_introduce_a_person(make_doc):
    text = "Prices rose in the forward Brent market, and Paul Newman won the best actor Oscar."
    doc = make_doc(text, [("Brent", "PER"), ("Paul Newman", "PER"), ("Oscar", "PER")])
    assert entities(doc).people == ["Paul Newman"]
