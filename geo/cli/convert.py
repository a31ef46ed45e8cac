"""``python -m geo convert``: a dataset as Parquet (incidents as GeoParquet) or as CSV."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from geo.cli.options import REJECTED, echo, fail
from geo.dataset.records import FILES, read_dataset
from geo.dataset.save import Format, save_dataset
from geo.errors import DataError

__all__ = ["convert"]


def _size(n: int) -> str:
    """A file size for people: ``812 B``, ``3.4 kB``, ``12.0 MB``."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{n / scale:,.1f} {unit}"
    return f"{n} B"


@click.command("convert")
@click.option("--data", "data_dir", type=click.Path(path_type=Path), default=None,
              help="Dataset folder, or .zip of one: sources, incidents and claims as .csv "
                   "or .parquet (incidents also as .geojson); default: the bundled "
                   "Balochistan 2026 dataset.")
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Dataset folder to write (created if needed). A table's file in the "
                   "other format there is replaced, so the folder stays readable.")
@click.option("--format", "fmt", type=click.Choice(["parquet", "csv"]), default="parquet",
              show_default=True, help="parquet: sources.parquet, claims.parquet and "
              "incidents.parquet (GeoParquet, WGS84 points); csv: the three CSV files.")
@click.option("--keep-valid", is_flag=True,
              help="When some rows are rejected, write the valid rows anyway (and exit 1).")
def convert(data_dir: Path | None, out: Path, fmt: Format, keep_valid: bool) -> None:
    """Read and validate a dataset, then write it in another format.

    Parquet loads several times faster than CSV for large datasets, and every command
    reads it like CSV (--data DIR). With rejected rows, prints them as
    file:row: field: message and writes nothing (exit 1), unless --keep-valid.
    """
    t0 = time.perf_counter()
    try:
        ds = read_dataset(data_dir)
    except DataError as exc:
        fail(exc)
        return
    for n in ds.notes:
        echo(f"note: {n.note()}", err=True)
    for p in sorted(ds.problems, key=lambda p: (p.file, p.row or 0)):
        echo(str(p), err=True)
    left_out = sum(len(r) for r in ds.rejected.values())
    if ds.problems and not keep_valid:
        echo(f"{len(ds.problems)} problem(s) in {left_out} row(s); nothing written "
             "(--keep-valid writes the valid rows).", err=True)
        sys.exit(1)
    t1 = time.perf_counter()
    save_dataset(ds, out, format=fmt)
    t2 = time.perf_counter()
    total = 0
    for table, csv_name in FILES.items():
        name = csv_name if fmt == "csv" else f"{table}.parquet"
        size = (out / name).stat().st_size
        total += size
        echo(f"wrote {out / name}: {len(getattr(ds, table)):,} {table}, {_size(size)}")
    echo(f"{_size(total)} in {t2 - t0:.1f} s (read and check {t1 - t0:.1f} s, "
         f"write {t2 - t1:.1f} s)")
    if left_out:
        echo(f"left out {left_out} rejected row(s); python -m geo validate --rejects "
             "FILE.zip lists them with their problems.", err=True)
        click.get_current_context().find_root().meta[REJECTED] = left_out
