"""Write a dataset back as its three CSV files, atomically, so it loads again as is.

:func:`dataset_tables` turns the typed frames of :class:`~geo.records.Dataset` back
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

import numpy as np
import pandas as pd

from geo.fileio import atomic_write
from geo.records import FILES, Dataset, read_dataset
from geo.tables import ROW

__all__ = ["dataset_tables", "dataset_zip", "save_dataset", "write_tables"]


def _text(s: pd.Series) -> pd.Series:
    """One typed column as the text the data files hold."""
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        return pd.Series(np.where(s.isna(), "", s.dt.strftime("%Y-%m-%d")), index=s.index,
                         dtype=object)
    if pd.api.types.is_float_dtype(s.dtype):
        v = s.to_numpy(dtype=float)
        whole = np.isfinite(v) & (v == np.round(v))
        out = [("" if not np.isfinite(x) else str(int(x)) if w else repr(float(x)))
               for x, w in zip(v.tolist(), whole.tolist(), strict=True)]
        return pd.Series(out, index=s.index, dtype=object)
    if pd.api.types.is_integer_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype):
        return s.astype(str).astype(object)
    return s.astype(object).where(s.notna(), "").astype(str).astype(object)


def dataset_tables(ds: Dataset) -> dict[str, pd.DataFrame]:
    """The dataset as text tables in the file layout, columns in the order read.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``sources``, ``incidents``, ``claims``.
    """
    out = {}
    for table in FILES:
        df: pd.DataFrame = getattr(ds, table)
        out[table] = pd.DataFrame({c: _text(df[c]) for c in df.columns if c != ROW})
    return out


def _csv(df: pd.DataFrame) -> bytes:
    return df.to_csv(index=False, lineterminator="\n").encode("utf-8")


def save_dataset(ds: Dataset, folder: str | Path) -> Path:
    """Write ``sources.csv``, ``incidents.csv`` and ``claims.csv`` into *folder*.

    Each file is written atomically (a reader sees the old file or the new one); the
    folder is created if needed. Incidents read from GeoJSON are written as CSV.

    Returns
    -------
    pathlib.Path
        The folder.
    """
    return _write(dataset_tables(ds), folder)


def _write(tables: dict[str, pd.DataFrame], folder: str | Path) -> Path:
    """Each text table to its file in *folder* (created if needed), atomically."""
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    for table, frame in tables.items():
        atomic_write(root / FILES[table], _csv(frame))
    return root


def dataset_zip(ds: Dataset) -> bytes:
    """The three files in a zip archive (for a download), loadable as a dataset."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for table, frame in dataset_tables(ds).items():
            zf.writestr(FILES[table], _csv(frame))
    return buf.getvalue()


def write_tables(tables: dict[str, pd.DataFrame], folder: str | Path) -> Dataset:
    """Write text tables (importers' output) as a dataset folder, atomically, and read it
    back leniently: the returned dataset's problems say which rows need fixing."""
    return read_dataset(_write(tables, folder))
