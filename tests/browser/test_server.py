"""``streamlit run dashboard.py`` (what ``make run`` starts) in headless Chromium, network
blocked.

The server warms its caches in a background thread as it starts (``ui.server``). A
component declared outside a script run is not served (its frame gets a 404), so this
checks the map really draws, the page is whole, the gazetteer page is served, and that
a dataset named by ``GEO_DATASET`` is the one shown when the link names none.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from geo import Gazetteer
from geo.analysis.summary import summarise
from geo.bundled import dataset_dir
from geo.dataset.records import load_dataset
from tests.support.browser import (
    PAGE_END,
    expected_symbols,
    map_frame,
    offline_page,
    streamlit_server,
    wait_symbols,
)


def test_app_serves_the_default_dataset_with_a_warm_start(
        browser: Any, gaz: Gazetteer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A copy of the bundled data with one more incident (no claims: one more neutral
    # marker), so the count shows GEO_DATASET was read, not the bundled default.
    data = tmp_path / "mine"
    shutil.copytree(dataset_dir(), data)
    inc = data / "incidents.csv"
    last = inc.read_text(encoding="utf-8").rstrip("\n").splitlines()[-1]
    with inc.open("a", encoding="utf-8") as f:
        f.write("TEST-APP-1," + last.split(",", 1)[1] + "\n")
    monkeypatch.setenv("GEO_DATASET", str(data))
    ds = load_dataset(data)
    want = sum(expected_symbols(summarise(ds, gaz)).values())
    blocked: list[str] = []
    responses: list[str] = []
    page = offline_page(browser, blocked)
    page.on("response", lambda r: responses.append(f"{r.status} {r.url}")
            if r.status >= 400 else None)
    with streamlit_server("dashboard.py") as (url, _proc):
        page.goto(url)
        frame = map_frame(page)
        symbols = wait_symbols(frame, want)
        page.locator(PAGE_END).wait_for(state="visible", timeout=30_000)
        assert page.locator(".st-key-district").is_visible()
        assert frame.evaluate("() => window.feature_group.length") == 1
        failed = list(responses)
        # The second page, from its link. (Streamlit's front end first probes
        # /gazetteer/_stcore/... for a server under that path: two 404s by design.)
        page.goto(url.rstrip("/") + "/gazetteer")
        page.get_by_text("Resolved names").wait_for(timeout=30_000)
        map_frame(page).wait_for_function("() => window.map && window.map._loaded",
                                          timeout=30_000)
    assert len(symbols) == want
    assert "TEST-APP-1" in {s["id"] for s in symbols}
    assert failed == [], f"the page failed to load: {failed}"
    assert blocked == [], f"the page tried to reach the network: {blocked}"
    page.close()
