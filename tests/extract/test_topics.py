import pytest

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


# Regression cases, not a measure: each story was committed together with the
# lexicon cue that makes it pass ("dung" for human interest; "manure" files the
# same story under politics). They keep fixed mistakes fixed. How well topics
# are found is measured on stories written without looking at the lexicon:
# benchmarks/unseen/ (see the README's "Measuring").
LEXICON_REGRESSION_CASES = [
    pytest.param(
        "United fight back to beat City",
        (
            'United came from behind to win 2-1 at the stadium on Saturday. The midfielder '
            'equalised before half-time and a late penalty sealed the victory in the title '
            'race.'
        ),
        "medtop:15000000",
        id="football_match_report_is_sport",
    ),
    pytest.param(
        "Man jailed for neighbour stabbing",
        (
            'A man who stabbed his neighbour was sentenced to 12 years in prison on Friday. '
            'The jury found him guilty of attempted murder after a week-long trial.'
        ),
        "medtop:02000000",
        id="court_sentencing_is_crime",
    ),
    pytest.param(
        "Retailer lifts forecast as profits rise",
        (
            'The retailer said quarterly profits rose 8% to $1.2bn as sales grew, and its '
            'shares climbed after it raised its forecast for the year. Investors welcomed the'
            ' dividend.'
        ),
        "medtop:04000000",
        id="earnings_report_is_economy",
    ),
    pytest.param(
        "Phone flaw patched",
        (
            'The company released a software update to fix a security flaw that let hackers '
            "take over users' smartphones through a malicious text message."
        ),
        "medtop:13000000",
        id="software_story_is_technology",
    ),
    pytest.param(
        "The only roast chicken recipe you need",
        "This easy weeknight recipe for roast chicken with garlic and lemon takes 40 minutes.",
        "medtop:10000000",
        id="recipe_is_lifestyle",
    ),
    pytest.param(
        "Strike action spreads",
        (
            'Nurses and rail workers began a walkout after their trade union rejected the '
            'latest pay offer, with picket lines outside stations and hospitals.'
        ),
        "medtop:09000000",
        id="union_strike_is_labour",
    ),
    pytest.param(
        "Snap election called",
        (
            'The prime minister called a general election as opposition parties led in the '
            'opinion polls and backbenchers demanded a change of leadership.'
        ),
        "medtop:11000000",
        id="election_story_is_politics",
    ),
    pytest.param(
        "Stars turn out for premiere",
        (
            'The actress walked the red carpet at the premiere of her new film, a biopic of '
            'the singer.'
        ),
        "medtop:01000000",
        id="film_premiere_is_arts",
    ),
    pytest.param(
        "Sprinter banned after failed test",
        (
            'The sprinter was banned for two years after failing a drug test, the world anti-'
            'doping agency said, ruling him out of the Olympics.'
        ),
        "medtop:15000000",
        id="doping_ban_is_sport_not_crime",
    ),
    pytest.param(
        "Talk show host apologises for interview",
        (
            'The host of the NBC show said the guest had been rude on air, and the network '
            'apologised to viewers.'
        ),
        "medtop:01000000",
        id="tv_network_story_is_media",
    ),
    pytest.param(
        "How a sinking fund takes the sting out of big bills",
        (
            'A sinking fund is money you set aside each month for a big expense, such as a '
            'new car or a holiday.'
        ),
        "medtop:04000000",
        id="personal_finance_is_economy_not_disaster",
    ),
    pytest.param(
        "Sam Reyes says handshake was just polite",
        (
            'The actor, who faced criticism for chatting with the president, said the meeting '
            'was not an endorsement.'
        ),
        "medtop:01000000",
        id="actor_named_by_role_in_lede_is_arts",
    ),
    pytest.param(
        "Sam Reyes says handshake was just polite",
        (
            'The senator, who faced criticism for chatting with the actor, said the meeting '
            'was not an endorsement.'
        ),
        "medtop:11000000",
        id="senator_named_by_role_in_lede_is_politics",
    ),
    pytest.param(
        "Council workers find a trail of dung across the town square",
        (
            'Workers cleaning the square on Monday morning said a herd of goats had wandered '
            'in overnight.'
        ),
        "medtop:08000000",
        id="toilet_humour_is_human_interest",
    ),
    pytest.param(
        "Ministers unveil plan to cut class sizes",
        (
            'The government will cap primary school classes at 25 pupils, the education '
            'secretary said, in a plan that means hiring more teachers for schools in every '
            'region.'
        ),
        "medtop:11000000",
        id="government_plan_for_schools_is_politics",
    ),
    pytest.param(
        "Primary school pupils to learn coding",
        (
            'Pupils at the primary school will learn coding from next term, the head teacher '
            'said, as teachers add computing to the curriculum for every class.'
        ),
        "medtop:05000000",
        id="school_curriculum_without_government_is_education",
    ),
]


@pytest.mark.parametrize(("title", "text", "code"), LEXICON_REGRESSION_CASES)
def test_lexicon_regression_cases_keep_their_topic(title: str, text: str, code: str) -> None:
    assert topics(text, title, text)[0] == code
