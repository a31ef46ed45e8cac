"""Read gazetteer and alias tables, validating every row.

Gazetteer CSV columns (the bundled ``data/gazetteer_pk.csv`` layout):

========== ======== ==========================================================
column     required meaning
========== ======== ==========================================================
name       yes      primary name
lat, lon   yes      WGS84 decimal degrees
ascii_name no       ASCII spelling
alt_names  no       other names, ``|``-separated (GeoNames alternatenames)
feature_code no     GeoNames feature code (PPLA2, PPL, ...)
population no       integer, empty = unknown
geonames_id no      id kept as ``place_id``
========== ======== ==========================================================

Other columns (the bundled file's pre-computed ``district_pip`` and so on) are
ignored: districts always come from the boundary layer at load time.

Alias CSV columns: ``alias, target, target_type (place|district|province),
target_province (optional), note (required: why the alias exists)``.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from geo.errors import DataError, Problem
from geo.io.csvfile import read_csv
from geo.io.tables import ROW, numeric_column

__all__ = ["ALIAS_COLUMNS", "GAZETTEER_COLUMNS", "read_aliases", "read_places"]

GAZETTEER_COLUMNS = ("name", "lat", "lon")
ALIAS_COLUMNS = ("alias", "target", "target_type", "note")
TARGET_TYPES = ("place", "district", "province")

# GeoNames alternatenames carry airport and station codes (Quetta: "UET", Gwadar:
# "GWD"). As place names they would match unrelated acronyms, so they are skipped.
_CODE = re.compile(r"^[A-Z0-9]{2,4}$")


def split_alt_names(cell: str) -> list[str]:
    """Split a ``|``-separated alternate-name cell, dropping codes such as ``UET``."""
    return [a.strip() for a in cell.split("|") if a.strip() and not _CODE.match(a.strip())]


def read_places(path: str | Path) -> pd.DataFrame:
    """Read and validate a gazetteer CSV.

    Parameters
    ----------
    path : path
        A CSV in the layout described in this module's docstring.

    Returns
    -------
    pandas.DataFrame
        Columns ``name, ascii_name, alt_names (list), lat, lon, feature_code,
        population (int), place_id, geonames_id ("" if none), source_file`` and the
        spreadsheet row ``_row``.

    Raises
    ------
    DataError
        Listing every bad row: empty names, non-numeric or out-of-range coordinates,
        bad populations.
    """
    label = str(path)
    df = read_csv(path, required=GAZETTEER_COLUMNS)
    problems: list[Problem] = []
    for i in np.flatnonzero(df["name"].to_numpy() == ""):
        problems.append(Problem(label, int(df[ROW].iloc[i]), "name", None, "name is empty"))
    lat = numeric_column(df, "lat", file=label, problems=problems, low=-90, high=90)
    lon = numeric_column(df, "lon", file=label, problems=problems, low=-180, high=180)
    if "population" in df.columns:
        pop = numeric_column(df, "population", file=label, problems=problems, low=0,
                             high=5e8, required=False)
    else:
        pop = np.zeros(len(df))
    if problems:
        raise DataError(problems)

    def col(name: str) -> list[str]:
        return df[name].tolist() if name in df.columns else [""] * len(df)

    out = pd.DataFrame(
        {
            "name": df["name"].tolist(),
            "ascii_name": col("ascii_name"),
            "alt_names": [split_alt_names(c) for c in col("alt_names")],
            "lat": lat,
            "lon": lon,
            "feature_code": col("feature_code"),
            "population": np.nan_to_num(pop).astype(np.int64),
            "place_id": col("geonames_id") if "geonames_id" in df.columns else col("place_id"),
            "geonames_id": col("geonames_id"),
            "source_file": Path(path).name,
            ROW: df[ROW].to_numpy(),
        }
    )
    return out


def read_aliases(path: str | Path) -> pd.DataFrame:
    """Read and validate the alias table (targets are checked by the gazetteer).

    Parameters
    ----------
    path : path
        A CSV with ``alias, target, target_type, note`` and optionally
        ``target_province``.

    Returns
    -------
    pandas.DataFrame
        The rows as strings with ``_row``.

    Raises
    ------
    DataError
        Listing every row with an empty field or an unknown ``target_type``.
    """
    label = str(path)
    df = read_csv(path, required=ALIAS_COLUMNS)
    if "target_province" not in df.columns:
        df["target_province"] = ""
    problems: list[Problem] = []
    for rec in df.to_dict("records"):
        row = int(rec[ROW])
        for field in ALIAS_COLUMNS:
            if rec[field] == "":
                problems.append(Problem(label, row, field, None, "required value is empty"))
        if rec["target_type"] and rec["target_type"] not in TARGET_TYPES:
            problems.append(
                Problem(label, row, "target_type", rec["target_type"],
                        f"expected one of {', '.join(TARGET_TYPES)}")
            )
    if problems:
        raise DataError(problems)
    return df
