"""Where things sit on the interactive map at each zoom: co-located symbols side by side,
and labels of the incident places and districts that never overlap.

Leaflet draws a circle at its coordinates whatever else is there, so an incident's
civilians and militants circles at the same town, or two incidents in one town, sit on
top of each other and the smaller one is hidden (or reads as a mixed colour). After
each move the script here (:class:`PlaceLayout`) takes the group's circle markers,
groups those at one place (centres within :data:`NEAR_PX` pixels at this zoom), and
sets each group's members side by side around the place, in rows, in a fixed order
(incident, then category); groups of more than :data:`MAX_SPREAD` symbols are left as
they are (zoom in to separate them). The offsets are pixels, recomputed at every zoom,
so symbols of nearby places come apart as the map zooms in. Only public Leaflet calls
are used (``latLngToLayerPoint``, ``setLatLng``), with the feature's own coordinates
as the place. Grouping by place, not by any overlap, keeps the work linear: overlaps
chain across a dense map (1,283 of 3,852 cluster circles in one chain at 100,000
incidents, 60 ms per move to find).

Labels are plain text in a map pane of their own, under the popups and above the
symbols, that takes no pointer events (every symbol stays clickable): the incident
places always, each beside its cluster (right, left, above or below, the first spot
free of other labels and symbols; a label with no free spot is hidden at that zoom),
then district names from :data:`DISTRICT_ZOOM` on, where they fit.
"""

from __future__ import annotations

import json
from typing import Any

import geopandas as gpd
import pandas as pd
from branca.element import MacroElement, Template

from geo.dataset.schema import CATEGORIES
from geo.maps.web.rawjs import script_json
from geo.maps.web.viewlayers import OnMap, ViewLayers

__all__ = ["DISTRICT_ZOOM", "MAX_PLACE_LABELS", "MAX_SPREAD", "PlaceLayout",
           "district_labels", "place_labels"]

MAX_SPREAD = 48
"""Symbols in one cluster above which they are not spread (zoom in to separate them)."""

NEAR_PX = 4
"""Pixels: symbols whose centres fall in one cell of this size are at one place."""

MAX_PLACE_LABELS = 60
"""Incident places labelled: the ones with the most incidents."""

DISTRICT_ZOOM = 8
"""Zoom from which district names are shown (a province fills the map below it)."""

_PLACE_CSS = ("position:absolute;white-space:nowrap;font:600 12px/1.25 sans-serif;"
              "color:#1a1a1a;text-shadow:0 0 2px #fff,0 0 3px #fff,0 0 4px #fff;"
              "pointer-events:none")
_DISTRICT_CSS = ("position:absolute;white-space:nowrap;font:italic 11px/1.25 sans-serif;"
                 "color:#555;letter-spacing:.06em;text-transform:uppercase;"
                 "text-shadow:0 0 2px #fff,0 0 3px #fff;pointer-events:none")


def place_labels(incidents: pd.DataFrame, limit: int = MAX_PLACE_LABELS
                 ) -> list[list[Any]]:
    """The incident places to label: ``[lat, lon, name]``, most incidents first.

    Parameters
    ----------
    incidents : pandas.DataFrame
        Located incidents with ``lat``, ``lon`` and ``place`` (the gazetteer's name;
        ``location`` as written when it has none).
    limit : int
        At most this many places.

    Returns
    -------
    list of [float, float, str]
        Plain text names (the script sets them as text, never as HTML).
    """
    if not len(incidents):
        return []
    name = incidents["place"].astype(object).where(incidents["place"].astype(bool),
                                                   incidents["location"].astype(object))
    at = pd.DataFrame({"lat": incidents["lat"].round(5), "lon": incidents["lon"].round(5),
                       "name": name.astype(str)})
    counts = at.value_counts(["lat", "lon", "name"], sort=False).rename("n").reset_index()
    counts = counts.sort_values(["n", "name"], ascending=[False, True], kind="stable")
    return [[float(r.lat), float(r.lon), str(r.name)]
            for r in counts.head(limit).itertuples(index=False)]


