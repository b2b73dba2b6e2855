from digest.extract.entities import clean_name, entities
from digest.extract.truecase import truecase


def test_aliases_collapse_into_the_longest_form(make_doc):
    text = "President Biden spoke. Joe Biden said the US would help. The United States agreed."
    doc = make_doc(
        text,
        [
            ("President Biden", "PERSON"),
            ("Joe Biden", "PERSON"),
            ("US", "GPE"),
            ("The United States", "GPE"),
        ],
    )
    found = entities(doc)
    assert found.people == ["Joe Biden"]
    assert found.places == ["United States"]


def test_nationalities_are_not_places(make_doc):
    text = "The Ukrainians asked for help. Americans agreed in Washington."
    doc = make_doc(text, [("Ukrainians", "GPE"), ("Americans", "NORP"), ("Washington", "GPE")])
    assert entities(doc).places == ["Washington"]


def test_spelling_variants_of_a_place_are_one_place(make_doc):
    text = "Troops left Kiev. Talks in Kyiv went on, and peace will pass for kyiv too."
    doc = make_doc(text, [("Kiev", "GPE"), ("Kyiv", "GPE")])
    assert entities(doc).places == ["Kyiv"]


def test_spelled_out_acronym_is_a_thing_not_a_person(make_doc):
    text = "It was Himars (High Mobility Artillery Rocket System), said Joe Biden."
    doc = make_doc(text, [("Himars", "PERSON"), ("Joe Biden", "PERSON")])
    found = entities(doc)
    assert found.people == ["Joe Biden"]
    assert found.acronyms == ["HIMARS"]


def test_region_after_a_place_noun_is_a_place(make_doc):
    text = "Forces want the mining basin of Donbass, which Moscow backs."
    doc = make_doc(text, [("Donbass", "PERSON"), ("Moscow", "GPE")])
    found = entities(doc)
    assert found.people == []
    assert found.places == ["Donbass", "Moscow"]


def test_role_words_are_not_organisations(make_doc):
    text = "Former US Secretary of State Henry Kissinger spoke."
    doc = make_doc(text, [("US", "GPE"), ("State", "ORG"), ("Henry Kissinger", "PERSON")])
    found = entities(doc)
    assert found.organisations == []
    assert found.people == ["Henry Kissinger"]


def test_dateline_place(make_doc):
    text = "CRICKET - RESULTS\nLONDON 1996-08-30\nGlamorgan 259 all out."
    found = entities(make_doc(truecase(text)), sport=True)
    assert "London" in found.places


def test_a_dateline_s_date_is_a_month_and_day_not_any_word_and_number(make_doc):
    # "Under Article 5" at the top of a story reads like "LONDON, March 3": only the month
    # makes the city of a dateline.
    opening = "Under Article 5 of the treaty, the allies must defend each other, Rutte said."
    assert entities(make_doc(opening)).places == []
    dated = "ROTTERDAM, Sept. 14 - The port handled more containers in August, it said."
    assert "rotterdam" in [p.casefold() for p in entities(make_doc(dated)).places]


def test_clean_name_strips_titles_possessives_and_the():
    assert clean_name("President Biden's") == "Biden"
    assert clean_name("the New York Times") == "New York Times"
    assert clean_name("kyiv") == "Kyiv"


def test_a_home_city_is_a_place_when_written_without_its_accent(make_doc):
    text = "HOCKEY - STANDINGS\nMONTREAL 71 61 .538 12\nOTTAWA 60 70 .460 20\nOTTAWA AT MONTREAL\n"
    found = entities(make_doc(truecase(text)), sport=True)
    assert found.places == ["Montreal"]


def test_a_results_table_column_holds_one_kind_of_name(make_doc):
    # The model reads one athlete of a results table as an organisation; the rest of the
    # column says the row names a person.
    text = (
        "Leading results on Friday:\n"
        "1. Michelle Freeman (Jamaica) 12.71\n"
        "2. Ludmila Engquist (Sweden) 12.74\n"
        "3. Tanja Damaske (Germany) 12.92\n"
    )
    rows = [("Michelle Freeman", "PER"), ("Jamaica", "LOC"), ("Ludmila Engquist", "PER")]
    rows += [("Sweden", "LOC"), ("Tanja Damaske", "ORG"), ("Germany", "LOC")]
    found = entities(make_doc(text, rows), sport=True)
    assert "Tanja Damaske" in found.people
    assert found.organisations == []


def test_a_sentence_with_figures_is_not_a_table_row(make_doc):
    text = (
        "Wexford said on Friday it earned 12 mln dlrs.\n"
        "Peter Holt said it would pay 3 dlrs a share.\n"
        "Ann Lee said it sold 4 plants to them.\n"
        "Zed Zorro said it had 5 more to sell.\n"
    )
    ents = [("Wexford", "ORG"), ("Peter Holt", "PER"), ("Ann Lee", "PER"), ("Zed Zorro", "PER")]
    found = entities(make_doc(text, ents))
    assert "Wexford" in found.organisations


