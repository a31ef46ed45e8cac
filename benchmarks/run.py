"""Every scale measurement in one table: ours beside the plain geopandas/folium way.

For the bundled data and synthetic datasets of 10,000, 100,000 and (library only)
1,000,000 incidents, generated once into ``--work`` by ``benchmarks/generate.py`` as
CSV and as GeoParquet, each measurement runs in a fresh process
(``benchmarks/runkit.py``) so peak memory is its own:

* load + validate + locate + summarise, from CSV and from GeoParquet; peak memory;
  baseline: ``geopandas.sjoin`` + ``groupby`` on the same located points;
* the page under Streamlit's AppTest: one district change (rerun time), bytes of the
  map and of the whole page sent to the browser;
* ``streamlit run dashboard.py`` (what ``make run`` starts) to every map symbol drawn
  in headless Chromium with the network blocked, then to the whole page drawn, and the
  server's peak memory: a first start (empty analysis cache) and a restart (the cache
  entry the first start wrote); then, in the same page, the time from choosing
  "All" districts (after one district) to the whole map redrawn; and once, the same
  start of a one-marker st_folium page (``benchmarks/floor_app.py``), which tells how
  fast this machine starts anything at this hour; for the largest size in the page,
  ``--pairs`` first starts each right after a start of that floor page, so the
  dashboard's cost over the floor is measured in the same minutes, and as many
  restarts (the analysis on disk) paired the same way;
* GeoJSON export; baseline ``GeoDataFrame.to_json()`` on the same frame;
* baseline map: one ``folium.CircleMarker`` per incident, built and rendered;
* gazetteer resolutions per second over 50,000 names, exact and fuzzy; baseline
  ``rapidfuzz.process.extractOne`` (default scorer) over all names; answers on
  labelled misspellings.

Usage: ``python -m benchmarks.run [--sizes 10000 100000 1000000] [--page-max 100000]
[--work DIR] [--repeat 3] [--pairs 8] [--no-browser]``. Takes about twenty-five minutes
on two cores.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from tests.support import ROOT

GENERATOR = "v4"
"""Bumped when geo.synthetic changes, so a stale generated dataset is not reused."""
PLAIN_MAP_MAX = 100_000
"""Largest size the one-CircleMarker-per-incident baseline is run at."""


def _work(kind: str, data: Path | None, repeat: int, *extra: str) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "benchmarks.runkit", kind, "--repeat",
           str(repeat), *extra] + ([] if data is None else ["--data", str(data)])
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    if out.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{out.stderr[-3000:]}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def generated(work: Path, n: int, fmt: str) -> Path:
    """The synthetic dataset of *n* incidents in *fmt* under *work* (seed 1), generated
    if missing."""
    folder = work / f"synthetic-{n}-{GENERATOR}-{fmt}"
    if not (folder / f"claims.{fmt}").exists():
        subprocess.run([sys.executable, "-m", "benchmarks.generate",
                        "--incidents", str(n), "--seed", "1", "--format", fmt,
                        "--out", str(folder)], check=True, cwd=ROOT)
    return folder


def _f(fmt: str) -> Callable[[Any], str]:
    return lambda v: "" if v is None else fmt.format(v)


def measure(sizes: Sequence[int], page_max: int, work: Path, repeat: int,
            browser: bool, pairs: int = 8) -> tuple[list[str], dict[str, dict[str, Any]]]:
    """Run every measurement; returns the column names and per column the results."""
    sizes_paged = [n for n in sizes if n <= page_max] or [None]
    cols = ["bundled", *[f"{n:,}" for n in sizes]]
    res: dict[str, dict[str, Any]] = {}
    for col, n in zip(cols, [None, *sizes], strict=True):
        csv = None if n is None else generated(work, n, "csv")
        pq = None if n is None else generated(work, n, "parquet")
        r: dict[str, Any] = {"csv": _work("pipeline", csv, repeat)}
        print(f"{col}: pipeline from CSV done", file=sys.stderr)
        if pq is not None:
            r["parquet"] = _work("pipeline", pq, repeat)
            print(f"{col}: pipeline from GeoParquet done", file=sys.stderr)
        r["export"] = _work("export", pq, repeat)
        if n is None or n <= page_max:
            r["page"] = _work("page", pq, repeat)
            print(f"{col}: page done", file=sys.stderr)
            if browser:
                r["browser"] = _work("browser", pq, repeat)
                r["restart"] = _work("browser", pq, repeat, "--cache", "primed")
                if n is None:  # once per run: how fast the machine starts anything now
                    r["floor"] = _work("floor", None, repeat)
                if n == max(sizes_paged):  # the largest page: starts beside the floor's
                    r["pairs"] = _work("pairs", pq, pairs)
                    r["restart_pairs"] = _work("pairs", pq, pairs, "--cache", "primed")
                print(f"{col}: browser done", file=sys.stderr)
        if n is None or n <= PLAIN_MAP_MAX:
            r["plainmap"] = _work("plainmap", pq, repeat)
            print(f"{col}: plain map done", file=sys.stderr)
        res[col] = r
    res["gazetteer"] = _work("gazetteer", None, repeat)
    return cols, res


ROWS: list[tuple[str, str, str, str]] = [
    # (label, path into the results, format, target)
    ("incidents", "csv.incidents", "{:,}", ""),
    ("claims", "csv.claims", "{:,}", ""),
    ("read + validate, CSV (s)", "csv.read", "{:.2f}", ""),
    ("read + validate, GeoParquet (s)", "parquet.read", "{:.2f}", ""),
    ("locate: names + district join (s)", "parquet.locate|csv.locate", "{:.2f}", ""),
    ("summarise by district (s)", "parquet.summarise|csv.summarise", "{:.2f}", ""),
    ("total from CSV (s)", "csv.total", "{:.2f}", ""),
    ("total from GeoParquet (s)", "parquet.total", "{:.2f}", "1M: < 5 s"),
    ("peak memory, library (MB)", "parquet.peak_mb|csv.peak_mb", "{:,.0f}", ""),
    ("plain: sjoin + groupby, same points (s)", "parquet.plain_join_groupby|"
     "csv.plain_join_groupby", "{:.2f}", ""),
    ("  points the plain join leaves out", "parquet.plain_unjoined|csv.plain_unjoined",
     "{:,}", ""),
    ("page: district change, AppTest rerun (s)", "page.filter_change", "{:.2f}", "100k: < 1 s"),
    ("page: map sent to the browser (MB)", "page.map_mb", "{:.2f}", "100k: < 5 MB"),
    ("page: everything sent (MB)", "page.page_mb", "{:.2f}", ""),
    ("Chromium: streamlit run dashboard.py -> map drawn (s)", "browser.start", "{:.2f}",
     "100k: <= 4 s"),
    ("  same, then the whole page (filters, downloads) (s)", "browser.complete", "{:.2f}", ""),
    ("  same, restart: analysis cache on disk (s)", "restart.start", "{:.2f}", "100k: <= 4 s"),
    ("  floor: one-marker st_folium page, same start (s)", "floor.start", "{:.2f}", ""),
    ("  first starts paired with the floor page: median (s)", "pairs.start", "{:.2f}",
     "100k: <= 4 s"),
    ("    the floor page in those pairs: median (s)", "pairs.floor", "{:.2f}", ""),
    ("    dashboard over the floor, per pair: median (s)", "pairs.over_floor", "{:.2f}", ""),
    ("    paired first starts over 4 s", "pairs.over_4s", "{:d}", ""),
    ("  restarts paired with the floor page: over the floor, per pair: median (s)",
     "restart_pairs.over_floor", "{:.2f}", ""),
    ("Chromium: map symbols drawn", "browser.symbols", "{:,}", ""),
    ("Chromium: district back to all -> map redrawn (s)", "browser.redraw", "{:.2f}", ""),
    ("server peak memory (MB)", "browser.server_peak_mb", "{:,.0f}", "100k: < 1,024"),
    ("plain: CircleMarker per incident (s)", "plainmap.seconds", "{:.2f}", ""),
    ("plain: its HTML (MB)", "plainmap.html_mb", "{:.1f}", ""),
    ("GeoJSON export, ours (s)", "export.ours", "{:.2f}", ""),
    ("plain: GeoDataFrame.to_json() (s)", "export.plain", "{:.2f}", ""),
    ("export speed-up (x)", "export.speedup", "{:.1f}", "100k: >= 2.5x"),
]


def _get(r: dict[str, Any], path: str) -> Any:
    for alt in path.split("|"):
        node: Any = r
        for part in alt.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if node is not None:
            return node
    return None


def table(cols: list[str], res: dict[str, dict[str, Any]]) -> str:
    """The results as one fixed-width text table (markdown-compatible)."""
    for col in cols:
        e = res[col].get("export")
        if e:
            e["speedup"] = e["plain"] / e["ours"] if e["ours"] else None
    head = ["measure", *cols, "target"]
    lines = [[label, *[_f(fmt)(_get(res[c], path)) for c in cols], target]
             for label, path, fmt, target in ROWS]
    g = res["gazetteer"]
    e1, e2 = g["e1"], g["e2"]

    def both(fmt: str, key: str) -> tuple[str, str]:
        return format(e1[key], fmt), format(e2[key], fmt)

    gaz = [("exact resolutions/s", f"{g['exact_per_s']:,.0f}", "", ""),
           ("fuzzy resolutions/s, ours", *both(",.0f", "fuzzy_per_s"), ""),
           ("plain: extractOne (WRatio) over all names/s", *both(",.1f", "plain_per_s"), ""),
           ("fuzzy speed-up (x)", f"{e1['fuzzy_per_s'] / e1['plain_per_s']:,.0f}",
            f"{e2['fuzzy_per_s'] / e2['plain_per_s']:,.0f}", ">= 100x"),
           (f"right answers on {g['labelled']} labelled misspellings: ours / plain",
            f"{e1['ours_right']:.1%} / {e1['plain_right']:.1%}",
            f"{e2['ours_right']:.1%} / {e2['plain_right']:.1%}", "same or better"),
           ("same answer as extractOne", *both(".1%", "same_answer"), ""),
           ("our index finds the best of a full scan", *both(".1%", "index_best"), "")]
    width = [max(len(str(x)) for x in col) for col in zip(head, *lines, strict=True)]

    def row(cells: Sequence[str]) -> str:
        return "| " + " | ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                                 for i, (c, w) in enumerate(zip(cells, width, strict=True))
                                 ) + " |"
    out = [row(head), "|" + "|".join("-" * (w + 2) for w in width) + "|"]
    out += [row(line) for line in lines]
    out += ["", f"| gazetteer, {g['names']:,} names | one error | two errors | target |",
            "|---|---:|---:|---|"]
    out += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in gaz]
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--page-max", type=int, default=100_000,
                    help="largest size run in the page and the browser")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "geo-bench")
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    ap.add_argument("--pairs", type=int, default=8,
                    help="first starts paired with the floor page's (largest page size)")
    ap.add_argument("--no-browser", action="store_true", help="skip the Chromium start")
    ap.add_argument("--json", type=Path, help="also write the raw results here")
    args = ap.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    cols, res = measure(args.sizes, args.page_max, args.work, args.repeat, not args.no_browser,
                        args.pairs)
    if args.json:
        args.json.write_text(json.dumps(res, indent=1, default=str))
    print(f"median of {args.repeat} runs; each measurement in a fresh process")
    print(table(cols, res))


if __name__ == "__main__":
    main()
