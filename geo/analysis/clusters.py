"""Server-side clustering of located incidents into H3 hexagon cells.

A browser cannot take 100,000 incident symbols, but the map must still show where
things happened. :func:`cluster_incidents` groups located incidents into the cells of
Uber's H3 hexagonal grid, at the finest resolution whose cells can still be told apart
on a map of the whole selection and whose non-empty cells stay under a cap, and sums
their figures per cell. The grid is fixed (not the greedy, zoom-dependent
grouping of a JavaScript marker cluster), so the same data always gives the same cells.

H3's calls are scalar, so they are made once per *distinct* point and resolution tried
(incidents located by the gazetteer share their town's coordinates); incidents are
mapped back with numpy.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import h3
import numpy as np
import pandas as pd

from geo.dataset.schema import CATEGORIES
from geo.io.tables import codes_of

__all__ = ["CELLS_ACROSS", "MAX_CELLS", "RESOLUTIONS", "Clusters", "cluster_incidents",
           "readable_resolution"]

MAX_CELLS = 1500
"""Default cap on non-empty cells: what a browser draws at once without strain."""

RESOLUTIONS = range(3, 9)
"""H3 resolutions tried, coarsest to finest: about 12,400 km² down to 0.7 km² a cell."""

CELLS_ACROSS = 40
"""Default: at most about this many cells across the incidents' extent (its wider side).
On a map fitted to the incidents a cell is then at least about 1/40 of the map's width
(25 px of 1,000; 12 px or more once the zoom is rounded down to a whole level), so the
circles of neighbouring cells can be told apart. Finer cells only draw more symbols on
top of each other: level 5 over all of Pakistan is 3-4 px a cell at the zoom that
shows the country."""

_KM_PER_DEGREE = 111.32

_STATS = ("best", "low", "high")
_TOP_PLACES = 3


@dataclass(frozen=True)
class Clusters:
    """Located incidents grouped into H3 cells.

    Attributes
    ----------
    cells : pandas.DataFrame
        One row per non-empty cell, most incidents first: ``cell`` (H3 index),
        ``incidents``, ``lon``/``lat`` (incident-weighted mean position: on the towns,
        not the hexagon centre), ``date_from``/``date_to``, ``places`` (up to three
        ``(name, incidents)`` pairs, most first; the location as written where the
        gazetteer gave no place, none for incidents with coordinates only),
        ``districts`` (names, most incidents first), ``no_figure`` (incidents with no
        positive figure in any category), per category of
        :data:`geo.dataset.schema.CATEGORIES` the sums ``{cat}_best/_low/_high`` (NaN where
        no incident of the cell has a figure; figures only militants give are left out,
        and ``militant_only`` counts the incidents that have one) and ``{cat}_n``
        (incidents with a figure), and ``boundary`` (the hexagon as ``[lon, lat]``
        vertices).
    resolution : int
        The H3 resolution of the cells.
    cell_area_km2 : float
        Mean area of the non-empty cells, km² (0 when there are none).
    incident_cell : numpy.ndarray
        For each incident, in the order given, its row in :attr:`cells`.
    """

    cells: pd.DataFrame
    resolution: int
    cell_area_km2: float
    incident_cell: np.ndarray = field(repr=False)

    @property
    def incidents(self) -> int:
        """Number of incidents clustered."""
        return len(self.incident_cell)


def readable_resolution(lat: np.ndarray, lon: np.ndarray,
                        cells_across: float = CELLS_ACROSS) -> int:
    """The finest resolution of :data:`RESOLUTIONS` whose cells, flat side to flat side,
    are at least 1/*cells_across* of the points' extent (the wider of its north-south
    and east-west spans, in km); the coarsest when none is that wide.

    Examples
    --------
    >>> import numpy as np
    >>> readable_resolution(np.array([24.1, 36.4]), np.array([61.5, 76.4]))  # Pakistan
    4
    >>> readable_resolution(np.array([29.6, 30.6]), np.array([66.5, 67.5]))  # 111 km
    6
    """
    if not len(lat):
        return RESOLUTIONS[-1]
    mid = np.radians((float(np.min(lat)) + float(np.max(lat))) / 2)
    span_km = _KM_PER_DEGREE * max(float(np.ptp(lat)), float(np.ptp(lon)) * np.cos(mid))
    for res in reversed(RESOLUTIONS):
        width = np.sqrt(3) * h3.average_hexagon_edge_length(res, unit="km")
        if width * cells_across >= span_km:
            return res
    return RESOLUTIONS[0]


def _resolve_cells(lat: np.ndarray, lon: np.ndarray, max_cells: int, cells_across: float
                   ) -> tuple[int, np.ndarray, np.ndarray]:
    """The finest readable resolution (:func:`readable_resolution`) with at most
    *max_cells* cells over these distinct points.

    Each resolution is computed from the points (H3 cells do not nest exactly: a
    point's cell at a coarser level is not always its finer cell's parent), finest
    first. Returns the resolution, the distinct cells (sorted) and each point's row.
    """
    finest = readable_resolution(lat, lon, cells_across)
    for res in reversed(range(RESOLUTIONS[0], finest + 1)):
        cells = np.array([h3.latlng_to_cell(a, o, res) for a, o in zip(lat, lon, strict=True)],
                         dtype=object)
        uniq, at = np.unique(cells, return_inverse=True)
        if len(uniq) <= max_cells:
            break
    return res, uniq, at.reshape(-1)


def _place_names(incidents: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The name to show for each located incident: its ``place`` (the gazetteer's
    name), else its ``location`` as written, as a code per incident (-1 where neither
    is given) and the text of each code (``""`` for a blank one).

    Categorical columns (as :func:`~geo.analysis.locate.locate_incidents` makes them)
    are combined by their integer codes: no text is built per incident.
    """
    place, place_text = codes_of(incidents["place"])
    where, where_text = codes_of(incidents["location"])
    named = np.append(place_text, "")[place] != ""  # code -1: the blank appended last
    key = np.where(named, place, np.where(where >= 0, len(place_text) + where, -1))
    return key, np.concatenate([place_text, where_text])


def _labels(key: np.ndarray, text: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Per row, a code of its label ``text[key]`` (-1 where *key* is -1 or the text is
    blank) and the labels, in order of first appearance. Hashes integers per row and
    text per distinct key only (categorical columns: no text per incident)."""
    inv, keys = pd.factorize(key)
    label = np.append(text, "")[keys]  # key -1: the blank appended last
    codes, names = pd.factorize(pd.Series(np.where(label == "", None, label), dtype=object))
    return codes[inv], [str(v) for v in names]


def _top(cell: np.ndarray, codes: np.ndarray, names: list[str], n_cells: int,
         top: int | None) -> list[tuple[tuple[str, int], ...]]:
    """Per cell, its labels (*codes* into *names*, -1 for none) with their incident
    counts, most first (``top`` of them)."""
    keep = codes >= 0
    width = max(len(names), 1)
    pair, n = np.unique(cell[keep].astype(np.int64) * width + codes[keep], return_counts=True)
    c, k = pair // width, pair % width
    order = np.lexsort((k, -n, c))  # by cell, then most incidents, then first seen
    c, k, n = c[order], k[order], n[order]
    if top is not None:  # rank within the cell
        start = np.searchsorted(c, c, "left")
        first = np.arange(len(c)) - start < top
        c, k, n = c[first], k[first], n[first]
    out: list[list[tuple[str, int]]] = [[] for _ in range(n_cells)]
    for ci, ki, ni in zip(c.tolist(), k.tolist(), n.tolist(), strict=True):
        out[ci].append((names[ki], ni))
    return [tuple(v) for v in out]


def cluster_incidents(incidents: pd.DataFrame, *, max_cells: int = MAX_CELLS,
                      cells_across: float = CELLS_ACROSS) -> Clusters:
    """Group located incidents into H3 hexagons, at the finest resolution that can be
    read on a map of them all and fits under the cap.

    Parameters
    ----------
    incidents : pandas.DataFrame
        Located incidents (``Summary.incidents``): ``lon``, ``lat`` (finite),
        ``event_date``, ``place``, ``location``, ``district`` and per category of
        :data:`geo.dataset.schema.CATEGORIES` ``{cat}_best/_low/_high``.
    max_cells : int
        The finest resolution of :data:`RESOLUTIONS` with at most this many non-empty
        cells is chosen (the coarsest one if none fits)...
    cells_across : float
        ... among those at most about this many cells across the incidents' extent
        (:func:`readable_resolution`).

    Returns
    -------
    Clusters
        The cells with their counts and sums, the resolution and mean cell area.

    Raises
    ------
    ValueError
        If *max_cells* or *cells_across* is below 1, or an incident has no finite
        coordinates.

    Examples
    --------
    >>> import pandas as pd
    >>> inc = pd.DataFrame({"lon": [66.99, 66.99, 62.33], "lat": [30.18, 30.18, 25.13],
    ...                     "event_date": pd.to_datetime(["2024-01-02"] * 3),
    ...                     "place": ["Quetta", "Quetta", "Gwadar"], "location": "x",
    ...                     "district": ["Quetta", "Quetta", "Gwadar"],
    ...                     "injured_best": [2.0, None, 5.0]})
    >>> c = cluster_incidents(inc)
    >>> c.resolution, c.cells["incidents"].tolist(), c.cells["injured_best"].tolist()
    (5, [2, 1], [2.0, 5.0])
    >>> c.cells["places"].iloc[0]
    (('Quetta', 2),)
    """
    if max_cells < 1:
        raise ValueError(f"max_cells must be at least 1, not {max_cells}")
    if not cells_across >= 1:
        raise ValueError(f"cells_across must be at least 1, not {cells_across}")
    lon = incidents["lon"].to_numpy(dtype=float)
    lat = incidents["lat"].to_numpy(dtype=float)
    if not (np.isfinite(lon).all() and np.isfinite(lat).all()):
        raise ValueError("every incident to cluster needs finite lon/lat")
    n = len(lon)
    pt, points = pd.factorize(lon + 1j * lat)  # distinct points, hashed in C
    points = np.asarray(points, dtype=complex)
    res, uniq, at = _resolve_cells(points.imag, points.real, max_cells, cells_across)
    cell = at[pt] if n else np.zeros(0, dtype=np.intp)
    # Most incidents first: the big clusters are drawn first, small ones on top.
    count = np.bincount(cell, minlength=len(uniq))
    order = np.argsort(-count, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    cell, uniq, count = rank[cell], uniq[order], count[order]
    k = len(uniq)

    def total(v: np.ndarray) -> np.ndarray:
        return np.bincount(cell, weights=v, minlength=k)

    with np.errstate(invalid="ignore", divide="ignore"):
        cols: dict[str, object] = {"cell": uniq.astype(str), "incidents": count,
                                   "lon": total(lon) / count, "lat": total(lat) / count}
    dates = pd.Series(pd.to_datetime(incidents["event_date"]).to_numpy()).groupby(cell)
    span = dates.agg(["min", "max"]).reindex(range(k))
    cols["date_from"], cols["date_to"] = span["min"].to_numpy(), span["max"].to_numpy()
    # As the incident popups: the place, else the location as written; coordinates
    # only: no name to count.
    cols["places"] = _top(cell, *_labels(*_place_names(incidents)), k, _TOP_PLACES)
    cols["districts"] = [tuple(d for d, _ in v) for v in
                         _top(cell, *_labels(*codes_of(incidents["district"])), k, None)]
    any_figure = np.zeros(n, dtype=bool)
    claimed = np.zeros(n, dtype=bool)  # a figure only militants give, in some category
    for cat in CATEGORIES:
        if f"{cat}_best" not in incidents:
            continue
        best = incidents[f"{cat}_best"].to_numpy(dtype=float)
        # A figure only militants give is never in a sum (the cells' figures are sums).
        mil = ((incidents[f"{cat}_class"] == "militant").to_numpy()
               if f"{cat}_class" in incidents else np.zeros(n, dtype=bool))
        claimed |= mil & ~np.isnan(best)
        best = np.where(mil, np.nan, best)
        has = ~np.isnan(best)
        any_figure |= best > 0  # NaN is not
        with_figure = np.bincount(cell, weights=has, minlength=k).astype(int)
        for stat in _STATS:
            name = f"{cat}_{stat}"
            v = np.where(mil, np.nan, incidents[name].to_numpy(dtype=float)) \
                if name in incidents else best
            cols[name] = np.where(with_figure > 0, total(np.where(np.isnan(v), 0.0, v)),
                                  np.nan)
        cols[f"{cat}_n"] = with_figure
    cols["no_figure"] = np.bincount(cell, weights=~any_figure, minlength=k).astype(int)
    cols["militant_only"] = np.bincount(cell, weights=claimed, minlength=k).astype(int)
    cols["boundary"] = [np.asarray(h3.cell_to_boundary(c))[:, ::-1].round(5).tolist()
                        for c in uniq]
    area = float(np.mean([h3.cell_area(c, unit="km^2") for c in uniq])) if k else 0.0
    return Clusters(pd.DataFrame(cols), res, area, cell)
