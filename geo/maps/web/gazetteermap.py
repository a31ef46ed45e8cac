"""Interactive folium maps of the reference data (no tile server needed).

The basemap is drawn from the bundled polygons (country outline, provinces,
districts), so the map shows something meaningful with no internet. Every text
that comes from data is escaped (:func:`geo.textsafe.html_text`) before it reaches a
tooltip or popup: folium's ``GeoJsonTooltip`` inserts property values as HTML, and
``folium.Tooltip`` writes its text into a JavaScript template literal.
"""

from __future__ import annotations

from collections.abc import Sequence

import folium
import geopandas as gpd

from geo.bundled import ATTRIBUTION, BOUNDARY_VINTAGE
from geo.gazetteer.match import Match
from geo.gazetteer.resolve import Gazetteer
from geo.maps.web.offline import make_offline
from geo.maps.web.placelayout import PlaceLayout, district_labels
from geo.textsafe import html_text

__all__ = ["add_attribution", "bounds", "gazetteer_map"]

MAX_GAZETTEER_LABELS = 400
"""Places named on the gazetteer map (the most populous)."""

_PRECISION_COLOUR = {1: "#b2182b", 2: "#ef8a62", 3: "#67a9cf"}


def _escaped(gdf: gpd.GeoDataFrame, columns: list[str]) -> gpd.GeoDataFrame:
    """*gdf* with these text columns HTML-escaped (for ``GeoJsonTooltip`` fields)."""
    return gdf.assign(**{c: gdf[c].astype(object).map(html_text) for c in columns})


def bounds(gdf: gpd.GeoDataFrame, pad: float = 0.0) -> list[list[float]]:
    """``[[south, west], [north, east]]`` of a frame, widened by *pad* degrees."""
    minx, miny, maxx, maxy = (float(v) for v in gdf.total_bounds)
    return [[miny - pad, minx - pad], [maxy + pad, maxx + pad]]


def gazetteer_map(
    gazetteer: Gazetteer,
    *,
    province: str | None = None,
    matches: Sequence[Match] = (),
    fit_matches: bool = False,
) -> folium.Map:
    """Draw districts and gazetteer places, highlighting resolved matches.

    Parameters
    ----------
    gazetteer : Gazetteer
        The loaded gazetteer (its boundaries are drawn too).
    province : str, optional
        Focus on this province's districts and places; default all.
    matches : sequence of Match
        Resolved queries to highlight, coloured by precision.
    fit_matches : bool
        Start zoomed on the resolved matches (half a degree around them) rather than
        on the province or the country.

    Returns
    -------
    folium.Map
        A map with no tile layer and no remote asset (Leaflet is inlined from the
        installed ``xstatic-leaflet``); attribution in the corner.
    """
    b = gazetteer.boundaries
    districts = b.districts
    places = gazetteer.places
    if province:
        districts = districts[districts["province_name"] == province]
        places = places[places["province_name"] == province]
    m = folium.Map(tiles=None, control_scale=True, prefer_canvas=True)
    folium.GeoJson(
        _escaped(b.provinces[["province_name", "geometry"]], ["province_name"]),
        name="Provinces",
        style_function=lambda _f: {"color": "#777", "weight": 1.2, "fillColor": "#f4f1ea",
                                   "fillOpacity": 1.0},
        tooltip=folium.GeoJsonTooltip(fields=["province_name"], aliases=["Province"]),
        attr=ATTRIBUTION,
    ).add_to(m)
    folium.GeoJson(
        _escaped(districts[["district_name", "district_pcode", "province_name", "geometry"]],
                 ["district_name", "district_pcode", "province_name"]),
        name="Districts",
        style_function=lambda _f: {"color": "#999", "weight": 0.6, "fillOpacity": 0.0},
        tooltip=folium.GeoJsonTooltip(
            fields=["district_name", "district_pcode", "province_name"],
            aliases=["District", "P-code", "Province"],
        ),
    ).add_to(m)
    layer = folium.FeatureGroup(name="Gazetteer places")
    for rec in places[["name", "lat", "lon", "district_name", "feature_code"]].itertuples():
        label = f"{rec.name} ({rec.feature_code or 'place'}; {rec.district_name or '?'})"
        folium.CircleMarker(
            [rec.lat, rec.lon], radius=3, color="#444", weight=1, fill=True,
            fill_opacity=0.7, tooltip=html_text(label),
        ).add_to(layer)
    layer.add_to(m)
    found = folium.FeatureGroup(name="Resolved names")
    for mt in matches:
        if not mt.resolved or mt.lat is None or mt.lon is None:
            continue
        text = (f"<b>{html_text(mt.query)}</b> &rarr; {html_text(mt.name)}<br>"
                f"precision {mt.precision} ({html_text(mt.method)})")
        folium.CircleMarker(
            [mt.lat, mt.lon], radius=9, color=_PRECISION_COLOUR.get(mt.precision or 3, "#333"),
            weight=3, fill=mt.precision == 1, dash_array=None if mt.precision == 1 else "4 4",
            tooltip=folium.Tooltip(text),
        ).add_to(found)
    found.add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    add_attribution(m)
    shown = [(mt.lat, mt.lon) for mt in matches
             if mt.resolved and mt.lat is not None and mt.lon is not None]
    if fit_matches and shown:
        lats, lons = [p[0] for p in shown], [p[1] for p in shown]
        m.fit_bounds([[min(lats) - 0.5, min(lons) - 0.5], [max(lats) + 0.5, max(lons) + 0.5]])
    else:
        m.fit_bounds(bounds(districts if len(districts) else b.districts))
    # Names on the map, largest places first; a name with no free spot waits for a zoom.
    biggest = places.sort_values("population", ascending=False, na_position="last",
                                 kind="stable").head(MAX_GAZETTEER_LABELS)
    PlaceLayout([[float(r.lat), float(r.lon), str(r.name)] for r in biggest.itertuples()],
                district_labels(districts)).add_to(m)
    return make_offline(m)


def add_attribution(m: folium.Map, left_px: int = 4) -> None:
    """Data attribution and boundary vintage in the map's lower-left corner."""
    m.get_root().html.add_child(folium.Element(  # type: ignore[attr-defined]
        f'<div style="position:absolute;bottom:4px;left:{left_px}px;z-index:1000;'
        f'font:11px sans-serif;background:rgba(255,255,255,.8);padding:2px 4px">'
        f"{html_text(ATTRIBUTION)}<br>Boundaries: {html_text(BOUNDARY_VINTAGE)}</div>"
    ))
