"""A JSON-ready view of a :class:`~geo.analysis.summary.Summary` (for ``geo summary --json``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from geo.dataset.schema import CATEGORIES

if TYPE_CHECKING:
    from geo.analysis.summary import Summary

__all__ = ["summary_to_dict"]

_STATS = ("best", "low", "high")


def _num(v: object) -> float | int | None:
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
        return None
    f = float(v)  # type: ignore[arg-type]
    return int(f) if f.is_integer() else f


def _day(v: object) -> str | None:
    return None if pd.isna(v) else pd.Timestamp(str(v)).strftime("%Y-%m-%d")


def summary_to_dict(summary: Summary) -> dict[str, object]:
    """A JSON-ready view: districts, unattributed area figures, per-category totals.

    Returns
    -------
    dict
        ``figure_policy``, ``filter`` (the dates, district, event types and sources
        asked for; null or empty: all), ``districts`` (incident count and per category
        ``best/low/high``), ``unattributed`` (area figures with total, located and
        unattributed parts; ``headline`` marks the widest period per area and
        category), ``totals`` (per category), ``unresolved`` and ``unknown_areas``.
    """
    districts = []
    for r in summary.districts.to_dict("records"):
        figs = {cat: {s: _num(r[f"{cat}_{s}"]) for s in _STATS} for cat in CATEGORIES
                if any(_num(r[f"{cat}_{s}"]) is not None for s in _STATS)}
        districts.append({"district": r["district"], "district_pcode": r["district_pcode"],
                          "province": r["province"], "province_pcode": r["province_pcode"],
                          "incidents": int(r["incidents"]), "figures": figs})
    unattributed = [
        {"area": r["area"], "level": r["level"], "pcode": r["pcode"],
         "period_start": _day(r["period_start"]), "period_end": _day(r["period_end"]),
         "category": r["category"], "headline": bool(r["headline"]),
         "total": {s: _num(r[f"total_{s}"]) for s in _STATS},
         "located": {s: _num(r[f"located_{s}"]) for s in _STATS},
         "unattributed_best": _num(r["unattributed_best"]), "claims": int(r["n_claims"]),
         "claim_ids": r["claim_ids"].split(";"), "best_claimant": r["best_claimant"]
         if isinstance(r["best_claimant"], str) else None,
         "best_source_id": r["best_source_id"] if isinstance(r["best_source_id"], str)
         else None}
        for r in summary.areas.to_dict("records")
    ]
    totals = {
        r["category"]: {
            "located": {s: _num(r[f"located_{s}"]) for s in _STATS},
            "area_total_best": _num(r["area_total_best"]),
            "unattributed_best": _num(r["unattributed_best"]),
            "total_best": _num(r["total_best"]),
            "incidents_with_figure": int(r["incidents_with_figure"]),
            "located_exceeds_area_total": bool(r["located_exceeds_area_total"]),
        }
        for r in summary.totals.to_dict("records")
    }
    f = summary.filter
    return {
        "figure_policy": str(summary.policy),
        "filter": {"date_from": f.date_from and f.date_from.isoformat(),
                   "date_to": f.date_to and f.date_to.isoformat(), "district": f.district,
                   "event_types": list(f.event_types), "sources": list(f.sources)},
        "incidents": len(summary.incidents),
        "districts": districts,
        "unattributed": unattributed,
        "totals": totals,
        "unresolved": summary.unresolved.to_dict("records"),
        "unknown_areas": summary.unknown_areas,
    }
