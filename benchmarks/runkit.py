"""Measurements for ``benchmarks/run.py``, each run in a fresh process for clean memory.

``python -m benchmarks.runkit KIND --data DIR [--repeat R]`` prints one JSON object:

* ``pipeline``: load + validate, locate, summarise by district (ours), then the plain
  way on the same located points (``geopandas.sjoin`` to the districts, then
  ``groupby`` sums); peak resident memory of the process.
* ``export``: our RFC 7946 GeoJSON writer and ``GeoDataFrame.to_json()`` on the same
  frame.
* ``page``: the dashboard under Streamlit's AppTest: first run, district changes
  (rerun time), bytes of the map element and of the whole page sent to the browser.
* ``plainmap``: one ``folium.CircleMarker`` per incident, built and rendered.
* ``browser``: ``streamlit run`` to the map drawn in headless Chromium, the whole page,
  a district change, the server's peak memory.
* ``floor``: the same start of a one-marker ``st_folium`` page.
* ``pairs``: starts of the floor page and of the dashboard, interleaved (``--cache
  primed``: restarts, the dataset's analysis on disk).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.startkit import (
    default_symbols,
    first_start,
    ready_first_starts,
)
from tests.support import ROOT


def peak_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _median(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def pipeline(data: Path | None, repeat: int) -> dict[str, Any]:
    """Ours: read + validate, locate, summarise; then sjoin + groupby on the same points."""
    import geopandas as gpd
    import pandas as pd

    from geo import Gazetteer
    from geo.analysis.locate import locate_incidents
    from geo.analysis.summary import summarise
    from geo.dataset.records import read_dataset
    from geo.dataset.schema import CATEGORIES

    gaz = Gazetteer.load()
    t_read, ds = _median(lambda: read_dataset(data), repeat)
    t_loc, located = _median(lambda: locate_incidents(ds.incidents, gaz), repeat)
    t_sum, s = _median(lambda: summarise(ds, gaz, located=located), repeat)
    peak = peak_mb()
    # The plain way, given the same coordinates: points -> sjoin -> groupby.
    inc = s.incidents
    figs = [f"{c}_best" for c in CATEGORIES]
    table = pd.DataFrame(inc[["lon", "lat", *figs]])
    districts = gaz.boundaries.districts[["district_name", "geometry"]]

    def plain() -> tuple[pd.DataFrame, pd.DataFrame]:
        pts = gpd.GeoDataFrame(table, geometry=gpd.points_from_xy(table["lon"], table["lat"]),
                               crs="EPSG:4326")
        joined = gpd.sjoin(pts, districts, how="left", predicate="within")
        return joined, joined.groupby("district_name")[figs].sum(min_count=1)

    t_plain, (joined, _by) = _median(plain, repeat)
    # Points on no polygon (coast, border): ours snaps them to the nearest district
    # within a tolerance; the plain join leaves them out.
    unjoined = int(joined["district_name"].isna().sum())
    return {"incidents": len(ds.incidents), "claims": len(ds.claims),
            "located": len(located.incidents), "read": t_read, "locate": t_loc,
            "summarise": t_sum, "total": t_read + t_loc + t_sum, "peak_mb": peak,
            "plain_join_groupby": t_plain, "ours_join_groupby": t_loc + t_sum,
            "plain_unjoined": unjoined, "format": sorted(set(ds.files.values()))}


def export(data: Path | None, repeat: int) -> dict[str, Any]:
    """Our GeoJSON writer against ``GeoDataFrame.to_json()`` on the same frame."""
    from geo import Gazetteer
    from geo.analysis.summary import summarise
    from geo.dataset.records import read_dataset
    from geo.export.tables import incident_frame, write_geojson

    ds = read_dataset(data)
    frame = incident_frame(summarise(ds, Gazetteer.load()), ds)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.geojson"
        t_ours, _ = _median(lambda: write_geojson(frame, out), repeat)
        size = out.stat().st_size
    t_plain, text = _median(frame.to_json, repeat)
    return {"features": len(frame), "ours": t_ours, "ours_mb": size / 1e6,
            "plain": t_plain, "plain_mb": len(text.encode()) / 1e6}


def page(data: Path | None, repeat: int) -> dict[str, Any]:
    """The dashboard under AppTest: first run, district changes, bytes sent."""
    from streamlit.testing.v1 import AppTest

    if data is not None:
        os.environ["GEO_DATA_ROOTS"] = str(data.parent)
    at = AppTest.from_file(str(ROOT / "ui" / "pages" / "incidents.py"), default_timeout=600)
    if data is not None:
        at.query_params["data"] = str(data)
    t0 = time.perf_counter()
    at.run()  # a session's first view (headline and map), then the whole page
    first = time.perf_counter() - t0
    at.run()
    if at.exception:
        raise RuntimeError(f"the page failed: {at.exception}")
    top = [o for o in at.sidebar.selectbox(key="district").options if o != "All"][:3]
    changes = []
    for i in range(max(repeat, 2) * 2):
        name = top[(i // 2) % len(top)] if i % 2 == 0 else "All"
        at.sidebar.selectbox(key="district").set_value(name)
        t0 = time.perf_counter()
        at.run()
        changes.append(time.perf_counter() - t0)
    at.sidebar.selectbox(key="district").set_value("All").run()
    maps = at.get("component_instance")
    map_bytes = sum(m.proto.ByteSize() for m in maps)
    total = sum(e.proto.ByteSize() for e in _leaves(at._tree)
                if getattr(e, "proto", None) is not None)
    return {"first_run": first, "filter_change": statistics.median(changes),
            "filter_change_max": max(changes), "map_mb": map_bytes / 1e6,
            "page_mb": total / 1e6, "peak_mb": peak_mb()}


def _leaves(node: Any) -> list[Any]:
    kids = getattr(node, "children", None)
    if not kids:
        return [node]
    return [leaf for k in kids.values() for leaf in _leaves(k)]


def plainmap(data: Path | None, repeat: int) -> dict[str, Any]:
    """One ``folium.CircleMarker`` per located incident, added and rendered."""
    import folium

    from geo import Gazetteer
    from geo.analysis.summary import summarise
    from geo.dataset.records import read_dataset

    inc = summarise(read_dataset(data), Gazetteer.load()).incidents

    def build() -> int:
        m = folium.Map(tiles=None, prefer_canvas=True)
        for lat, lon, iid in zip(inc["lat"].tolist(), inc["lon"].tolist(),
                                 inc["incident_id"].astype(str).tolist(), strict=True):
            folium.CircleMarker([lat, lon], radius=4, tooltip=iid).add_to(m)
        return len(m.get_root().render().encode())

    t, size = _median(build, max(1, repeat // 3))
    return {"markers": len(inc), "seconds": t, "html_mb": size / 1e6}


def _vm_peak_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of a process, in MB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def browser(data: Path | None, repeat: int, cache: str = "empty") -> dict[str, Any]:
    """``streamlit run dashboard.py`` to every symbol drawn in headless Chromium
    (network blocked), then to the whole page drawn (the last download button shown),
    then one district change; the server's peak memory.

    ``dashboard.py`` (what ``make run`` starts) serves *data* as its default dataset
    (``GEO_DATASET``), which it reads and locates as it starts.
    *cache* is the analysis cache (:mod:`geo.analysis.cache`) the server finds:
    ``empty`` (a new folder each start: a dataset never opened before) or ``primed``
    (the entry a previous start wrote: a restart).
    """

    from playwright.sync_api import sync_playwright

    from tests.support.browser import (
        PAGE_END,
        expect_draw,
        launch,
        pick_option,
        timed_start,
        wait_draw,
    )

    gaz, want = default_symbols(data)
    if data is not None:
        os.environ["GEO_DATASET"] = str(data)
    starts, completes, redraws, peaks = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        primed = Path(tmp) / "primed"
        if cache == "primed":
            _prime(data, gaz, primed)
        chromium = launch(p)
        for i in range(repeat):
            os.environ["GEO_CACHE_DIR"] = str(primed if cache == "primed"
                                              else Path(tmp) / f"empty-{i}")
            with timed_start(chromium, "dashboard.py", want, timeout=120,
                             complete=PAGE_END) as run:
                starts.append(run.start)
                completes.append(run.complete)
                pick_option(run.page, run.page.locator(".st-key-district"), index=1)
                run.page.wait_for_timeout(2000)
                seen = expect_draw(run.page, want)
                t1 = time.time()
                pick_option(run.page, run.page.locator(".st-key-district"), "All")
                redraws.append(wait_draw(run.page, seen, timeout=60) - t1)
                peaks.append(_vm_peak_mb(run.proc.pid))
        chromium.close()
    return {"symbols": want, "start": statistics.median(starts), "start_min": min(starts),
            "start_max": max(starts), "complete": statistics.median(completes),
            "redraw": statistics.median(redraws),
            "server_peak_mb": max(peaks)}


def floor(data: Path | None, repeat: int) -> dict[str, Any]:
    """The same start, timed the same way, of ``benchmarks/floor_app.py``: one marker on
    an offline st_folium map, no data. Streamlit's server, its front end in Chromium and
    the map frame: what no dashboard on this machine, at this hour, can start under."""
    del data
    from benchmarks.dashboard_bench import run

    starts = run("benchmarks/floor_app.py", (1, 0), repeat, 0)["start"]
    return {"start": statistics.median(starts), "start_min": min(starts),
            "start_max": max(starts)}


def _prime(data: Path | None, gaz: Any, folder: Path) -> None:
    """Write *data*'s analysis to the cache *folder*, as a server does once it has
    analysed a dataset: what a restart then finds."""
    from geo.analysis.cache import cached_analysis, store
    from geo.bundled import dataset_dir
    from geo.dataset.ingest import collect

    files = collect(data if data is not None else dataset_dir())
    an, _ = cached_analysis(files, gaz, folder)
    an.summary()
    if store(files, an, folder) is None:
        raise RuntimeError("could not write the analysis cache")


def pairs(data: Path | None, repeat: int, cache: str = "empty") -> dict[str, Any]:
    """*repeat* pairs of starts, each the floor page (:func:`floor`) then
    ``dashboard.py`` on *data*, timed as :func:`browser` times them. *cache* as in
    :func:`browser`: ``empty`` (first starts: a dataset never analysed) or ``primed``
    (restarts: the analysis a previous start wrote is on disk).

    The speed of this machine drifts by a third within minutes (the floor page alone
    took 2.3-3.2 s in one hour), so a median of three starts says as much about the hour
    as about the page. Interleaved pairs see the same hour: the difference of a pair is
    what the dashboard adds to a start, whatever the machine's speed.
    """
    from playwright.sync_api import sync_playwright

    from tests.support.browser import launch

    want = ready_first_starts(data)
    floors, apps = [], []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        primed = Path(tmp) / "primed"
        if cache == "primed":
            from geo import Gazetteer

            _prime(data, Gazetteer.load(), primed)
        chromium = launch(p)
        for i in range(repeat):
            floors.append(first_start(chromium, "benchmarks/floor_app.py", 1,
                                      Path(tmp) / f"empty-floor-{i}"))
            apps.append(first_start(chromium, "dashboard.py", want,
                                    primed if cache == "primed" else Path(tmp) / f"empty-{i}"))
        chromium.close()
    over = [a - f for f, a in zip(floors, apps, strict=True)]
    return {"pairs": repeat, "cache": cache, "floor": statistics.median(floors),
            "start": statistics.median(apps), "start_max": max(apps),
            "over_floor": statistics.median(over), "over_4s": sum(a > 4 for a in apps),
            "floors": floors, "starts": apps}


def gazetteer(data: Path | None, repeat: int) -> dict[str, Any]:
    """Resolutions per second over a synthetic 50,000-name gazetteer on one core, exact
    and fuzzy, against ``rapidfuzz.process.extractOne`` (default scorer) over all names;
    answers on labelled misspellings (the name each was made from), with one and with
    two reporter-like errors (:func:`geo.synthetic.misspell`)."""
    del data, repeat
    import numpy as np
    from rapidfuzz import process

    from benchmarks.gazetteer_bench import _fuzzy_queries, _rate
    from geo import Gazetteer
    from geo.gazetteer.normalise import normalise
    from geo.synthetic import synthetic_places

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    base = Gazetteer.load()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "synthetic.csv"
        synthetic_places(base.places, 50_000, seed=0).to_csv(path, index=False)
        t0 = time.perf_counter()
        gaz = Gazetteer.load(path, bundled=False, boundaries=base.boundaries)
        gaz._fuzzy_index()  # built on the first fuzzy look-up: counted in the load
        load = time.perf_counter() - t0
    names = gaz.places["name"].tolist()
    rng = np.random.default_rng(1)
    exact = [names[i] for i in rng.permutation(len(names))[:20_000]]
    out: dict[str, Any] = {"names": len(names), "load": load,
                           "exact_per_s": _rate(gaz.resolve, exact, 2.0), "labelled": 300}
    for errors in (1, 2):
        fuzzy, truth = _fuzzy_queries(gaz, 2000, seed=2, errors=errors)
        labelled, labels = fuzzy[:300], truth[:300]
        ours = [m.name for m in gaz.resolve_many(labelled)]
        plain = [r[0] if r else None for r in (process.extractOne(q, names) for q in labelled)]
        keys = [normalise(q) for q in labelled]
        idx = gaz._fuzzy_index()
        found = sum(idx.search(k, limit=1, accept=gaz.fuzzy_threshold)[:1]
                    == idx.search(k, limit=1, exhaustive=True)[:1] for k in keys)
        n = len(labelled)
        out[f"e{errors}"] = {
            "fuzzy_per_s": _rate(gaz.resolve, fuzzy, 2.0),
            "plain_per_s": _rate(lambda q: process.extractOne(q, names), fuzzy[:100], 2.0),
            "ours_right": sum(a == b for a, b in zip(ours, labels, strict=True)) / n,
            "plain_right": sum(a == b for a, b in zip(plain, labels, strict=True)) / n,
            "same_answer": sum(a == b for a, b in zip(ours, plain, strict=True)) / n,
            "index_best": found / n,
        }
    return out


KINDS = {"gazetteer": gazetteer, "pipeline": pipeline, "export": export, "page": page,
         "plainmap": plainmap, "browser": browser, "floor": floor, "pairs": pairs}


def main() -> None:
    # No analysis cache on disk unless a measurement sets its own (the browser starts):
    # the page is timed on its own work, and nothing is left in the user's ~/.cache.
    os.environ["GEO_CACHE_DIR"] = "off"
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kind", choices=sorted(KINDS))
    ap.add_argument("--data", type=Path, default=None, help="dataset folder (default bundled)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cache", choices=["empty", "primed"], default="empty",
                    help="browser, pairs: the analysis cache the server finds")
    args = ap.parse_args()
    extra = {"cache": args.cache} if args.kind in ("browser", "pairs") else {}
    print(json.dumps(KINDS[args.kind](args.data, args.repeat, **extra), default=str))


if __name__ == "__main__":
    main()
