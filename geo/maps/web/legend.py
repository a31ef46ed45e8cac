"""The incident map's legend: what each symbol, size and shade means, in little room.

The HTML is built here with every text from data escaped
(:func:`geo.textsafe.html_text`); :class:`geo.maps.web.viewlayers.ViewFinish` places
it on the map and folds it.
"""

from __future__ import annotations

from geo.analysis.summary import Summary
from geo.maps.symbology import MILITANT_LAYER, radius
from geo.textsafe import html_text as _esc

__all__ = ["legend_html", "swatches"]

_GREY = "style='color:#666'"


def swatches(classes: list[tuple[str, str]], inline: bool = False) -> str:
    """Colour boxes with their labels (escaped), one per line or *inline*."""
    tag = "span style='display:inline-block;margin-right:6px'" if inline else "div"
    return "".join(f"<{tag}><span style='display:inline-block;width:14px;height:10px;"
                   f"background:{c};border:1px solid #999;margin-right:4px'></span>"
                   f"{_esc(t)}</{tag.split()[0]}>" for c, t in classes)


def _dot(colour: str, label: str) -> str:
    look = (f"border:2px dotted {colour};width:8px;height:8px"  # as its rings
            if label == MILITANT_LAYER else
            f"background:{colour};opacity:.8;width:11px;height:11px")
    return (f"<span style='display:inline-block;{look};border-radius:50%;"
            "margin-right:4px;vertical-align:-1px'></span>")


_PRECISION_KEY = (
    "<div style='margin-top:3px'>"
    "<span style='display:inline-block;width:9px;height:9px;border-radius:50%;"
    "background:#777;margin-right:3px'></span>the named town "
    "<span style='display:inline-block;width:7px;height:7px;border-radius:50%;"
    "border:1.5px dashed #555;margin:0 3px 0 6px'></span>near a town, or district only"
    "</div>")


def legend_html(summary: Summary, drawn: list[tuple[str, str, str]],
                scale: tuple[list[int], float], classes: list[tuple[str, str]],
                how: tuple[str, list[tuple[str, str]] | None]) -> str:
    """The legend's HTML (escaped).

    Parameters
    ----------
    summary : Summary
        For the policy and the incidents not on the map.
    drawn : list of (colour, label, how many)
        The symbol layers drawn.
    scale : (list of int, float)
        The size legend's counts and the count at the largest radius.
    classes : list of (colour, label)
        The district shading's classes.
    how : (str, list of (colour, label) or None)
        How the map is drawn (one sentence) and, for clusters, the hexagon classes.
    """
    sizes, largest = scale
    sentence, hex_classes = how
    items = "".join(f"<div>{_dot(c, label)}{_esc(label)} <span {_GREY}>({_esc(n)})</span>"
                    "</div>" for c, label, n in drawn)
    size_row = "".join(
        f"<span style='display:inline-block;margin-right:5px;text-align:center'>"
        f"<span style='display:inline-block;border:1px solid #333;border-radius:50%;"
        f"width:{2 * r:.0f}px;height:{2 * r:.0f}px'></span><br>{v:,}</span>"
        for v, r in zip(sizes, radius(sizes, largest), strict=True))  # the map's scale
    off = ""
    if n_off := len(summary.unresolved):
        off = (f"<div><b>{n_off:,} incident{'s' if n_off != 1 else ''} not on the map</b> "
               "(place not reported or not resolved)</div>")
    if hex_classes is None:
        symbols = _PRECISION_KEY
    else:
        symbols = (f"<div {_GREY}>A circle sums the incidents of one hexagon; click it for "
                   "places, dates and ranges.</div>")
        if hex_classes:
            symbols += ("<div>Hexagons, incidents per cell: "
                        f"{swatches(hex_classes, inline=True)}</div>")
    shading = (f"<div style='margin-top:3px'>{swatches(classes, inline=True)}</div>"
               if classes else "")
    return (f"<div><b>Figures: {_esc(summary.policy.label)}</b></div>"
            f"<div {_GREY}>{_esc(sentence)}</div>{off}{items}"
            + (f"<div style='margin-top:3px'>{size_row}</div>" if size_row else "")
            + symbols + shading)
