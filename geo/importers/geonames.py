"""GeoNames dumps (``PK.txt``, ``allCountries.txt``...) as gazetteer files.

The dump is tab-separated, without header or quoting, 19 columns
(:data:`GEONAMES_COLUMNS`). Populated places (feature class ``P``) and administrative
divisions (class ``A``: ``ADM1``-``ADM5``, ``ADMD``) are kept; other classes (streams,
mountains, spots...) and country-level features (``PCLI``: a country is not a place
to put an incident) are counted and skipped. The result is a CSV in the bundled
gazetteer's columns, readable by ``Gazetteer.load(path)`` on top of, or instead of,
the bundled places. Administrative features resolve at precision 3 (only the unit is
known), populated places at 1. Lines that are not 19 fields or whose coordinates are
not numbers in range are reported by line number, never dropped silently.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from geo.dataset.save import csv_bytes
from geo.errors import DataError, Problem
from geo.io.atomic import atomic_write

__all__ = ["GEONAMES_COLUMNS", "GeoNamesImport", "import_geonames"]

GEONAMES_COLUMNS = (
    "geonameid", "name", "asciiname", "alternatenames", "latitude", "longitude",
    "feature_class", "feature_code", "country_code", "cc2", "admin1_code", "admin2_code",
    "admin3_code", "admin4_code", "population", "elevation", "dem", "timezone",
    "modification_date",
)
"""The dump's columns, in order (https://download.geonames.org/export/dump/readme.txt)."""

ADMIN_CODES = frozenset({"ADM1", "ADM2", "ADM3", "ADM4", "ADM5", "ADMD"})


@dataclass
class GeoNamesImport:
    """What an import kept and skipped.

    Attributes
    ----------
    places : pandas.DataFrame
        The gazetteer rows written.
    skipped : collections.Counter
        Lines left out by feature class/code (e.g. ``"H"``, ``"A.PCLI"``).
    problems : list of Problem
        Lines that could not be read (with their line numbers).
    """

    places: pd.DataFrame
    skipped: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)


def _number(text: str, low: float, high: float) -> float | None:
    try:
        v = float(text)
    except ValueError:
        return None
    return v if math.isfinite(v) and low <= v <= high else None


def import_geonames(path: str | Path, out: str | Path | None = None) -> GeoNamesImport:
    """Read a GeoNames dump and (with *out*) write it as a gazetteer CSV.

    Parameters
    ----------
    path : path
        The dump (``PK.txt``), UTF-8.
    out : path, optional
        The gazetteer CSV to write (atomically).

    Returns
    -------
    GeoNamesImport

    Raises
    ------
    DataError
        The file is missing, not UTF-8, or has no line in the dump's layout.
    """
    p = Path(path)
    if not p.is_file():
        raise DataError.single(str(p), "file not found")
    try:
        text = p.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError.single(p.name, f"GeoNames dumps are UTF-8 (byte {exc.start})") from exc
    rows, problems, skipped = [], [], Counter[str]()
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != len(GEONAMES_COLUMNS):
            problems.append(Problem(p.name, n, None, line[:80], f"{len(cells)} fields; a "
                                    f"GeoNames dump line has {len(GEONAMES_COLUMNS)}"))
            continue
        r = dict(zip(GEONAMES_COLUMNS, cells, strict=True))
        cls, code = r["feature_class"], r["feature_code"]
        if not (cls == "P" or (cls == "A" and code in ADMIN_CODES)):
            skipped[f"{cls}.{code}" if cls == "A" else cls or "?"] += 1
            continue
        lat = _number(r["latitude"], -90, 90)
        lon = _number(r["longitude"], -180, 180)
        if lat is None or lon is None or not r["name"].strip():
            bad = "name" if not r["name"].strip() else "latitude" if lat is None else \
                "longitude"
            problems.append(Problem(p.name, n, bad, r.get(bad) or None,
                                    "expected a name and coordinates in range"))
            continue
        alts = [a.strip().replace("|", "/") for a in r["alternatenames"].split(",")]
        rows.append({
            "name": r["name"].strip(), "ascii_name": r["asciiname"].strip(),
            "alt_names": "|".join(dict.fromkeys(a for a in alts if a)),
            "lat": f"{lat:.5f}", "lon": f"{lon:.5f}", "feature_code": code,
            "admin1": r["admin1_code"], "population": r["population"] or "0",
            "geonames_id": r["geonameid"],
            "source": f"GeoNames dump {p.name} (CC BY 4.0), imported "
                      f"{dt.date.today().isoformat()}",
        })
    if not rows and not skipped:
        raise DataError([*problems[:50], Problem(p.name, None, None, None,
                                                 "no line in the GeoNames dump layout")])
    places = pd.DataFrame(rows, columns=["name", "ascii_name", "alt_names", "lat", "lon",
                                         "feature_code", "admin1", "population",
                                         "geonames_id", "source"])
    if out is not None:
        atomic_write(out, csv_bytes(places))  # the product's CSV: line breaks quoted
    return GeoNamesImport(places, skipped, problems)
