"""Write a dataset back as its three CSV (or Parquet) files, atomically, so it loads
again as is.

:func:`dataset_tables` turns the typed frames of :class:`~geo.dataset.records.Dataset` back
into the text layout of the data files (ISO dates, whole numbers, unknown extra
columns passed through, the loader's defaults written out), and
:func:`read_dataset` of what :func:`save_dataset` wrote gives the same records,
claims and figures. The files are data for this tool, written verbatim (no
spreadsheet escaping, which would change the text); reports meant for spreadsheets
(exports, rejects) are escaped where they are written.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo.dataset.ingest import remove_other_formats
from geo.dataset.records import FILES, Dataset, read_dataset
from geo.io.atomic import atomic_paths
from geo.io.parquet import write_parquet_tables
from geo.io.tables import ROW

__all__ = ["Format", "csv_bytes", "dataset_tables", "dataset_zip", "save_dataset",
           "write_files", "write_tables"]

Format = Literal["csv", "parquet"]
"""The formats a dataset folder can be written in."""


def _text(s: pd.Series) -> pd.Series:
    """One typed column as the text the data files hold: ``str``, or a categorical of
    text where the column is one (vectorised: a million rows in a fraction of a second)."""
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        days = pa.array(s, from_pandas=True).cast(pa.date32()).cast(pa.large_string())
        return pd.Series(days.fill_null(""), index=s.index, dtype="str")
    if pd.api.types.is_float_dtype(s.dtype):
        return pd.Series(_float_text(s.to_numpy(dtype=float)), index=s.index, dtype="str")
    if pd.api.types.is_integer_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype):
        return s.astype(str)
    if isinstance(s.dtype, pd.CategoricalDtype):  # once per category
        codes = s.cat.codes.to_numpy()
        if s.cat.categories.dtype == object and (codes >= 0).all() and \
                pd.api.types.infer_dtype(s.cat.categories, skipna=False) == "string":
            return s  # text already (as read)
        cats = pd.Index(s.cat.categories.astype(str).to_numpy(dtype=object), dtype=object)
        if (codes < 0).any():  # missing: ""
            cats = cats if "" in cats else cats.append(pd.Index([""], dtype=object))
            codes = np.where(codes < 0, cats.get_loc(""), codes)
        return pd.Series(pd.Categorical.from_codes(codes, categories=cats, validate=False),
                         index=s.index)
    if s.dtype == "str":
        return s.fillna("") if s.hasnans else s
    return s.astype(object).where(s.notna(), "").astype(str).astype(object)


def _float_text(v: np.ndarray) -> pa.Array:
    """Whole floats as integers, others as ``repr``, ``""`` for NaN."""
    finite = np.isfinite(v)
    with np.errstate(invalid="ignore"):
        whole = finite & (v == np.round(v))
        small = whole & (np.abs(v) < 2.0**62)
        # Arrow's shortest text equals repr() from 1e-4 to 1e9 (no exponent there)
        mid = finite & ~whole & (np.abs(v) >= 1e-4) & (np.abs(v) < 1e9)
    text = pc.if_else(small, pa.array(np.where(small, v, 0).astype(np.int64)).cast(
        pa.large_string()), pa.array(v).cast(pa.large_string()))
    text = pc.if_else(finite, text, pa.scalar("", pa.large_string()))
    rare = finite & ~small & ~mid
    if rare.any():  # exponents, huge whole numbers: as Python writes them
        text = pc.replace_with_mask(text, pa.array(rare), pa.array(
            [str(int(x)) if x == round(x) else repr(x) for x in v[rare].tolist()],
            pa.large_string()))
    return text


def dataset_tables(ds: Dataset) -> dict[str, pd.DataFrame]:
    """The dataset as text tables in the file layout, columns in the order read.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``sources``, ``incidents``, ``claims``; each column ``str`` (``""`` for
        missing), or a categorical of such text where the typed column is one.
    """
    out = {}
    for table in FILES:
        df: pd.DataFrame = getattr(ds, table)
        out[table] = pd.DataFrame({c: _text(df[c]) for c in df.columns if c != ROW})
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    """*df* as UTF-8 CSV text, as every data file of the product is written.

    Rows end with CRLF (RFC 4180): the writer quotes each cell holding a character of
    the line terminator, so a cell with a CR, LF or CRLF stays one cell, in this tool
    and in spreadsheets. (With ``"\\n"`` a bare CR in a cell is left unquoted, and
    readers start a new row there.)

    Parameters
    ----------
    df : pandas.DataFrame
        The table, written without its index.

    Returns
    -------
    bytes
    """
    return df.to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def save_dataset(ds: Dataset, folder: str | Path, *, format: Format = "csv") -> Path:
    """Write the dataset's three tables into *folder*.

    Parameters
    ----------
    ds : Dataset
        The dataset (its valid rows).
    folder : path
        Created if needed.
    format : {"csv", "parquet"}
        ``sources.csv``, ``incidents.csv`` and ``claims.csv``, or the same tables as
        Parquet (incidents as GeoParquet, :func:`geo.io.parquet.write_parquet_tables`).

    Returns
    -------
    pathlib.Path
        The folder.

    Notes
    -----
    The files are written together: each to a temporary name, and renamed into place
    only once all are written, so a failure or a kill leaves the old dataset whole. A
    table's file in another format already in the folder (``claims.parquet`` when
    writing ``claims.csv``, or ``incidents.geojson``) is removed once the new file is
    in place, so the folder holds each table once and stays readable.
    """
    return write_files(dataset_tables(ds), folder, format)


def write_files(tables: dict[str, pd.DataFrame], folder: str | Path,
                format: Format = "csv") -> Path:
    """Each text table to its file in *folder* (created if needed), atomically; the
    table's files in other formats removed after. Returns the folder (nothing is read
    back: see :func:`write_tables`)."""
    if format == "parquet":
        return write_parquet_tables(tables, folder)
    if format != "csv":
        raise ValueError(f"format must be 'csv' or 'parquet', not {format!r}")
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    data = {table: csv_bytes(frame) for table, frame in tables.items()}
    with atomic_paths([root / FILES[t] for t in data]) as tmps:  # all new, or all old
        for tmp, content in zip(tmps, data.values(), strict=True):
            tmp.write_bytes(content)
    for table in data:
        remove_other_formats(root, table, FILES[table])
    return root


def dataset_zip(ds: Dataset) -> bytes:
    """The three files in a zip archive (for a download), loadable as a dataset."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for table, frame in dataset_tables(ds).items():
            zf.writestr(FILES[table], csv_bytes(frame))
    return buf.getvalue()


def write_tables(tables: dict[str, pd.DataFrame], folder: str | Path, *,
                 format: Format = "csv") -> Dataset:
    """Write text tables (importers' output) as a dataset folder, atomically, and read it
    back leniently: the returned dataset's problems say which rows need fixing.

    *format* is ``"csv"`` or ``"parquet"``, as for :func:`save_dataset`.
    """
    return read_dataset(write_files(tables, folder, format))
