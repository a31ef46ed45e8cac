"""A report's candidate rows as a coder reviews them, and the coder's decisions applied.

:func:`review_tables` turns an :class:`~geo.extraction.grouping.Extraction` into two
tables a coder edits (incidents, claims), each row with an ``accept`` box, the fields
a coder may change, and what cannot change (ids, evidence, confidence).
:func:`apply_review` reads the edited tables back: it checks every value against the
codebook (:mod:`geo.dataset.schema`), re-resolves edited places with the gazetteer,
and gives the accepted rows as an Extraction to save
(:func:`geo.coding.store.save_batch`), with each row's review for the edit log: the
value extracted, the value accepted, and whether the coder changed it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from geo.dataset.schema import CATEGORIES, CLAIMANT_TYPES, EVENT_TYPES, QUALIFIERS, VAGUE_NUMBERS
from geo.errors import Problem
from geo.extraction.grouping import Extraction
from geo.gazetteer.resolve import Gazetteer

__all__ = ["CLAIM_FIELDS", "INCIDENT_FIELDS", "Reviewed", "apply_review", "review_tables"]

INCIDENT_FIELDS = ("location", "event_date", "event_type", "sub_event_type")
"""What a coder may change in a candidate incident."""

CLAIM_FIELDS = ("incident_id", "area", "category", "value", "value_max", "qualifier",
                "value_text", "claimant", "claimant_type", "claim_date")
"""What a coder may change in a candidate claim (``incident_id``: which of the report's
incidents it is about, or none for an area-wide figure with its ``area``)."""

_SHOWN = ("confidence", "evidence", "evidence_start", "evidence_end")


def review_tables(ex: Extraction) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The candidate incidents and claims of *ex* as tables to review.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        Incidents: ``accept`` (True), ``incident_id``, :data:`INCIDENT_FIELDS`,
        ``admin2``, ``confidence``, ``evidence``, ``evidence_start``,
        ``evidence_end``. Claims: ``accept``, ``claim_id``, :data:`CLAIM_FIELDS`,
        ``locator`` and the same four. Every value but ``accept`` is text.
    """
    def table(df: pd.DataFrame, key: str, fields: tuple[str, ...],
              extra: tuple[str, ...]) -> pd.DataFrame:
        cols = [key, *fields, *extra, *_SHOWN]
        out = pd.DataFrame({c: (df[c].astype(str) if c in df.columns else "") for c in cols},
                           index=pd.RangeIndex(len(df)))
        out.insert(0, "accept", True)
        return out

    return (table(ex.incidents, "incident_id", INCIDENT_FIELDS, ("admin2",)),
            table(ex.claims, "claim_id", CLAIM_FIELDS, ("locator",)))


@dataclass(frozen=True)
class Reviewed:
    """The coder's decisions on one report.

    Attributes
    ----------
    extraction : Extraction
        The accepted rows (edited values in place), ready to save.
    rows : list of dict
        Every candidate row: ``table``, ``id``, ``status`` (``as_extracted``,
        ``edited`` or ``rejected``), ``extracted`` (its reviewable values as
        extracted), ``edited`` (the changed ones, with their new value) and
        ``evidence`` (start, end).
    problems : list of Problem
        Values that cannot be saved, naming the table, row and field; nothing may be
        saved while there are any.
    """

    extraction: Extraction
    rows: list[dict[str, Any]]
    problems: list[Problem]


def _text(v: object) -> str:
    return "" if v is None or (isinstance(v, float) and v != v) else str(v).strip()


def _whole(v: str) -> int | None:
    """A whole number 0 or more as the codebook takes it (ASCII digits, ``.0`` allowed)."""
    m = re.fullmatch(r"([0-9]+)(?:\.0+)?", v, re.ASCII)
    return int(m[1]) if m else None


def _day(v: str) -> bool:
    """A date as the codebook takes it: ``YYYY-MM-DD``, a year from 1678 to 2261."""
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", v, re.ASCII) or \
            not 1678 <= int(v[:4]) <= 2261:
        return False
    try:
        dt.date.fromisoformat(v)
    except ValueError:
        return False
    return True


def _incident_problems(r: dict[str, str]) -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    if not r["location"]:
        out.append(("location", r["location"], "a place is needed (as reported)"))
    if not _day(r["event_date"]):
        out.append(("event_date", r["event_date"], "a date as YYYY-MM-DD (1678-2261)"))
    if r["event_type"] not in EVENT_TYPES:
        out.append(("event_type", r["event_type"], "one of the codebook's event types"))
    elif r["sub_event_type"] not in EVENT_TYPES[r["event_type"]]:
        out.append(("sub_event_type", r["sub_event_type"],
                    f"one of the sub-event types of {r['event_type']}"))
    return out


