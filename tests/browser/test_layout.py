"""The page as a reader sees it, in headless Chromium at a desktop (1600x1000) and a
tablet (1024x768) size with every non-local request blocked: the map first and large,
labelled, its legend small and clear of the data, no symbol hidden under another, the
reader's view kept across filter changes and in the link, uploads and bad links
explained. Screenshots go to ``screenshots/``."""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from geo import Gazetteer
from geo.analysis.summary import summarise
from geo.bundled import dataset_dir
from geo.dataset.records import Dataset
from tests.support.browser import (
    MAP_IFRAME,
    ROOT,
    expected_symbols,
    map_frame,
    offline_page,
    pick_option,
    wait_idle,
    wait_symbols,
)

SHOTS = ROOT / "screenshots"
SIZES = {"desktop": (1600, 1000), "tablet": (1024, 768)}
TOWNS = ("Quetta", "Gwadar", "Pasni", "Kharan", "Nushki", "Panjgur", "Tump", "Dalbandin",
         "Kalat", "Mastung")

LABELS_JS = """() => [...document.querySelectorAll('.geo-label')]
  .filter(d => d.style.display !== 'none')
  .map(d => { const r = d.getBoundingClientRect();
              return {text: d.textContent, x: r.x, y: r.y, w: r.width, h: r.height}; })"""
LEGEND_JS = """() => { const l = document.getElementById('geo-legend'),
  m = window.map.getContainer().getBoundingClientRect(), r = l.getBoundingClientRect();
  return {x: r.x - m.x, y: r.y - m.y, w: r.width, h: r.height, mw: m.width, mh: m.height,
          open: l.querySelector('.geo-legend-body').style.display !== 'none'}; }"""
VIEW_JS = "() => [window.map.getCenter().lat, window.map.getCenter().lng, window.map.getZoom()]"


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"]
            and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"])


@pytest.mark.parametrize("size", SIZES)
def test_the_map_comes_first_labelled_with_every_symbol_visible(
        server: str, browser: Any, ds: Dataset, gaz: Gazetteer, size: str) -> None:
    width, height = SIZES[size]
    blocked: list[str] = []
    page = offline_page(browser, blocked, width, height)
    page.goto(server)
    frame = map_frame(page)
    symbols = wait_symbols(frame, sum(expected_symbols(summarise(ds, gaz)).values()))
    wait_idle(page)
    page.wait_for_timeout(500)
    main = page.locator("[data-testid=stMain]").bounding_box()
    box = page.locator(MAP_IFRAME).bounding_box()
    assert box["y"] < 0.25 * height, "the map does not start near the top"
    assert box["width"] > 0.85 * main["width"], "the map does not fill the content width"
    if size == "desktop":
        assert box["height"] >= 0.6 * height
        assert box["y"] + box["height"] <= height, "the map runs below the fold"
    else:  # the sidebar starts folded on a tablet, and the legend too
        assert page.locator("[data-testid=stSidebar]").get_attribute(
            "data-collapsed") == "true"
        assert box["width"] > 0.85 * width
    # Every symbol in view, none hidden under another at its centre (drawn later =
    # drawn above), none under the legend.
    legend = frame.evaluate(LEGEND_JS)
    assert legend["w"] * legend["h"] < 0.2 * legend["mw"] * legend["mh"], legend
    assert legend["open"] == (size == "desktop")
    for i, s in enumerate(symbols):
        assert s["inView"], s
        for o in symbols[i + 1:]:
            assert math.dist((s["x"], s["y"]), (o["x"], o["y"])) >= o["radius"], (s, o)
        sym = {"x": s["x"] - s["radius"], "y": s["y"] - s["radius"],
               "w": 2 * s["radius"], "h": 2 * s["radius"]}
        assert not _overlap(sym, legend), ("under the legend", s)
    # The incident towns are named on the map, no two names overlap.
    labels = frame.evaluate(LABELS_JS)
    assert set(TOWNS) <= {lb["text"] for lb in labels}, labels
    for i, a in enumerate(labels):
        assert not any(_overlap(a, b) for b in labels[i + 1:]), a
    # Metric labels are not cut.
    cut = page.evaluate("() => [...document.querySelectorAll('[data-testid=stMetricLabel] p')]"
                        ".filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)")
    assert cut == []
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"page-{size}.png"))
    page.close()
    assert blocked == []


def test_the_view_survives_a_policy_change_and_is_in_the_link(
        server: str, browser: Any) -> None:
    blocked: list[str] = []
    page = offline_page(browser, blocked, *SIZES["desktop"])
    page.goto(server)
    frame = map_frame(page)
    wait_idle(page)
    frame.evaluate("() => { window.map.setView([30.0, 66.8], 9, {animate: false}); }")
    page.wait_for_url(re.compile(r"at=30\.0000%2C66\.8000%2C9"), timeout=15_000)
    wait_idle(page)
    pick_option(page, page.locator("[data-testid='stSelectbox']").filter(
        has=page.get_by_text("Figure policy", exact=True)), "Official figures")
    page.wait_for_url(re.compile("figures=official"), timeout=15_000)
    wait_idle(page)
    page.wait_for_timeout(800)
    lat, lon, zoom = frame.evaluate(VIEW_JS)
    assert (round(lat, 3), round(lon, 3), zoom) == (30.0, 66.8, 9)
    # The district names show at this zoom.
    assert {"QUETTA", "MASTUNG"} <= {lb["text"].upper() for lb in frame.evaluate(LABELS_JS)}
    page.screenshot(path=str(SHOTS / "page-zoomed-after-policy-change.png"))
    # The link restores the view (and the policy) in a new tab.
    other = offline_page(browser, blocked, *SIZES["desktop"])
    other.goto(page.url)
    again = map_frame(other)
    wait_idle(other)
    other.wait_for_timeout(500)
    lat, lon, zoom = again.evaluate(VIEW_JS)
    assert (round(lat, 3), round(lon, 3), zoom) == (30.0, 66.8, 9)
    page.close()
    other.close()
    assert blocked == []


