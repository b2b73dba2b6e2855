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


def test_day_and_month_names_are_not_part_of_key_phrases(make_doc):
    text = (
        "The council published Tuesday a plan for sea walls. "
        "The sea walls, promised since March, will cost more. "
        "Work on the sea walls starts in May."
    )
    found = keywords(make_doc(text, []), names=[], acronyms=[])
    assert "sea walls" in found
    lowered = " ".join(found).casefold()
    assert not {"tuesday", "march", "may"} & set(lowered.split())