def _claim_problems(r: dict[str, str], incidents: set[str], rejected: set[str]
                    ) -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    if r["incident_id"] and r["incident_id"] in rejected:
        out.append(("incident_id", r["incident_id"], "its incident is rejected: accept the "
                    "incident, choose another, or reject the claim"))
    elif r["incident_id"] and r["incident_id"] not in incidents:
        out.append(("incident_id", r["incident_id"], "not one of this report's incidents"))
    if not r["incident_id"] and not r["area"]:
        out.append(("area", r["area"], "an area-wide figure needs its area (a district "
                    "or province), or choose its incident"))
    if r["category"] not in CATEGORIES:
        out.append(("category", r["category"], "one of the codebook's categories"))
    value = _whole(r["value"])
    if value is None:
        out.append(("value", r["value"], "a whole number, 0 or more, in digits"))
    if r["value_max"] and (_whole(r["value_max"]) is None or
                           (value is not None and (_whole(r["value_max"]) or 0) < value)):
        out.append(("value_max", r["value_max"], "empty, or a whole number not below value"))
    if r["qualifier"] not in QUALIFIERS:
        out.append(("qualifier", r["qualifier"], "one of " + ", ".join(QUALIFIERS)))
    elif r["qualifier"] in VAGUE_NUMBERS and value != VAGUE_NUMBERS[r["qualifier"]]:
        out.append(("value", r["value"], f"{r['qualifier']} is coded as "
                    f"{VAGUE_NUMBERS[r['qualifier']]}"))
    if r["claimant_type"] not in CLAIMANT_TYPES:
        out.append(("claimant_type", r["claimant_type"], "one of " + ", ".join(CLAIMANT_TYPES)))
    if not r["claimant"]:
        out.append(("claimant", r["claimant"], "who gives the figure"))
    if r["claim_date"] and not _day(r["claim_date"]):
        out.append(("claim_date", r["claim_date"], "empty, or a date as YYYY-MM-DD"))
    return out


def _decide(original: pd.DataFrame, edited: pd.DataFrame, key: str, fields: tuple[str, ...],
            table: str) -> tuple[list[dict[str, Any]], dict[str, dict[str, str]], list[str]]:
    """Per row: its review record, the accepted rows' values by id, the rejected ids."""
    by_id = {str(r[key]): r for r in original.to_dict("records")}
    records, accepted, rejected = [], {}, []
    for r in edited.to_dict("records"):
        rid = _text(r.get(key))
        if rid not in by_id:
            continue  # a row added in the editor has no evidence: not a candidate
        old = by_id[rid]
        new = {f: _text(r.get(f)) for f in fields}
        was = {f: _text(old.get(f)) for f in fields}
        changed = {f: v for f, v in new.items() if v != was[f]}
        keep = bool(r.get("accept", True)) and r.get("accept") is not None
        status = "rejected" if not keep else ("edited" if changed else "as_extracted")
        records.append({"table": table, "id": rid, "status": status, "extracted": was,
                        "edited": changed,
                        "evidence": [_text(old.get("evidence_start")),
                                     _text(old.get("evidence_end"))]})
        if keep:
            accepted[rid] = new
        else:
            rejected.append(rid)
    return records, accepted, rejected


def apply_review(ex: Extraction, incidents: pd.DataFrame, claims: pd.DataFrame,
                 gazetteer: Gazetteer) -> Reviewed:
    """Apply a coder's review (the tables of :func:`review_tables`, edited) to *ex*.

    Rows whose ``accept`` is false are left out; edited values replace the extracted
    ones; an incident whose place changed takes the district and province the
    gazetteer resolves for it (left empty when it cannot: the dataset then lists the
    incident as unresolved). Rows added in the editor (no id of the report) are left
    out: a candidate needs its evidence.

    Returns
    -------
    Reviewed
    """
    inc_rows, inc_ok, inc_no = _decide(ex.incidents, incidents, "incident_id",
                                       INCIDENT_FIELDS, "incidents")
    clm_rows, clm_ok, _ = _decide(ex.claims, claims, "claim_id", CLAIM_FIELDS, "claims")
    # Rows as a spreadsheet numbers them (the header is row 1), in the editor's order.
    at_inc = {_text(k): i + 2 for i, k in enumerate(incidents["incident_id"])}
    at_clm = {_text(k): i + 2 for i, k in enumerate(claims["claim_id"])}
    problems = []
    for rid, r in inc_ok.items():
        problems += [Problem("incidents", at_inc[rid], f, v, f"{rid}: {why}")
                     for f, v, why in _incident_problems(r)]
    for rid, r in clm_ok.items():
        problems += [Problem("claims", at_clm[rid], f, v, f"{rid}: {why}")
                     for f, v, why in _claim_problems(r, set(inc_ok), set(inc_no))]
    moved = {r["id"] for r in inc_rows if "location" in r["edited"]}

    def rows(df: pd.DataFrame, key: str, ok: dict[str, dict[str, str]]) -> pd.DataFrame:
        out = []
        for r in df.to_dict("records"):
            rid = str(r[key])
            if rid not in ok:
                continue
            r.update(ok[rid])
            if rid in moved:  # the gazetteer's district and province for the new place
                m = gazetteer.resolve(ok[rid]["location"])
                r["admin1"] = (m.province or "") if m.resolved else ""
                r["admin2"] = (m.district or "") if m.resolved else ""
                r.update({c: "" for c in ("latitude", "longitude", "geo_precision") if c in r})
            out.append(r)
        return pd.DataFrame(out, columns=df.columns, dtype=object)

    accepted = replace(ex, incidents=rows(ex.incidents, "incident_id", inc_ok),
                       claims=rows(ex.claims, "claim_id", clm_ok))
    return Reviewed(accepted, inc_rows + clm_rows, problems)
