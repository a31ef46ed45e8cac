"""The land around the map's country: neighbouring countries, and their names.

Without them every country but the boundary layer's would take the sea's colour. The
neighbours (:attr:`geo.gazetteer.boundaries.Boundaries.neighbours`: Natural Earth for the
bundled data) are drawn beneath the districts in a neutral land colour with thin grey
borders, and named in letter-spaced grey capitals on their visible part.

Their outlines and the boundary layer's come from different sources and do not meet
exactly: along a land border the two leave narrow gaps (up to about 10 km for the
bundled layers) that would read as slivers of sea. The gaps are filled with the land
colour: a morphological closing of both, kept to where they are close to each other, so
coastlines away from the land border are not changed.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.text import Text
from matplotlib.transforms import Bbox
from shapely.ops import polylabel

__all__ = ["BORDER", "GAP_M", "LAND", "SEA", "country_names", "draw_neighbours",
           "spaced_caps"]

SEA = "#cfe1ee"
"""The map's background: sea, and anywhere no layer covers."""
LAND = "#dfdbd1"
"""Neighbouring countries: a neutral grey-beige, darker than the country's areas."""
BORDER = "#9c9c9c"
"""Their borders and coastlines."""
GAP_M = 8000.0
"""Closing radius in metres: gaps up to twice as wide between the neighbours and the
districts' country are filled with the land colour."""

_NAME_COLOUR = "#7b7b7b"


def draw_neighbours(ax: Axes, neighbours: gpd.GeoDataFrame, country: shapely.Geometry,
                    view: tuple[float, float, float, float], crs: str) -> gpd.GeoDataFrame:
    """Draw the neighbouring countries beneath the map's own areas (zorder below 1).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The map.
    neighbours : geopandas.GeoDataFrame
        ``country_name`` and polygons, in any CRS.
    country : shapely geometry
        The areas the map draws for its own country, in *crs*.
    view : tuple of float
        ``(x0, y0, x1, y1)``: the map's limits, in *crs*.
    crs : str
        The map's projected CRS (metres).

    Returns
    -------
    geopandas.GeoDataFrame
        The neighbours near the view, in *crs* (``country_name``, geometry), for
        :func:`country_names`; empty when none is near.
    """
    x0, y0, x1, y1 = view
    margin = 3 * GAP_M  # the closing's edge effects stay out of view
    clip = shapely.box(x0 - margin, y0 - margin, x1 + margin, y1 + margin)
    near = neighbours[["country_name", "geometry"]].to_crs(crs)
    near = near[near.intersects(clip)]
    near = near.set_geometry(near.intersection(clip))
    if near.empty:
        return near
    theirs = shapely.union_all(near.geometry.to_numpy())
    ours = shapely.intersection(country, clip)
    both = shapely.union(theirs, ours)
    closed = both.buffer(GAP_M, quad_segs=4).buffer(-GAP_M, quad_segs=4)
    gaps = shapely.intersection_all([closed.difference(both),
                                     theirs.buffer(GAP_M, quad_segs=4),
                                     ours.buffer(GAP_M, quad_segs=4)])
    gpd.GeoSeries([theirs, gaps], crs=crs).plot(ax=ax, color=LAND, linewidth=0, zorder=0.5)
    # Borders and coastlines, but not the edges that face the country: those lie on
    # its border or along a filled gap, where a second line would read as a border.
    px = (x1 - x0) / max(ax.bbox.width, 1.0)  # one pixel in map units
    hidden = shapely.union(ours, gaps).buffer(2 * px, quad_segs=2)
    lines = near.boundary.difference(hidden)
    lines = lines[~lines.is_empty]
    if len(lines):
        lines.plot(ax=ax, color=BORDER, linewidth=0.5, zorder=0.7)
    return near


def spaced_caps(name: str) -> str:
    """A country's name as letter-spaced capitals (thin spaces between letters).

    Examples
    --------
    >>> spaced_caps("Iran") == "I\\u2009R\\u2009A\\u2009N"
    True
    """
    return "\u2003".join("\u2009".join(word) for word in name.upper().split())


def country_names(ax: Axes, countries: gpd.GeoDataFrame, fontsize: float,
                  avoid: Sequence[Bbox] = ()) -> list[Text]:
    """Name each neighbouring country once, inside its visible part.

    A name goes at the visible part's most interior point that keeps the whole name
    inside the country and inside the map and off every box in *avoid* (inset, north
    arrow, scale bar, labels, symbols); a country with no such place stays unnamed.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The map, with its final limits.
    countries : geopandas.GeoDataFrame
        From :func:`draw_neighbours` (in the map's CRS).
    fontsize : float
        In points.
    avoid : sequence of Bbox
        Display-space boxes the names must not touch.

    Returns
    -------
    list of matplotlib.text.Text
        The names drawn.
    """
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    renderer = ax.figure.canvas.get_renderer()  # type: ignore[attr-defined]
    axbox = ax.get_window_extent(renderer)
    to_map = ax.transData.inverted()
    seen = countries.geometry.intersection(shapely.box(x0, y0, x1, y1))
    order = np.argsort(-seen.area.to_numpy(), kind="stable")  # largest first
    blocked = list(avoid)
    out = []
    for i in order:
        shape = seen.iloc[i]
        if shape.is_empty or shape.area == 0:
            continue
        t = ax.text(0, 0, spaced_caps(str(countries["country_name"].iloc[i])),
                    fontsize=fontsize, color=_NAME_COLOUR, ha="center", va="center",
                    zorder=2.5)
        for x, y in _candidates(shape):
            t.set_position((x, y))
            box = t.get_window_extent(renderer)
            (bx0, by0), (bx1, by1) = to_map.transform([(box.x0, box.y0), (box.x1, box.y1)])
            if (axbox.contains(box.x0, box.y0) and axbox.contains(box.x1, box.y1)
                    and not any(box.overlaps(b) for b in blocked)
                    and shape.contains(shapely.box(bx0, by0, bx1, by1))):
                blocked.append(box)
                out.append(t)
                break
        else:
            t.remove()
    return out


def _candidates(shape: shapely.Geometry, n: int = 12) -> list[tuple[float, float]]:
    """Points inside *shape*, most interior first: the pole of inaccessibility of its
    largest part, then a grid of inside points by distance from the edge."""
    parts = sorted(shapely.get_parts(shape), key=lambda p: -p.area)
    polys = [p for p in parts if p.geom_type == "Polygon"]
    if not polys:
        return []
    pole = polylabel(polys[0], tolerance=max(polys[0].length / 2000, 1.0))
    bx0, by0, bx1, by1 = shape.bounds
    gx, gy = np.meshgrid(np.linspace(bx0, bx1, n + 2)[1:-1], np.linspace(by0, by1, n + 2)[1:-1])
    grid = shapely.points(gx.ravel(), gy.ravel())
    grid = grid[shapely.contains(shape, grid)]
    edge = shapely.boundary(shape)
    grid = grid[np.argsort(-shapely.distance(grid, edge), kind="stable")]
    return [(pole.x, pole.y), *((p.x, p.y) for p in grid)]
