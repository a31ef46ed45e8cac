"""District summaries and headline totals under a figure policy.

Every number here is a figure with its claims, or missing: a category no claim gives
stays missing (NaN, ``null`` in JSON), never 0. Located incidents are summed per
district and in total, leaving out figures only militants give (they are summed
apart and always marked). Area-wide figures (a province over a period) stand beside
what is located and are netted against it only when both count the same people under
the same claimant class (:mod:`geo.analysis.areas`). Where several periods are reported
for one area and category (41 militants on Friday, 92 on Saturday, 145 over 40 hours),
the widest period inside the date filter is the *headline*; the others stay listed as
stated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.analysis.areas import area_figures
from geo.analysis.filter import Filter
from geo.analysis.locate import Located, locate_incidents
from geo.dataset.policy import CLASSES, Policy, scope_figures
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
        Located incidents inside the filters, with per category
        ``{category}_best/_low/_high/_n`` (see :func:`incident_figures`), ``_class``
        (who gives ``best``: official, militant or other) and ``_subgroup``.
    districts : pandas.DataFrame
        Per district with incidents: ``district, district_pcode, province,
        province_pcode, incidents`` and per category ``_best/_low/_high`` (sums of
        the figures not only militants give; missing when none) and ``_militant``
        (the sum of figures only militants give).
    areas : pandas.DataFrame
        Area figures beside what is located in them (:data:`~geo.analysis.areas.AREA_COLUMNS`).
    totals : pandas.DataFrame
        Per category (see :func:`_totals`): located, unlocated, militant-only and
        area-wide figures, the headline and whether anything was netted.
    unresolved : pandas.DataFrame
        Incidents that could not be located, under the same date, type and source
        filters (a district filter keeps those whose admin hint names it), with the
        same per-category figure columns as :attr:`incidents`: their figures are kept.
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


def incident_figures(frame: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """Add per-category figure columns to incidents (located or not).

    Parameters
    ----------
    frame : pandas.DataFrame or geopandas.GeoDataFrame
        Incidents with ``incident_id``.
    figures : pandas.DataFrame
        :func:`~geo.dataset.policy.scope_figures` under the policy.

    Returns
    -------
    pandas.DataFrame or geopandas.GeoDataFrame
        *frame* (same type) plus per category C: ``C_best, C_low, C_high`` (NaN when
        no claim), ``C_n`` (claims), ``C_class`` (categorical of
        :data:`~geo.dataset.policy.CLASSES`: who gives ``C_best``) and ``C_subgroup``
        (categorical; "" for the whole category).
    """
    mine = (figures["scope"] == "incident").to_numpy()
    pos = _positions(figures["incident_id"][mine], frame["incident_id"])
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
    klass = pd.Categorical(figures["best_class"], categories=list(CLASSES)).codes[mine]
    sub = pd.Series(figures["best_subgroup"], dtype="category")
    sub_codes, sub_values = sub.cat.codes.to_numpy()[mine], sub.cat.categories
    n = len(frame)
    names = [f"{c}_{name}" for c in CATEGORIES for name in stats.values()]
    # One float block filled in place: no per-column frames to consolidate.
    block = np.full((len(names), n), np.nan)  # a row per column: contiguous
    labels: dict[str, pd.Categorical] = {}
    j = 0
    for c, code in zip(CATEGORIES, want, strict=True):
        hit = inside & (cat == code) if code >= 0 else np.zeros(len(cat), dtype=bool)
        rows = pos[hit]
        for stat, name in stats.items():
            if name == "n":
                block[j] = 0
            block[j, rows] = given[stat][hit]
            j += 1
        codes = np.full(n, -1, dtype=np.int8)
        codes[rows] = klass[hit]
        labels[f"{c}_class"] = pd.Categorical.from_codes(codes, categories=list(CLASSES),
                                                         validate=False)
        codes = np.full(n, -1, dtype=np.int64)
        codes[rows] = sub_codes[hit]
        labels[f"{c}_subgroup"] = pd.Categorical.from_codes(codes, categories=sub_values,
                                                            validate=False)
    floats = pd.DataFrame(block.T, columns=names, index=frame.index, copy=False)
    counts = [f"{c}_n" for c in CATEGORIES]
    floats[counts] = floats[counts].astype(int)
    labelled = pd.DataFrame(labels, index=frame.index)  # categoricals: codes, no copies
    out = frame.drop(columns=[c for c in [*names, *labels] if c in frame.columns])
    joined = pd.concat([out, floats, labelled], axis=1)
    if isinstance(frame, gpd.GeoDataFrame):
        return gpd.GeoDataFrame(joined, geometry=frame.geometry.name, crs=frame.crs)
    return joined


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


def _split_militant(incidents: pd.DataFrame) -> pd.DataFrame:
    """Per category ``_best/_low/_high`` of the figures not only militants give (others
    missing) and ``_militant``, the figures only militants give: the columns summed.
    A category no militant figure is in keeps its columns as they are (no copies)."""
    cols: dict[str, Any] = {}
    none = np.full(len(incidents), np.nan)
    for cat in CATEGORIES:
        klass = incidents[f"{cat}_class"]
        mil = (klass.cat.codes == CLASSES.index("militant")).to_numpy()
        some = bool(mil.any())
        for stat in _STATS:
            v = incidents[f"{cat}_{stat}"].to_numpy(dtype=float)
            cols[f"{cat}_{stat}"] = np.where(mil, np.nan, v) if some else v
        cols[f"{cat}_militant"] = np.where(mil, incidents[f"{cat}_best"].to_numpy(float),
                                           np.nan) if some else none
    return pd.DataFrame(cols, index=incidents.index, copy=False)


def _sum(values: pd.Series) -> float:
    """The sum of the figures given; NaN (no figure) when none is, never 0."""
    v = np.asarray(values, dtype=float)
    given = v[~np.isnan(v)]
    return float(given.sum()) if len(given) else np.nan


def _totals(here: pd.DataFrame, unlocated: pd.DataFrame,
            areas: pd.DataFrame) -> pd.DataFrame:
    """Per category, every number the headline can show; missing (NaN) where no claim.

    *here* holds the located incidents' columns as summed (:func:`_split_militant`),
    *unlocated* the incidents not on the map (with their figure columns).

    Columns: ``category``; ``located_best/_low/_high`` and ``incidents_with_figure``
    (located incidents, figures not only militants give); ``located_militant_best``
    and ``incidents_militant_only``; ``unlocated_best/_low/_high``,
    ``unlocated_militant_best``, ``unlocated_with_figure`` and
    ``unlocated_militant_only`` (incidents not on the map); ``incidents_best``
    (located plus unlocated, the sum over an export);
    ``area_total_best/_low/_high`` (headline area figures not only militants give, a
    district inside a province that has its own left out) and ``area_militant_best``
    (those only militants give); ``unattributed_best`` (set only when every
    headline area figure was compared, :mod:`geo.analysis.areas`); ``compared``;
    ``total_best`` (the headline figure: the area-wide one when there is one, else
    the located sum); ``located_exceeds_area_total``.
    """
    head = areas[areas["headline"]]
    # A district figure inside a province that has its own headline is already counted
    # (OCHA P-codes are hierarchical: district PK205 lies in province PK2).
    prov = set(head.loc[head["level"] == "province", ["pcode", "category"]]
               .itertuples(index=False, name=None))
    nested = np.array([lvl == "district" and (pc[:3], cat) in prov for lvl, pc, cat in
                       zip(head["level"], head["pcode"], head["category"], strict=True)],
                      dtype=bool)
    top = head[~nested]
    away = _split_militant(unlocated)
    rows = []
    for cat in CATEGORIES:
        mine = top[(top["category"] == cat) & top["total_best"].notna()]
        t = mine[mine["best_class"] != "militant"]
        row: dict[str, Any] = {
            "category": cat,
            "incidents_with_figure": int(here[f"{cat}_best"].notna().sum()),
            "incidents_militant_only": int(here[f"{cat}_militant"].notna().sum()),
            "unlocated_with_figure": int(away[f"{cat}_best"].notna().sum()),
            "unlocated_militant_only": int(away[f"{cat}_militant"].notna().sum()),
            "located_militant_best": _sum(here[f"{cat}_militant"]),
            "area_militant_best": _sum(mine.loc[mine["best_class"] == "militant",
                                                "total_best"]),
            "unlocated_militant_best": _sum(away[f"{cat}_militant"])}
        for stat in _STATS:
            row[f"located_{stat}"] = _sum(here[f"{cat}_{stat}"])
            row[f"unlocated_{stat}"] = _sum(away[f"{cat}_{stat}"])
            row[f"area_total_{stat}"] = _sum(t[f"total_{stat}"])
        row["incidents_best"] = _sum(pd.Series([row["located_best"], row["unlocated_best"]]))
        row["compared"] = bool(len(t)) and bool(t["compared"].all())
        # Set only when every headline area figure has its unattributed part (compared
        # with like located figures, or nothing located in it): never a partial sum.
        gone = t["unattributed_best"]
        row["unattributed_best"] = (_sum(gone.clip(lower=0)) if len(t) and gone.notna().all()
                                    else np.nan)
        row["located_exceeds_area_total"] = bool((t["unattributed_best"] < 0).any())
        row["total_best"] = (row["area_total_best"] if np.isfinite(row["area_total_best"])
                             else row["located_best"])
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
    areas, unknown = area_figures(figures, incidents, gazetteer, view)
    keys = ["district", "district_pcode", "province", "province_pcode"]
    sums = _split_militant(incidents)
    districts = _by_unit(pd.concat([incidents[keys], sums], axis=1), keys, list(sums.columns))
    unlocated = incident_figures(_unresolved(dataset, located, gazetteer, view), figures)
    return Summary(view, incidents, districts, areas, _totals(sums, unlocated, areas),
                   unlocated, unknown)
