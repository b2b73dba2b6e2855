"""Regression cases: stories written by earlier maintainers while reading dev-set errors,
so they show that behaviour once fixed stays fixed; they are not a measure of accuracy
(that is test_topics_reader_stories.py, written without looking at the lexicon).
Cases that guarded lexicon rules fitted to single dev documents went with those rules.
"""

import pytest

from digest.extract.topics import topics

REGRESSION_CASES = [
    pytest.param(
        "United fight back to beat City",
        (
            "United came from behind to win 2-1 at the stadium on Saturday. The midfielder "
            "equalised before half-time and a late penalty sealed the victory in the title "
            "race."
        ),
        "medtop:15000000",
        id="football_match_report_is_sport",
    ),
    pytest.param(
        "Man jailed for neighbour stabbing",
        (
            "A man who stabbed his neighbour was sentenced to 12 years in prison on Friday. "
            "The jury found him guilty of attempted murder after a week-long trial."
        ),
        "medtop:02000000",
        id="court_sentencing_is_crime",
    ),
    pytest.param(
        "Retailer lifts forecast as profits rise",
        (
            "The retailer said quarterly profits rose 8% to $1.2bn as sales grew, and its "
            "shares climbed after it raised its forecast for the year. Investors welcomed the"
            " dividend."
        ),
        "medtop:04000000",
        id="earnings_report_is_economy",
    ),
    pytest.param(
        "Phone flaw patched",
        (
            "The company released a software update to fix a security flaw that let hackers "
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
            "Nurses and rail workers began a walkout after their trade union rejected the "
            "latest pay offer, with picket lines outside stations and hospitals."
        ),
        "medtop:09000000",
        id="union_strike_is_labour",
    ),
    pytest.param(
        "Snap election called",
        (
            "The prime minister called a general election as opposition parties led in the "
            "opinion polls and backbenchers demanded a change of leadership."
        ),
        "medtop:11000000",
        id="election_story_is_politics",
    ),
    pytest.param(
        "Stars turn out for premiere",
        (
            "The actress walked the red carpet at the premiere of her new film, a biopic of "
            "the singer."
        ),
        "medtop:01000000",
        id="film_premiere_is_arts",
    ),
    pytest.param(
        "Sprinter banned after failed test",
        (
            "The sprinter was banned for two years after failing a drug test, the world anti-"
            "doping agency said, ruling him out of the Olympics."
        ),
        "medtop:15000000",
        id="doping_ban_is_sport_not_crime",
    ),
    pytest.param(
        "Ministers unveil plan to cut class sizes",
        (
            "The government will cap primary school classes at 25 pupils, the education "
            "secretary said, in a plan that means hiring more teachers for schools in every "
            "region."
        ),
        "medtop:11000000",
        id="government_plan_for_schools_is_politics",
    ),
    pytest.param(
        "Primary school pupils to learn coding",
        (
            "Pupils at the primary school will learn coding from next term, the head teacher "
            "said, as teachers add computing to the curriculum for every class."
        ),
        "medtop:05000000",
        id="school_curriculum_without_government_is_education",
    ),
]


@pytest.mark.parametrize(("title", "text", "code"), REGRESSION_CASES)
def test_regression_story_keeps_its_topic(title: str, text: str, code: str) -> None:
    assert topics(text, title, text)[:1] == [code]
