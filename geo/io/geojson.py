"""Incidents from a GeoJSON FeatureCollection, as the same text table a CSV gives.

Each feature is one incident: its properties are the incident columns (see the
codebook), its geometry a Point (RFC 7946: WGS84, longitude first) that fills
``longitude``/``latitude``; a feature without geometry is located by its place name.
Features with any other geometry, or a point that is not valid, are reported
(``incidents.geojson:N`` is the N-th feature) and rejected like bad CSV rows, so the
rest still loads. Property values that are numbers become text as written; nested
objects are kept as JSON text.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pandas as pd

from geo.errors import DataError, Problem
from geo.io.tables import ROW

__all__ = ["read_geojson_incidents"]

_WGS84 = {"urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84",
          "urn:ogc:def:crs:EPSG::4326", "EPSG:4326", "CRS84"}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) and not value.is_integer() \
            else str(int(value)) if math.isfinite(value) else ""
    if isinstance(value, str):
        return value.strip()
    return json.dumps(value, ensure_ascii=False)


def _point(geom: Any) -> tuple[float, float] | str:
    """(lon, lat) of a valid Point, or what is wrong with the geometry."""
    if not isinstance(geom, dict):
        return "expected a GeoJSON geometry object"
    if geom.get("type") != "Point":
        return "expected a Point (an incident is coded at one place)"
    c = geom.get("coordinates")
    if not isinstance(c, list) or len(c) not in (2, 3) or not all(
            isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
            for v in c):
        return "a Point needs [longitude, latitude] as two finite numbers"
    lon, lat = float(c[0]), float(c[1])
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return (f"coordinates [{c[0]}, {c[1]}] are out of range (GeoJSON is "
                "[longitude, latitude])")
    return lon, lat


def read_geojson_incidents(raw: bytes, label: str = "incidents.geojson",
                           required: tuple[str, ...] = ()) -> tuple[pd.DataFrame,
                                                                    list[Problem]]:
    """Read incidents from GeoJSON bytes.

    Parameters
    ----------
    raw : bytes
        A GeoJSON FeatureCollection (or one Feature), UTF-8.
    label : str
        File name for messages.
    required : tuple of str
        Properties at least one feature must have (the required incident columns).

    Returns
    -------
    pandas.DataFrame
        Text columns, ``""`` for missing values, and :data:`~geo.io.tables.ROW` holding
        the feature number (1 = the first feature).
    list of Problem
        Features whose geometry is not a valid Point (to be rejected).

    Raises
    ------
    DataError
        Not JSON, not UTF-8, not a FeatureCollection, a CRS other than WGS84, or a
        required property missing from every feature.
    """
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise DataError.single(label, "GeoJSON must be UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise DataError.single(label, f"not valid JSON: {exc.msg} at line {exc.lineno}, "
                               f"column {exc.colno}") from exc
    except RecursionError as exc:
        raise DataError.single(label, "not valid JSON: nested too deeply") from exc
    if isinstance(doc, dict) and doc.get("type") == "Feature":
        doc = {"type": "FeatureCollection", "features": [doc]}
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or \
            not isinstance(doc.get("features"), list):
        raise DataError.single(label, "expected a GeoJSON FeatureCollection")
    crs = doc.get("crs")
    if crs is not None:
        name = str((crs.get("properties") or {}).get("name", "")) if isinstance(crs, dict) \
            else ""
        if name not in _WGS84:
            raise DataError.single(label, f"coordinates must be WGS84 longitude/latitude "
                                   f"(RFC 7946), not {name or crs!r}")
    rows: list[dict[str, str]] = []
    problems: list[Problem] = []
    for n, feat in enumerate(doc["features"], start=1):
        if not isinstance(feat, dict) or feat.get("type") != "Feature":
            problems.append(Problem(label, n, None, None, "expected a GeoJSON Feature"))
            rows.append({ROW: str(n)})
            continue
        props = feat.get("properties") or {}
        if not isinstance(props, dict):
            problems.append(Problem(label, n, "properties", None, "expected an object"))
            props = {}
        row = {str(k).strip(): _text(v) for k, v in props.items()}
        geom = feat.get("geometry")
        if geom is not None:
            where = _point(geom)
            if isinstance(where, str):
                problems.append(Problem(label, n, "geometry", json.dumps(geom)[:80], where))
            else:
                for fld, v in (("longitude", where[0]), ("latitude", where[1])):
                    given = row.get(fld, "")
                    if given and _differs(given, v):
                        problems.append(Problem(label, n, fld, given,
                                                f"differs from the geometry ({v:g})"))
                    row[fld] = repr(v) if not v.is_integer() else str(int(v))
        row[ROW] = str(n)
        rows.append(row)
    df = pd.DataFrame(rows, dtype=object).fillna("")
    if ROW not in df.columns:
        df[ROW] = []
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise DataError([Problem(label, None, c, None, "required property is missing from "
                                 "every feature") for c in missing])
    df[ROW] = df[ROW].astype(int)
    cols = [c for c in df.columns if c != ROW]
    return df[[*cols, ROW]].astype({c: "str" for c in cols}), problems


def _differs(text: str, value: float) -> bool:
    try:
        return abs(float(text) - value) > 1e-6
    except ValueError:
        return True
