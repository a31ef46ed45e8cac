"""ACLED import: a fixture in ACLED's published column layout becomes a dataset with
nothing lost; rows that do not map are reported at ACLED's own row numbers."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from geo import DataError, Gazetteer
from geo.analysis.summary import summarise
from geo.cli.commands import main
from geo.dataset.records import read_dataset
from geo.importers.acled import ACLED_COLUMNS, import_acled

SAMPLE = Path(__file__).parent / "data" / "acled_sample.csv"


@pytest.fixture()
def imported(tmp_path: Path) -> tuple[Path, list]:
    out = tmp_path / "acled"
    return out, import_acled(SAMPLE, out)


def test_fixture_has_acleds_exact_columns() -> None:
    with SAMPLE.open(encoding="utf-8") as fh:
        assert tuple(next(csv.reader(fh))) == ACLED_COLUMNS


def test_bad_rows_are_reported_at_acled_rows_and_still_written(imported: tuple) -> None:
    out, problems = imported
    got = {(p.file, p.row, p.field) for p in problems}
    assert {("acled_sample.csv", 5, "fatalities"), ("acled_sample.csv", 6, "latitude"),
            ("acled_sample.csv", 7, "event_type")} <= got
    assert all(p.row in (5, 6, 7) for p in problems)
    ds = read_dataset(out)
    assert len(ds.incidents) + len(ds.rejected["incidents"]) == 6  # nothing dropped
    # the event with an unreadable count stays an event; only its claim is left out
    assert set(ds.incidents["incident_id"]) == {"PAK90001", "PAK90002", "PAK90003", "PAK90004"}
    assert "PAK90004-fatalities" in set(ds.rejected["claims"]["claim_id"])


def test_events_fatalities_and_sources_map(imported: tuple) -> None:
    ds = read_dataset(imported[0])
    inc = ds.incidents.set_index("incident_id")
    assert str(inc.loc["PAK90002", "event_date"].date()) == "2026-01-31"  # "31 January 2026"
    assert (inc.loc["PAK90001", "latitude"], inc.loc["PAK90001", "longitude"]) == (30.1841,
                                                                                  67.0014)
    assert inc.loc["PAK90003", "geo_precision"] == 2
    assert inc.loc["PAK90002", "description"].startswith("Test fixture: attack")
    # inter codes numeric or text, and every other ACLED column, kept as passthrough
    assert list(inc.loc[["PAK90001", "PAK90002"], "acled_inter1"]) == ["2", "Rebel group"]
    assert inc.loc["PAK90001", "acled_tags"] == "crowd size=no report"
    assert inc.loc["PAK90002", "acled_assoc_actor_2"] == "Labour Group (Pakistan)"
    c = ds.claims.set_index("claim_id")
    # ACLED's count is of all sides together, civilian targeting or not
    assert set(c["category"]) == {"killed_combined"}
    assert c.loc["PAK90003-fatalities", "value"] == 0  # a reported zero is kept, and said
    assert "ACLED codes 0 when no fatalities are reported" in c.loc["PAK90003-fatalities",
                                                                     "note"]
    assert "ACLED codes 0" not in c.loc["PAK90001-fatalities", "note"]
    assert set(c["claimant"]) == {"ACLED"}
    src = ds.sources.set_index("publisher")
    assert {"Dawn", "Reuters", "Balochistan Post"} <= set(src.index)
    assert str(src.loc["Dawn", "published"].date()) == "2026-01-31"  # earliest citing event
    ids = set(inc.loc["PAK90001", "source_ids"].split(";"))
    assert {"ACLED", src.loc["Dawn", "source_id"], src.loc["Reuters", "source_id"]} == ids


def test_imported_figures_are_acleds(imported: tuple, gaz: Gazetteer) -> None:
    s = summarise(read_dataset(imported[0]), gaz)
    t = s.totals.set_index("category")
    assert t.loc["killed_combined", "total_best"] == 10 + 11 + 0
    for side in ("killed_civilians", "killed_unknown"):  # no per-side figure: none or 0
        assert not t.loc[side, "total_best"] > 0


def test_cli_import(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["import", "acled", str(SAMPLE), "--out",
                                    str(tmp_path / "d")])
    assert res.exit_code == 1
    assert "acled_sample.csv:5: fatalities: expected a whole number" in res.output
    assert (tmp_path / "d" / "incidents.csv").exists()
    bad = tmp_path / "bad.csv"
    bad.write_text("event_id_cnty,event_date\nX,2026-01-01\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["import", "acled", str(bad), "--out", str(tmp_path / "e")])
    assert res.exit_code == 1 and "bad.csv:1: fatalities: required column is missing" in \
        res.output
    with pytest.raises(DataError):
        import_acled(tmp_path / "missing.csv", tmp_path / "f")


def test_export_in_acled_columns_with_the_policy_in_a_sidecar(tmp_path: Path,
                                                              gaz: Gazetteer) -> None:
    import json

    import pandas as pd

    out = tmp_path / "ours.acled.csv"
    res = CliRunner().invoke(main, ["export", "--format", "acled", "--figures", "lowest",
                                    "--out", str(out)])
    assert res.exit_code == 0, res.output
    got = pd.read_csv(out, dtype=str, keep_default_na=False).set_index("event_id_cnty")
    assert tuple(["event_id_cnty", *got.columns]) == ACLED_COLUMNS
    # Gwadar attack under "lowest": 5 civilians (not the 11 of another source) + 6 militants
    assert got.loc["BAL26-005", "fatalities"] == "11"
    assert got.loc["BAL26-005", "civilian_targeting"] == "Civilian targeting"
    # 1 soldier + 6 militants; the injured have no ACLED column: kept in tags
    assert got.loc["BAL26-007", "fatalities"] == "7"
    assert got.loc["BAL26-007", "tags"] == "injured=1"
    assert (got.loc["BAL26-001", "admin1"], got.loc["BAL26-001", "admin2"]) == (
        "Balochistan", "Quetta")
    meta = json.loads((tmp_path / "ours.acled.json").read_text(encoding="utf-8"))
    assert meta["figure_policy"].startswith("lowest") and meta["rows"] == len(got)
    assert set(meta["incident_ids"]) == set(got.index)


def test_acled_import_export_import_keeps_events_and_fatalities(imported: tuple,
                                                                tmp_path: Path) -> None:
    out, _problems = imported
    first = read_dataset(out)
    back = tmp_path / "back.csv"
    res = CliRunner().invoke(main, ["export", "--format", "acled", "--data", str(out),
                                    "--out", str(back)])
    assert res.exit_code == 1  # the fixture's bad rows are reported again, then left out
    second = read_dataset(import_and_get(back, tmp_path / "again"))
    a = first.incidents.set_index("incident_id")
    b = second.incidents.set_index("incident_id")
    assert set(b.index) == set(a.index)
    for col in ("event_date", "latitude", "longitude", "geo_precision", "acled_inter1",
                "acled_tags", "acled_assoc_actor_2"):
        assert list(b.loc[a.index, col]) == list(a.loc[a.index, col]), col
    # the event whose count was unreadable has no claim: exported as 0 tagged
    # fatalities_not_reported, it comes back without one (not as "at least 0")
    fat = {str(r.incident_id): (r.category, r.value) for r in first.claims.itertuples()}
    assert "PAK90004" not in fat
    assert {str(r.incident_id): (r.category, r.value)
            for r in second.claims.itertuples()} == fat


def import_and_get(path: Path, out: Path) -> Path:
    assert import_acled(path, out) == []
    return out


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled dataset exported in ACLED's columns, its sidecar beside it."""
    out = tmp_path_factory.mktemp("exported") / "ours.csv"
    res = CliRunner().invoke(main, ["export", "--format", "acled", "--out", str(out)])
    assert res.exit_code == 0, res.output
    return out


