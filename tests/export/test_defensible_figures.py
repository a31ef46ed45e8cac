"""Every figure is a number with its claims or no figure, end to end: exports, JSON,
headlines and maps; unlike claims are never netted; militant claims are marked."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import folium
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

from geo import Gazetteer
from geo.analysis.filter import Filter
from geo.analysis.headline import headlines
from geo.analysis.summary import summarise
from geo.cli.commands import main
from geo.dataset.records import Dataset, load_dataset, read_dataset
from geo.dataset.schema import CATEGORIES
from geo.export.tables import incident_frame, write_csv, write_geojson
from geo.maps.symbology import MILITANT_COLOUR, MILITANT_LAYER
from geo.maps.web.pointlayers import add_point_layers, popup_table
from tests.support import examples
from tests.support.datasets import datasets, write_rows


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset()


def _features(ds: Dataset, gaz: Gazetteer, path: Path, policy: str = "lowest") -> dict:
    write_geojson(incident_frame(summarise(ds, gaz, Filter.from_text(policy=policy)), ds),
                  path)
    return {f["properties"]["incident_id"]: f for f in
            json.loads(path.read_text(encoding="utf-8"))["features"]}


def test_an_unlocated_incident_keeps_its_figures_in_every_export(
        ds: Dataset, gaz: Gazetteer, tmp_path: Path) -> None:
    fc = _features(ds, gaz, tmp_path / "i.geojson")["BAL26-014"]  # place not reported
    p = fc["properties"]
    assert fc["geometry"] is None and p["located"] is False
    assert (p["killed_security_forces_best"], p["killed_security_forces_claims"]) == (3, 1)
    assert p["killed_security_forces_best_class"] == "militant"  # marked as the BLA's
    assert p["killed_security_forces_claimant_types"] == "militant"
    write_csv(incident_frame(summarise(ds, gaz), ds), tmp_path / "i.csv")
    rows = pd.read_csv(tmp_path / "i.csv", dtype=str, keep_default_na=False)
    row = rows.set_index("incident_id").loc["BAL26-014"]
    assert row["killed_security_forces_best"] == "3"  # an integer, not 3.0
    assert row["killed_civilians_best"] == ""  # no claim: empty, never 0
    assert not rows.filter(like="_best").apply(lambda c: c.str.endswith(".0")).any().any()


def test_coordinates_in_properties_match_the_geometry(ds: Dataset, gaz: Gazetteer,
                                                      tmp_path: Path) -> None:
    for f in _features(ds, gaz, tmp_path / "i.geojson").values():
        if f["geometry"] is None:
            continue
        lon, lat = f["geometry"]["coordinates"]
        assert (f["properties"]["lon"], f["properties"]["lat"]) == (lon, lat)
        assert len(str(lon).split(".")[1]) <= 6


def test_exports_get_the_usual_file_mode(ds: Dataset, gaz: Gazetteer, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        for fmt in ("geojson", "csv"):
            out = tmp_path / f"x.{fmt}"
            res = CliRunner().invoke(main, ["export", "--format", fmt, "--out", str(out)])
            assert res.exit_code == 0, res.output
            assert out.stat().st_mode & 0o777 == 0o644  # a colleague can read it
    finally:
        os.umask(old)


def test_no_figure_is_null_in_the_json_summary_never_zero() -> None:
    res = CliRunner().invoke(main, ["summary", "--json", "--figures", "official"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    civ = d["totals"]["killed_civilians"]
    assert civ["located"]["best"] is None and civ["total_best"] == 31  # no official incident
    assert d["totals"]["killed_unknown"]["total_best"] is None  # no claim at all
    assert d["headlines"]["abducted"]["figure"] is None  # only the BLA gives one
    assert d["headlines"]["abducted"]["militant_claim"] == 18
    assert not any(v.get("best") == 0 for r in d["districts"] for v in r["figures"].values())


def test_unlike_figures_are_never_netted(ds: Dataset, gaz: Gazetteer) -> None:
    a = summarise(ds, gaz).areas.set_index(["category", "period_end"])
    day, end = pd.Timestamp("2026-01-31"), pd.Timestamp("2026-02-01")
    injured = a.loc[("injured", day)]  # 24 injured police officers vs an MSA soldier + 3
    assert not injured["compared"] and pd.isna(injured["unattributed_best"])
    assert "police officers" in injured["comparison"]
    abducted = a.loc[("abducted", end)]  # the BLA's 18 captured vs one Deputy Commissioner
    assert abducted["best_class"] == "militant" and not abducted["compared"]
    security = a.loc[("killed_security_forces", end)]  # officials' 17 vs media counts
    assert not security["compared"] and pd.isna(security["unattributed_best"])
    friday = a.loc[("killed_militants", pd.Timestamp("2026-01-30"))]
    assert friday["unattributed_best"] == 41  # nothing located that day: all of it


def test_sides_combined_is_its_own_line(ds: Dataset, gaz: Gazetteer) -> None:
    hl = {h.category: h for h in headlines(summarise(ds, gaz), dataset=ds)}
    combined = hl["killed_combined"]
    assert combined.label == "Killed, sides combined"
    assert (combined.low, combined.high) == (12, 40)
    assert "killed_unknown" not in hl  # nothing is coded as "side not stated" now


def test_militant_only_figures_are_marked_on_the_map(ds: Dataset, gaz: Gazetteer) -> None:
    # the bundled BLA figure is not on the map: a copy with its place given
    inc = ds.incidents.copy()
    inc["location"] = inc["location"].astype(object)
    inc.loc[inc["incident_id"] == "BAL26-014", "location"] = "Noshki"
    s = summarise(Dataset(ds.root, ds.sources, inc, ds.claims, []), gaz)
    located = s.incidents.set_index(s.incidents["incident_id"].astype(str))
    assert located.loc["BAL26-014", "killed_security_forces_class"] == "militant"
    assert s.totals.set_index("category").loc["killed_security_forces",
                                              "located_best"] == 3  # 2 + 1, not + 3
    m = folium.Map()
    drawn, _scale = add_point_layers(m, s.incidents, CATEGORIES)
    assert (MILITANT_COLOUR, MILITANT_LAYER, "1 incident") in drawn
    blue = next(n for _c, label, n in drawn if label == "Security forces killed")
    assert blue == "2 incidents"  # Quetta and Pasni; the BLA's claim is not a blue circle
    popups = popup_table(m)["popup"]
    assert any("claimed only by militants" in p and "BAL26-014" in p for p in popups)


def test_every_headline_says_who_gives_it(ds: Dataset, gaz: Gazetteer) -> None:
    for policy in ("lowest", "highest", "official"):
        for h in headlines(summarise(ds, gaz, Filter.from_text(policy=policy)), dataset=ds):
            assert h.by or not h.has_figure, h
            if h.militant == h.militant:  # a militant claim is always said to be one
                assert "militants claim" in " ".join(h.lines())


@settings(max_examples=examples(25), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(tables=datasets())
def test_export_sums_equal_the_summary_and_no_missing_figure_is_zero(
        gaz: Gazetteer, tables: dict) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_rows(folder, tables)
        data = read_dataset(folder)
        for policy in ("lowest", "highest", "official"):
            s = summarise(data, gaz, Filter.from_text(policy=policy))
            write_geojson(incident_frame(s, data), folder / "x.geojson")
            props = pd.DataFrame([f["properties"] for f in json.loads(
                (folder / "x.geojson").read_text(encoding="utf-8"))["features"]])
            totals = s.totals.set_index("category")
            for cat in CATEGORIES:
                if props.empty:
                    assert pd.isna(totals.loc[cat, "incidents_best"])
                    continue
                best = pd.to_numeric(props[f"{cat}_best"])
                mil = props[f"{cat}_best_class"] == "militant"
                want = totals.loc[cat, "incidents_best"]
                got = best[~mil].sum(min_count=1)
                assert (pd.isna(want) and pd.isna(got)) or want == got, (policy, cat)
                militant = pd.Series([totals.loc[cat, "located_militant_best"],
                                      totals.loc[cat, "unlocated_militant_best"]])
                assert best[mil].sum() == militant.sum()
                # no claim in the category: no figure, never 0
                assert best[props[f"{cat}_claims"] == 0].isna().all()
