"""A real headless Chromium loads the dashboard with every non-local request blocked.

Uses Debian's /usr/bin/chromium through Playwright (never ``playwright install``).
Counts the incident symbols Leaflet rendered per layer against the library, clicks
one incident and reads its claims panel, and saves screenshots in ``screenshots/``
for people to look at (default view and a filtered view).
"""

from __future__ import annotations

import io
import math
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from geo import Gazetteer
from geo.analysis.filter import Filter
from geo.analysis.summary import summarise
from geo.dataset.claims import incident_claims
from geo.dataset.records import Dataset
from geo.maps.web.gazetteermap import bounds
from tests.support.browser import (
    MAP_IFRAME,
    ROOT,
    expected_symbols,
    map_frame,
    not_blank,
    offline_page,
    pick_option,
    wait_idle,
    wait_symbols,
)

SHOTS = ROOT / "screenshots"


def expected(ds: Dataset, gaz: Gazetteer, policy: str, **filters: Any) -> Counter:
    return expected_symbols(summarise(ds, gaz, Filter.from_text(policy=policy, **filters)))


def _check_symbols(symbols: list[dict[str, Any]], want: Counter, ds: Dataset, gaz: Gazetteer,
                   policy: str, **filters: Any) -> None:
    assert Counter(s["category"] for s in symbols) == want
    assert all(s["inView"] for s in symbols), "an incident is outside the initial view"
    # Area proportional to the count: radius^2 / count is one constant above the minimum.
    inc = summarise(ds, gaz, Filter.from_text(policy=policy, **filters)).incidents.set_index(
        "incident_id")
    ratios = [s["radius"] ** 2 / inc.loc[s["id"], f"{s['category']}_best"]
              for s in symbols if s["category"] and s["radius"] > 3.01]
    assert ratios and max(ratios) == pytest.approx(min(ratios), rel=1e-6)
    # Honest precision: exact places filled and solid, the others hollow and dashed.
    for s in symbols:
        exact = inc.loc[s["id"], "geo_precision"] == 1
        assert (s["filled"], s["dashed"]) == (exact, not exact), s


def test_the_browser_is_offline_and_says_what_the_page_asked_for(browser: Any) -> None:
    """The block every browser test relies on (a test of the harness, not the product:
    without it no "nothing was fetched" assertion could fail): requests to other hosts
    (by name or address, image or fetch, http or https) fail at the browser's dead
    proxy, whatever network the machine has, and each one is recorded."""
    blocked: list[str] = []
    why: list[str] = []
    page = offline_page(browser, blocked)
    page.on("requestfailed", lambda r: why.append(r.failure or ""))
    page.set_content('<img src="http://example.org/a.png"><img src="https://192.0.2.7/b.png">')
    page.wait_for_function("() => [...document.images].every(i => i.complete)",
                           timeout=10_000)
    assert page.evaluate("() => [...document.images].map(i => i.naturalWidth)") == [0, 0]
    got = page.evaluate("() => fetch('http://example.org/c.json')"
                        ".then(() => 'loaded', () => 'failed')")
    page.close()
    assert got == "failed"
    assert sorted(blocked) == ["http://example.org/a.png", "http://example.org/c.json",
                               "https://192.0.2.7/b.png"]
    assert len(why) == 3 and all("PROXY" in w or "TUNNEL" in w for w in why), why


