"""The part of a map that changes with the view: one group of layers, with its own
layer menu, legend and extent, that can be swapped on a map that stays.

A page (``st_folium(base, feature_group_to_add=group)``) keeps the fixed part of the
map (Leaflet, the province outline, the attribution) and its frame across reruns and
replaces only this group when a filter changes: the browser neither reloads the frame
nor parses Leaflet again, and the frame can load while the server is still reading
the data. A saved map (``Figure.render``) is the same group added to its map once.

When the group is removed from the map, everything it put there goes too: its layer
menu, legend, layers shown from the menu outside the group and map listeners
(:meth:`ViewLayers.on_remove_js`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

import folium
from branca.element import Element, MacroElement, Template
from folium.utilities import get_obj_in_upper_tree

from geo.maps.web.rawjs import script_json

__all__ = ["FitView", "OnMap", "TileErrorNotice", "ViewFinish", "ViewLayers",
           "WheelAfterClick", "legend_html", "walk"]


def walk(element: Element) -> Iterator[Element]:
    """The element and all its descendants, parents before children, in order."""
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from walk(child)


class OnMap:
    """For elements whose script names the map they are drawn on: their parent may be a
    group on that map (templates call ``this.map_name()``)."""

    def map_name(self) -> str:
        """The JavaScript name of the map this element is (eventually) drawn on."""
        return str(get_obj_in_upper_tree(cast(Element, self), folium.Map).get_name())


def legend_html(m: Element) -> str:
    """The legend's HTML of a map or group (empty when it has none): for tests and
    tools, the page carries it as a JSON string."""
    return "".join(e.legend_html for e in walk(m) if isinstance(e, ViewFinish))


class ViewLayers(OnMap, folium.FeatureGroup):
    """A feature group on the map from its first line, so that scripts of its
    children (restacking, fitting) see their layers on the map; it keeps a list of
    what to undo when it is removed (``<name>.geoUndo``)."""

    _template = Template("""{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.featureGroup({}).addTo({{ this.map_name() }});
{{ this.get_name() }}.geoUndo = [];
{{ this.get_name() }}.on('remove', function () {
  {{ this.get_name() }}.geoUndo.forEach(function (u) { u(); });
  {{ this.get_name() }}.geoUndo = [];
});
{% endmacro %}""")

    def __init__(self) -> None:
        super().__init__(name="view", control=False)
        # Kept: streamlit-folium adds the group as ``feature_group_<name>``.
        self._name = "FeatureGroup"

    def on_remove_js(self, code: str) -> str:
        """JavaScript statement registering *code* (a function expression) to run when
        the group leaves the map."""
        return f"{self.get_name()}.geoUndo.push({code});"


class FitView(MacroElement):
    """The map's first view: these bounds, set at once. folium's ``fit_bounds`` animates
    the zoom, and an animation still running when a :class:`ViewLayers` fits its own
    extent would end on this view instead.

    Parameters
    ----------
    bounds : list of [lat, lon]
        South-west and north-east corners.
    """

    _template = Template("""{% macro script(this, kwargs) %}
{{ this._parent.get_name() }}.fitBounds({{ this.bounds|tojson }}, {animate: false});
{% endmacro %}""")

    def __init__(self, bounds: list[list[float]]) -> None:
        super().__init__()
        self._name = "FitView"
        self.bounds = bounds


class TileErrorNotice(OnMap, MacroElement):
    """Added to an online tile layer: when its tiles cannot be loaded (offline, or the
    server refuses), a note on the map says so, instead of a grey map with no word.
    The note goes when the layer is switched off."""

    _template = Template("""{% macro script(this, kwargs) %}
(function (layer, map) {
  var note = null;
  layer.on("tileerror", function () {
    if (note) { return; }
    note = L.control({position: "bottomright"});
    note.onAdd = function () {
      var d = L.DomUtil.create("div", "geo-tile-error");
      d.style.cssText = "background:#fff3cd;color:#5c4400;padding:4px 8px;"
        + "border:1px solid #e0c36c;border-radius:3px;font:12px sans-serif;max-width:260px";
      d.textContent = {{ this.message|tojson }};
      return d;
    };
    note.addTo(map);
  });
  layer.on("remove", function () { if (note) { note.remove(); note = null; } });
})({{ this._parent.get_name() }}, {{ this.map_name() }});
{% endmacro %}""")

    def __init__(self, name: str) -> None:
        super().__init__()
        self._name = "TileErrorNotice"
        self.message = (f"{name}: the tiles could not be loaded (offline, or the server "
                        "refused them). The map's own boundaries and symbols are complete.")


class WheelAfterClick(MacroElement):
    """The mouse wheel scrolls the page, not the map, until the map is clicked; it
    scrolls the page again once the pointer leaves the map. A page that scrolls past
    a map would otherwise zoom it by accident. Give the map
    ``scroll_wheel_zoom=False``."""

    _template = Template("""{% macro script(this, kwargs) %}
(function (m) {
  m.on("click", function () { m.scrollWheelZoom.enable(); });
  m.on("mouseout", function () { m.scrollWheelZoom.disable(); });
})({{ this._parent.get_name() }});
{% endmacro %}""")

    def __init__(self) -> None:
        super().__init__()
        self._name = "WheelAfterClick"


class ViewFinish(OnMap, MacroElement):
    """Added last to a :class:`ViewLayers`: the layer menu of the group's layers, the
    legend (HTML, already escaped) and the view, all undone with the group.

    The legend sits at the map's top right under a "Legend" button that folds it; it
    starts folded when open it would cover more than :attr:`LEGEND_SHARE` of the map
    (small screens). The view is set only when *view_key* differs from the last one set
    on this map: a page that swaps the group at every filter change keeps the reader's
    zoom and centre, and moves the map only for a new key (another district or
    dataset). A saved map (no key) always sets it.

    Parameters
    ----------
    legend_html : str
        The legend's inner HTML.
    bounds : list of [lat, lon]
        South-west and north-east corners to fit, clear of the legend, the scale and
        the attribution.
    at : (lat, lon, zoom), optional
        A view to show instead of fitting *bounds* (a shared link's).
    view_key : str
        What the view is set for (see above).
    """

    _template = Template("""{% macro script(this, kwargs) %}
(function (map, group) {
  var overlays = {{ this.overlays_js() }};
  var menu = L.control.layers({}, overlays, {collapsed: true, autoZIndex: true}).addTo(map);
  var legend = L.DomUtil.create('div', 'geo-legend', map.getContainer());
  legend.id = 'geo-legend';
  legend.style.cssText = {{ this.legend_css|tojson }};
  var button = L.DomUtil.create('button', 'geo-legend-toggle', legend);
  button.type = 'button';
  button.style.cssText = 'border:0;background:none;padding:0;font:600 11px sans-serif;'
    + 'cursor:pointer';
  var body = L.DomUtil.create('div', 'geo-legend-body', legend);
  body.innerHTML = {{ this.legend_json }};
  function fold(open) {
    body.style.display = open ? '' : 'none';
    button.setAttribute('aria-expanded', open ? 'true' : 'false');
    button.textContent = open ? 'Legend \u25be' : 'Legend \u25b8';
  }
  L.DomEvent.on(button, 'click', function () { fold(body.style.display === 'none'); });
  var size = map.getSize();
  fold(true);
  if (legend.offsetWidth * legend.offsetHeight > {{ this.LEGEND_SHARE }} * size.x * size.y
      || size.x < {{ this.NARROW }}) { fold(false); }
  L.DomEvent.disableClickPropagation(legend);
  L.DomEvent.disableScrollPropagation(legend);
  group.geoUndo.push(function () {
    menu.remove();
    L.DomUtil.remove(legend);
    Object.keys(overlays).forEach(function (k) { overlays[k].remove(); });
  });
  var key = {{ this.view_key|tojson }};
  if (!key || map.geoViewKey !== key) {
    map.geoViewKey = key;
    var at = {{ this.at|tojson }};
    // Not animated: a zoom animation on a map just drawn can be cut short by the
    // frame's resize, leaving the previous view.
    if (at) { map.setView([at[0], at[1]], at[2], {animate: false}); }
    else { map.fitBounds({{ this.bounds|tojson }}, {paddingTopLeft: [40, 40],
             paddingBottomRight: [legend.offsetWidth + 40, 50], animate: false}); }
  }
})({{ this.map_name() }}, {{ this._parent.get_name() }});
{% endmacro %}""")

    LEGEND_SHARE = 0.2
    """The most of the map an open legend may cover at first."""
    NARROW = 1050
    """Pixels: a map narrower than this starts with its legend folded."""

    # Below Leaflet's corners (z-index 1000): the layer menu opens over the legend.
    legend_css = ("position:absolute;top:56px;right:10px;z-index:999;"
                  "background:rgba(255,255,255,.94);padding:3px 6px;font:11px/1.3 sans-serif;"
                  "max-width:215px;max-height:calc(100% - 120px);overflow:auto;"
                  "border:1px solid #bbb;border-radius:4px")

    def __init__(self, legend_html: str, bounds: list[list[float]],
                 at: tuple[float, float, int] | None = None, view_key: str = "") -> None:
        super().__init__()
        self._name = "ViewFinish"
        self.legend_html = legend_html
        self.legend_json = script_json(legend_html)
        self.bounds = bounds
        self.at = list(at) if at else None
        self.view_key = view_key

    def overlays_js(self) -> str:
        """``{"label": layer, ...}`` of the group's layers shown in the menu."""
        siblings = self._parent._children.values() if self._parent is not None else []
        items: list[Any] = [
            f"{script_json(item.layer_name)}: {item.get_name()}"
            for item in siblings
            if isinstance(item, folium.map.Layer) and item.control]
        return "{" + ", ".join(items) + "}"
