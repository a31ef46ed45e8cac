"""ACLED exports as datasets: every row an incident, its fatalities a claim by ACLED.

ACLED publishes one row per event (columns in :data:`ACLED_COLUMNS`). The mapping:

* the incident keeps ACLED's id (``event_id_cnty``), date, ``time_precision``,
  place (``location``, ``admin1``, ``admin2``), coordinates and ``geo_precision``
  (ACLED's 1-3 are ours), event and sub-event type, ``actor1``/``actor2`` and
  ``notes`` (as ``description``); ``civilian_targeting`` sets ``target_type``;
* ``fatalities`` becomes one claim by ACLED (claimant type ``other``, qualifier
  ``at_least``: ACLED codes the most conservative figure), category
  ``killed_civilians`` when ACLED marks the event as civilian targeting, else
  ``killed_unknown`` (ACLED's count does not say whose dead). A 0 stays a claim of 0;
* each name in ``source`` (``;``-separated) becomes a source row, cited by the
  incidents that name it, plus one row for ACLED itself, who makes the claims.
  ACLED gives no publication dates: a cited source's ``published`` is the earliest
  event naming it, and ``published_basis`` says so;
* every other ACLED column (``disorder_type``, ``inter1``, ``assoc_actor_1``,
  ``interaction``, ``iso``, ``admin3``, ``source_scale``, ``tags``, ``timestamp``...)
  is kept as an ``acled_``-prefixed passthrough column, so nothing is lost.

Dates may be ISO or ACLED's ``31 January 2026``; ``inter1``/``inter2`` may be
ACLED's numeric codes or their text labels (both kept as written). Rows are mapped
one to one and in order, so the problems found when the dataset is validated are
reported at the ACLED file's own row numbers; rows with problems are written too,
and the import says which, rather than dropping anything.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from geo.dataset.records import FILES
from geo.dataset.save import write_tables
from geo.errors import Problem
from geo.importers._common import citation_id, first_citations, iso_dates, newest_date, passthrough
from geo.io.csvfile import read_csv
from geo.io.tables import ROW

__all__ = ["ACLED_COLUMNS", "ACLED_REQUIRED", "import_acled"]

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2",
    "inter2", "interaction", "civilian_targeting", "iso", "region", "country", "admin1",
    "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "source",
    "source_scale", "notes", "fatalities", "tags", "timestamp",
)
"""ACLED's published export columns, in their order."""

ACLED_REQUIRED = ("event_id_cnty", "event_date", "event_type", "location", "latitude",
                  "longitude", "source", "fatalities")

_MAPPED = {"event_id_cnty": "incident_id", "event_date": "event_date",
           "time_precision": "time_precision", "location": "location", "admin1": "admin1",
           "admin2": "admin2", "latitude": "latitude", "longitude": "longitude",
           "geo_precision": "geo_precision", "event_type": "event_type",
           "sub_event_type": "sub_event_type", "actor1": "actor1", "actor2": "actor2",
           "notes": "description"}
_THEIRS = {ours: theirs for theirs, ours in _MAPPED.items()}
ACLED_SOURCE = "ACLED"


def acled_tables(raw: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Map ACLED rows (text, from :func:`geo.io.csvfile.read_csv`) to the dataset tables.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``sources``, ``incidents`` and ``claims`` as text, one incident and one claim
        per ACLED row, in order.
    """
    inc = pd.DataFrame({ours: raw[theirs].astype(object) if theirs in raw else ""
                        for theirs, ours in _MAPPED.items()})
    inc["event_date"] = iso_dates(raw["event_date"])
    civ = raw.get("civilian_targeting", pd.Series("", index=raw.index)).astype(str)
    inc["target_type"] = np.where(civ.str.strip().str.lower() == "civilian targeting",
                                  "civilians", "")
    names = raw["source"].astype(str).str.split(";")
    cited = [[n.strip() for n in row if n.strip()] for row in names]
    inc["source_ids"] = [";".join(dict.fromkeys(
        [ACLED_SOURCE, *(citation_id("SRC", n) for n in c)])) for c in cited]
    passthrough(inc, raw, _MAPPED, "acled")
    first_seen = first_citations(cited, inc["event_date"], "SRC")
    newest = newest_date(inc["event_date"])
    sources = pd.DataFrame(
        [{"source_id": ACLED_SOURCE, "publisher": "ACLED (Armed Conflict Location & Event "
          "Data)", "title": "ACLED export", "published": newest, "kind": "dataset",
          "published_basis": "the newest event date in the imported file", "url": ""}]
        + [{"source_id": sid, "publisher": name, "title": f"{name} (as cited by ACLED)",
            "published": date, "kind": "other",
            "published_basis": "ACLED gives no publication date: the earliest event "
                                "citing this source", "url": ""}
           for sid, (date, name) in first_seen.items()], dtype=object)

    fat = raw["fatalities"].astype(str)
    claims = pd.DataFrame({
        "claim_id": inc["incident_id"].astype(str) + "-fatalities",
        "incident_id": inc["incident_id"], "area": "", "period_start": "", "period_end": "",
        "source_id": ACLED_SOURCE, "claimant": "ACLED", "claimant_type": "other",
        "category": np.where(inc["target_type"] == "civilians", "killed_civilians",
                             "killed_unknown"),
        "value": fat, "value_max": "", "qualifier": "at_least",
        "value_text": fat + " fatalities (ACLED)", "claim_date": "", "locator": "",
        "note": "ACLED's fatality count: the most conservative figure in its sources",
    }, dtype=object)
    return {"sources": sources, "incidents": inc, "claims": claims}


def import_acled(path: str | Path, out: str | Path) -> list[Problem]:
    """Import an ACLED export into a dataset folder.

    Parameters
    ----------
    path : path
        An ACLED CSV export (its published column layout).
    out : path
        The dataset folder to write (created if needed; the three files are replaced).

    Returns
    -------
    list of Problem
        Every row that does not validate, at the ACLED file's row numbers (the rows
        are written anyway, to be fixed in the dataset).

    Raises
    ------
    DataError
        The file is missing, unreadable, or lacks a required ACLED column.
    """
    label = Path(path).name
    raw = read_csv(path, required=ACLED_REQUIRED, label=label)
    problems: list[Problem] = list(raw.attrs.pop("problems", []))
    tables = acled_tables(raw)
    ds = write_tables(tables, out)
    rows = raw[ROW].to_numpy()  # incident and claim row r come from ACLED row r
    for p in ds.problems:
        if p.file in (FILES["incidents"], FILES["claims"]) and p.row is not None:
            field = _THEIRS.get(p.field or "", p.field)
            message = p.message
            if p.file == FILES["claims"] and p.field == "value":
                field = "fatalities"
            elif p.file == FILES["claims"] and p.field == "incident_id":
                field, message = "fatalities", "left out with its event (see the event's problem)"
            problems.append(Problem(label, int(rows[p.row - 2]), field, p.value, message))
        else:
            problems.append(p)
    return sorted(problems, key=lambda p: (p.row or 0, p.field or ""))
