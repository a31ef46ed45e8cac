"""A report's candidate rows as a coder reviews them: the review tables, and edits,
rejections and bad values applied back (statuses, values, problems, places)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo import Gazetteer
from geo.coding.review import CLAIM_FIELDS, INCIDENT_FIELDS, Reviewed, apply_review, review_tables
from geo.dataset.schema import validate_table
from geo.errors import Problem
from geo.extraction.grouping import Extraction
from geo.io.tables import ROW
from tests.coding.reports import extract
from tests.support import examples

SHOWN = ["confidence", "evidence", "evidence_start", "evidence_end"]


@pytest.fixture(scope="module")
def ex(gaz: Gazetteer) -> Extraction:
    x = extract(gaz)
    # The report as these tests read it: Turbat (3 police), Gwadar (2 civilians), and
    # a province-wide figure for Balochistan (12 militants).
    assert x.incidents["location"].tolist() == ["Turbat", "Gwadar"]
    assert x.claims["value"].tolist() == ["3", "2", "12"]
    assert x.claims["incident_id"].tolist()[:2] == x.incidents["incident_id"].tolist()
    assert x.claims["incident_id"][2] == "" and x.claims["area"][2] == "Balochistan"
    return x


def _ids(ex: Extraction) -> tuple[list[str], list[str]]:
    return ex.incidents["incident_id"].tolist(), ex.claims["claim_id"].tolist()


def edit(ex: Extraction, gaz: Gazetteer, *changes: tuple[str, int, str, object]) -> Reviewed:
    """The review of *ex* with *changes* (table, row, field, new value) made."""
    tables = dict(zip(("incidents", "claims"), review_tables(ex), strict=True))
    for table, row, field, value in changes:
        tables[table].loc[row, field] = value
    return apply_review(ex, tables["incidents"], tables["claims"], gaz)


def _status(r: Reviewed) -> dict[str, str]:
    return {row["id"]: row["status"] for row in r.rows}


def _invalid(df: pd.DataFrame, table: str) -> list[Problem]:
    """What the dataset's codebook says of *df* (rows numbered as a spreadsheet's)."""
    return validate_table(df.assign(**{ROW: range(2, len(df) + 2)}), table, f"{table}.csv")


def _problem(r: Reviewed, table: str, field: str, value: str) -> None:
    hits = [p for p in r.problems if (p.file, p.field, p.value) == (table, field, value)]
    assert hits, f"no problem for {table}.{field} = {value!r}: {r.problems}"


# --- the review tables


def test_review_tables_have_the_columns_and_a_row_per_candidate(ex: Extraction) -> None:
    incidents, claims = review_tables(ex)
    assert list(incidents.columns) == ["accept", "incident_id", *INCIDENT_FIELDS, "admin2",
                                       *SHOWN]
    assert list(claims.columns) == ["accept", "claim_id", *CLAIM_FIELDS, "locator", *SHOWN]
    inc_ids, clm_ids = _ids(ex)
    assert incidents["incident_id"].tolist() == inc_ids
    assert claims["claim_id"].tolist() == clm_ids
    for table in (incidents, claims):
        assert table["accept"].tolist() == [True] * len(table)
        for col in table.columns.drop("accept"):
            assert all(isinstance(v, str) for v in table[col]), col
    assert incidents["admin2"].tolist() == ["Kech", "Gwadar"]
    assert claims["value"].tolist() == ["3", "2", "12"]
    assert claims["evidence"][0] == ex.claims["evidence"][0]


def test_a_report_with_no_candidate_rows_gives_empty_tables(gaz: Gazetteer) -> None:
    bare = extract(gaz, "Five people were hurt when a bus was attacked, police said.")
    assert bare.incidents.empty and bare.claims.empty  # no place: unplaced
    incidents, claims = review_tables(bare)
    assert (len(incidents), len(claims)) == (0, 0)
    assert list(claims.columns) == ["accept", "claim_id", *CLAIM_FIELDS, "locator", *SHOWN]
    r = apply_review(bare, incidents, claims, gaz)
    assert r.problems == [] and r.rows == [] and r.extraction.claims.empty


def test_untouched_review_keeps_every_row_as_extracted(ex: Extraction, gaz: Gazetteer) -> None:
    r = edit(ex, gaz)
    assert r.problems == []
    inc_ids, clm_ids = _ids(ex)
    assert _status(r) == dict.fromkeys(inc_ids + clm_ids, "as_extracted")
    assert all(row["edited"] == {} for row in r.rows)
    pd.testing.assert_frame_equal(r.extraction.incidents, ex.incidents, check_dtype=False)
    pd.testing.assert_frame_equal(r.extraction.claims, ex.claims, check_dtype=False)
    assert r.extraction.source == ex.source
    first = next(row for row in r.rows if row["id"] == clm_ids[0])
    assert first["table"] == "claims"
    assert first["extracted"]["value"] == "3" and first["extracted"]["claimant"] == "police"
    assert first["evidence"] == [ex.claims["evidence_start"][0], ex.claims["evidence_end"][0]]


def test_an_edited_value_is_recorded_and_accepted(ex: Extraction, gaz: Gazetteer) -> None:
    r = edit(ex, gaz, ("claims", 0, "value", "4"), ("claims", 0, "qualifier", "at_least"))
    assert r.problems == []
    inc_ids, clm_ids = _ids(ex)
    assert _status(r) == {**dict.fromkeys(inc_ids + clm_ids, "as_extracted"),
                          clm_ids[0]: "edited"}
    row = next(row for row in r.rows if row["id"] == clm_ids[0])
    assert row["extracted"]["value"] == "3" and row["extracted"]["qualifier"] == "exact"
    assert row["edited"] == {"value": "4", "qualifier": "at_least"}
    claims = r.extraction.claims.set_index("claim_id")
    assert claims.loc[clm_ids[0], "value"] == "4"
    assert claims.loc[clm_ids[0], "qualifier"] == "at_least"
    assert claims.loc[clm_ids[1], "value"] == "2"


def test_the_same_value_with_spaces_is_not_an_edit(ex: Extraction, gaz: Gazetteer) -> None:
    r = edit(ex, gaz, ("incidents", 0, "location", "  Turbat "), ("claims", 1, "value", " 2"))
    assert r.problems == [] and set(_status(r).values()) == {"as_extracted"}
    assert r.extraction.claims["value"].tolist() == ["3", "2", "12"]


def test_an_unticked_row_is_left_out_as_rejected(ex: Extraction, gaz: Gazetteer) -> None:
    r = edit(ex, gaz, ("claims", 1, "accept", False))
    inc_ids, clm_ids = _ids(ex)
    assert r.problems == []
    assert _status(r)[clm_ids[1]] == "rejected"
    assert r.extraction.claims["claim_id"].tolist() == [clm_ids[0], clm_ids[2]]
    assert r.extraction.incidents["incident_id"].tolist() == inc_ids


def test_a_claim_of_a_rejected_incident_is_a_problem(ex: Extraction, gaz: Gazetteer) -> None:
    inc_ids, clm_ids = _ids(ex)
    r = edit(ex, gaz, ("incidents", 0, "accept", False))
    _problem(r, "claims", "incident_id", inc_ids[0])
    assert len(r.problems) == 1 and "rejected" in r.problems[0].message
    assert clm_ids[0] in r.problems[0].message
    # Rejecting its claim too, or moving the claim to the other incident, is fine.
    both = edit(ex, gaz, ("incidents", 0, "accept", False), ("claims", 0, "accept", False))
    assert both.problems == []
    assert both.extraction.incidents["incident_id"].tolist() == [inc_ids[1]]
    assert both.extraction.claims["claim_id"].tolist() == clm_ids[1:]
    moved = edit(ex, gaz, ("incidents", 0, "accept", False),
                 ("claims", 0, "incident_id", inc_ids[1]))
    assert moved.problems == []
    assert moved.extraction.claims["incident_id"].tolist()[:2] == [inc_ids[1]] * 2


def test_a_claim_of_no_incident_of_the_report_is_a_problem(ex: Extraction,
                                                          gaz: Gazetteer) -> None:
    r = edit(ex, gaz, ("claims", 0, "incident_id", "I-elsewhere"))
    _problem(r, "claims", "incident_id", "I-elsewhere")


def test_a_row_added_in_the_editor_is_not_a_candidate(ex: Extraction, gaz: Gazetteer) -> None:
    incidents, claims = review_tables(ex)
    extra = claims.iloc[[0]].assign(claim_id="typed-in", value="99")
    r = apply_review(ex, incidents, pd.concat([claims, extra], ignore_index=True), gaz)
    assert r.problems == []
    assert "typed-in" not in r.extraction.claims["claim_id"].tolist()
    assert "typed-in" not in _status(r)


BAD = [
    ("claims", 0, "category", "killed_bystanders"),
    ("claims", 0, "category", ""),
    ("claims", 0, "value", "-3"),
    ("claims", 0, "value", "ten"),
    ("claims", 0, "value", "2.5"),
    ("claims", 0, "value", ""),
    ("claims", 0, "value_max", "1"),  # below value 3
    ("claims", 0, "qualifier", "roughly"),
    ("claims", 0, "claimant_type", "rumour"),
    ("claims", 0, "claimant", " "),
    ("claims", 0, "claim_date", "04/03/2026"),
    ("incidents", 0, "event_date", "31/01/2026"),
    ("incidents", 0, "event_date", "2026-02-30"),
    ("incidents", 0, "event_date", ""),
    ("incidents", 0, "event_type", "Skirmish"),
    ("incidents", 0, "sub_event_type", "Armed clash"),  # under Battles, not Explosions
    ("incidents", 1, "location", ""),
]


@pytest.mark.parametrize(("table", "row", "field", "value"), BAD)
def test_a_bad_value_is_a_problem_naming_table_field_and_value(
        ex: Extraction, gaz: Gazetteer, table: str, row: int, field: str, value: str) -> None:
    r = edit(ex, gaz, (table, row, field, value))
    _problem(r, table, field, value.strip())
    rid = ex.claims["claim_id"][row] if table == "claims" else ex.incidents["incident_id"][row]
    assert all(rid in p.message for p in r.problems)


def test_a_vague_qualifier_needs_its_coded_number(ex: Extraction, gaz: Gazetteer) -> None:
    r = edit(ex, gaz, ("claims", 0, "qualifier", "dozens"))  # value 3, not 12
    _problem(r, "claims", "value", "3")
    assert "12" in r.problems[0].message
    assert edit(ex, gaz, ("claims", 2, "qualifier", "dozens")).problems == []  # value 12
    assert edit(ex, gaz, ("claims", 0, "qualifier", "several")).problems == []  # value 3


def test_a_sub_event_type_must_be_under_its_event_type(ex: Extraction, gaz: Gazetteer) -> None:
    r = edit(ex, gaz, ("incidents", 0, "event_type", "Battles"))  # keeps its IED sub-type
    _problem(r, "incidents", "sub_event_type", "Remote explosive/landmine/IED")
    ok = edit(ex, gaz, ("incidents", 0, "event_type", "Battles"),
              ("incidents", 0, "sub_event_type", "Armed clash"))
    assert ok.problems == []


def test_an_area_wide_claim_needs_its_area(ex: Extraction, gaz: Gazetteer) -> None:
    _problem(edit(ex, gaz, ("claims", 2, "area", "  ")), "claims", "area", "")
    _problem(edit(ex, gaz, ("claims", 0, "incident_id", "")), "claims", "area", "")
    # Given an area, a claim taken off its incident is an area-wide figure.
    r = edit(ex, gaz, ("claims", 0, "incident_id", ""), ("claims", 0, "area", "Kech"))
    assert r.problems == []
    assert r.extraction.claims.loc[0, ["incident_id", "area"]].tolist() == ["", "Kech"]


@pytest.mark.parametrize(("typed", "admin1", "admin2"), [
    ("Khuzdr", "Balochistan", "Khuzdar"),  # misspelled
    ("Panjgoor", "Balochistan", "Panjgur"),  # misspelled
    ("Lahore", "Punjab", "Lahore"),  # another town, another province
    ("Qwxzvbn", "", ""),  # no such place: left unresolved
])
def test_an_edited_place_is_resolved_again(ex: Extraction, gaz: Gazetteer, typed: str,
                                            admin1: str, admin2: str) -> None:
    r = edit(ex, gaz, ("incidents", 0, "location", typed))
    assert r.problems == []
    inc = r.extraction.incidents
    assert inc.loc[0, ["location", "admin1", "admin2"]].tolist() == [typed, admin1, admin2]
    assert inc.loc[0, ["latitude", "longitude", "geo_precision"]].tolist() == ["", "", ""]
    assert inc.loc[1, ["location", "admin1", "admin2"]].tolist() == [
        "Gwadar", "Balochistan", "Gwadar"]  # the other incident as extracted
    row = next(row for row in r.rows if row["id"] == ex.incidents["incident_id"][0])
    assert row["status"] == "edited" and row["edited"] == {"location": typed}


# --- any input


EDITABLE_TEXT = [("incidents", 0, "location"), ("claims", 0, "claimant"),
                 ("claims", 1, "value_text"), ("claims", 2, "area")]


@settings(max_examples=examples(150), deadline=None)
@given(where=st.sampled_from(EDITABLE_TEXT),
       text=st.text(st.characters(codec="utf-8"), max_size=40))
def test_any_text_in_a_text_field_is_a_problem_or_saved_as_typed(
        ex: Extraction, gaz: Gazetteer, where: tuple[str, int, str], text: str) -> None:
    table, row, field = where
    r = edit(ex, gaz, (table, row, field, text))
    typed = text.strip()
    if field != "value_text" and not typed:  # only an empty place, claimant, area fails
        assert [(p.file, p.field, p.value) for p in r.problems] == [(table, field, "")]
        return
    assert r.problems == []
    saved = getattr(r.extraction, table)
    assert saved.loc[row, field] == typed
    rid = saved.loc[row, "claim_id" if table == "claims" else "incident_id"]
    was = getattr(ex, table).loc[row, field]
    assert _status(r)[rid] == ("as_extracted" if typed == was else "edited")
    if field == "location" and typed != was:
        m = gaz.resolve(typed)
        want = [m.province or "", m.district or ""] if m.resolved else ["", ""]
        assert saved.loc[row, ["admin1", "admin2"]].tolist() == want


@settings(max_examples=examples(100), deadline=None)
@given(n=st.integers(-10**6, 10**7), pad=st.sampled_from(["", " ", "\t"]))
def test_a_whole_number_is_accepted_and_a_negative_one_is_not(
        ex: Extraction, gaz: Gazetteer, n: int, pad: str) -> None:
    r = edit(ex, gaz, ("claims", 1, "value", f"{pad}{n}{pad}"), ("claims", 1, "value_max", ""))
    if n < 0:
        _problem(r, "claims", "value", str(n))
    else:
        assert r.problems == []
        assert r.extraction.claims.loc[1, "value"] == str(n)
        assert _invalid(r.extraction.claims, "claims") == []


@settings(max_examples=examples(100), deadline=None)
@given(day=st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)), iso=st.booleans())
def test_a_date_is_accepted_as_yyyy_mm_dd_only(ex: Extraction, gaz: Gazetteer,
                                               day: dt.date, iso: bool) -> None:
    text = day.isoformat() if iso else f"{day:%d/%m/%Y}"
    r = edit(ex, gaz, ("incidents", 1, "event_date", text))
    if iso:
        assert r.problems == [] and r.extraction.incidents.loc[1, "event_date"] == text
    else:
        _problem(r, "incidents", "event_date", text)


# --- what apply_review accepts, the codebook accepts

@pytest.mark.parametrize(("table", "row", "field", "value"), [
    ("claims", 0, "value", "7"),
    ("claims", 0, "value", "2.0"),
    ("claims", 0, "value_max", "30"),
    ("incidents", 0, "event_date", "2026-01-31"),
    ("claims", 0, "claim_date", "2026-03-04"),
    ("claims", 0, "value", "1,000"),
    ("claims", 0, "value", "1_000"),
    ("claims", 0, "value", "\u0665"),  # ARABIC-INDIC DIGIT FIVE
    ("claims", 0, "value_max", "1_000"),
    ("incidents", 0, "event_date", "20260131"),
    ("incidents", 0, "event_date", "2026-W05-6"),
    ("incidents", 0, "event_date", "1600-01-01"),  # codebook: from 1678-01-01
    ("claims", 0, "claim_date", "20260304"),
])
def test_a_value_the_review_accepts_is_valid_in_the_dataset(
        ex: Extraction, gaz: Gazetteer, table: str, row: int, field: str, value: str) -> None:
    r = edit(ex, gaz, (table, row, field, value))
    if any(p.field == field for p in r.problems):
        return  # refused at review: nothing invalid can be saved
    assert r.problems == []
    saved = getattr(r.extraction, table)
    assert _invalid(saved, table) == []
