"""The rejects file: every row a dataset load left out, as read, and why.

A zip holding, per table with rejected rows, ``<table>_rejected.csv`` (``_row`` as
the spreadsheet shows it, ``_problems``, then the row's cells as read) and
``problems.csv`` (file, row, field, value, message: every problem) and
``notes.csv`` (how values in other formats were read). Fix the rows and add them
back: nothing is lost.

The rejected rows are data, to be loaded again, so they are written exactly as read
(a cell ``+20 injured`` stays ``+20 injured``): like every dataset file the product
writes, they are not neutralised for spreadsheets (import them as text, see
docs/security.md). ``problems.csv`` and ``notes.csv`` are reports for people, so a
formula in them is neutralised (:func:`geo.textsafe.csv_cell`).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd

from geo.dataset.records import PROBLEMS, Dataset
from geo.errors import Problem
from geo.io.atomic import atomic_write
from geo.io.tables import ROW
from geo.textsafe import csv_cell

__all__ = ["problem_frame", "rejects_zip", "write_rejects"]


def _csv(df: pd.DataFrame, report: bool = True) -> bytes:
    """CSV bytes; a *report*'s formulas neutralised, data written as it is."""
    safe = df.map(csv_cell).rename(columns=csv_cell) if report else df
    # CRLF, so the writer quotes cells holding a bare \r (a row break in spreadsheets)
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def problem_frame(problems: list[Problem]) -> pd.DataFrame:
    """Problems (or notes) as a table: file, row, field, value, message."""
    return pd.DataFrame([{"file": p.file, "row": "" if p.row is None else str(p.row),
                          "field": p.field or "", "value": p.value or "",
                          "message": p.message} for p in problems],
                        columns=["file", "row", "field", "value", "message"], dtype=object)


def rejects_zip(ds: Dataset) -> bytes:
    """The rejects file of a dataset read with :func:`geo.dataset.records.read_dataset`.

    Returns
    -------
    bytes
        A zip archive (see the module docstring); with no rejected row it holds
        ``problems.csv`` and ``notes.csv`` with headers only.
    """
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for table, rej in ds.rejected.items():
            cells = [c for c in rej.columns if c not in (ROW, PROBLEMS)]
            out = pd.DataFrame({ROW: rej[ROW].astype(str), PROBLEMS: rej[PROBLEMS]})
            out = pd.concat([out, rej[cells].astype(str)], axis=1)
            zf.writestr(f"{table}_rejected.csv", _csv(out, report=False))
        zf.writestr("problems.csv", _csv(problem_frame(
            sorted(ds.problems, key=lambda p: (p.file, p.row or 0)))))
        zf.writestr("notes.csv", _csv(problem_frame(ds.notes)))
    return buf.getvalue()


def write_rejects(ds: Dataset, path: str | Path) -> Path:
    """Write :func:`rejects_zip` to *path* atomically."""
    return atomic_write(path, rejects_zip(ds))
