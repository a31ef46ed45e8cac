"""The page's own style and behaviour around Streamlit's frame: less top padding, so the
map starts higher, and the sidebar folded on narrow windows.

Streamlit folds the sidebar by itself only on phone-sized windows (up to 768 px); on a
tablet (1024 px) the open sidebar leaves the map under 400 px. The script folds it once
per page load when the window is narrower than :data:`NARROW_PX`, by clicking
Streamlit's own collapse button (found by its ``data-testid``, as the browser tests
find it); the reader can open it again. Static text: nothing from data.
"""

from __future__ import annotations

import streamlit as st

__all__ = ["NARROW_PX", "page_chrome"]

NARROW_PX = 1200
"""Windows narrower than this start with the sidebar folded."""

_CSS = """<style>
[data-testid="stMainBlockContainer"] {padding-top: 2.2rem; padding-bottom: 3rem;}
[data-testid="stMainBlockContainer"] h1 {font-size: 2rem; padding: 0.5rem 0 0.25rem;}
@media (max-width: 1199px) {
  [data-testid="stMainBlockContainer"] {padding-left: 1.5rem; padding-right: 1.5rem;}
}
</style>"""

_FOLD_JS = """<script>
(function (NARROW) {
  if (window.geoSidebarChecked) { return; }
  window.geoSidebarChecked = true;
  if (window.innerWidth >= NARROW) { return; }
  var tries = 0;
  (function fold() {
    var side = document.querySelector('[data-testid="stSidebar"]');
    var button = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
    if (side && side.getAttribute("data-collapsed") === "true") { return; }
    if (side && button) { button.click(); return; }
    if (++tries < 50) { setTimeout(fold, 100); }
  })();
})(""" + str(NARROW_PX) + """);
</script>"""


def page_chrome() -> None:
    """Add the page's style and the narrow-window sidebar fold (same element every run)."""
    st.html(_CSS + _FOLD_JS, unsafe_allow_javascript=True)
