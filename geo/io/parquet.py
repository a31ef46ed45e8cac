"""Datasets as Parquet: the same text tables as the CSV files, columnar and compressed.

``sources.parquet`` and ``claims.parquet`` are plain Parquet; ``incidents.parquet`` is
GeoParquet (WGS84 longitude/latitude, ``OGC:CRS84``): one point geometry per incident
that has coordinates, a null geometry for one located by place name. Every other
column is text, as a CSV cell would hold it; repetitive columns are dictionary-encoded,
so they load as pandas categoricals with no hashing.

:func:`read_parquet_table` gives exactly the frame :func:`geo.io.csvfile.read_csv` gives
(text or categoricals of stripped text, ``""`` for missing, :data:`~geo.io.tables.ROW`),
so validation is the same for both formats. Files written by other tools load too:
numbers, dates and booleans become their text, geometries in another CRS are
reprojected, and a geometry that is not a point is a reported row problem.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from geo.dataset.ingest import remove_other_formats
from geo.errors import DataError, Problem
from geo.io.atomic import atomic_paths
from geo.io.geoparquet import geo_metadata, read_points
from geo.io.limits import check_parquet
from geo.io.tables import ROW, arrow_text, to_float

__all__ = ["read_parquet_table", "write_parquet_tables"]

_COMPACT_ROWS = 1000  # as read_csv(compact=True): categoricals from this many rows on
_TEXT = pd.StringDtype("pyarrow", na_value=np.nan)  # read_csv's text dtype


def _encode(text: pa.Array) -> pa.DictionaryArray | None:
    """*text* dictionary-encoded when fewer than half its values are distinct, from
    1,000 rows (the rule of :func:`geo.io.csvfile.read_csv`), else None."""
    head = text.slice(0, 10_000)  # ids, coordinates, free text: mostly distinct at once
    if len(text) < _COMPACT_ROWS or pc.count_distinct(head).as_py() * 3 >= len(head):
        return None
    enc = pc.dictionary_encode(text)
    return enc if len(enc.dictionary) * 2 < len(text) else None


def _compact(text: pa.Array) -> pd.Categorical | None:
    """Stripped *text* as a categorical when :func:`_encode` encodes it, else None."""
    enc = _encode(text)
    return None if enc is None else _categorical(enc.indices, enc.dictionary)


def _categorical(indices: pa.Array, values: pa.Array) -> pd.Categorical:
    """Codes into text *values*, stripped (values that become equal merged; unused ones
    dropped), null as ``""``, as a categorical of ``object`` strings."""
    merged, cats = pd.factorize(pc.utf8_trim_whitespace(values.fill_null(""))
                                .to_numpy(zero_copy_only=False))
    if indices.null_count:
        blank = np.flatnonzero(cats == "")
        if not len(blank):
            cats, blank = np.append(cats, ""), np.array([len(cats)])
        codes = np.append(merged, blank[0])[indices.fill_null(-1).to_numpy()]  # -1: ""
    else:  # as stored, when the values were stripped and distinct (this module's files)
        codes = indices.to_numpy() if len(cats) == len(values) else merged[indices.to_numpy()]
    used = np.bincount(codes, minlength=len(cats)) > 0
    if not used.all():
        codes, cats = (np.cumsum(used) - 1)[codes], cats[used]
    return pd.Categorical.from_codes(codes, categories=pd.Index(cats, dtype=object),
                                     validate=False)


def _as_text(arr: pa.Array, label: str, name: str, notes: list[Problem]) -> pa.Array:
    """Any Arrow column as the text a CSV cell would hold (null where missing)."""
    t = arr.type
    if pa.types.is_floating(t):
        arr = arr.cast(pa.float64())
        arr = pc.if_else(pc.is_nan(arr), pa.scalar(None, pa.float64()), arr)
    elif pa.types.is_timestamp(t):
        day = pc.strftime(arr, "%Y-%m-%d")
        timed = pc.not_equal(pc.floor_temporal(arr, unit="day"), arr)
        if pc.any(timed).as_py():  # said once, at the first such record
            i = pc.index(timed, True).as_py()
            notes.append(Problem(label, i + 1, name, str(arr[i]),
                                 "timestamps are read as their date; the time of day "
                                 "is dropped"))
        return day.cast(pa.large_string())
    try:
        return arr.cast(pa.large_string())  # numbers (whole floats without .0), dates, ...
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # binary, lists, structs
        return pa.array([None if v is None else json.dumps(v, ensure_ascii=False, default=str)
                         if isinstance(v, list | dict) else v.decode("utf-8", "backslashreplace")
                         if isinstance(v, bytes) else str(v) for v in arr.to_pylist()],
                        type=pa.large_string())


def _column(col: pa.ChunkedArray, name: str, label: str, notes: list[Problem]
            ) -> pa.Array | pd.Categorical:
    """One column as stripped text (an Arrow array, ``""`` for missing) or, when it is
    repetitive, a categorical (a dictionary-encoded column without hashing)."""
    arr = col.combine_chunks()  # dictionaries of row groups unified
    if pa.types.is_dictionary(arr.type) and pa.types.is_timestamp(arr.type.value_type):
        arr = arr.dictionary.take(arr.indices)  # a time of day is noted at its record
    if pa.types.is_dictionary(arr.type):
        values = _as_text(arr.dictionary, label, name, notes)
        if len(arr) >= _COMPACT_ROWS and len(values) * 2 < len(arr):
            return _categorical(arr.indices, values)
        arr = values.take(arr.indices)
    text = pc.utf8_trim_whitespace(_as_text(arr, label, name, notes).fill_null(""))
    few = _compact(text)
    return few if few is not None else text


_LONLAT = {("OGC", "CRS84"), ("EPSG", "4326")}


def _geometry(table: pa.Table, meta: dict[str, Any], label: str
              ) -> tuple[np.ndarray, np.ndarray, list[Problem]]:
    """Longitude and latitude (NaN without a point) of each record's primary geometry,
    in WGS84, and a problem per geometry that is not a point (read by
    :func:`geo.io.geoparquet.read_points`, which decodes nothing but points)."""
    col = meta["primary_column"]
    spec = meta["columns"][col]
    x, y, point, problems = read_points(table[col].combine_chunks(), spec["encoding"],
                                        label, col)
    empty = np.isnan(x) & np.isnan(y)
    crs = spec.get("crs", {"id": {"authority": "OGC", "code": "CRS84"}})  # the default
    ident = crs.get("id", {}) if isinstance(crs, dict) else {}
    ident = ident if isinstance(ident, dict) else {}
    if crs is not None and (str(ident.get("authority", "")).upper(),
                            str(ident.get("code", ""))) not in _LONLAT:
        from pyproj import CRS, Transformer
        from pyproj.exceptions import CRSError, ProjError

        try:
            source = CRS.from_json_dict(crs) if isinstance(crs, dict) else CRS(crs)
            if not source.equals("EPSG:4326", ignore_axis_order=True):
                x, y = Transformer.from_crs(source, "EPSG:4326", always_xy=True
                                            ).transform(x, y, errcheck=False)
                x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        except (CRSError, ProjError, TypeError, ValueError) as exc:
            raise DataError.single(label, f"cannot read the geometry's CRS: {exc}",
                                   field=col) from exc
    lost = point & ~empty & ~np.isfinite(x + y)  # e.g. outside the CRS's domain
    problems += [Problem(label, int(i) + 1, col, None, "the point has no finite "
                         "longitude/latitude") for i in np.flatnonzero(lost)]
    x[lost | empty], y[lost | empty] = np.nan, np.nan
    problems.sort(key=lambda p: p.row or 0)
    return x, y, problems


def _float_text(values: np.ndarray) -> pa.Array:
    """Floats as the shortest text that reads back the same; ``""`` for NaN."""
    return pa.array(values, from_pandas=True).cast(pa.large_string()).fill_null("")


def _coordinates(cols: dict[str, Any], x: np.ndarray, y: np.ndarray, label: str,
                 problems: list[Problem]) -> None:
    """Fill ``longitude``/``latitude`` from the geometry where it has a point, keeping
    the columns' own text elsewhere; report rows where both are given and differ."""
    has = np.isfinite(x) & np.isfinite(y)
    for name, v in (("longitude", x), ("latitude", y)):
        given = cols.get(name)
        if given is None:
            cols[name] = _float_text(np.where(has, v, np.nan))
            continue
        text = pd.Series(given, dtype=None if isinstance(given, pd.Categorical) else _TEXT)
        own = to_float(text)
        with np.errstate(invalid="ignore"):
            differs = has & (text != "").to_numpy() & ~(np.abs(own - v) <= 1e-6)
        for i in np.flatnonzero(differs):
            problems.append(Problem(label, int(i) + 1, name, str(text.iloc[i]),
                                    f"differs from the geometry ({v[i]:g})"))
        cols[name] = pc.if_else(pa.array(has), _float_text(v), arrow_text(text))
    for name in ("longitude", "latitude"):  # mostly empty (places by name): categorical
        few = _compact(cols[name])
        cols[name] = cols[name] if few is None else few


