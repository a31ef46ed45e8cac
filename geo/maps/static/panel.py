"""The side panel of a static map: headline figures, who gives them, and the legend.

Per category: its colour (the map symbol), the figure under the policy with the range
across claims and how much of it is located, who gives the figure and who claims the
highest one. Then the symbol legend: incidents without a figure, circle sizes (people),
and the precision key. Laid out in points; the text shrinks (never the circles, which
must match the map) when the panel would overflow.
"""

from __future__ import annotations

import textwrap
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from geo.analysis.headline import Headline
from geo.maps.static.placement import SIDE_BY_SIDE
from geo.maps.symbology import CATEGORY_COLOURS, MILITANT_LAYER, legend_sizes, radius

__all__ = ["draw_panel"]

Legend = list[tuple[str, str, int]]
"""Legend rows: (colour, label, number of symbols); colour "" marks a note."""

_GREY = "#555"


def draw_panel(fig: Figure, rect: tuple[float, float, float, float], heads: list[Headline],
               rows: Legend, largest: float, max_pt: float, fs: float) -> Axes:
    """Draw the panel in *rect* (figure fraction).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    rect : tuple of float
        ``(left, bottom, width, height)`` as a fraction of the figure.
    heads : list of Headline
        From :func:`geo.analysis.headline.headlines` (with the dataset, for "per ...").
    rows : list of (colour, label, n)
        The map's legend rows (category colour, label, symbols drawn).
    largest : float
        The count drawn at *max_pt*.
    max_pt : float
        Largest symbol radius in points (the map's).
    fs : float
        Body text size in points before any shrinking.

    Returns
    -------
    matplotlib.axes.Axes
        The panel's axes (axis off, units: points from its lower left corner).
    """
    w, h = fig.get_size_inches()
    pw, ph = rect[2] * w * 72, rect[3] * h * 72
    ax = fig.add_axes(rect)
    ax.set_axis_off()
    ax.set_xlim(0, pw)
    ax.set_ylim(0, ph)
    scale = 1.0
    for _ in range(12):  # shrink the text until the panel fits (circles keep their size)
        if _layout(ax, heads, rows, largest, max_pt, fs * scale, pw, ph, draw=False) <= ph \
                or scale <= 0.6:
            break
        scale -= 0.05
    _layout(ax, heads, rows, largest, max_pt, fs * scale, pw, ph, draw=True)
    return ax


def _layout(ax: Axes, heads: list[Headline], rows: Legend, largest: float, max_pt: float,
            fs: float, pw: float, ph: float, *, draw: bool) -> float:
    """Walk the panel top-down; draw when asked. Returns the height used (points)."""
    y = ph
    line = fs * 1.3

    def text(x: float, s: str, scale: float, **kw: Any) -> None:
        if draw:
            ax.text(x, y, s, fontsize=fs * scale, va="top", **kw)

    def dot(x: float, size: float, **kw: Any) -> None:
        if draw:
            ax.scatter([x], [y - fs * 0.45], s=(fs * size) ** 2, clip_on=False, **kw)

    def wrapped(x: float, s: str, scale: float, step: float, **kw: Any) -> float:
        chars = max(20, int((pw - x) / (fs * scale * 0.55)))
        lines = textwrap.wrap(s, chars, subsequent_indent="  ")
        for ln in lines:
            text(x, ln, scale, **kw)
            nonlocal y
            y -= line * step
        return len(lines)

    text(0, "Casualties (people), all claims kept", 1.1, weight="bold")
    y -= line * 1.3
    if not heads:
        wrapped(0, "No casualty figure in this selection under this policy.", 0.85, 1.0)
    on_map = {label: n for colour, label, n in rows if colour}
    for hl in heads:
        colour = CATEGORY_COLOURS[hl.category]
        if on_map.get(hl.label):
            dot(5, 0.9, c=colour, alpha=0.75, edgecolors=colour)
        text(14, hl.label, 0.95, weight="bold", color=colour)
        y -= line * 0.95
        wrapped(14, hl.text(), 0.85, 0.95)
        for who in hl.according_to():
            wrapped(14, who, 0.72, 0.8, color=_GREY)
        y -= line * 0.35
    y -= line * 0.3
    text(0, "Map symbols", 1.1, weight="bold")
    y -= line * 1.3
    labels = {h.label for h in heads}
    for colour, label, n in rows:
        if colour and label not in labels:  # e.g. no casualty figure
            if label == MILITANT_LAYER:  # drawn as on the map: a dotted ring
                dot(5, 0.9, facecolors="none", edgecolors=colour, linestyles=":",
                    linewidths=1.8)
            else:
                dot(5, 0.9, c=colour, alpha=0.75, edgecolors=colour)
            text(14, f"{label}: {n:,} incident{'s' if n != 1 else ''}", 0.85)
            y -= line
    y = _sizes(ax, largest, max_pt, fs, y, line, draw)
    keys = [("filled", "filled: the named town (precision 1)"),
            ("hollow", "hollow, dashed: near a town or only the district (2-3)")]
    if any(label == SIDE_BY_SIDE for _c, label, _n in rows):
        keys.append(("pair", SIDE_BY_SIDE))
    for kind, label in keys:
        if kind == "filled":
            dot(5, 0.9, c="#777", alpha=0.75)
        elif kind == "hollow":
            dot(5, 0.9, facecolors="none", edgecolors="#777", linestyles="--", linewidths=1.2)
        else:
            dot(1.5, 0.7, c="#777", alpha=0.75)
            dot(8.5, 0.7, c="#777", alpha=0.75)
        text(14, label, 0.8)
        y -= line
    return ph - y


def _sizes(ax: Axes, largest: float, max_pt: float, fs: float, y: float, line: float,
           draw: bool) -> float:
    """A row of size circles (people) with their counts; returns the new y."""
    sizes = legend_sizes(largest)
    if not sizes:
        return y
    r = radius(sizes, largest, max_pt)
    yc, x = y - r[0] - 2, 4.0
    for ri, v in zip(r, sizes, strict=True):
        if draw:
            ax.scatter([x + ri], [yc], s=(2 * ri) ** 2, facecolors="none", edgecolors="#333",
                       clip_on=False)
            ax.text(x + ri, yc - r[0] - 3, f"{v:,}", fontsize=fs * 0.8, ha="center", va="top")
        x += 2 * ri + 14
    if draw:
        ax.text(x, yc, "people (circle area)", fontsize=fs * 0.8, va="center", color=_GREY)
    return yc - r[0] - line * 1.4
