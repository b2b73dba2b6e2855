from digest.extract.gazetteer import place_code


def test_a_place_code_is_known_in_capitals_only():
    # "in", "or", "me" and "us" are English words; "IN", "OR", "ME" and "US" are places.
    assert [place_code(w) for w in ("IN", "OR", "ME", "US")] == [
        "Indiana", "Oregon", "Maine", "United States"]
    assert [place_code(w) for w in ("in", "or", "me", "us", "Us")] == [None] * 5
