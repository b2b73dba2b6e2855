from digest.extract.truecase import truecase


def test_capitals_lines_read_as_names_and_keep_offsets():
    text = "BASEBALL - DETROIT BEAT TORONTO\nDetroit won 5-4 at home."
    out = truecase(text)
    assert len(out) == len(text)
    assert out.split("\n")[0] == "Baseball - Detroit beat Toronto"
    assert out.split("\n")[1] == text.split("\n")[1]


def test_abbreviations_keep_their_capitals():
    assert truecase("U.S. NBA FINALS RESULT").startswith("U.S. NBA")


def test_title_case_headline_at_the_top_loses_capitals_on_ordinary_words():
    title = "Howard Stern Hits Tennis Star With A Blunt Request"
    text = title + ". The radio host spoke on Monday."
    out = truecase(text, title)
    assert out.startswith("Howard Stern hits tennis star with a blunt request.")
    assert out.endswith("The radio host spoke on Monday.")


def _lines(text: str, title: str | None = None) -> list[str]:
    out = truecase(text, title)
    assert len(out) == len(text)  # offsets into the original text stay valid
    return out.split("\n")


def test_standings_names_of_several_words_take_title_case_throughout():
    lines = _lines(
        "HOCKEY - STANDINGS\nW L PCT GB\nSAN ANTONIO 40 22 .645 -\n"
        "ST PAUL 35 28 .556 5 1/2\nGREEN BAY 30 33 .476 10 1/2"
    )
    assert [line.split(" 3")[0].split(" 4")[0] for line in lines[2:]] == [
        "San Antonio",
        "St Paul",
        "Green Bay",
    ]


def test_a_note_with_figures_in_brackets_stays_lower_case_in_a_results_row():
    assert _lines("PORTLAND 5 HALIFAX 4 (IN 12)")[0] == "Portland 5 Halifax 4 (in 12)"


def test_both_sides_of_a_fixture_are_names_even_when_english_words():
    lines = _lines("HOCKEY - SCHEDULE\nOTTAWA AT MONTREAL\nGREEN BAY AT ST PAUL")
    assert lines[1:] == ["Ottawa at Montreal", "Green Bay at St Paul"]


def test_leaderboard_names_keep_the_capitals_of_surnames():
    lines = _lines(
        "GOLF - LEADERS\nPETER GREEN 68 70 138\nSEAN O'NEILL (IRELAND) 69 70 139\n"
        "JIM MCGRATH 70 70 140\nMARCO DE VRIES (NETHERLANDS) 72 70 142"
    )
    assert [line.rsplit(" ", 3)[0] for line in lines[1:]] == [
        "Peter Green",
        "Sean O'Neill (Ireland)",
        "Jim McGrath",
        "Marco de Vries (Netherlands)",
    ]


def test_a_name_in_a_table_takes_the_casing_the_article_gives_it():
    lines = _lines("GOLF - LEADERS\nDESHAWN PIKE 71 70 141\nPike, or DeShawn, birdied the last.")
    assert lines[1] == "DeShawn Pike 71 70 141"


def test_a_headline_keeps_a_name_the_article_writes_even_if_made_of_english_words():
    text = "SOCCER - GREEN ROVERS SIGN STRIKER\nGreen Rovers signed a striker in green boots."
    lines = _lines(text + " He wore a green shirt.")
    assert lines[0] == "Soccer - Green Rovers sign striker"


def test_a_headline_capitalises_every_word_of_a_known_place():
    assert _lines("HOCKEY - SALT LAKE CITY WIN AGAIN")[0] == "Hockey - Salt Lake City win again"


def test_home_teams_in_capitals_in_a_results_line_are_no_spelling_to_copy():
    lines = _lines(
        "Results (home team in CAPS):\nPORTLAND 3 Halifax 1\nSTANDINGS\nPORTLAND 40 22 .645"
    )
    assert lines[3] == "Portland 40 22 .645"


def test_abbreviations_in_table_rows_keep_their_capitals():
    lines = _lines("SOCCER - RESULTS\nPSV 2 AJAX 1\nAC MILAN 3 FC PORTO 1")
    assert lines[1:] == ["PSV 2 Ajax 1", "AC Milan 3 FC Porto 1"]


def test_a_headline_with_a_score_is_not_read_as_a_table_row():
    assert _lines("HOCKEY - PORTLAND EDGE HALIFAX 3-2.")[0] == "Hockey - Portland edge Halifax 3-2."


def test_weekdays_and_months_are_capitalised():
    assert _lines("SATURDAY, AUGUST 30 SCHEDULE\nPORTLAND AT HALIFAX")[0].startswith(
        "Saturday, August 30"
    )


def test_a_headline_in_capitals_is_recased_word_by_word_not_as_title_case():
    title = "SOCCER - STRIKER VOLKOV BACK IN SQUAD"
    lines = _lines(title + "\nThe striker returns.", title)
    assert lines[0] == "Soccer - striker Volkov back in squad"


def test_capitals_for_the_home_team_or_the_dateline_city_in_a_mixed_line_are_recased():
    lines = _lines(
        "NORDVIK, Norway 1997-03-02\nResults (home team in CAPS):\n"
        "PORTLAND 5 Halifax 4 (in 12)\nPSV 2 Ajax Amsterdam 1\nNATO said 12 jets flew."
    )
    assert lines[0] == "Nordvik, Norway 1997-03-02"
    assert lines[2:] == [
        "Portland 5 Halifax 4 (in 12)",
        "PSV 2 Ajax Amsterdam 1",
        "NATO said 12 jets flew.",
    ]
