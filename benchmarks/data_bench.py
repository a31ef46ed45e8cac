"""Load + validate + locate + summarise, and GeoJSON export, at several sizes.

Prints one table: for the bundled dataset and synthetic datasets of 10,000 and
1,000,000 incidents (generated once into --work), the time to read and validate the
CSVs, locate the incidents (distinct place names resolved once; points joined to
districts), and summarise by district; then the GeoJSON export of 100,000 incidents,
with ``GeoDataFrame.to_json()`` on the same frame as the plain-way baseline.

Usage: ``python benchmarks/data_bench.py [--sizes 10000 1000000] [--work DIR]``
"""

from __future__ import annotations

import argparse
import gc
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from geo import Gazetteer
from geo.export import incident_frame, write_geojson
from geo.locate import locate_incidents
from geo.records import load_dataset
from geo.summary import summarise
from geo.synthetic import synthetic_dataset

GENERATOR = "v2"
"""Bumped when geo.synthetic changes, so a stale cached dataset is not reused."""


def _ensure(work: Path, n: int, gaz: Gazetteer) -> Path:
    folder = work / f"synthetic-{n}-{GENERATOR}"
    if not (folder / "claims.csv").exists():
        folder.mkdir(parents=True, exist_ok=True)
        for name, df in synthetic_dataset(gaz.places, n, seed=1).items():
            df.to_csv(folder / f"{name}.csv", index=False)
    return folder


def _pipeline(folder: Path | None, gaz: Gazetteer, repeat: int = 1) -> dict[str, float]:
    """Median of `repeat` runs per stage (this shared VM's timings vary by +-30 %)."""
    runs = [_once(folder, gaz) for _ in range(repeat)]
    out = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    out["best"] = min(r["total"] for r in runs)
    return out


def _once(folder: Path | None, gaz: Gazetteer) -> dict[str, float]:
    gc.collect()
    t0 = time.perf_counter()
    ds = load_dataset(folder) if folder is None else _load_lenient(folder)
    t1 = time.perf_counter()
    located = locate_incidents(ds.incidents, gaz)
    t2 = time.perf_counter()
    summarise(ds, gaz, "lowest", located=located)
    t3 = time.perf_counter()
    return {"incidents": len(ds.incidents), "claims": len(ds.claims), "read": t1 - t0,
            "locate": t2 - t1, "summarise": t3 - t2, "total": t3 - t0}


def _load_lenient(folder: Path):  # type: ignore[no-untyped-def]
    from geo.records import read_dataset

    return read_dataset(folder)


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[10_000, 1_000_000])
    ap.add_argument("--export", type=int, default=100_000, help="incidents to export")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "geo-bench")
    ap.add_argument("--repeat", type=int, default=3, help="runs per size (median shown)")
    args = ap.parse_args(argv)
    gaz = Gazetteer.load()
    rows = [("bundled", _pipeline(None, gaz, args.repeat))]
    for n in args.sizes:
        rows.append((f"synthetic {n:,}",
                     _pipeline(_ensure(args.work, n, gaz), gaz, args.repeat)))
    print(f"median of {args.repeat} runs per size; best = fastest total")
    print(f"{'dataset':<20} {'incidents':>10} {'claims':>10} {'read+valid':>10} "
          f"{'locate':>8} {'summarise':>9} {'total s':>8} {'best s':>7}")
    for name, r in rows:
        print(f"{name:<20} {r['incidents']:>10,.0f} {r['claims']:>10,.0f} {r['read']:>10.2f} "
              f"{r['locate']:>8.2f} {r['summarise']:>9.2f} {r['total']:>8.2f} {r['best']:>7.2f}")

    folder = _ensure(args.work, args.export, gaz)
    ds = _load_lenient(folder)
    frame = incident_frame(summarise(ds, gaz, "lowest"), ds)
    ours_runs, plain_runs = [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            write_geojson(frame, Path(tmp) / "out.geojson")
            ours_runs.append(time.perf_counter() - t0)
            size = (Path(tmp) / "out.geojson").stat().st_size
        t0 = time.perf_counter()
        text = frame.to_json()
        plain_runs.append(time.perf_counter() - t0)
    ours, plain = statistics.median(ours_runs), statistics.median(plain_runs)
    print(f"\nGeoJSON export of {len(frame):,} incidents (median of {args.repeat}): "
          f"ours (RFC 7946 writer) {ours:.2f} s, "
          f"{size / 1e6:.0f} MB; GeoDataFrame.to_json() {plain:.2f} s, "
          f"{len(text) / 1e6:.0f} MB; speed-up {plain / ours:.1f}x")


if __name__ == "__main__":
    main()
