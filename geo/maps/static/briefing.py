"""The words around a briefing map: title, subtitle, headline figures, sources, footer.

One place for them, so the static render (:mod:`geo.maps.static.render`), the dashboard's
briefing view and the CLI say the same thing for the same filters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from geo.analysis.summary import Summary
from geo.bundled import ATTRIBUTION, BOUNDARY_VINTAGE
from geo.dataset.records import Dataset
from geo.dataset.schema import CATEGORIES
from geo.maps.symbology import CATEGORY_LABELS

__all__ = ["Headline", "cutoff", "footer", "headlines", "period", "source_lines", "subtitle"]


@dataclass(frozen=True, slots=True)
class Headline:
    """One category's figure for the selection under the policy.

    Attributes
    ----------
    category, label : str
    best : float
        Located incidents plus what area-wide figures leave unattributed (the dashboard
        metric and ``python -m geo summary`` total).
    low, high : float
        The range across claims: of the area-wide total when there is one, else of the
        located incidents.
    located, unattributed : float
        The parts of ``best`` on the map and not (NaN when no area-wide figure).
    incidents : int
        Incidents with a figure in this category.
    by : str
        Who gives ``best``: ``"claimant, source"`` ("" when unknown or several).
    high_by : str
        Who gives ``high`` when it is above ``best`` ("" otherwise).
    """

    category: str
    label: str
    best: float
    low: float
    high: float
    located: float
    unattributed: float
    incidents: int = 0
    by: str = ""
    high_by: str = ""

    def according_to(self) -> list[str]:
        """``["per Pakistani officials (unnamed), S001", "highest 84: BLA (militant), S001"]``."""
        out = [f"per {self.by}"] if self.by else []
        if self.high_by:
            out.append(f"highest {self.high:,.0f}: {self.high_by}")
        return out

    def text(self) -> str:
        """``"18 (claims 18-31); 12 located in 2 incidents, 6 unattributed"``."""
        out = f"{self.best:,.0f}"
        if np.isfinite(self.low) and np.isfinite(self.high) and self.low != self.high:
            out += f" (claims {self.low:,.0f}–{self.high:,.0f})"
        out += f"; {self.located:,.0f} located"
        if self.incidents:
            out += f" in {self.incidents:,} incident{'s' if self.incidents > 1 else ''}"
        if np.isfinite(self.unattributed):
            out += f", {self.unattributed:,.0f} unattributed"
        return out


def _who(claim: Any) -> str:
    """``"Baloch Liberation Army (militant), S001"`` for a claim row."""
    mark = " (militant)" if claim.claimant_type == "militant" else ""
    return f"{claim.claimant}{mark}, {claim.source_id}"


def _sources_of(summary: Summary, dataset: Dataset, category: str, head: pd.DataFrame
                ) -> tuple[str, str]:
    """(who gives the headline figure, who gives a higher one) for one category."""
    claims = dataset.claims
    if len(head):  # an area-wide figure: its chosen claim, and the highest claim
        if len(head) > 1:
            return "", ""
        area = head.iloc[0]
        ids = set(str(area["claim_ids"]).split(";"))
        mine = claims[claims["claim_id"].astype(str).isin(ids)]
        best = mine[(mine["source_id"].astype(str) == str(area["best_source_id"]))
                    & (mine["claimant"].astype(str) == str(area["best_claimant"]))]
        top = mine.assign(_v=mine["value_max"].fillna(mine["value"])).sort_values(
            "_v", ascending=False, kind="stable")
        by = _who(best.iloc[0]) if len(best) else ""
        high = _who(top.iloc[0]) if len(top) and top["_v"].iloc[0] > area["total_best"] else ""
        return by, high
    # Located figures only: the claims that gave each incident its figure.
    inc = summary.incidents[["incident_id", f"{category}_best"]].dropna()
    mine = claims[(claims["category"].astype(str) == category)].merge(
        inc, on="incident_id")
    chosen = mine[mine["value"] == mine[f"{category}_best"]]
    if not len(chosen):
        return "", ""
    more = len(chosen) - 1
    by = _who(chosen.iloc[0]) + (f" and {more} more claim{'s' if more > 1 else ''}"
                                 if more else "")
    high = ""
    if len(inc) == 1:  # one incident: its highest claim, when above the figure
        top = mine.assign(_v=mine["value_max"].fillna(mine["value"])).sort_values(
            "_v", ascending=False, kind="stable")
        if top["_v"].iloc[0] > top[f"{category}_best"].iloc[0]:
            high = _who(top.iloc[0])
    return by, high


def headlines(summary: Summary, categories: tuple[str, ...] = CATEGORIES,
              dataset: Dataset | None = None) -> list[Headline]:
    """Headline figures of the categories that have any, in :data:`CATEGORIES` order.

    With *dataset*, each says who gives the figure and who claims a higher one.
    """
    areas = summary.areas
    head = areas[areas["headline"]] if len(areas) else areas
    out = []
    for row in summary.totals.itertuples():
        if row.category not in categories or not np.isfinite(row.total_best) or (
                row.incidents_with_figure == 0 and not np.isfinite(row.area_total_best)):
            continue  # no claim gives this category a figure in the selection
        mine = head[head["category"] == row.category] if len(head) else head
        if len(mine):
            low, high = float(mine["total_low"].sum()), float(mine["total_high"].sum())
        else:
            low, high = float(row.located_low), float(row.located_high)
        by, high_by = _sources_of(summary, dataset, str(row.category), mine) \
            if dataset is not None else ("", "")
        out.append(Headline(row.category, CATEGORY_LABELS[row.category], float(row.total_best),
                            low, high, float(row.located_best), float(row.unattributed_best),
                            int(row.incidents_with_figure), by, high_by))
    return out


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


def footer(summary: Summary, dataset: Dataset, max_sources: int | None = None) -> list[str]:
    """Footer lines: sources, how figures were chosen, what is not on the map, credits.

    With *max_sources*, a longer source list is cut there and says how many more
    sources there are and where they are listed.
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
                 "district known.")
    if len(summary.unresolved):
        lines.append(f"{len(summary.unresolved)} incidents are not on the map "
                     "(place not resolved).")
    lines.append(f"{ATTRIBUTION}. {BOUNDARY_VINTAGE}.")
    return lines
