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
their columns' order; new columns come last, empty for the old rows.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geo.dataset.ingest import collect
from geo.dataset.records import FILES, read_dataset
from geo.dataset.save import Format
from geo.dataset.schema import ID_COLUMNS, SCHEMAS
from geo.errors import DataError, Problem
from geo.extraction.grouping import Extraction
from geo.gazetteer.resolve import Gazetteer
from geo.io.csvfile import read_csv
from geo.io.geojson import read_geojson_incidents
from geo.io.parquet import read_parquet_table
from geo.io.tables import ROW, to_dates

__all__ = ["MergeReport", "dataset_format", "empty_tables", "merge", "read_tables"]

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


def empty_tables() -> dict[str, pd.DataFrame]:
    """A dataset with no rows: the three tables with the schema's columns."""
    return {t: pd.DataFrame({c: pd.Series([], dtype=object) for c in SCHEMAS[t]})
            for t in FILES}


def _text(df: pd.DataFrame) -> pd.DataFrame:
    """Every column as text, ``""`` for missing."""
    return pd.DataFrame({c: df[c].astype(object).where(df[c].notna(), "").astype(str)
                         for c in df.columns if c != ROW}, index=pd.RangeIndex(len(df)))


def read_tables(folder: str | Path) -> dict[str, pd.DataFrame]:
    """A dataset folder's tables as text, as its files hold them (validated first by
    :func:`~geo.dataset.records.read_dataset`, whose defaults are not filled in), so
    rows written back are the rows read.

    Parameters
    ----------
    folder : path
        A dataset folder (not a zip: the tables are written back there).

    Returns
    -------
    dict of str to pandas.DataFrame
        ``sources``, ``incidents``, ``claims``, each column text.

    Raises
    ------
    DataError
        When the folder cannot be read, or some of its rows are invalid: writing it
        back would drop them, so they have to be fixed first.
    """
    root = Path(folder)
    if not root.is_dir():
        raise DataError.single(str(root), "dataset folder not found" if not root.exists()
                               else "not a folder: give the dataset's folder")
    got = collect(root)
    ds = read_dataset(got)
    if ds.problems:
        rows = sum(len(r) for r in ds.rejected.values())
        raise DataError([*sorted(ds.problems, key=lambda p: (p.file, p.row or 0)), Problem(
            str(root), None, None, None, f"{rows} row(s) are invalid: fix them first "
            f"(python -m geo validate --data {root}); writing the dataset back would drop "
            "them")])
    out = {}
    for table, name in ds.files.items():
        data = got.files[name]
        if name.endswith(".parquet"):
            raw = read_parquet_table(data, required=(), label=name,
                                     geometry=table == "incidents")
        elif name.endswith(".geojson"):
            raw = read_geojson_incidents(data, name)[0]
        else:
            raw = read_csv(data, required=(), label=name)
        out[table] = _text(raw)
    return out


def dataset_format(folder: str | Path) -> Format:
    """The format to write a dataset folder back in: Parquet when its claims are, else
    CSV (a GeoJSON ``incidents.geojson`` is then written as ``incidents.csv``)."""
    return "parquet" if (Path(folder) / "claims.parquet").is_file() else "csv"


def _duplicate_source(sources: pd.DataFrame, source: dict[str, str]) -> str:
    for column in ("url", "text_sha256"):
        value = source.get(column, "").strip()
        if value and column in sources.columns:
            same = sources[column].astype(str).str.strip() == value
            if same.any():
                return str(sources.loc[same.to_numpy(), "source_id"].iloc[0])
    return ""


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


def _match(new: dict[str, str], day: pd.DataFrame,
           districts: Callable[[str, str, str], str | None]) -> list[str]:
    """The incidents of *day* that *new* is, best first (empty: none)."""
    rows = [{c: str(r.get(c, "")) for c in ("incident_id", "location", "admin1", "admin2",
                                             "event_type")}  # optional columns may lack
            for r in day.to_dict("records")]
    found = [r for r in rows if _same(new, r, districts)]
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


def _check_ids(table: str, old: pd.Series, new: Iterable[str]) -> None:
    clash = sorted(set(old[old.isin(list(new))].astype(str)))  # no hash of all old ids
    if clash:
        raise ValueError(f"{table}: {ID_COLUMNS[table]} {', '.join(clash)} already in the "
                         "dataset for other rows")


def merge(base: dict[str, pd.DataFrame], extraction: Extraction, gazetteer: Gazetteer
          ) -> tuple[dict[str, pd.DataFrame], MergeReport]:
    """Add one report's rows to a dataset's text tables.

    Parameters
    ----------
    base : dict of str to pandas.DataFrame
        ``sources``, ``incidents``, ``claims`` as text (:func:`read_tables`,
        :func:`empty_tables`, or the result of an earlier merge). Not changed.
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
    sources, incidents, claims = base["sources"], base["incidents"], base["claims"]
    source_id = extraction.source["source_id"]
    duplicate = _duplicate_source(sources, extraction.source)
    if duplicate:
        return base, MergeReport(source_id, duplicate_of=duplicate)
    _check_ids("sources", sources["source_id"], [source_id])

    districts = _districts(gazetteer)
    # Each distinct date text parsed once (other formats than YYYY-MM-DD too).
    codes, texts = pd.factorize(incidents["event_date"].astype(object))
    days = to_dates(pd.Series(texts, dtype=object))
    attached: dict[str, str] = {}
    ambiguous: dict[str, tuple[str, ...]] = {}
    added = []
    for row in extraction.incidents.to_dict("records"):
        same = np.flatnonzero(days == np.datetime64(row["event_date"], "ns"))
        day = np.flatnonzero(np.isin(codes, same)) if len(same) else same
        found = _match(row, incidents.iloc[day], districts)
        if not found:
            added.append(row["incident_id"])
            continue
        attached[row["incident_id"]] = found[0]
        if len(found) > 1:
            ambiguous[row["incident_id"]] = tuple(found[1:])
    new_incidents = extraction.incidents[extraction.incidents["incident_id"].isin(added)]
    _check_ids("incidents", incidents["incident_id"], new_incidents["incident_id"])

    if attached:
        incidents = incidents.copy()
        rows = np.flatnonzero(incidents["incident_id"].isin(list(attached.values())))
        column = incidents["source_ids"].to_numpy(dtype=object, copy=True)
        for i in rows:
            ids = str(column[i])
            if source_id not in [s.strip() for s in ids.split(";")]:
                column[i] = f"{ids};{source_id}" if ids.strip() else source_id
        incidents["source_ids"] = column

    mine = claims[claims["source_id"] == source_id]
    seen = {_claim_key(r) for r in mine.to_dict("records")}
    keep, skipped = [], []
    for row in extraction.claims.to_dict("records"):
        row["incident_id"] = attached.get(row["incident_id"], row["incident_id"])
        key = _claim_key(row)
        if key in seen:
            skipped.append(row["claim_id"])
        else:
            seen.add(key)
            keep.append(row)
    new_claims = pd.DataFrame(keep, columns=extraction.claims.columns, dtype=object)
    _check_ids("claims", claims["claim_id"], new_claims["claim_id"])

    source = pd.DataFrame([extraction.source], dtype=object)
    tables = {"sources": _append(sources, source),
              "incidents": _append(incidents, new_incidents),
              "claims": _append(claims, new_claims)}
    return tables, MergeReport(source_id, "", tuple(added), attached,
                               tuple(new_claims["claim_id"]), tuple(skipped), ambiguous)
