"""UCDP GED event files as datasets: each event an incident, its deaths claims by UCDP.

The mapping (documented in the README too):

* incident: ``GED<id>``; ``date_start`` (UCDP writes ``2026-01-31 00:00:00.000``);
  ``date_prec`` 1 (day) -> 1, 2-3 (2-7 days) -> 2 (week), 4-5 (month, year) -> 3;
  ``where_description`` as the place, ``adm_1``/``adm_2`` as hints, the coordinates,
  and ``where_prec`` -> precision: 1 -> 1 (the place), 2 -> 2 (within 25 km),
  3-5 (district, province, a larger area or line) -> 3. ``where_prec`` 6-7 (only the
  country, or international waters/air) have no place finer than the country: their
  coordinates are not used, and the incident is listed as unresolved rather than put
  at a country's centroid;
* ``type_of_violence`` 1-2 (state-based, non-state) -> ACLED's Battles / Armed clash,
  3 (one-sided) -> Violence against civilians / Attack; ``side_a``/``side_b`` as
  actors;
* deaths per side become claims by UCDP, one per category: ``deaths_civilians`` ->
  killed_civilians, ``deaths_unknown`` -> killed_unknown, ``deaths_a``/``deaths_b``
  -> killed_security_forces for a government side ("Government of ...") and
  killed_militants otherwise. When all deaths fall in one category, UCDP's
  ``low``/``high`` become two more claims in it (claimants "UCDP GED (low)" and
  "(high)"), so the figure policies see the range there too;
* UCDP's ``best``, ``low`` and ``high`` count the deaths of all sides together: they
  become two claims in ``killed_combined`` (one count of several sides, never added to
  the per-side figures): ``best`` (claimant "UCDP GED (best)", exact) and the range
  ``low``-``high`` (claimant "UCDP GED (low-high)", qualifier ``range``), so the
  ``lowest`` policy gives UCDP's low estimate, ``highest`` its high one;
* ``source_article`` (``;``-separated citations) becomes source rows; every other
  column but ``best``/``low``/``high`` (now claims) is kept as ``ucdp_<name>``.
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
from geo.io.tables import ROW, to_float

__all__ = ["UCDP_REQUIRED", "import_ucdp"]

UCDP_REQUIRED = ("id", "date_start", "date_prec", "where_prec", "latitude", "longitude",
                 "side_a", "side_b", "deaths_a", "deaths_b", "deaths_civilians",
                 "deaths_unknown", "best", "low", "high", "type_of_violence")
UCDP_SOURCE = "UCDP"
_TIME = {"1": "1", "2": "2", "3": "2", "4": "3", "5": "3"}
_WHERE = {"1": "1", "2": "2", "3": "3", "4": "3", "5": "3"}
_TYPES = {"1": ("Battles", "Armed clash"), "2": ("Battles", "Armed clash"),
          "3": ("Violence against civilians", "Attack")}
_MAPPED = {"id", "date_start", "date_prec", "where_prec", "where_description", "adm_1",
           "adm_2", "latitude", "longitude", "side_a", "side_b", "type_of_violence",
           "source_article", "best", "low", "high"}


def _side(name: str) -> str:
    return "killed_security_forces" if name.strip().lower().startswith("government of") \
        else "killed_militants"


def _claims(raw: pd.DataFrame, ids: pd.Series) -> pd.DataFrame:
    """UCDP's deaths as claims: one per event and category (plus low/high when the
    deaths fall in one category), and UCDP's all-sides best and low-high range in
    ``killed_combined``. An unreadable count becomes a claim holding the text, so
    validation reports it at its row."""
    out: list[dict[str, str]] = []

    def claim(eid: str, cat: str, value: str, who: str, text: str, key: str = "",
              value_max: str = "", qualifier: str = "exact") -> None:
        out.append({"claim_id": f"{eid}-{cat}{key}", "incident_id": eid, "category": cat,
                    "value": value, "claimant": who, "value_text": text,
                    "value_max": value_max, "qualifier": qualifier})

    for i, (eid, a, b) in enumerate(zip(ids, raw["side_a"].astype(str),
                                        raw["side_b"].astype(str), strict=True)):
        totals: dict[str, int] = {}
        unreadable = False
        for col, cat in (("deaths_a", _side(a)), ("deaths_b", _side(b)),
                         ("deaths_civilians", "killed_civilians"),
                         ("deaths_unknown", "killed_unknown")):
            text = str(raw[col].iloc[i]).strip()
            v = to_float(pd.Series([text]))[0]
            if text and (np.isnan(v) or v < 0 or v != int(v)):
                claim(eid, cat, text, "UCDP GED (best)", f"{col} as written", f"-{col}")
                unreadable = True
            elif text:
                totals[cat] = totals.get(cat, 0) + int(v)
        cats = {c: n for c, n in totals.items() if n > 0} or {"killed_unknown": 0}
        for cat, n in cats.items():
            claim(eid, cat, str(n), "UCDP GED (best)", "UCDP best estimate")
        if len(cats) == 1 and not unreadable:  # the range then belongs to that category
            cat = next(iter(cats))
            for end in ("low", "high"):
                claim(eid, cat, str(raw[end].iloc[i]).strip(), f"UCDP GED ({end})",
                      f"UCDP {end} estimate of all deaths", f"-{end}")
        best, low, high = (str(raw[c].iloc[i]).strip() for c in ("best", "low", "high"))
        claim(eid, "killed_combined", best, "UCDP GED (best)",
              "UCDP best estimate of all deaths, all sides together")
        if low or high:
            claim(eid, "killed_combined", low or high, "UCDP GED (low-high)",
                  "UCDP low and high estimates of all deaths, all sides together",
                  "-range", high or low, "range")
    df = pd.DataFrame(out, columns=["claim_id", "incident_id", "category", "value",
                                    "claimant", "value_text", "value_max", "qualifier"],
                      dtype=object)
    for col, val in (("area", ""), ("period_start", ""), ("period_end", ""),
                     ("source_id", UCDP_SOURCE), ("claimant_type", "other"),
                     ("claim_date", ""), ("locator", ""), ("note", "")):
        df[col] = val
    return df


def ucdp_tables(raw: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Map UCDP GED rows (text) to the dataset tables, one incident per row in order."""
    ids = "GED" + raw["id"].astype(str).str.strip()
    wp = raw["where_prec"].astype(str).str.strip()
    usable = wp.isin(list(_WHERE))
    kinds = raw["type_of_violence"].astype(str).str.strip().map(_TYPES)
    cites = [[c.strip() for c in str(t).split(";") if c.strip()]
             for t in raw.get("source_article", pd.Series("", index=raw.index))]
    inc = pd.DataFrame({
        "incident_id": ids,
        "event_date": iso_dates(raw["date_start"]),
        "time_precision": raw["date_prec"].astype(str).str.strip().map(_TIME).fillna(
            raw["date_prec"].astype(str)),
        "location": raw.get("where_description", pd.Series("", index=raw.index)),
        "admin1": raw.get("adm_1", ""), "admin2": raw.get("adm_2", ""),
        "latitude": raw["latitude"].where(usable, ""),
        "longitude": raw["longitude"].where(usable, ""),
        "geo_precision": wp.map(_WHERE).fillna(""),
        "event_type": [k[0] if isinstance(k, tuple) else t for k, t in
                       zip(kinds, raw["type_of_violence"].astype(str), strict=True)],
        "sub_event_type": [k[1] if isinstance(k, tuple) else "" for k in kinds],
        "actor1": raw["side_a"], "actor2": raw["side_b"],
        "source_ids": [";".join(dict.fromkeys(
            [UCDP_SOURCE, *(citation_id("CIT", c) for c in cs)])) for cs in cites],
    }, dtype=object)
    passthrough(inc, raw, _MAPPED, "ucdp")
    inc["ucdp_where_prec"] = wp
    inc["ucdp_latitude"], inc["ucdp_longitude"] = raw["latitude"], raw["longitude"]
    first = first_citations(cites, inc["event_date"], "CIT")
    newest = newest_date(inc["event_date"])
    sources = pd.DataFrame(
        [{"source_id": UCDP_SOURCE, "publisher": "UCDP Georeferenced Event Dataset (GED)",
          "title": "UCDP GED event file", "published": newest, "kind": "dataset",
          "published_basis": "the newest event date in the imported file"}]
        + [{"source_id": k, "publisher": c[:120], "title": f"{c} (as cited by UCDP)",
            "published": d, "kind": "other",
            "published_basis": "UCDP gives no separate date: the earliest event citing it"}
           for k, (d, c) in first.items()], dtype=object)
    return {"sources": sources, "incidents": inc, "claims": _claims(raw, ids)}