def test_default_view_renders_every_symbol_offline(server: str, browser: Any, ds: Dataset,
                                                   gaz: Gazetteer) -> None:
    blocked: list[str] = []
    page = offline_page(browser, blocked)
    page.goto(server)
    frame = map_frame(page)
    want = expected(ds, gaz, "lowest")
    symbols = wait_symbols(frame, sum(want.values()))
    _check_symbols(symbols, want, ds, gaz, "lowest")
    container = page.frame_locator(MAP_IFRAME).locator(".leaflet-container")
    box = container.bounding_box()
    assert box and box["width"] > 400 and box["height"] > 300
    assert page.frame_locator(MAP_IFRAME).locator(".leaflet-control-layers").count() == 1
    # Fitted to the incidents beside the legend (not left at the base map's first view).
    fit = bounds(summarise(ds, gaz).incidents, pad=0.1)
    zoom, fitted = frame.evaluate(
        "b => [window.map.getZoom(), window.map.getBoundsZoom(b, false, L.point("
        "80 + document.getElementById('geo-legend').offsetWidth, 90))]", fit)
    assert zoom == fitted
    page.wait_for_timeout(300)
    assert page.get_by_text("Deploy", exact=True).count() == 0  # a viewer's toolbar
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "dashboard.png"), full_page=True)
    not_blank(container.screenshot())

    # Click an incident no other incident's symbol covers; its claims panel opens.
    def covered(s: dict[str, Any]) -> bool:
        return any(o["id"] != s["id"] and math.dist((o["x"], o["y"]), (s["x"], s["y"]))
                   <= o["radius"] + 2 for o in symbols)
    target = max((s for s in symbols if not covered(s)), key=lambda s: s["radius"])
    frame_box = page.locator(MAP_IFRAME).bounding_box()
    # Hovering shows its tooltip (place and date); a click opens its popup (bound once
    # per layer, the content picked for the circle under the pointer).
    page.mouse.move(frame_box["x"] + target["x"], frame_box["y"] + target["y"])
    tip = page.frame_locator(MAP_IFRAME).locator(".leaflet-tooltip")
    tip.wait_for(timeout=5_000)
    row = ds.incidents.set_index("incident_id").loc[target["id"]]
    assert str(row["event_date"])[:10] in tip.inner_text()
    tip_box = tip.bounding_box()
    legend = page.frame_locator(MAP_IFRAME).locator("#geo-legend").bounding_box()
    assert tip_box and legend
    assert tip_box["x"] + tip_box["width"] <= legend["x"] or \
        tip_box["y"] >= legend["y"] + legend["height"], "the tooltip is under the legend"
    page.mouse.click(frame_box["x"] + target["x"], frame_box["y"] + target["y"])
    popup = page.frame_locator(MAP_IFRAME).locator(".leaflet-popup-content")
    popup.wait_for(timeout=5_000)
    assert popup.inner_text().startswith(target["id"])
    n = len(incident_claims(ds, target["id"]))
    assert n > 0
    page.get_by_text(re.compile(rf"^{n} claims? from")).wait_for(timeout=20_000)
    page.get_by_text(f"{target['id']}:", exact=False).first.wait_for(timeout=20_000)
    page.close()
    assert blocked == [], f"the page tried to reach the network: {blocked}"


def test_lower_tabs_open_in_the_browser(server: str, browser: Any, ds: Dataset,
                                        gaz: Gazetteer) -> None:
    """The top districts show first (no grid while the map draws); the district grid
    and the timeline chart are built only once their tab is opened, offline (Vega ships
    with Streamlit)."""
    blocked: list[str] = []
    page = offline_page(browser, blocked)
    page.goto(server)
    wait_symbols(map_frame(page), sum(expected(ds, gaz, "lowest").values()))
    tabs = page.get_by_role("tab")
    tabs.first.wait_for(timeout=20_000)  # the rest of the page follows the map
    wait_idle(page)
    assert [t.inner_text().strip() for t in tabs.all()] == [
        "Top districts", "District table", "Timeline", "Unresolved places"]
    page.get_by_text("Districts with the most incidents").wait_for()
    assert page.locator("[data-testid='stDataFrame']").count() == 0
    tabs.nth(1).click()
    panel = page.get_by_role("tabpanel").filter(has=page.locator(":visible")).first
    panel.locator("[data-testid='stDataFrame']").first.wait_for()  # the district table
    assert page.locator("[data-testid='stVegaLiteChart']").count() == 0
    tabs.nth(2).click()
    chart = page.locator("[data-testid='stVegaLiteChart'] canvas, "
                         "[data-testid='stVegaLiteChart'] svg").first
    chart.wait_for(timeout=20_000)
    box = chart.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 100
    # One chart per category, never stacked together; militants killed has its area-wide
    # figures (41 on Friday ... 145 over the 40 hours) although no incident is that day.
    page.wait_for_timeout(300)
    assert page.locator("[data-testid='stVegaLiteChart']").count() >= 5
    panels = page.get_by_role("tabpanel")
    assert sum(p.locator("[data-testid='stDataFrame']").count()
               for p in panels.all()) == 0  # the closed tab's table was not sent
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "dashboard-timeline-tab.png"), full_page=True)
    page.close()
    assert blocked == [], f"the page tried to reach the network: {blocked}"


