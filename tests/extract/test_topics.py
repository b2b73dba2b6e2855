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


def test_football_match_report_is_sport():
    text = (
        "United came from behind to win 2-1 at the stadium on Saturday. The midfielder "
        "equalised before half-time and a late penalty sealed the victory in the title race."
    )
    assert topics(text, "United fight back to beat City", text)[0] == "medtop:15000000"


def test_court_sentencing_is_crime():
    text = (
        "A man who stabbed his neighbour was sentenced to 12 years in prison on Friday. "
        "The jury found him guilty of attempted murder after a week-long trial."
    )
    assert topics(text, "Man jailed for neighbour stabbing", text)[0] == "medtop:02000000"


def test_earnings_report_is_economy():
    text = (
        "The retailer said quarterly profits rose 8% to $1.2bn as sales grew, and its shares "
        "climbed after it raised its forecast for the year. Investors welcomed the dividend."
    )
    assert topics(text, "Retailer lifts forecast as profits rise", text)[0] == "medtop:04000000"


def test_software_story_is_technology():
    text = (
        "The company released a software update to fix a security flaw that let hackers "
        "take over users' smartphones through a malicious text message."
    )
    assert topics(text, "Phone flaw patched", text)[0] == "medtop:13000000"


def test_recipe_is_lifestyle():
    text = "This easy weeknight recipe for roast chicken with garlic and lemon takes 40 minutes."
    assert topics(text, "The only roast chicken recipe you need", text)[0] == "medtop:10000000"


def test_union_strike_is_labour():
    text = (
        "Nurses and rail workers began a walkout after their trade union rejected the "
        "latest pay offer, with picket lines outside stations and hospitals."
    )
    assert topics(text, "Strike action spreads", text)[0] == "medtop:09000000"


def test_election_story_is_politics():
    text = (
        "The prime minister called a general election as opposition parties led in the "
        "opinion polls and backbenchers demanded a change of leadership."
    )
    assert topics(text, "Snap election called", text)[0] == "medtop:11000000"


def test_film_premiere_is_arts():
    text = (
        "The actress walked the red carpet at the premiere of her new film, a biopic of the singer."
    )
    assert topics(text, "Stars turn out for premiere", text)[0] == "medtop:01000000"


def test_doping_ban_is_sport_not_crime():
    text = (
        "The sprinter was banned for two years after failing a drug test, the world "
        "anti-doping agency said, ruling him out of the Olympics."
    )
    assert topics(text, "Sprinter banned after failed test", text)[0] == "medtop:15000000"
