"""The words around a briefing map: title, subtitle, sources, footer (the headline
figures are :mod:`geo.analysis.headline`).

One place for them, so the static render (:mod:`geo.maps.static.render`), the dashboard's
briefing view and the CLI say the same thing for the same filters.
"""

from __future__ import annotations

import pandas as pd

from geo.analysis.summary import Summary
from geo.bundled import ATTRIBUTION, BOUNDARY_VINTAGE, NEIGHBOUR_ATTRIBUTION
from geo.dataset.records import Dataset

__all__ = ["cutoff", "footer", "period", "source_lines", "subtitle"]


def period(summary: Summary) -> str:
    """``"30 Jan 2026 – 1 Feb 2026"``: the filter's dates, else the span of the data."""
    date_from, date_to = summary.filter.date_from, summary.filter.date_to
    dates = pd.concat([summary.incidents["event_date"], summary.areas["period_start"],
                       summary.areas["period_end"]]).dropna()
    lo = pd.Timestamp(date_from) if date_from else (dates.min() if len(dates) else None)
    hi = pd.Timestamp(date_to) if date_to else (dates.max() if len(dates) else None)
    if lo is None or hi is None:
        return "no dates"
    fmt = "%-d %b %Y"
    return lo.strftime(fmt) if lo == hi else f"{lo.strftime(fmt)} – {hi.strftime(fmt)}"


def cutoff(dataset: Dataset) -> str:
    """The newest publication or claim date in the dataset (the data cut-off)."""
    dates = pd.concat([pd.to_datetime(dataset.sources["published"], errors="coerce"),
                       dataset.claims["claim_date"]]).dropna()
    return dates.max().strftime("%-d %b %Y") if len(dates) else "unknown"


def subtitle(summary: Summary, dataset: Dataset) -> str:
    """Date range, figure policy and data cut-off in one line."""
    return (f"{period(summary)} · figures: {summary.policy.label} · "
            f"data as of {cutoff(dataset)}")


def source_lines(summary: Summary, dataset: Dataset) -> list[str]:
    """``"S001 publisher, 'title' (2026-01-31)"`` for each source of the selection."""
    used: set[str] = set()
    for ids in summary.incidents["source_ids"].astype(str):
        used.update(i for i in ids.split(";") if i)
    used.update(summary.areas["best_source_id"].dropna().astype(str) if len(summary.areas)
                else [])
    src = dataset.sources[dataset.sources["source_id"].astype(str).isin(used)]
    lines = []
    for r in src.itertuples():
        date = pd.Timestamp(r.published).strftime("%Y-%m-%d") if pd.notna(r.published) else "n.d."
        title = str(r.title).split(" (")[0]
        lines.append(f"{r.source_id} {r.publisher}, '{title}' ({date})")
    return lines


def footer(summary: Summary, dataset: Dataset, max_sources: int | None = None, *,
           neighbours: bool = False) -> list[str]:
    """Footer lines: sources, how figures were chosen, what is not on the map, credits.

    With *max_sources*, a longer source list is cut there and says how many more
    sources there are and where they are listed. With *neighbours*, the credits name
    the source of the neighbouring countries drawn around the map.
    """
    src = source_lines(summary, dataset)
    n = len(src)
    if max_sources is not None and n > max_sources:
        more = n - max_sources
        src = [*src[:max_sources],
               f"and {more} more source{'s' if more > 1 else ''} (listed in sources.csv)"]
    lines = [f"Sources ({n}): " + "; ".join(src)]
    lines.append(f"Figures: {summary.policy.label}; every claim is kept in the data. "
                 "Filled symbols: the named town; hollow dashed: near a town or only the "
                 "district known; dark dotted rings: claimed only by militants (not "
                 "verified, never in a sum).")
    if n_off := len(summary.unresolved):
        lines.append(f"{n_off} incident{'s are' if n_off != 1 else ' is'} not on the map "
                     "(place not reported or not resolved); their figures are in the data.")
    credits = f"{ATTRIBUTION}; {NEIGHBOUR_ATTRIBUTION}" if neighbours else ATTRIBUTION
    lines.append(f"{credits}. {BOUNDARY_VINTAGE}.")
    return lines
