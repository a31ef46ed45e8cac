"""The districts that lead a summary on one measure, in words (the page's first tab).

The full district table is a data grid; a ranked list of the first few districts reads
at a glance and costs the browser almost nothing while it is still drawing the map.
Texts are Streamlit markdown with every value from data escaped (:func:`md_text`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.analysis.summary import Summary
from geo.dataset.schema import CATEGORIES
from geo.maps.symbology import CATEGORY_LABELS
from geo.textsafe import md_text

__all__ = ["TOP", "top_districts", "top_district_lines"]

TOP = 10
"""Districts listed."""


def _column(measure: str) -> str:
    if measure == "incidents":
        return "incidents"
    if measure not in CATEGORIES:
        raise ValueError(f"measure must be 'incidents' or a category, not {measure!r}")
    return f"{measure}_best"


def top_districts(summary: Summary, measure: str = "incidents", n: int = TOP
                  ) -> pd.DataFrame:
    """The *n* districts with the highest *measure* (above zero), highest first.

    Parameters
    ----------
    summary : Summary
        From :func:`geo.analysis.summary.summarise` (its filters and figure policy apply).
    measure : str
        ``"incidents"`` or a category of :data:`geo.dataset.schema.CATEGORIES` (its figure
        under the summary's policy).
    n : int
        How many at most.

    Returns
    -------
    pandas.DataFrame
        Rows of ``summary.districts``; ties keep the district name order.
    """
    col = _column(measure)
    d = summary.districts
    value = d[col].to_numpy(dtype=float)
    names = ["" if pd.isna(x) else str(x) for x in d["district"].tolist()]
    keep = np.flatnonzero(np.nan_to_num(value) > 0)
    order = sorted(keep.tolist(), key=lambda i: (-value[i], names[i]))
    return d.iloc[order[:n]]


def _figure(row: pd.Series, category: str) -> str | None:
    best = row[f"{category}_best"]
    if pd.isna(best) or best <= 0:
        return None
    lo, hi = row[f"{category}_low"], row[f"{category}_high"]
    spread = "" if lo == hi else f" (claims {lo:,.0f}–{hi:,.0f})"
    return f"{CATEGORY_LABELS[category].lower()} {best:,.0f}{spread}"


def top_district_lines(summary: Summary, measure: str = "incidents",
                       categories: tuple[str, ...] = CATEGORIES, n: int = TOP) -> list[str]:
    """One markdown list item per leading district: name (province), incidents and the
    *categories*' figures under the summary's policy; empty when no district has any.

    Examples
    --------
    >>> from geo import Gazetteer
    >>> from geo.dataset.records import read_dataset
    >>> from geo.analysis.summary import summarise
    >>> s = summarise(read_dataset(), Gazetteer.load())
    >>> top_district_lines(s, "incidents", ("killed_civilians",), n=1)[0]
    '1. **Gwadar** (Balochistan): 4 incidents; civilians killed 5 (claims 5–11)'
    """
    lines = []
    for rank, (_, row) in enumerate(top_districts(summary, measure, n).iterrows(), 1):
        figures = [f for c in categories if (f := _figure(row, c))]
        k = int(row["incidents"])
        place = (f"**{md_text(row['district'])}** ({md_text(row['province'])})"
                 if not pd.isna(row["district"]) else "No district (located on no polygon)")
        lines.append(f"{rank}. {place}: "
                     + "; ".join([f"{k:,} incident{'s' * (k != 1)}", *figures]))
    return lines
