"""Folium layers of clustered incidents (:mod:`geo.analysis.clusters`) for the incident map.

Per casualty category one canvas ``GeoJson`` layer holds a circle per H3 cell, sized by
the cell's summed best figure (area proportional, :func:`geo.maps.symbology.radius`) and
placed at its incidents' mean position; a neutral layer holds the cells with no figure,
so no incident vanishes; an optional layer shades the hexagons by incident count.

A cell's popup lists every category, so the same text would be repeated in each layer:
it is written once into the map's script (:class:`CellTable`) and the circles carry
only the cell's row, bound lazily by ``onEachFeature``. Every text from data is
escaped with :func:`geo.textsafe.html_text`, and the table's JSON has no ``</`` or
``<!`` (a ``</script>`` in it could not end the script).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import folium
import numpy as np
import pandas as pd
from branca.element import MacroElement
from folium.utilities import JsCode
from jinja2 import Template

from geo.analysis.clusters import Clusters
from geo.dataset.schema import CATEGORIES
from geo.maps.symbology import (
    CATEGORY_COLOURS,
    CATEGORY_LABELS,
    NEUTRAL,
    NO_FIGURE,
    legend_sizes,
    radius,
)
from geo.maps.web.rawjs import RawGeoJson, RawScript, script_json
from geo.maps.web.viewlayers import OnMap, ViewLayers
from geo.textsafe import html_text as _esc

__all__ = ["CellTable", "ClusterDrawing", "add_cluster_layers", "cell_popups", "figure_text"]

NEUTRAL_RADIUS = 4.0
"""Pixels: the symbol of a cell whose incidents have no figure in the layers shown."""

_MAX_DISTRICTS = 4


def figure_text(best: float, low: float, high: float) -> str:
    """A figure with its claims range, as plain text (escape before use in HTML).

    Examples
    --------
    >>> figure_text(12, 10, 15)
    '12 (claims range 10–15)'
    >>> figure_text(float("nan"), float("nan"), float("nan"))
    'no figure under this policy'
    """
    if np.isnan(best) and np.isnan(low):
        return "no figure under this policy"
    text = "—" if np.isnan(best) else f"{best:,.0f}"
    if not np.isnan(low) and not np.isnan(high) and low != high:
        text += f" (claims range {low:,.0f}–{high:,.0f})"
    return text


def _days(values: pd.Series) -> list[str]:
    """``YYYY-MM-DD`` of each date, ``?`` when missing; as one array (pandas makes a
    Timestamp per element when iterated: 60 ms for 4,000 cells)."""
    days = np.datetime_as_string(
        pd.to_datetime(values).to_numpy().astype("datetime64[D]"), unit="D")
    return np.where(days == "NaT", "?", days).tolist()


def cell_popups(cells: pd.DataFrame, max_points: int) -> tuple[list[str], list[str]]:
    """Escaped popup and tooltip HTML of each cell of :attr:`Clusters.cells`.

    Parameters
    ----------
    cells : pandas.DataFrame
        The cells of :func:`geo.analysis.clusters.cluster_incidents`.
    max_points : int
        Incidents the map draws one by one (named in the hint to filter).

    Returns
    -------
    tuple of (list of str, list of str)
        Popups and tooltips, in the order of *cells*.
    """
    popups, tips = [], []
    cats = [c for c in CATEGORIES if f"{c}_n" in cells]
    stats = {c: [cells[f"{c}_{s}"].to_numpy(dtype=float) for s in ("best", "low", "high")]
             for c in cats}
    counts = {c: cells[f"{c}_n"].to_numpy() for c in cats}
    claimed = cells["militant_only"].to_numpy() if "militant_only" in cells else None
    hint = (f"<div style='color:#555;margin-top:3px'>Filter by district or dates to "
            f"{max_points:,} incidents or fewer to see each one.</div>")
    rows = zip(cells["incidents"].tolist(), _days(cells["date_from"]),
               _days(cells["date_to"]), cells["places"], cells["districts"], strict=True)
    for i, (n, first, last, places, districts) in enumerate(rows):
        where = ", ".join(f"{_esc(p)} ({k:,})" for p, k in places) or "none named"
        names = ", ".join(_esc(d) for d in districts[:_MAX_DISTRICTS])
        if len(districts) > _MAX_DISTRICTS:
            names += f" and {len(districts) - _MAX_DISTRICTS} more"
        lines = [f"<b>{n:,} incident{'s' if n != 1 else ''}</b> in this hexagon, "
                 f"{first} to {last}", f"Places: {where}", f"Districts: {names}"]
        for c in cats:
            if counts[c][i]:
                best, low, high = (float(v[i]) for v in stats[c])
                lines.append(f"{_esc(CATEGORY_LABELS[c])}: {_esc(figure_text(best, low, high))}"
                             f" in {counts[c][i]:,}")
        if claimed is not None and claimed[i]:
            lines.append(f"{claimed[i]:,} incident{'s' if claimed[i] != 1 else ''} with a "
                         "figure only militants give (not verified, not in these sums)")
        popups.append("<div style='font-size:12px'>" + "<br>".join(lines) + hint + "</div>")
        tip = f"{n:,} incident{'s' if n != 1 else ''}"
        if places:
            tip += f" around {_esc(places[0][0])}"
        elif districts:
            tip += f" in {_esc(districts[0])} district"
        tips.append(tip)
    return popups, tips


class CellTable(MacroElement):
    """The cells' popups, tooltips and hexagon styles, written once into the map script.

    Parameters
    ----------
    popups, tooltips : list of str
        Escaped HTML per cell.
    styles : list of dict
        Leaflet path styles of the hexagon classes.
    """

    # Used by tools that walk the element tree and call each script macro
    # (streamlit_folium); a page render goes through :meth:`render` instead.
    _template = Template("{% macro script(this, kwargs) %}\n"
                         "var {{ this.get_name() }} = {{ this.payload }};\n{% endmacro %}")

    def __init__(self, popups: list[str], tooltips: list[str],
                 styles: list[dict[str, Any]]) -> None:
        super().__init__()
        self._name = "CellTable"
        self.payload = script_json({"popup": popups, "tooltip": tooltips, "hex": styles})

    def bindings(self, key: str, popup: bool = True) -> JsCode:
        """``on_layer`` JavaScript for :class:`~geo.maps.web.rawjs.RawGeoJson`: the layer's
        tooltip (and popup) from this table, at the row in the hovered or clicked
        feature's property *key*. Tooltips open above the symbol: the legend sits at
        the map's right, where a tooltip opening rightwards would slide under it."""
        row = f"l.feature.properties.{key}"
        pop = (f" g.bindPopup(function (l) {{ return {self.get_name()}.popup[{row}]; }},"
               " {maxWidth: 360});" if popup else "")
        return JsCode(f"function (g) {{{pop} g.bindTooltip(function (l) {{"
                      f" return {self.get_name()}.tooltip[{row}]; }},"
                      " {direction: 'top', offset: [0, -8]}); }")

    def render(self, **kwargs: Any) -> str:
        """Add ``var <name> = <payload>;`` to the page's script, uncompiled."""
        del kwargs
        self.get_root().script.add_child(  # type: ignore[attr-defined]
            RawScript(f"var {self.get_name()} = {self.payload};"), name=self.get_name())
        return ""


