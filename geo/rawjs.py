"""Folium elements whose data go into the page as raw JSON, not through Jinja.

branca wraps every rendered script of a map in an ``Element``, which compiles the
text as a Jinja template: lexing costs about 0.1 s per MB (a 100,000-incident map
carries 2 MB of features and popups), and any ``{{`` in the data would be read as
template syntax. :class:`RawScript` places text as is; :class:`RawGeoJson` is a
``folium.GeoJson`` whose features are added by a raw script after the layer is made.
The JSON is made safe for a ``<script>`` by :func:`script_json`.
"""

from __future__ import annotations

import json
from typing import Any

import folium
from branca.element import Element

__all__ = ["RawGeoJson", "RawScript", "script_json"]


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
    feature for Python code that inspects the layer.
    """

    def __init__(self, data: dict[str, Any], **kwargs: Any) -> None:
        if kwargs.get("style_function") or kwargs.get("highlight_function"):
            raise ValueError("RawGeoJson takes no style_function or highlight_function")
        super().__init__(data, **kwargs)

    def render(self, **kwargs: Any) -> str:
        """Render the layer with no features, then add them with a raw script."""
        data, self.data = self.data, {"type": "FeatureCollection", "features": []}
        try:
            super().render(**kwargs)
        finally:
            self.data = data
        self.get_root().script.add_child(  # type: ignore[attr-defined]
            RawScript(f"{self.get_name()}_add({script_json(data)});"),
            name=f"{self.get_name()}_data")
        return ""
