"""Hostile tables: geometries that are not points never reach GEOS, malformed GeoParquet
metadata is a DataError naming the file, and tables declaring too many rows, columns
or bytes are refused before they are read."""

from __future__ import annotations

import csv
import io
import json
import os
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.dataset.records import read_dataset
from geo.dataset.save import save_dataset
from geo.errors import DataError
from geo.io.csvfile import read_csv
from geo.io.geoparquet import read_points
from geo.io.limits import MAX_COLUMNS, MAX_ROWS, limit
from geo.io.parquet import read_parquet_table
from tests.support import examples

ROOT = Path(__file__).resolve().parents[2]
_META = {"version": "1.1.0", "primary_column": "geometry",
         "columns": {"geometry": {"encoding": "WKB", "geometry_types": ["Point"]}}}


def _nested_collection(depth: int) -> bytes:
    """A GeometryCollection holding one holding one ... *depth* levels, then a point."""
    return (b"\x01" + struct.pack("<II", 7, 1)) * depth + b"\x01" + struct.pack(
        "<Idd", 1, 66.9, 30.1)


def _geoparquet(wkb: list[bytes | None], meta: object = None, **extra: list) -> bytes:
    """Incidents-like GeoParquet: one WKB geometry per row, *meta* as its 'geo'."""
    n = len(wkb)
    table = pa.table({"incident_id": [f"I{i}" for i in range(n)], **extra,
                      "geometry": pa.array(wkb, pa.binary())})
    raw = meta if isinstance(meta, bytes) else json.dumps(_META if meta is None else meta)
    buf = io.BytesIO()
    pq.write_table(table.replace_schema_metadata({"geo": raw}), buf)
    return buf.getvalue()


def _read(data: bytes, label: str = "incidents.parquet"):
    return read_parquet_table(data, required=["incident_id"], label=label, geometry=True)


# --- geometries: only points are decoded -------------------------------------------------

def test_deeply_nested_collection_is_refused_without_reaching_geos(tmp_path: Path) -> None:
    # In a child process: were GEOS to decode it, the child would crash, not pytest.
    folder = save_dataset(read_dataset(), tmp_path / "pq", format="parquet")
    table = pq.read_table(folder / "incidents.parquet")
    geom = table["geometry"].to_pylist()
    geom[0] = _nested_collection(20_000)  # about 180 KB of WKB
    i = table.schema.get_field_index("geometry")
    pq.write_table(table.set_column(i, table.schema.field(i), pa.array(geom, pa.binary())),
                   folder / "incidents.parquet")
    res = subprocess.run([sys.executable, "-m", "geo", "validate", "--data", str(folder)],
                         capture_output=True, text=True, cwd=ROOT, timeout=300,
                         env={**os.environ, "PYTHONFAULTHANDLER": "1"})
    assert res.returncode == 1, (res.returncode, res.stderr[-2000:])
    assert "incidents.parquet:1: geometry: not a point: GeometryCollection" in res.stderr