def test_a_filter_change_swaps_the_layers_in_the_same_frame(
        server: str, browser: Any, ds: Dataset, gaz: Gazetteer) -> None:
    """A filter change replaces the map's layer group, legend and layer menu in the frame
    already drawn (no reload of the frame and Leaflet), and fits the new view."""
    blocked: list[str] = []
    page = offline_page(browser, blocked)
    page.goto(server)
    frame = map_frame(page)
    wait_symbols(frame, sum(expected(ds, gaz, "lowest").values()))
    frame.evaluate("() => { window.__geoKept = true; }")
    menu = page.frame_locator(MAP_IFRAME).locator(".leaflet-control-layers-overlays label")
    before = [t.strip() for t in menu.all_inner_texts()]
    pick_option(page, page.locator("[data-testid='stSelectbox']").filter(
        has=page.get_by_text("District", exact=True)), "Quetta")
    want = expected(ds, gaz, "lowest", district="Quetta")
    symbols = wait_symbols(frame, sum(want.values()))
    _check_symbols(symbols, want, ds, gaz, "lowest", district="Quetta")  # all in view
    assert frame.evaluate("() => window.__geoKept") is True, "the map frame was reloaded"
    inside = page.frame_locator(MAP_IFRAME)
    assert inside.locator("#geo-legend").count() == 1
    assert inside.locator(".leaflet-control-layers").count() == 1
    after = [t.strip() for t in menu.all_inner_texts()]
    assert after and len(after) == len(set(after)) and set(after) <= set(before)
    page.close()
    assert blocked == []


def test_filtered_view_from_a_shared_link(server: str, browser: Any, ds: Dataset,
                                          gaz: Gazetteer) -> None:
    blocked: list[str] = []
    page = offline_page(browser, blocked)
    page.goto(f"{server}/?district=Quetta&figures=official")
    frame = map_frame(page)
    want = expected(ds, gaz, "official", district="Quetta")
    symbols = wait_symbols(frame, sum(want.values()))
    assert Counter(s["category"] for s in symbols) == want
    assert {s["id"] for s in symbols} == set(
        summarise(ds, gaz, Filter.from_text(policy="official", district="Quetta"))
        .incidents["incident_id"].astype(str))
    page.get_by_text("official (government", exact=False).first.wait_for()
    page.wait_for_timeout(300)
    page.screenshot(path=str(SHOTS / "dashboard-quetta-official.png"), full_page=True)
    not_blank(page.frame_locator(MAP_IFRAME).locator(".leaflet-container").screenshot())
    page.close()
    assert blocked == []


