"""Property tests: arbitrary and mutated input never crashes a loader with anything but
the product's own errors (``benchmarks/fuzz_loaders.py`` runs the same targets longer)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support import examples
from tests.support.fuzz import TARGETS


@pytest.mark.parametrize("name", list(TARGETS))
def test_loader_raises_only_its_own_errors(name: str) -> None:
    target, strategy = TARGETS[name]

    @settings(max_examples=examples(60), deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(value=strategy)
    def run(value: Any) -> None:
        target(value)

    run()


@settings(max_examples=examples(200), deadline=None)
@given(text=st.text(max_size=200))
def test_arbitrary_text_is_read_as_csv_or_refused_with_a_data_error(text: str) -> None:
    TARGETS["claims.csv"][0](text.encode("utf-8"))
