"""The interactive incident map: casualty layers, district choropleth, honest precision.

Everything is drawn with no tile server: provinces and districts from the bundled
boundaries are the basemap; OpenStreetMap and CartoDB tiles are optional overlays,
off by default. Each casualty category is one ``GeoJson`` layer of circle markers
(area proportional to the count, canvas renderer), so a few thousand incidents stay
one JavaScript object per layer instead of one Python object per point.

The representation is chosen by size (:func:`map_representation`): up to
``max_points`` located incidents each is drawn at its place; above that they are
clustered server-side into H3 hexagons (:mod:`geo.analysis.clusters`) and each category is a
layer of one circle per cell (:mod:`geo.maps.web.clusterlayers`), so the browser receives a
few MB at most whatever the number of incidents. :func:`describe_map` says which, in
one sentence the page can show; the legend says the same.

The map is two parts (:func:`incident_map` joins them): :func:`base_map`, the same
for every summary (Leaflet, the province outline, attribution), and
:func:`incident_layers`, one group (:mod:`geo.maps.web.viewlayers`) with everything that
depends on the summary, so a page can keep the first and swap the second.

Every text from data is HTML-escaped here (:func:`geo.textsafe.html_text`), before it
reaches a popup, tooltip or the legend: folium's ``GeoJsonPopup`` and
``GeoJsonTooltip`` insert property values as HTML.
"""

from __future__ import annotations

from typing import Any

import folium
import numpy as np
import pandas as pd
from folium.utilities import JsCode

from geo.analysis.clusters import MAX_CELLS, Clusters, cluster_incidents
from geo.analysis.summary import Summary
from geo.dataset.schema import CATEGORIES
from geo.gazetteer.boundaries import Boundaries
from geo.gazetteer.resolve import Gazetteer
from geo.maps.static.briefing import period
from geo.maps.symbology import (
    NO_FIGURE,
    measure_label,
)
from geo.maps.web.clusterlayers import add_cluster_layers
from geo.maps.web.gazetteermap import add_attribution, bounds
from geo.maps.web.legend import legend_html
from geo.maps.web.offline import make_offline
from geo.maps.web.placelayout import PlaceLayout, district_labels, place_labels
from geo.maps.web.pointlayers import POPUP_CSS, add_point_layers
from geo.maps.web.rawjs import RawGeoJson
from geo.maps.web.viewlayers import (
    FitView,
    TileErrorNotice,
    ViewFinish,
    ViewLayers,
    WheelAfterClick,
)
from geo.textsafe import html_text as _esc

__all__ = ["CHOROPLETH_RAMP", "MAX_CELLS", "MAX_POINTS", "NO_FIGURE", "base_map",
           "describe_map", "incident_layers", "incident_map", "map_representation"]

MAX_POINTS = 2500
"""Located incidents above which they are drawn as clusters, not one by one."""

CHOROPLETH_RAMP = ("#ececec", "#cccccc", "#a8a8a8", "#858585", "#636363")
"""Five classes, light to dark grey: no hue, so the casualty colours stay readable on top."""

_TILES = (
    ("OpenStreetMap (online)", "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
     "&copy; OpenStreetMap contributors"),
    ("CartoDB light (online)", "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}.png",
     "&copy; OpenStreetMap contributors &copy; CARTO"),
)


def map_representation(n_located: int, max_points: int = MAX_POINTS) -> str:
    """How the map draws this many located incidents.

    Parameters
    ----------
    n_located : int
        Located incidents under the filters.
    max_points : int
        The most incidents drawn one by one.

    Returns
    -------
    str
        ``"points"`` (each incident at its place) or ``"clusters"`` (H3 hexagons).

    Examples
    --------
    >>> map_representation(42), map_representation(100_000)
    ('points', 'clusters')
    """
    return "points" if n_located <= max_points else "clusters"


def _about(x: float) -> str:
    """Two significant figures: 270, 12,000, 0.74."""
    if x >= 10:
        return f"{round(x, 1 - int(np.floor(np.log10(x)))):,.0f}"
    return f"{x:.2g}"