def test_cli_map_file_opens_offline(browser: Any, ds: Dataset, gaz: Gazetteer,
                                    tmp_path: Path) -> None:
    from click.testing import CliRunner

    from geo.cli.commands import main

    out = tmp_path / "gwadar.html"
    res = CliRunner().invoke(main, ["map", "--out", str(out), "--district", "Gwadar",
                                    "--figures", "highest"])
    assert res.exit_code == 0, res.output
    blocked: list[str] = []
    page = offline_page(browser, blocked)
    page.goto(out.as_uri())
    page.locator(".leaflet-container").wait_for(state="visible")
    want = expected(ds, gaz, "highest", district="Gwadar")
    symbols = wait_symbols(page.main_frame, sum(want.values()))
    _check_symbols(symbols, want, ds, gaz, "highest", district="Gwadar")
    # Labelled like the page, with a heading naming the view.
    names = page.evaluate("() => [...document.querySelectorAll('.geo-label')]"
                          ".filter(d => d.style.display !== 'none').map(d => d.textContent)")
    assert {"Gwadar", "Pasni"} <= set(names), names
    heading = page.locator(".geo-heading").inner_text()
    assert "Gwadar" in heading and "highest claim" in heading.lower(), heading
    page.screenshot(path=str(SHOTS / "cli-map-gwadar.png"))
    # The wheel scrolls the page, not the map, until the map is clicked.
    box = page.locator(".leaflet-container").bounding_box()
    zoom = "() => window.map.getZoom()"
    page.evaluate("() => { window.map = Object.values(window).find("
                  "v => v && v._container && v.getZoom); }")
    before = page.evaluate(zoom)
    page.mouse.move(box["x"] + 60, box["y"] + box["height"] - 80)
    page.mouse.wheel(0, -600)
    page.wait_for_timeout(400)
    assert page.evaluate(zoom) == before
    page.mouse.click(box["x"] + 60, box["y"] + box["height"] - 80)
    page.mouse.wheel(0, -600)
    page.wait_for_timeout(600)
    assert page.evaluate(zoom) > before
    page.close()
    assert blocked == []


