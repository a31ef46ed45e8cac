"""Helpers shared by the tests (and by the benchmarks, which import them as
``tests.support``): the repository's root, the real-browser harness, fuzz targets,
hostile datasets and dataset strategies."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
"""The repository's root folder."""

FAST = os.environ.get("GEO_TESTS") == "fast"
"""Quick local runs (``make test-fast``): fewer Hypothesis examples; CI runs in full."""


def examples(n: int) -> int:
    """Hypothesis examples for a property test: *n*, or at most 10 in a fast run."""
    return min(n, 10) if FAST else n
