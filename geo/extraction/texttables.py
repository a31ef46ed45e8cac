"""A dataset folder's tables as text, to add extracted rows to and write back: as the
files hold them, so rows written back are the rows read (:func:`read_tables`), and in
the folder's own format (:func:`dataset_format`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo.dataset.ingest import collect
from geo.dataset.records import FILES, read_dataset
from geo.dataset.save import Format
from geo.dataset.schema import SCHEMAS
from geo.errors import DataError, Problem
from geo.io.csvfile import read_csv
from geo.io.geojson import read_geojson_incidents
from geo.io.parquet import read_parquet_table
from geo.io.tables import ROW

__all__ = ["dataset_format", "empty_tables", "read_tables"]


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
