"""Candidates to dataset rows: incidents per place and day, area-wide claims with their
periods, events without a figure, ids from the text."""

from __future__ import annotations

import datetime as dt

from geo import Gazetteer
from geo.extraction.events import find_events
from geo.extraction.grouping import EXTRA_COLUMNS, event_type, fingerprint, group_report
from geo.extraction.places import find_places
from geo.extraction.report import read_report

REPORT = """TURBAT, March 9 (Wire) - A roadside bomb struck a Frontier Corps vehicle near \
Turbat on Sunday, killing three soldiers, officials said.

Militants also stormed a police station in Panjgur on Saturday night, police said.

Since January 1, 112 militants have been killed across Balochistan, the provincial \
government said."""
PUBLISHED = dt.date(2026, 3, 9)


def _rows(gaz: Gazetteer, text: str = REPORT):
    mentions = find_places(text, gaz)
    return group_report(read_report(text, PUBLISHED, gaz, mentions), mentions, text=text,
                        published=PUBLISHED, name="report.txt",
                        events=find_events(text, PUBLISHED, mentions))


def test_an_incident_per_place_and_day_and_an_area_claim_with_its_period(
        gaz: Gazetteer) -> None:
    ex = _rows(gaz)
    inc = ex.incidents.set_index("location")
    assert inc.loc["Turbat", "event_date"] == "2026-03-08"  # Sunday, not the dateline's day
    assert inc.loc["Turbat", "event_type"] == "Explosions/Remote violence"
    assert inc.loc["Turbat", "sub_event_type"] == "Remote explosive/landmine/IED"
    assert inc.loc["Panjgur", "event_date"] == "2026-03-07"  # an event with no figure
    assert inc.loc["Panjgur", "confidence"] == "0.40"
    claims = ex.claims.set_index("value")
    assert claims.loc["3", "incident_id"] == inc.loc["Turbat", "incident_id"]
    assert claims.loc["3", "claimant_type"] == "official"
    assert (claims.loc["112", "area"], claims.loc["112", "period_start"],
            claims.loc["112", "period_end"]) == ("Balochistan", "2026-01-01", "2026-03-09")
    assert claims.loc["112", "claimant_type"] == "government"
    for table in (ex.incidents, ex.claims):
        assert set(EXTRA_COLUMNS) <= set(table.columns)
        for r in table.itertuples():
            assert REPORT[int(r.evidence_start):int(r.evidence_end)] == r.evidence


def test_ids_come_from_the_text_so_the_same_report_gives_the_same_rows(
        gaz: Gazetteer) -> None:
    a, b = _rows(gaz), _rows(gaz)
    assert a.source["source_id"] == b.source["source_id"] == f"R{fingerprint(REPORT)[:10]}"
    assert a.claims.equals(b.claims) and a.incidents.equals(b.incidents)


def test_a_figure_with_no_place_and_no_province_is_listed_not_written(
        gaz: Gazetteer) -> None:
    ex = _rows(gaz, "Eleven people were killed, officials said.")
    assert ex.claims.empty and ex.incidents.empty
    assert [c.value for c in ex.unplaced] == [11]


def test_event_types_from_the_words() -> None:
    assert event_type(["A grenade hit a police van."], []) == "Explosions/Remote violence"
    assert event_type(["Gunmen abducted four passengers."], ["abducted"]) == \
        "Violence against civilians"
    assert event_type(["Troops and militants clashed."], ["killed_militants"]) == "Battles"