def _forbid_geos(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("a geometry reached GEOS")
    for name in ("from_wkb", "from_wkt", "from_ragged_array"):
        monkeypatch.setattr(shapely, name, refuse)


@pytest.mark.parametrize("geom", [
    shapely.box(62, 25, 63, 26), shapely.LineString([(64, 28), (65, 29)]),
    shapely.MultiPoint([(1, 2), (3, 4)]), shapely.GeometryCollection([shapely.Point(1, 2)]),
    shapely.MultiPolygon([shapely.box(0, 0, 1, 1)]), shapely.Point(1, 2, 3).buffer(1)])
@pytest.mark.parametrize("flavor", ["iso", "extended"])
@pytest.mark.parametrize("order", [0, 1])
def test_other_geometries_are_named_by_type(geom: shapely.Geometry, flavor: str, order: int,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    wkb = shapely.to_wkb(geom, flavor=flavor, byte_order=order, include_srid=False)
    _forbid_geos(monkeypatch)
    df = _read(_geoparquet([None, wkb]))
    assert [str(p) for p in df.attrs["problems"]] == [
        f"incidents.parquet:2: geometry: not a point: {geom.geom_type}"]
    assert df["latitude"].tolist() == ["", ""]


@pytest.mark.parametrize("z", [False, True])
@pytest.mark.parametrize("flavor", ["iso", "extended"])
@pytest.mark.parametrize("order", [0, 1])
@pytest.mark.parametrize("srid", [False, True])
def test_points_of_every_wkb_flavour_are_read(z: bool, flavor: str, order: int, srid: bool,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    if srid and flavor == "iso":
        pytest.skip("an SRID is EWKB only")
    pt = shapely.Point(66.5, 30.25, 7.0) if z else shapely.Point(66.5, 30.25)
    if srid:
        pt = shapely.set_srid(pt, 4326)
    wkb = shapely.to_wkb(pt, flavor=flavor, byte_order=order, include_srid=srid)
    empty = shapely.to_wkb(shapely.Point(), byte_order=order)
    _forbid_geos(monkeypatch)
    df = _read(_geoparquet([wkb, None, empty]))
    assert df.attrs["problems"] == []
    assert df["longitude"].tolist() == ["66.5", "", ""]
    assert df["latitude"].tolist() == ["30.25", "", ""]


def test_measured_point_and_malformed_wkb() -> None:
    m = struct.pack("<BIddd", 1, 2001, 60.0, 25.0, 9.0)  # ISO Point M
    zm = struct.pack(">BIdddd", 0, 0xC0000001, 61.0, 26.0, 1.0, 2.0)  # EWKB Point ZM
    empty_gc = struct.pack("<BII", 1, 7, 0)
    bad = [b"", b"\x01", b"\x02\x01\x00\x00\x00" + bytes(16), m[:-1], m + b"\0",
           struct.pack("<BI", 1, 99) + bytes(16), struct.pack("<BI", 1, 4001) + bytes(16)]
    x, y, point, problems = read_points(pa.array([m, zm, empty_gc, None, *bad], pa.binary()),
                                        "WKB", "f.parquet", "geometry")
    np.testing.assert_array_equal(x[:2], [60.0, 61.0])
    np.testing.assert_array_equal(y[:2], [25.0, 26.0])
    assert point.tolist()[:4] == [True, True, False, False]
    assert [(p.row, p.message) for p in problems] == [
        (i, "not a valid WKB geometry") for i in range(5, 5 + len(bad))]


@settings(max_examples=examples(300), deadline=None)
@given(values=st.lists(st.one_of(st.none(), st.binary(max_size=60), st.builds(
    lambda head, body: head + body, st.sampled_from(
        [b"\x01\x01\x00\x00\x00", b"\x00\x00\x00\x00\x01", b"\x01\x07\x00\x00\x00",
         b"\x01\xe9\x03\x00\x00", b"\x01\x01\x00\x00\x20"]), st.binary(max_size=40))),
    max_size=6))
def test_any_bytes_are_a_point_or_a_row_problem(values: list[bytes | None]) -> None:
    x, y, point, problems = read_points(pa.array(values, pa.binary()), "WKB", "f", "g")
    assert len(x) == len(y) == len(point) == len(values)
    assert all(p.row is not None and 1 <= p.row <= len(values) for p in problems)
    assert not np.isfinite(x[~point]).any()


# --- GeoParquet metadata ---------------------------------------------------------------

_WKB = shapely.to_wkb(shapely.Point(66, 30))
_COLS = _META["columns"]


@pytest.mark.parametrize(("meta", "message"), [
    (b"{not json", "not valid JSON"),
    (b"\xff\xfe", "not valid JSON"),
    (b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
    ([1, 2], "expected a JSON object, not a list"),
    ({**_META, "columns": ["geometry"]}, "'columns' must be an object"),
    ({"primary_column": "geometry"}, "'columns' must be an object"),
    ({**_META, "primary_column": 3}, "'primary_column' must be a column name"),
    ({**_META, "primary_column": "incident_id"}, "does not describe the primary column"),
    ({**_META, "columns": {"geometry": 5}}, "entry must be an object"),
    ({**_META, "columns": {"geometry": {"bbox": [0, 0, 1, 1]}}}, "'encoding' is missing"),
    ({**_META, "columns": {"geometry": {"encoding": 1}}}, "'encoding' must be text"),
    ({**_META, "columns": {"geometry": {"encoding": "WKB", "bbox": 5}}}, "'bbox' must be"),
    ({**_META, "columns": {"geometry": {"encoding": "WKB", "bbox": [0, 1]}}},
     "'bbox' must be"),
    ({**_META, "columns": {"geometry": {"encoding": "WKB", "crs": 4326}}}, "'crs' must be"),
    ({**_META, "columns": {"geometry": {"encoding": "WKB", "covering": {"bbox": 1}}}},
     "'covering' must be"),
    ({**_META, "columns": {"geometry": {"encoding": "WKB", "covering": {
        "bbox": {"xmin": []}}}}}, "'covering' must be"),
    ({**_META, "columns": {"geometry": {"encoding": "WKT"}}}, "unknown encoding 'WKT'"),
    ({**_META, "columns": {"geometry": {"encoding": "point"}}}, "not GeoArrow points"),
    ({**_META, "primary_column": "note", "columns": {"note": {"encoding": "WKB"}}},
     "the primary column holds large_string, but WKB is binary"),
    ({**_META, "primary_column": "geom", "columns": {"geom": {"encoding": "WKB"}}},
     "the primary column 'geom' is not in the file"),
    ({**_META, "columns": {**_COLS, "other": "x"}}, "entry must be an object"),
])
def test_malformed_geo_metadata_is_a_data_error(meta: object, message: str) -> None:
    data = _geoparquet([_WKB], meta, note=pa.array(["x"], pa.large_string()))
    with pytest.raises(DataError) as err:
        _read(data)
    (problem,) = err.value.problems
    assert problem.file == "incidents.parquet" and problem.row is None
    assert "GeoParquet 'geo' metadata" in problem.message and message in str(problem)


def test_a_crs_that_cannot_be_read_names_the_column() -> None:
    meta = {**_META, "columns": {"geometry": {"encoding": "WKB", "crs": {"bad": 1}}}}
    with pytest.raises(DataError, match="incidents.parquet: geometry: cannot read the "
                                        "geometry's CRS"):
        _read(_geoparquet([_WKB], meta))


_json = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False) | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(
        ["geometry", "encoding", "crs", "bbox", "covering", "xmin", "id", "x"]), inner,
        max_size=4), max_leaves=16)


@settings(max_examples=examples(200), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(meta=st.one_of(_json, st.fixed_dictionaries({"columns": st.dictionaries(
    st.sampled_from(["geometry", "incident_id", "x"]), _json, max_size=3)},
    optional={"primary_column": _json})))
def test_any_geo_metadata_reads_or_is_a_data_error(meta: object) -> None:
    try:
        _read(_geoparquet([_WKB, None], meta))
    except DataError as exc:
        assert all(p.file == "incidents.parquet" for p in exc.problems)


# --- limits, before reading ------------------------------------------------------------

def _no_read(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("the table was read")
    monkeypatch.setattr(pq.ParquetFile, "read", refuse)


def test_too_many_rows_are_refused_from_the_footer(monkeypatch: pytest.MonkeyPatch) -> None:
    assert MAX_ROWS >= 2 * 1_927_069  # the claims of a million-incident dataset, twice
    buf = io.BytesIO()
    pq.write_table(pa.table({"source_id": ["S1"] * 11}), buf)
    monkeypatch.setenv("GEO_MAX_ROWS", "10")
    _no_read(monkeypatch)
    with pytest.raises(DataError) as err:
        read_parquet_table(buf.getvalue(), required=[], label="sources.parquet")
    assert str(err.value.problems[0]) == ("sources.parquet: 11 rows, more than the limit of "
                                          "10 (set GEO_MAX_ROWS to raise it)")
    monkeypatch.undo()
    monkeypatch.setenv("GEO_MAX_ROWS", "11")
    assert len(read_parquet_table(buf.getvalue(), required=[], label="s.parquet")) == 11


def test_too_much_data_once_decompressed_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    buf = io.BytesIO()
    pq.write_table(pa.table({"note": ["x" * 1000] * 3000}), buf, compression="zstd",
                   use_dictionary=False)
    assert len(buf.getvalue()) < 100_000  # 3 MB of text, compressed
    monkeypatch.setenv("GEO_MAX_UNCOMPRESSED_MB", "2")
    _no_read(monkeypatch)
    with pytest.raises(DataError, match=r"claims.parquet: 3 MiB of data once decompressed, "
                                        r"more than the limit of 2 MiB \(set "
                                        r"GEO_MAX_UNCOMPRESSED_MB"):
        read_parquet_table(buf.getvalue(), required=[], label="claims.parquet")


def test_thousands_of_columns_are_refused_before_reading(
        monkeypatch: pytest.MonkeyPatch) -> None:
    n = 5 * MAX_COLUMNS
    header = ",".join(["source_id"] + [f"x{i}" for i in range(n - 1)])
    with pytest.raises(DataError, match=f"sources.csv: {n:,} columns, more than the limit "
                                        f"of {MAX_COLUMNS} \\(set GEO_MAX_COLUMNS"):
        read_csv((header + "\n" + "," * (n - 1) + "\n").encode(), required=[],
                 label="sources.csv")
    buf = io.BytesIO()
    pq.write_table(pa.table({f"x{i}": [""] for i in range(n)}), buf)
    _no_read(monkeypatch)
    with pytest.raises(DataError, match=f"sources.parquet: {n:,} columns, more than"):
        read_parquet_table(buf.getvalue(), required=[], label="sources.parquet")


def test_an_unknown_column_is_still_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                         ) -> None:
    base = read_dataset()
    for fmt in ("csv", "parquet"):
        folder = save_dataset(base, tmp_path / fmt, format=fmt)
        name = f"claims.{fmt}"
        if fmt == "csv":
            lines = (folder / name).read_text().splitlines()
            (folder / name).write_text("\n".join(
                [lines[0] + ",reviewer"] + [ln + ",ana" for ln in lines[1:]]) + "\n")
        else:
            t = pq.read_table(folder / name)
            pq.write_table(t.append_column("reviewer", pa.array(["ana"] * len(t))),
                           folder / name)
        width = (len(next(csv.reader([(folder / name).read_text().split("\n")[0]])))
                 if fmt == "csv" else len(pq.read_schema(folder / name)))
        monkeypatch.setenv("GEO_MAX_COLUMNS", str(width))  # at the limit: read
        ds = read_dataset(folder)
        assert ds.problems == [] and len(ds.claims) == len(base.claims)
        monkeypatch.setenv("GEO_MAX_COLUMNS", str(width - 1))
        with pytest.raises(DataError, match=f"{name}: .* columns, more than the limit"):
            read_dataset(folder)


@pytest.mark.parametrize("value", ["0", "-5", "many", "1.5"])
def test_a_limit_that_is_not_a_positive_number_is_named(monkeypatch: pytest.MonkeyPatch,
                                                        value: str) -> None:
    monkeypatch.setenv("GEO_MAX_ROWS", value)
    with pytest.raises(DataError, match="GEO_MAX_ROWS: the environment variable must be a "
                                        "positive whole number"):
        limit("GEO_MAX_ROWS")
    monkeypatch.setenv("GEO_MAX_ROWS", "5_000_000")
    assert limit("GEO_MAX_ROWS") == 5_000_000


def test_a_csv_with_too_many_rows_is_refused_before_parsing(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import pandas as pd

    body = ("source_id\n" + "S1\n" * 11).encode()
    monkeypatch.setenv("GEO_MAX_ROWS", "10")

    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("the table was parsed")
    monkeypatch.setattr(pd, "read_csv", refuse)
    with pytest.raises(DataError, match=r"sources.csv: 11 rows, more than the limit of 10 "
                                        r"\(set GEO_MAX_ROWS"):
        read_csv(body, required=[], label="sources.csv")
    monkeypatch.undo()
    monkeypatch.setenv("GEO_MAX_ROWS", "11")
    assert len(read_csv(body, required=[], label="sources.csv")) == 11
    assert len(read_csv(body.replace(b"\n", b"\r\n"), required=[], label="s.csv")) == 11
