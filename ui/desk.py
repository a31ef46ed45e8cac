"""The coding desk's pieces (UI layer): where reports and working copies live, the
report read from what the coder gave, the candidates listed, the editors' columns and
a dataset's history. Used by ``ui/views/coding.py``; the library work is
:mod:`geo.coding` and :mod:`geo.extraction`.

Environment
-----------
GEO_WORK_DIR
    Where working copies are saved (:func:`ui.data.work_dir`).
GEO_REPORT_DIR
    A folder of report files (.txt, .html...) the page offers to pick from.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from geo.coding.log import Batch, read_log, undone
from geo.dataset.ingest import DATASET_FILES
from geo.dataset.schema import CATEGORIES, CLAIMANT_TYPES, EVENT_TYPES, QUALIFIERS
from geo.extraction.document import (
    Document,
    ReportError,
    document_from_bytes,
    document_from_text,
)
from geo.extraction.grouping import Extraction
from geo.extraction.pipeline import report_files
from ui.data import default_dataset, roots, work_dir

__all__ = ["MAX_REPORT_CHARS", "claim_columns", "history_frame", "incident_columns",
           "last_batch", "overview", "read_report", "report_choices", "report_dir",
           "server_datasets", "working_copies"]

MAX_REPORT_CHARS = 200_000
"""Longest report text read (a long news report is 20,000-50,000 characters)."""


def report_dir() -> Path | None:
    """The folder of reports the page offers (``GEO_REPORT_DIR``), if set."""
    given = os.environ.get("GEO_REPORT_DIR")
    return Path(given) if given else None


def working_copies() -> list[Path]:
    """The working copies saved so far, by name."""
    root = work_dir()
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir()
                  if p.is_dir() and any((p / n).is_file() for n in DATASET_FILES))


def server_datasets() -> list[Path]:
    """The dataset folders the server offers (:func:`ui.data.roots`) other than the
    working copies, by name: what a new working copy can start from."""
    work = work_dir().resolve()
    found = {default_dataset().resolve()}
    for root in roots():
        if Path(root).resolve() != work and Path(root).is_dir():
            found |= {p.resolve() for p in Path(root).iterdir()
                      if p.is_dir() and any((p / n).is_file() for n in DATASET_FILES)}
    return sorted(found, key=lambda p: (p.name, str(p)))


def report_choices() -> list[Path]:
    """The report files under :func:`report_dir` (none when unset or missing)."""
    folder = report_dir()
    if folder is None or not folder.is_dir():
        return []
    try:
        return report_files([folder])
    except (OSError, ValueError):
        return []


def read_report(how: str, *, text: str = "", upload: Any = None, path: Path | None = None,
                published: dt.date | None, publisher: str, title: str, url: str
                ) -> Document:
    """The report the coder gave: pasted *text*, an *upload* (Streamlit's file) or a
    server file *path*; the fields given win over the report's own.

    Raises
    ------
    ReportError
        Nothing given, too long, not text, or no publication date.
    """
    given = {"published": published, "publisher": publisher.strip() or None,
             "url": url.strip() or None}
    if how == "paste":
        if len(text) > MAX_REPORT_CHARS:
            raise ReportError("pasted text", f"{len(text):,} characters: a report has at "
                              f"most {MAX_REPORT_CHARS:,}; paste one report at a time")
        doc = document_from_text(text, "pasted text", title=title.strip() or None, **given)
    else:
        if how == "upload":
            if upload is None:
                raise ReportError("upload", "choose a file first")
            name, data = upload.name, upload.getvalue()
        else:
            if path is None:
                raise ReportError("server folder", "choose a report first")
            name, data = path.name, path.read_bytes()
        if len(data) > 4 * MAX_REPORT_CHARS:
            raise ReportError(name, f"{len(data):,} bytes: larger than a report "
                              f"({4 * MAX_REPORT_CHARS:,} bytes at most)")
        doc = document_from_bytes(data, name, **given)
        if title.strip():
            doc = dataclasses.replace(doc, title=title.strip())
        if len(doc.text) > MAX_REPORT_CHARS:
            raise ReportError(name, f"{len(doc.text):,} characters of text: a report has "
                              f"at most {MAX_REPORT_CHARS:,}")
    if doc.published is None:
        raise ReportError(doc.name, "no publication date: give the date the report was "
                          "published (relative days such as 'on Sunday' count back from it)")
    return doc


def overview(ex: Extraction) -> pd.DataFrame:
    """One line per candidate (incidents, then claims) to pick from: ``row`` (its id),
    ``kind``, ``what``, ``figure``, ``claimant``, ``confidence``."""
    rows = [{"row": r["incident_id"], "kind": "incident",
             "what": f"{r['location']}, {r['event_date']}: {r['event_type']}",
             "figure": "", "claimant": "", "confidence": r.get("confidence", "")}
            for r in ex.incidents.to_dict("records")]
    rows += [{"row": r["claim_id"], "kind": "claim",
              "what": f"{r['category']} ({r['incident_id'] or r['area'] or 'no place'})",
              "figure": f"{r['value']} ({r['value_text']})", "claimant": r["claimant"],
              "confidence": r.get("confidence", "")}
             for r in ex.claims.to_dict("records")]
    return pd.DataFrame(rows, columns=["row", "kind", "what", "figure", "claimant",
                                       "confidence"])


def incident_columns() -> dict[str, Any]:
    """The incident editor's columns: choices from the codebook."""
    cc = st.column_config
    return {
        "accept": cc.CheckboxColumn("accept", help="Untick to leave the incident out"),
        "incident_id": cc.TextColumn("incident", disabled=True),
        "location": cc.TextColumn("place as reported", help="Re-resolved as you type"),
        "event_date": cc.TextColumn("date (YYYY-MM-DD)"),
        "event_type": cc.SelectboxColumn("event type", options=list(EVENT_TYPES)),
        "sub_event_type": cc.SelectboxColumn(
            "sub-event type", options=sorted({s for v in EVENT_TYPES.values() for s in v})),
        "admin2": cc.TextColumn("district found", disabled=True),
        "confidence": cc.TextColumn("confidence", disabled=True),
        "evidence": cc.TextColumn("sentence", disabled=True, width="large"),
    }


def claim_columns(incident_ids: list[str]) -> dict[str, Any]:
    """The claim editor's columns: choices from the codebook and the report's incidents."""
    cc = st.column_config
    return {
        "accept": cc.CheckboxColumn("accept", help="Untick to leave the claim out"),
        "claim_id": cc.TextColumn("claim", disabled=True),
        "incident_id": cc.SelectboxColumn("incident", options=["", *incident_ids],
                                          help="Empty: an area-wide figure (give its area)"),
        "area": cc.TextColumn("area (area-wide figures)"),
        "category": cc.SelectboxColumn("category", options=list(CATEGORIES)),
        "value": cc.TextColumn("value"),
        "value_max": cc.TextColumn("up to"),
        "qualifier": cc.SelectboxColumn("qualifier", options=list(QUALIFIERS)),
        "value_text": cc.TextColumn("as stated"),
        "claimant": cc.TextColumn("claimant"),
        "claimant_type": cc.SelectboxColumn("claimant type", options=list(CLAIMANT_TYPES)),
        "claim_date": cc.TextColumn("claim date"),
        "locator": cc.TextColumn("where", disabled=True),
        "confidence": cc.TextColumn("confidence", disabled=True),
        "evidence": cc.TextColumn("sentence", disabled=True, width="large"),
    }


def history_frame(log: list[Batch]) -> pd.DataFrame:
    """The edit log as a table, newest first (for ``st.dataframe``, which shows text as
    text)."""
    gone = undone(log)
    rows = []
    for b in reversed(log):
        status = [r.get("status") for r in b.rows]
        rows.append({
            "batch": b.batch, "time": b.time, "coder": b.coder,
            "what": (f"undo of {b.undoes}" if b.action == "undo" else
                     f"+{len(b.incidents_added)} incidents, +{len(b.claims_added)} claims, "
                     f"{len(b.incidents_attached)} attached"),
            "review": (f"{status.count('as_extracted')} as extracted, "
                       f"{status.count('edited')} edited, {status.count('rejected')} "
                       "rejected") if b.rows else "",
            "undone": b.batch in gone, "note": b.note})
    return pd.DataFrame(rows, columns=["batch", "time", "coder", "what", "review", "undone",
                                       "note"])


def last_batch(folder: Path) -> str:
    """The id of the newest batch in *folder*'s log (``""`` when none)."""
    log = read_log(folder) if folder.is_dir() else []
    return log[-1].batch if log else ""
