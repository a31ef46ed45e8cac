"""Parquet datasets (incidents as GeoParquet) load exactly like CSV ones, report bad rows
at their record number, and never lose a row."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import shapely
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

from geo import Gazetteer
from geo.analysis.summary import summarise
from geo.cli.commands import main
from geo.dataset.ingest import collect, from_uploads, read_zip
from geo.dataset.records import FILES, Dataset, read_dataset
from geo.dataset.save import dataset_tables, save_dataset, write_tables
from geo.errors import DataError
from geo.io.parquet import read_parquet_table, write_parquet_tables
from geo.io.tables import ROW
from geo.synthetic import synthetic_dataset
from tests.support import examples
from tests.support.datasets import datasets, write_rows

PARQUET = {t: f"{t}.parquet" for t in FILES}


def _same(a: Dataset, b: Dataset) -> None:
    """Equal typed frames (compared as the text the files hold) and problems."""
    ta, tb = dataset_tables(a), dataset_tables(b)
    for t in FILES:
        pd.testing.assert_frame_equal(ta[t].astype(object), tb[t].astype(object))


@pytest.fixture(scope="module")
def bundled() -> Dataset:
    return read_dataset()


@pytest.fixture()
def pq_folder(tmp_path: Path, bundled: Dataset) -> Path:
    return save_dataset(bundled, tmp_path / "pq", format="parquet")


def _tables(ds: Dataset) -> dict[str, pd.DataFrame]:
    return {t: f.astype(object) for t, f in dataset_tables(ds).items()}


# --- round trips ------------------------------------------------------------------------

def test_bundled_dataset_round_trips_with_the_same_figures(pq_folder: Path, bundled: Dataset,
                                                           gaz: Gazetteer) -> None:
    assert sorted(p.name for p in pq_folder.iterdir()) == sorted(PARQUET.values())
    meta = pq.read_schema(pq_folder / "incidents.parquet").metadata
    assert b"geo" in meta and b"latitude" not in pq.read_schema(
        pq_folder / "incidents.parquet").names  # coordinates live in the geometry
    again = read_dataset(pq_folder)
    assert again.files == PARQUET
    assert again.problems == bundled.problems == [] and again.notes == bundled.notes
    _same(bundled, again)
    a, b = summarise(bundled, gaz), summarise(again, gaz)
    pd.testing.assert_frame_equal(a.totals, b.totals)
    pd.testing.assert_frame_equal(a.districts, b.districts)
    pd.testing.assert_frame_equal(a.areas, b.areas)
    assert len(a.incidents) == len(b.incidents) and a.unknown_areas == b.unknown_areas


def test_synthetic_dataset_round_trips(tmp_path: Path, gaz: Gazetteer) -> None:
    tables = synthetic_dataset(gaz.places, 2500, seed=4)
    for name, df in tables.items():
        df.to_csv(tmp_path / f"{name}.csv", index=False)
    write_parquet_tables(tables, tmp_path / "pq")
    a, b = read_dataset(tmp_path), read_dataset(tmp_path / "pq")
    assert a.problems == b.problems == []
    _same(a, b)
    # repetitive columns arrive as categoricals, as from CSV, with no hashing
    assert isinstance(b.claims["category"].dtype, pd.CategoricalDtype)
    assert b.claims["category"].cat.categories.dtype == object
    assert pa.types.is_dictionary(
        pq.read_schema(tmp_path / "pq" / "claims.parquet").field("category").type)
    pd.testing.assert_frame_equal(summarise(a, gaz).totals,
                                  summarise(b, gaz).totals)
    # The files are ordinary (Geo)Parquet: plain geopandas and pandas open them.
    inc = gpd.read_parquet(tmp_path / "pq" / "incidents.parquet")
    assert inc.crs is not None and inc.crs.equals("OGC:CRS84") and len(inc) == 2500
    assert inc["event_type"].astype(str).tolist() == tables["incidents"]["event_type"].tolist()
    assert len(pd.read_parquet(tmp_path / "pq" / "claims.parquet")) == len(tables["claims"])


def test_frames_have_the_csv_form(tmp_path: Path, gaz: Gazetteer) -> None:
    from geo.io.csvfile import read_csv

    tables = synthetic_dataset(gaz.places, 1200, seed=2)
    write_parquet_tables(tables, tmp_path)
    buf = io.BytesIO()
    tables["incidents"].to_csv(buf, index=False)
    c = read_csv(buf.getvalue(), required=[], label="incidents.csv", compact=True)
    p = read_parquet_table((tmp_path / "incidents.parquet").read_bytes(), required=[],
                           label="incidents.parquet", geometry=True)
    assert list(p.columns) == list(c.columns)
    assert p[ROW].tolist() == (c[ROW] - 1).tolist()  # record numbers, not spreadsheet rows
    for col in c.columns.drop(ROW):
        assert isinstance(p[col].dtype, pd.CategoricalDtype) == \
            isinstance(c[col].dtype, pd.CategoricalDtype), col
        assert p[col].astype(object).tolist() == c[col].astype(object).tolist(), col


@pytest.mark.slow
@settings(max_examples=examples(25), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(tables=datasets())
def test_any_text_round_trips_csv_to_parquet(tables: dict) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        first_dir = Path(tmp) / "csv"
        first_dir.mkdir()
        write_rows(first_dir, tables)
        first = read_dataset(first_dir)
        assert first.problems == []
        second = read_dataset(save_dataset(first, Path(tmp) / "pq", format="parquet"))
        assert second.problems == [] and second.notes == []
        third = read_dataset(save_dataset(second, Path(tmp) / "pq", format="csv"))
        assert sorted(p.name for p in (Path(tmp) / "pq").iterdir()) == sorted(
            FILES.values())  # parquet files replaced by CSV: the folder stays readable
    _same(first, second)
    _same(first, third)
    for t in FILES:
        pd.testing.assert_frame_equal(getattr(second, t).drop(columns=ROW),
                                      getattr(first, t).drop(columns=ROW))


# --- nothing lost -----------------------------------------------------------------------

def test_bad_rows_are_reported_at_their_record_number(tmp_path: Path,
                                                      bundled: Dataset) -> None:
    tables = _tables(bundled)
    clm = tables["claims"]
    clm.loc[3, "value"] = "many"
    clm.loc[10, "incident_id"] = "NO-SUCH"
    clm.loc[10, "area"] = ""
    clm.loc[20, "category"] = "  killed_unknown  "  # spaces are stripped, as from CSV
    write_parquet_tables(tables, tmp_path)
    ds = read_dataset(tmp_path)
    got = {(p.file, p.row, p.field) for p in ds.problems}
    assert got == {("claims.parquet", 4, "value"), ("claims.parquet", 11, "incident_id")}
    assert len(ds.claims) + len(ds.rejected["claims"]) == len(clm)
    assert sorted(ds.rejected["claims"][ROW]) == [4, 11]
    assert ds.rejected["claims"]["value"].tolist()[0] == "many"
    res = CliRunner().invoke(main, ["validate", "--data", str(tmp_path)])
    assert res.exit_code == 1
    assert "claims.parquet:4: value:" in res.stderr


def test_unreadable_files_and_missing_columns_name_the_file(pq_folder: Path) -> None:
    (pq_folder / "claims.parquet").write_bytes(b"PAR1 not really")
    with pytest.raises(DataError, match="claims.parquet: not a readable Parquet file"):
        read_dataset(pq_folder)
    pq.write_table(pa.table({"source_id": ["S1"], "title": ["t"]}),
                   pq_folder / "sources.parquet")
    with pytest.raises(DataError) as err:
        read_dataset(pq_folder)
    missing = {(p.file, p.field) for p in err.value.problems if "missing" in p.message}
    assert missing == {("sources.parquet", c) for c in ("publisher", "published", "kind")}


def test_both_formats_of_a_table_is_an_error(pq_folder: Path, bundled: Dataset) -> None:
    (pq_folder / "claims.csv").write_bytes(b"claim_id\n")
    with pytest.raises(DataError, match="give claims.csv or claims.parquet, not both"):
        read_dataset(pq_folder)
    (pq_folder / "claims.csv").unlink()
    (pq_folder / "incidents.csv").write_bytes(b"x\n")
    (pq_folder / "incidents.geojson").write_bytes(b"{}")
    with pytest.raises(DataError, match="only one of incidents.csv, incidents.geojson, "
                                        "incidents.parquet"):
        read_dataset(pq_folder)
    save_dataset(bundled, pq_folder, format="parquet")  # replaces the other formats
    assert sorted(p.name for p in pq_folder.iterdir()) == sorted(PARQUET.values())


# --- files from other tools -------------------------------------------------------------

def _incidents_gdf(crs: str = "EPSG:4326") -> gpd.GeoDataFrame:
    """Incidents as another tool writes them: typed columns, points in *crs*."""
    lonlat = [(66.99, 30.18), (62.33, 25.12), (None, None), (64.5, 28.5)]
    pts = [shapely.Point(x, y) if x is not None else None for x, y in lonlat]
    return gpd.GeoDataFrame({
        "incident_id": ["I1", "I2", "I3", "I4"],
        "event_date": pd.to_datetime(["2026-01-31", "2026-02-01", "2026-02-02",
                                      "2026-02-03"]),
        "time_precision": np.array([1, 1, 2, 1], dtype=np.int64),
        "event_type": pd.Categorical(["Battles"] * 4),
        "sub_event_type": "Armed clash",
        "location": ["", "", "Quetta", " "],
        "geo_precision": [1.0, 2.0, np.nan, 1.0],
        "source_ids": "S1",
    }, geometry=gpd.GeoSeries(pts, crs="EPSG:4326")).to_crs(crs)


def _write_others(folder: Path, incidents: gpd.GeoDataFrame) -> None:
    folder.mkdir(exist_ok=True)
    (folder / "sources.csv").write_text(
        "source_id,publisher,title,published,kind\nS1,p,t,2026-02-01,news\n")
    pq.write_table(pa.table({
        "claim_id": ["C1", "C2"], "incident_id": ["I1", "I4"], "source_id": ["S1", "S1"],
        "claimant": ["police", "police"], "claimant_type": ["police", "police"],
        "category": ["injured", "killed_civilians"], "value": pa.array([4, 2], pa.int64()),
        "value_max": pa.array([6.0, None]), "qualifier": ["range", ""],
        "claim_date": pa.array([dt.date(2026, 2, 1), None], pa.date32()),
        "verified": [True, False],
    }), folder / "claims.parquet")
    incidents.to_parquet(folder / "incidents.parquet")


def test_geoparquet_in_another_crs_with_typed_columns(tmp_path: Path) -> None:
    _write_others(tmp_path, _incidents_gdf("EPSG:3857"))
    ds = read_dataset(tmp_path)
    assert ds.problems == [] and ds.files["incidents"] == "incidents.parquet"
    inc = ds.incidents
    np.testing.assert_allclose(inc["latitude"].to_numpy()[[0, 1, 3]], [30.18, 25.12, 28.5],
                               atol=1e-9)
    np.testing.assert_allclose(inc["longitude"].to_numpy()[[0, 1, 3]], [66.99, 62.33, 64.5],
                               atol=1e-9)
    assert np.isnan(inc["latitude"].iloc[2]) and inc["location"].iloc[2] == "Quetta"
    assert inc["event_date"].dt.strftime("%Y-%m-%d").tolist()[:2] == ["2026-01-31",
                                                                      "2026-02-01"]
    assert inc["time_precision"].tolist() == [1, 1, 2, 1]
    assert inc["geo_precision"].iloc[1] == 2
    clm = ds.claims
    assert clm["value"].tolist() == [4, 2] and clm["value_max"].iloc[0] == 6
    assert clm["claim_date"].iloc[0] == pd.Timestamp("2026-02-01")
    assert clm["verified"].tolist() == ["true", "false"]  # unknown columns kept as text


def test_plain_parquet_types_become_their_text() -> None:
    buf = io.BytesIO()
    pq.write_table(pa.table({
        "n": pa.array([1, None, 3], pa.int32()),
        "f": pa.array([1.0, 2.5, float("nan")]),
        "d": pa.array([dt.date(2026, 1, 2), None, dt.date(2025, 12, 31)]),
        "t": pa.array([dt.datetime(2026, 1, 2), dt.datetime(2026, 1, 3, 14, 30), None]),
        "b": pa.array([True, None, False]),
        "s": pa.array(["  a ", None, ""]),
    }), buf)
    df = read_parquet_table(buf.getvalue(), required=["n"], label="x.parquet")
    assert df.drop(columns=ROW).astype(object).to_numpy().tolist() == [
        ["1", "1", "2026-01-02", "2026-01-02", "true", "a"],
        ["", "2.5", "", "2026-01-03", "", ""],
        ["3", "", "2025-12-31", "", "false", ""]]
    assert df[ROW].tolist() == [1, 2, 3]
    assert [(n.row, n.field) for n in df.attrs["notes"]] == [(2, "t")]  # time dropped
    with pytest.raises(DataError) as err:
        read_parquet_table(buf.getvalue(), required=["n", "p", "q"], label="x.parquet")
    assert [(p.file, p.field) for p in err.value.problems] == [("x.parquet", "p"),
                                                              ("x.parquet", "q")]


def test_non_point_geometry_is_a_reported_row_problem(tmp_path: Path) -> None:
    gdf = _incidents_gdf()
    gdf.loc[1, "geometry"] = shapely.box(62, 25, 63, 26)
    gdf.loc[3, "geometry"] = shapely.LineString([(64, 28), (65, 29)])
    _write_others(tmp_path, gdf)
    ds = read_dataset(tmp_path)
    bad = {(p.file, p.row, p.field) for p in ds.problems}
    assert {("incidents.parquet", 2, "geometry"), ("incidents.parquet", 4, "geometry"),
            ("claims.parquet", 2, "incident_id")} <= bad  # (its incident was rejected)
    text = [str(p) for p in ds.problems if p.field == "geometry"]
    assert text == ["incidents.parquet:2: geometry: not a point: Polygon",
                    "incidents.parquet:4: geometry: not a point: LineString"]
    assert ds.incidents["incident_id"].astype(str).tolist() == ["I1", "I3"]
    assert sorted(ds.rejected["incidents"][ROW]) == [2, 4]  # rejected, not dropped


def test_geometry_wins_over_coordinate_columns_and_disagreement_is_reported(
        tmp_path: Path) -> None:
    gdf = _incidents_gdf()
    gdf["latitude"] = ["30.18", "25.5", "29.0", ""]
    gdf["longitude"] = ["66.99", "62.33", "66.0", ""]
    _write_others(tmp_path, gdf)
    ds = read_dataset(tmp_path)
    assert [(p.row, p.field) for p in ds.problems] == [(2, "latitude")]
    assert "differs from the geometry" in ds.problems[0].message
    inc = ds.incidents.set_index(ds.incidents["incident_id"].astype(str))
    assert inc.loc["I3", "latitude"] == 29.0  # no geometry: the columns are used
    assert inc.loc["I4", "latitude"] == 28.5  # geometry fills empty columns


def test_parquet_without_geometry_but_coordinate_columns(tmp_path: Path,
                                                         bundled: Dataset) -> None:
    tables = _tables(bundled)
    for t, name in PARQUET.items():
        pq.write_table(pa.Table.from_pandas(tables[t], preserve_index=False),
                       tmp_path / name)
    _same(bundled, read_dataset(tmp_path))


# --- archives, uploads, writing ---------------------------------------------------------

def test_zip_and_uploads_of_parquet_files(pq_folder: Path, bundled: Dataset) -> None:
    files = {n: (pq_folder / n).read_bytes() for n in PARQUET.values()}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for n, b in files.items():
            zf.writestr(f"mydata/{n}", b)
        zf.writestr("other/sources.parquet", b"")  # a folder without incidents
    zipped = read_zip("d.zip", buf.getvalue())
    uploaded = from_uploads([(n.upper(), b) for n, b in files.items()])
    for got in (zipped, uploaded):
        assert set(got.files) == set(PARQUET.values())
        assert got.fingerprint == collect(pq_folder).fingerprint
        _same(bundled, read_dataset(got))


def test_write_tables_in_either_format(tmp_path: Path, bundled: Dataset) -> None:
    tables = dataset_tables(bundled)
    ds = write_tables(tables, tmp_path, format="parquet")
    assert ds.files == PARQUET and ds.problems == []
    ds = write_tables(tables, tmp_path, format="csv")
    assert ds.files == FILES and sorted(p.name for p in tmp_path.iterdir()) == sorted(
        FILES.values())
    with pytest.raises(ValueError, match="format"):
        write_tables(tables, tmp_path, format="xlsx")  # type: ignore[arg-type]


# --- geo convert ------------------------------------------------------------------------

def test_convert_both_ways(tmp_path: Path, bundled: Dataset) -> None:
    res = CliRunner().invoke(main, ["convert", "--out", str(tmp_path / "pq")])
    assert res.exit_code == 0, res.output
    assert "incidents.parquet: 18 incidents" in res.stdout
    back = tmp_path / "csv"
    res = CliRunner().invoke(main, ["convert", "--data", str(tmp_path / "pq"), "--out",
                                    str(back), "--format", "csv"])
    assert res.exit_code == 0, res.output
    assert "claims.csv: 47 claims" in res.stdout
    _same(bundled, read_dataset(back))


def test_convert_with_problems_writes_nothing_unless_keep_valid(tmp_path: Path,
                                                                 bundled: Dataset) -> None:
    tables = _tables(bundled)
    tables["claims"].loc[5, "value"] = "-3"
    write_parquet_tables(tables, tmp_path / "in")
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["convert", "--data", str(tmp_path / "in"), "--out",
                                    str(out), "--format", "csv"])
    assert res.exit_code == 1
    assert "claims.parquet:6: value:" in res.stderr and "nothing written" in res.stderr
    assert not out.exists()
    res = CliRunner().invoke(main, ["convert", "--data", str(tmp_path / "in"), "--out",
                                    str(out), "--format", "csv", "--keep-valid"])
    assert res.exit_code == 1
    assert "left out 1 rejected row(s)" in res.stderr and "validate --rejects" in res.stderr
    assert len(read_dataset(out).claims) == len(tables["claims"]) - 1
