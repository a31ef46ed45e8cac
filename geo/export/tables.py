"""GeoJSON and CSV exports of incidents and district summaries.

GeoJSON follows RFC 7946: WGS84, longitude before latitude, written by GDAL's GeoJSON
driver (through pyogrio, ``RFC7946=YES``) for polygons and by a vectorised writer
for points (see :func:`write_geojson`). Properties are flat:

Incidents (one Feature per incident; ``geometry`` is null for incidents that could not
be located, so nothing is lost): ``incident_id, event_date, time_precision, location``
(as reported), ``place`` (gazetteer match), ``located, located_by`` (exact, alias,
normalised, fuzzy, district-name, province-name, online, explicit), ``locate_score`` (the
gazetteer's 0-100 similarity), ``unresolved_reason,
geo_precision, district, district_pcode, province, province_pcode, event_type,
sub_event_type, actor1, actor2, target_type, description, source_ids, operation_id,
figure_policy``, and per category C in :data:`~geo.dataset.schema.CATEGORIES`: ``C_best,
C_low, C_high`` (whole numbers; null when no claim, never 0; ``best`` per the policy),
``C_claims`` (how many claims), ``C_best_class`` (who gives ``best``: ``official``,
``other`` or ``militant``: a militant figure is always marked so), ``C_subgroup``
(who within the category the best figure counts, when narrower) and
``C_claimant_types`` (every claimant type with a claim in C, ``;``-joined). Unlocated
incidents keep every figure. ``lat``/``lon`` repeat the geometry at its 6 decimals.
Extra columns of the input are passed through.

Districts (one polygon Feature per district of the provinces concerned):
``district, district_pcode, province, province_pcode, incidents, figure_policy`` and
``C_best, C_low, C_high``.

CSV cells and headers that a spreadsheet would run as a formula (text starting with
``= + - @``, tab or carriage return) are prefixed with ``'``, as
:func:`geo.textsafe.csv_cell` does; numbers, and text that is a plain number such as
``-5``, are written as they are.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.analysis.summary import Summary
from geo.dataset.records import Dataset
from geo.dataset.schema import CATEGORIES
from geo.io.atomic import atomic_path
from geo.io.tables import index_in
from geo.textsafe import FORMULA_START, PLAIN_NUMBER, csv_cell

__all__ = ["district_frame", "export_bytes", "incident_frame", "write_csv", "write_geojson"]

BASE_COLUMNS = [
    "incident_id", "event_date", "time_precision", "location", "place", "located",
    "located_by", "locate_score", "unresolved_reason", "geo_precision", "district",
    "district_pcode", "province", "province_pcode", "lat", "lon", "event_type",
    "sub_event_type", "actor1", "actor2", "target_type", "description", "source_ids",
    "operation_id", "figure_policy",
]
_INTERNAL = {"_row", "latitude", "longitude", "admin1", "admin2", "locate_note", "geometry",
             "located_by"}


def _figure_columns() -> list[str]:
    cols = []
    for cat in CATEGORIES:
        cols += [f"{cat}_best", f"{cat}_low", f"{cat}_high", f"{cat}_claims",
                 f"{cat}_best_class", f"{cat}_subgroup", f"{cat}_claimant_types"]
    return cols


def claimant_types(dataset: Dataset, ids: pd.Series) -> dict[str, pd.Series]:
    """Per category, each incident's claimant types (sorted, ``;``-joined; "" when none).

    Parameters
    ----------
    dataset : Dataset
    ids : pandas.Series
        Incident ids, in the order wanted.

    Returns
    -------
    dict of str to pandas.Series
        ``{category: text per id}`` (index as *ids*).
    """
    c = dataset.claims
    pos = index_in(c["incident_id"].astype(str), ids.astype(str))  # -1: area claims
    types = pd.Categorical(c["claimant_type"].astype(str))
    names = list(types.categories)  # sorted
    if len(names) > 62:
        raise ValueError(f"{len(names)} claimant types: more than a bit mask holds")
    # Each incident's set of claimant types per category as a bit mask (one pass in C),
    # then one text per distinct set: no per-incident Python.
    bits = np.left_shift(np.int64(1), types.codes.astype(np.int64))
    category = c["category"].astype(str).to_numpy()
    out = {}
    for cat in CATEGORIES:
        mine = (category == cat) & (pos >= 0)
        masks = np.zeros(len(ids), dtype=np.int64)
        np.bitwise_or.at(masks, pos[mine], bits[mine])
        seen, inverse = np.unique(masks, return_inverse=True)
        text = np.array([";".join(n for i, n in enumerate(names) if int(m) >> i & 1)
                         for m in seen], dtype=object)
        out[cat] = pd.Series(text[inverse.ravel()], index=ids.index, dtype=object)
    return out


def incident_frame(summary: Summary, dataset: Dataset | None = None) -> gpd.GeoDataFrame:
    """Incidents as one flat GeoDataFrame (unlocated ones with empty geometry).

    Parameters
    ----------
    summary : Summary
        From :func:`geo.analysis.summary.summarise`.
    dataset : Dataset, optional
        When given, the summary's unresolved incidents (same filters) are appended
        with empty geometry and ``located = False``.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns as documented in this module.
    """
    inc = summary.incidents.copy()
    inc["located"] = True
    inc["unresolved_reason"] = ""
    frames = [inc]
    if dataset is not None and len(summary.unresolved):
        un = summary.unresolved
        un = un.assign(incident_id=un["incident_id"].astype(str))
        figs = [c for c in un.columns if c.startswith(tuple(f"{c}_" for c in CATEGORIES))]
        lost = dataset.incidents.assign(
            incident_id=dataset.incidents["incident_id"].astype(str))
        lost = lost[lost["incident_id"].isin(set(un["incident_id"]))]
        lost = lost.merge(un[["incident_id", "reason", *figs]], on="incident_id")
        lost = lost.rename(columns={"reason": "unresolved_reason"})
        lost["located"], lost["place"], lost["located_by"] = False, "", "unresolved"
        frames.append(gpd.GeoDataFrame(lost, geometry=[None] * len(lost), crs="EPSG:4326"))
    out = pd.concat(frames, ignore_index=True)
    types = claimant_types(dataset, out["incident_id"]) if dataset is not None else {}
    for cat in CATEGORIES:
        out[f"{cat}_claims"] = out.pop(f"{cat}_n").astype(int)
        for stat in ("best", "low", "high"):  # whole numbers, null when no claim
            out[f"{cat}_{stat}"] = out[f"{cat}_{stat}"].round().astype("Int64")
        out[f"{cat}_best_class"] = out.pop(f"{cat}_class").astype(object)
        out[f"{cat}_subgroup"] = out.pop(f"{cat}_subgroup").astype(object).where(
            out[f"{cat}_best_class"].notna(), None)
        out[f"{cat}_claimant_types"] = types.get(cat, "")
    for c in ("lat", "lon"):  # as precise as the geometry's 6 decimals
        if c in out:
            out[c] = out[c].round(6)
    out["figure_policy"] = str(summary.policy)
    out["event_date"] = out["event_date"].dt.strftime("%Y-%m-%d")
    extra = [c for c in out.columns if c not in set(BASE_COLUMNS) | set(_figure_columns())
             | _INTERNAL]
    cols = [c for c in BASE_COLUMNS if c in out.columns] + _figure_columns() + extra
    out = gpd.GeoDataFrame(out[cols], geometry=out.geometry, crs="EPSG:4326")
    out["geo_precision"] = out["geo_precision"].astype("Int64")
    return out


def district_frame(summary: Summary, districts: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """District polygons with the summary's counts and figures.

    Parameters
    ----------
    summary : Summary
        From :func:`geo.analysis.summary.summarise`.
    districts : geopandas.GeoDataFrame
        The boundary layer (``Boundaries.districts``).

    Returns
    -------
    geopandas.GeoDataFrame
        Every district of the provinces that hold incidents (0 incidents where none).
    """
    provs = set(summary.districts["province_pcode"].dropna()) or set(
        districts["province_pcode"])
    d = districts[districts["province_pcode"].isin(provs)][
        ["district_name", "district_pcode", "province_name", "province_pcode", "geometry"]
    ].rename(columns={"district_name": "district", "province_name": "province"})
    stats = summary.districts.drop(columns=["district", "province", "province_pcode"])
    out = d.merge(stats, on="district_pcode", how="left")
    out["incidents"] = out["incidents"].fillna(0).astype(int)
    out["figure_policy"] = str(summary.policy)
    return gpd.GeoDataFrame(out, geometry="geometry", crs="EPSG:4326")


def write_geojson(gdf: gpd.GeoDataFrame, out: str | Path) -> None:
    """Write RFC 7946 GeoJSON (UTF-8) to a path, or to stdout for ``-``.

    Point layers are encoded in one pass of pandas' C JSON encoder and turned into
    Features by C-level string replacement (non-ASCII text is \\u-escaped, which
    JSON allows): 100,000 incidents take about a second, where GDAL's per-field writer
    takes several. Other geometries go through pyogrio (GDAL's GeoJSON driver with
    ``RFC7946=YES``).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Features in WGS84 (reprojected if not).
    out : path or "-"
        Destination.
    """
    if gdf.crs is not None and gdf.crs.to_epsg() != 4326:
        gdf = gdf.to_crs("EPSG:4326")
    geoms = gdf.geometry
    points = geoms.isna() | (geoms.geom_type == "Point")
    if not points.all():
        if str(out) == "-":
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "out.geojson"
                write_geojson(gdf, path)
                with path.open("rb") as fh:
                    shutil.copyfileobj(fh, sys.stdout.buffer)
            sys.stdout.flush()
            return
        import pyogrio  # GDAL: loaded only for polygons (0.03-0.08 s)

        with atomic_path(out) as dest:
            dest.unlink()  # GDAL will not write over a file
            pyogrio.write_dataframe(
                gdf, dest, driver="GeoJSON",
                layer_options={"RFC7946": "YES", "WRITE_NAME": "NO",
                               "COORDINATE_PRECISION": 6},
            )
        return
    pieces = _points_geojson(gdf)
    if str(out) == "-":
        for piece in pieces:
            sys.stdout.buffer.write(piece)
        sys.stdout.flush()
        return
    with atomic_path(out) as dest, dest.open("wb") as fh:
        for piece in pieces:
            fh.write(piece)


_FEATURE = '{"type":"Feature","geometry":'
_POINT_OPEN = _FEATURE + '{"type":"Point","coordinates":['


def _points_geojson(gdf: gpd.GeoDataFrame) -> list[bytes | memoryview]:
    """Features from one ujson pass plus a few C-level replacements (no per-row JSON)."""
    if len(gdf) == 0:
        return [b'{"type":"FeatureCollection","features":[]}\n']
    geom = gdf.geometry
    missing = geom.isna().to_numpy()
    x, y = geom.x.to_numpy(), geom.y.to_numpy()
    # Longitude first, as RFC 7946 wants; 6 decimals is about 0.1 m.
    coords = [None if gone else f"{lon:.6f},{lat:.6f}"
              for gone, lon, lat in zip(missing, x.tolist(), y.tolist(), strict=True)]
    props = pd.DataFrame(gdf.drop(columns=geom.name))
    props.insert(0, "__geo_end", None)
    props.insert(0, "__geo_c", coords)
    text = props.to_json(orient="records", force_ascii=True, double_precision=10)
    # Records read '{"__geo_c":"X,Y","__geo_end":null,...}'. Inside JSON strings quotes
    # are escaped, so these markers cannot come from the data.
    text = text.replace('},{"__geo_c":"', "}},\n" + _POINT_OPEN)
    text = text.replace('","__geo_end":null,', ']},"properties":{')
    null_open = _FEATURE + 'null,"properties":{'
    if missing.any():
        text = text.replace('},{"__geo_c":null,"__geo_end":null,', "}},\n" + null_open)
    for marker, opening in (('[{"__geo_c":"', _POINT_OPEN),
                            ('[{"__geo_c":null,"__geo_end":null,', null_open)):
        if text.startswith(marker):  # the first record has no '},' before it
            text = "[" + opening + text[len(marker):]
    body = text.encode("ascii")
    # Pieces, not one concatenated copy of a file that can be hundreds of MB.
    return [b'{"type":"FeatureCollection","features":', memoryview(body)[:-1], b"}]}\n"]


_FORMULA = "[" + re.escape(FORMULA_START) + "]"


def _neutralise(series: pd.Series) -> pd.Series:
    """:func:`geo.textsafe.csv_cell` on every cell, vectorised."""
    s = series.astype(object)
    text = s.map(lambda v: isinstance(v, str)).astype(bool)
    if not text.any():
        return s
    t = s.where(text, "").astype(str)
    risky = text & t.str.match(_FORMULA) & ~t.str.fullmatch(PLAIN_NUMBER)
    return s.where(~risky, "'" + t)


def _text_like(s: pd.Series) -> bool:
    return (s.dtype == object or pd.api.types.is_string_dtype(s)
            or isinstance(s.dtype, pd.CategoricalDtype))


def write_csv(df: pd.DataFrame, out: str | Path) -> None:
    """Write a frame as CSV (geometry as ``lat``/``lon`` or dropped), formulas neutralised.

    Text cells and column names that a spreadsheet would read as a formula get a
    leading ``'`` (:func:`geo.textsafe.csv_cell`); numbers are written unchanged.

    Parameters
    ----------
    df : pandas.DataFrame
        Incidents or districts (a GeoDataFrame's geometry column is dropped).
    out : path or "-"
        Destination.
    """
    frame = pd.DataFrame(df.drop(columns="geometry", errors="ignore"))
    for col in frame.columns:
        if _text_like(frame[col]):
            frame[col] = _neutralise(frame[col])
    frame.columns = [csv_cell(str(c)) for c in frame.columns]
    frame = frame.replace({np.nan: None})
    # CRLF rows (RFC 4180): the writer then quotes every cell holding a CR or LF. With
    # "\n" a bare CR in a cell stays unquoted, and spreadsheets start a new row there.
    if str(out) == "-":
        frame.to_csv(sys.stdout, index=False, lineterminator="\r\n")
    else:
        with atomic_path(out) as dest:
            frame.to_csv(dest, index=False, lineterminator="\r\n")


def export_bytes(frame: pd.DataFrame, fmt: str) -> bytes:
    """The bytes :func:`write_geojson` (``fmt="geojson"``) or :func:`write_csv` would write.

    For download buttons: the content is identical to the CLI's ``export`` output.
    """
    if fmt not in ("geojson", "csv"):
        raise ValueError(f"format must be 'geojson' or 'csv', not {fmt!r}")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"export.{fmt}"
        if fmt == "geojson":
            write_geojson(gpd.GeoDataFrame(frame), out)
        else:
            write_csv(frame, out)
        return out.read_bytes()
