from digest import taxonomy
from digest.extract.topics import FALLBACK, MAX_TOPICS, topics

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


def test_every_article_gets_top_level_topics():
    for text in ("", "Lorem ipsum dolor sit amet.", "The election campaign and the economy."):
        found = topics(text, None, text)
        assert 1 <= len(found) <= MAX_TOPICS
        assert set(found) <= TOP_LEVEL
    assert topics("", None, "") == [FALLBACK]