def read_parquet_table(data: bytes, *, required: Iterable[str], label: str,
                       geometry: bool = False) -> pd.DataFrame:
    """Read a Parquet (or, with *geometry*, GeoParquet) table as text.

    Parameters
    ----------
    data : bytes
        The file's content.
    required : iterable of str
        Columns that must be present.
    label : str
        The file name used in messages.
    geometry : bool
        Read the GeoParquet geometry (incidents): a point gives ``longitude`` and
        ``latitude`` (reprojected to WGS84 when the file's CRS is another; a file
        without CRS is taken as longitude/latitude), a null or empty geometry gives
        ``""``. When the file also has ``latitude``/``longitude`` columns, the geometry
        wins where it has a point and rows where they differ are reported. A file with
        no geometry but those columns works as well.

    Returns
    -------
    pandas.DataFrame
        As :func:`geo.io.csvfile.read_csv` with ``compact=True``: each column text with
        surrounding spaces removed and ``""`` for null, or (from 1,000 rows, when
        fewer than half the values are distinct) a categorical of such text. Numbers
        become their text (whole floats without ``.0``), dates and timestamps
        ``YYYY-MM-DD``, booleans ``true``/``false``. :data:`~geo.io.tables.ROW` is the
        record number (the first record is 1: Parquet has no header row). Records
        with every cell empty are not records and are dropped, as blank CSV lines.
        ``attrs["problems"]`` lists geometries that are not points or disagree with
        the coordinate columns (the caller rejects those rows); ``attrs["notes"]``
        says how values were read (timestamps with a time of day).

    Raises
    ------
    DataError
        When the file is not readable Parquet, declares more rows, columns or
        decompressed data than :mod:`geo.io.limits` allows (checked before any data is
        read), has malformed GeoParquet metadata (:func:`geo.io.geoparquet.geo_metadata`),
        has a column twice, or lacks required columns (one problem per column).
    """
    try:
        # One file: ParquetFile, not read_table, which loads pyarrow.dataset (0.01 s).
        file = pq.ParquetFile(pa.BufferReader(data))
        check_parquet(label, file.metadata)  # before any data is read
        meta = geo_metadata(file.schema_arrow, label) if geometry else {}
        table = file.read()
    except DataError:
        raise
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise DataError.single(label, f"not a readable Parquet file ({exc})") from exc
    names = [str(c).strip() for c in table.column_names]
    twice = sorted({c for c in names if names.count(c) > 1})
    if twice:
        raise DataError([Problem(label, None, c, None, "column appears more than once")
                         for c in twice])
    skip = set(meta.get("columns", {}))  # geometry and its bounding-box columns
    for spec in meta.get("columns", {}).values():
        skip |= {v[0] for v in (spec.get("covering") or {}).get("bbox", {}).values()}
    notes: list[Problem] = []
    problems: list[Problem] = []
    cols: dict[str, Any] = {}
    for raw, name in zip(table.column_names, names, strict=True):
        if meta and raw == meta["primary_column"]:
            cols.setdefault("latitude", None)  # placed where the geometry was
            cols.setdefault("longitude", None)
        if raw not in skip:
            cols[name] = _column(table[raw], name, label, notes)
    if meta:
        x, y, problems = _geometry(table, meta, label)
        given = {k: v for k, v in cols.items() if v is not None}
        _coordinates(given, x, y, label, problems)
        cols = {k: given[k] for k in cols}
    missing = [c for c in required if c not in cols]
    if missing:
        raise DataError([Problem(label, None, c, None, "required column is missing")
                         for c in missing])
    df = pd.DataFrame({k: pd.Series(v, dtype=_TEXT) if isinstance(v, pa.Array) else v
                       for k, v in cols.items()}, index=pd.RangeIndex(table.num_rows))
    df[ROW] = np.arange(1, table.num_rows + 1)
    maybe = np.flatnonzero((df.iloc[:, 0] == "").to_numpy()) if cols else np.array([])
    if len(maybe):
        blank = (df.iloc[maybe, :-1] == "").all(axis=1).to_numpy()
        if blank.any():
            df = df.drop(index=df.index[maybe[blank]]).reset_index(drop=True)
    df.attrs["problems"] = problems
    df.attrs["notes"] = notes
    return df


