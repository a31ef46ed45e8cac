"""Casualty figures over time, summed per period before they are charted.

A chart of a hundred thousand incidents gets one row per period and category, not one
per incident: the period is the finest of day, week, month and year that gives at
most ``max_periods`` bars over the data's span.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["PERIODS", "timeline"]

PERIODS = {"day": "D", "week": "W-SUN", "month": "M", "year": "Y"}
"""Period names and their pandas frequencies (weeks end on Sunday, start Monday)."""


def _period(first: pd.Timestamp, last: pd.Timestamp, max_periods: int) -> str:
    days = (last - first).days + 1
    for name, size in (("day", 1), ("week", 7), ("month", 30.44), ("year", 365.25)):
        if days / size <= max_periods:
            return name
    return "year"


def timeline(incidents: pd.DataFrame, categories: Sequence[str], *,
             max_periods: int = 400) -> tuple[pd.DataFrame, str]:
    """Sum each category's ``{category}_best`` figure per period.

    Parameters
    ----------
    incidents : pandas.DataFrame
        With ``event_date`` and ``{category}_best`` columns (a summary's incidents).
    categories : sequence of str
        Categories to sum, in legend order.
    max_periods : int
        At most this many periods (bars) over the span of the dates.

    Returns
    -------
    (pandas.DataFrame, str)
        Long frame ``period`` (first day, a Timestamp), ``category``, ``count``
        (periods where a category has no figure are left out), and the period name
        (``day``, ``week``, ``month`` or ``year``).

    Examples
    --------
    >>> df = pd.DataFrame({"event_date": pd.to_datetime(["2026-01-30", "2026-01-30",
    ...                                                  "2026-01-31"]),
    ...                    "civilians_best": [2.0, 3.0, np.nan]})
    >>> t, unit = timeline(df, ["civilians"])
    >>> unit, t["count"].tolist()
    ('day', [5.0])
    """
    dates = incidents["event_date"]
    if not len(incidents) or dates.isna().all():
        return pd.DataFrame({"period": pd.Series(dtype="datetime64[ns]"),
                             "category": pd.Series(dtype=object),
                             "count": pd.Series(dtype=float)}), "day"
    unit = _period(dates.min(), dates.max(), max_periods)
    start = dates.dt.to_period(PERIODS[unit]).dt.start_time
    cols = [f"{c}_best" for c in categories]
    # A figure only militants give is never in a sum (its class column says so).
    frame = pd.DataFrame({
        c: np.where(incidents[f"{c[:-5]}_class"].to_numpy(dtype=object) == "militant", np.nan,
                    incidents[c].to_numpy(dtype=float))
        if f"{c[:-5]}_class" in incidents else incidents[c].to_numpy(dtype=float)
        for c in cols})
    frame["period"] = start.to_numpy()
    # min_count=1: a period where nothing was reported stays missing, not 0
    sums = frame.groupby("period", sort=True)[cols].sum(min_count=1)
    long = sums.reset_index().melt(id_vars="period", var_name="category", value_name="count")
    long = long[np.isfinite(long["count"].to_numpy(dtype=float))]
    long["category"] = long["category"].str.removesuffix("_best")
    return long.reset_index(drop=True), unit