def test_without_the_sidecar_fatalities_is_one_combined_claim(exported: Path,
                                                              tmp_path: Path) -> None:
    import pandas as pd

    assert import_acled(exported, tmp_path / "d", sidecar=False) == []
    ds = read_dataset(tmp_path / "d")
    rows = pd.read_csv(exported, dtype=str, keep_default_na=False).set_index("event_id_cnty")
    c = ds.claims.set_index(ds.claims["incident_id"].astype(str))
    assert set(c["category"]) == {"killed_combined"} and set(c["claimant"]) == {"ACLED"}
    assert c.loc["BAL26-005", "value"] == 11  # 5 civilians + 6 militants, all sides
    silent = set(rows.index[rows["tags"].str.contains("fatalities_not_reported")])
    assert silent and not silent & set(c.index)  # no figure: no claim of "at least 0"
    assert set(c.index) == set(rows.index) - silent


def test_the_cli_finds_or_is_told_the_sidecar(exported: Path, tmp_path: Path) -> None:
    moved = tmp_path / "elsewhere.json"
    moved.write_bytes(exported.with_suffix(".json").read_bytes())
    lone = tmp_path / "lone.csv"
    lone.write_bytes(exported.read_bytes())
    res = CliRunner().invoke(main, ["import", "acled", str(lone), "--out", str(tmp_path / "a"),
                                    "--sidecar", str(moved)])
    assert res.exit_code == 0, res.output
    assert "ACLED" not in set(read_dataset(tmp_path / "a").claims["claimant"].astype(str))
    res = CliRunner().invoke(main, ["import", "acled", str(exported), "--out",
                                    str(tmp_path / "b"), "--no-sidecar"])
    assert res.exit_code == 0, res.output
    assert set(read_dataset(tmp_path / "b").claims["claimant"].astype(str)) == {"ACLED"}


