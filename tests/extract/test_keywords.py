from digest.extract.keywords import MAX_KEYWORDS, keywords


def test_keywords_are_phrases_not_names_or_stop_words(make_doc):
    text = (
        "Joe Biden will send multiple rocket launchers to Ukraine. "
        "The multiple rocket launchers are part of new military assistance. "
        "Military assistance to Ukraine keeps growing."
    )
    doc = make_doc(text, [("Joe Biden", "PERSON"), ("Ukraine", "GPE")])
    found = keywords(doc, names=["Joe Biden", "Ukraine"], acronyms=["HIMARS"])
    assert found[0] == "HIMARS"
    assert "multiple rocket launchers" in found
    assert "military assistance" in found
    assert len(found) <= MAX_KEYWORDS
    lowered = " ".join(found).casefold()
    assert "biden" not in lowered and "ukraine" not in lowered
    assert not {"the", "to", "of"} & set(lowered.split())
