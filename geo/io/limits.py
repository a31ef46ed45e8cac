"""Limits on the shape of a table, checked before it is read.

A few hundred kilobytes of Parquet can hold millions of identical rows or a hundred
thousand columns, and one CSV header line tens of thousands of columns: reading such
a file would take minutes and gigabytes. Each reader checks what the file declares
(a Parquet file's footer: rows, columns, uncompressed size; a CSV file's header line)
against these limits first, and refuses the file with a message naming the file, the
measured value and the limit.

The defaults fit a dataset of a few million incidents (the largest table of a
million-incident dataset, its claims, has about 1.9 million rows, 15 columns and
60 MB uncompressed). Each can be raised (or lowered) for the process with an
environment variable holding a positive whole number:

=========================== ============================ ==========================
variable                    limit                        default
=========================== ============================ ==========================
``GEO_MAX_ROWS``            rows of one table             :data:`MAX_ROWS`
``GEO_MAX_COLUMNS``         columns of one table          :data:`MAX_COLUMNS`
``GEO_MAX_UNCOMPRESSED_MB`` one Parquet file, expanded    :data:`MAX_UNCOMPRESSED_MB`
=========================== ============================ ==========================
"""

from __future__ import annotations

import os

import pyarrow.parquet as pq

from geo.errors import DataError, Problem

__all__ = ["MAX_COLUMNS", "MAX_ROWS", "MAX_UNCOMPRESSED_MB", "check_columns",
           "check_parquet", "check_rows", "limit"]

MAX_ROWS = 4_000_000
"""Default largest number of rows (records) of one table: twice the claims of a
million-incident dataset."""

MAX_COLUMNS = 200
"""Default largest number of columns of one table (a dataset's tables have at most
about 20; ACLED and UCDP exports about 50)."""

MAX_UNCOMPRESSED_MB = 2048
"""Default largest size of one Parquet file's data once decompressed, in MiB (as the
limit on a zip archive's expanded size, :data:`geo.dataset.ingest.MAX_BYTES`)."""

_DEFAULTS = {"GEO_MAX_ROWS": MAX_ROWS, "GEO_MAX_COLUMNS": MAX_COLUMNS,
             "GEO_MAX_UNCOMPRESSED_MB": MAX_UNCOMPRESSED_MB}


def limit(variable: str) -> int:
    """The limit named by the environment *variable*, or its default.

    Parameters
    ----------
    variable : str
        ``GEO_MAX_ROWS``, ``GEO_MAX_COLUMNS`` or ``GEO_MAX_UNCOMPRESSED_MB``.

    Returns
    -------
    int
        The variable's value when set, else the module's default.

    Raises
    ------
    DataError
        The variable is set but is not a positive whole number (``_`` and ``,``
        separators allowed).
    """
    raw = os.environ.get(variable, "").strip()
    if not raw:
        return _DEFAULTS[variable]
    try:
        value = int(raw.replace("_", "").replace(",", ""))
    except ValueError:
        value = 0
    if value < 1:
        raise DataError.single(variable, "the environment variable must be a positive "
                               "whole number", value=raw)
    return value


def _refuse(label: str, what: str, measured: int, variable: str, unit: str = ""
            ) -> Problem:
    return Problem(label, None, None, None,
                   f"{measured:,}{unit} {what}, more than the limit of "
                   f"{limit(variable):,}{unit} (set {variable} to raise it)")


def check_rows(label: str, rows: int) -> None:
    """Refuse a table with more rows than ``GEO_MAX_ROWS`` (as :func:`check_columns`;
    for a CSV, *rows* counts line breaks: a cell may hold one, so it never
    undercounts)."""
    if rows > limit("GEO_MAX_ROWS"):
        raise DataError([_refuse(label, "rows", rows, "GEO_MAX_ROWS")])


def check_columns(label: str, columns: int) -> None:
    """Refuse a table with more columns than ``GEO_MAX_COLUMNS``.

    Parameters
    ----------
    label : str
        The file name used in the message.
    columns : int
        The columns the file declares (a CSV header's cells, Parquet's leaf columns).

    Raises
    ------
    DataError
        Naming the file, the number of columns and the limit.
    """
    if columns > limit("GEO_MAX_COLUMNS"):
        raise DataError([_refuse(label, "columns", columns, "GEO_MAX_COLUMNS")])


def check_parquet(label: str, meta: pq.FileMetaData) -> None:
    """Refuse a Parquet file whose footer declares too many rows or columns, or too
    much data once decompressed, before any of its data is read.

    Parameters
    ----------
    label : str
        The file name used in messages.
    meta : pyarrow.parquet.FileMetaData
        The file's footer (``pyarrow.parquet.ParquetFile(...).metadata``).

    Raises
    ------
    DataError
        One problem per limit exceeded, each naming the file, the declared value, the
        limit and the environment variable that raises it.
    """
    check_columns(label, meta.num_columns)
    problems = []
    if meta.num_rows > limit("GEO_MAX_ROWS"):
        problems.append(_refuse(label, "rows", meta.num_rows, "GEO_MAX_ROWS"))
    size = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    mib = -(-size // 2**20)  # rounded up: 1 byte over is over
    if mib > limit("GEO_MAX_UNCOMPRESSED_MB"):
        problems.append(_refuse(label, "of data once decompressed", mib,
                                "GEO_MAX_UNCOMPRESSED_MB", " MiB"))
    if problems:
        raise DataError(problems)
