import math
import shutil
from importlib import resources

import pytest

from digest import taxonomy
from digest.extract import topics as topics_module
from digest.extract import word_vectors
from digest.extract.topics import MAX_TOPICS, probabilities, topics

TOP_LEVEL = {t.code for t in taxonomy.top_level()}


def test_sport_story():
    text = "The striker scored twice as the club won the league match against their rivals."
    assert topics(text, "Late goals seal the title", text)[0] == "medtop:15000000"


def test_business_story():
    text = "Shares fell after the company reported lower quarterly profits and revenue."
    assert topics(text, None, text)[0] == "medtop:04000000"


def test_war_story():
    text = "Troops shelled the front line as the army launched an offensive with artillery."
    assert topics(text, None, text)[0] == "medtop:16000000"


def test_topics_are_at_most_three_top_level_codes():
    for text in ("The election campaign and the economy.", "Floods hit the farm harvest."):
        found = topics(text, None, text)
        assert 1 <= len(found) <= MAX_TOPICS
        assert set(found) <= TOP_LEVEL
        assert len(set(found)) == len(found)


def test_text_with_no_words_has_no_clear_topic():
    assert topics("", None, "") == []
    assert topics("12 34 56 -- ...", None, "") == []


def test_probabilities_cover_the_17_topics_and_sum_to_one():
    p = probabilities("The central bank raised interest rates.", None, "")
    assert set(p) == TOP_LEVEL
    assert math.isclose(sum(p.values()), 1.0, rel_tol=1e-5)


def test_further_topics_are_those_likely_on_their_own():
    text = (
        "The football club's owner was arrested on fraud charges and appeared in court, "
        "accused of stealing millions from the club before the season's final match."
    )
    title = "Club owner charged with fraud"
    p = probabilities(text, title, text)
    found = topics(text, title, text)
    assert found[0] == max(p, key=p.get)
    assert all(p[code] >= topics_module._SECONDARY for code in found[1:])
    assert all(p[code] < topics_module._SECONDARY for code in p if code not in found)
    one = "The striker scored a hat-trick as the club won the league match 4-0."
    assert topics(one, "Hat-trick wins it", one) == ["medtop:15000000"]


def test_words_never_seen_in_training_still_count_through_their_vectors():
    # No lexicon cue here: only the word vectors know these words are about football.
    text = "Messi and Ronaldo dazzled at the Bernabeu."
    assert topics_module.lexicon_scores(text, None, text)["medtop:15000000"] == 0
    assert topics(text, None, text)[:1] == ["medtop:15000000"]


def test_a_damaged_model_file_is_refused_with_a_clear_error(tmp_path, monkeypatch):
    folder = tmp_path / "digest"
    shutil.copytree(resources.files("digest").joinpath("data"), folder / "data")
    damaged = folder / word_vectors.MODEL_DIR / topics_module.CLASSIFIER_FILE
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    monkeypatch.setattr(word_vectors.resources, "files", lambda _package: folder)
    with pytest.raises(word_vectors.ModelFileError, match="does not match its pinned sha256"):
        word_vectors.read_model_file(topics_module.CLASSIFIER_FILE)
