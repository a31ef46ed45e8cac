"""Area-wide figures beside what is located in incidents, compared only when like.

A claim that covers a whole province or district for a period (an *area figure*) is
not an incident. For each one the summary shows the area total the claims give and
what located incidents inside that area and period add up to. The two are compared,
and the rest called *unattributed*, only when they count the same people the same way:

* the same category (the area rows are per category already);
* the same claimant class (:data:`~geo.dataset.schema.CLAIMANT_CLASSES`): the area's
  figure and every located figure it would be compared with come from the same class,
  so an official total is never netted against media counts, and a militant claim
  never against anything else;
* the same subgroup: a figure counting only "police officers" is never compared with
  figures of the whole category, or of another subgroup.

Otherwise both are shown side by side and nothing is subtracted. Where no located
incident has a figure at all, the whole area total is unattributed (nothing is
subtracted from it). Located sums never include figures only militants give; those
are summed apart (``located_militant_best``).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from geo.analysis.filter import Filter
from geo.dataset.policy import CLASSES
from geo.gazetteer.resolve import Gazetteer

__all__ = ["AREA_COLUMNS", "area_figures", "window_sums"]

_STATS = ("best", "low", "high")
_MILITANT = CLASSES.index("militant")

AREA_COLUMNS = [
    "area", "level", "pcode", "period_start", "period_end", "category", "headline",
    "total_best", "total_low", "total_high", "best_class", "best_subgroup",
    "militant_high", "located_best", "located_low", "located_high", "located_incidents",
    "located_militant_best", "located_militant_incidents", "compared", "comparison",
    "unattributed_best", "n_claims", "claim_ids", "best_claimant", "best_source_id",
    "best_claim_id", "low_claim_id", "high_claim_id", "militant_high_claim_id",
]
"""Columns of :attr:`Summary.areas <geo.analysis.summary.Summary.areas>`."""


def _unit_codes(s: pd.Series) -> tuple[pd.Index, np.ndarray]:
    """(units, code per row) for a pcode column; missing pcodes get a code of their own."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        codes = s.cat.codes.to_numpy().astype(np.int64)
        units = pd.Index([*s.cat.categories.astype(object), ""], dtype=object)
        return units, np.where(codes < 0, len(units) - 1, codes)
    text = s.astype(object).fillna("").to_numpy()
    units = pd.Index(pd.unique(text))
    return units, units.get_indexer(text).astype(np.int64)


def window_sums(a: pd.DataFrame, incidents: pd.DataFrame, keys: list[str],
                weights: Callable[..., np.ndarray]) -> np.ndarray:
    """Per area row, the sum of ``weights(*key values)`` over the incidents in its unit
    and period.

    Incident weights are summed per (unit, day) bin with ``bincount`` (no sort), once
    per admin level and distinct combination of the row *keys*; a row's sum is the
    difference of two cumulative sums over its unit's days.

    Parameters
    ----------
    a : pandas.DataFrame
        Area rows: ``level`` (district or province), ``pcode``, ``period_start``,
        ``period_end`` and the *keys* columns.
    incidents : pandas.DataFrame
        ``event_date``, ``district_pcode``, ``province_pcode``.
    keys : list of str
        Columns of *a* whose values choose the weights.
    weights : callable
        ``weights(*values) -> float array`` over *incidents*.

    Returns
    -------
    numpy.ndarray
        One float per row of *a* (0 where no incident falls in it).
    """
    out = np.zeros(len(a))
    if a.empty or incidents.empty:
        return out
    day = incidents["event_date"].to_numpy(dtype="datetime64[D]").astype(np.int64)
    base = int(day.min())
    span = int(day.max()) - base + 2  # a last empty day per unit: end-of-period bound
    for level in a["level"].unique():
        col = "province_pcode" if level == "province" else "district_pcode"
        units, codes = _unit_codes(incidents[col])
        key = codes * span + (day - base)
        rows = np.flatnonzero((a["level"] == level).to_numpy())
        sel = a.iloc[rows]
        u = units.get_indexer(sel["pcode"].astype(object)).astype(np.int64)
        start, end = (sel[c].to_numpy(dtype="datetime64[D]").astype(np.int64) - base
                      for c in ("period_start", "period_end"))
        # cs[k] = sum of the bins before k; a row sums bins unit*span + [start, end]
        lo = u * span + np.clip(start, 0, span - 1)
        hi = u * span + np.clip(end, -1, span - 1) + 1
        combos = pd.Series(list(zip(*(sel[k].astype(object).to_numpy() for k in keys),
                                    strict=True)), dtype=object)
        which, distinct = pd.factorize(combos)
        for k, combo in enumerate(distinct):
            mine = (which == k) & (u >= 0)
            if not mine.any():
                continue
            bins = np.bincount(key, weights=weights(*combo), minlength=len(units) * span)
            cs = np.concatenate([[0.0], np.cumsum(bins)])
            out[rows[mine]] = cs[hi[mine]] - cs[lo[mine]]
    return out


