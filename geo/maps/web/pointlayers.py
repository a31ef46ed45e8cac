"""Folium layers of individual incidents for the incident map (up to a few thousand).

Per casualty category one canvas ``GeoJson`` layer holds a circle per incident with a
positive figure (area proportional, :func:`geo.maps.symbology.radius`); a neutral layer
holds the incidents with none, so no incident vanishes under a policy. Precision 1
(the named town) is filled; 2-3 (near a town, or only the district known) hollow and
dashed, so nobody reads them as exact places.

An incident's popup lists every category, so the same text would be repeated in each
layer it appears in: popups and tooltips are written once into the map's script
(:class:`geo.maps.web.clusterlayers.CellTable`) and the circles carry the incident's row,
bound lazily by ``onEachFeature``. Every text from data is escaped with
:func:`geo.textsafe.html_text` before it is put in the table.
"""

from __future__ import annotations

import json
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from branca.element import MacroElement
from folium.utilities import JsCode

from geo.dataset.schema import CATEGORIES
from geo.gazetteer.match import PRECISION_MEANING, located_words
from geo.maps.symbology import (
    CATEGORY_COLOURS,
    CATEGORY_LABELS,
    MILITANT_COLOUR,
    MILITANT_LAYER,
    MILITANT_NOTE,
    NEUTRAL,
    NO_FIGURE,
    legend_sizes,
    no_figure,
    radius,
)
from geo.maps.web.clusterlayers import CellTable, figure_text
from geo.maps.web.rawjs import RawGeoJson
from geo.maps.web.viewlayers import walk
from geo.textsafe import html_text as _esc

__all__ = ["add_point_layers", "incident_popups", "popup_table"]

NEUTRAL_RADIUS = 3.0
"""Pixels: the symbol of an incident with no figure under the policy."""

POPUP_CSS = ("<style>.geo-pop{font-size:12px}.geo-pop th{text-align:left;padding-right:6px}"
             ".geo-pop p{max-width:320px;margin:4px 0 0}</style>")
"""The incident popups' style, written once into the map's head."""

SAME_POINT_NAMES = 8
"""At most this many other incidents are named in a popup as coded at the same point."""


def _popup(r: dict[str, Any]) -> str:
    """Escaped HTML: place, district, date, type, description, figures, sources."""
    prec = int(r.get("geo_precision") or 3)
    rows = [
        ("Place", f"{_esc(r.get('location'))} &rarr; {_esc(r.get('place'))}"),
        ("District", f"{_esc(r.get('district'))}, {_esc(r.get('province'))}"),
        ("Date", _esc(str(r.get("event_date"))[:10])),
        ("Event", f"{_esc(r.get('event_type'))}: {_esc(r.get('sub_event_type'))}"),
        ("Precision", f"{prec}: {_esc(PRECISION_MEANING.get(prec, ''))}"),
        ("Located by", _esc(located_words(str(r.get("located_by") or "explicit"),
                                          r.get("locate_score")))),
    ]
    for cat in CATEGORIES:
        if r.get(f"{cat}_n", 0):
            text = figure_text(r[f"{cat}_best"], r[f"{cat}_low"], r[f"{cat}_high"])
            if r.get(f"{cat}_class") == "militant":
                text += f" {MILITANT_NOTE}"
            rows.append((_esc(CATEGORY_LABELS[cat]), _esc(text)))
    rows.append(("Sources", _esc(r.get("source_ids"))))
    if r.get("also_here"):
        rows.append(("Same point", _esc(r["also_here"])))
    body = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    desc = _esc(r.get("description"))
    # Styled by the map's one POPUP_CSS, not per popup: thousands of popups are sent.
    return (f"<div class='geo-pop'><b>{_esc(r.get('incident_id'))}</b>"
            f"<table>{body}</table>" + (f"<p>{desc}</p>" if desc else "") + "</div>")


def incident_popups(incidents: gpd.GeoDataFrame) -> tuple[list[str], list[str]]:
    """Escaped popup and tooltip HTML of each incident, in row order.

    A popup names the other incidents coded at the same point (their symbols overlap
    exactly).
    """
    cols = [c for c in incidents.columns if c != "geometry"]
    records = pd.DataFrame(incidents[cols]).astype(
        {c: object for c in cols if isinstance(incidents[c].dtype, pd.CategoricalDtype)}
    ).to_dict("records")
    at: dict[tuple[float, float], list[str]] = {}
    for r in records:
        at.setdefault((r["lon"], r["lat"]), []).append(str(r["incident_id"]))
    popups, tips = [], []
    for r in records:
        others = [i for i in at[(r["lon"], r["lat"])] if i != str(r["incident_id"])]
        r["also_here"] = ", ".join(others[:SAME_POINT_NAMES]) + (
            f" and {len(others) - SAME_POINT_NAMES:,} more"
            if len(others) > SAME_POINT_NAMES else "")
        popups.append(_popup(r))
        tips.append(f"{_esc(r.get('place') or r.get('location'))} "
                    f"({_esc(str(r.get('event_date'))[:10])})")
    return popups, tips


def popup_table(m: MacroElement) -> dict[str, list[Any]]:
    """The popups and tooltips written into a map or its layer group (for tests and
    tools), by row."""
    tables = [c for c in walk(m) if isinstance(c, CellTable)]
    return json.loads(tables[0].payload) if tables else {"popup": [], "tooltip": []}


