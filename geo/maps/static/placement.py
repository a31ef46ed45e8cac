"""Where text and symbols go on a static map, so nothing hides anything else.

Town labels are placed greedily (largest symbols first) in eight candidate positions
around their symbol, never over another label or a reserved area (inset, scale bar,
north arrow), and over as few symbols as possible; equal symbols at one point are set
side by side; text is fitted to a width by measuring it with the renderer.

A greedy candidate search (the classic cartographic rule) rather than adjustText,
whose scipy import alone takes a third of the static map's time budget.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

__all__ = ["HALO", "MAX_LABELS", "SIDE_BY_SIDE", "district_names", "fit_width",
           "place_labels", "side_by_side", "wrap_to_width"]

HALO = [patheffects.withStroke(linewidth=2.5, foreground="white")]
"""White outline that keeps labels readable over symbols and boundaries."""

MAX_LABELS = 40
"""Town labels on one map, largest symbols first; the other towns stay unlabelled."""

SIDE_BY_SIDE = "equal symbols at one place, set side by side"
"""Legend note shown when :func:`side_by_side` moved any symbol."""

_OFFSETS = [(1, 0), (1, 1), (0, 1), (-1, 1), (-1, 0), (-1, -1), (0, -1), (1, -1)]


def side_by_side(symbols: Sequence[tuple[Any, ...]]) -> list[float]:
    """Horizontal offsets (points) for symbols that would hide each other exactly.

    Symbols of different layers at one point nest (large under small) and stay
    readable, but equal sizes would cover one another completely: those are set side
    by side, touching, centred on the point.

    Parameters
    ----------
    symbols : sequence of tuple
        ``(radius_pt, x, y, ...)`` per symbol.

    Returns
    -------
    list of float
        One offset per symbol; 0 for symbols left in place.

    Examples
    --------
    >>> side_by_side([(4, 0, 0), (4, 0, 0), (9, 0, 0), (4, 5, 5)])
    [-4.0, 4.0, 0.0, 0.0]
    """
    dx = [0.0] * len(symbols)
    groups: dict[tuple[float, float, float], list[int]] = {}
    for i, (r, sx, sy, *_rest) in enumerate(symbols):
        groups.setdefault((float(sx), float(sy), round(float(r), 1)), []).append(i)
    for (_x, _y, r), idx in groups.items():
        if len(idx) > 1:
            for k, i in enumerate(idx):
                dx[i] = (k - (len(idx) - 1) / 2) * 2 * r
    return dx


def district_names(ax: Axes, districts: gpd.GeoDataFrame, fontsize: float,
                   avoid: Sequence[Bbox] = ()) -> list[Text]:
    """Write district names (grey italic) at a point inside each district's part in view
    (whole names only, none under the map's furniture in *avoid*: inset, arrow, scale).

    Returns
    -------
    list of matplotlib.text.Text
        The names drawn, so labels can avoid them.
    """
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    renderer = ax.figure.canvas.get_renderer()  # type: ignore[attr-defined]
    axbox = ax.get_window_extent(renderer)
    out = []
    # The part of each district in view: a neighbour of the district in focus is named
    # on its visible part, not at its own centre (which is usually out of view).
    seen = districts.geometry.intersection(shapely.box(x0, y0, x1, y1))
    keep = ~seen.is_empty
    pts = seen[keep].representative_point()
    for name, p in zip(districts.loc[keep, "district_name"].astype(str), pts, strict=True):
        if not (x0 < p.x < x1 and y0 < p.y < y1):
            continue
        t = ax.text(p.x, p.y, name, fontsize=fontsize, style="italic", color="#8a8a8a",
                    ha="center", va="center", zorder=2.5)
        box = t.get_window_extent(renderer)
        if (axbox.contains(box.x0, box.y0) and axbox.contains(box.x1, box.y1)
                and not any(box.overlaps(b) for b in avoid)):
            out.append(t)
        else:  # a name cut by the frame or hidden by the inset reads as another name
            t.remove()
    return out


def place_labels(ax: Axes, names: Sequence[str], x: np.ndarray, y: np.ndarray,
                 rmax: np.ndarray, fontsize: float, avoid: Sequence[Bbox] = ()
                 ) -> list[Text]:
    """Label each town once beside its largest symbol.

    Towns are labelled largest symbol first, at most :data:`MAX_LABELS`. Each label
    takes the first of eight positions around its symbol that stays inside the axes,
    overlaps no placed label and no *avoid* box, and reaches into the fewest symbols;
    a town whose label fits nowhere is left unlabelled.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The map, with its final limits.
    names, x, y, rmax : array-like
        Per incident: town name, projected position, largest symbol radius (points).
    fontsize : float
        Label size in points.
    avoid : sequence of Bbox
        Display-space boxes labels must not touch.

    Returns
    -------
    list of matplotlib.text.Text
        The labels placed.
    """
    fig = ax.figure
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    axbox = ax.get_window_extent(renderer)
    at: dict[str, tuple[float, float, float]] = {}
    for name, px, py, r in zip(names, x, y, rmax, strict=True):
        if name and name != "nan" and (name not in at or r > at[name][2]):
            at[name] = (px, py, float(r))
    towns = sorted(at.items(), key=lambda kv: (-kv[1][2], kv[0]))[:MAX_LABELS]
    centres = ax.transData.transform(np.column_stack([x, y])) if len(x) else np.empty((0, 2))
    radius = np.asarray(rmax, dtype=float) * fig.dpi / 72
    blocked: list[Bbox] = list(avoid)
    placed: list[Text] = []
    for name, (px, py, r) in towns:
        best: tuple[int, Text] | None = None
        for dx, dy in _OFFSETS:
            gap = (r + 3) if dx == 0 or dy == 0 else (r * 0.72 + 3)
            t = ax.annotate(name, (px, py), xytext=(dx * gap, dy * gap),
                            textcoords="offset points",
                            ha={1: "left", 0: "center", -1: "right"}[dx],
                            va={1: "bottom", 0: "center", -1: "top"}[dy],
                            fontsize=fontsize, zorder=6, path_effects=HALO)
            box = t.get_window_extent(renderer)
            inside = axbox.contains(box.x0, box.y0) and axbox.contains(box.x1, box.y1)
            if not inside or any(box.overlaps(o) for o in blocked):
                t.remove()
                continue
            # Symbols reaching into the label box (its nearest point to each centre).
            nx = np.clip(centres[:, 0], box.x0, box.x1) - centres[:, 0]
            ny = np.clip(centres[:, 1], box.y0, box.y1) - centres[:, 1]
            hits = int((nx ** 2 + ny ** 2 < radius ** 2).sum())
            if best is None or hits < best[0]:
                if best is not None:
                    best[1].remove()
                best = (hits, t)
            else:
                t.remove()
            if hits == 0:
                break
        if best is not None:
            blocked.append(best[1].get_window_extent(renderer))
            placed.append(best[1])
    return placed


def fit_width(fig: Figure, t: Text, width: float, min_scale: float = 0.6) -> None:
    """Shrink *t*'s font (down to *min_scale* of it) until it is at most *width* pixels."""
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    size = float(t.get_fontsize())
    scale = 1.0
    while t.get_window_extent(renderer).width > width and scale > min_scale:
        scale -= 0.05
        t.set_fontsize(size * scale)


def wrap_to_width(fig: Figure, t: Text, parts: Sequence[str], width: float) -> int:
    """Set *t* to *parts* wrapped so its widest line fits *width* pixels (measured).

    Returns
    -------
    int
        The number of lines.
    """
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    chars = int(width / (float(t.get_fontsize()) * fig.dpi / 72 * 0.5))  # ~0.5 em a char
    while True:
        lines = [ln for part in parts for ln in textwrap.wrap(part, chars)]
        t.set_text("\n".join(lines))
        if t.get_window_extent(renderer).width <= width or chars < 40:
            return len(lines)
        chars = int(chars * 0.95)
