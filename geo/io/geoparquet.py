"""GeoParquet's ``geo`` metadata, checked, and its point geometries, decoded without GEOS.

An incident is coded at one place, so only points are ever decoded. WKB is read here,
in numpy: each value's byte order and type word are checked first, and only a point
of exactly the right length (21 bytes for x, y; 8 more per Z or M ordinate; 4 more
with an EWKB SRID) has its coordinates read. Any other geometry is a problem for its
row, named by its type, and never reaches a geometry library, whatever it holds
(a collection nested thousands of levels deep crashes GEOS). GeoArrow's native
``point`` encoding is read from its coordinate arrays; its other encodings hold no
points.
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pyarrow as pa

from geo.errors import DataError, Problem

__all__ = ["WKB_TYPES", "geo_metadata", "read_points"]

WKB_TYPES = {1: "Point", 2: "LineString", 3: "Polygon", 4: "MultiPoint",
             5: "MultiLineString", 6: "MultiPolygon", 7: "GeometryCollection",
             8: "CircularString", 9: "CompoundCurve", 10: "CurvePolygon", 11: "MultiCurve",
             12: "MultiSurface", 13: "Curve", 14: "Surface", 15: "PolyhedralSurface",
             16: "TIN", 17: "Triangle"}
"""WKB geometry type codes (ISO SQL/MM) and their names."""

_GEOARROW = {"point": "Point", "linestring": "LineString", "polygon": "Polygon",
             "multipoint": "MultiPoint", "multilinestring": "MultiLineString",
             "multipolygon": "MultiPolygon"}
_BBOX_KEYS = {"xmin", "ymin", "xmax", "ymax", "zmin", "zmax"}


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "a boolean",
            type(None): "null"}.get(type(value), "a number")


def _short(value: Any) -> str:
    text = json.dumps(value, default=str)
    return text if len(text) <= 80 else text[:77] + "..."


def geo_metadata(schema: pa.Schema, label: str) -> dict[str, Any]:
    """The GeoParquet ``geo`` metadata of a file, checked, or ``{}`` when it has none.

    Parameters
    ----------
    schema : pyarrow.Schema
        The file's Arrow schema (``pyarrow.parquet.ParquetFile(...).schema_arrow``).
    label : str
        The file name used in messages.

    Returns
    -------
    dict
        The metadata, with ``primary_column`` (default ``"geometry"``) set; its
        ``columns`` an object of objects, each with a text ``encoding``; the primary
        column's ``crs`` absent, null, text or an object; ``bbox`` lists of 4 or 6
        numbers; ``covering.bbox`` objects of column paths.

    Raises
    ------
    DataError
        Naming the file, and the column concerned where there is one, when the
        metadata is not JSON, not an object, or any of the above does not hold; when
        the primary column is missing from the file, or its Arrow type does not fit
        its encoding (text where WKB is binary, say).
    """
    raw = (schema.metadata or {}).get(b"geo")
    if raw is None:
        return {}

    def bad(message: str, field: str | None = None, value: Any = None) -> DataError:
        return DataError.single(label, f"GeoParquet 'geo' metadata: {message}", field=field,
                                value=None if value is None else _short(value))
    try:
        meta = json.loads(raw)
    except (ValueError, RecursionError) as exc:  # not UTF-8, not JSON, nested too deep
        raise bad(f"not valid JSON ({str(exc)[:120]})") from exc
    if not isinstance(meta, dict):
        raise bad(f"expected a JSON object, not {_kind(meta)}", value=meta)
    primary = meta.setdefault("primary_column", "geometry")
    if not isinstance(primary, str):
        raise bad(f"'primary_column' must be a column name, not {_kind(primary)}",
                  value=primary)
    columns = meta.get("columns")
    if not isinstance(columns, dict):
        raise bad(f"'columns' must be an object of column names, not {_kind(columns)}",
                  value=columns)
    for name, spec in columns.items():
        _check_column(name, spec, bad)
    if primary not in columns:
        raise bad(f"'columns' does not describe the primary column {primary!r}",
                  field=primary)
    _check_type(schema, primary, columns[primary]["encoding"], bad)
    return meta


def _check_column(name: str, spec: Any, bad: Any) -> None:
    """One entry of ``columns``: an object with a text encoding, a bbox of numbers,
    a covering of column paths, and a CRS that is an object, text or null."""
    if not isinstance(spec, dict):
        raise bad(f"the column's entry must be an object, not {_kind(spec)}", name, spec)
    enc = spec.get("encoding")
    if not isinstance(enc, str):
        raise bad("'encoding' is missing" if enc is None else
                  f"'encoding' must be text, not {_kind(enc)}", name, enc)
    if "crs" in spec and not isinstance(spec["crs"], dict | str | None):
        raise bad(f"'crs' must be a PROJJSON object or null, not {_kind(spec['crs'])}",
                  name, spec["crs"])
    box = spec.get("bbox")
    if box is not None and not (isinstance(box, list) and len(box) in (4, 6) and all(
            isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
            for v in box)):
        raise bad(f"'bbox' must be a list of 4 or 6 numbers, not {_kind(box)}", name, box)
    cover = spec.get("covering")
    if cover is None:
        return
    paths = cover.get("bbox") if isinstance(cover, dict) else None
    if not isinstance(cover, dict) or (paths is not None and not (
            isinstance(paths, dict) and set(paths) <= _BBOX_KEYS and all(
                isinstance(p, list) and p and all(isinstance(s, str) for s in p)
                for p in paths.values()))):
        raise bad("'covering' must be an object whose 'bbox' maps xmin, ymin, xmax, ymax "
                  "to column paths", name, cover)


def _check_type(schema: pa.Schema, col: str, encoding: str, bad: Any) -> None:
    """The primary column is in the file, with an Arrow type its encoding can hold."""
    if schema.get_field_index(col) < 0:
        raise bad(f"the primary column {col!r} is not in the file (or is there twice)",
                  field=col)
    t = schema.field(col).type
    t = t.storage_type if isinstance(t, pa.ExtensionType) else t
    enc = encoding.lower()
    if enc == "wkb":
        if not (pa.types.is_binary(t) or pa.types.is_large_binary(t)
                or pa.types.is_binary_view(t)):
            raise bad(f"the primary column holds {t}, but WKB is binary", field=col)
    elif enc == "point":
        if not (pa.types.is_struct(t) and {"x", "y"} <= {f.name for f in t}
                or pa.types.is_fixed_size_list(t) and t.list_size >= 2
                and pa.types.is_floating(t.value_type)):
            raise bad(f"the primary column holds {t}, not GeoArrow points", field=col)
    elif enc not in _GEOARROW:
        raise bad(f"unknown encoding {encoding!r} (expected WKB or a GeoArrow encoding)",
                  field=col)


def read_points(arr: pa.Array, encoding: str, label: str, field: str
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[Problem]]:
    """x and y of each row's point, as stored (no CRS applied).

    Parameters
    ----------
    arr : pyarrow.Array
        The geometry column (extension arrays read through their storage), checked
        by :func:`geo_metadata`.
    encoding : str
        Its GeoParquet encoding: ``WKB`` or a GeoArrow encoding.
    label, field : str
        The file and column named in problems.

    Returns
    -------
    x, y : numpy.ndarray
        Coordinates, NaN where the row has no point (null, empty, not a point).
    point : numpy.ndarray
        Rows holding a point (an empty point too: both coordinates NaN).
    problems : list of Problem
        One per row whose geometry is not a point (``not a point: Polygon``) or not
        valid WKB; the row numbers count records from 1.
    """
    arr = arr.storage if isinstance(arr, pa.ExtensionArray) else arr
    enc = encoding.lower()
    if enc == "wkb":
        return _wkb(arr, label, field)
    n = len(arr)
    valid = np.asarray(arr.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    x, y = np.full(n, np.nan), np.full(n, np.nan)
    if enc != "point":
        problems = [Problem(label, int(i) + 1, field, None, f"not a point: {_GEOARROW[enc]}")
                    for i in np.flatnonzero(valid)]
        return x, y, np.zeros(n, dtype=bool), problems
    if pa.types.is_struct(arr.type):
        for out, name in ((x, "x"), (y, "y")):
            part = arr.field(name).cast(pa.float64()).fill_null(math.nan)
            out[:] = part.to_numpy(zero_copy_only=False)
    else:
        size = arr.type.list_size
        flat = arr.values.cast(pa.float64()).fill_null(math.nan).to_numpy(
            zero_copy_only=False)[arr.offset * size:(arr.offset + n) * size]
        x[:], y[:] = flat[0::size], flat[1::size]
    x[~valid], y[~valid] = np.nan, np.nan
    return x, y, valid, []


def _wkb(arr: pa.Array, label: str, field: str
         ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[Problem]]:
    """:func:`read_points` for WKB: every value's header read in numpy first."""
    arr = arr.cast(pa.large_binary())  # 64-bit offsets, one layout
    n = len(arr)
    valid = np.asarray(arr.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    bufs = arr.buffers()
    offsets = np.frombuffer(bufs[1], dtype=np.int64)[arr.offset:arr.offset + n + 1]
    data = (np.frombuffer(bufs[2], dtype=np.uint8) if bufs[2] is not None
            else np.zeros(0, dtype=np.uint8))
    start, length = offsets[:-1], np.where(valid, np.diff(offsets), 0)

    def uint32(at: np.ndarray, rows: np.ndarray, big: np.ndarray) -> np.ndarray:
        """The 4-byte word at offset *at* of each of *rows* (which are long enough)."""
        b = data[start[rows, None] + at[:, None] + np.arange(4)].astype(np.uint32)
        b = np.where(big[:, None], b[:, ::-1], b)
        return b[:, 0] | b[:, 1] << 8 | b[:, 2] << 16 | b[:, 3] << 24

    x, y = np.full(n, np.nan), np.full(n, np.nan)
    point = np.zeros(n, dtype=bool)
    kind = np.full(n, -1, dtype=np.int64)  # -1: not valid WKB
    rows = np.flatnonzero(valid & (length >= 5))
    order = data[start[rows]]
    rows = rows[order <= 1]  # byte order: 0 big-endian, 1 little-endian
    big = data[start[rows]] == 0
    word = uint32(np.ones(len(rows), dtype=np.int64), rows, big)
    base = word & 0x0FFFFFFF
    iso, code = base // 1000, base % 1000
    z = ((word & 0x80000000) != 0) | (iso == 1) | (iso == 3)
    m = ((word & 0x40000000) != 0) | (iso >= 2)
    srid = (word & 0x20000000) != 0
    known = (iso <= 3) & (code >= 1) & (code <= 17)
    head = 5 + 4 * srid.astype(np.int64)
    size = head + 8 * (2 + z.astype(np.int64) + m.astype(np.int64))
    pts = known & (code == 1) & (length[rows] == size)
    kind[rows[known & (code != 1)]] = code[known & (code != 1)]
    # A non-point with no parts (its count word 0 and nothing after) is empty: no place.
    counted = known & (code >= 2) & (code <= 7) & (length[rows] == head + 4)
    if counted.any():
        empty = uint32(head[counted], rows[counted], big[counted]) == 0
        kind[rows[counted][empty]] = 0
    at, big_p, idx = head[pts], big[pts], rows[pts]
    for out, shift in ((x, 0), (y, 8)):
        b = data[start[idx, None] + at[:, None] + shift + np.arange(8)]
        b = np.where(big_p[:, None], b[:, ::-1], b)
        out[idx] = np.ascontiguousarray(b).view("<f8").ravel()
    point[idx], kind[idx] = True, 1
    problems = [Problem(label, int(i) + 1, field, None,
                        f"not a point: {WKB_TYPES[int(kind[i])]}" if kind[i] > 1
                        else "not a valid WKB geometry")
                for i in np.flatnonzero(valid & ((kind > 1) | (kind < 0)))]
    return x, y, point, problems
