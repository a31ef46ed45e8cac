"""Dashboard timings in headless Chromium, with every non-local request blocked.

1. **Start**: from launching ``streamlit run dashboard.py`` (a fresh process each
   repeat; the browser is already open) to the map showing *all* incident symbols
   of the bundled dataset (counted in Leaflet, not guessed from a timer); no analysis
   cache on disk (``GEO_CACHE_DIR=off``), so each start is a first start. Then to the
   whole page drawn (the last download button shown and the run finished).
2. **Redraw**: from choosing another district in the sidebar to the new map showing
   the symbols of that selection (alternating Quetta / All).
3. **Floor**: the start time of ``benchmarks/floor_app.py``, one marker on an offline
   st_folium map: what Streamlit and st_folium cost on this machine before our code.

Targets from the dashboard issue (bundled data): start <= 2.5 s, redraw <= 1 s.
Uses Debian's /usr/bin/chromium via Playwright. Run: ``python -m benchmarks.dashboard_bench``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from typing import Any

from geo import Gazetteer
from geo.analysis.filter import Filter
from geo.analysis.summary import summarise
from geo.dataset.records import load_dataset
from tests.support.browser import (
    PAGE_END,
    expect_draw,
    expected_symbols,
    launch,
    pick_option,
    timed_start,
    wait_draw,
)

START_TARGET, REDRAW_TARGET = 2.5, 1.0


def symbols_for(district: str | None) -> int:
    """How many circles the map must show for the bundled data."""
    s = summarise(load_dataset(), Gazetteer.load(), Filter.from_text(district=district))
    return sum(expected_symbols(s).values())


def choose_district(page: Any, name: str) -> None:
    pick_option(page, page.locator(".st-key-district"), name)


def run(script: str, counts: tuple[int, int], repeat: int, redraws: int
        ) -> dict[str, list[float]]:
    """Start *script* fresh *repeat* times; time the first draw and district changes.

    Draw times are taken inside the page (:data:`browserkit.DRAW_CLOCK_JS`), so
    Playwright's polling does not add to them.
    """
    from playwright.sync_api import sync_playwright

    os.environ["GEO_CACHE_DIR"] = "off"  # every start analyses the data: a first start
    n_all, n_quetta = counts
    out: dict[str, list[float]] = {"health": [], "start": [], "complete": [], "redraw": []}
    with sync_playwright() as p:
        browser = launch(p)
        for _ in range(repeat):
            with timed_start(browser, script, n_all,
                             complete=PAGE_END if n_quetta else None) as run:
                out["health"].append(run.health)
                out["start"].append(run.start)
                if run.complete is not None:
                    out["complete"].append(run.complete)
                if redraws and n_quetta:  # a select box drawn a moment ago can miss a click
                    run.page.wait_for_timeout(1000)
                for i in range(redraws if redraws and n_quetta else 0):
                    name, n = ("Quetta", n_quetta) if i % 2 == 0 else ("All", n_all)
                    seen = expect_draw(run.page, n)
                    t1 = time.time()
                    choose_district(run.page, name)
                    out["redraw"].append(wait_draw(run.page, seen) - t1)
        browser.close()
    return out


def _line(label: str, v: list[float], target: float | None) -> str:
    verdict = "" if target is None else (
        f"  target {target:g} s: {'met' if statistics.median(v) <= target else 'NOT met'}")
    return (f"{label:40s} median {statistics.median(v):5.2f} s  min {min(v):5.2f}  "
            f"max {max(v):5.2f}  (n={len(v)}){verdict}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3, help="fresh server starts")
    ap.add_argument("--redraws", type=int, default=6, help="filter changes per start")
    args = ap.parse_args()
    counts = symbols_for(None), symbols_for("Quetta")
    t = run("dashboard.py", counts, args.repeat, args.redraws)
    floor = run("benchmarks/floor_app.py", (1, 0), args.repeat, 0)
    print(f"bundled dataset: {counts[0]} symbols (Quetta: {counts[1]}); "
          f"{args.repeat} fresh starts, {args.redraws} district changes each")
    print(_line("process start -> server healthy", t["health"], None))
    print(_line("process start -> all symbols drawn", t["start"], START_TARGET))
    print(_line("process start -> whole page drawn", t["complete"], None))
    print(_line("district change -> new map drawn", t["redraw"], REDRAW_TARGET))
    print(_line("floor: one-marker st_folium app, start", floor["start"], None))


if __name__ == "__main__":
    main()
