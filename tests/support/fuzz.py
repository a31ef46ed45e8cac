"""Fuzz targets over the loaders, shared by the tests and ``benchmarks/fuzz_loaders.py``.

Each target takes one generated input and feeds it to a loader; the only exception a
loader may raise is the product's own :class:`~geo.errors.GeoError` (a
``DataError`` naming file, row and field). Anything else propagates and is a bug.
Inputs are arbitrary bytes, and valid files of the bundled dataset mutated byte by
byte (flips, cuts, inserted delimiters, quotes, BOMs, NULs, huge numbers). Parquet
targets rewrite the bundled incidents as GeoParquet with mutated ``geo`` metadata, or
with mutated WKB geometries (points, polygons, collections nested deep).
"""

from __future__ import annotations

import functools
import io
import json
import struct
import tempfile
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import strategies as st

from geo.bundled import dataset_dir
from geo.dataset.ingest import DatasetFiles, read_zip
from geo.dataset.records import read_dataset
from geo.errors import GeoError
from geo.io.csvfile import read_csv
from geo.io.dates import read_dates
from geo.io.geojson import read_geojson_incidents
from geo.io.parquet import read_parquet_table, write_parquet_tables

BASE = {n: (dataset_dir() / n).read_bytes() for n in ("sources.csv", "incidents.csv",
                                                       "claims.csv")}
_TOKENS = [b",", b";", b'"', b"\n", b"\r\n", b"\x00", b"\xef\xbb\xbf", b"\xff", b"-",
           b"1e308", b"99999999999999999999", b"NaN", b"=cmd|' /C calc'!A0", b"<script>",
           b"2026-02-30", b"31/01/2026", b"46053", b"\\", b"..", b"\t", b" "]


@st.composite
def mutated(draw: st.DrawFn, base: bytes) -> bytes:
    """*base* with 1-8 random edits: overwrite, delete, insert a token, truncate."""
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 8))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        op = draw(st.sampled_from(["flip", "cut", "insert", "truncate", "dup"]))
        if op == "flip":
            data[at] = draw(st.integers(0, 255))
        elif op == "cut":
            del data[at: at + draw(st.integers(1, 40))]
        elif op == "insert":
            data[at:at] = draw(st.sampled_from(_TOKENS))
        elif op == "truncate":
            del data[at:]
        else:
            end = min(len(data), at + draw(st.integers(1, 200)))
            data[at:at] = data[at:end]
    return bytes(data)


def csv_input(name: str) -> st.SearchStrategy[bytes]:
    """Arbitrary bytes, or the bundled *name* mutated."""
    return st.one_of(st.binary(max_size=400), mutated(BASE[name]))


_json = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False) | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=20,
)


@st.composite
def geojson_input(draw: st.DrawFn) -> bytes:
    """Arbitrary JSON, feature collections with arbitrary features, or raw bytes."""
    kind = draw(st.sampled_from(["json", "features", "bytes"]))
    if kind == "bytes":
        return draw(st.binary(max_size=300))
    if kind == "json":
        return json.dumps(draw(_json)).encode()
    feats = draw(st.lists(st.fixed_dictionaries({
        "type": st.sampled_from(["Feature", "feature", None]),
        "geometry": st.one_of(_json, st.fixed_dictionaries({
            "type": st.sampled_from(["Point", "Polygon", "MultiPoint"]),
            "coordinates": _json})),
        "properties": st.one_of(_json, st.dictionaries(
            st.sampled_from(["incident_id", "event_date", "event_type", "source_ids",
                             "location", "latitude", "longitude"]), _json, max_size=7)),
    }), max_size=5))
    return json.dumps({"type": "FeatureCollection", "features": feats}).encode()


