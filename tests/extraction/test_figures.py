"""Casualty figures in a sentence: each kind of figure, and each kind of number that is
not one."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.dataset.schema import CATEGORIES, QUALIFIERS
from geo.extraction.figures import find_figures

CASES = [
    ("At least 15 security personnel were killed and 24 policemen injured.",
     [(15, "at_least", "killed_security_forces"), (24, "exact", "injured")]),
    ("Five men, three women and three children were killed in Gwadar.",
     [(11, "exact", "killed_civilians")]),
    ("Gunmen opened fire on a bus, killing 11 people, including five men, three women "
     "and three children.", [(11, "exact", "killed_civilians")]),
    ("The military said 92 militants were killed on Saturday.",
     [(92, "exact", "killed_militants")]),
    ("Dozens of militants were killed, officials said.", [(12, "dozens", "killed_militants")]),
    ("Several soldiers were wounded.", [(3, "several", "injured")]),
    ("A policeman was killed and two others were injured.",
     [(1, "exact", "killed_security_forces"), (2, "exact", "injured")]),
    ("The BLA claimed it had killed 84 security personnel and taken 18 hostage.",
     [(84, "exact", "killed_security_forces"), (18, "exact", "abducted")]),
    ("Nearly fifty people died.", [(50, "nearly", "killed_unknown")]),
    ("More than 1,200 prisoners escaped.", [(1200, "more_than", "freed_prisoners")]),
    ("Militants stormed the jail, freeing 30 prisoners.", [(30, "exact", "freed_prisoners")]),
    ("The attack killed a woman and her three children.", [(4, "exact", "killed_civilians")]),
    ("Police said 3 attackers died and 7 passersby were hurt.",
     [(3, "exact", "killed_militants"), (7, "exact", "injured")]),
    ("Up to forty-five labourers were abducted.", [(45, "up_to", "abducted")]),
]


@pytest.mark.parametrize(("sentence", "want"), CASES)
def test_figures_as_stated(sentence: str, want: list[tuple[int, str, str]]) -> None:
    got = find_figures(sentence, report_year=2026)
    assert [(f.value, f.qualifier, f.category) for f in got] == want


def test_a_range_keeps_both_ends() -> None:
    (f,) = find_figures("Between 20 and 25 people were wounded.")
    assert (f.value, f.value_max, f.qualifier, f.text) == (
        20, 25, "range", "Between 20 and 25 people")


@pytest.mark.parametrize("sentence", [
    "The 40-hour operation covered 12 locations.",          # duration, places
    "Militants carried out 12 attacks in 10 districts.",    # counts of attacks
    "A bus carrying 40 passengers was stopped.",            # people on board
    "Police arrested 12 suspects after the attack.",        # detained, not a casualty
    "In 2019, 20 soldiers were killed in a similar attack.",  # history
    "The government paid Rs 500,000 to each family.",       # money
    "The attacks began at 5 am on Saturday.",                # a time
    "Police detained 14 people after the attack.",           # detained, no casualty
    "Attacks rose by 34 percent on 2025.",                   # a percentage
    "Traffic on the N-25 highway was suspended.",            # a road's number
])
def test_numbers_that_are_not_casualty_figures(sentence: str) -> None:
    assert find_figures(sentence, report_year=2026) == []


def test_a_year_of_the_report_is_not_history() -> None:
    got = find_figures("On 31 January 2026, 31 civilians were killed.", report_year=2026)
    assert [(f.value, f.category) for f in got] == [(31, "killed_civilians")]


@given(st.text(max_size=300))
def test_any_text_gives_figures_whose_words_hold_their_number(text: str) -> None:
    for f in find_figures(text, report_year=2026):
        assert text[f.start:f.end] == f.text and f.text
        assert f.category in CATEGORIES and f.qualifier in QUALIFIERS and f.value >= 0
        assert re.search(r"\d|[a-z]", f.text, re.IGNORECASE)


def test_a_number_and_its_outcome_alone_counts_people_of_no_stated_side() -> None:
    got = find_figures("Two were killed in Turbat on Monday and 14 others wounded.", 2026)
    assert [(f.value, f.category) for f in got] == [(2, "killed_unknown"), (14, "injured")]
    assert find_figures("In 2025 were killed ...", 2026) == []  # a year, history


def test_a_companion_and_an_age_and_a_quoted_figure() -> None:
    got = find_figures("Gunmen shot dead a tribal elder and his guard, and rockets killed a "
                       "nine-year-old girl and her grandmother.", 2026)
    assert [(f.value, f.category) for f in got] == [(2, "killed_civilians"),
                                                    (2, "killed_civilians")]
    got = find_figures('The group said it had killed "more than 40" soldiers.', 2026)
    assert [(f.value, f.qualifier, f.category) for f in got] == [
        (40, "more_than", "killed_security_forces")]


def test_a_speaker_and_a_group_counted_already_are_not_casualties() -> None:
    assert [f.value for f in find_figures(
        "Four other people were wounded, a doctor at the Civil Hospital said.", 2026)] == [4]
    assert find_figures("Nine of the escaped prisoners had been recaptured.", 2026) == []
    assert find_figures("The bodies of the three workers were brought to hospital.",
                        2026) == []


@pytest.mark.parametrize(("sentence", "want"), [
    ("A suicide bomber rammed the gate, killing one soldier and injuring another.",
     [(1, "killed_security_forces"), (1, "injured")]),  # the bomber did it
    ("The group claimed to have killed 84 soldiers and captured 18 others.",
     [(84, "killed_security_forces"), (18, "abducted")]),  # each verb its own object
    ("Gunmen pulled passengers off buses and shot dead seven of them.",
     [(7, "killed_civilians")]),  # "them" are the passengers
    ("The military said 92 militants were killed on Saturday, adding to the 41 on "
     "Friday.", [(92, "killed_militants"), (41, "killed_militants")]),
])
def test_who_did_it_and_who_they_are(sentence: str, want: list[tuple[int, str]]) -> None:
    assert [(f.value, f.category) for f in find_figures(sentence, 2026)] == want


def test_a_year_before_a_figure_is_not_a_range() -> None:
    got = find_figures("Attacks rose by 34 percent compared with 2026 and 12 people were "
                       "killed.", 2026)
    assert [(f.value, f.value_max, f.category) for f in got] == [(12, None, "killed_unknown")]
    got = find_figures("Between 12 and 15 people were injured.", 2026)
    assert [(f.value, f.value_max, f.qualifier) for f in got] == [(12, 15, "range")]