def import_ucdp(path: str | Path, out: str | Path) -> list[Problem]:
    """Import a UCDP GED CSV into a dataset folder.

    Returns
    -------
    list of Problem
        Rows that do not validate, at the UCDP file's row numbers (written anyway).

    Raises
    ------
    DataError
        The file is missing or unreadable, or lacks a required GED column.
    """
    label = Path(path).name
    raw = read_csv(path, required=UCDP_REQUIRED, label=label)
    problems: list[Problem] = list(raw.attrs.pop("problems", []))
    tables = ucdp_tables(raw)
    ds = write_tables(tables, out)
    event_row = dict(zip(tables["incidents"]["incident_id"], raw[ROW], strict=True))
    claim_event = tables["claims"]["incident_id"].tolist()
    for p in ds.problems:
        if p.file == FILES["incidents"] and p.row is not None:
            problems.append(Problem(label, int(raw[ROW].iloc[p.row - 2]), p.field, p.value,
                                    p.message))
        elif p.file == FILES["claims"] and p.row is not None:
            eid = claim_event[p.row - 2]
            problems.append(Problem(label, int(event_row[eid]), "deaths", p.value,
                                    f"{p.field}: {p.message}"))
        else:
            problems.append(p)
    return sorted(problems, key=lambda p: (p.row or 0, p.field or ""))