@pytest.mark.parametrize(("change", "field"), [
    (lambda d: "{not json", None),
    (lambda d: {**d, "format": "something else"}, "format"),
    (lambda d: {**d, "claims": {"C1": 1}}, "claims"),
    (lambda d: {**d, "claims": [{**d["claims"][0], "category": ""}, *d["claims"][1:]]},
     "claims[0].category"),
    (lambda d: {**d, "incidents": {"BAL26-001": {"target_type": 3}}}, "incidents"),
])
def test_a_malformed_sidecar_is_an_error_naming_file_and_field(
        exported: Path, tmp_path: Path, change: Any, field: str | None) -> None:
    import json

    doc = json.loads(exported.with_suffix(".json").read_text(encoding="utf-8"))
    bad = change(doc)
    side = tmp_path / "bad.json"
    side.write_text(bad if isinstance(bad, str) else json.dumps(bad), encoding="utf-8")
    with pytest.raises(DataError) as info:
        import_acled(exported, tmp_path / "out", sidecar=side)
    assert [(p.file, p.field) for p in info.value.problems][:1] == [("bad.json", field)]
    assert not (tmp_path / "out").exists()


def test_a_sidecar_claim_that_does_not_validate_is_reported_at_its_field(
        exported: Path, tmp_path: Path) -> None:
    import json

    doc = json.loads(exported.with_suffix(".json").read_text(encoding="utf-8"))
    doc["claims"][2]["value"] = "many"
    side = tmp_path / "side.json"
    side.write_text(json.dumps(doc), encoding="utf-8")
    problems = import_acled(exported, tmp_path / "out", sidecar=side)
    assert [(p.file, p.field, p.value) for p in problems] == [
        ("side.json", "claims[2].value", "many")]


def test_a_sidecar_of_other_incidents_is_reported(exported: Path, tmp_path: Path) -> None:
    import json

    import pandas as pd

    doc = json.loads(exported.with_suffix(".json").read_text(encoding="utf-8"))
    doc["incident_ids"] = [i for i in doc["incident_ids"] if i != "BAL26-005"] + ["X-1"]
    side = tmp_path / "side.json"
    side.write_text(json.dumps(doc), encoding="utf-8")
    problems = import_acled(exported, tmp_path / "out", sidecar=side)
    got = {(p.file, p.field, p.value) for p in problems}
    assert got == {("side.json", "incident_ids", "X-1"),
                   ("side.json", "incident_ids", "BAL26-005"),
                   ("side.json", "claims", "BAL26-005")}  # its claims are not used
    assert any("ours.csv but not in the sidecar" in p.message for p in problems)
    ds = read_dataset(tmp_path / "out")
    c = ds.claims[ds.claims["incident_id"].astype(str) == "BAL26-005"]
    rows = pd.read_csv(exported, dtype=str).set_index("event_id_cnty")
    assert list(c["claimant"].astype(str)) == ["ACLED"]  # from the CSV alone
    assert list(c["value"]) == [int(rows.loc["BAL26-005", "fatalities"])]


def test_an_event_type_without_a_sub_event_type_is_reported(imported: tuple) -> None:
    _out, problems = imported
    missing = [p for p in problems if p.field == "sub_event_type"]
    assert [(p.file, p.row) for p in missing] == [("acled_sample.csv", 7)]
    assert "required when event_type is given" in missing[0].message
