"""The bundled Balochistan 2026 dataset: honest, checkable coding of the five sources."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from geo import Gazetteer
from geo.analysis.locate import NOT_REPORTED, locate_incidents
from geo.dataset.records import Dataset, load_dataset
from tests.support import ROOT

SEEDS = ROOT / "seeds"
_ROW = re.compile(
    r"^\| (C\d+) \| (\S+)(?: (\S+))? \| (\w+) \| (\d+) \| (\w+) \| (\w+) \| (.+?) \|$"
)


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset()


def _register() -> pd.DataFrame:
    rows = []
    for f in sorted(SEEDS.glob("S*.md")):
        for line in f.read_text(encoding="utf-8").splitlines():
            m = _ROW.match(line)
            if m:
                cid, scope, period, cat, value, qual, ctype, loc = m.groups()
                rows.append({"claim_id": cid, "source_id": f.stem, "scope": scope,
                             "period": period or "", "category": cat, "value": int(value),
                             "qualifier": qual, "claimant_type": ctype, "locator": loc})
    return pd.DataFrame(rows)


def test_loads_without_problems(ds: Dataset) -> None:
    assert (len(ds.sources), len(ds.incidents), len(ds.claims)) == (5, 18, 47)
    assert ds.problems == []
    assert set(ds.claims["source_id"]) <= set(ds.sources["source_id"])
    for ids in ds.incidents["source_ids"]:
        assert set(ids.split(";")) <= set(ds.sources["source_id"])


def test_every_incident_resolves_to_a_district(ds: Dataset, gaz: Gazetteer) -> None:
    located = locate_incidents(ds.incidents, gaz)
    # Only the FC facility, whose place its one source does not give (coded so).
    assert located.unresolved["incident_id"].astype(str).tolist() == ["BAL26-014"]
    assert located.unresolved["reason"].tolist() == [NOT_REPORTED]
    assert located.incidents["district"].notna().all()
    assert (located.incidents["province"] == "Balochistan").all()


def test_every_named_place_has_an_incident(ds: Dataset, gaz: Gazetteer) -> None:
    places = set(locate_incidents(ds.incidents, gaz).incidents["place"])
    for town in ("Quetta", "Gwadar", "Nushki", "Pasni", "Kharan", "Mastung", "Kalat", "Tump",
                 "Dalbandin", "Panjgur"):
        assert town in places, town


def test_register_matches_claims_both_ways(ds: Dataset) -> None:
    reg = _register().set_index("claim_id")
    claims = ds.claims.set_index("claim_id")
    assert sorted(reg.index) == sorted(claims.index), "register and claims.csv differ"
    for cid, r in reg.iterrows():
        c = claims.loc[cid]
        scope = (f"incident:{c['incident_id']}" if c["incident_id"] else f"area:{c['area']}")
        period = ("" if c["incident_id"] else
                  f"{c['period_start']:%Y-%m-%d}..{c['period_end']:%Y-%m-%d}")
        got = (c["source_id"], scope, period, c["category"], int(c["value"]), c["qualifier"],
               c["claimant_type"], c["locator"])
        want = (r["source_id"], r["scope"], r["period"], r["category"], r["value"],
                r["qualifier"], r["claimant_type"], r["locator"])
        assert got == want, cid


def _claims(ds: Dataset, **eq: str) -> pd.DataFrame:
    c = ds.claims
    for k, v in eq.items():
        c = c[c[k] == v]
    return c


def test_per_source_figures_as_the_articles_state(ds: Dataset) -> None:
    # Provincial government: 17 security personnel and 31 civilians (S000, S002, S003).
    for src in ("S000", "S002", "S003"):
        gov = _claims(ds, source_id=src, claimant_type="government")
        assert set(zip(gov["category"], gov["value"], strict=True)) >= {
            ("killed_security_forces", 17), ("killed_civilians", 31)}
    # The wire tally: at least 15 security personnel and 18 civilians.
    s001 = _claims(ds, source_id="S001", area="Balochistan")
    assert {("killed_security_forces", 15), ("killed_civilians", 18)} <= set(
        zip(s001["category"], s001["value"], strict=True))
    # Militants claimed 84 soldiers, reported by three sources, always as a militant claim.
    bla = ds.claims[(ds.claims["value"] == 84)]
    assert set(bla["source_id"]) == {"S001", "S003", "S004"}
    assert set(bla["claimant_type"]) == {"militant"}


def test_conflicting_gwadar_tolls_are_both_kept(ds: Dataset) -> None:
    g = _claims(ds, incident_id="BAL26-005", category="killed_civilians")
    assert sorted(zip(g["source_id"], g["value"], strict=True)) == [("S001", 11), ("S003", 5)]


def test_friday_and_forty_hour_figures_carry_their_own_dates(ds: Dataset) -> None:
    mil = _claims(ds, category="killed_militants", area="Balochistan")
    by_value = {v: {(f"{s:%m-%d}", f"{e:%m-%d}") for s, e in
                    zip(g["period_start"], g["period_end"], strict=True)}
                for v, g in mil.groupby("value")}
    assert by_value[41] == {("01-30", "01-30")}
    assert by_value[92] == {("01-31", "01-31")}
    assert by_value[133] == {("01-30", "01-31")}
    assert by_value[145] == {("01-30", "02-01")}
    assert (ds.incidents["event_date"] == pd.Timestamp("2026-01-31")).all()


def test_sum_is_not_silently_fixed(ds: Dataset) -> None:
    # S000 calls 92 + 41 "the total of 145"; both figures stay as stated.
    s000 = _claims(ds, source_id="S000", category="killed_militants")
    assert set(s000["value"]) == {41, 92, 145}
    assert "133" in s000.set_index("claim_id").loc["C028", "note"]


def test_the_coding_follows_what_the_sources_say(ds: Dataset) -> None:
    c = ds.claims.set_index(ds.claims["claim_id"].astype(str))
    day = pd.Timestamp("2026-01-31")
    for cid in ("C003", "C005", "C006", "C007", "C008"):  # Saturday tallies, first wave
        assert (c.loc[cid, "period_start"], c.loc[cid, "period_end"]) == (day, day), cid
    for cid in ("C003", "C004", "C011", "C014"):  # civilians and security forces together
        assert c.loc[cid, "category"] == "killed_combined", cid
    assert c.loc["C008", "subgroup"] == "police officers"
    assert c.loc["C016", "subgroup"] == "security personnel"
    assert c.loc["C042", "claimant_type"] == "media"  # "local reports"
    assert "guards" in c.loc["C046", "note"] and "civilian" in c.loc["C046", "note"]
    inc = ds.incidents.set_index(ds.incidents["incident_id"].astype(str))
    assert inc.loc["BAL26-014", "location"] == ""  # S002 does not place the FC facility
    assert (inc["sub_event_type"].astype(str) != "").all()
