"""Folium elements whose data go into the page as raw JSON, not through Jinja.

branca wraps every rendered script of a map in an ``Element``, which compiles the
text as a Jinja template: lexing costs about 0.1 s per MB (a 100,000-incident map
carries 2 MB of features and popups), and any ``{{`` in the data would be read as
template syntax. :class:`RawScript` places text as is; :class:`RawGeoJson` is a
``folium.GeoJson`` whose features are added by a raw script after the layer is made.
The JSON is made safe for a ``<script>`` by :func:`script_json`. Their bounds (which
``st_folium`` asks every layer for) come from :func:`geojson_bounds`, with numpy,
not from folium's walk of every coordinate in Python (0.1 s at 100,000 incidents).
"""

from __future__ import annotations

import json
from typing import Any

import folium
import numpy as np
from branca.element import Element, Template
from folium.elements import ElementAddToElement
from folium.utilities import JsCode, get_obj_in_upper_tree

__all__ = ["RawGeoJson", "RawScript", "geojson_bounds", "script_json"]


def _parts(geometry: dict[str, Any]) -> list[Any]:
    """The coordinate lists (rings, lines, point lists) of a non-point geometry."""
    kind = geometry["type"]
    if kind == "GeometryCollection":
        return [part for g in geometry["geometries"]
                for part in ([[g["coordinates"]]] if g["type"] == "Point" else _parts(g))]
    coords = geometry["coordinates"]
    if kind in ("MultiPoint", "LineString"):
        return [coords]
    if kind in ("MultiLineString", "Polygon"):
        return list(coords)
    if kind == "MultiPolygon":
        return [ring for polygon in coords for ring in polygon]
    raise ValueError(f"not a GeoJSON geometry type: {kind!r}")


def geojson_bounds(data: dict[str, Any]) -> list[list[float | None]]:
    """``[[south, west], [north, east]]`` of a FeatureCollection's geometries, as
    ``folium.GeoJson`` reports them (``None`` when there is no coordinate).

    Examples
    --------
    >>> geojson_bounds({"type": "FeatureCollection", "features": [
    ...     {"type": "Feature", "properties": {}, "geometry": {"type": "Point",
    ...      "coordinates": [66.9, 30.2]}},
    ...     {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon",
    ...      "coordinates": [[[62.3, 25.1], [63.0, 25.1], [62.3, 26.0], [62.3, 25.1]]]}}]})
    [[25.1, 62.3], [30.2, 66.9]]
    """
    points: list[Any] = []
    parts: list[Any] = []
    for feature in data.get("features", []):
        geometry = feature.get("geometry")
        if not geometry:
            continue
        if geometry["type"] == "Point":
            points.append(geometry["coordinates"][:2])
        else:
            parts.extend(_parts(geometry))
    arrays = [np.asarray(points, dtype=float).reshape(-1, 2)] if points else []
    arrays += [np.asarray(p, dtype=float).reshape(len(p), -1)[:, :2] for p in parts if len(p)]
    if not arrays:
        return [[None, None], [None, None]]
    xy = np.concatenate(arrays)
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    return [[float(lo[1]), float(lo[0])], [float(hi[1]), float(hi[0])]]


def script_json(value: Any) -> str:
    """JSON for a ``<script>``: ASCII only, no ``</`` (written ``<\\/``) and no ``<!``.

    Nothing in it can end the script or open an HTML comment. Text from data in our
    layers is already HTML-escaped (it holds no ``<``); our own tags keep a bare ``<``,
    six times shorter than ``\\u003c`` in thousands of popups.

    Examples
    --------
    >>> script_json({"p": "<b>x</b><!-- y"})
    '{"p":"<b>x<\\\\/b>\\\\u003c!-- y"}'
    """
    text = json.dumps(value, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("<!", "\\u003c!")


class RawScript(Element):
    """Text placed in the page's script as is (not compiled as a template)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text

    def render(self, **kwargs: Any) -> str:
        """The text, unchanged."""
        del kwargs
        return self._text


class RawGeoJson(folium.GeoJson):
    """A ``folium.GeoJson`` layer whose features are written as raw JSON.

    Same arguments as ``folium.GeoJson`` except ``style_function`` and
    ``highlight_function`` (their per-feature style maps need the features at render
    time): style the features in ``on_each_feature`` instead. ``data`` keeps every
    feature for Python code that inspects the layer. With ``lazy=True`` the browser
    makes the features when the layer is first shown (for a layer off at first).
    ``on_layer`` is a JavaScript function called once with the layer, before its
    features are added: bind a popup or tooltip there, to the whole layer, and Leaflet
    passes the feature's own layer to their content functions. One binding per layer
    instead of one per feature: thousands of symbols are made in half the time.
    """

    def __init__(self, data: dict[str, Any], *, lazy: bool = False,
                 on_layer: JsCode | None = None, **kwargs: Any) -> None:
        if kwargs.get("style_function") or kwargs.get("highlight_function"):
            raise ValueError("RawGeoJson takes no style_function or highlight_function")
        super().__init__(data, **kwargs)
        self.lazy = lazy
        self.on_layer = on_layer

    # The script of the layer, by both ways a map is rendered: Figure.render (through
    # render below) and streamlit-folium, which calls each element's script macro.
    _template = Template("{% macro script(this, kwargs) %}{{ this.raw_script() }}{% endmacro %}")

    def raw_script(self) -> str:
        """folium's GeoJson script for the layer with no features, then ``on_layer``
        and the features as raw JSON (added when first shown if *lazy*)."""
        data, self.data = self.data, {"type": "FeatureCollection", "features": []}
        try:
            base = folium.GeoJson._template.module.script(self, {})
        finally:
            self.data = data
        name = self.get_name()
        add = f"{name}_add({self._features_json()});"
        if self.lazy:
            add = (f"(function () {{ var f = function () {{ {add} }};"
                   f" if ({name}._map) f(); else {name}.once('add', f); }})();")
        if self.on_layer is not None:
            add = f"({self.on_layer.js_code})({name});\n{add}"
        return f"{base}\n{add}\n"

    _json: tuple[dict[str, Any], int, str] | None = None

    def _features_json(self) -> str:
        """The data as script JSON, encoded once per data object (and feature count):
        streamlit-folium renders the layer, then asks its script macro again (1 MB at
        100,000 incidents). Replace ``data`` rather than edit its features in place."""
        n = len(self.data.get("features", ()))
        if self._json is None or self._json[0] is not self.data or self._json[1] != n:
            self._json = (self.data, n, script_json(self.data))
        return self._json[2]

    def render(self, **kwargs: Any) -> str:
        """Add :meth:`raw_script` to the page as is (not compiled as a template), as
        ``folium.GeoJson.render`` would add it compiled."""
        self.parent_map = get_obj_in_upper_tree(self, folium.Map)  # type: ignore[assignment]
        if self.show and self._parent is not None:  # folium.map.Layer.render: added to
            self.add_child(ElementAddToElement(  # its parent
                element_name=self.get_name(), element_parent_name=self._parent.get_name()),
                name=self.get_name() + "_add")
        self.get_root().script.add_child(  # type: ignore[attr-defined]
            RawScript(self.raw_script()), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)
        return ""

    def _get_self_bounds(self) -> list[list[float | None]]:
        """The features' bounds (:func:`geojson_bounds`)."""
        return geojson_bounds(self.data)
