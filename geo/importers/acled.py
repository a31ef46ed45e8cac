"""ACLED exports as datasets: every row an incident, its fatalities a claim by ACLED,
unless our own export's sidecar restores the claims it collapsed.

ACLED publishes one row per event (columns in :data:`ACLED_COLUMNS`). The mapping:

* the incident keeps ACLED's id (``event_id_cnty``), date, ``time_precision``,
  place (``location``, ``admin1``, ``admin2``), coordinates and ``geo_precision``
  (ACLED's 1-3 are ours), event and sub-event type, ``actor1``/``actor2`` and
  ``notes`` (as ``description``); ``civilian_targeting`` sets ``target_type``;
* ``fatalities`` becomes one claim by ACLED in ``killed_combined``: ACLED's count is of
  all sides together and does not say whose dead (claimant type ``other``, qualifier
  ``at_least``: ACLED codes the most conservative figure). A 0 stays a claim of 0,
  with a note that ACLED codes 0 when no fatalities are reported; a row tagged
  ``fatalities_not_reported`` (our export's mark of an incident without any figure)
  gets no claim;
* each name in ``source`` (``;``-separated) becomes a source row, cited by the
  incidents that name it, plus one row for ACLED itself, who makes the claims.
  ACLED gives no publication dates: a cited source's ``published`` is the earliest
  event naming it, and ``published_basis`` says so;
* every other ACLED column (``disorder_type``, ``inter1``, ``assoc_actor_1``,
  ``interaction``, ``iso``, ``admin3``, ``source_scale``, ``tags``, ``timestamp``...)
  is kept as an ``acled_``-prefixed passthrough column, so nothing is lost.

A file exported by :func:`geo.export.acled.acled_frame` has a sidecar beside it
(``FILE.json`` for ``FILE.csv``; ``FILE.csv.json`` is also looked for). When it is
there (or named), every incident it covers gets back its claims (per category, with
claimants, ranges, subgroups and notes), the sources they cite, its ``source_ids``,
``target_type``, ``operation_id`` and extra columns; the CSV stays authoritative for the
columns it carries (an edit there is kept). The ACLED columns the export derived are
not kept as passthrough columns, nor are the tags it wrote. A malformed sidecar is a
:class:`~geo.errors.DataError` naming the file and field; incidents that are in one of
the two files only are reported (a CSV row the sidecar lacks is imported as above).

Dates may be ISO or ACLED's ``31 January 2026``; ``inter1``/``inter2`` may be
ACLED's numeric codes or their text labels (both kept as written). Rows are mapped
one to one and in order, so the problems found when the dataset is validated are
reported at the ACLED file's own row numbers; rows with problems are written too,
and the import says which, rather than dropping anything.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from geo.dataset import categories
from geo.dataset.records import FILES
from geo.dataset.save import write_tables
from geo.errors import DataError, Problem
from geo.importers._common import citation_id, first_citations, iso_dates, newest_date, passthrough
from geo.io.csvfile import read_csv
from geo.io.tables import ROW

__all__ = ["ACLED_COLUMNS", "ACLED_REQUIRED", "NOT_REPORTED", "OUR_TAG", "SIDECAR_FORMAT",
           "find_sidecar", "import_acled", "read_sidecar"]

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
NOT_REPORTED = "fatalities_not_reported"
"""The tag our export gives an incident without any killed figure."""
OUR_TAG = re.compile(rf"(militant_claim:)?({'|'.join(categories.names())})=\d+"
                     rf"|{NOT_REPORTED}")
"""The tags our export writes (``injured=3``, ``militant_claim:killed_militants=6``,
``fatalities_not_reported``)."""
SIDECAR_FORMAT = "ACLED export columns (geo-incidents)"
"""The ``format`` of our export's sidecar."""
_CLAIM_NEEDS = ("claim_id", "incident_id", "source_id", "claimant", "claimant_type",
                "category", "value")
_ZERO_NOTE = ("ACLED codes 0 when no fatalities are reported: a 0 may mean none was "
              "reported")


