"""Fuzz targets over the loaders, shared by the tests and ``benchmarks/fuzz_loaders.py``.

Each target takes one generated input and feeds it to a loader; the only exception a
loader may raise is the product's own :class:`~geo.errors.GeoError` (a
``DataError`` naming file, row and field). Anything else propagates and is a bug.
Inputs are arbitrary bytes, and valid files of the bundled dataset mutated byte by
byte (flips, cuts, inserted delimiters, quotes, BOMs, NULs, huge numbers).
"""

from __future__ import annotations

import io
import json
import warnings
import zipfile
from collections.abc import Callable
from typing import Any

import pandas as pd
from hypothesis import strategies as st

from geo.bundled import dataset_dir
from geo.dataset.ingest import DatasetFiles, read_zip
from geo.dataset.records import read_dataset
from geo.errors import GeoError
from geo.io.csvfile import read_csv
from geo.io.dates import read_dates
from geo.io.geojson import read_geojson_incidents

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


TARGETS: dict[str, tuple[Callable[..., None], st.SearchStrategy[Any]]] = {
    "sources.csv": (lambda raw: check_csv("sources.csv", raw), csv_input("sources.csv")),
    "incidents.csv": (lambda raw: check_csv("incidents.csv", raw), csv_input("incidents.csv")),
    "claims.csv": (lambda raw: check_csv("claims.csv", raw), csv_input("claims.csv")),
    "incidents.geojson": (check_geojson, geojson_input()),
    "zip": (check_zip, zip_input()),
    "dates": (check_dates, st.lists(st.text(max_size=24), max_size=8)),
}
"""Name -> (target, input strategy)."""
