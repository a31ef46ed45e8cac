"""A real headless Chromium draws the cluster map of a large synthetic dataset offline.

Writes the map (above ``MAX_POINTS`` incidents: H3 clusters) to a file, opens it with
every non-local request blocked, counts the cluster circles Leaflet drew on its canvas
against the layers' data, opens a popup, switches the hexagon layer on (the circles
must stay on top) and saves ``screenshots/clusters.png`` (and ``clusters-hexagons.png``,
the hexagons alone).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import folium
import pytest

from geo import Gazetteer
from geo.analysis.summary import Summary, summarise
from geo.dataset.records import read_dataset
from geo.dataset.save import write_files
from geo.maps.web.incidentmap import describe_map, incident_map, map_representation
from geo.maps.web.viewlayers import walk
from geo.synthetic import synthetic_dataset
from tests.support.browser import ROOT, not_blank, offline_page

SHOTS = ROOT / "screenshots"

CLUSTERS_JS = """() => {
  const m = Object.values(window).find(v => window.L && v instanceof window.L.Map);
  if (!m || !m._loaded) return null;
  const size = m.getSize(), out = [];
  let hexes = 0;
  m.eachLayer(l => {
    const f = l.feature;
    if (!f || !f.properties || f.properties.cell === undefined || !l._renderer) return;
    if (f.geometry.type !== 'Point') { hexes += 1; return; }
    const p = m.latLngToContainerPoint(l.getLatLng());
    out.push({cell: f.properties.cell, category: f.properties.category,
              radius: l.options.radius, want: f.properties.radius, x: p.x, y: p.y,
              inView: p.x >= 0 && p.y >= 0 && p.x <= size.x && p.y <= size.y});
  });
  const last = m._renderer && m._renderer._drawLast, f = last && last.layer.feature;
  return {circles: out, hexes: hexes, topIsCircle: !!(f && f.geometry.type === 'Point')};
}"""
"""JavaScript: the cluster circles (and hexagons) Leaflet has on its canvas."""


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory, gaz: Gazetteer) -> Summary:
    d = tmp_path_factory.mktemp("synthetic-30k")
    write_files(synthetic_dataset(gaz.places, 30_000, seed=2), d)
    return summarise(read_dataset(d), gaz)


def test_cluster_map_draws_offline(browser: Any, big: Summary, gaz: Gazetteer,
                                   tmp_path: Path) -> None:
    assert map_representation(len(big.incidents)) == "clusters"
    m = incident_map(big, gaz)
    want: Counter[str] = Counter()
    cells = 0
    for child in walk(m):
        if isinstance(child, folium.GeoJson) and child.layer_name.endswith("(clusters)"):
            want.update(f["properties"]["category"] for f in child.data["features"])
        elif isinstance(child, folium.GeoJson) and child.layer_name.startswith("Hexagons"):
            cells = len(child.data["features"])
    assert want and cells
    out = tmp_path / "clusters.html"
    m.save(str(out))
    assert out.stat().st_size < 5_000_000

    blocked: list[str] = []
    dialogs: list[str] = []
    page = offline_page(browser, blocked, 1400, 1000)
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(out.as_uri())
    page.locator(".leaflet-container").wait_for(state="visible")
    total = sum(want.values())
    page.wait_for_function(
        f"() => {{ const s = ({CLUSTERS_JS})(); return s && s.circles.length === {total}; }}",
        timeout=30_000, polling=50)
    drawn = page.evaluate(CLUSTERS_JS)
    circles = drawn["circles"]
    assert Counter(c["category"] for c in circles) == want
    assert all(c["inView"] for c in circles), "a cluster is outside the initial view"
    assert all(c["radius"] == c["want"] for c in circles)  # sized by the summed figure
    assert max(c["radius"] for c in circles) == 30
    assert drawn["hexes"] == 0 and drawn["topIsCircle"]  # hexagons off by default
    legend = page.locator("#geo-legend").inner_text()
    assert describe_map(big) in legend

    SHOTS.mkdir(exist_ok=True)
    page.wait_for_timeout(300)
    page.screenshot(path=str(SHOTS / "clusters.png"))
    not_blank(page.locator(".leaflet-container").screenshot())

    # Click the largest circle: its popup names the cell's incidents and the way in.
    target = max(circles, key=lambda c: c["radius"])
    page.mouse.move(target["x"], target["y"])
    tip = page.locator(".leaflet-tooltip")
    tip.wait_for(timeout=5_000)
    assert re.search(r"[\d,]+ incidents?", tip.inner_text()), tip.inner_text()
    page.mouse.click(target["x"], target["y"])
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=5_000)
    text = popup.inner_text()
    assert re.search(r"^[\d,]+ incidents? in this hexagon, \d{4}-\d\d-\d\d to ", text), text
    assert "Filter by district or dates" in text
    assert "Places:" in text and "Districts:" in text
    page.keyboard.press("Escape")

    # Hexagons switched on from the layer menu: drawn, and the circles stay on top.
    page.locator(".leaflet-control-layers").hover()
    page.get_by_text("Hexagons: incidents", exact=False).click()
    page.wait_for_function(
        f"() => {{ const s = ({CLUSTERS_JS})(); return s && s.hexes === {cells}; }}",
        timeout=10_000, polling=50)
    assert page.evaluate(CLUSTERS_JS)["topIsCircle"]
    # The circles switched off, the hexagons alone: saved for people to look at.
    for label in page.locator(".leaflet-control-layers-overlays label").all():
        if "(clusters)" in label.inner_text():
            label.click()
    assert page.evaluate(CLUSTERS_JS)["circles"] == []
    page.mouse.move(5, 500)
    page.wait_for_timeout(300)
    page.screenshot(path=str(SHOTS / "clusters-hexagons.png"))
    not_blank(page.locator(".leaflet-container").screenshot())
    live = "document.querySelectorAll('[onerror],[onload],svg[onload]').length"
    assert page.evaluate(live) == 0
    page.close()
    assert dialogs == []
    assert blocked == [], f"the page tried to reach the network: {blocked}"
