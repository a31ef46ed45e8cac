"""ACLED export: what each column means, and a round trip through ``import acled``
that keeps every incident's claims (the sidecar holds what the CSV collapses)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from geo import Gazetteer
from geo.analysis.filter import Filter
from geo.analysis.summary import summarise
from geo.bundled import dataset_dir
from geo.cli.commands import main
from geo.dataset.records import Dataset, read_dataset
from geo.dataset.save import write_tables
from geo.export.acled import acled_frame, acled_sidecar, actor_type
from geo.importers.acled import ACLED_COLUMNS, import_acled

CLAIM = ["claim_id", "incident_id", "source_id", "claimant", "claimant_type", "category",
         "value", "value_max", "qualifier", "value_text", "claim_date", "locator", "note",
         "subgroup"]

# Incidents, each with one thing to show; Quetta and Gwadar are in the gazetteer, the
# last place is not (an unlocated incident keeps its figures).
_INCIDENTS = [
    # id, place, event_type, sub_event_type, actor1, actor2, target_type
    ("T1", "Quetta", "Battles", "Armed clash", "BLA: Baloch Liberation Army",
     "Police Forces of Pakistan (2018-)", "police"),
    ("T2", "Quetta", "Battles", "Armed clash", "Military Forces of Pakistan (2018-)",
     "Unidentified Armed Group (Pakistan)", ""),
    ("T3", "Gwadar", "Violence against civilians", "Attack", "BLA: Baloch Liberation Army",
     "Civilians (Pakistan)", ""),
    ("T4", "Gwadar", "Explosions/Remote violence", "Suicide bomb",
     "BLA: Baloch Liberation Army", "", "bus passengers (civilians)"),
    ("T5", "Gwadar", "Battles", "Armed clash", "Military Forces of India (2014-)",
     "Protesters (Pakistan)", "army post"),
    ("T6", "Quetta", "Strategic developments", "Looting/property destruction",
     "Rioters (Pakistan)", "", ""),
    ("T7", "Nowhereabad", "Battles", "Armed clash", "BLA: Baloch Liberation Army",
     "Police Forces of Pakistan (2018-)", ""),
]
# id, incident, claimant type, category, value, value_max, qualifier, subgroup
_CLAIMS = [
    ("K1", "T1", "militant", "killed_security_forces", "9", "", "exact", "police officers"),
    ("K2", "T1", "militant", "killed_militants", "0", "", "exact", ""),
    ("K3", "T1", "police", "killed_militants", "4", "", "exact", ""),
    ("K4", "T1", "outlet", "injured", "2", "", "at_least", ""),
    ("K5", "T2", "official", "killed_combined", "12", "", "about", ""),
    ("K6", "T3", "official", "killed_combined", "8", "", "exact", ""),
    ("K7", "T3", "hospital", "killed_civilians", "5", "7", "range", "labourers"),
    ("K8", "T4", "militant", "killed_security_forces", "20", "", "more_than", ""),
    ("K9", "T5", "police", "killed_civilians", "3", "", "exact", ""),
    ("K10", "T7", "official", "killed_security_forces", "2", "", "exact", ""),
    ("K11", "T7", "media", "abducted", "3", "", "several", ""),
]


def _write(folder: Path) -> Path:
    sources = pd.DataFrame([
        {"source_id": "A", "publisher": "Dawn", "title": "Report", "published": "2026-02-01",
         "kind": "news", "url": ""},
        {"source_id": "M", "publisher": "Militant channel", "title": "Claim",
         "published": "2026-02-01", "kind": "militant_claim", "url": ""}], dtype=object)
    incidents = pd.DataFrame([
        {"incident_id": i, "event_date": "2026-01-31", "location": place, "event_type": et,
         "sub_event_type": sub, "actor1": a1, "actor2": a2, "target_type": tt,
         "source_ids": "M" if i == "T4" else "A;M", "operation_id": "OP-1",
         "description": f"incident {i}"}
        for i, place, et, sub, a1, a2, tt in _INCIDENTS], dtype=object)
    claims = pd.DataFrame([
        {"claim_id": c, "incident_id": i, "source_id": "M" if ct == "militant" else "A",
         "claimant": f"{ct} spokesman", "claimant_type": ct, "category": cat, "value": v,
         "value_max": vm, "qualifier": q, "value_text": f"{v} said", "claim_date": "",
         "locator": "p1", "note": f"note {c}", "subgroup": sg}
        for c, i, ct, cat, v, vm, q, sg in _CLAIMS], dtype=object)
    ds = write_tables({"sources": sources, "incidents": incidents, "claims": claims}, folder)
    assert ds.problems == []
    return folder


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write(tmp_path_factory.mktemp("acled-small"))


@pytest.fixture(scope="module")
def rows(small: Path, gaz: Gazetteer) -> pd.DataFrame:
    ds = read_dataset(small)
    return acled_frame(summarise(ds, gaz), ds).set_index("event_id_cnty")


def _claims(ds: Dataset, ids: set[str] | None = None) -> set[tuple[str, ...]]:
    c = ds.claims[ds.claims["incident_id"].astype(str) != ""]
    if ids is not None:
        c = c[c["incident_id"].astype(str).isin(ids)]
    return {tuple("" if pd.isna(v) else str(v) for v in r)
            for r in c[CLAIM].itertuples(index=False)}


def _export(data: Path | None, out: Path, *extra: str) -> None:
    args = ["export", "--format", "acled", "--out", str(out), *extra]
    res = CliRunner().invoke(main, args + (["--data", str(data)] if data else []))
    assert res.exit_code == 0, res.output


@pytest.mark.parametrize("policy", ["lowest", "highest", "official"])
def test_round_trip_keeps_every_incidents_claims_and_figures(tmp_path: Path, gaz: Gazetteer,
                                                            policy: str) -> None:
    _export(None, tmp_path / "bundled.csv", "--figures", policy)
    assert import_acled(tmp_path / "bundled.csv", tmp_path / "back") == []
    first, second = read_dataset(dataset_dir()), read_dataset(tmp_path / "back")
    ids = set(second.incidents["incident_id"].astype(str))
    assert ids == set(first.incidents["incident_id"].astype(str))
    assert _claims(second) == _claims(first, ids)  # claimants, subgroups, notes...
    a = first.incidents.set_index(first.incidents["incident_id"].astype(str))
    b = second.incidents.set_index(second.incidents["incident_id"].astype(str))
    for col in ("source_ids", "target_type", "operation_id", "event_type", "sub_event_type",
                "actor1", "actor2", "description"):
        assert list(b.loc[sorted(ids), col]) == list(a.loc[sorted(ids), col]), col
    assert not [c for c in b.columns if c.startswith("acled_")]  # nothing derived kept
    cited = set(second.claims["source_id"].astype(str))
    src = first.sources.set_index(first.sources["source_id"].astype(str))
    back = second.sources.set_index(second.sources["source_id"].astype(str))
    assert cited <= set(back.index)
    assert (back.loc[sorted(cited), "publisher"] == src.loc[sorted(cited), "publisher"]).all()
    view = Filter.from_text(policy=policy)
    before, after = (summarise(d, gaz, view).incidents for d in (first, second))
    before, after = (f.set_index(f["incident_id"].astype(str)).sort_index()
                     for f in (before, after))
    figures = [c for c in before.columns if c.endswith(("_best", "_low", "_high"))]
    pd.testing.assert_frame_equal(after[figures], before[figures])


def test_round_trip_of_militant_combined_and_unlocated_claims(small: Path,
                                                              tmp_path: Path) -> None:
    _export(small, tmp_path / "small.csv", "--date-format", "iso")
    assert import_acled(tmp_path / "small.csv", tmp_path / "back") == []
    first, second = read_dataset(small), read_dataset(tmp_path / "back")
    assert _claims(second) == _claims(first)
    assert second.sources.set_index("source_id").loc["M", "kind"] == "militant_claim"


def test_fatalities_leave_out_militant_only_figures_and_tag_them(rows: pd.DataFrame) -> None:
    # T1: police say 4 militants; militants claim 9 police (no other claim of them)
    assert rows.loc["T1", "fatalities"] == 4
    assert rows.loc["T1", "tags"] == "injured=2; militant_claim:killed_security_forces=9"
    # T4: a militant claim only -> no figure: 0 and tagged as not reported
    assert rows.loc["T4", "fatalities"] == 0
    assert rows.loc["T4", "tags"] == ("militant_claim:killed_security_forces=20; "
                                      "fatalities_not_reported")
    # T6: no claim at all
    assert (rows.loc["T6", "fatalities"], rows.loc["T6", "tags"]) == (
        0, "fatalities_not_reported")


def test_combined_figures_count_only_without_a_per_side_figure(rows: pd.DataFrame) -> None:
    assert (rows.loc["T2", "fatalities"], rows.loc["T2", "tags"]) == (12, "killed_combined=12")
    # T3: 5 civilians (lowest of the range) and 8 of several sides: never added
    assert (rows.loc["T3", "fatalities"], rows.loc["T3", "tags"]) == (5, "killed_combined=8")


def test_unlocated_incidents_keep_their_figures(rows: pd.DataFrame) -> None:
    t7 = rows.loc["T7"]
    assert (t7["fatalities"], t7["tags"]) == (2, "abducted=3")
    assert pd.isna(t7["latitude"]) and t7["location"] == "Nowhereabad"


def test_civilian_targeting_follows_the_event_not_the_figures(rows: pd.DataFrame) -> None:
    got = rows["civilian_targeting"].to_dict()
    # T3 by event type, T4 by its target, T5 killed civilians in a clash: not targeting
    assert {k for k, v in got.items() if v} == {"T3", "T4"}
    assert got["T3"] == "Civilian targeting"


def test_country_admin_units_and_actor_types(rows: pd.DataFrame) -> None:
    assert set(rows["iso"]) == {"586"} and set(rows["country"]) == {"Pakistan"}
    assert set(rows["region"]) == {"South Asia"} and set(rows["admin3"]) == {""}
    assert (rows.loc["T1", "admin1"], rows.loc["T1", "admin2"]) == ("Balochistan", "Quetta")
    assert list(rows.loc[["T1", "T2", "T3", "T5", "T6"], "inter1"]) == [
        "", "State forces", "", "External/Other forces", "Rioters"]
    assert list(rows.loc[["T1", "T2", "T3", "T5"], "inter2"]) == [
        "State forces", "Political militia", "Civilians", "Protesters"]
    assert list(rows.loc[["T1", "T2", "T5", "T6"], "interaction"]) == [
        "", "State forces-Political militia", "Protesters-External/Other forces",
        "Rioters only"]
    # every cited source of T4 is a militant claim: ACLED's "New media"
    assert (rows.loc["T4", "source_scale"], rows.loc["T1", "source_scale"]) == ("New media", "")
    assert actor_type("Government of Pakistan", "Pakistan") == "State forces"


def test_passthrough_acled_columns_win(tmp_path: Path, gaz: Gazetteer, small: Path) -> None:
    inc = pd.read_csv(small / "incidents.csv", dtype=str, keep_default_na=False)
    inc["acled_inter1"] = ["Rebel group", *[""] * (len(inc) - 1)]
    folder = tmp_path / "d"
    folder.mkdir()
    for name in ("sources.csv", "claims.csv"):
        (folder / name).write_bytes((small / name).read_bytes())
    inc.to_csv(folder / "incidents.csv", index=False)
    ds = read_dataset(folder)
    got = acled_frame(summarise(ds, gaz), ds).set_index("event_id_cnty")
    assert (got.loc["T1", "inter1"], got.loc["T1", "interaction"]) == (
        "Rebel group", "State forces-Rebel group")


def test_the_sidecar_lists_actors_of_unknown_type_and_explains_tags(
        small: Path, gaz: Gazetteer) -> None:
    ds = read_dataset(small)
    s = summarise(ds, gaz)
    side = acled_sidecar(s, acled_frame(s, ds), ds)
    assert side["actors_of_unknown_type"] == ["BLA: Baloch Liberation Army"]
    assert "fatalities_not_reported" in side["tags"]
    assert {c["claim_id"] for c in side["claims"]} == {c[0] for c in _CLAIMS}
    assert next(c for c in side["claims"] if c["claim_id"] == "K7")["subgroup"] == "labourers"
    json.dumps(side)  # JSON-ready


def test_dates_counts_and_coordinates_as_acled_writes_them(small: Path,
                                                           tmp_path: Path) -> None:
    _export(small, tmp_path / "a.csv")
    _export(small, tmp_path / "b.csv", "--date-format", "iso")
    a = pd.read_csv(tmp_path / "a.csv", dtype=str, keep_default_na=False)
    b = pd.read_csv(tmp_path / "b.csv", dtype=str, keep_default_na=False)
    assert tuple(a.columns) == ACLED_COLUMNS
    assert set(a["event_date"]) == {"31 January 2026"} and set(b["event_date"]) == {
        "2026-01-31"}
    assert a["fatalities"].str.fullmatch(r"\d+").all()
    assert a["year"].str.fullmatch(r"\d{4}").all()
    for col in ("latitude", "longitude"):
        assert a[col].str.fullmatch(r"(-?\d+(\.\d{1,4})?)?").all(), a[col].tolist()
    numbers = [n for t in a["tags"] for n in re.findall(r"=([^;]*)", t)]
    assert numbers and all(re.fullmatch(r"\d+", n) for n in numbers)
    assert (tmp_path / "a.json").exists()  # the sidecar beside a.csv


def test_date_format_is_only_for_acled(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["export", "--format", "csv", "--date-format", "iso",
                                    "--out", str(tmp_path / "x.csv")])
    assert res.exit_code == 2 and "only for --format acled" in res.output
