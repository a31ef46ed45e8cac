"""Gazetteer resolutions per second, exact and fuzzy, on one core.

Runs over the bundled gazetteer and over a synthetic 50,000-name one, and prints one
table. Beside our fuzzy look-up it times the plain way, ``rapidfuzz.process.extractOne``
with its default scorer over the whole name list, and reports how often our n-gram
index finds the same best score as a full scan.

Usage: ``python -m benchmarks.gazetteer_bench [--synthetic N] [--seconds S]``
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from rapidfuzz import process

from geo import Gazetteer
from geo.gazetteer.normalise import normalise
from geo.synthetic import misspell, synthetic_places


def _rate(fn: Callable[[str], object], queries: Sequence[str], seconds: float) -> float:
    """Calls per second of fn over queries, cycling until `seconds` have passed."""
    n, start = 0, time.perf_counter()
    while True:
        for q in queries:
            fn(q)
        n += len(queries)
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return n / elapsed


def _fuzzy_queries(gaz: Gazetteer, k: int, seed: int, errors: int = 1,
                   ) -> tuple[list[str], list[str]]:
    """k misspelt names (each with `errors` reporter-like errors) and the names."""
    rng = np.random.default_rng(seed)
    names = gaz.places["name"].tolist()
    out, truth = [], []
    while len(out) < k:
        name = names[int(rng.integers(len(names)))]
        q = name
        for _ in range(errors):
            q = misspell(q, rng)
        if normalise(q) not in gaz._keys:  # must really need the fuzzy stage
            out.append(q)
            truth.append(name)
    return out, truth


def bench(label: str, gaz: Gazetteer, seconds: float) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    exact = gaz.places["name"].tolist()
    rng = np.random.default_rng(1)
    exact = [exact[i] for i in rng.permutation(len(exact))][:20000]
    rows.append((f"{label}: exact resolutions/s",
                 f"{_rate(gaz.resolve, exact, seconds):,.0f}"))
    fuzzy, truth = _fuzzy_queries(gaz, 2000, seed=2)
    rows.append((f"{label}: fuzzy resolutions/s",
                 f"{_rate(gaz.resolve, fuzzy, seconds):,.0f}"))
    ms = gaz.resolve_many(fuzzy)
    ok = sum(m.name == t for m, t in zip(ms, truth, strict=True))
    rows.append((f"{label}: fuzzy found the intended place", f"{ok / len(fuzzy):.1%}"))
    idx = gaz._fuzzy_index()
    keys = [normalise(q) for q in fuzzy[:500]]
    agree = sum(idx.search(k, limit=1, accept=gaz.fuzzy_threshold)[0][1]
                == idx.search(k, limit=1, exhaustive=True)[0][1]
                for k in keys)
    mode = "n-gram index" if idx.indexed else "full scan"
    rows.append((f"{label}: fuzzy mode / best score same as full scan",
                 f"{mode} / {agree / len(keys):.1%}"))
    choices = gaz.places["name"].tolist()
    plain = _rate(lambda q: process.extractOne(q, choices), fuzzy[:200], min(seconds, 2.0))
    rows.append((f"{label}: baseline extractOne(default WRatio) over all names/s",
                 f"{plain:,.0f}"))
    return rows


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--synthetic", type=int, default=50_000, help="synthetic gazetteer size")
    ap.add_argument("--seconds", type=float, default=2.0, help="time per measurement")
    args = ap.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    t0 = time.perf_counter()
    gaz = Gazetteer.load()
    gaz._fuzzy_index()  # built on the first fuzzy look-up: counted in the load
    rows = [("bundled: load time (s)", f"{time.perf_counter() - t0:.2f}"),
            ("bundled: places / lookup keys", f"{len(gaz):,} / {len(gaz._keys):,}")]
    rows += bench("bundled", gaz, args.seconds)
    table = synthetic_places(gaz.places, args.synthetic, seed=0)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "synthetic.csv"
        table.to_csv(path, index=False)
        t0 = time.perf_counter()
        big = Gazetteer.load(path, bundled=False, boundaries=gaz.boundaries)
        big._fuzzy_index()
    rows.append((f"synthetic {args.synthetic:,}: read + validate + locate + index (s)",
                 f"{time.perf_counter() - t0:.2f}"))
    rows += bench(f"synthetic {args.synthetic:,}", big, args.seconds)
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  value")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
