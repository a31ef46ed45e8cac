"""A report to candidate claims: figure, claimant, place, date and the evidence."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from geo import Gazetteer
from geo.extraction.report import read_report

REPORT = """QUETTA, Jan 31 - Militants attacked police stations across Balochistan on \
Saturday, officials said.

In Gwadar, gunmen killed five men, three women and three children at a labourers' camp, \
police said. Security forces killed six attackers.

Two police officers were killed by a grenade in Quetta late on Saturday.

The military said 92 militants had been killed across Balochistan. In 2019, 20 soldiers \
were killed in a similar attack.

The Baloch Liberation Army claimed it had killed 84 security personnel."""


def test_every_figure_with_who_where_when_and_its_sentence(gaz: Gazetteer) -> None:
    got = read_report(REPORT, dt.date(2026, 2, 1), gaz)
    rows = [(c.category, c.value, c.claimant_type,
             c.place.match.name if c.place else c.area, c.event_date, c.locator) for c in got]
    jan31 = dt.date(2026, 1, 31)
    assert rows == [
        ("killed_civilians", 11, "police", "Gwadar", jan31, "¶2"),
        ("killed_militants", 6, "outlet", "Gwadar", jan31, "¶2"),
        ("killed_security_forces", 2, "outlet", "Quetta", jan31, "¶3"),
        ("killed_militants", 92, "military", "Balochistan", jan31, "¶4"),  # area-wide
        ("killed_security_forces", 84, "militant", "Balochistan", jan31, "¶5"),
    ]  # the 2019 figure is history, not a claim
    for c in got:
        assert REPORT[c.evidence_start:c.evidence_end] == c.evidence
        assert c.value_text in c.evidence and 0 < c.confidence <= 1


@settings(max_examples=30, deadline=None)
@given(text=st.text(max_size=400))
def test_any_text_gives_claims_whose_evidence_holds_their_words(gaz: Gazetteer,
                                                               text: str) -> None:
    for c in read_report(text, dt.date(2026, 2, 1), gaz):
        assert text[c.evidence_start:c.evidence_end] == c.evidence
        assert c.value_text in c.evidence


def test_a_speaker_in_a_contrasting_clause_gives_only_its_figures(gaz: Gazetteer) -> None:
    got = read_report("Assaults across Balochistan left scores of civilians and security "
                      "personnel dead, while Pakistani forces claimed to have killed at least "
                      "145 militants. Five soldiers died in Quetta, police said, while the "
                      "military said 7 soldiers were killed.", dt.date(2026, 2, 1), gaz)
    assert [(c.value, c.claimant_type) for c in got] == [
        (40, "outlet"), (145, "military"), (5, "police"), (7, "military")]
