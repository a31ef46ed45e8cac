"""Write a synthetic dataset folder that every CLI command accepts with ``--data DIR``.

Usage: ``python -m benchmarks.generate --incidents N [--seed S] [--format csv|parquet]
--out DIR``
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path

from geo import Gazetteer
from geo.dataset.save import write_files
from geo.synthetic import synthetic_dataset


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--incidents", type=int, required=True, help="number of incidents")
    ap.add_argument("--seed", type=int, default=0, help="random seed")
    ap.add_argument("--out", type=Path, required=True, help="output folder")
    ap.add_argument("--format", choices=("csv", "parquet"), default="csv",
                    help="csv files, or parquet (incidents as GeoParquet)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    tables = synthetic_dataset(Gazetteer.load().places, args.incidents, seed=args.seed)
    write_files(tables, args.out, args.format)
    sizes = ", ".join(f"{len(df):,} {name}" for name, df in tables.items())
    print(f"wrote {sizes} to {args.out} in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
