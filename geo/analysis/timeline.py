"""Casualty figures over time, summed per period before they are charted.

A chart of a hundred thousand incidents gets one row per period and category, not one
per incident: the period is the finest of day, week, month and year that gives at
most ``max_periods`` bars over the data's span.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["PERIODS", "area_periods", "timeline"]

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


def area_periods(areas: pd.DataFrame, categories: Sequence[str]) -> pd.DataFrame:
    """Area-wide figures as periods, to chart beside the located incidents' sums (they
    are not incidents, and not added to them).

    Parameters
    ----------
    areas : pandas.DataFrame
        :attr:`Summary.areas <geo.analysis.summary.Summary.areas>`.
    categories : sequence of str
        Categories to keep.

    Returns
    -------
    pandas.DataFrame
        ``category, area, start, end`` (the day after the period's last, for a bar's
        right edge), ``count`` (the figure under the policy), ``militant`` (whether only
        militants give it) and ``who``: one row per area figure with a figure, every
        stated period kept (41 on Friday, 92 on Saturday, 145 over 40 hours).

    Examples
    --------
    >>> a = pd.DataFrame({"category": ["killed_militants"], "area": ["Balochistan"],
    ...                   "period_start": pd.to_datetime(["2026-01-30"]),
    ...                   "period_end": pd.to_datetime(["2026-02-01"]),
    ...                   "total_best": [145.0], "best_class": ["official"],
    ...                   "best_claimant": ["Pakistani security forces"]})
    >>> area_periods(a, ["killed_militants"])[["end", "count"]].values.tolist()
    [[Timestamp('2026-02-02 00:00:00'), 145.0]]
    """
    mine = areas[areas["category"].isin(list(categories)) & areas["total_best"].notna()]
    return pd.DataFrame({
        "category": mine["category"].astype(str).to_numpy(),
        "area": mine["area"].astype(str).to_numpy(),
        "start": pd.to_datetime(mine["period_start"]).to_numpy(),
        "end": (pd.to_datetime(mine["period_end"]) + pd.Timedelta(days=1)).to_numpy(),
        "count": mine["total_best"].to_numpy(dtype=float),
        "militant": (mine["best_class"].astype(object) == "militant").to_numpy(),
        "who": mine["best_claimant"].astype(object).fillna("").astype(str).to_numpy(),
    })