def test_a_bad_link_says_what_it_could_not_show(server: str, browser: Any) -> None:
    blocked: list[str] = []
    page = offline_page(browser, blocked, *SIZES["desktop"])
    page.goto(f"{server}/?district=Nowhere&figures=bogus&from=2027-01-01&at=somewhere")
    map_frame(page)
    warning = page.locator("[data-testid=stAlert]").filter(has_text="This link asked for")
    warning.wait_for(timeout=15_000)
    text = warning.inner_text()
    for part in ("district: 'Nowhere'", "figures: 'bogus'", "from: 2027-01-01",
                 "at: 'somewhere'"):
        assert part in text, (part, text)
    page.screenshot(path=str(SHOTS / "page-bad-link.png"))
    page.close()
    assert blocked == []


def _march_dataset(folder: Path) -> Path:
    """Three bundled incidents moved to 1-2 March 2026, with their claims."""
    shutil.copytree(dataset_dir(), folder)
    inc = pd.read_csv(folder / "incidents.csv", dtype=str, keep_default_na=False)
    keep = ["BAL26-005", "BAL26-007", "BAL26-011"]
    inc = inc[inc["incident_id"].isin(keep)].assign(
        event_date=["2026-03-01", "2026-03-01", "2026-03-02"])
    inc.to_csv(folder / "incidents.csv", index=False)
    claims = pd.read_csv(folder / "claims.csv", dtype=str, keep_default_na=False)
    claims = claims[claims["incident_id"].isin(keep)].assign(claim_date="2026-03-02")
    claims.to_csv(folder / "claims.csv", index=False)
    return Path(shutil.make_archive(str(folder), "zip", folder))


def test_an_upload_starts_from_its_own_dates(server: str, browser: Any, tmp_path: Path) -> None:
    archive = _march_dataset(tmp_path / "march")
    blocked: list[str] = []
    page = offline_page(browser, blocked, *SIZES["desktop"])
    page.goto(f"{server}/?from=2026-01-31&to=2026-01-31&district=Quetta")
    map_frame(page)
    wait_idle(page)
    page.locator('section[data-testid="stSidebar"] input[type="file"]').set_input_files(
        str(archive))
    page.get_by_text("3 incidents, each drawn at its place").wait_for(timeout=60_000)
    wait_idle(page)
    assert "from=2026-03-01" in page.url and "to=2026-03-02" in page.url, page.url
    assert "district=Quetta" not in page.url
    # The widgets show the upload's extent too (and so keep it at the next change).
    dates = page.locator("[data-testid=stDateInput] input[type=date]")
    assert [dates.nth(i).input_value() for i in range(dates.count())] == [
        "2026-03-01", "2026-03-02"]
    assert page.locator("[data-testid=stAlert]").filter(has_text="Session State").count() == 0
    pick_option(page, page.locator("[data-testid='stSelectbox']").filter(
        has=page.get_by_text("Figure policy", exact=True)), "Highest claim")
    page.wait_for_url(re.compile("figures=highest"), timeout=15_000)
    wait_idle(page)
    assert "from=2026-03-01" in page.url and "to=2026-03-02" in page.url, page.url
    assert page.get_by_text("lives in this browser tab only").count() == 1
    page.screenshot(path=str(SHOTS / "page-upload.png"))
    page.close()
    assert blocked == []


def test_the_gazetteer_page_names_its_places_and_keeps_the_page_list(
        server: str, browser: Any) -> None:
    """A direct link to /gazetteer: the sidebar lists the two pages by name, and the map
    names the largest places without overlap."""
    blocked: list[str] = []
    page = offline_page(browser, blocked, *SIZES["desktop"])
    page.goto(f"{server}/gazetteer")
    frame = map_frame(page)
    wait_idle(page)
    page.wait_for_timeout(500)
    nav = page.locator("[data-testid=stSidebarNav] a").all_inner_texts()
    assert [t.strip() for t in nav] == ["Incidents", "Code a report", "Gazetteer"]
    labels = frame.evaluate(LABELS_JS)
    assert {"Quetta", "Gwadar", "Turbat"} <= {lb["text"] for lb in labels}
    for i, a in enumerate(labels):
        assert not any(_overlap(a, b) for b in labels[i + 1:]), a
    page.screenshot(path=str(SHOTS / "gazetteer-page.png"))
    page.close()
    assert blocked == []