@st.composite
def zip_input(draw: st.DrawFn) -> bytes:
    """Zips with arbitrary member names (traversal included) and contents, or bytes."""
    if draw(st.booleans()):
        return draw(st.binary(max_size=300))
    buf = io.BytesIO()
    names = st.one_of(st.sampled_from(["sources.csv", "incidents.csv", "claims.csv",
                                       "../claims.csv", "/abs/incidents.csv", "a/b/../c.csv",
                                       "x/incidents.geojson", "C:\\evil.csv"]),
                      st.text(min_size=1, max_size=20))
    with zipfile.ZipFile(buf, "w") as zf, warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # duplicate names: wanted here
        for name, data in draw(st.lists(st.tuples(names, st.binary(max_size=200)),
                                        max_size=5)):
            try:
                zf.writestr(name, data)
            except (ValueError, UnicodeEncodeError, IndexError):  # names zipfile refuses
                pass
    return buf.getvalue()


def _allowed(fn: Callable[[], Any]) -> None:
    try:
        fn()
    except GeoError:
        pass


def check_csv(name: str, raw: bytes) -> None:
    """``read_csv`` on *raw*, and the whole dataset with *name* replaced by *raw*."""
    _allowed(lambda: read_csv(raw, required=(), label=name))
    files = dict(BASE)
    files[name] = raw
    _allowed(lambda: read_dataset(DatasetFiles("fuzz", files)))


def check_geojson(raw: bytes) -> None:
    """Incidents from *raw* GeoJSON, alone and as part of a dataset."""
    _allowed(lambda: read_geojson_incidents(raw, required=("incident_id",)))
    files = {k: v for k, v in BASE.items() if k != "incidents.csv"}
    files["incidents.geojson"] = raw
    _allowed(lambda: read_dataset(DatasetFiles("fuzz", files)))


def check_zip(raw: bytes) -> None:
    """A zip archive as a dataset."""
    _allowed(lambda: read_dataset(read_zip("fuzz.zip", raw, limit=1 << 20)))


def check_dates(values: list[str]) -> None:
    """Any text as dates: never raises, NaT or a date per cell."""
    out, _how = read_dates(pd.Series(values, dtype=object))
    assert len(out) == len(values)


@functools.cache
def _incidents_table() -> pa.Table:
    """The bundled incidents as GeoParquet, as the product writes them."""
    from geo.dataset.save import dataset_tables

    with tempfile.TemporaryDirectory() as tmp:
        write_parquet_tables({"incidents": dataset_tables(read_dataset())["incidents"]}, tmp)
        return pq.read_table(Path(tmp) / "incidents.parquet")


def _parquet(table: pa.Table) -> bytes:
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


def _geo_bytes() -> bytes:
    return (_incidents_table().schema.metadata or {})[b"geo"]


@st.composite
def geo_metadata_input(draw: st.DrawFn) -> bytes:
    """The bundled incidents' ``geo`` metadata: its bytes mutated, keys of its JSON
    replaced by arbitrary JSON, or arbitrary JSON."""
    base = json.loads(_geo_bytes())
    kind = draw(st.sampled_from(["bytes", "keys", "json"]))
    if kind == "bytes":
        return draw(mutated(_geo_bytes()))
    if kind == "json":
        return json.dumps(draw(_json)).encode()
    spec, columns = base["columns"]["geometry"], base["columns"]
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.sampled_from(["top", "column", "columns"]))
        target = base if where == "top" else spec if where == "column" else columns
        key = draw(st.sampled_from(["primary_column", "columns", "version", "encoding",
                                    "crs", "bbox", "covering", "geometry_types",
                                    "geometry", "event_type", "id"]))
        if not isinstance(target, dict):  # replaced by an earlier edit
            continue
        if draw(st.booleans()):
            target[key] = draw(_json)
        else:
            target.pop(key, None)
    return json.dumps(base).encode()