def district_labels(districts: gpd.GeoDataFrame) -> list[list[Any]]:
    """``[lat, lon, name]`` of each district at a point inside it (its representative
    point; under 1 ms for Pakistan's 160 districts)."""
    points = districts.geometry.representative_point()
    return [[round(float(p.y), 5), round(float(p.x), 5), str(n)]
            for p, n in zip(points, districts["district_name"], strict=True)]


class PlaceLayout(OnMap, MacroElement):
    """Added to a :class:`geo.maps.web.viewlayers.ViewLayers` (or a map) after its
    symbol layers: spreads co-located symbols and places the labels at every move.

    Parameters
    ----------
    places : list of [lat, lon, name]
        Incident places (:func:`place_labels`), in order of priority.
    districts : list of [lat, lon, name]
        District names (:func:`district_labels`), shown from *district_zoom* on.
    district_zoom : int
        The first zoom with district names.
    spread : bool
        Set co-located symbols side by side. Off for clusters: a cell's circles are
        concentric, smallest on top, and every one opens the same cell's popup.
    """

    _template = Template("""{% macro script(this, kwargs) %}
(function (map, group, places, districts, order) {
  var pane = map.getPane("geoLabels") || map.createPane("geoLabels");
  pane.style.zIndex = 640;  // above the symbols (overlays 400), under popups (700)
  pane.style.pointerEvents = "none";
  function label(p, css) {
    var d = L.DomUtil.create("div", "geo-label", pane);
    d.style.cssText = css;
    d.textContent = p[2];
    return {div: d, ll: L.latLng(p[0], p[1]), w: 0, h: 0};
  }
  var placeLabels = places.map(function (p) { return label(p, {{ this.place_css|tojson }}); });
  var districtLabels = districts.map(function (p) {
    return label(p, {{ this.district_css|tojson }});
  });
  // Every label measured at once (one layout of the page), then only moved.
  placeLabels.concat(districtLabels).forEach(function (l) {
    l.w = l.div.offsetWidth; l.h = l.div.offsetHeight;
  });
  function symbols() {  // every circle drawn by the group's layers, at its own place
    var out = [];
    group.eachLayer(function (layer) {
      if (!layer.eachLayer || !map.hasLayer(layer)) { return; }
      layer.eachLayer(function (c) {
        var f = c.feature;
        if (!(c instanceof L.CircleMarker) || !f || !f.geometry || f.geometry.type !== "Point") {
          return;
        }
        var ll = L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0]);
        var pr = f.properties || {};
        out.push({c: c, ll: ll, p: map.latLngToLayerPoint(ll), r: c.getRadius(),
                  k1: pr.row !== undefined ? pr.row : (pr.cell || 0),
                  k2: order.indexOf(pr.category)});
      });
    });
    return out;
  }
  function clusters(s) {  // symbols at one place (centres within a few pixels)
    var out = {}, near = {{ this.near_px }};
    s.forEach(function (a) {
      var key = Math.round(a.p.x / near) + "," + Math.round(a.p.y / near);
      (out[key] = out[key] || []).push(a);
    });
    return Object.keys(out).map(function (k) { return out[k]; });
  }
  function spread(m) {  // offsets from the cluster's centre: rows, fixed order
    var gap = 2, area = 0, widest = 0;
    m.sort(function (a, b) { return a.k1 - b.k1 || a.k2 - b.k2; });
    m.forEach(function (a) { var d = 2 * a.r + gap; area += d * d; widest = Math.max(widest, d); });
    var limit = Math.max(widest, 1.6 * Math.sqrt(area)), rows = [], row = {items: [], w: 0, h: 0};
    m.forEach(function (a) {
      var d = 2 * a.r + gap;
      if (row.items.length && row.w + d > limit) { rows.push(row); row = {items: [], w: 0, h: 0}; }
      row.items.push(a); row.w += d; row.h = Math.max(row.h, d);
    });
    rows.push(row);
    var y = -rows.reduce(function (t, r) { return t + r.h; }, 0) / 2;
    rows.forEach(function (r) {
      var x = -r.w / 2;
      r.items.forEach(function (a) {
        var d = 2 * a.r + gap;
        a.off = L.point(x + d / 2, y + r.h / 2);
        x += d;
      });
      y += r.h;
    });
  }
  function hits(b, boxes) {
    for (var i = 0; i < boxes.length; i++) { if (b.intersects(boxes[i])) { return true; } }
    return false;
  }
  function layout() {
    var s = symbols(), boxes = [], around = {};
    clusters(s).forEach(function (m) {
      var centre = L.point(0, 0);
      m.forEach(function (a) { centre = centre.add(a.p); });
      centre = centre.divideBy(m.length);
      var apart = {{ this.spread|tojson }} && m.length > 1 && m.length <= {{ this.max_spread }};
      if (apart) { spread(m); }
      var box = null;
      m.forEach(function (a) {
        var at = apart ? centre.add(a.off) : a.p;
        var ll = apart ? map.layerPointToLatLng(at) : a.ll;
        if (!ll.equals(a.c.getLatLng())) { a.c.setLatLng(ll); }
        var b = L.bounds([at.x - a.r, at.y - a.r], [at.x + a.r, at.y + a.r]);
        boxes.push(b);
        box = box ? box.extend(b.min).extend(b.max) : L.bounds(b.min, b.max);
      });
      m.forEach(function (a) { around[Math.round(a.p.x) + "," + Math.round(a.p.y)] = box; });
    });
    var taken = boxes.slice(), placed = [];
    function put(l, spots) {
      for (var i = 0; i < spots.length; i++) {
        var b = L.bounds(spots[i], spots[i].add([l.w, l.h]));
        if (!hits(b, placed) && !hits(b, taken)) {
          placed.push(b);
          L.DomUtil.setPosition(l.div, spots[i]);
          l.div.style.display = "";
          return;
        }
      }
      l.div.style.display = "none";
    }
    placeLabels.forEach(function (l) {
      var p = map.latLngToLayerPoint(l.ll);
      var b = around[Math.round(p.x) + "," + Math.round(p.y)] || L.bounds([p.x - 4, p.y - 4],
                                                                         [p.x + 4, p.y + 4]);
      var cy = (b.min.y + b.max.y - l.h) / 2, cx = (b.min.x + b.max.x - l.w) / 2;
      put(l, [L.point(b.max.x + 3, cy), L.point(b.min.x - 3 - l.w, cy),
              L.point(cx, b.min.y - 1 - l.h), L.point(cx, b.max.y + 1)]);
    });
    var view = L.bounds(map.latLngToLayerPoint(map.getBounds().getNorthWest()),
                        map.latLngToLayerPoint(map.getBounds().getSouthEast()));
    var show = map.getZoom() >= {{ this.district_zoom }};
    districtLabels.forEach(function (l) {
      var p = map.latLngToLayerPoint(l.ll);
      if (!show || !view.contains(p)) { l.div.style.display = "none"; return; }
      put(l, [L.point(p.x - l.w / 2, p.y - l.h / 2)]);
    });
  }
  map.on("moveend viewreset overlayadd overlayremove", layout);
  layout();
  {% if this.undoable %}
  group.geoUndo.push(function () {
    map.off("moveend viewreset overlayadd overlayremove", layout);
    placeLabels.concat(districtLabels).forEach(function (l) { L.DomUtil.remove(l.div); });
  });
  {% endif %}
})({{ this.map_name() }}, {{ this._parent.get_name() }}, {{ this.places_json }},
   {{ this.districts_json }}, {{ this.order_json }});
{% endmacro %}""")

    place_css = _PLACE_CSS
    district_css = _DISTRICT_CSS
    max_spread = MAX_SPREAD
    near_px = NEAR_PX

    def __init__(self, places: list[list[Any]], districts: list[list[Any]],
                 district_zoom: int = DISTRICT_ZOOM, spread: bool = True) -> None:
        super().__init__()
        self._name = "PlaceLayout"
        # Names are set as text (textContent), never parsed; no "<" reaches the script.
        self.places_json = script_json(places).replace("<", "\\u003c")
        self.districts_json = script_json(districts).replace("<", "\\u003c")
        self.order_json = json.dumps(list(CATEGORIES))
        self.district_zoom = int(district_zoom)
        self.spread = bool(spread)

    @property
    def undoable(self) -> bool:
        """Whether it is undone with its group (a :class:`ViewLayers`, not a map)."""
        return isinstance(self._parent, ViewLayers)