def test_an_institution_keeps_the_article_inside_its_name(make_doc):
    text = "A study in the Journal of the Royal College of Physicians was published on Friday."
    doc = make_doc(text, [("Journal of the Royal College of Physicians", "ORG")])
    assert entities(doc).organisations == ["Journal of the Royal College of Physicians"]


def test_a_company_keeps_a_first_word_that_is_also_a_title(make_doc):
    text = "General Motors Corp said it would cut output, and General Electric Co agreed."
    doc = make_doc(text, [("General Motors Corp", "ORG"), ("General Electric Co", "ORG")])
    assert entities(doc).organisations == ["General Motors Corp", "General Electric Co"]


def test_a_company_named_once_with_its_legal_form_is_a_company_after(make_doc):
    # The model reads the short name as a person; the full name says it is the company.
    text = "Growmark, Inc. pulled out on Friday. Growmark said costs rose. Growmark will sell."
    ents = [("Growmark, Inc.", "ORG"), ("Growmark", "PER"), ("Growmark", "PER")]
    found = entities(make_doc(text, ents))
    assert found.people == []
    assert found.organisations == ["Growmark, Inc."]


def test_a_company_shortened_to_its_last_word_is_still_the_company(make_doc):
    text = "E.F. Hutton Group Inc agreed. We hear Hutton may gain, as Hutton grows and Hutton buys."
    ents = [("E.F. Hutton Group Inc", "ORG"), ("Hutton", "PER"), ("Hutton", "PER")]
    ents.append(("Hutton", "PER"))
    found = entities(make_doc(text, ents))
    assert found.people == []
    assert found.organisations[0] == "E.F. Hutton Group Inc"


def test_an_abbreviation_in_capitals_is_not_the_word_it_spells(make_doc):
    # "usda" and "nato" are in the model's word lists; written in capitals they name bodies.
    text = "USDA said on Friday that prices rose.\nNATO agreed."
    doc = make_doc(text, [("USDA", "ORG"), ("NATO", "ORG")])
    assert entities(doc).organisations == ["USDA", "NATO"]


def test_a_country_is_a_place_even_when_the_model_calls_it_something_else(make_doc):
    text = "Troops left the former Soviet republics of Georgia and Tajikistan."
    doc = make_doc(text, [("Soviet", "MISC"), ("Georgia", "LOC"), ("Tajikistan", "MISC")])
    assert entities(doc).places == ["Georgia", "Tajikistan"]


def test_a_company_shortened_to_its_first_word_is_not_a_person(make_doc):
    text = "Kappa Networks Inc agreed. We hear Kappa may gain, as Kappa grows and Kappa buys."
    ents = [("Kappa Networks Inc", "ORG"), ("Kappa", "PER"), ("Kappa", "PER"), ("Kappa", "PER")]
    found = entities(make_doc(text, ents))
    assert found.people == []
    assert "Kappa" in found.organisations


def test_a_parent_company_is_not_folded_into_its_subsidiary(make_doc):
    text = "Chrysler Corp said its unit Chrysler Credit Canada Ltd would sell notes."
    ents = [("Chrysler Corp", "ORG"), ("Chrysler Credit Canada Ltd", "ORG")]
    found = entities(make_doc(text, ents))
    assert found.organisations == ["Chrysler Corp", "Chrysler Credit Canada Ltd"]


def test_a_bowler_in_a_scorecard_is_a_person(make_doc):
    # A name followed by a figure reads as a team in a results line; bowling figures
    # (overs-maidens-runs-wickets) say it is the bowler.
    text = "CRICKET - SCOREBOARD\nColombo 1996-08-30\nBowling: Vass 7-0-29-0, Dharmasena 9-0-49-1"
    doc = make_doc(text, [("Vass", "PER"), ("Dharmasena", "PER")])
    assert entities(doc, sport=True).people == ["Vass", "Dharmasena"]


def test_a_city_a_sports_report_plays_against_is_the_club(make_doc):
    text = "PSV won again on Sunday. Ajax lost at home against Volendam."
    ents = [("PSV", "ORG"), ("Ajax", "ORG"), ("Volendam", "LOC")]
    found = entities(make_doc(text, ents), sport=True)
    assert "Volendam" in found.organisations


def test_a_name_cut_by_a_line_break_is_one_person(make_doc):
    text = "Leading scorers: 3 - Anton Drobnjak (Bastia), Miladin\nBecanovic (Lille), Thierry Henry"
    ents = [("Anton Drobnjak", "PER"), ("Bastia", "ORG"), ("Miladin", "PER")]
    ents += [("Becanovic", "PER"), ("Lille", "ORG"), ("Thierry Henry", "PER")]
    found = entities(make_doc(text, ents), sport=True)
    assert found.people == ["Anton Drobnjak", "Miladin Becanovic", "Thierry Henry"]


