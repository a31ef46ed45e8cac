"""Read CSV tables as text, keeping each row's spreadsheet number for error messages.

Every reader in ``geo`` goes through :func:`read_csv`, so problems are always
reported as ``file:row: field: message`` with the row as a spreadsheet shows it
(the header is row 1).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from geo.errors import DataError, Problem

__all__ = ["ROW", "numeric_column", "read_csv"]

ROW = "_row"
"""Name of the column holding each record's spreadsheet row number."""


def _encoding(path: Path) -> str:
    raw = path.read_bytes()
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        # Spreadsheets on Windows save cp1252 (a superset of Latin-1's printable range).
        return "cp1252"
    return "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8"


def read_csv(
    path: str | Path, *, required: Iterable[str], label: str | None = None
) -> pd.DataFrame:
    """Read a CSV file as strings.

    Parameters
    ----------
    path : path
        The file. UTF-8 (with or without BOM) or cp1252; ``,`` or ``;`` delimited.
    required : iterable of str
        Columns that must be present.
    label : str, optional
        The name used in messages (default: the path as given).

    Returns
    -------
    pandas.DataFrame
        All columns as ``object`` strings with surrounding spaces removed and empty
        cells as ``""``, plus :data:`ROW`, the spreadsheet row number (blank lines count
        as rows, as in a spreadsheet; a cell with a line break stays one row).

    Raises
    ------
    DataError
        When the file is missing, empty, or lacks required columns (all listed).
    """
    path = Path(path)
    name = label or str(path)
    if not path.is_file():
        raise DataError.single(name, "file not found")
    encoding = _encoding(path)
    with path.open(encoding=encoding, errors="replace", newline="") as fh:
        first = fh.readline()
    if not first.strip():
        raise DataError.single(name, "file is empty: expected a header row")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        df = pd.read_csv(
            path, dtype=str, keep_default_na=False, na_values=[], sep=delimiter,
            encoding=encoding, encoding_errors="replace", skip_blank_lines=False,
            quoting=csv.QUOTE_MINIMAL,
        )
    except (pd.errors.ParserError, ValueError) as exc:
        raise DataError.single(name, f"cannot parse as CSV: {exc}") from exc
    df.columns = [str(c).strip() for c in df.columns]
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise DataError(
            [Problem(name, 1, c, None, "required column is missing") for c in missing]
        )
    df[ROW] = np.arange(2, len(df) + 2)
    for col in df.columns[:-1]:
        df[col] = df[col].fillna("").str.strip().astype(object)
    blank = (df.drop(columns=ROW) == "").all(axis=1)
    return df[~blank].reset_index(drop=True) if blank.any() else df


def numeric_column(
    df: pd.DataFrame,
    column: str,
    *,
    file: str,
    problems: list[Problem],
    low: float | None = None,
    high: float | None = None,
    required: bool = True,
) -> np.ndarray:
    """Parse a text column as floats, recording a problem for each bad cell.

    Parameters
    ----------
    df : pandas.DataFrame
        A frame from :func:`read_csv`.
    column : str
        The column to parse.
    file : str
        The file name for messages.
    problems : list of Problem
        Problems are appended here.
    low, high : float, optional
        The inclusive valid range.
    required : bool
        Whether an empty cell is a problem.

    Returns
    -------
    numpy.ndarray
        Floats, NaN where the cell was empty or bad.
    """
    raw = df[column].to_numpy(dtype=object)
    values = pd.to_numeric(pd.Series(raw), errors="coerce").to_numpy(dtype=float, copy=True)
    rows = df[ROW].to_numpy()
    rng = ""
    if low is not None and high is not None:
        rng = f" in [{low:g}, {high:g}]"
    for i in np.flatnonzero(~np.isfinite(values)):
        if raw[i] == "" and not required:
            continue
        msg = "required value is empty" if raw[i] == "" else f"expected a number{rng}"
        problems.append(Problem(file, int(rows[i]), column, raw[i] or None, msg))
    bad_range = np.zeros(len(values), dtype=bool)
    with np.errstate(invalid="ignore"):
        if low is not None:
            bad_range |= values < low
        if high is not None:
            bad_range |= values > high
    for i in np.flatnonzero(bad_range):
        problems.append(Problem(file, int(rows[i]), column, raw[i], f"expected a number{rng}"))
    values[bad_range] = np.nan
    return values
