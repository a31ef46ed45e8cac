"""``benchmarks/idle_start.py`` (starts after a pause against starts back to back) runs
and times real starts: no pause here, one repeat, on the bundled data."""

from __future__ import annotations

import os
from typing import Any

import pytest

from geo.bundled import dataset_dir


@pytest.mark.slow
def test_idle_start_times_both_pages_both_ways(browser: Any,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from benchmarks.idle_start import measure

    for name in ("GEO_DATASET", "GEO_CACHE_DIR"):  # measure sets them: restored after
        monkeypatch.setenv(name, os.environ.get(name, ""))
    res = measure(dataset_dir(), pause=0, repeat=1, chromium=browser)
    assert set(res) == {"floor", "app"}
    for page in res.values():
        assert set(page) == {"idle", "warm"}
        for times in page.values():
            assert len(times) == 1
            assert 0.2 < times[0] < 120
