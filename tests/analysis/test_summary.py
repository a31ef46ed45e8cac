"""District summaries, unattributed figures, and RFC 7946 GeoJSON / CSV exports."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from click.testing import CliRunner

from geo import Gazetteer
from geo.analysis.filter import Filter
from geo.analysis.summary import Summary, summarise
from geo.cli.commands import main
from geo.dataset.records import Dataset, load_dataset
from geo.dataset.schema import CATEGORIES
from geo.export.tables import district_frame, incident_frame, write_csv, write_geojson


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset()


def _totals(s: Summary) -> dict[str, tuple]:
    return {r["category"]: (r["located_best"], r["area_total_best"], r["unattributed_best"])
            for r in s.totals.to_dict("records")}


def _same(got: tuple, want: tuple) -> bool:
    """Equal, NaN matching NaN (a missing figure is never 0)."""
    return all((pd.isna(a) and pd.isna(b)) or a == b for a, b in zip(got, want, strict=True))


def test_lowest_policy_shows_located_beside_unlike_area_figures(ds: Dataset,
                                                               gaz: Gazetteer) -> None:
    t = _totals(summarise(ds, gaz))
    nan = float("nan")
    # Located civilians (media reports: Gwadar min(11, 5) + Kharan 7) beside the Chief
    # Minister's 31: different claimant classes, so nothing is netted.
    assert _same(t["killed_civilians"], (12, 31, nan))
    # Quetta 2 + Pasni 1; the BLA's "several" at the FC facility is not in the sum.
    assert _same(t["killed_security_forces"], (3, 17, nan))
    assert _same(t["killed_militants"], (15, 145, nan))  # the widest period is the headline


def test_official_policy_uses_only_official_claims(ds: Dataset, gaz: Gazetteer) -> None:
    s = summarise(ds, gaz, Filter.from_text(policy="official"))
    t = _totals(s)
    nan = float("nan")
    # No incident figure is official: located is no figure (never 0), and with nothing
    # located the whole area figure is unattributed.
    assert _same(t["killed_civilians"], (nan, 31, 31))
    assert t["killed_security_forces"][1] == 17
    assert pd.isna(t["abducted"][1])  # only the BLA gives a provincial figure
    assert not (s.areas["best_claimant"] == "Baloch Liberation Army").any()


def test_highest_policy_never_takes_a_militant_claim_over_others(ds: Dataset,
                                                                 gaz: Gazetteer) -> None:
    s = summarise(ds, gaz, Filter.from_text(policy="highest"))
    t = _totals(s)
    assert t["killed_security_forces"][1] == 17  # the officials' highest, not the BLA's 84
    row = s.totals.set_index("category").loc["killed_security_forces"]
    assert pd.isna(row["area_militant_best"])  # 17 came from officials
    head = s.areas[s.areas["headline"] & (s.areas["category"] == "killed_security_forces")]
    assert head["militant_high"].tolist() == [84]  # kept apart, to be shown marked
    assert t["killed_civilians"][0] == 18  # Gwadar 11 + Kharan 7


def test_headline_and_partial_periods_kept(ds: Dataset, gaz: Gazetteer) -> None:
    a = summarise(ds, gaz).areas
    mil = a[a["category"] == "killed_militants"].set_index("total_best")
    assert sorted(mil.index) == [41, 92, 133, 145]
    assert mil["headline"].to_dict() == {145: True, 133: False, 92: False, 41: False}


def test_date_filter_changes_the_headline(ds: Dataset, gaz: Gazetteer) -> None:
    s = summarise(ds, gaz, Filter.from_text(date_from="2026-01-30", date_to="2026-01-30"))
    assert len(s.incidents) == 0
    assert _same(_totals(s)["killed_militants"], (float("nan"), 41, 41))


def test_district_filter(ds: Dataset, gaz: Gazetteer) -> None:
    s = summarise(ds, gaz, Filter.from_text(district="Gwadar"))
    assert s.districts["district"].tolist() == ["Gwadar"]
    assert int(s.districts["incidents"].iloc[0]) == 4
    assert s.areas.empty  # the provincial figures are not inside one district
    with pytest.raises(ValueError, match="no district or province"):
        summarise(ds, gaz, Filter.from_text(district="Atlantis"))


def test_district_rows(ds: Dataset, gaz: Gazetteer) -> None:
    d = summarise(ds, gaz).districts.set_index("district")
    assert d["incidents"].sum() == 17  # BAL26-014's place is not reported
    assert d.loc["Quetta", "incidents"] == 4
    assert (d.loc["Gwadar", "killed_civilians_low"], d.loc["Gwadar", "killed_civilians_high"]) \
        == (5, 11)


def test_geojson_round_trip_and_coordinate_order(ds: Dataset, gaz: Gazetteer,
                                                 tmp_path: Path) -> None:
    s = summarise(ds, gaz)
    path = tmp_path / "incidents.geojson"
    write_geojson(incident_frame(s, ds), path)
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert raw["type"] == "FeatureCollection" and "crs" not in raw
    for f in raw["features"]:
        assert all(not isinstance(v, dict | list) for v in f["properties"].values())
    quetta = next(f for f in raw["features"] if f["properties"]["incident_id"] == "BAL26-001")
    assert quetta["geometry"]["coordinates"] == pytest.approx([67.00141, 30.18414])
    back = pyogrio.read_dataframe(path)
    assert back.crs.to_epsg() == 4326 and len(back) == 18
    gwadar = back.set_index("incident_id").loc["BAL26-005"]
    assert (gwadar["killed_civilians_low"], gwadar["killed_civilians_high"]) == (5, 11)
    assert gwadar["geometry"].x == pytest.approx(62.32541)  # longitude first
    for cat in CATEGORIES:
        assert {f"{cat}_best", f"{cat}_low", f"{cat}_high", f"{cat}_claims"} <= set(back.columns)


def test_unlocated_incidents_are_exported_with_null_geometry(ds: Dataset, gaz: Gazetteer,
                                                             tmp_path: Path) -> None:
    broken = Dataset(ds.root, ds.sources, ds.incidents.copy(), ds.claims, [])
    broken.incidents.loc[0, "location"] = "Zzyzx Qqq"
    s = summarise(broken, gaz)
    assert s.unresolved["incident_id"].tolist() == ["BAL26-001", "BAL26-014"]
    frame = incident_frame(s, broken)
    path = tmp_path / "i.geojson"
    write_geojson(frame, path)
    feats = json.loads(path.read_text(encoding="utf-8"))["features"]
    lost = [f for f in feats if f["properties"]["incident_id"] == "BAL26-001"]
    assert lost[0]["geometry"] is None and lost[0]["properties"]["located"] is False
    assert lost[0]["properties"]["unresolved_reason"]


def test_unresolved_incidents_follow_the_filters(ds: Dataset, gaz: Gazetteer) -> None:
    broken = Dataset(ds.root, ds.sources, ds.incidents.copy(), ds.claims, [])
    broken.incidents["location"] = broken.incidents["location"].astype(object)
    broken.incidents.loc[0, "location"] = "Zzyzx Qqq"  # BAL26-001, 2026-01-31, Battles
    # (a known admin2 would locate it at that district, precision 3)

    def lost(**filters: object) -> list[str]:
        s = summarise(broken, gaz, Filter.from_text(**filters))  # type: ignore[arg-type]
        return s.unresolved["incident_id"].astype(str).tolist()

    both = ["BAL26-001", "BAL26-014"]  # BAL26-014: place not reported (S002, Battles)
    assert lost() == lost(district="Balochistan") == both  # their admin1 hint
    assert lost(district="Quetta") == lost(district="Punjab") == []
    assert lost(date_from="2026-02-01") == [] and lost(date_to="2026-01-31") == both
    assert lost(event_types=["Riots"]) == [] and lost(event_types=["Battles"]) == both
    assert lost(sources=["S002"]) == ["BAL26-014"] and lost(sources=["S001"]) == ["BAL26-001"]


def test_district_polygons(ds: Dataset, gaz: Gazetteer, tmp_path: Path) -> None:
    frame = district_frame(summarise(ds, gaz), gaz.boundaries.districts)
    path = tmp_path / "d.geojson"
    write_geojson(frame, path)
    back = gpd.read_file(path)
    assert len(back) == 35 and back.geom_type.isin(["Polygon", "MultiPolygon"]).all()
    assert back.set_index("district").loc["Awaran", "incidents"] == 0


def test_csv_neutralises_formulas_but_not_numbers(tmp_path: Path) -> None:
    df = pd.DataFrame({"text": ["=HYPERLINK(1)", "+1", "@x", "-cmd", "ok"],
                       "n": [-5, 1, 2, 3, 4]})
    path = tmp_path / "x.csv"
    write_csv(df, path)
    back = pd.read_csv(path, dtype=str)
    assert back["text"].tolist() == ["'=HYPERLINK(1)", "+1", "'@x", "'-cmd", "ok"]  # +1: a number
    assert back["n"].tolist() == ["-5", "1", "2", "3", "4"]


def test_cli_validate_summary_export(tmp_path: Path) -> None:
    r = CliRunner()
    res = r.invoke(main, ["validate"])
    assert res.exit_code == 0 and "18 incidents (17 located)" in res.stdout
    res = r.invoke(main, ["summary", "--figures", "official", "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert d["figure_policy"] == "official"
    assert d["totals"]["killed_civilians"]["area_total"]["best"] == 31
    assert {r["district"] for r in d["districts"]} >= {"Quetta", "Gwadar", "Nushki"}
    assert any(u["headline"] and u["category"] == "killed_militants" for u in d["unattributed"])
    out = tmp_path / "x.geojson"
    res = r.invoke(main, ["export", "--format", "geojson", "--out", str(out), "--from",
                          "2026-01-31", "--to", "2026-01-31", "--figures", "source:S003"])
    assert res.exit_code == 0, res.output
    assert len(json.loads(out.read_text())["features"]) == 18
    res = r.invoke(main, ["export", "--format", "csv", "--what", "districts", "--out", "-"])
    assert res.exit_code == 0 and res.stdout.startswith("district,")
    assert r.invoke(main, ["summary", "--figures", "nope"]).exit_code == 2


def test_cli_validate_reports_bad_data(tmp_path: Path) -> None:
    import shutil

    from geo.bundled import dataset_dir

    d = tmp_path / "ds"
    shutil.copytree(dataset_dir(), d)
    with (d / "incidents.csv").open("a", encoding="utf-8") as fh:
        fh.write("BAL26-900,2026-01-31,1,Zzyzx Qqq,,,,,,Battles,Armed clash,,,,,S001,\n")
        fh.write("BAL26-901,2026-01-31,1,Quetta,,,,,,Battles,Armed clash,,,,,S404,\n")
    res = CliRunner().invoke(main, ["validate", "--data", str(d)])
    assert res.exit_code == 1
    assert "incidents.csv:21: source_ids:" in res.stderr
    (d / "incidents.csv").write_text(
        "\n".join((d / "incidents.csv").read_text().splitlines()[:-1]) + "\n")
    res = CliRunner().invoke(main, ["validate", "--data", str(d)])
    assert res.exit_code == 1 and "incidents.csv:20: location:" in res.stderr
