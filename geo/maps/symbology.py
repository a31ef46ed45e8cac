"""How casualty categories look on every map: colours, labels and symbol sizes.

One place for the rules, so the interactive map, its legend and static renders agree;
the labels and colours come from the category table (:mod:`geo.dataset.categories`).
Symbols are circles whose *area* is proportional to the count (radius grows with the
square root), the perceptual convention for proportional symbols.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from geo.dataset import categories

__all__ = ["CATEGORY_COLOURS", "CATEGORY_LABELS", "MILITANT_COLOUR", "MILITANT_LAYER",
           "MILITANT_NOTE", "NEUTRAL", "NO_FIGURE", "legend_sizes",
           "measure_label", "no_figure", "radius"]

CATEGORY_LABELS: dict[str, str] = {c.name: c.label for c in categories.TABLE}
"""Human label per category, in the order of :data:`geo.dataset.schema.CATEGORIES`
(from :data:`geo.dataset.categories.TABLE`)."""

CATEGORY_COLOURS: dict[str, str] = {c.name: c.colour for c in categories.TABLE}
"""One colour per category (distinct for common colour-vision deficiencies in pairs),
from :data:`geo.dataset.categories.TABLE`."""


def measure_label(measure: str) -> str:
    """What a district shading measure counts, in lower case: ``"incidents"`` or a
    category's label ("civilians killed")."""
    return "incidents" if measure == "incidents" else CATEGORY_LABELS[measure].lower()


NEUTRAL = "#555555"
"""Incidents with no reported figure."""

MILITANT_LAYER = "Claimed only by militants (not verified)"
"""Label of figures only militants give: drawn as dark dotted rings in their own layer,
never as a category's symbol, never in a sum."""
MILITANT_COLOUR = "#222222"
MILITANT_NOTE = "(claimed only by militants; not verified, never in a sum)"
"""Said after such a figure in popups and tables."""

NO_FIGURE = "No casualty figure"
"""Label of incidents with no positive figure under the policy (none reported or accepted)."""

MIN_RADIUS = 3.0
"""Pixels: the smallest symbol still visible (a count of 1 or more)."""


def radius(values: np.ndarray | Sequence[float], largest: float, max_radius: float = 30.0
           ) -> np.ndarray:
    """Symbol radius in pixels: area proportional to the count.

    Parameters
    ----------
    values : array-like of float
        Counts (NaN or 0: no symbol, radius 0).
    largest : float
        The count drawn at ``max_radius`` (the largest in view, so scales compare
        across layers of one map).
    max_radius : float
        Radius of the largest symbol.

    Returns
    -------
    numpy.ndarray
        Radii; 0 where there is nothing to draw, else at least :data:`MIN_RADIUS`.

    Examples
    --------
    >>> radius([0, 1, 25, 100], largest=100, max_radius=20).round(1).tolist()
    [0.0, 3.0, 10.0, 20.0]
    """
    v = np.nan_to_num(np.asarray(values, dtype=float), nan=0.0)
    if largest <= 0:
        return np.zeros_like(v)
    r = max_radius * np.sqrt(np.clip(v, 0, None) / largest)
    return np.where(v > 0, np.maximum(r, MIN_RADIUS), 0.0)


def no_figure(incidents: Any) -> np.ndarray:
    """True for incidents with no positive ``<category>_best`` in any category.

    They are drawn as small neutral markers, so no incident vanishes from a map.
    """
    best = [np.nan_to_num(np.asarray(incidents[f"{c}_best"], dtype=float)) > 0
            for c in CATEGORY_LABELS]
    return ~np.any(best, axis=0) if len(incidents) else np.zeros(0, dtype=bool)


def legend_sizes(largest: float) -> list[int]:
    """Up to three round counts to show in a size legend (largest first).

    Examples
    --------
    >>> legend_sizes(84)
    [80, 40, 10]
    >>> legend_sizes(3)
    [3, 2, 1]
    """
    if largest < 1:
        return []
    top = float(largest)
    mag = 10 ** np.floor(np.log10(top))
    first = int(np.floor(top / mag) * mag) if top >= 10 else int(top)
    out = [first, int(round(first / 2)), int(round(first / 8))]
    seen: list[int] = []
    for v in out:
        v = max(v, 1)
        if v not in seen and v <= largest:
            seen.append(v)
    return seen
