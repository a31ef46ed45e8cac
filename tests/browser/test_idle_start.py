"""``benchmarks/idle_start.py`` still starts what ``make run`` starts: each of its timed
starts (the floor page and the dashboard, after a pause and right after) ends with the
map drawn (no pause here, one repeat, the bundled data). Its numbers are the
benchmark's to print, not this test's."""

from __future__ import annotations

import os
from typing import Any

import pytest

from geo.bundled import dataset_dir


@pytest.mark.slow
def test_idle_start_draws_both_pages_both_ways(browser: Any,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from benchmarks.idle_start import measure

    for name in ("GEO_DATASET", "GEO_CACHE_DIR"):  # measure sets them: restored after
        monkeypatch.setenv(name, os.environ.get(name, ""))
    res = measure(dataset_dir(), pause=0, repeat=1, chromium=browser)
    times = [t for page in res.values() for kind in page.values() for t in kind]
    assert len(times) == 4 and all(t > 0 for t in times)  # a start that drew nothing raises
