"""What a dataset would become with a coder's accepted rows, before anything is written.

:func:`preview` merges the rows into a copy of the dataset's tables in memory (the
same :class:`~geo.extraction.merge.Merger` :func:`geo.coding.store.save_batch` uses)
and lists the new sources and incidents, and, for each incident of the report found
in the dataset, its claims there beside the new ones, so a second toll for one attack
is seen as such (:attr:`Preview.attached`, ``conflict``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from geo.dataset.schema import QUALIFIER_WORDS
from geo.extraction.grouping import Extraction
from geo.extraction.merge import Merger, MergeReport
from geo.gazetteer.resolve import Gazetteer

__all__ = ["ATTACHED_COLUMNS", "Preview", "preview"]

ATTACHED_COLUMNS = ("incident_id", "location", "event_date", "category", "in_dataset",
                    "new", "conflict")
"""Columns of :attr:`Preview.attached`."""


@dataclass(frozen=True)
class Preview:
    """The dataset with the rows merged, described.

    Attributes
    ----------
    reports : list of MergeReport
        Per report, what the merge would do.
    sources : pandas.DataFrame
        The sources that would be added.
    incidents : pandas.DataFrame
        The incidents that would be added.
    attached : pandas.DataFrame
        :data:`ATTACHED_COLUMNS`: per dataset incident the report's claims attach to,
        and category, the figures there (``in_dataset``: value, qualifier, claimant,
        source) and the new ones (``new``); ``conflict`` when they differ.
    tables : dict of str to pandas.DataFrame
        The merged tables (for a download).
    """

    reports: list[MergeReport]
    sources: pd.DataFrame
    incidents: pd.DataFrame
    attached: pd.DataFrame
    tables: dict[str, pd.DataFrame]


def _figure(r: dict[str, str]) -> str:
    q = r.get("qualifier", "")
    words = "" if q in ("", "exact", "range") else QUALIFIER_WORDS.get(q, q) + " "
    top = f"-{r['value_max']}" if r.get("value_max") else ""
    return f"{words}{r.get('value', '')}{top} ({r.get('claimant', '')}, {r.get('source_id', '')})"


def preview(tables: dict[str, pd.DataFrame], extractions: Sequence[Extraction],
            gazetteer: Gazetteer) -> Preview:
    """Merge *extractions* into *tables* in memory and describe the result.

    Parameters
    ----------
    tables : dict of str to pandas.DataFrame
        The dataset's text tables (:func:`~geo.extraction.texttables.read_tables`).
    extractions : sequence of Extraction
        The accepted rows (:class:`geo.coding.review.Reviewed`).
    gazetteer : Gazetteer

    Returns
    -------
    Preview

    Raises
    ------
    ValueError
        When a report's id is already in the dataset for another row.
    """
    merger = Merger(tables, gazetteer)
    reports = [merger.add(e) for e in extractions]
    merged = merger.tables()
    added = {t: merged[t].iloc[len(tables[t]):] for t in merged}
    old_claims = tables["claims"]
    old_incidents = tables["incidents"].set_index("incident_id", drop=False)
    rows = []
    for rep in reports:
        theirs = set(rep.incidents_attached.values())
        new = added["claims"][added["claims"]["incident_id"].isin(theirs)
                              & added["claims"]["source_id"].eq(rep.source_id)]
        for (iid, cat), grp in new.groupby(["incident_id", "category"], sort=True):
            there = old_claims[(old_claims["incident_id"] == iid)
                               & (old_claims["category"] == cat)]
            old_vals = {(r["value"], r.get("value_max", "")) for r in there.to_dict("records")}
            new_vals = {(r["value"], r.get("value_max", "")) for r in grp.to_dict("records")}
            inc = old_incidents.loc[iid] if iid in old_incidents.index else {}
            rows.append({
                "incident_id": iid, "location": str(inc.get("location", "")),
                "event_date": str(inc.get("event_date", "")), "category": cat,
                "in_dataset": "; ".join(_figure(r) for r in there.to_dict("records"))
                or "no figure",
                "new": "; ".join(_figure(r) for r in grp.to_dict("records")),
                "conflict": bool(old_vals) and old_vals != new_vals})
    return Preview(reports, added["sources"].reset_index(drop=True),
                   added["incidents"].reset_index(drop=True),
                   pd.DataFrame(rows, columns=list(ATTACHED_COLUMNS)), merged)
