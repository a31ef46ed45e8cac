"""Static briefing map of the bundled data: wall time of a fresh process, imports included.

Runs ``python -m geo render --out X.png`` (1920x1080) ``--repeat`` times in new
processes and prints the median, plus one in-process breakdown (imports, loading,
composing, writing). Target from the briefing issue: under 2 s including imports.
Run: ``python -m benchmarks.render_bench``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET = 2.0


def cold(out: Path, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "geo", "render", "--out", str(out)], check=True,
                       capture_output=True)
        times.append(time.perf_counter() - t)
    return times


def stages(out: Path) -> dict[str, float]:
    """One run in a fresh interpreter, timed by stage (the child prints the numbers)."""
    code = f"""
import time; t0 = time.perf_counter()
from geo import Gazetteer
from geo.dataset.records import load_dataset
from geo.analysis.summary import summarise
from geo.maps.static.render import render_map, save_map
t1 = time.perf_counter(); g = Gazetteer.load(); ds = load_dataset(); s = summarise(ds, g)
t2 = time.perf_counter(); fig = render_map(s, g, ds)
t3 = time.perf_counter(); save_map(fig, {str(out)!r})
t4 = time.perf_counter(); print(t1 - t0, t2 - t1, t3 - t2, t4 - t3)
"""
    res = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True)
    names = ("imports", "load + summarise", "compose", "write PNG")
    return dict(zip(names, (float(v) for v in res.stdout.split()), strict=True))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "map.png"
        times = cold(out, args.repeat)
        parts = stages(out)
    med = statistics.median(times)
    print(f"python -m geo render (bundled, 1920x1080 PNG), fresh process: median {med:.2f} s, "
          f"min {min(times):.2f}, max {max(times):.2f} (n={len(times)}); "
          f"target {TARGET:g} s: {'met' if med <= TARGET else 'NOT met'}")
    print("  stages: " + ", ".join(f"{k} {v:.2f} s" for k, v in parts.items()))


if __name__ == "__main__":
    main()
