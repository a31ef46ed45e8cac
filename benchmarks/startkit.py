"""First starts of the dashboard for the benchmarks: what ``runkit.py`` (``browser``,
``pairs``) and ``idle_start.py`` share: the symbols a view draws, the dataset made the
server's default, and one timed first start in headless Chromium."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def shown_points(m: Any) -> int:
    """Point symbols a folium map draws at first (point features of the layers shown)."""
    import folium

    from geo.maps.web.viewlayers import walk

    n = 0
    for child in walk(m):
        if isinstance(child, folium.GeoJson) and getattr(child, "show", True):
            n += sum(1 for f in child.data.get("features", [])
                     if (f.get("geometry") or {}).get("type") == "Point")
    return n


def default_symbols(data: Path | None) -> tuple[Any, int]:
    """The gazetteer, and how many symbols the default view of *data* draws."""
    from geo import Gazetteer
    from geo.analysis.summary import summarise
    from geo.dataset.records import read_dataset
    from geo.maps.web.incidentmap import incident_map

    gaz = Gazetteer.load()
    return gaz, shown_points(incident_map(summarise(read_dataset(data), gaz), gaz))


def ready_first_starts(data: Path | None) -> int:
    """Before first starts of ``dashboard.py`` on *data*: make *data* the server's
    default dataset; returns how many symbols its default view draws."""
    want = default_symbols(data)[1]
    if data is not None:
        os.environ["GEO_DATASET"] = str(data)
    return want


def first_start(chromium: Any, script: str, symbols: int, cache: Path) -> float:
    """Seconds from ``streamlit run SCRIPT`` to *symbols* drawn, with *cache* as the
    analysis cache (a new folder: a first start)."""
    from tests.support.browser import timed_start

    os.environ["GEO_CACHE_DIR"] = str(cache)
    with timed_start(chromium, script, symbols, timeout=120) as run:
        return run.start
