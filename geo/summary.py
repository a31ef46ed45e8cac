"""District summaries and the located/unattributed split, under a figure policy.

Figures that cover a whole province or district are not incidents. For each area
figure (a scope: area + period + category) the summary reports the total the claims
give, how much of it is located in named incidents inside that area and period, and
the rest, unattributed. Where several periods are reported for one area and category
(41 militants on Friday, 92 on Saturday, 145 over 40 hours), the widest period inside
the date filter is the *headline*; the others stay listed as stated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.figures import Policy, scope_figures
from geo.gazetteer import Gazetteer
from geo.locate import Located, locate_incidents
from geo.records import Dataset
from geo.schema import CATEGORIES

__all__ = ["Summary", "incident_figures", "summarise", "summary_to_dict"]

_STATS = ("best", "low", "high")


@dataclass
class Summary:
    """Everything the summary, the exports and the dashboard show.

    Attributes
    ----------
    policy : Policy
    incidents : geopandas.GeoDataFrame
        Located incidents inside the filters, with ``{category}_best/_low/_high/_n``.
    districts : pandas.DataFrame
        Per district with incidents: ``district, district_pcode, province,
        province_pcode, incidents`` and per-category ``_best/_low/_high``.
    areas : pandas.DataFrame
        Area figures: ``area, level, pcode, period_start, period_end, category,
        headline, total_best/_low/_high, located_best/_low/_high, unattributed_best,
        n_claims, claim_ids, best_claimant, best_source_id``.
    totals : pandas.DataFrame
        Per category: located (incidents on the map) and unattributed (headline area
        figures minus what is located in them) for the policy.
    unresolved : pandas.DataFrame
        Incidents that could not be located.
    unknown_areas : list of str
        Area names in claims that match no district or province.
    """

    policy: Policy
    incidents: gpd.GeoDataFrame
    districts: pd.DataFrame
    areas: pd.DataFrame
    totals: pd.DataFrame
    unresolved: pd.DataFrame
    unknown_areas: list[str]


def incident_figures(located: gpd.GeoDataFrame, figures: pd.DataFrame) -> gpd.GeoDataFrame:
    """Add per-category ``_best/_low/_high/_n`` columns to located incidents."""
    inc = figures[figures["scope"] == "incident"]
    wide = (inc.set_index(["incident_id", "category"])[["best", "low", "high", "n_claims"]]
            .unstack("category"))
    wide = wide.reindex(located["incident_id"].to_numpy())
    out = located.copy()
    for cat in CATEGORIES:
        for stat, name in (("best", "best"), ("low", "low"), ("high", "high"),
                           ("n_claims", "n")):
            col = (stat, cat)
            values = (wide[col].to_numpy(dtype=float) if col in wide.columns
                      else np.full(len(out), np.nan))
            out[f"{cat}_{name}"] = values
        out[f"{cat}_n"] = np.nan_to_num(out[f"{cat}_n"].to_numpy()).astype(int)
    return out


def _filter(located: Located, gazetteer: Gazetteer, date_from: str | None,
            date_to: str | None, district: str | None) -> tuple[gpd.GeoDataFrame, tuple]:
    inc = located.incidents
    lo = pd.Timestamp(date_from) if date_from else pd.Timestamp.min
    hi = pd.Timestamp(date_to) if date_to else pd.Timestamp.max
    keep = (inc["event_date"] >= lo) & (inc["event_date"] <= hi)
    unit = None
    if district:
        unit = gazetteer.admin_unit(district)
        if unit is None:
            raise ValueError(f"unknown district or province {district!r}")
        col = "district_pcode" if unit[0] == "district" else "province_pcode"
        keep &= inc[col] == unit[2]
    return inc[keep], (lo, hi, unit)


def _range_sums(a: pd.DataFrame, incidents: gpd.GeoDataFrame, stat: str) -> np.ndarray:
    """Per area row: sum of incident figures in its unit and period (cumulative sums)."""
    out = np.zeros(len(a))
    if a.empty or incidents.empty:
        return out
    days = incidents["event_date"].to_numpy(dtype="datetime64[D]")
    for (level, cat), rows in a.groupby(["level", "category"]).groups.items():
        col = "province_pcode" if level == "province" else "district_pcode"
        values = incidents[f"{cat}_{stat}"].to_numpy(dtype=float)
        frame = pd.DataFrame({"unit": incidents[col].to_numpy(), "day": days,
                              "v": np.nan_to_num(values)}).sort_values(["unit", "day"])
        for unit, grp in frame.groupby("unit", sort=False):
            sel = a.loc[rows]
            sel = sel[sel["pcode"] == unit]
            if sel.empty:
                continue
            d = grp["day"].to_numpy()
            cs = np.concatenate([[0.0], np.cumsum(grp["v"].to_numpy())])
            lo = np.searchsorted(d, sel["period_start"].to_numpy(dtype="datetime64[D]"), "left")
            hi = np.searchsorted(d, sel["period_end"].to_numpy(dtype="datetime64[D]"), "right")
            out[sel.index.to_numpy()] = cs[hi] - cs[lo]
    return out


def _areas(figs: pd.DataFrame, incidents: gpd.GeoDataFrame, gazetteer: Gazetteer,
           window: tuple) -> tuple[pd.DataFrame, list[str]]:
    lo, hi, unit = window
    a = figs[figs["scope"] == "area"].copy()
    found = {name: gazetteer.admin_unit(name) for name in a["area"].unique()}
    unknown = sorted(n for n, u in found.items() if u is None)
    units = {n: u for n, u in found.items() if u is not None}
    a = a[a["area"].isin(list(units))]
    a["level"] = a["area"].map(lambda n: units[n][0])
    a["pcode"] = a["area"].map(lambda n: units[n][2])
    a = a[(a["period_start"] >= lo) & (a["period_end"] <= hi)]
    if unit is not None:  # keep areas inside the filtered unit
        a = a[a["pcode"].str.startswith(unit[2]) & (a["level"] != "province")
              if unit[0] == "district" else a["pcode"].str.startswith(unit[2])]
    a = a.reset_index(drop=True)
    for stat in _STATS:
        a[f"located_{stat}"] = _range_sums(a, incidents, stat)
    a = a.rename(columns={"best": "total_best", "low": "total_low", "high": "total_high"})
    a["unattributed_best"] = a["total_best"] - a["located_best"]
    span = (a["period_end"] - a["period_start"]).dt.days
    a = a.assign(_span=span).sort_values(["area", "category", "_span", "period_end"],
                                         ascending=[True, True, False, False])
    a["headline"] = ~a.duplicated(["area", "category"])
    cols = ["area", "level", "pcode", "period_start", "period_end", "category", "headline",
            "total_best", "total_low", "total_high", "located_best", "located_low",
            "located_high", "unattributed_best", "n_claims", "claim_ids", "best_claimant",
            "best_source_id"]
    return a[cols].reset_index(drop=True), unknown


def _totals(incidents: gpd.GeoDataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    head = areas[areas["headline"]]
    # A district figure inside a province that has its own headline is already counted
    # (OCHA P-codes are hierarchical: district PK205 lies in province PK2).
    prov = set(head.loc[head["level"] == "province", ["pcode", "category"]]
               .itertuples(index=False, name=None))
    nested = np.array([lvl == "district" and (pc[:3], cat) in prov for lvl, pc, cat in
                       zip(head["level"], head["pcode"], head["category"], strict=True)],
                      dtype=bool)
    top = head[~nested]
    rows = []
    for cat in CATEGORIES:
        t = top[top["category"] == cat]
        row: dict[str, Any] = {
            "category": cat, "incidents_with_figure": int(incidents[f"{cat}_best"].notna().sum())}
        for stat in _STATS:
            row[f"located_{stat}"] = float(incidents[f"{cat}_{stat}"].sum())
        # No qualifying area claim under the policy: the total stays missing, not 0.
        row["area_total_best"] = float(t["total_best"].sum(min_count=1))
        row["unattributed_best"] = float(t["unattributed_best"].clip(lower=0).sum(min_count=1))
        row["located_exceeds_area_total"] = bool((t["unattributed_best"] < 0).any())
        unattributed = row["unattributed_best"]
        row["total_best"] = row["located_best"] + (0.0 if np.isnan(unattributed)
                                                   else unattributed)
        rows.append(row)
    return pd.DataFrame(rows)


def summarise(
    dataset: Dataset,
    gazetteer: Gazetteer,
    policy: Policy | str = "lowest",
    *,
    date_from: str | None = None,
    date_to: str | None = None,
    district: str | None = None,
    located: Located | None = None,
) -> Summary:
    """Locate, filter and summarise a dataset under a figure policy.

    Parameters
    ----------
    dataset : Dataset
        From :func:`geo.records.load_dataset`.
    gazetteer : Gazetteer
        For place names, admin areas and boundaries.
    policy : Policy or str
        ``official``, ``lowest`` (default), ``highest``, ``source:ID``,
        ``claimant:NAME``.
    date_from, date_to : str, optional
        Inclusive YYYY-MM-DD bounds on incident dates and area-figure periods.
    district : str, optional
        Keep one district (or province).
    located : Located, optional
        Reuse an earlier :func:`~geo.locate.locate_incidents` result.

    Returns
    -------
    Summary
    """
    pol = policy if isinstance(policy, Policy) else Policy.parse(policy)
    located = located or locate_incidents(dataset.incidents, gazetteer)
    figs = scope_figures(dataset.claims, pol)
    incidents, window = _filter(located, gazetteer, date_from, date_to, district)
    incidents = incident_figures(incidents, figs)
    areas, unknown = _areas(figs, incidents, gazetteer, window)
    agg: dict[str, tuple[str, Any]] = {"incidents": ("incident_id", "size")}
    for cat in CATEGORIES:
        for stat in _STATS:
            agg[f"{cat}_{stat}"] = (f"{cat}_{stat}", lambda s: s.sum(min_count=1))
    keys = ["district", "district_pcode", "province", "province_pcode"]
    districts = (incidents.groupby(keys, dropna=False).agg(**agg).reset_index()
                 if len(incidents) else pd.DataFrame(columns=[*keys, *agg]))
    return Summary(pol, incidents, districts, areas, _totals(incidents, areas),
                   located.unresolved, unknown)


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
        ``figure_policy``, ``districts`` (incident count and per category
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
    return {
        "figure_policy": str(summary.policy),
        "incidents": len(summary.incidents),
        "districts": districts,
        "unattributed": unattributed,
        "totals": totals,
        "unresolved": summary.unresolved.to_dict("records"),
        "unknown_areas": summary.unknown_areas,
    }
