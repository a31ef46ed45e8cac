"""The interactive map at scale: build time and HTML bytes, ours vs the plain way.

For synthetic datasets of each size (generated once into --work), prints the time to
build our incident map (clustering included, above ``MAX_POINTS`` located incidents)
and render its HTML, the HTML size, and the same for the baseline a user would write:
one ``folium.CircleMarker`` (with a popup) per incident on a ``folium.Map``.
The baseline is skipped above ``--baseline-max`` incidents.

Usage: ``python benchmarks/mapbench.py [--sizes 10000 100000] [--work DIR]``
"""

from __future__ import annotations

import argparse
import gc
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import folium
import pandas as pd

from geo import Gazetteer
from geo.incidentmap import describe_map, incident_map, map_representation
from geo.records import read_dataset
from geo.summary import Summary, summarise
from geo.synthetic import synthetic_dataset

GENERATOR = "v2"
"""Bumped when geo.synthetic changes, so a stale cached dataset is not reused."""


def plain_map_baseline(incidents: pd.DataFrame) -> folium.Map:
    """The map a user would write: one ``CircleMarker`` with a popup per incident.

    Parameters
    ----------
    incidents : pandas.DataFrame
        Located incidents with ``lat``, ``lon``, ``incident_id``, ``place`` and
        ``event_date`` (``Summary.incidents``).

    Returns
    -------
    folium.Map
        Default OpenStreetMap tiles and CDN assets (as folium makes it).
    """
    m = folium.Map(location=[30.0, 69.0], zoom_start=5)
    for r in incidents[["lat", "lon", "incident_id", "place", "event_date"]].itertuples():
        folium.CircleMarker([r.lat, r.lon], radius=4, color="#d7301f", fill=True,
                            popup=f"{r.incident_id}: {r.place} ({str(r.event_date)[:10]})",
                            ).add_to(m)
    return m


def _dataset(work: Path, n: int, gaz: Gazetteer) -> Path:
    folder = work / f"synthetic-{n}-{GENERATOR}"
    if not (folder / "claims.csv").exists():
        folder.mkdir(parents=True, exist_ok=True)
        for name, df in synthetic_dataset(gaz.places, n, seed=1).items():
            df.to_csv(folder / f"{name}.csv", index=False)
    return folder


def ours(s: Summary, gaz: Gazetteer, repeat: int = 3) -> tuple[float, int]:
    """Median seconds to build and render our map, and its HTML size in bytes."""
    times, size = [], 0
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        html = incident_map(s, gaz).get_root().render()
        times.append(time.perf_counter() - t)
        size = len(html.encode("utf-8"))
    return statistics.median(times), size


def baseline(s: Summary) -> tuple[float, int]:
    """Seconds to build and render :func:`plain_map_baseline`, and its HTML bytes."""
    gc.collect()
    t = time.perf_counter()
    html = plain_map_baseline(s.incidents).get_root().render()
    return time.perf_counter() - t, len(html.encode("utf-8"))


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--baseline-max", type=int, default=100_000,
                    help="skip the baseline above this many incidents")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "geo-bench")
    args = ap.parse_args(argv)
    gaz = Gazetteer.load()
    print(f"{'incidents':>10} {'located':>9} {'drawn as':>9} {'ours s':>7} {'ours MB':>8} "
          f"{'plain s':>8} {'plain MB':>9}")
    for n in args.sizes:
        s = summarise(read_dataset(_dataset(args.work, n, gaz)), gaz, "lowest")
        t, size = ours(s, gaz)
        bt, bsize = baseline(s) if n <= args.baseline_max else (float("nan"), 0)
        plain = f"{bt:8.2f} {bsize / 1e6:9.1f}" if bsize else f"{'-':>8} {'-':>9}"
        print(f"{n:>10,} {len(s.incidents):>9,} {map_representation(len(s.incidents)):>9} "
              f"{t:7.2f} {size / 1e6:8.2f} {plain}")
        print(f"{'':>10} {describe_map(s)}")


if __name__ == "__main__":
    main()
