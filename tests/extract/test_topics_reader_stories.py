"""Measuring cases: short news stories written for this file without looking at the topic
lexicon, the training files or any dev error, one or two per IPTC top-level topic.  Each
is plain to a reader, so a miss is an error of the classifier, not a judgement call.
Regression cases (written after reading errors) live in test_topics_regressions.py.
"""

import pytest

from digest.extract.topics import topics

READER_STORIES = [
    (
        "Museum reopens with Vermeer show",
        "The city museum reopened its east wing on Thursday with an exhibition of Dutch "
        "paintings, including two Vermeers lent by collectors, and a new concert hall next "
        "door will host its first symphony season in the autumn.",
        "medtop:01000000",
    ),
    (
        "Two charged after jewellery shop raid",
        "Police have charged two men with armed robbery after a jewellery shop was raided on "
        "the high street. Detectives said the suspects were arrested at a flat nearby and will "
        "appear before magistrates on Monday.",
        "medtop:02000000",
    ),
    (
        "Thousands flee as river bursts its banks",
        "Rescue teams evacuated thousands of residents after torrential rain caused the river "
        "to flood several villages overnight. Emergency services said four people had died "
        "and hundreds of homes were under water.",
        "medtop:03000000",
    ),
    (
        "Carmaker to cut output as demand slows",
        "The carmaker said it would reduce production at two plants next quarter after "
        "weaker sales in Europe, and warned that annual earnings would fall short of "
        "analysts' expectations. Its stock dropped 6% in early trading.",
        "medtop:04000000",
    ),
    (
        "Universities told to widen access",
        "Universities must admit more students from poorer backgrounds, the admissions "
        "watchdog said, after figures showed the gap in degree places between rich and poor "
        "school leavers had barely narrowed in a decade.",
        "medtop:05000000",
    ),
    (
        "Coral reefs bleaching at record pace",
        "Marine scientists say warmer seas have bleached more than half of the reef's coral "
        "this year, the worst die-off recorded, threatening fish species and the wildlife "
        "that depends on them.",
        "medtop:06000000",
    ),
    (
        "New vaccine cuts malaria deaths in trial",
        "A malaria vaccine given to young children reduced deaths by a third in a large "
        "clinical trial, researchers reported, and doctors hope it can be rolled out to "
        "clinics across the region next year.",
        "medtop:07000000",
    ),
    (
        "Dog walks 200 miles home after getting lost",
        "A family's pet dog that went missing on holiday turned up on their doorstep three "
        "weeks later, having walked about 200 miles, thin but wagging its tail, to the "
        "delight of the children who had put up posters.",
        "medtop:08000000",
    ),
    (
        "Warehouse staff vote to walk out over pay",
        "Warehouse workers have voted to strike after talks between their union and the "
        "employer over wages and shift patterns broke down, the union said, with walkouts "
        "planned for the busiest weeks of the year.",
        "medtop:09000000",
    ),
    (
        "Ten-minute pasta for busy weeknights",
        "This quick dinner needs only spaghetti, tinned tomatoes, capers and olives: fry the "
        "garlic in olive oil, add the sauce, toss with the cooked pasta and serve with "
        "grated parmesan.",
        "medtop:10000000",
    ),
    (
        "Opposition leader calls for vote of no confidence",
        "The opposition leader tabled a motion of no confidence in the government on "
        "Tuesday, saying the coalition had lost its majority after two parties quit over "
        "the budget and that voters deserved a fresh election.",
        "medtop:11000000",
    ),
    (
        "Pope to visit Africa in pilgrimage",
        "The Pope will celebrate mass in three African countries on a week-long pilgrimage, "
        "the Vatican said, meeting bishops and leaders of the Muslim and Christian "
        "communities.",
        "medtop:12000000",
    ),
    (
        "Telescope finds water on distant planet",
        "Astronomers using a space telescope have detected water vapour in the atmosphere of "
        "a planet orbiting a nearby star, a finding published in a scientific journal that "
        "could help the search for life beyond the solar system.",
        "medtop:13000000",
    ),
    (
        "Homeless numbers rise for fifth year",
        "The number of families sleeping in temporary shelters has risen for the fifth year "
        "in a row, charities said, as rents climb and welfare support fails to keep up, "
        "leaving more children growing up in poverty.",
        "medtop:14000000",
    ),
    (
        "Champions knocked out in extra time",
        "The defending champions were knocked out of the cup after conceding in extra time, "
        "their goalkeeper beaten by a header from the substitute in front of a sell-out "
        "crowd.",
        "medtop:15000000",
    ),
    (
        "Rebels seize border town after heavy fighting",
        "Rebel fighters captured a strategic border town after days of clashes with "
        "government troops, and the army said it was sending reinforcements as shelling "
        "forced civilians to flee.",
        "medtop:16000000",
    ),
    (
        "Heatwave to bring temperatures of 38C",
        "Forecasters have issued a heat warning for the weekend, with temperatures expected "
        "to reach 38C in the south before thunderstorms and cooler air move in from the west "
        "on Monday.",
        "medtop:17000000",
    ),
]


@pytest.mark.parametrize(
    ("title", "text", "code"), READER_STORIES, ids=[code[-8:-6] for *_, code in READER_STORIES]
)
def test_a_plain_story_gets_the_topic_a_reader_would_give(title: str, text: str, code: str):
    lede = text.split(". ")[0]
    found = topics(text, title, lede)
    assert found[:1] == [code]
