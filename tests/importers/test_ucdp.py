"""UCDP GED import: a fixture in GED's published column layout becomes a dataset; deaths
per side are claims by UCDP, best/low/high a range, where_prec an honest precision."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from geo import Gazetteer
from geo.analysis.filter import Filter
from geo.analysis.locate import locate_incidents
from geo.analysis.summary import summarise
from geo.cli.commands import main
from geo.dataset.records import read_dataset
from geo.errors import DataError
from geo.importers.ucdp import import_ucdp

SAMPLE = Path(__file__).parent / "data" / "ucdp_ged_sample.csv"
GED_COLUMNS = 49  # the published GED event file layout


@pytest.fixture()
def imported(tmp_path: Path) -> tuple[Path, list]:
    out = tmp_path / "ged"
    return out, import_ucdp(SAMPLE, out)


def test_a_ged_file_without_a_required_column_names_it(tmp_path: Path) -> None:
    with SAMPLE.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert len(rows[0]) == GED_COLUMNS  # the fixture is a whole GED event file
    i = rows[0].index("where_prec")
    with (tmp_path / "ged.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([r[:i] + r[i + 1:] for r in rows])
    with pytest.raises(DataError) as info:
        import_ucdp(tmp_path / "ged.csv", tmp_path / "out")
    assert [(p.row, p.field) for p in info.value.problems] == [(1, "where_prec")]  # header
    assert not (tmp_path / "out").exists()


def test_unreadable_deaths_are_reported_at_the_ged_row(imported: tuple) -> None:
    out, problems = imported
    assert [(p.file, p.row, p.field) for p in problems] == [
        ("ucdp_ged_sample.csv", 5, "deaths")]
    assert "'n/a'" in str(problems[0])
    ds = read_dataset(out)
    assert len(ds.incidents) == 4  # the event stays; only the unreadable count is left out


def test_sides_precision_and_ranges(imported: tuple, gaz: Gazetteer) -> None:
    ds = read_dataset(imported[0])
    inc = ds.incidents.set_index("incident_id")
    assert list(inc["geo_precision"].fillna(0).astype(int)) == [1, 2, 0, 3]
    assert list(inc["time_precision"]) == [1, 2, 3, 1]  # day, 2-6 days -> week, month
    assert inc.loc["GED990002", "event_type"] == "Violence against civilians"
    assert str(inc.loc["GED990001", "event_date"].date()) == "2026-01-31"
    assert inc.loc["GED990001", "ucdp_conflict_name"] == "Pakistan: Balochistan"
    claims = ds.claims.set_index("claim_id")["value"]
    assert claims["GED990001-killed_security_forces"] == 5  # government side
    assert claims["GED990001-killed_militants"] == 8
    assert claims["GED990001-killed_civilians"] == 2
    assert "GED990001-killed_civilians-low" not in claims  # a total range is not split
    lo = summarise(ds, gaz).incidents.set_index("incident_id")
    hi = summarise(ds, gaz, Filter.from_text(policy="highest")).incidents.set_index("incident_id")
    assert (lo.loc["GED990002", "killed_civilians_best"],
            hi.loc["GED990002", "killed_civilians_best"]) == (5, 11)  # UCDP low and high
    # where_prec 6 (only the country): no point, listed as unresolved, coordinates kept
    located = locate_incidents(ds.incidents, gaz)
    assert "GED990003" in set(located.unresolved["incident_id"])
    assert inc.loc["GED990003", "ucdp_latitude"] == "30.0"


def test_cli_import_ucdp(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["import", "ucdp", str(SAMPLE), "--out",
                                    str(tmp_path / "g")])
    assert res.exit_code == 1 and "ucdp_ged_sample.csv:5: deaths" in res.output
    sources = read_dataset(tmp_path / "g").sources
    assert len(sources) == 1 + 5  # UCDP and the five cited articles


def test_ucdp_all_sides_estimates_are_killed_combined_claims(imported: tuple,
                                                             gaz: Gazetteer) -> None:
    ds = read_dataset(imported[0])
    c = ds.claims.set_index("claim_id")
    # GED990001: 5 + 8 + 2 per side, best 15, low 15, high 20 over all sides
    assert (c.loc["GED990001-killed_combined", "value"],
            c.loc["GED990001-killed_combined", "qualifier"]) == (15, "exact")
    rng = c.loc["GED990001-killed_combined-range"]
    assert (rng["value"], rng["value_max"], rng["qualifier"]) == (15, 20, "range")
    assert c.loc["GED990001-killed_security_forces", "value"] == 5  # per side unchanged
    assert "ucdp_best" not in ds.incidents.columns  # a claim now, not a passthrough
    lo = summarise(ds, gaz).incidents.set_index("incident_id")
    hi = summarise(ds, gaz, Filter.from_text(policy="highest")).incidents.set_index(
        "incident_id")
    assert (lo.loc["GED990002", "killed_combined_best"],
            hi.loc["GED990002", "killed_combined_best"]) == (5, 11)
    # never added to the per-side figures
    assert lo.loc["GED990001", "killed_security_forces_best"] == 5
