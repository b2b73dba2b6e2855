from digest.extract.dates import find_date


def test_wire_dateline_under_the_headline():
    text = "SOCCER - LATE GOAL\nLONDON 1996-08-30\nArsenal beat Chelsea 1-0 on Friday."
    assert find_date(text, "SOCCER - LATE GOAL") == ("1996-08-30", "dateline")


def test_publication_date_on_the_first_line():
    text = "January 09, 2008\nApple will lower its prices, it said on April 28, 2003."
    assert find_date(text) == ("2008-01-09", "dateline")


def test_published_cue_in_the_text():
    text = "Prices rose again.\n\nThis story was published on 3 March 2021 by our desk."
    assert find_date(text) == ("2021-03-03", "text")


def test_relative_days_are_never_resolved():
    text = "Biden writes in the New York Times, published Tuesday by the newspaper."
    assert find_date(text) == (None, None)


def test_an_event_date_in_the_story_is_not_the_articles_date():
    text = "The store opened on April 28, 2003 and has sold 3 billion songs since."
    assert find_date(text) == (None, None)


def test_impossible_dates_are_rejected():
    assert find_date("LONDON 1996-02-30\nText.") == (None, None)