def _write_column(s: pd.Series) -> pa.Array:
    """One column's text as written (numbers and dates as CSV holds them), dictionary-
    encoded when fewer than half the rows are distinct (from 1,000 rows)."""
    if isinstance(s.dtype, pd.CategoricalDtype):  # as read or typed: no text per row
        cats, codes = arrow_text(s.cat.categories), s.cat.codes.to_numpy()
        if (codes < 0).any():  # missing: ""
            codes = np.where(codes < 0, len(cats), codes)
            cats = pa.concat_arrays([cats, pa.array([""], pa.large_string())])
        if _COMPACT_ROWS <= len(s) > len(cats) * 2 and \
                pc.count_distinct(cats).as_py() == len(cats):
            return pa.DictionaryArray.from_arrays(pa.array(codes, pa.int32()), cats)
        text = cats.take(pa.array(codes))
    elif s.dtype == object or isinstance(s.dtype, pd.StringDtype):
        text = arrow_text(s)
    else:  # numbers, dates, booleans
        text = _as_text(pa.array(s, from_pandas=True), "", str(s.name), []).fill_null("")
    enc = _encode(text)
    return text if enc is None else enc


def _pandas_text(arr: pa.Array) -> pd.Series:
    """A written column as pandas text: dictionaries as categoricals (Parquet
    dictionaries, which ``geopandas.read_parquet`` and ``pandas.read_parquet`` read
    back), other text as strings."""
    if isinstance(arr, pa.DictionaryArray):
        return pd.Series(pd.Categorical.from_codes(
            arr.indices.to_numpy(zero_copy_only=False),
            pd.Index(arr.dictionary.to_pylist(), dtype=object), validate=False))
    return pd.Series(arr.cast(pa.large_string()), dtype=_TEXT)


