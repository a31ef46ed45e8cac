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

from geo.analysis.filter import Filter
from geo.analysis.locate import Located, locate_incidents
from geo.dataset.policy import Policy, scope_figures
from geo.dataset.records import Dataset
from geo.dataset.schema import CATEGORIES
from geo.gazetteer.resolve import Gazetteer
from geo.io.tables import index_in

__all__ = ["Summary", "incident_figures", "summarise"]

_STATS = ("best", "low", "high")


@dataclass
class Summary:
    """Everything the summary, the exports and the dashboard show.

    Attributes
    ----------
    filter : Filter
        What was asked for: dates, district, event types, sources, figure policy.
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
        Incidents that could not be located, under the same date, type and source
        filters (a district filter keeps those whose admin hint names it).
    unknown_areas : list of str
        Area names in claims that match no district or province.
    """

    filter: Filter
    incidents: gpd.GeoDataFrame
    districts: pd.DataFrame
    areas: pd.DataFrame
    totals: pd.DataFrame
    unresolved: pd.DataFrame
    unknown_areas: list[str]

    @property
    def policy(self) -> Policy:
        """The figure policy of :attr:`filter`."""
        return self.filter.policy


def incident_figures(located: gpd.GeoDataFrame, figures: pd.DataFrame) -> gpd.GeoDataFrame:
    """Add per-category ``_best/_low/_high/_n`` columns to located incidents."""
    mine = (figures["scope"] == "incident").to_numpy()
    pos = _positions(figures["incident_id"][mine], located["incident_id"])
    inside = pos >= 0
    # Category codes (integers), not an object compare per figure and category.
    category = figures["category"]
    if isinstance(category.dtype, pd.CategoricalDtype):
        cat = category.cat.codes.to_numpy()[mine]
        want = category.cat.categories.get_indexer(list(CATEGORIES))
    else:
        cat = pd.Index(list(CATEGORIES)).get_indexer(category.to_numpy(dtype=object)[mine])
        want = np.arange(len(CATEGORIES))
    stats = {"best": "best", "low": "low", "high": "high", "n_claims": "n"}
    given = {stat: figures[stat].to_numpy(dtype=float)[mine] for stat in stats}
    n = len(located)
    names = [f"{c}_{name}" for c in CATEGORIES for name in stats.values()]
    # One float block filled in place: no per-column frames to consolidate.
    block = np.full((len(names), n), np.nan)  # a row per column: contiguous
    j = 0
    for code in want:
        hit = inside & (cat == code) if code >= 0 else np.zeros(len(cat), dtype=bool)
        rows = pos[hit]
        for stat, name in stats.items():
            if name == "n":
                block[j] = 0
            block[j, rows] = given[stat][hit]
            j += 1
    extra = pd.DataFrame(block.T, columns=names, index=located.index, copy=False)
    counts = [f"{c}_n" for c in CATEGORIES]
    extra[counts] = extra[counts].astype(int)
    out = located.drop(columns=[c for c in names if c in located.columns])
    return gpd.GeoDataFrame(pd.concat([out, extra], axis=1), geometry=located.geometry.name,
                            crs=located.crs)


def _positions(keys: pd.Series, index: pd.Series) -> np.ndarray:
    """Row of each key in *index* (-1 when absent).

    When both share one categorical dtype (ids typed by :mod:`geo.dataset.records`), the
    codes are joined as integers; otherwise the text is hashed in C.
    """
    kd, idd = keys.dtype, index.dtype
    if (isinstance(kd, pd.CategoricalDtype) and isinstance(idd, pd.CategoricalDtype)
            and kd.categories is idd.categories):
        where = np.full(len(kd.categories) + 1, -1, dtype=np.int64)  # code -1 -> last
        where[index.cat.codes.to_numpy()] = np.arange(len(index))
        return where[keys.cat.codes.to_numpy()]
    return index_in(keys, index)


def _unresolved(dataset: Dataset, located: Located, gazetteer: Gazetteer,
                view: Filter) -> pd.DataFrame:
    """Unresolved incidents under the same filter as the located ones
    (:meth:`Filter.keep_unresolved <geo.analysis.filter.Filter.keep_unresolved>`)."""
    un = located.unresolved
    if not len(un):
        return un
    inc = dataset.incidents
    # Each unresolved incident's row among the dataset's (integer codes when the ids
    # share one categorical dtype, as read_dataset types them).
    pos = _positions(un["incident_id"], inc["incident_id"])
    info = inc[["event_date", "event_type", "source_ids"]].iloc[np.maximum(pos, 0)]
    info = info.reset_index(drop=True)
    if (pos < 0).any():  # a located set from other data: nothing to filter these on
        info = info.where(pd.Series(pos >= 0), None)
    rows = pd.concat([un.reset_index(drop=True).assign(
        incident_id=un["incident_id"].astype(str).to_numpy()), info], axis=1)
    keep = view.keep_unresolved(rows, gazetteer)
    out = un[keep] if not keep.all() else un
    return out.reset_index(drop=True)


