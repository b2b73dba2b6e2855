"""The learned half of topic extraction: what it adds to the lexicon, its calibrated
probabilities, and the pinned files it runs from.  Stories here were written for this
file without looking at any dev set."""

import socket
from collections import Counter

import pytest

from digest.extract import embed, topics
from digest.extract.topics import (
    SECONDARY_PROBABILITY,
    head,
    lexicon_scores,
    probabilities,
)


def _lexicon_primary(title: str, text: str) -> str | None:
    found = lexicon_scores(text, title, text)
    return found.most_common(1)[0][0] if found else None


# Short items that name their subject only by what it is like, not by the words the
# lexicon lists: a reader files them at once, the lexicon alone does not.
SHORT_ITEMS = [
    (
        "The linen shirts worth buying this summer",
        "Light, breathable and easy to wear with shorts or chinos, these are the shirts "
        "our editors reached for again and again, from budget picks to splurges.",
        "medtop:10000000",
    ),
    (
        "Dog walks 200 miles home after getting lost",
        "A family's pet dog that went missing on holiday turned up on their doorstep three "
        "weeks later, having walked about 200 miles, thin but wagging its tail, to the "
        "delight of the children who had put up posters.",
        "medtop:08000000",
    ),
]


@pytest.mark.parametrize(("title", "text", "code"), SHORT_ITEMS, ids=["lifestyle", "human"])
def test_the_classifier_files_a_story_the_lexicon_alone_misfiles(title, text, code):
    assert _lexicon_primary(title, text) != code
    assert topics.topics(text, title, text)[0] == code


def test_a_topic_without_training_items_is_still_found_by_its_cues():
    # Weather has no training item: the classifier must not veto what the lexicon sees.
    assert "medtop:17000000" not in topics.classifier().codes
    title = "Storm to bring gales and heavy snow"
    text = ("Forecasters warned of gusts of 80mph and up to 20cm of snow on high ground "
            "overnight, with icy roads and more rain expected on Sunday.")
    assert topics.topics(text, title, text)[0] == "medtop:17000000"


def test_probabilities_are_a_distribution_and_name_the_secondary_topics():
    title = "Ceasefire talks stall as parliament votes on sanctions"
    text = ("Artillery fire continued along the front line while lawmakers in the capital "
            "voted to widen sanctions, and the prime minister said negotiations with the "
            "rebels had stalled.")
    p = probabilities(lexicon_scores(text, title, text), embed.embed([head(text, title)])[0])
    assert sum(p.values()) == pytest.approx(1.0)
    found = topics.topics(text, title, text)
    assert found[0] == max(p, key=p.get)
    assert {c for c in p if p[c] >= SECONDARY_PROBABILITY} <= set(found)
    assert set(found) == {"medtop:16000000", "medtop:11000000"}  # war and politics, as a reader


def test_a_plain_one_topic_story_names_one_topic():
    title = "Striker's hat-trick sends United top"
    text = ("United beat City 3-1 on Saturday with three goals from their striker, moving "
            "two points clear at the top of the league table.")
    assert topics.topics(text, title, text) == ["medtop:15000000"]


def test_the_shipped_classifier_is_the_pinned_one(monkeypatch):
    topics.classifier.cache_clear()
    monkeypatch.setattr(topics, "CLASSIFIER_SHA256", "0" * 64)
    with pytest.raises(RuntimeError, match="not the pinned topic classifier"):
        topics.classifier()
    topics.classifier.cache_clear()


def test_a_changed_embedding_file_is_refused(tmp_path):
    changed = tmp_path / "tokenizer.json"
    changed.write_text("{}", encoding="utf-8")
    with pytest.raises(RuntimeError, match="not the pinned embedding model"):
        embed._checked(changed, embed.TOKENIZER_SHA256)


def test_models_load_and_run_without_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network use in a test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    for cached in (embed._tokenizer, embed._session, topics.classifier):
        cached.cache_clear()
    vectors = embed.embed(["Council approves new bus lanes", ""])
    assert vectors.shape == (2, embed.DIMENSIONS)
    assert topics.probabilities(Counter(), vectors[0])