def _clusters(summary: Summary, max_points: int, max_cells: int,
              clusters: Clusters | None) -> Clusters | None:
    """The clusters to draw (None in points mode), computed unless given."""
    n = len(summary.incidents)
    if map_representation(n, max_points) == "points":
        return None
    if clusters is None:
        return cluster_incidents(summary.incidents, max_cells=max_cells)
    if clusters.incidents != n:
        raise ValueError(f"clusters of {clusters.incidents:,} incidents given for a summary "
                         f"of {n:,}")
    return clusters


def describe_map(summary: Summary, max_points: int = MAX_POINTS, max_cells: int = MAX_CELLS,
                 clusters: Clusters | None = None) -> str:
    """One plain sentence saying how :func:`incident_map` draws this summary.

    Parameters
    ----------
    summary : Summary
        As given to :func:`incident_map`.
    max_points, max_cells : int
        As given to :func:`incident_map`.
    clusters : Clusters, optional
        Clusters already computed for this summary (by
        :func:`geo.analysis.clusters.cluster_incidents`), so they are not computed twice.

    Returns
    -------
    str
        Plain text (escape it for HTML or markdown), e.g. ``"42 incidents, each drawn
        at its place."``
    """
    n = len(summary.incidents)
    if n == 0:
        return "No incident located under these filters."
    c = _clusters(summary, max_points, max_cells, clusters)
    if c is None:
        return "1 incident, drawn at its place." if n == 1 else (
            f"{n:,} incidents, each drawn at its place.")
    return (f"{n:,} incidents: too many to draw one by one, shown as {len(c.cells):,} "
            f"cluster{'s' if len(c.cells) != 1 else ''} (H3 hexagons of about "
            f"{_about(c.cell_area_km2)} km²) over district totals; filter by district or "
            f"dates to {max_points:,} or fewer to see each incident.")


def _shapes(boundaries: Boundaries, level: str) -> dict[str, dict[str, Any]]:
    """GeoJSON geometry of each district or province by P-code, computed once per
    boundary layer (kept on the layer object; the layers are read-only once loaded)."""
    attr = f"_geojson_{level}_shapes"
    got: dict[str, dict[str, Any]] | None = getattr(boundaries, attr, None)
    if got is None:
        d = boundaries.districts if level == "district" else boundaries.provinces
        got = {str(p): g.__geo_interface__
               for p, g in zip(d[f"{level}_pcode"], d.geometry, strict=True)}
        try:
            setattr(boundaries, attr, got)
        except AttributeError:  # a layer that takes no attributes: computed each time
            pass
    return got


# Polygons styled per feature in the browser (RawGeoJson: no Jinja, no Python walk of
# the coordinates); the tooltip text is built here, escaped.
_DISTRICT_JS = JsCode(
    "function (f, l) { var c = f.properties.fill; l.setStyle({color: '#888', weight: 0.7,"
    " fillColor: c || '#ffffff', fillOpacity: c ? 0.6 : 0.0}); }")
_DISTRICT_TIP = JsCode(
    "function (g) { g.bindTooltip(function (l) { return l.feature.properties.tooltip; },"
    " {sticky: true}); }")
_PROVINCE_JS = JsCode(
    "function (f, l) { l.setStyle({color: '#777', weight: 1.2, fillColor: '#f4f1ea',"
    " fillOpacity: 1.0}); }")