class _Restack(OnMap, MacroElement):
    """Draw order: hexagons above the districts, circles above all, smallest on top.

    Canvas layers draw in the order they were added, so a layer switched on later would
    cover the circles (and take their clicks); and the circles of one cell (one per
    category) are concentric, so the largest is drawn first, wherever its layer is.
    """

    _template = Template("""{% macro script(this, kwargs) %}
(function (map, hexes, groups) {
  function restack() {
    if (map.hasLayer(hexes)) hexes.bringToFront();
    var all = [];
    groups.forEach(function (g) {
      if (map.hasLayer(g)) g.eachLayer(function (l) { all.push(l); });
    });
    all.sort(function (a, b) { return b.getRadius() - a.getRadius(); });
    all.forEach(function (l) { l.bringToFront(); });
  }
  map.whenReady(restack);
  map.on('overlayadd', restack);
  {{ this.undo("function () { map.off('overlayadd', restack); }") }}
})({{ this.map_name() }}, {{ this.hexes }}, [{{ this.circles }}]);
{% endmacro %}""")

    def __init__(self, hexes: folium.GeoJson, circles: list[folium.GeoJson]) -> None:
        super().__init__()
        self._name = "Restack"
        self.hexes = hexes.get_name()
        self.circles = ", ".join(layer.get_name() for layer in circles)

    def undo(self, code: str) -> str:
        """Register *code* to run when the parent :class:`~geo.maps.web.viewlayers.ViewLayers`
        leaves the map (nothing when the layers are on a map of their own)."""
        parent = self._parent
        return parent.on_remove_js(code) if isinstance(parent, ViewLayers) else ""


@dataclass
class ClusterDrawing:
    """What :func:`add_cluster_layers` drew, for the legend.

    Attributes
    ----------
    drawn : list of (colour, label, how many)
    sizes : list of int
        Counts for the size legend.
    largest : float
        The count drawn at the largest radius.
    hex_classes : list of (colour, label)
        Classes of the hexagon layer.
    """

    drawn: list[tuple[str, str, str]] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    largest: float = 0.0
    hex_classes: list[tuple[str, str]] = field(default_factory=list)


def _point(lon: float, lat: float, props: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "properties": props,
            "geometry": {"type": "Point", "coordinates": [lon, lat]}}


