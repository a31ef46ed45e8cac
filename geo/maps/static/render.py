"""Static briefing maps (PNG, PDF, SVG) with matplotlib: no browser, no network.

The figure stands on its own: title and subtitle (dates, figure policy, data cut-off),
the map in a local UTM projection (districts of the focus province, the province
emphasised, the neighbouring countries as land around the country: :mod:`.context`),
incidents as proportional circles per casualty category with the colours and area rule
of :mod:`geo.maps.symbology` (filled: the named town; hollow and dashed: near a town or
only the district known), town labels placed so they do not collide, a scale
bar (``matplotlib-scalebar``), a north arrow, an inset locating the province in the
country, a side panel with headline figures and the legend, and a footer with sources
and attribution. pyplot is never imported (no global state, faster start).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.transforms import Bbox
from matplotlib_scalebar.scalebar import ScaleBar

from geo.analysis.headline import headlines
from geo.analysis.summary import Summary
from geo.dataset.records import Dataset
from geo.dataset.schema import CATEGORIES
from geo.gazetteer.boundaries import utm_crs
from geo.gazetteer.resolve import Gazetteer
from geo.io.atomic import atomic_write
from geo.maps.static.briefing import footer, source_lines, subtitle
from geo.maps.static.context import SEA, country_names, draw_neighbours
from geo.maps.static.panel import Legend, draw_panel
from geo.maps.static.placement import (
    SIDE_BY_SIDE,
    district_names,
    fit_width,
    place_labels,
    side_by_side,
    wrap_to_width,
)
from geo.maps.symbology import (
    CATEGORY_COLOURS,
    CATEGORY_LABELS,
    MILITANT_COLOUR,
    MILITANT_LAYER,
    NEUTRAL,
    NO_FIGURE,
    no_figure,
    radius,
)

__all__ = ["DPI", "FORMATS", "SIZES", "figure_size", "map_bytes", "render_map", "save_map"]

SIZES = {"a4-landscape": (297 / 25.4, 210 / 25.4)}
"""Named paper sizes in inches; any other size is ``"WxH"`` pixels at the given dpi."""

FORMATS = ("png", "pdf", "svg")
DPI = 150
"""Default resolution: A4 landscape is 1754x1240 px; pixel sizes are exact at any dpi."""
MAX_SYMBOL_PT = 0.045
"""Largest symbol radius as a share of the figure height (in points)."""

def figure_size(size: str, dpi: float = DPI) -> tuple[float, float]:
    """Inches for ``"1920x1080"``, ``"a4-landscape"`` or any ``"WxH"`` in pixels.

    Examples
    --------
    >>> figure_size("1280x720", dpi=160)
    (8.0, 4.5)
    """
    if size in SIZES:
        return SIZES[size]
    try:
        w, h = (int(v) for v in size.lower().split("x"))
    except ValueError:
        raise ValueError(f"size must be 1920x1080, a4-landscape or WxH pixels, not {size!r}"
                         ) from None
    if not (100 <= w <= 20000 and 100 <= h <= 20000):
        raise ValueError(f"size {size!r}: width and height must be 100-20000 px")
    return w / dpi, h / dpi


def _focus(summary: Summary, gazetteer: Gazetteer) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """(districts of the focus provinces, the area to frame)."""
    b = gazetteer.boundaries
    inc = summary.incidents
    provinces = set(inc["province_pcode"].dropna().astype(str)) or set(
        b.districts["province_pcode"].astype(str))
    districts = b.districts[b.districts["province_pcode"].astype(str).isin(provinces)]
    hit = set(inc["district_pcode"].dropna().astype(str))
    frame = districts[districts["district_pcode"].astype(str).isin(hit)] if len(hit) == 1 \
        else districts
    return districts, frame


def _symbols(ax: Axes, summary: Summary, crs: str, categories: tuple[str, ...],
             max_pt: float, dpi: float
             ) -> tuple[Legend, float, np.ndarray, np.ndarray, np.ndarray]:
    """Draw the circles; returns legend rows, the largest count, x, y (projected) and the
    largest symbol radius (points) at each incident."""
    inc = summary.incidents
    pts = gpd.GeoSeries(gpd.points_from_xy(inc["lon"], inc["lat"]), crs="EPSG:4326").to_crs(crs)
    x, y = pts.x.to_numpy(), pts.y.to_numpy()
    exact = inc["geo_precision"].to_numpy() == 1
    best = {c: np.nan_to_num(inc[f"{c}_best"].to_numpy(dtype=float)) for c in CATEGORIES}
    largest = max([float(v.max()) for c, v in best.items() if c in categories and len(v)] + [0])
    rows: list[tuple[str, str, int]] = []
    sym = []  # (radius, x, y, colour, exact)
    rmax = np.full(len(inc), 2.5)
    claimed = np.zeros(len(inc), dtype=bool)
    for c in categories:
        r = radius(best[c], largest, max_pt)
        mil = (inc[f"{c}_class"] == "militant").to_numpy()
        sym += [(r[i], x[i], y[i], CATEGORY_COLOURS[c], "filled" if exact[i] else "hollow")
                for i in np.flatnonzero((r > 0) & ~mil)]
        # Figures only militants give: a dark dotted ring, never a category's symbol.
        sym += [(r[i], x[i], y[i], MILITANT_COLOUR, "militant")
                for i in np.flatnonzero((r > 0) & mil)]
        claimed |= (r > 0) & mil
        rmax = np.maximum(rmax, r)
        if ((r > 0) & ~mil).any():
            rows.append((CATEGORY_COLOURS[c], CATEGORY_LABELS[c], int(((r > 0) & ~mil).sum())))
    if claimed.any():
        rows.append((MILITANT_COLOUR, MILITANT_LAYER, int(claimed.sum())))
    none = no_figure(inc)
    sym += [(2.5, x[i], y[i], NEUTRAL, "filled" if exact[i] else "hollow")
            for i in np.flatnonzero(none)]
    if none.any():
        rows.append((NEUTRAL, NO_FIGURE, int(none.sum())))
    sym.sort(key=lambda s: -s[0])  # large first, small on top
    dx = side_by_side(sym)
    for i, off in enumerate(dx):  # labels must clear displaced symbols too
        if off:
            at = (x == sym[i][1]) & (y == sym[i][2])
            rmax[at] = np.maximum(rmax[at], abs(off) + sym[i][0])
    x0, x1 = ax.get_xlim()
    per_pt = (x1 - x0) / (ax.bbox.width * 72 / dpi)  # data units per point
    for style in ("filled", "hollow", "militant"):
        part = [(r, sx + d * per_pt, sy, col) for (r, sx, sy, col, st), d
                in zip(sym, dx, strict=True) if st == style]
        if part:
            filled = style == "filled"
            rs, px, py, cols = zip(*part, strict=True)
            ax.scatter(px, py, s=(2 * np.array(rs)) ** 2, c=list(cols) if filled else "none",
                       edgecolors=list(cols), linewidths={"filled": 1.0, "hollow": 1.4,
                                                          "militant": 1.8}[style],
                       alpha=0.75 if filled else 1.0,
                       linestyles={"filled": "-", "hollow": "--", "militant": ":"}[style],
                       zorder=4)
    if any(dx):
        rows.append(("", SIDE_BY_SIDE, sum(1 for d in dx if d)))
    return rows, largest, x, y, rmax


def _inset(ax_map: Axes, gazetteer: Gazetteer, focus: set[str], crs: str,
           extent: tuple[float, float, float, float], x: np.ndarray, y: np.ndarray) -> Axes:
    """The country's provinces, the focus province dark, the map frame as a box; in the
    corner of the map with the fewest incidents."""
    x0, x1, y0, y1 = extent
    fx, fy = (x - x0) / (x1 - x0), (y - y0) / (y1 - y0)
    corners = {(0.01, 0.01): (fx < 0.28) & (fy < 0.35), (0.71, 0.01): (fx > 0.72) & (fy < 0.35),
               (0.01, 0.64): (fx < 0.28) & (fy > 0.65), (0.71, 0.64): (fx > 0.72) & (fy > 0.65)}
    corner = min(corners, key=lambda k: (int(corners[k].sum()), k[1] > 0.5, k[0] < 0.5))
    ax = ax_map.inset_axes((*corner, 0.28, 0.35))
    prov = gazetteer.boundaries.provinces.to_crs(crs)
    mine = prov["province_pcode"].astype(str).isin(focus)
    if (~mine).any():
        prov[~mine].plot(ax=ax, color="#e4e4e4", edgecolor="#999", linewidth=0.4)
    prov[mine].plot(ax=ax, color="#9a9a9a", edgecolor="#444", linewidth=0.6)
    ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, edgecolor="#c00",
                           linewidth=1))
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_facecolor("white")
    ax.set_title("Location in the country", fontsize=7, pad=2)
    return ax


class _Canvas(FigureCanvasAgg):
    """Agg canvas that ignores ``draw_idle``: geopandas' ``plot`` asks for a redraw
    after every layer, which on Agg is a full render of the figure each time (five
    wasted renders per map). The figure is rendered once, when it is saved."""

    def draw_idle(self, *args: Any, **kwargs: Any) -> None:
        return None


def render_map(summary: Summary, gazetteer: Gazetteer, dataset: Dataset, *,
               title: str | None = None, size: str = "1920x1080", dpi: float = DPI,
               categories: tuple[str, ...] = CATEGORIES) -> Figure:
    """Compose the briefing map as a matplotlib Figure.

    Parameters
    ----------
    summary : Summary
        From :func:`geo.analysis.summary.summarise`: its filter's dates and figure
        policy are named in the subtitle.
    gazetteer : Gazetteer
        Boundaries for the map and the inset.
    dataset : Dataset
        For the source list and the data cut-off.
    title : str, optional
        Default: "Incidents and casualty claims, <province>".
    size : str
        ``"1920x1080"``, ``"a4-landscape"`` or ``"WxH"`` pixels (at *dpi*).
    dpi : float
        Pixels per inch of raster output.
    categories : tuple of str
        Casualty layers to draw.

    Returns
    -------
    matplotlib.figure.Figure
        With an Agg canvas attached; save with :func:`save_map`.
    """
    # Text from the data is text: "$" starts no mathtext (which could fail or mislead).
    with rc_context({"text.parse_math": False}):
        return _compose(summary, gazetteer, dataset, title, size, dpi, categories)


def _compose(summary: Summary, gazetteer: Gazetteer, dataset: Dataset, title: str | None,
             size: str, dpi: float, categories: tuple[str, ...]) -> Figure:
    w, h = figure_size(size, dpi)
    fig = Figure(figsize=(w, h), dpi=dpi, facecolor="white")
    _Canvas(fig)
    fs = max(7.0, h * 72 / 60)  # body text in points, from the figure height
    districts, frame = _focus(summary, gazetteer)
    crs = utm_crs(districts)
    d = districts.to_crs(crs)
    where = sorted(set(districts["province_name"].astype(str)))
    if len(frame) == 1:
        where = [str(frame["district_name"].iloc[0]), *where]
    ax = fig.add_axes((0.015, 0.15, 0.67, 0.72))
    x0, y0, x1, y1 = frame.to_crs(crs).total_bounds
    pad = 0.06 * max(x1 - x0, y1 - y0)
    x0, x1, y0, y1 = x0 - pad, x1 + pad, y0 - pad, y1 + pad
    # Keep the frame's aspect: widen the short side so the map fills its axes.
    box_w, box_h = 0.67 * w, 0.72 * h
    if (x1 - x0) / (y1 - y0) < box_w / box_h:
        grow = (y1 - y0) * box_w / box_h - (x1 - x0)
        x0, x1 = x0 - grow / 2, x1 + grow / 2
    else:
        grow = (x1 - x0) * box_h / box_w - (y1 - y0)
        y0, y1 = y0 - grow / 2, y1 + grow / 2
    others = gazetteer.boundaries.provinces.to_crs(crs).cx[x0:x1, y0:y1]
    ax.set_facecolor(SEA)
    near = gazetteer.boundaries.neighbours
    if near is not None:  # beneath the country, so that land never looks like sea
        near = draw_neighbours(ax, near, shapely.union_all([*others.geometry, *d.geometry]),
                               (x0, y0, x1, y1), crs)
    if len(others):
        others.plot(ax=ax, color="#e9e9e6", edgecolor="#b5b5b5", linewidth=0.6, zorder=1)
    d.plot(ax=ax, color="#f7f4ec", edgecolor="#a9a9a9", linewidth=0.5, zorder=2)
    pcodes = set(districts["province_pcode"].astype(str))
    prov = gazetteer.boundaries.provinces
    mine = prov[prov["province_pcode"].astype(str).isin(pcodes)].to_crs(crs)
    mine.boundary.plot(ax=ax, color="#333", linewidth=1.3, zorder=3)
    if len(frame) == 1:  # one district in focus: outline it too
        frame.to_crs(crs).boundary.plot(ax=ax, color="#333", linewidth=1.8, zorder=3)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    rows, largest, x, y, rmax = _symbols(ax, summary, crs, categories, MAX_SYMBOL_PT * h * 72,
                                         dpi)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.add_artist(ScaleBar(1, units="m", location="lower left", box_alpha=0.8,
                           font_properties={"size": fs * 0.8}))
    arrow = ax.annotate("N", xy=(0.965, 0.95), xytext=(0.965, 0.86), xycoords="axes fraction",
                        ha="center", va="center", fontsize=fs, weight="bold",
                        arrowprops={"facecolor": "black", "width": 3, "headwidth": 9,
                                    "headlength": 9})
    inset = _inset(ax, gazetteer, pcodes, crs, (x0, x1, y0, y1), x, y)
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    axbox = ax.get_window_extent(renderer)
    avoid = [b for b in (inset.get_tightbbox(renderer), arrow.get_tightbbox(renderer))
             if b is not None]
    # the scale bar (matplotlib-scalebar: at most a fifth of the width)
    avoid.append(Bbox.from_bounds(axbox.x0, axbox.y0, 0.22 * axbox.width, 3.2 * fs * dpi / 72))
    if len(frame) == 1:  # one district in focus: name it and its neighbours
        avoid += [t.get_window_extent(renderer)
                  for t in district_names(ax, d, fs * 0.8, avoid)]
    towns = place_labels(ax, summary.incidents["place"].astype(str).to_numpy(), x, y, rmax,
                         fs * 0.85, avoid)
    if near is not None and len(near):  # off the labels and the symbols too
        xy, r = ax.transData.transform(np.column_stack([x, y])), rmax * dpi / 72
        avoid += [t.get_window_extent(renderer) for t in towns]
        avoid += [Bbox.from_extents(*(p - ri), *(p + ri)) for p, ri in zip(xy, r, strict=True)]
        country_names(ax, near, fs * 0.85, avoid)
    draw_panel(fig, (0.70, 0.13, 0.29, 0.76), headlines(summary, categories, dataset), rows,
               largest, MAX_SYMBOL_PT * h * 72, fs)
    if len(where) > 3:
        where = [*where[:2], f"{len(where) - 2} more provinces"]
    heading = title or f"Incidents and casualty claims, {', '.join(where)}"
    fig.set_label(f"{heading}: {subtitle(summary, dataset)}")  # the files' Title metadata
    head = fig.text(0.015, 0.965, heading, fontsize=fs * 1.8, weight="bold", va="top")
    fit_width(fig, head, 0.97 * fig.bbox.width)
    sub = fig.text(0.015, 0.905, subtitle(summary, dataset),
                   fontsize=fs * 1.05, va="top", color="#333")
    fit_width(fig, sub, 0.67 * fig.bbox.width)
    _footer(fig, summary, dataset, fs * 0.72, neighbours=near is not None and len(near) > 0)
    return fig


FOOTER_LINES = 8
"""Room under the map; a longer source list is cut (and says so) to fit."""


def _footer(fig: Figure, summary: Summary, dataset: Dataset, size: float, *,
            neighbours: bool) -> None:
    """Sources, policy and attribution under the map (*neighbours*: credit the
    neighbouring countries), wrapped to the figure's width in at most
    :data:`FOOTER_LINES` lines (the source list is cut until it fits)."""
    t = fig.text(0.015, 0.135, "", fontsize=size, va="top", color="#333", linespacing=1.25)
    n_src = len(source_lines(summary, dataset))
    while True:
        n = wrap_to_width(fig, t, footer(summary, dataset, n_src, neighbours=neighbours),
                          0.97 * fig.bbox.width)
        if n <= FOOTER_LINES or n_src == 0:
            return
        n_src = min(n_src - 1, n_src * FOOTER_LINES // n)


def map_bytes(fig: Figure, fmt: str = "png") -> bytes:
    """The figure encoded as *fmt* (``png``, ``pdf`` or ``svg``), for downloads and files;
    a briefing's title and subtitle are the file's ``Title`` metadata.

    Raises
    ------
    ValueError
        For any other format.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    buf = io.BytesIO()
    kw: dict[str, Any] = {"pil_kwargs": {"compress_level": 3}} if fmt == "png" else {}
    if fig.get_label():  # the briefing's title and subtitle, as the file's title
        kw["metadata"] = {"Title": fig.get_label()}
    fig.savefig(buf, format=fmt, dpi=fig.dpi, **kw)
    return buf.getvalue()


def save_map(fig: Figure, path: str | Path) -> Path:
    """Write the figure; the format follows the suffix (.png, .pdf, .svg).

    Raises
    ------
    ValueError
        For any other suffix.
    """
    p = Path(path)
    fmt = p.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(f"{p.name}: output must end in .png, .pdf or .svg")
    return atomic_write(p, map_bytes(fig, fmt))
