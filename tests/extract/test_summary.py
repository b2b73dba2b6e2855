from digest.extract.clean import clean_text
from digest.extract.nlp import truncate
from digest.extract.summary import lede_sentences, lede_start, shorten, summary


def test_summary_skips_headline_and_dateline(blank):
    text = "RAIN STOPS PLAY\nLONDON 1996-08-30\nRain stopped play at Lord's. Both sides left."
    doc = blank(text)
    lede = lede_sentences(doc, lede_start(text, "RAIN STOPS PLAY"))
    assert summary([s.text for s in lede]) == "Rain stopped play at Lord's. Both sides left."


def test_summary_drops_a_stray_period(blank):
    text = clean_text("Biden writes in the Times, published Tuesday by the newspaper. .\n\nMore.")
    doc = blank(text)
    assert summary([s.text for s in lede_sentences(doc, 0)]) == (
        "Biden writes in the Times, published Tuesday by the newspaper. More."
    )


def test_long_lede_is_cut_at_a_word_boundary(blank):
    text = "word " * 200
    doc = blank(text.strip() + ".")
    out = summary([s.text for s in lede_sentences(doc, 0)])
    assert len(out) <= 300
    assert out.endswith("…")
    assert out[:-1].split()[-1] == "word"


def test_shorten_leaves_short_text_alone():
    assert shorten("Short.", 80) == "Short."


def test_truncate_cuts_at_a_paragraph_break():
    text = ("A sentence here. " * 40 + "\n\n") * 100
    out = truncate(text, 2000)
    assert len(out) <= 2000
    assert out.endswith("A sentence here. ")


def test_summary_leaves_out_the_wire_dateline(blank):
    text = "Seoul (Reuters) - South Korea's president met Taiwan's leader on Monday. They spoke."
    out = summary([s.text for s in lede_sentences(blank(text), 0)])
    assert out == "South Korea's president met Taiwan's leader on Monday. They spoke."


def test_a_paragraph_without_a_full_stop_is_a_sentence_of_its_own(blank):
    # A standfirst often has no closing stop; the next paragraph is another sentence.
    text = "A big screen and a winning look\n\nIn every respect, the phone raises the bar."
    out = summary([s.text for s in lede_sentences(blank(text), 0)])
    assert out == "A big screen and a winning look"