def find_sidecar(path: str | Path) -> Path | None:
    """The sidecar of an exported ACLED CSV: ``FILE.json`` (or ``FILE.csv.json``) beside
    ``FILE.csv``, None when there is none."""
    p = Path(path)
    for cand in (p.with_suffix(".json"), p.with_name(p.name + ".json")):
        if cand != p and cand.is_file():
            return cand
    return None


def _records(doc: dict[str, Any], key: str, name: str, needs: tuple[str, ...],
             problems: list[Problem]) -> list[dict[str, str]]:
    """``doc[key]``: a list of objects of text (numbers become text), checked."""
    got = doc.get(key)
    if not isinstance(got, list):
        problems.append(Problem(name, None, key, None, "expected a list of objects"))
        return []
    out = []
    for i, rec in enumerate(got):
        where = f"{key}[{i}]"
        if not isinstance(rec, dict):
            problems.append(Problem(name, None, where, str(rec)[:60], "expected an object"))
            continue
        row: dict[str, str] = {}
        for k, v in rec.items():
            if isinstance(v, bool) or not isinstance(v, str | int | float | type(None)):
                problems.append(Problem(name, None, f"{where}.{k}", str(v)[:60],
                                        "expected text or a number"))
            row[str(k)] = "" if v is None else str(v)
        for k in needs:
            if not row.get(k, "").strip():
                problems.append(Problem(name, None, f"{where}.{k}", None,
                                        "required value is missing or empty"))
        out.append(row)
    return out


