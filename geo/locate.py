"""Attach incidents to coordinates and district polygons.

Each incident is located either by its explicit ``latitude``/``longitude`` or by the
gazetteer (each distinct place/admin-hint combination is resolved once), then joined
to the district polygons (``geopandas.sjoin`` through
:meth:`~geo.boundaries.Boundaries.locate`). Incidents that cannot be located are
listed with the reason and suggestions; none is put at a default point.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.gazetteer import Gazetteer

__all__ = ["Located", "locate_incidents"]

_KEY = ["location", "admin1", "admin2"]


@dataclass
class Located:
    """Incidents with coordinates, and the ones that could not be placed.

    Attributes
    ----------
    incidents : geopandas.GeoDataFrame
        Located incidents (WGS84 points) with ``lon, lat, geo_precision``,
        ``district, district_pcode, province, province_pcode``, ``located_by``
        (``explicit`` or the gazetteer method), ``place`` (matched name) and
        ``locate_note``.
    unresolved : pandas.DataFrame
        ``incident_id, location, admin1, admin2, reason, suggestions`` per incident
        that could not be located.
    """

    incidents: gpd.GeoDataFrame
    unresolved: pd.DataFrame


def locate_incidents(incidents: pd.DataFrame, gazetteer: Gazetteer) -> Located:
    """Locate incidents.

    Parameters
    ----------
    incidents : pandas.DataFrame
        Typed incidents from :func:`geo.records.read_dataset`.
    gazetteer : Gazetteer
        Used for place names and for the boundaries.

    Returns
    -------
    Located
    """
    inc = incidents.reset_index(drop=True)
    explicit = inc["latitude"].notna() & inc["longitude"].notna()
    keys = inc.loc[~explicit, _KEY].drop_duplicates()
    rows = []
    for loc, a1, a2 in keys.itertuples(index=False):
        m = gazetteer.resolve(loc, province=a1 or None, district=a2 or None)
        rows.append({
            "location": loc, "admin1": a1, "admin2": a2, "_ok": m.resolved,
            "_lat": m.lat, "_lon": m.lon, "_prec": m.precision, "located_by": m.method,
            "place": m.name or "", "locate_note": m.note,
            "reason": m.error or "", "suggestions": "; ".join(m.suggestions),
        })
    cols = [*_KEY, "_ok", "_lat", "_lon", "_prec", "located_by", "place", "locate_note",
            "reason", "suggestions"]
    matches = pd.DataFrame(rows, columns=cols)
    merged = inc.merge(matches, on=_KEY, how="left")
    merged.loc[explicit, ["_ok", "located_by", "place", "locate_note", "reason"]] = [
        True, "explicit", "", "coordinates given in the data", ""]
    merged.loc[explicit, "_lat"] = merged.loc[explicit, "latitude"]
    merged.loc[explicit, "_lon"] = merged.loc[explicit, "longitude"]
    merged.loc[explicit, "_prec"] = 1
    ok = merged["_ok"].fillna(False).astype(bool).to_numpy()

    unresolved = merged.loc[~ok, ["incident_id", *_KEY, "reason", "suggestions"]]
    found = merged.loc[ok].copy()
    lat = found["_lat"].astype(float).to_numpy()
    lon = found["_lon"].astype(float).to_numpy()
    # A coder may lower precision (say 2 for "the outskirts"), never claim more than
    # the gazetteer could give.
    given = found["geo_precision"].to_numpy(dtype=float)
    found["geo_precision"] = np.fmax(np.nan_to_num(given, nan=0), found["_prec"].astype(float))
    found["geo_precision"] = found["geo_precision"].astype(int)
    admin = gazetteer.boundaries.locate(lon, lat)
    found["lat"], found["lon"] = lat, lon
    found["district"] = admin["district_name"].to_numpy()
    found["district_pcode"] = admin["district_pcode"].to_numpy()
    found["province"] = admin["province_name"].to_numpy()
    found["province_pcode"] = admin["province_pcode"].to_numpy()
    outside = (admin["how"] == "outside").to_numpy()
    found.loc[outside, "locate_note"] = (found.loc[outside, "locate_note"].astype(str)
                                         + "; point lies outside the boundary layer")
    found = found.drop(columns=["_ok", "_lat", "_lon", "_prec", "reason", "suggestions"])
    gdf = gpd.GeoDataFrame(found, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    return Located(gdf.reset_index(drop=True), unresolved.reset_index(drop=True))
