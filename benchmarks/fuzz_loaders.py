"""Fuzz the dataset loaders: many generated inputs per target, every crash reported.

Runs the targets of ``tests/support/fuzz.py`` (arbitrary bytes, and the bundled files
mutated byte by byte, as CSV, GeoJSON, zip and dates; GeoParquet with mutated ``geo``
metadata or WKB) with hypothesis, ``--examples`` inputs each, and prints per target
the inputs tried, the distinct failures (an exception other than the product's
``GeoError``) and the time taken. Exit 1 when anything failed.
``tests/io/test_fuzz_loaders.py`` runs the same targets briefly in CI.
Run: ``python -m benchmarks.fuzz_loaders [--examples 2000] [--seed 0] [--target NAME]``.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings

from tests.support.fuzz import TARGETS


def run(name: str, examples: int, rng_seed: int) -> tuple[int, dict[str, str]]:
    """Inputs tried and failures (exception type and place -> one traceback)."""
    target, strategy = TARGETS[name]
    tried = 0
    failures: dict[str, str] = {}

    @seed(rng_seed)
    @settings(max_examples=examples, deadline=None, database=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(value=strategy)
    def fuzz(value: Any) -> None:
        nonlocal tried
        tried += 1
        try:
            target(value)
        except Exception as exc:  # noqa: BLE001 - every non-GeoError is a finding
            tb = traceback.extract_tb(exc.__traceback__)[-1]
            key = f"{type(exc).__name__} at {Path(tb.filename).name}:{tb.lineno}"
            failures.setdefault(key, f"{exc!r}\ninput: {value!r}"[:600])

    fuzz()
    return tried, failures


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--examples", type=int, default=2000, help="inputs per target")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--target", action="append", choices=list(TARGETS),
                    help="run only this target (repeatable; default: all)")
    args = ap.parse_args()
    total, bad = 0, 0
    print(f"{'target':<20}{'inputs':>8}{'failures':>10}{'seconds':>9}")
    for name in args.target or TARGETS:
        t = time.perf_counter()
        tried, failures = run(name, args.examples, args.seed)
        total, bad = total + tried, bad + len(failures)
        print(f"{name:<20}{tried:>8}{len(failures):>10}{time.perf_counter() - t:>9.1f}")
        for key, detail in failures.items():
            print(f"  {key}\n    " + detail.replace("\n", "\n    "))
    print(f"total: {total} inputs, {bad} distinct failures")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
