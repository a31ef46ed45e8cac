"""Add a report's rows (:class:`~geo.extraction.grouping.Extraction`) to a dataset's
text tables, so that several reports of one attack end as one incident with each
report's figures.

A report already in the dataset (the same ``url``, or the same ``text_sha256``: the
same words) changes nothing. Otherwise its source row is added, and each of its
incidents is looked for among the dataset's: one on the same day in the same district
(``admin2``, else the district of its ``location``) is the same incident; the report's
figures are attached to it and its ``source_ids`` gains the report. Several such are
narrowed to the one with the same place name, then the same event type; if several
remain, the first is taken and the others listed (:attr:`MergeReport.ambiguous`).
Existing rows stay as they are (but for that ``source_ids``), in their order and
their columns' order; new columns come last, empty for the old rows. A
:class:`Merger` adds many reports and builds the tables once (:func:`merge` adds one).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from geo.dataset.records import FILES
from geo.dataset.schema import ID_COLUMNS
from geo.extraction.grouping import Extraction
from geo.gazetteer.resolve import Gazetteer
from geo.io.tables import to_dates

__all__ = ["MergeReport", "Merger", "merge"]

_CLAIM_KEY = ("incident_id", "area", "category", "value", "qualifier", "claimant_type",
              "source_id")


@dataclass(frozen=True)
class MergeReport:
    """What :func:`merge` did with one report.

    Attributes
    ----------
    source_id : str
        The report's source id.
    duplicate_of : str
        The dataset's source the report already is (same URL or text), else ``""``;
        nothing was changed then.
    incidents_added : tuple of str
        The report's incidents added as new ones.
    incidents_attached : dict of str to str
        The report's incidents found in the dataset: its id to the dataset's.
    claims_added, claims_skipped : tuple of str
        Claim ids added, and left out as identical to a claim already there.
    ambiguous : dict of str to tuple of str
        A report's incident that matched several of the dataset's equally: its id to
        the ones it was *not* attached to (it was attached to the first, in
        :attr:`incidents_attached`).
    """

    source_id: str
    duplicate_of: str = ""
    incidents_added: tuple[str, ...] = ()
    incidents_attached: dict[str, str] = field(default_factory=dict)
    claims_added: tuple[str, ...] = ()
    claims_skipped: tuple[str, ...] = ()
    ambiguous: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        """Whether the tables changed (the report was not in them already)."""
        return not self.duplicate_of

    def to_dict(self) -> dict[str, Any]:
        """As a dict (for JSON)."""
        return dataclasses.asdict(self)


def _districts(gazetteer: Gazetteer) -> Callable[[str, str, str], str | None]:
    """A function of (location, admin1, admin2): the district's name, None when unknown;
    each distinct place resolved once."""
    @functools.cache
    def district(location: str, admin1: str, admin2: str) -> str | None:
        unit = gazetteer.admin_unit(admin2) if admin2 else None
        if unit is not None and unit[0] == "district":
            return unit[1]
        if not location:
            return None
        m = gazetteer.resolve(location, province=admin1 or None, district=admin2 or None)
        return str(m.district) if m.resolved and m.district else None
    return district


def _same(new: dict[str, str], old: dict[str, str],
          districts: Callable[[str, str, str], str | None]) -> bool:
    """Whether *old* (on the same day) is the place of *new*: the same district, or,
    where a district is unknown, the same place name."""
    d_new = districts(new["location"], new["admin1"], new["admin2"])
    d_old = districts(old["location"], old["admin1"], old["admin2"])
    if d_new is not None and d_old is not None:
        return d_new == d_old
    return bool(new["location"]) and new["location"].casefold() == old["location"].casefold()


def _match(new: dict[str, str], day: list[dict[str, str]],
           districts: Callable[[str, str, str], str | None]) -> list[str]:
    """The incidents of *day* (rows of the same date) that *new* is, best first (empty:
    none)."""
    found = [r for r in day if _same(new, r, districts)]
    tests = (lambda r: r["location"].casefold() == new["location"].casefold(),
             lambda r: r["event_type"] == new["event_type"])
    for test in tests:
        if len(found) <= 1:
            break
        found = [r for r in found if test(r)] or found
    return [r["incident_id"] for r in found]


def _claim_key(row: dict[str, str]) -> tuple[str, ...]:
    key = {c: str(row.get(c, "")).strip() for c in _CLAIM_KEY}
    key["qualifier"] = key["qualifier"] or "exact"
    return tuple(key.values())


def _append(df: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """*df* with *rows* below it: columns in *df*'s order, new ones last, ``""`` where
    a row lacks a column."""
    columns = [*df.columns, *(c for c in rows.columns if c not in df.columns)]
    if rows.empty and len(columns) == len(df.columns):
        return df
    new = rows.reindex(columns=columns, fill_value="")
    if df.empty:
        return new.reset_index(drop=True)
    return pd.concat([df.reindex(columns=columns, fill_value=""), new], ignore_index=True)


_MATCHED = ("incident_id", "location", "admin1", "admin2", "event_type")
"""The columns an incident is matched on (optional ones may be missing: ``""``)."""


class Merger:
    """Reports added one after another to a dataset's text tables (:meth:`add`), the
    new tables built once at the end (:meth:`tables`): a folder of thousands of reports
    is not a copy of the whole dataset per report.

    Parameters
    ----------
    base : dict of str to pandas.DataFrame
        ``sources``, ``incidents``, ``claims`` as text
        (:func:`~geo.extraction.texttables.read_tables`,
        :func:`~geo.extraction.texttables.empty_tables`). Not changed.
    gazetteer : Gazetteer
        Resolves the districts of the dataset's incidents without ``admin2``.
    """

    def __init__(self, base: dict[str, pd.DataFrame], gazetteer: Gazetteer) -> None:
        self._base = base
        self._districts = _districts(gazetteer)
        self._ids = {t: set(base[t][ID_COLUMNS[t]].astype(str)) for t in FILES}
        sources = base["sources"]
        self._known: dict[tuple[str, str], str] = {}  # (column, value) -> source id
        for column in ("url", "text_sha256"):
            if column in sources.columns:
                for value, sid in zip(sources[column].astype(str).str.strip(),
                                      sources["source_id"].astype(str), strict=True):
                    if value:
                        self._known.setdefault((column, value), sid)
        incidents = base["incidents"]
        # Each distinct date text parsed once (other formats than YYYY-MM-DD too).
        codes, texts = pd.factorize(incidents["event_date"].astype(object))
        days = np.asarray(to_dates(pd.Series(texts, dtype=object)))
        self._days: dict[np.datetime64, list[dict[str, str]]] = {}
        columns = {c: (incidents[c].astype(str).tolist() if c in incidents.columns
                       else [""] * len(incidents)) for c in _MATCHED}
        for i, code in enumerate(codes):
            if code >= 0 and not np.isnat(days[code]):
                row = {c: columns[c][i] for c in _MATCHED}
                self._days.setdefault(days[code], []).append(row)
        self._claimed_sources = set(base["claims"]["source_id"].astype(str))
        self._added: dict[str, list[dict[str, str]]] = {t: [] for t in FILES}
        self._rows: dict[str, dict[str, str]] = {}  # an added incident's row, by id
        self._also: dict[str, list[str]] = {}  # a dataset incident's new source ids

    def _check_ids(self, table: str, ids: Iterable[str]) -> None:
        clash = sorted(set(ids) & self._ids[table])
        if clash:
            raise ValueError(f"{table}: {ID_COLUMNS[table]} {', '.join(clash)} already in "
                             "the dataset for other rows")

    def add(self, extraction: Extraction) -> MergeReport:
        """Add one report (:func:`geo.extraction.pipeline.extract_document`).

        Returns
        -------
        MergeReport

        Raises
        ------
        ValueError
            When one of the report's ids is already in the dataset for another row
            (nothing of the report is added then).
        """
        source = extraction.source
        source_id = source["source_id"]
        for column in ("url", "text_sha256"):
            value = source.get(column, "").strip()
            if value and (column, value) in self._known:
                return MergeReport(source_id, duplicate_of=self._known[column, value])
        self._check_ids("sources", [source_id])
        attached: dict[str, str] = {}
        ambiguous: dict[str, tuple[str, ...]] = {}
        added, new_rows = [], []
        for row in extraction.incidents.to_dict("records"):
            day = self._days.get(np.datetime64(row["event_date"], "ns"), [])
            found = _match(row, day, self._districts)
            if not found:
                added.append(row["incident_id"])
                new_rows.append(row)
                continue
            attached[row["incident_id"]] = found[0]
            if len(found) > 1:
                ambiguous[row["incident_id"]] = tuple(found[1:])
        self._check_ids("incidents", added)
        seen: set[tuple[str, ...]] = set()
        if source_id in self._claimed_sources:  # claims of it already, without its row
            claims = self._base["claims"]
            seen = {_claim_key(r) for r in
                    claims[claims["source_id"].astype(str) == source_id].to_dict("records")}
        keep, skipped = [], []
        for row in extraction.claims.to_dict("records"):
            row["incident_id"] = attached.get(row["incident_id"], row["incident_id"])
            key = _claim_key(row)
            if key in seen:
                skipped.append(row["claim_id"])
            else:
                seen.add(key)
                keep.append(row)
        self._check_ids("claims", [r["claim_id"] for r in keep])
        # The report is taken: record it.
        for column in ("url", "text_sha256"):
            value = source.get(column, "").strip()
            if value:
                self._known.setdefault((column, value), source_id)
        for table, rows in (("sources", [dict(source)]), ("incidents", new_rows),
                            ("claims", keep)):
            self._added[table] += rows
            self._ids[table].update(r[ID_COLUMNS[table]] for r in rows)
        for row in new_rows:
            self._rows[row["incident_id"]] = row
            self._days.setdefault(np.datetime64(row["event_date"], "ns"), []).append(
                {c: str(row.get(c, "")) for c in _MATCHED})
        for theirs in dict.fromkeys(attached.values()):
            if theirs in self._rows:  # added by an earlier report of this batch
                row = self._rows[theirs]
                row["source_ids"] = _with_source(row["source_ids"], source_id)
            else:
                self._also.setdefault(theirs, []).append(source_id)
        return MergeReport(source_id, "", tuple(added), attached,
                           tuple(r["claim_id"] for r in keep), tuple(skipped), ambiguous)

    def rows(self, table: str, ids: Iterable[str]) -> list[dict[str, str]]:
        """The rows added to *table* with these ids (in the order added)."""
        want = set(ids)
        return [r for r in self._added[table] if r[ID_COLUMNS[table]] in want]

    def incident(self, incident_id: str) -> dict[str, str]:
        """An incident of the dataset or added, as text (``{}`` when there is none)."""
        if incident_id in self._rows:
            return self._rows[incident_id]
        inc = self._base["incidents"]
        hit = inc[inc["incident_id"].astype(str) == incident_id]
        return {str(k): str(v) for k, v in hit.iloc[0].items()} if len(hit) else {}

    def tables(self) -> dict[str, pd.DataFrame]:
        """The dataset's tables with every report added; the base tables themselves
        when nothing was."""
        if not any(self._added.values()):
            return self._base
        incidents = self._base["incidents"]
        if self._also:
            incidents = incidents.copy()
            ids = incidents["incident_id"].astype(str)
            changed = np.flatnonzero(ids.isin(list(self._also)).to_numpy())
            column = incidents["source_ids"].to_numpy(dtype=object, copy=True)
            for i in changed:
                for sid in self._also[ids.iloc[i]]:
                    column[i] = _with_source(str(column[i]), sid)
            incidents["source_ids"] = column
        base = {**self._base, "incidents": incidents}
        return {t: _append(base[t], pd.DataFrame(self._added[t], dtype=object).fillna(""))
                for t in FILES}


def _with_source(ids: str, source_id: str) -> str:
    """A ``source_ids`` cell with *source_id* (once)."""
    if source_id in [s.strip() for s in ids.split(";")]:
        return ids
    return f"{ids};{source_id}" if ids.strip() else source_id


def merge(base: dict[str, pd.DataFrame], extraction: Extraction, gazetteer: Gazetteer
          ) -> tuple[dict[str, pd.DataFrame], MergeReport]:
    """Add one report's rows to a dataset's text tables (for many reports, a
    :class:`Merger`: the same result, without a copy of the tables per report).

    Parameters
    ----------
    base : dict of str to pandas.DataFrame
        ``sources``, ``incidents``, ``claims`` as text
        (:func:`~geo.extraction.texttables.read_tables`,
        :func:`~geo.extraction.texttables.empty_tables`, or an earlier merge's result).
        Not changed.
    extraction : Extraction
        The report (:func:`geo.extraction.pipeline.extract_document`).
    gazetteer : Gazetteer
        Resolves the districts of the dataset's incidents without ``admin2``.

    Returns
    -------
    (dict of str to pandas.DataFrame, MergeReport)
        The new tables (*base* itself when the report is already in it) and what
        was done.

    Raises
    ------
    ValueError
        When one of the report's ids is already in the dataset for another row.
    """
    merger = Merger(base, gazetteer)
    report = merger.add(extraction)
    return merger.tables(), report
