"""Event dates read against the publication date."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.extraction.dates import event_date

SUNDAY = dt.date(2026, 2, 1)


@pytest.mark.parametrize(("sentence", "day"), [
    ("Militants attacked late on Saturday.", dt.date(2026, 1, 31)),
    ("Three died on Sunday morning, police said.", dt.date(2026, 2, 1)),  # the day itself
    ("Police said on Sunday that 3 had died on Saturday.", dt.date(2026, 1, 31)),
    ("The convoy was hit on Monday evening.", dt.date(2026, 1, 26)),
    ("Tuesday night saw more clashes.", dt.date(2026, 1, 27)),
    ("On January 30, 41 militants were killed.", dt.date(2026, 1, 30)),
    ("Fighting began on 31st Jan. near Quetta.", dt.date(2026, 1, 31)),
    ("The blast on December 30 killed two.", dt.date(2025, 12, 30)),  # not in the future
    ("The attack came a day earlier.", dt.date(2026, 1, 31)),
    ("Two were killed yesterday.", dt.date(2026, 1, 31)),
    ("On 5 March 2019, ten were killed.", dt.date(2019, 3, 5)),
])
def test_days_as_news_counts_them(sentence: str, day: dt.date) -> None:
    assert event_date(sentence, SUNDAY) == (day, 1)


@pytest.mark.parametrize("sentence", ["Eleven people were killed.", "On February 30, x.",
                                      "The 40-hour siege ended."])
def test_no_day_named(sentence: str) -> None:
    assert event_date(sentence, SUNDAY) is None


@given(st.text(max_size=200), st.dates(dt.date(1950, 1, 1), dt.date(2100, 1, 1)))
def test_never_after_publication_unless_a_year_says_so(text: str, published: dt.date) -> None:
    got = event_date(text, published)
    if got is not None and not any(str(y) in text for y in range(1900, 2100)):
        assert got[0] <= published


def test_a_word_starting_like_a_month_is_no_date() -> None:
    sunday = dt.date(2026, 2, 1)
    assert event_date("Militants carried out 12 separate attacks.", sunday) is None
    assert event_date("On 12 Sept. 2025, four died.", sunday) == (dt.date(2025, 9, 12), 1)