def _unit_codes(s: pd.Series) -> tuple[pd.Index, np.ndarray]:
    """(units, code per row) for a pcode column; missing pcodes get a code of their own."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        codes = s.cat.codes.to_numpy().astype(np.int64)
        units = pd.Index([*s.cat.categories.astype(object), ""], dtype=object)
        return units, np.where(codes < 0, len(units) - 1, codes)
    text = s.astype(object).fillna("").to_numpy()
    units = pd.Index(pd.unique(text))
    return units, units.get_indexer(text).astype(np.int64)


def _by_unit(incidents: pd.DataFrame, keys: list[str], figs: list[str]) -> pd.DataFrame:
    """Incident count and figure sums per combination of the *keys* (a figure no
    incident has stays missing, not 0), ordered as ``groupby(keys, dropna=False)``
    orders categoricals: by category code, missing last. Categorical keys (as
    :func:`~geo.analysis.locate.locate_incidents` makes them) are combined as integer codes and
    summed with ``bincount``; other keys go through pandas."""
    if not len(incidents):
        return pd.DataFrame(columns=[*keys, "incidents", *figs])
    if not all(isinstance(incidents[k].dtype, pd.CategoricalDtype) for k in keys):
        grouped = pd.DataFrame(incidents[[*keys, *figs]]).groupby(keys, dropna=False)
        sums = grouped[figs].sum(min_count=1)
        sums.insert(0, "incidents", grouped.size())
        return sums.reset_index()
    combined = np.zeros(len(incidents), dtype=np.int64)
    for k in keys:
        codes, n = incidents[k].cat.codes.to_numpy(), len(incidents[k].cat.categories)
        combined = combined * (n + 1) + np.where(codes < 0, n, codes)  # missing: last
    inv, uniq = pd.factorize(combined)
    rank = np.empty(len(uniq), dtype=np.int64)
    rank[np.argsort(uniq)] = np.arange(len(uniq))
    group, ordered = rank[inv], np.sort(uniq)
    out: dict[str, Any] = {}
    for k in reversed(keys):  # peel the codes off, last key first
        dtype = incidents[k].dtype
        n = len(dtype.categories)
        codes = ordered % (n + 1)
        ordered = ordered // (n + 1)
        out[k] = pd.Categorical.from_codes(np.where(codes == n, -1, codes), dtype=dtype)
    table = pd.DataFrame({k: out[k] for k in keys})
    table["incidents"] = np.bincount(group, minlength=len(uniq))
    for f in figs:
        v = incidents[f].to_numpy(dtype=float)
        ok = ~np.isnan(v)
        total = np.bincount(group, weights=np.where(ok, v, 0.0), minlength=len(uniq))
        seen = np.bincount(group, weights=ok, minlength=len(uniq))
        table[f] = np.where(seen > 0, total, np.nan)
    return table


def _range_sums(a: pd.DataFrame, incidents: gpd.GeoDataFrame) -> dict[str, np.ndarray]:
    """Per area row and statistic: sum of incident figures in its unit and period.

    Incident figures are summed per (unit, day) bin with ``bincount`` (no sort), once
    per admin level, category and statistic; a row's sum is the difference of two
    cumulative sums over its unit's days.
    """
    out = {stat: np.zeros(len(a)) for stat in _STATS}
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
        cats = sel["category"].to_numpy(dtype=object)
        for cat in pd.unique(cats):
            mine = (cats == cat) & (u >= 0)
            for stat in _STATS:
                values = np.nan_to_num(incidents[f"{cat}_{stat}"].to_numpy(dtype=float))
                bins = np.bincount(key, weights=values, minlength=len(units) * span)
                cs = np.concatenate([[0.0], np.cumsum(bins)])
                out[stat][rows[mine]] = cs[hi[mine]] - cs[lo[mine]]
    return out


def _areas(figs: pd.DataFrame, incidents: gpd.GeoDataFrame, gazetteer: Gazetteer,
           view: Filter) -> tuple[pd.DataFrame, list[str]]:
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
    for stat, values in _range_sums(a, incidents).items():
        a[f"located_{stat}"] = values
    a = a.rename(columns={"best": "total_best", "low": "total_low", "high": "total_high"})
    a["unattributed_best"] = a["total_best"] - a["located_best"]
    span = (pd.to_datetime(a["period_end"]) - pd.to_datetime(a["period_start"])).dt.days
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


def summarise(dataset: Dataset, gazetteer: Gazetteer, view: Filter | None = None, *,
              located: Located | None = None, figures: pd.DataFrame | None = None
              ) -> Summary:
    """Locate, filter and summarise a dataset under a figure policy.

    Parameters
    ----------
    dataset : Dataset
        From :func:`geo.dataset.records.read_dataset`.
    gazetteer : Gazetteer
        For place names, admin areas and boundaries.
    view : Filter, optional
        Dates, district, event types, sources and figure policy (default: everything,
        lowest figures).
    located : Located, optional
        Reuse an earlier :func:`~geo.analysis.locate.locate_incidents` result.
    figures : pandas.DataFrame, optional
        Reuse an earlier :func:`~geo.dataset.policy.scope_figures` result for the
        filter's policy (see :class:`geo.analysis.analysed.Analysis`, which caches
        both); the policy is then not checked against the dataset again.

    Returns
    -------
    Summary

    Raises
    ------
    geo.errors.PolicyError
        When the policy names a source or claimant the dataset lacks.
    geo.errors.FilterError
        When the filter's district names no district or province.
    """
    view = view or Filter()
    pol = view.policy
    if figures is None:  # given figures were computed (and the policy checked) already
        pol.check(dataset.claims, dataset.sources["source_id"])
        figures = scope_figures(dataset.claims, pol)
    located = located or locate_incidents(dataset.incidents, gazetteer)
    inc = located.incidents
    keep = view.keep_located(inc, gazetteer)
    incidents = incident_figures(inc if keep.all() else inc[keep], figures)
    areas, unknown = _areas(figures, incidents, gazetteer, view)
    keys = ["district", "district_pcode", "province", "province_pcode"]
    columns = [f"{cat}_{stat}" for cat in CATEGORIES for stat in _STATS]
    districts = _by_unit(incidents, keys, columns)
    return Summary(view, incidents, districts, areas, _totals(incidents, areas),
                   _unresolved(dataset, located, gazetteer, view), unknown)