def _choropleth(summary: Summary, gazetteer: Gazetteer, measure: str
                ) -> tuple[folium.GeoJson, list[tuple[str, str]]]:
    """District polygons of the provinces in view, coloured by *measure*."""
    d = gazetteer.boundaries.districts
    provinces = {str(p) for p in pd.unique(summary.incidents["province_pcode"].dropna())}
    d = d[d["province_pcode"].isin(provinces)] if provinces else d.iloc[:0]
    col = "incidents" if measure == "incidents" else f"{measure}_best"
    per_pcode = pd.Series(summary.districts[col].to_numpy(dtype=float),
                          index=summary.districts["district_pcode"].astype(str))
    v = per_pcode.reindex(d["district_pcode"].astype(str)).to_numpy(dtype=float)
    top = float(np.nanmax(v)) if np.isfinite(v).any() else 0.0
    # Whole-number classes (counts): one per value when few, else five equal steps.
    edges = np.unique(np.ceil(np.linspace(0, top, len(CHOROPLETH_RAMP) + 1)[1:]))
    edges = edges[edges > 0]
    ramp = [CHOROPLETH_RAMP[j] for j in
            np.linspace(0, len(CHOROPLETH_RAMP) - 1, len(edges)).round().astype(int)]
    label = measure_label(measure)
    feats = []
    shapes = _shapes(gazetteer.boundaries, "district")
    rows = zip(d["district_pcode"].astype(str), d["district_name"], d["province_name"], v,
               strict=True)
    for pcode, name, province, val in rows:
        k = int(np.searchsorted(edges, val, "left")) if np.isfinite(val) and val > 0 else -1
        tip = (f"<b>{_esc(name)}</b> ({_esc(province)})<br>"
               + (f"{val:,.0f} {label}" if np.isfinite(val) else f"no {label}"))
        feats.append({"type": "Feature", "geometry": shapes[pcode],
                      "properties": {"tooltip": tip, "fill": ramp[k] if k >= 0 else ""}})

    layer = RawGeoJson({"type": "FeatureCollection", "features": feats},
                       name=f"Districts: {label}", on_each_feature=_DISTRICT_JS,
                       on_layer=_DISTRICT_TIP)
    lo = np.r_[0, edges[:-1]] + 1
    classes = [(ramp[i], f"{edges[i]:,.0f}" if lo[i] >= edges[i]
                else f"{lo[i]:,.0f}–{edges[i]:,.0f}") for i in range(len(edges))]
    return layer, [(c, f"{t} {'incident' if t == '1' and measure == 'incidents' else label}")
                   for c, t in classes]


def base_map(gazetteer: Gazetteer) -> folium.Map:
    """The fixed part of the incident map: Leaflet (inlined), the province outline as
    the basemap, scale, attribution, popup style and the extent of the boundaries.

    The same for every dataset and filter of one gazetteer, so a page can keep it (and
    its browser frame) and swap only :func:`incident_layers` on it.

    Parameters
    ----------
    gazetteer : Gazetteer
        For the boundaries.

    Returns
    -------
    folium.Map
        Self-contained: no asset URL starts with ``http``.
    """
    b = gazetteer.boundaries
    m = folium.Map(tiles=None, control_scale=True, prefer_canvas=True,
                   scroll_wheel_zoom=False)
    WheelAfterClick().add_to(m)  # the wheel scrolls the page until the map is clicked
    shapes = _shapes(b, "province")
    RawGeoJson({"type": "FeatureCollection", "features": [  # an outline: no properties
        {"type": "Feature", "geometry": shapes[str(p)], "properties": {}}
        for p in b.provinces["province_pcode"]]},
        name="Provinces", control=False, on_each_feature=_PROVINCE_JS).add_to(m)
    m.get_root().header.add_child(folium.Element(POPUP_CSS))  # type: ignore[attr-defined]
    add_attribution(m, left_px=110)  # right of the scale bar
    FitView(bounds(b.districts)).add_to(m)
    return make_offline(m)