def _hex_classes(counts: np.ndarray, ramp: tuple[str, ...]
                 ) -> tuple[np.ndarray, list[str], list[tuple[str, str]]]:
    """Class of each cell by incident count, colours and legend rows.

    Counts per cell are skewed (a city, many hamlets): the steps are geometric.
    """
    if not len(counts):
        return np.zeros(0, dtype=int), [], []
    top = float(counts.max())
    steps = np.ceil(np.geomspace(1, top, len(ramp) + 1)[1:].round(6))
    steps[-1] = top
    edges = np.unique(steps)
    colours = [ramp[j] for j in
               np.linspace(0, len(ramp) - 1, len(edges)).round().astype(int)]
    k = np.searchsorted(edges, counts, "left")
    lo = np.r_[1, edges[:-1] + 1]
    rows = [(colours[i], f"{edges[i]:,.0f}" if lo[i] >= edges[i]
             else f"{lo[i]:,.0f}–{edges[i]:,.0f}") for i in range(len(edges))]
    return k, colours, rows


def add_cluster_layers(m: MacroElement, clusters: Clusters, categories: tuple[str, ...],
                       *, max_points: int, ramp: tuple[str, ...]) -> ClusterDrawing:
    """Add the hexagon layer (off), one circle layer per category and a neutral layer.

    Parameters
    ----------
    m : folium.Map or geo.maps.web.viewlayers.ViewLayers
        Where the layers go (after the choropleth: these layers go on top).
    clusters : Clusters
        From :func:`geo.analysis.clusters.cluster_incidents`.
    categories : tuple of str
        Categories to draw.
    max_points : int
        Named in the popups' hint (filter to this many to see each incident).
    ramp : tuple of str
        Light-to-dark colours of the hexagon classes.

    Returns
    -------
    ClusterDrawing
        Layers drawn, size legend and hexagon classes.
    """
    cells = clusters.cells
    out = ClusterDrawing()
    if not len(cells):
        return out
    # Rounded once as arrays: numpy scalars one by one cost a microsecond each.
    lon = np.round(cells["lon"].to_numpy(dtype=float), 5).tolist()
    lat = np.round(cells["lat"].to_numpy(dtype=float), 5).tolist()
    k, colours, out.hex_classes = _hex_classes(cells["incidents"].to_numpy(), ramp)
    styles = [{"color": "#666", "weight": 0.6, "fillColor": c, "fillOpacity": 0.65}
              for c in colours]
    popups, tips = cell_popups(cells, max_points)
    table = CellTable(popups, tips, styles)
    table.add_to(m)
    t = table.get_name()
    hexes = [{"type": "Feature", "properties": {"cell": i, "k": int(k[i])},
              "geometry": {"type": "Polygon", "coordinates": [[*b, b[0]]]}}
             for i, b in enumerate(cells["boundary"])]
    hex_layer = RawGeoJson(
        {"type": "FeatureCollection", "features": hexes},
        name=f"Hexagons: incidents (H3 level {clusters.resolution})", show=False, lazy=True,
        on_each_feature=JsCode(f"function (f, l) {{ l.setStyle({t}.hex[f.properties.k]); }}"),
        on_layer=table.bindings("cell", popup=False))
    layers: list[folium.GeoJson] = [hex_layer]
    best = {c: np.nan_to_num(cells[f"{c}_best"].to_numpy(dtype=float)) for c in categories}
    out.largest = max([float(v.max()) for v in best.values()] + [0.0])
    out.sizes = legend_sizes(out.largest)
    bind = (JsCode("function (f, l) { l.setRadius(f.properties.radius); }"),
            table.bindings("cell"))
    shown = np.zeros(len(cells), dtype=bool)
    for c in categories:
        r_px = radius(best[c], out.largest)
        r_round = np.round(r_px, 2).tolist()
        feats = [_point(lon[i], lat[i], {"cell": i, "radius": r_round[i], "category": c})
                 for i in np.flatnonzero(r_px > 0).tolist()]
        shown |= r_px > 0
        if feats:
            colour = CATEGORY_COLOURS[c]
            layers.append(_circles(f"{CATEGORY_LABELS[c]} (clusters)", feats, colour, bind))
            out.drawn.append((colour, CATEGORY_LABELS[c], f"{len(feats):,} clusters"))
    # Cells with no circle in the layers shown: a small neutral marker, never gone.
    none = [_point(lon[i], lat[i], {"cell": i, "radius": NEUTRAL_RADIUS, "category": ""})
            for i in np.flatnonzero(~shown).tolist()]
    if none:
        label = NO_FIGURE if set(CATEGORIES) <= set(categories) else "No figure in these layers"
        layers.append(_circles(f"{label} (clusters)", none, NEUTRAL, bind))
        out.drawn.append((NEUTRAL, label, f"{len(none):,} clusters"))
    for layer in layers:
        layer.add_to(m)
    _Restack(hex_layer, layers[1:]).add_to(m)
    return out


def _circles(name: str, features: list[dict[str, Any]], colour: str,
             bind: tuple[JsCode, JsCode]) -> folium.GeoJson:
    """A layer of circles: *bind* is (per feature: its size, once: popup and tooltip)."""
    return RawGeoJson(
        {"type": "FeatureCollection", "features": features}, name=name,
        marker=folium.CircleMarker(radius=NEUTRAL_RADIUS, color=colour, weight=1.2, opacity=0.9,
                                   fill=True, fill_color=colour, fill_opacity=0.3),
        on_each_feature=bind[0], on_layer=bind[1])