def test_a_long_word_in_capitals_is_not_an_abbreviation(make_doc):
    text = "Prices on Friday:\nUNCHANGED at 12 dlrs, traders said."
    assert entities(make_doc(text, [("UNCHANGED", "ORG")])).organisations == []


def test_a_title_case_heading_is_not_a_name(make_doc):
    text = (
        "Used cars are dearer than ever\n\n"
        "Prices rose again, said Ann Cole, who sells cars in Leeds.\n\n"
        "Strategic Insights\n\n"
        "Dealers expect more sales.\n\n"
        "Battery Health and Smart Shopping\n\n"
        "Check the battery first.\n\n"
        "Pros and Cons of Leasing\n\n"
        "Leasing costs less at first."
    )
    doc = make_doc(text, [("Ann Cole", "PER"), ("Leeds", "LOC"), ("Strategic Insights", "PER"),
                          ("Smart Shopping", "ORG"), ("Cons of Leasing", "ORG")])
    found = entities(doc)
    assert found.people == ["Ann Cole"]
    assert found.organisations == []


def test_a_name_of_common_words_counts_where_the_prose_uses_it(make_doc):
    text = (
        "Grace Hope Wins The County Final\n\n"
        "The race was close.\n\n"
        "Rose Hill Speaks\n\n"
        "Rose Hill, the coach, was pleased."
    )
    doc = make_doc(text, [("Grace Hope", "PER"), ("Rose Hill", "PER"), ("Rose Hill", "PER")])
    # The headline is where a story names its people; the second heading's name is also
    # the prose's.
    assert entities(doc).people == ["Grace Hope", "Rose Hill"]


def test_given_names_alone_are_the_person_not_a_place(make_doc):
    text = "Keely Shaye Smith won the award. Keely Shaye thanked her family in Dublin."
    doc = make_doc(text, [("Keely Shaye Smith", "PER"), ("Keely Shaye", "LOC"), ("Dublin", "LOC")])
    found = entities(doc)
    assert found.people == ["Keely Shaye Smith"]
    assert found.places == ["Dublin"]


def test_a_company_stays_a_company_when_a_product_of_its_name_is_taken_for_a_person(make_doc):
    text = "Shares in Celestron rose on Monday as Celestron Astro sales grew."
    doc = make_doc(text, [("Celestron", "ORG"), ("Celestron Astro", "PER")])
    assert entities(doc).organisations == ["Celestron"]


def test_a_legal_form_is_no_surname(make_doc):
    text = ("Barry Yates, director of Hoare Govett Asia Ltd, said shares rose. "
            "Cheung Kong (Holdings) Ltd announced an issue.")
    doc = make_doc(text, [("Barry Yates", "PER"), ("Hoare Govett Asia Ltd", "PER"), ("Ltd", "PER")])
    assert entities(doc).people == ["Barry Yates"]


def test_the_short_name_of_a_company_the_model_took_for_a_person_is_the_company(make_doc):
    text = ("General Electric Co said it will redeem the notes. "
            "General Electric is the successor, said Ann Cole.")
    doc = make_doc(text, [("Electric Co", "PER"), ("Electric", "PER"), ("Ann Cole", "PER")])
    assert entities(doc).people == ["Ann Cole"]


def test_an_abbreviation_is_a_place_only_when_news_abbreviates_that_place(make_doc):
    text = "The role of AI in VR grows in Austin, TX, as NYC and N.H. firms and the U.S spend."
    doc = make_doc(
        text,
        [("AI", "GPE"), ("VR", "GPE"), ("Austin", "GPE"), ("TX", "GPE"), ("NYC", "GPE"),
         ("N.H.", "GPE"), ("U.S", "GPE")],
    )
    assert entities(doc).places == ["Austin", "TX", "NYC", "N.H.", "U.S"]


def test_an_abbreviation_used_as_a_common_noun_names_no_organisation(make_doc):
    text = (
        "Firms use search engine optimization (SEO), a digital-to-analog converter (DAC) and "
        "a GFCI (ground fault circuit interrupter), says the Federal Bureau of Investigation "
        "(FBI). SEO pays, the FBI says, and an API helps: APIs link apps."
    )
    doc = make_doc(
        text,
        [("SEO", "ORG"), ("DAC", "ORG"), ("GFCI", "ORG"), ("FBI", "ORG"), ("SEO", "ORG"),
         ("FBI", "ORG"), ("API", "ORG")],
    )
    assert entities(doc).organisations == ["FBI"]