def _bind(table: CellTable, colour: str, militant: bool = False) -> tuple[JsCode, JsCode]:
    """(Per feature: size and precision style; once per layer: popup and tooltip from
    the shared table, for whichever circle is clicked or hovered.)"""
    exact = {"color": colour, "weight": 1.5, "fill": True, "fillColor": colour,
             "fillOpacity": 0.55, "dashArray": None, "opacity": 0.9}
    loose = {**exact, "weight": 2, "fill": False, "fillOpacity": 0.0, "dashArray": "4 3"}
    if militant:  # a claim nobody else makes: a dotted ring, never a filled symbol
        exact = loose = {**loose, "weight": 2.5, "dashArray": "1 4", "lineCap": "round"}
    return (JsCode(f"function (f, l) {{ var p = f.properties; l.setRadius(p.radius);"
                   f" l.setStyle(p.precision === 1 ? {json.dumps(exact)}"
                   f" : {json.dumps(loose)}); }}"),
            table.bindings("row"))


def _features(lon: np.ndarray, lat: np.ndarray, ids: list[str], prec: np.ndarray,
              rows: np.ndarray, r_px: np.ndarray, category: str) -> list[dict[str, Any]]:
    return [{"type": "Feature",
             "geometry": {"type": "Point", "coordinates": [round(float(lon[i]), 6),
                                                           round(float(lat[i]), 6)]},
             "properties": {"incident_id": ids[i], "radius": float(r_px[k]),
                            "precision": int(prec[i]), "category": category, "row": int(i)}}
            for k, i in enumerate(rows)]


def add_point_layers(m: MacroElement, incidents: gpd.GeoDataFrame, categories: tuple[str, ...]
                     ) -> tuple[list[tuple[str, str, str]], tuple[list[int], float]]:
    """Add one layer of incident symbols per category, and the neutral layer.

    Parameters
    ----------
    m : folium.Map or geo.maps.web.viewlayers.ViewLayers
        Where the layers go (after the choropleth: these go on top). The popups are
        styled by :data:`POPUP_CSS` in the map's header.
    incidents : geopandas.GeoDataFrame
        A summary's incidents (:attr:`geo.analysis.summary.Summary.incidents`).
    categories : tuple of str
        Categories to draw.

    Returns
    -------
    (list of (colour, label, how many), (list of int, float))
        The layers drawn, and the size legend's counts and the largest count.
    """
    drawn: list[tuple[str, str, str]] = []
    if not len(incidents):
        return drawn, ([], 0.0)
    popups, tips = incident_popups(incidents)
    table = CellTable(popups, tips, [])
    table.add_to(m)
    lon, lat = incidents["lon"].to_numpy(dtype=float), incidents["lat"].to_numpy(dtype=float)
    ids = incidents["incident_id"].astype(str).tolist()
    prec = incidents["geo_precision"].to_numpy(dtype=int)
    best = {c: np.nan_to_num(incidents[f"{c}_best"].to_numpy(dtype=float)) for c in categories}
    militant = {c: (incidents[f"{c}_class"] == "militant").to_numpy()
                if f"{c}_class" in incidents else np.zeros(len(incidents), dtype=bool)
                for c in categories}
    largest = max([float(v.max()) for v in best.values()] + [0.0])
    claimed: list[dict[str, Any]] = []
    for c in categories:
        r_px = radius(best[c], largest)
        rows = np.flatnonzero((r_px > 0) & ~militant[c])
        if len(rows):
            colour = CATEGORY_COLOURS[c]
            _layer(CATEGORY_LABELS[c], _features(lon, lat, ids, prec, rows, r_px[rows], c),
                   _bind(table, colour)).add_to(m)
            drawn.append((colour, CATEGORY_LABELS[c], _incidents(len(rows))))
        rows = np.flatnonzero((r_px > 0) & militant[c])
        claimed += _features(lon, lat, ids, prec, rows, r_px[rows], c)
    if claimed:
        _layer(MILITANT_LAYER, claimed, _bind(table, MILITANT_COLOUR, militant=True)).add_to(m)
        drawn.append((MILITANT_COLOUR, MILITANT_LAYER,
                      _incidents(len({f["properties"]["row"] for f in claimed}))))
    # No positive figure in any category under this policy (none reported, or only
    # claims the policy does not accept): a small neutral marker, never gone.
    rows = np.flatnonzero(no_figure(incidents))
    if len(rows):
        r_px = np.full(len(rows), NEUTRAL_RADIUS)
        _layer(NO_FIGURE, _features(lon, lat, ids, prec, rows, r_px, ""),
               _bind(table, NEUTRAL)).add_to(m)
        drawn.append((NEUTRAL, NO_FIGURE, _incidents(len(rows))))
    return drawn, (legend_sizes(largest), largest)


def _incidents(n: int) -> str:
    """``"1 incident"``, ``"2 incidents"``."""
    return f"{n:,} incident{'s' if n != 1 else ''}"


def _layer(name: str, features: list[dict[str, Any]], bind: tuple[JsCode, JsCode]
           ) -> folium.GeoJson:
    return RawGeoJson({"type": "FeatureCollection", "features": features}, name=name,
                      marker=folium.CircleMarker(radius=NEUTRAL_RADIUS),
                      on_each_feature=bind[0], on_layer=bind[1])
