"""Attach incidents to coordinates and district polygons.

Each incident is located either by its explicit ``latitude``/``longitude`` or by the
gazetteer (each distinct place/admin-hint combination is resolved once), then joined
to the district polygons (``geopandas.sjoin`` through
:meth:`~geo.gazetteer.boundaries.Boundaries.locate`). Incidents that cannot be located are
listed with the reason and suggestions; none is put at a default point.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.gazetteer.match import Match
from geo.gazetteer.online import OnlineGeocoder, resolve_online
from geo.gazetteer.resolve import Gazetteer
from geo.io.tables import codes_of

__all__ = ["NOT_REPORTED", "Located", "locate_incidents", "not_reported",
           "unresolved_places"]

NOT_REPORTED = "place not reported: only the admin area is known"
"""The reason of an incident coded without a place (an empty ``location``, no
coordinates, an ``admin1``): not on the map by design, listed with its figures, and
not an error."""

_KEY = ["location", "admin1", "admin2"]


@dataclass
class Located:
    """Incidents with coordinates, and the ones that could not be placed.

    Attributes
    ----------
    incidents : geopandas.GeoDataFrame
        Located incidents (WGS84 points) with ``lon, lat, geo_precision``,
        ``district, district_pcode, province, province_pcode``, ``located_by``
        (``explicit`` or the gazetteer method), ``locate_score`` (the gazetteer's
        0-100 similarity; NaN for coordinates given), ``place`` (matched name) and
        ``locate_note``.
    unresolved : pandas.DataFrame
        ``incident_id, location, admin1, admin2, reason, suggestions`` per incident
        that could not be located.
    """

    incidents: gpd.GeoDataFrame
    unresolved: pd.DataFrame


def _groups(columns: list[pd.Series]) -> tuple[np.ndarray, np.ndarray]:
    """(group code per row, first row of each group) for the distinct combinations of
    *columns*, codes in order of first appearance. Categoricals combine their codes
    as integers; other columns are hashed once each."""
    combined = np.zeros(len(columns[0]), dtype=np.int64)
    for col in columns:
        codes, values = codes_of(col)
        combined = combined * (len(values) + 1) + (codes + 1)  # -1 (missing) -> 0
        if len(combined) and int(combined.max()) > 1 << 40:  # keep products small
            combined = pd.factorize(combined)[0].astype(np.int64)
    group = pd.factorize(combined)[0].astype(np.int64)
    # Codes count up in order of appearance: a group's first row is where the running
    # maximum steps up.
    first = np.flatnonzero(np.diff(np.maximum.accumulate(group), prepend=-1) > 0)
    return group, first


def _against_hints(unit_of: Callable[[str], tuple[str, str, str] | None], m: Match,
                   admin1: object, admin2: object) -> str:
    """Why a match contradicts the row's own province or district (``admin1``,
    ``admin2``; *unit_of* is :meth:`Gazetteer.admin_unit`), or ``""``. A hint the
    gazetteer does not know contradicts nothing."""
    for hint, level, got in ((admin2, "district", m.district), (admin1, "province", m.province)):
        unit = unit_of(hint) if isinstance(hint, str) and hint else None
        if unit is not None and unit[0] == level and got and unit[1] != got:
            return (f"'{m.query}' matches {m.name} in {m.district}, {m.province}: outside "
                    f"the stated {level} {unit[1]}, where no place of that name is known "
                    f"(check the name or {'admin2' if level == 'district' else 'admin1'})")
    return ""


def locate_incidents(incidents: pd.DataFrame, gazetteer: Gazetteer,
                     online: OnlineGeocoder | None = None) -> Located:
    """Locate incidents.

    Parameters
    ----------
    incidents : pandas.DataFrame
        Typed incidents from :func:`geo.dataset.records.read_dataset`.
    gazetteer : Gazetteer
        Used for place names and for the boundaries.
    online : OnlineGeocoder, optional
        Asked for the names the gazetteer cannot resolve (never for the others).

    Returns
    -------
    Located
    """
    inc = incidents.reset_index(drop=True)
    explicit = (inc["latitude"].notna() & inc["longitude"].notna()).to_numpy()
    # Each distinct (place, admin hints) is resolved once, then mapped back by code.
    codes, first = _groups([inc[c] for c in _KEY])
    with gazetteer.batch():  # a name given with several hints: one fuzzy search
        matches = [
            resolve_online(gazetteer, loc, online, province=a1 or None, district=a2 or None)
            for loc, a1, a2 in inc.loc[first, _KEY].itertuples(index=False)
        ]
    keys = list(inc.loc[first, _KEY].itertuples(index=False))
    unit_of = functools.lru_cache(maxsize=None)(gazetteer.admin_unit)  # hints repeat
    contradicted = [_against_hints(unit_of, m, a1, a2) if m.resolved else ""
                    for m, (_loc, a1, a2) in zip(matches, keys, strict=True)]
    ok_m = np.array([m.resolved and not why for m, why in zip(matches, contradicted,
                                                             strict=True)], dtype=bool)
    lat_m = np.array([m.lat if m.resolved else np.nan for m in matches], dtype=float)
    lon_m = np.array([m.lon if m.resolved else np.nan for m in matches], dtype=float)
    prec_m = np.array([m.precision or 0 for m in matches], dtype=float)
    score_m = np.array([m.score for m in matches], dtype=float)
    text = {
        "located_by": [m.method for m in matches], "place": [m.name or "" for m in matches],
        "locate_note": [m.note for m in matches],
        "reason": [why or m.error or "" for m, why in zip(matches, contradicted, strict=True)],
        "suggestions": ["; ".join(m.suggestions) for m in matches],
    }
    ok = np.where(explicit, True, ok_m[codes])
    lat = np.where(explicit, inc["latitude"].to_numpy(dtype=float), lat_m[codes])
    lon = np.where(explicit, inc["longitude"].to_numpy(dtype=float), lon_m[codes])
    swapped = _swapped(gazetteer, lon, lat, explicit)
    ok[list(swapped)] = False
    prec = np.where(explicit, 1.0, prec_m[codes])

    def column(name: str, explicit_value: str) -> pd.Categorical:
        # Built from codes: one string per distinct place, not one per incident.
        cats = pd.Index([*dict.fromkeys([*text[name], explicit_value])], dtype=object)
        per_key = cats.get_indexer(np.asarray(text[name], dtype=object))
        out = per_key[codes]
        out[explicit] = cats.get_loc(explicit_value)
        return pd.Categorical.from_codes(out, categories=cats)

    unresolved = inc.loc[~ok, ["incident_id", *_KEY]].copy()
    unresolved["reason"] = np.asarray(column("reason", ""))[~ok]
    unresolved["suggestions"] = np.asarray(column("suggestions", ""))[~ok]
    blank = (inc.loc[~ok, "location"].astype(object).fillna("") == "").to_numpy()
    if blank.any():
        reasons = unresolved["reason"].to_numpy(dtype=object)
        reasons[blank] = NOT_REPORTED
        unresolved["reason"] = reasons
    if swapped:
        reasons = unresolved["reason"].to_numpy(dtype=object)
        at = {int(i): k for k, i in enumerate(np.flatnonzero(~ok))}
        for i, why in swapped.items():
            reasons[at[i]] = why
        unresolved["reason"] = reasons

    found = inc if ok.all() else inc.loc[ok]
    found = found.copy()
    found["located_by"] = column("located_by", "explicit")[ok]
    found["place"] = column("place", "")[ok]
    found["locate_note"] = column("locate_note", "coordinates given in the data")[ok]
    found["locate_score"] = np.where(explicit, np.nan, score_m[codes])[ok]
    # A coder may lower precision (say 2 for "the outskirts"), never claim more than
    # the gazetteer could give.
    given = np.nan_to_num(found["geo_precision"].to_numpy(dtype=float), nan=0)
    found["geo_precision"] = np.fmax(given, prec[ok]).astype(int)
    lat, lon = lat[ok], lon[ok]
    found["lat"], found["lon"] = lat, lon
    # Districts by point-in-polygon, once per distinct point (most share a town's).
    pts = pd.DataFrame({"lon": lon, "lat": lat})
    pcode, upos = _groups([pts["lon"], pts["lat"]])
    admin = gazetteer.boundaries.locate(lon[upos], lat[upos])
    for src, dst in (("district_name", "district"), ("district_pcode", "district_pcode"),
                     ("province_name", "province"), ("province_pcode", "province_pcode")):
        raw = admin[src].to_numpy(dtype=object)  # per distinct point; None outside
        cats = pd.Index(pd.unique(raw[pd.notna(raw)]), dtype=object)
        found[dst] = pd.Categorical.from_codes(cats.get_indexer(raw)[pcode], categories=cats)
    outside = (admin["how"] == "outside").to_numpy()[pcode]
    if outside.any():
        notes = found["locate_note"].to_numpy(dtype=object)
        notes[outside] = notes[outside] + "; point lies outside the boundary layer"
        found["locate_note"] = notes
    # One shapely point per distinct location, shared by the incidents there
    # (geometries are immutable), instead of a million new objects.
    points = gpd.array.from_shapely(shapely.points(lon[upos], lat[upos])[pcode],
                                    crs="EPSG:4326")
    gdf = gpd.GeoDataFrame(found, geometry=points)
    return Located(gdf.reset_index(drop=True), unresolved.reset_index(drop=True))


def _swapped(gazetteer: Gazetteer, lon: np.ndarray, lat: np.ndarray, explicit: np.ndarray
             ) -> dict[int, str]:
    """Explicit points outside the boundary layer (off its bounding box) that fall in it
    swapped: the reason to give, by position. Such points are not placed (latitude and
    longitude were most likely entered in each other's column)."""
    idx = np.flatnonzero(explicit)
    if not len(idx):
        return {}
    b = gazetteer.boundaries
    # Only points off the layer's bounding box whose swap lands on it can be swapped
    # ones: a cheap test, so the polygon join below sees a handful of points, not every
    # explicit one (the main join locates those anyway).
    x0, y0, x1, y1 = b.districts.total_bounds
    pts = pd.DataFrame({"lon": lon[idx], "lat": lat[idx]}).drop_duplicates()
    on = (pts["lon"].between(x0, x1) & pts["lat"].between(y0, y1)).to_numpy()
    swap_on = (pts["lat"].between(x0, x1) & pts["lon"].between(y0, y1)).to_numpy()
    out = pts[~on & swap_on]
    if not len(out):
        return {}
    turned = b.locate(out["lat"].to_numpy(), out["lon"].to_numpy())
    hit = (turned["how"] != "outside").to_numpy()
    why = {
        (x, y): (f"latitude {y:g}, longitude {x:g} lies outside the boundary layer; "
                 f"swapped it falls in {d} ({p}): latitude and longitude look swapped")
        for x, y, d, p in zip(out["lon"][hit], out["lat"][hit],
                              turned["district_name"][hit], turned["province_name"][hit],
                              strict=True)
    }
    return {int(i): why[(lon[i], lat[i])] for i in idx if (lon[i], lat[i]) in why}


def not_reported(unresolved: pd.DataFrame) -> pd.Series:
    """Which unresolved incidents were coded without a place (:data:`NOT_REPORTED`)."""
    return unresolved["reason"].astype(object) == NOT_REPORTED


def unresolved_places(unresolved: pd.DataFrame) -> pd.DataFrame:
    """Unresolved incidents grouped by the place as written: fix a name once, not per row.

    Parameters
    ----------
    unresolved : pandas.DataFrame
        :attr:`Located.unresolved` (or a summary's, filtered).

    Returns
    -------
    pandas.DataFrame
        ``location, admin1, admin2, incidents, reason, suggestions, example_ids`` (up to
        three incident ids), most incidents first.

    Examples
    --------
    >>> u = pd.DataFrame({"incident_id": ["a", "b", "c"], "location": ["Xyz", "Xyz", "Q"],
    ...                   "admin1": "", "admin2": "", "reason": "no place matches",
    ...                   "suggestions": ""})
    >>> unresolved_places(u)[["location", "incidents", "example_ids"]].values.tolist()
    [['Xyz', 2, 'a, b'], ['Q', 1, 'c']]
    """
    cols = ["location", "admin1", "admin2", "incidents", "reason", "suggestions",
            "example_ids"]
    if not len(unresolved):
        return pd.DataFrame(columns=cols)
    u = pd.DataFrame(unresolved).astype({c: object for c in [*_KEY, "reason", "suggestions",
                                                             "incident_id"]})
    g = u.groupby(_KEY, sort=False, dropna=False)
    out = g.agg(incidents=("incident_id", "size"), reason=("reason", "first"),
                suggestions=("suggestions", "first"),
                example_ids=("incident_id", lambda v: ", ".join(map(str, v.iloc[:3]))))
    out = out.reset_index().sort_values("incidents", ascending=False, kind="stable")
    return out[cols].reset_index(drop=True)
