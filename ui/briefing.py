"""The briefing view: the static composition of the page's filters, nothing else.

The page chrome (header, toolbar, sidebar, padding) is hidden and the image fits the
window, so a screenshot of the window is the composition itself.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

__all__ = ["BRIEFING_CSS", "show_briefing"]

BRIEFING_CSS = """<style>
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"] {display: none !important;}
[data-testid="stMainBlockContainer"] {padding: 0 !important; max-width: none !important;}
[data-testid="stFullScreenFrame"] > div, [data-testid="stImage"],
[data-testid="stImageContainer"] {width: 100% !important;}
[data-testid="stImage"] img {width: 100% !important; height: 100vh !important;
  object-fit: contain; display: block; margin: 0 auto;}
</style>"""
"""Static CSS, no data."""


def _leave_briefing() -> None:
    st.session_state["briefing"] = False


def show_briefing(static_map: Callable[[str], bytes], size: str, stem: str) -> None:
    """The composition as an image at its own pixel width, with its downloads.

    Parameters
    ----------
    static_map : callable
        Encodes the composition of this view as ``"png"``, ``"pdf"`` or ``"svg"``.
    size : str
        The briefing size (``1920x1080`` or ``a4-landscape``).
    stem : str
        The downloads' file name without extension.
    """
    # At its own pixel width: "stretch" would have Streamlit shrink it to 1460 px.
    from geo.maps.static.render import DPI, figure_size  # matplotlib: only when asked

    st.image(static_map("png"), width=round(figure_size(size)[0] * DPI))
    b0, b1, b2, b3 = st.columns(4)
    b0.button("Interactive view", on_click=_leave_briefing, key="leave_briefing")
    for col, fmt, mime in ((b1, "png", "image/png"), (b2, "pdf", "application/pdf"),
                           (b3, "svg", "image/svg+xml")):
        col.download_button(f"Download {fmt.upper()}", lambda fmt=fmt: static_map(fmt),
                            f"{stem}_map.{fmt}", mime, key=f"briefing_{fmt}")
    st.caption("Briefing view: the window shows exactly the static map of these filters "
               "(`size` in the URL: 1920x1080 or a4-landscape; `title` for its title).")
    st.markdown(BRIEFING_CSS, unsafe_allow_html=True)
