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
