"""A JSON-ready view of a :class:`~geo.analysis.summary.Summary` (for ``geo summary --json``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from geo.dataset.schema import CATEGORIES

if TYPE_CHECKING:
    from geo.analysis.headline import Headline
    from geo.analysis.summary import Summary
    from geo.dataset.records import Dataset

__all__ = ["summary_to_dict"]

_STATS = ("best", "low", "high")


def _num(v: object) -> float | int | None:
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
        return None
    f = float(v)  # type: ignore[arg-type]
    return int(f) if f.is_integer() else f


def _day(v: object) -> str | None:
    return None if pd.isna(v) else pd.Timestamp(str(v)).strftime("%Y-%m-%d")


def _text(v: object) -> str | None:
    return v if isinstance(v, str) and v else None


def _figures(r: dict[str, Any]) -> dict[str, dict[str, object]]:
    """Per category with any figure: ``best/low/high``, who gives ``best`` (``class``)
    and the subgroup counted; categories without one are left out (never 0)."""
    return {cat: {**{s: _num(r[f"{cat}_{s}"]) for s in _STATS},
                  "class": _text(r[f"{cat}_class"]), "subgroup": _text(r[f"{cat}_subgroup"])}
            for cat in CATEGORIES if _num(r[f"{cat}_best"]) is not None
            or _num(r[f"{cat}_low"]) is not None}


def _headline(h: Headline) -> dict[str, object]:
    return {"figure": _num(h.best), "by": h.by or None, "area": h.area or None,
            "low": _num(h.low), "low_by": h.low_by or None, "high": _num(h.high),
            "high_by": h.high_by or None, "located": _num(h.located),
            "located_incidents": h.incidents, "unattributed": _num(h.unattributed),
            "comparison": h.comparison or None, "unlocated": _num(h.unlocated),
            "unlocated_incidents": h.unlocated_incidents, "militant_claim": _num(h.militant),
            "militant_claim_by": h.militant_by or None, "text": h.lines()}


def summary_to_dict(summary: Summary, dataset: Dataset | None = None) -> dict[str, object]:
    """A JSON-ready view: headlines, districts, area figures, per-category totals.

    A category without a figure is ``null`` or left out, never 0.

    Parameters
    ----------
    summary : Summary
    dataset : Dataset, optional
        Names the claimants in ``headlines`` (claim ids otherwise).

    Returns
    -------
    dict
        ``figure_policy``, ``filter`` (the dates, district, event types and sources
        asked for; null or empty: all), ``headlines`` (per category with any figure:
        the figure, who gives it and the extremes, located and unlocated parts,
        militant claims, and the ``text`` lines the dashboard shows), ``districts``
        (incident count and per category ``best/low/high``, the ``class`` of the
        claimant giving ``best`` and ``militant``, the sum of figures only militants
        give), ``unattributed`` (area figures with total, located and unattributed
        parts; ``compared`` says whether they were netted and ``comparison`` why;
        ``headline`` marks the widest period per area and category), ``totals`` (per
        category), ``unresolved`` (with their figures) and ``unknown_areas``.
    """
    from geo.analysis.headline import headlines

    districts = []
    for r in summary.districts.to_dict("records"):
        figs: dict[str, dict[str, object]] = {}
        for cat in CATEGORIES:
            one = {s: _num(r[f"{cat}_{s}"]) for s in _STATS}
            mil = _num(r[f"{cat}_militant"])
            if any(v is not None for v in one.values()) or mil is not None:
                figs[cat] = {**one, "militant": mil}
        districts.append({"district": r["district"], "district_pcode": r["district_pcode"],
                          "province": r["province"], "province_pcode": r["province_pcode"],
                          "incidents": int(r["incidents"]), "figures": figs})
    unattributed = [
        {"area": r["area"], "level": r["level"], "pcode": r["pcode"],
         "period_start": _day(r["period_start"]), "period_end": _day(r["period_end"]),
         "category": r["category"], "headline": bool(r["headline"]),
         "total": {s: _num(r[f"total_{s}"]) for s in _STATS},
         "located": {s: _num(r[f"located_{s}"]) for s in _STATS},
         "best_class": _text(r["best_class"]), "subgroup": _text(r["best_subgroup"]),
         "militant_high": _num(r["militant_high"]),
         "located_incidents": int(r["located_incidents"]),
         "located_militant_best": _num(r["located_militant_best"]),
         "compared": bool(r["compared"]), "comparison": r["comparison"],
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
            "unlocated": {s: _num(r[f"unlocated_{s}"]) for s in _STATS},
            "incidents_best": _num(r["incidents_best"]),
            "located_militant_best": _num(r["located_militant_best"]),
            "unlocated_militant_best": _num(r["unlocated_militant_best"]),
            "area_total": {s: _num(r[f"area_total_{s}"]) for s in _STATS},
            "area_militant_best": _num(r["area_militant_best"]),
            "compared": bool(r["compared"]),
            "unattributed_best": _num(r["unattributed_best"]),
            "total_best": _num(r["total_best"]),
            "incidents_with_figure": int(r["incidents_with_figure"]),
            "incidents_militant_only": int(r["incidents_militant_only"]),
            "unlocated_with_figure": int(r["unlocated_with_figure"]),
            "located_exceeds_area_total": bool(r["located_exceeds_area_total"]),
        }
        for r in summary.totals.to_dict("records")
    }
    unresolved = [{"incident_id": str(r["incident_id"]), "location": r["location"],
                   "admin1": r["admin1"], "admin2": r["admin2"], "reason": r["reason"],
                   "suggestions": r["suggestions"], "figures": _figures(r)}
                  for r in summary.unresolved.to_dict("records")]
    f = summary.filter
    return {
        "figure_policy": str(summary.policy),
        "filter": {"date_from": f.date_from and f.date_from.isoformat(),
                   "date_to": f.date_to and f.date_to.isoformat(), "district": f.district,
                   "event_types": list(f.event_types), "sources": list(f.sources)},
        "incidents": len(summary.incidents),
        "headlines": {h.category: _headline(h) for h in headlines(summary, dataset=dataset)},
        "districts": districts,
        "unattributed": unattributed,
        "totals": totals,
        "unresolved": unresolved,
        "unknown_areas": summary.unknown_areas,
    }
