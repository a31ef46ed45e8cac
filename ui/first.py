"""A session's first view (UI layer): the map before the rest of the page.

A browser has one main thread for Streamlit's widgets and for the map's frame. At
100,000 incidents, drawing the sidebar's filters and the claims panel costs it about
0.55 s of that thread (0.38 s and 0.18 s, measured by leaving them out), and while
the map is sent with them, the map waits for them. So the first run of a
session draws the title, the headline figures and the map only, with the filters the
URL names (:func:`dashboard_filters.from_url`, the defaults the widgets will have).
Once Leaflet has painted the layers, the map's frame asks for a rerun
(:class:`MapDrawnSignal`, part of the layers' own script: a frame that draws the map
sends it), and that run draws the whole page; the layers it sends are the same text,
so the frame does not draw them again.

Not a timer as a fallback: a ``st.fragment(run_every=...)`` in the first view is
removed by the full page, and that removal made the browser drop a click on the
sidebar made just after the page was drawn.
"""

from __future__ import annotations

import secrets

import folium
import streamlit as st
from branca.element import MacroElement, Template

__all__ = ["VIEW_KEY", "MapDrawnSignal", "finish", "is_first_view", "signal"]

VIEW_KEY = "page_view"
"""Session state: ``"first"`` after a first view (map and headline only), ``"full"``
after a run that drew the whole page; absent before the session's first run."""


def is_first_view() -> bool:
    """Whether this run is the session's first (no page drawn yet)."""
    return VIEW_KEY not in st.session_state


class MapDrawnSignal(MacroElement):
    """Script, last in the map's layers: on the first paint of the layers in this frame
    for this session (*token*), set the map component's value, which reruns the page.

    streamlit-folium's frame exposes its component library as ``window.Streamlit``
    (without it, the library's own message is posted to the page). The value sent
    keeps the frame's last value (``previous_data``: what the page reads) and adds
    ``map_drawn``. The token is the same in every run of a session, so the layers'
    text does not change between the first view and the full page; a new session in
    the same frame (the server restarted, the browser reconnected) signals again.
    """

    _template = Template("""{% macro script(this, kwargs) %}
if (window.geoDrawnToken !== {{ this.token_json }}) {
  window.geoDrawnToken = {{ this.token_json }};
  requestAnimationFrame(function () { setTimeout(function () {
    var lib = window.Streamlit, data = window.__GLOBAL_DATA__ || {};
    var value = Object.assign({}, data.previous_data || {}, {map_drawn: true});
    if (lib && lib.setComponentValue) {
      lib.setComponentValue(value);
    } else {
      window.parent.postMessage({isStreamlitMessage: true, value: value, dataType: "json",
                                 type: "streamlit:setComponentValue"}, "*");
    }
  }, 0); });
}
{% endmacro %}""")

    def __init__(self, token: str) -> None:
        super().__init__()
        self._name = "MapDrawnSignal"
        if not token.isalnum():
            raise ValueError(f"token must be letters and digits, not {token!r}")
        self.token_json = f'"{token}"'


def signal(layers: folium.FeatureGroup) -> None:
    """Add this session's :class:`MapDrawnSignal` to *layers* (every run, so their
    text stays the same)."""
    token = st.session_state.setdefault("map_drawn_token", secrets.token_hex(8))
    MapDrawnSignal(token).add_to(layers)


def finish() -> None:
    """End a first view: mark it and stop the run."""
    st.session_state[VIEW_KEY] = "first"
    st.stop()
