"""First starts after an idle pause against first starts back to back, in headless Chromium.

``benchmarks/run.py`` times starts one after another, so the libraries a start reads
(Python's, Streamlit's front end, Chromium's own) are in the page cache. Some machines
drop idle file pages: the 2-core VM this project is measured on runs the kernel's DAMON
reclaim, which pages out memory not touched for about 30 s. There the first start after
a pause reads its libraries from disk again. This script measures that case:

per repeat, for the floor page (``benchmarks/floor_app.py``) and then ``dashboard.py`` on
*DATA* (empty analysis cache: a first start), wait *PAUSE* seconds with nothing
running, time a start, then time another start at once. Timed as in ``run.py``
(:func:`browserkit.timed_start`: process start to every symbol drawn, network blocked).

Run: ``python -m benchmarks.idle_start [--data DIR] [--pause 45] [--repeat 3]``; without
``--data``, the 100,000-incident GeoParquet dataset of ``run.py`` (generated if missing).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.run import generated
from benchmarks.startkit import first_start, ready_first_starts
from tests.support.browser import launch


def measure(data: Path, pause: float, repeat: int, chromium: Any = None
            ) -> dict[str, dict[str, list[float]]]:
    """Starts after *pause* s idle and right after, per page: ``{page: {"idle": [...],
    "warm": [...]}}`` in seconds. *chromium*: a launched browser (default: one is
    launched with :func:`browserkit.launch` and closed at the end)."""
    if chromium is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            own = launch(p)
            try:
                return measure(data, pause, repeat, own)
            finally:
                own.close()
    want = ready_first_starts(data)
    pages = (("floor", "benchmarks/floor_app.py", 1), ("app", "dashboard.py", want))
    out: dict[str, dict[str, list[float]]] = {
        name: {"idle": [], "warm": []} for name, _, _ in pages}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(repeat):
            for name, script, symbols in pages:
                time.sleep(pause)
                for kind in ("idle", "warm"):
                    out[name][kind].append(first_start(
                        chromium, script, symbols, Path(tmp) / f"empty-{name}-{i}-{kind}"))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, help="dataset folder (default: run.py's 100,000)")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "geo-bench",
                    help="run.py's folder of generated datasets")
    ap.add_argument("--pause", type=float, default=45.0, help="idle seconds before a start")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    data = args.data or generated(args.work, 100_000, "parquet")
    res = measure(data.resolve(), args.pause, args.repeat)
    print(f"process start -> map drawn, {args.repeat} repeats, median (min-max) in s")
    print(f"{'page':8s} {'after ' + format(args.pause, 'g') + ' s idle':>22s} "
          f"{'right after':>22s}")
    for name, r in res.items():
        cells = [f"{statistics.median(v):.2f} ({min(v):.2f}-{max(v):.2f})"
                 for v in (r["idle"], r["warm"])]
        print(f"{name:8s} {cells[0]:>22s} {cells[1]:>22s}")


if __name__ == "__main__":
    main()