def incident_layers(summary: Summary, gazetteer: Gazetteer, *, choropleth: str = "incidents",
                    categories: tuple[str, ...] = CATEGORIES, online_tiles: bool = True,
                    max_points: int = MAX_POINTS, max_cells: int = MAX_CELLS,
                    clusters: Clusters | None = None,
                    at: tuple[float, float, int] | None = None,
                    view_key: str = "") -> ViewLayers:
    """The part of the incident map that depends on the summary and the options: the
    district choropleth, the casualty layers (points or clusters), the optional tile
    layers, the layer menu, the legend and the extent, as one swappable group
    (:class:`geo.maps.web.viewlayers.ViewLayers`) for a map from :func:`base_map`.

    Parameters are those of :func:`incident_map`, and:

    at : (lat, lon, zoom), optional
        The view to show (a shared link's) instead of fitting the incidents.
    view_key : str
        A page that keeps the map across reruns sets the view only when this changes
        (:class:`geo.maps.web.viewlayers.ViewFinish`), so the reader's zoom survives a
        filter change; empty (a saved map) always sets it.

    Returns
    -------
    ViewLayers
        Add it to a :func:`base_map` (or give it to ``st_folium`` as
        ``feature_group_to_add``).
    """
    if choropleth != "incidents" and choropleth not in CATEGORIES:
        raise ValueError(f"choropleth must be 'incidents' or a category, not {choropleth!r}")
    group = ViewLayers()
    if online_tiles:
        for name, url, attr in _TILES:
            tiles = folium.TileLayer(url, name=name, attr=attr, overlay=True, show=False)
            TileErrorNotice(name).add_to(tiles)  # a grey map says why
            tiles.add_to(group)
    layer, classes = _choropleth(summary, gazetteer, choropleth)
    layer.add_to(group)
    inc = summary.incidents
    cl = _clusters(summary, max_points, max_cells, clusters)
    if cl is not None:
        drawing = add_cluster_layers(group, cl, categories, max_points=max_points,
                                     ramp=CHOROPLETH_RAMP)
        drawn, scale = drawing.drawn, (drawing.sizes, drawing.largest)
    else:
        drawn, scale = add_point_layers(group, inc, categories)
    legend = legend_html(summary, drawn, scale, classes,
                         (describe_map(summary, max_points, max_cells, cl),
                          drawing.hex_classes if cl is not None else None))
    ViewFinish(legend, bounds(inc if len(inc) else gazetteer.boundaries.districts, pad=0.1),
               at=at, view_key=view_key).add_to(group)
    # After the view is set: symbols spread and labels placed once, for that view.
    PlaceLayout(place_labels(inc), district_labels(gazetteer.boundaries.districts),
                spread=cl is None).add_to(group)
    make_offline(group)
    return group


def incident_map(summary: Summary, gazetteer: Gazetteer, *, choropleth: str = "incidents",
                 categories: tuple[str, ...] = CATEGORIES, online_tiles: bool = True,
                 max_points: int = MAX_POINTS, max_cells: int = MAX_CELLS,
                 clusters: Clusters | None = None) -> folium.Map:
    """Build the offline incident map for a summary: :func:`incident_layers` on a
    :func:`base_map`.

    Parameters
    ----------
    summary : Summary
        From :func:`geo.analysis.summary.summarise` (its filters and figure policy apply).
    gazetteer : Gazetteer
        For the boundaries.
    choropleth : str
        ``"incidents"`` or a category of :data:`geo.dataset.schema.CATEGORIES`.
    categories : tuple of str
        Casualty layers to draw (the others are left out).
    online_tiles : bool
        Offer OpenStreetMap / CartoDB overlays (off until switched on).
    max_points : int
        Up to this many located incidents each is drawn at its place; above, they are
        clustered into H3 hexagons (see :func:`describe_map`).
    max_cells : int
        Cap on the clusters (:func:`geo.analysis.clusters.cluster_incidents`).
    clusters : Clusters, optional
        Clusters already computed for this summary, so they are not computed twice.

    Returns
    -------
    folium.Map
        Self-contained: Leaflet is inlined, no asset URL starts with ``http``.
    """
    group = incident_layers(summary, gazetteer, choropleth=choropleth, categories=categories,
                            online_tiles=online_tiles, max_points=max_points,
                            max_cells=max_cells, clusters=clusters)
    m = base_map(gazetteer)
    group.add_to(m)
    title = (f"Incidents and casualty claims: {summary.filter.district or 'all districts'}, "
             f"{period(summary)}")
    m.get_root().title = _esc(  # type: ignore[attr-defined]  # the file's <title>
        f"{title}; figures: {summary.policy.label}")
    n, off = len(summary.incidents), len(summary.unresolved)
    m.get_root().html.add_child(folium.Element(  # type: ignore[attr-defined]
        f"<div class='geo-heading' style='{_HEADING_CSS}'><b>{_esc(title)}</b><br>"
        f"Figures: {_esc(summary.policy.label)}. {n:,} incident{'s' * (n != 1)} on the map"
        + (f", {off:,} not on the map" if off else "") + ".</div>"))
    return m


_HEADING_CSS = ("position:absolute;top:10px;left:54px;z-index:1000;max-width:calc(100% - 330px);"
                "background:rgba(255,255,255,.94);border:1px solid #bbb;border-radius:4px;"
                "padding:4px 8px;font:13px/1.35 sans-serif")