def _wkb_bases() -> list[bytes]:
    pt = struct.pack("<BIdd", 1, 1, 66.9, 30.1)
    nested = (b"\x01" + struct.pack("<II", 7, 1)) * 300 + pt
    ring = struct.pack("<BIII", 1, 3, 1, 4) + struct.pack("<8d", 0, 0, 1, 0, 1, 1, 0, 0)
    return [pt, struct.pack(">BIdd", 0, 1, 66.9, 30.1),
            struct.pack("<BIIddd", 1, 0xA0000001, 4326, 66.9, 30.1, 3.0),
            struct.pack("<BIdddd", 1, 3001, 66.9, 30.1, 1.0, 2.0), ring, nested,
            struct.pack("<BII", 1, 7, 0), struct.pack("<BII", 1, 4, 2) + pt + pt]


def wkb_input() -> st.SearchStrategy[list[bytes | None]]:
    """Geometries for the first rows: WKB of points, polygons, collections (nested
    300 deep), mutated byte by byte, arbitrary bytes, or null."""
    one = st.one_of(st.none(), st.binary(max_size=60),
                    st.sampled_from(_wkb_bases()).flatmap(mutated))
    return st.lists(one, min_size=1, max_size=4)


def check_geo_metadata(raw: bytes) -> None:
    """Incidents GeoParquet with *raw* as its ``geo`` metadata."""
    table = _incidents_table()
    data = _parquet(table.replace_schema_metadata({**(table.schema.metadata or {}),
                                                   b"geo": raw}))
    _allowed(lambda: read_parquet_table(data, required=(), label="incidents.parquet",
                                        geometry=True))


def check_wkb(values: list[bytes | None]) -> None:
    """Incidents GeoParquet whose first geometries are *values*; when there is one, also
    as part of a dataset (a whole dataset takes 0.3 s to validate)."""
    table = _incidents_table()
    i = table.schema.get_field_index("geometry")
    geom = table["geometry"].to_pylist()
    geom[:len(values)] = values
    data = _parquet(table.set_column(i, table.schema.field(i), pa.array(geom, pa.binary())))
    _allowed(lambda: read_parquet_table(data, required=(), label="incidents.parquet",
                                        geometry=True))
    if len(values) > 1:
        return
    files = {k: v for k, v in BASE.items() if k != "incidents.csv"}
    files["incidents.parquet"] = data
    _allowed(lambda: read_dataset(DatasetFiles("fuzz", files)))


@functools.lru_cache(maxsize=1)
def _gazetteer() -> Any:
    from geo import Gazetteer

    return Gazetteer.load()


def check_name(text: str) -> None:
    """A place name of any length and content: resolved, or unresolved with a reason;
    past the name limit never looked up (whatever its length, no quadratic work)."""
    from geo.gazetteer.normalise import MAX_NAME_CHARS

    m = _gazetteer().resolve(text)
    assert m.resolved or m.error, text[:80]
    if len(text.strip()) > MAX_NAME_CHARS:
        assert not m.resolved and "longer than" in (m.error or "")


def name_input() -> st.SearchStrategy[str]:
    """Short text, long text, and real names repeated past the limit."""
    real = st.sampled_from(["Quetta", "Gwadar port", "near Kalat", "Pasni, Gwadar",
                            "کوئٹہ", "Quetta and Kalat"])
    return st.one_of(st.text(max_size=300), st.text(min_size=150, max_size=5000),
                     st.builds(lambda s, n: (s + " ") * n, real, st.integers(1, 4000)))


TARGETS: dict[str, tuple[Callable[..., None], st.SearchStrategy[Any]]] = {
    "sources.csv": (lambda raw: check_csv("sources.csv", raw), csv_input("sources.csv")),
    "incidents.csv": (lambda raw: check_csv("incidents.csv", raw), csv_input("incidents.csv")),
    "claims.csv": (lambda raw: check_csv("claims.csv", raw), csv_input("claims.csv")),
    "incidents.geojson": (check_geojson, geojson_input()),
    "zip": (check_zip, zip_input()),
    "parquet.geo": (check_geo_metadata, geo_metadata_input()),
    "parquet.wkb": (check_wkb, wkb_input()),
    "dates": (check_dates, st.lists(st.text(max_size=24), max_size=8)),
    "names": (check_name, name_input()),
}
"""Name -> (target, input strategy)."""
