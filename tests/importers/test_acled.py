"""ACLED import: a fixture in ACLED's published column layout becomes a dataset with
nothing lost; rows that do not map are reported at ACLED's own row numbers."""

from __future__ import annotations

import csv
from pathlib import Path

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
    assert c.loc["PAK90002-fatalities", "category"] == "killed_civilians"  # civilian targeting
    assert c.loc["PAK90001-fatalities", "category"] == "killed_unknown"
    assert c.loc["PAK90003-fatalities", "value"] == 0  # a reported zero is kept
    assert set(c["claimant"]) == {"ACLED"}
    src = ds.sources.set_index("publisher")
    assert {"Dawn", "Reuters", "Balochistan Post"} <= set(src.index)
    assert str(src.loc["Dawn", "published"].date()) == "2026-01-31"  # earliest citing event
    ids = set(inc.loc["PAK90001", "source_ids"].split(";"))
    assert {"ACLED", src.loc["Dawn", "source_id"], src.loc["Reuters", "source_id"]} == ids


def test_imported_figures_are_acleds(imported: tuple, gaz: Gazetteer) -> None:
    s = summarise(read_dataset(imported[0]), gaz)
    t = s.totals.set_index("category")
    assert t.loc["killed_civilians", "total_best"] == 11
    assert t.loc["killed_unknown", "total_best"] == 10


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
    assert got.loc["BAL26-007", "tags"] == "injured=1"  # no ACLED column: kept in tags
    assert (got.loc["BAL26-001", "admin1"], got.loc["BAL26-001", "admin2"]) == (
        "Balochistan", "Quetta")
    meta = json.loads((tmp_path / "ours.acled.csv.json").read_text(encoding="utf-8"))
    assert meta["figure_policy"].startswith("lowest") and meta["rows"] == len(got)


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
    fat = {str(r.incident_id): r.value for r in first.claims.itertuples()}
    # an event without a readable count comes back as 0: ACLED has no "no figure"
    # (the sidecar says so)
    assert {str(r.incident_id): r.value for r in second.claims.itertuples()} == {
        **fat, "PAK90004": 0}


def import_and_get(path: Path, out: Path) -> Path:
    assert import_acled(path, out) == []
    return out