def read_sidecar(path: str | Path) -> dict[str, Any]:
    """Read and check the sidecar of one of our ACLED exports.

    Returns
    -------
    dict
        ``incident_ids`` (list), ``incidents`` (id -> column -> text), ``claims`` and
        ``sources`` (lists of rows of text), ``passthrough`` (ACLED columns the dataset
        had as ``acled_*``).

    Raises
    ------
    DataError
        Naming the file and the field (``claims[3].category``...) of every problem:
        not JSON, not our sidecar, a missing list, a record without a required value.
    """
    p = Path(path)
    name = p.name
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DataError.single(name, "sidecar file not found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError.single(name, f"cannot read the sidecar: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise DataError.single(name, f"not valid JSON: {exc.msg}", row=exc.lineno) from exc
    if not isinstance(doc, dict) or doc.get("format") != SIDECAR_FORMAT:
        got = doc.get("format") if isinstance(doc, dict) else type(doc).__name__
        raise DataError.single(name, f"not the sidecar of an ACLED export by this tool "
                               f"(expected format {SIDECAR_FORMAT!r})", field="format",
                               value=str(got))
    problems: list[Problem] = []
    ids = doc.get("incident_ids")
    if not isinstance(ids, list) or not all(isinstance(i, str) and i for i in ids):
        problems.append(Problem(name, None, "incident_ids", None,
                                "expected a list of incident ids (written by version 2 "
                                "exports; import the CSV alone with --no-sidecar)"))
        ids = []
    claims = _records(doc, "claims", name, _CLAIM_NEEDS, problems)
    sources = _records(doc, "sources", name, ("source_id",), problems)
    incidents = doc.get("incidents")
    if not isinstance(incidents, dict) or not all(
            isinstance(v, dict) and all(isinstance(x, str) for x in v.values())
            for v in incidents.values()):
        problems.append(Problem(name, None, "incidents", None,
                                "expected an object of incident id -> column -> text"))
        incidents = {}
    kept = doc.get("passthrough", [])
    if not isinstance(kept, list) or not all(isinstance(c, str) for c in kept):
        problems.append(Problem(name, None, "passthrough", None, "expected a list of names"))
        kept = []
    if problems:
        raise DataError(problems)
    return {"incident_ids": ids, "incidents": incidents, "claims": claims,
            "sources": sources, "passthrough": kept}


def _fatality_claims(raw: pd.DataFrame, inc: pd.DataFrame) -> pd.DataFrame:
    """ACLED's ``fatalities`` as one ``killed_combined`` claim per row (none for a row
    tagged :data:`NOT_REPORTED`), with the ACLED row of each in ``_origin``."""
    fat = raw["fatalities"].astype(str)
    tags = raw.get("tags", pd.Series("", index=raw.index)).astype(str)
    silent = tags.str.split(";").map(lambda ts: NOT_REPORTED in [t.strip() for t in ts])
    claims = pd.DataFrame({
        "claim_id": inc["incident_id"].astype(str) + "-fatalities",
        "incident_id": inc["incident_id"], "area": "", "period_start": "", "period_end": "",
        "source_id": ACLED_SOURCE, "claimant": "ACLED", "claimant_type": "other",
        "category": "killed_combined", "value": fat, "value_max": "",
        "qualifier": "at_least", "value_text": fat + " fatalities (ACLED)",
        "claim_date": "", "locator": "",
        "note": np.where(fat.str.strip() == "0", _ZERO_NOTE,
                         "ACLED's fatality count, all sides together: the most "
                         "conservative figure in its sources"),
        "_origin": raw[ROW].to_numpy(),
    }, dtype=object)
    return claims[~silent.to_numpy()]


def acled_tables(raw: pd.DataFrame, sidecar: dict[str, Any] | None = None
                 ) -> dict[str, pd.DataFrame]:
    """Map ACLED rows (text, from :func:`geo.io.csvfile.read_csv`) to the dataset tables.

    Parameters
    ----------
    raw : pandas.DataFrame
        The ACLED rows.
    sidecar : dict, optional
        From :func:`read_sidecar`: the incidents it covers get their claims, sources
        and uncarried columns back.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``sources``, ``incidents`` and ``claims`` as text, one incident per ACLED row,
        in order. The claims' ``_origin`` column says where each comes from: the ACLED
        row number, or ``-1 - i`` for the sidecar's claim ``i``.
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
    side = sidecar or {"incidents": {}, "claims": [], "sources": [], "passthrough": []}
    ids = inc["incident_id"].astype(str)
    covered = ids.isin(set(side["incident_ids"]) if sidecar else set()).to_numpy()
    claims = _fatality_claims(raw[~covered], inc[~covered])
    if covered.any():
        _restore(inc, covered, side)
        want = set(ids[covered])
        kept = [{**c, "_origin": -1 - i} for i, c in enumerate(side["claims"])
                if c["incident_id"] in want]
        claims = pd.concat([pd.DataFrame(kept, dtype=object), claims], ignore_index=True)
        claims = claims.fillna("")
    plain = [c for c, cov in zip(cited, covered, strict=True) if not cov]
    first_seen = first_citations(plain, inc.loc[~covered, "event_date"], "SRC")
    newest = newest_date(inc["event_date"])
    ours = [{**s, "_origin": -1 - i} for i, s in enumerate(side["sources"])]
    theirs = [{"source_id": ACLED_SOURCE, "publisher": "ACLED (Armed Conflict Location & "
               "Event Data)", "title": "ACLED export", "published": newest, "kind": "dataset",
               "published_basis": "the newest event date in the imported file", "url": ""}]
    theirs += [{"source_id": sid, "publisher": name, "title": f"{name} (as cited by ACLED)",
                "published": date, "kind": "other",
                "published_basis": "ACLED gives no publication date: the earliest event "
                                   "citing this source", "url": ""}
               for sid, (date, name) in first_seen.items()]
    known = {s["source_id"] for s in ours}
    rows = ours + ([s for s in theirs if s["source_id"] not in known]
                   if (~covered).any() else [])
    sources = pd.DataFrame(rows, dtype=object).fillna("")
    return {"sources": sources, "incidents": inc, "claims": claims}


def _restore(inc: pd.DataFrame, covered: np.ndarray, side: dict[str, Any]) -> None:
    """Give the covered incidents their uncarried columns back, and drop the ACLED
    columns and tags our export derived (they were not the dataset's)."""
    ids = inc["incident_id"].astype(str)
    rows = [side["incidents"].get(i, {}) for i in ids[covered]]
    for col in sorted({c for r in rows for c in r}):
        if col not in inc:
            inc[col] = ""
        inc.loc[covered, col] = [r.get(col, "") for r in rows]
    had = set(side["passthrough"])
    for col in [c for c in inc.columns if c.startswith("acled_")]:
        name = col.removeprefix("acled_")
        if name == "tags" and name in had:
            inc.loc[covered, col] = [
                "; ".join(t.strip() for t in str(v).split(";")
                          if t.strip() and not OUR_TAG.fullmatch(t.strip()))
                for v in inc.loc[covered, col]]
        elif name not in had:
            inc.loc[covered, col] = ""
            if not (inc[col].astype(str) != "").any():
                del inc[col]


def import_acled(path: str | Path, out: str | Path, *,
                 sidecar: str | Path | Literal[False] | None = None) -> list[Problem]:
    """Import an ACLED export into a dataset folder.

    Parameters
    ----------
    path : path
        An ACLED CSV export (its published column layout).
    out : path
        The dataset folder to write (created if needed; the three files are replaced).
    sidecar : path or False, optional
        The sidecar of our own export; default: ``FILE.json`` beside ``FILE.csv`` when
        it exists (:func:`find_sidecar`); ``False``: the CSV alone.

    Returns
    -------
    list of Problem
        Every row that does not validate, at the ACLED file's row numbers (the rows
        are written anyway, to be fixed in the dataset); claims and sources of the
        sidecar at its field (``claims[3].value``); incidents in one file only.

    Raises
    ------
    DataError
        The file is missing, unreadable, or lacks a required ACLED column; the sidecar
        is malformed.
    """
    label = Path(path).name
    raw = read_csv(path, required=ACLED_REQUIRED, label=label)
    problems: list[Problem] = list(raw.attrs.pop("problems", []))
    where = find_sidecar(path) if sidecar is None else (None if sidecar is False
                                                        else Path(sidecar))
    side = read_sidecar(where) if where is not None else None
    if side is not None and where is not None:
        problems += _mismatch(raw["event_id_cnty"].astype(str), side, label, where.name)
    tables = acled_tables(raw, side)
    origin = {t: tables[t].pop("_origin").tolist() if "_origin" in tables[t] else []
              for t in ("claims", "sources")}
    ds = write_tables(tables, out)
    rows = raw[ROW].to_numpy()  # incident row r comes from ACLED row r
    for p in ds.problems:
        table = next((t for t, f in FILES.items() if f == p.file), "")
        src = origin.get(table, [])
        at = src[p.row - 2] if p.row is not None and p.row - 2 < len(src) else None
        if isinstance(at, int | np.integer) and at < 0 and where is not None:  # from the sidecar
            problems.append(Problem(where.name, None, f"{table}[{-1 - at}].{p.field}",
                                    p.value, p.message))
        elif table in ("incidents", "claims") and p.row is not None:
            field = _THEIRS.get(p.field or "", p.field)
            message = p.message
            row = int(at) if table == "claims" and isinstance(at, int | np.integer) \
                else int(rows[p.row - 2])
            if table == "claims" and p.field == "value":
                field = "fatalities"
            elif table == "claims" and p.field == "incident_id":
                field, message = "fatalities", "left out with its event (see the event's problem)"
            problems.append(Problem(label, row, field, p.value, message))
        else:
            problems.append(p)
    return sorted(problems, key=lambda p: (p.file != label, p.row or 0, p.field or ""))


def _mismatch(csv_ids: pd.Series, side: dict[str, Any], label: str, name: str
              ) -> list[Problem]:
    """Incidents in only one of the CSV and its sidecar."""
    ours, theirs = set(side["incident_ids"]), set(csv_ids)
    orphans = {c["incident_id"] for c in side["claims"]} - ours
    return ([Problem(name, None, "incident_ids", i, f"not in {label}: its claims are "
                     "left out") for i in sorted(ours - theirs)]
            + [Problem(name, None, "incident_ids", i, f"in {label} but not in the "
                       "sidecar: imported from the CSV alone") for i in sorted(theirs - ours)]
            + [Problem(name, None, "claims", i, "claims of an incident that is not in "
                       "incident_ids: left out") for i in sorted(orphans)])