def _incidents(cols: dict[str, pa.Array], path: Path) -> None:
    """Incidents as GeoParquet: the coordinates as points, the rest as text."""
    import geopandas as gpd
    import shapely

    n = len(next(iter(cols.values()), []))
    lat, lon = (to_float(pd.Series(cols[c].cast(pa.large_string()), dtype=_TEXT)) if c in cols
                else np.full(n, np.nan) for c in ("latitude", "longitude"))
    ok = np.isfinite(lat) & np.isfinite(lon)
    points = np.full(n, None, dtype=object)
    points[ok] = shapely.points(lon[ok], lat[ok])
    geom = "geometry" if "geometry" not in cols else "_geometry"
    out: dict[str, Any] = {}
    for c, arr in cols.items():
        if c in ("latitude", "longitude"):
            out.setdefault(geom, gpd.GeoSeries(points, crs="OGC:CRS84"))
            keep = pc.and_(pc.not_equal(arr, ""), pa.array(~ok))
            if pc.any(keep).as_py():  # text a point cannot hold: kept, nothing is lost
                out[c] = pd.Series(pc.if_else(keep, arr.cast(pa.large_string()), ""),
                                   dtype=_TEXT)
        else:  # pandas types, so any reader's pandas metadata makes sense of them
            out[c] = _pandas_text(arr)
    if geom not in out:
        out[geom] = gpd.GeoSeries(points, crs="OGC:CRS84")
    gpd.GeoDataFrame(out, geometry=geom).to_parquet(path, index=False, compression="zstd")


def write_parquet_tables(tables: dict[str, pd.DataFrame], folder: str | Path) -> Path:
    """Write text tables as ``<table>.parquet`` files, each atomically.

    Parameters
    ----------
    tables : dict of str to pandas.DataFrame
        ``sources``, ``incidents``, ``claims`` (any of them) as text, as written to CSV
        (:func:`geo.dataset.save.dataset_tables`).
    folder : path
        Created if needed. The tables' other files there (``claims.csv`` when
        ``claims.parquet`` is written...) are removed once the new file is in place.

    Returns
    -------
    pathlib.Path
        The folder.

    Notes
    -----
    ``incidents.parquet`` is GeoParquet (``OGC:CRS84``): rows with both coordinates as
    numbers get a point and the ``latitude``/``longitude`` columns are not stored;
    coordinate text that is not a pair of numbers (to be reported when read) is kept
    in those columns. Repetitive columns (from 1,000 rows, fewer than half the values
    distinct) are dictionary-encoded. Compression: zstd.
    """
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    # Every table written before any is renamed into place: all new, or all old.
    with atomic_paths([root / f"{table}.parquet" for table in tables]) as tmps:
        for tmp, (table, frame) in zip(tmps, tables.items(), strict=True):
            cols = {str(c): _write_column(frame[c]) for c in frame.columns if c != ROW}
            if table == "incidents":
                _incidents(cols, tmp)
            else:
                pq.write_table(pa.table(cols), tmp, compression="zstd")
    for table in tables:
        remove_other_formats(root, table, f"{table}.parquet")
    return root