def _located(a: pd.DataFrame, incidents: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per area row: located sums (non-militant and militant apart), and how many
    located figures are like the area's (same class and subgroup) and unlike it."""
    arrays: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    def of(cat: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(best, has a figure not only militants give, only militants give it)."""
        if cat not in arrays:
            best = incidents[f"{cat}_best"].to_numpy(dtype=float)
            klass = incidents[f"{cat}_class"].cat.codes.to_numpy()
            has = ~np.isnan(best)
            arrays[cat] = (best, has & (klass != _MILITANT), has & (klass == _MILITANT))
        return arrays[cat]

    def nonmil(cat: str, stat: str) -> np.ndarray:
        ok = of(cat)[1]
        if stat == "n":
            return ok.astype(float)
        return np.where(ok, incidents[f"{cat}_{stat}"].to_numpy(dtype=float), 0.0)

    def mil(cat: str, stat: str) -> np.ndarray:
        best, _, ok = of(cat)
        return ok.astype(float) if stat == "n" else np.where(ok, best, 0.0)

    def like(cat: str, klass: object, subgroup: object, stat: str) -> np.ndarray:
        best = of(cat)[0]
        want = CLASSES.index(str(klass)) if isinstance(klass, str) else -2
        sub = incidents[f"{cat}_subgroup"]
        groups = sub.cat.categories
        text = str(subgroup) if isinstance(subgroup, str) else ""
        code = groups.get_loc(text) if text in groups else -2
        same = ((incidents[f"{cat}_class"].cat.codes.to_numpy() == want)
                & (sub.cat.codes.to_numpy() == code) & ~np.isnan(best))
        return same.astype(float) if stat == "n" else np.where(same, best, 0.0)

    out: dict[str, np.ndarray] = {}
    for stat in (*_STATS, "n"):
        out[f"located_{stat}"] = window_sums(a, incidents, ["category"],
                                             lambda c, s=stat: nonmil(c, s))
    for stat in ("best", "n"):
        out[f"militant_{stat}"] = window_sums(a, incidents, ["category"],
                                              lambda c, s=stat: mil(c, s))
        out[f"like_{stat}"] = window_sums(
            a, incidents, ["category", "best_class", "best_subgroup"],
            lambda c, k, g, s=stat: like(c, k, g, s))
    return out


def _comparison(a: pd.DataFrame, got: dict[str, np.ndarray]) -> tuple[np.ndarray, list[str]]:
    """(compared, reason) per area row."""
    any_n = got["located_n"] + got["militant_n"]
    unlike = any_n - got["like_n"]
    has_total = a["total_best"].notna().to_numpy()
    compared = has_total & (got["like_n"] > 0) & (unlike == 0)
    reasons = []
    for i, (klass, sub) in enumerate(zip(a["best_class"].astype(object),
                                         a["best_subgroup"].astype(object), strict=True)):
        if not has_total[i]:
            reasons.append("no area-wide figure under this policy")
        elif any_n[i] == 0:
            reasons.append("nothing located: the whole area figure is unattributed")
        elif compared[i]:
            reasons.append("compared: the same claimant class and the same people")
        elif isinstance(sub, str) and sub:
            reasons.append(f"not compared: the area figure counts only {sub}")
        elif got["militant_n"][i] and klass != "militant":
            reasons.append("not compared: some located figures are militant claims")
        else:
            reasons.append(f"not compared: the area figure is from {klass} claimants, "
                           "located figures from others")
    return compared, reasons


def area_figures(figs: pd.DataFrame, incidents: pd.DataFrame, gazetteer: Gazetteer,
                 view: Filter) -> tuple[pd.DataFrame, list[str]]:
    """The area rows of :func:`~geo.dataset.policy.scope_figures` inside the filter,
    beside what is located in them.

    Parameters
    ----------
    figs : pandas.DataFrame
        Scope figures under the filter's policy.
    incidents : pandas.DataFrame
        Located incidents inside the filter, with per-category ``_best/_low/_high``,
        ``_class`` and ``_subgroup`` (:func:`~geo.analysis.summary.incident_figures`).
    gazetteer : Gazetteer
        Names the areas.
    view : Filter
        Dates and district.

    Returns
    -------
    (pandas.DataFrame, list of str)
        Rows in :data:`AREA_COLUMNS` (``headline`` marks the widest period per area
        and category), and the area names that match no district or province.
    """
    lo, hi = view.window
    unit = view.unit(gazetteer)
    a = figs[figs["scope"] == "area"].copy()
    a["area"] = a["area"].astype(object)  # may be categorical: map only present names
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
    a = a.rename(columns={"best": "total_best", "low": "total_low", "high": "total_high"})
    got = _located(a, incidents)
    for stat in _STATS:
        a[f"located_{stat}"] = np.where(got["located_n"] > 0, got[f"located_{stat}"], np.nan)
    a["located_incidents"] = got["located_n"].astype(int)
    a["located_militant_best"] = np.where(got["militant_n"] > 0, got["militant_best"],
                                          np.nan)
    a["located_militant_incidents"] = got["militant_n"].astype(int)
    compared, reasons = _comparison(a, got)
    a["compared"] = compared
    a["comparison"] = reasons
    nothing = (got["located_n"] + got["militant_n"]) == 0
    a["unattributed_best"] = np.where(compared, a["total_best"] - got["like_best"],
                                      np.where(nothing, a["total_best"], np.nan))
    span = (pd.to_datetime(a["period_end"]) - pd.to_datetime(a["period_start"])).dt.days
    a = a.assign(_span=span).sort_values(["area", "category", "_span", "period_end"],
                                         ascending=[True, True, False, False])
    a["headline"] = ~a.duplicated(["area", "category"])
    return a[AREA_COLUMNS].reset_index(drop=True), unknown