def test_online_tiles_that_cannot_load_say_so(browser: Any, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from geo.cli.commands import main

    out = tmp_path / "tiles.html"
    res = CliRunner().invoke(main, ["map", "--out", str(out), "--online-tiles"])
    assert res.exit_code == 0, res.output
    blocked: list[str] = []
    page = offline_page(browser, blocked)
    page.goto(out.as_uri())
    page.locator(".leaflet-control-layers").hover()
    osm = page.get_by_text("OpenStreetMap (online)", exact=True)
    osm.click()
    note = page.locator(".geo-tile-error")
    note.wait_for(timeout=10_000)
    assert "could not be loaded" in note.inner_text()
    page.locator(".leaflet-control-layers").hover()
    osm.click()  # switched off: the note goes
    page.wait_for_timeout(300)
    assert page.locator(".geo-tile-error").count() == 0
    page.close()
    assert blocked and all("openstreetmap" in u for u in blocked)  # asked, and refused


IMG_JS = """() => { const i = document.querySelector('[data-testid="stImage"] img');
  return i && i.complete && i.naturalWidth > 0 ? [i.naturalWidth, i.naturalHeight] : null; }"""


@pytest.mark.parametrize(("size", "width", "height"), [("1920x1080", 1920, 1080),
                                                       ("a4-landscape", 1920, 1080),
                                                       ("a4-landscape", 1123, 794)])
def test_briefing_view_is_the_static_map_filling_the_window(
        server: str, browser: Any, ds: Dataset, gaz: Gazetteer, size: str, width: int,
        height: int) -> None:
    from PIL import Image, ImageChops, ImageStat

    from geo.maps.static.render import map_bytes, render_map

    blocked: list[str] = []
    page = offline_page(browser, blocked, width, height)
    page.goto(f"{server}/?view=briefing&size={size}&figures=official")
    natural = page.wait_for_function(IMG_JS, timeout=45_000).json_value()
    page.wait_for_timeout(300)
    # No page chrome, no interactive map: the window is the composition.
    for tid in ("stHeader", "stSidebar", "stToolbar"):
        assert not page.locator(f'[data-testid="{tid}"]').is_visible(), tid
    assert page.locator(MAP_IFRAME).count() == 0
    box = page.locator('[data-testid="stImage"] img').bounding_box()
    assert box is not None and (box["x"], box["y"]) == (0, 0)
    assert (round(box["width"]), round(box["height"])) == (width, height)
    SHOTS.mkdir(exist_ok=True)
    name = f"briefing-{size}-{width}x{height}.png"
    shot = Image.open(io.BytesIO(page.screenshot(path=str(SHOTS / name)))).convert("L")
    # What the window shows is the library's static map for the same filters, scaled to
    # fit (object-fit: contain) and centred.
    s = summarise(ds, gaz, Filter.from_text(policy="official"))
    png = map_bytes(render_map(s, gaz, ds, size=size))
    want = Image.open(io.BytesIO(png)).convert("L")
    assert list(want.size) == natural
    scale = min(width / want.width, height / want.height)
    dw, dh = round(want.width * scale), round(want.height * scale)
    left, top = (width - dw) // 2, (height - dh) // 2
    drawn = shot.crop((left, top, left + dw, top + dh))
    diff = ImageStat.Stat(ImageChops.difference(drawn, want.resize((dw, dh)))).mean[0]
    assert diff < 6, f"the window differs from the static map (mean grey difference {diff:.1f})"
    assert ImageStat.Stat(drawn).stddev[0] > 20  # not blank
    if size == "1920x1080":  # the way back, below the fold: the interactive map
        page.get_by_role("button", name="Interactive view").click()
        map_frame(page)
        assert "view" not in page.url
    page.close()
    assert blocked == [], f"the page tried to reach the network: {blocked}"


def test_a_hostile_upload_loads_and_runs_no_script(server: str, browser: Any, gaz: Gazetteer,
                                                   tmp_path: Path) -> None:
    """Upload a zip whose every text field carries script, event-handler, javascript:
    and markdown-image payloads (plus one bad row): the valid rows are mapped, the bad
    row is reported, no dialog opens and nothing is fetched from outside."""
    import shutil

    from geo.dataset.records import read_dataset
    from tests.support.hostile import build_hostile

    folder = build_hostile(tmp_path / "hostile", gaz)
    claims = (folder / "claims.csv").read_text(encoding="utf-8")
    (folder / "claims.csv").write_text(claims.replace(",injured,24,", ",injured,-24,", 1),
                                       encoding="utf-8")
    ds = read_dataset(folder)
    assert len(ds.problems) == 1
    archive = Path(shutil.make_archive(str(tmp_path / "upload"), "zip", folder))
    blocked: list[str] = []
    dialogs: list[str] = []
    page = offline_page(browser, blocked)
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server)
    map_frame(page)
    # The whole page first (the map's first report starts the run that draws the rest):
    # an upload while that run starts can be dropped.
    page.get_by_role("tab").first.wait_for(timeout=30_000)
    wait_idle(page)
    page.locator('section[data-testid="stSidebar"] input[type="file"]').set_input_files(
        str(archive))
    page.get_by_text("1 row rejected").wait_for(timeout=60_000)
    frame = map_frame(page)
    want = expected(ds, gaz, "lowest")
    symbols = wait_symbols(frame, sum(want.values()))
    assert Counter(s["category"] for s in symbols) == want
    frame_box = page.locator(MAP_IFRAME).bounding_box()
    for s in symbols[:6]:  # open popups and tooltips full of payloads
        page.mouse.move(frame_box["x"] + s["x"], frame_box["y"] + s["y"])
        page.mouse.click(frame_box["x"] + s["x"], frame_box["y"] + s["y"])
        page.wait_for_timeout(150)
    page.wait_for_timeout(500)
    live = "document.querySelectorAll('[onerror],[onload],svg[onload]').length"
    assert page.evaluate(live) == 0 and frame.evaluate(live) == 0
    # Text from the data never becomes a link (markdown autolinks included).
    links = "[...document.querySelectorAll('[data-testid=stMarkdownContainer] a')]" \
            ".map(a => a.href).filter(h => h.includes('evil'))"
    assert page.evaluate(links) == []
    page.screenshot(path=str(SHOTS / "hostile-upload.png"), full_page=True)
    page.close()
    assert dialogs == [], f"a script from the data ran: {dialogs}"
    assert blocked == [], f"the page fetched something named in the data: {blocked}"
