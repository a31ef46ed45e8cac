"""Drive the dashboard in Debian's headless Chromium with every non-local request blocked.

Shared by ``tests/browser/``, the benchmarks and ``docs/make_images.py``. Playwright
drives ``/usr/bin/chromium`` (never ``playwright install``, which downloads).
The map is drawn on a canvas (one ``<canvas>`` for all vector layers), so symbols are
not DOM nodes: :data:`SYMBOLS_JS` asks Leaflet itself, inside the ``st_folium``
iframe, which incident circles are on the map and where.
"""

from __future__ import annotations

import io
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from tests.support import ROOT

CHROMIUM = "/usr/bin/chromium"
LOCAL = ("http://127.0.0.1", "http://localhost", "ws://127.0.0.1", "ws://localhost",
         "data:", "blob:", "about:", "file:")
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'

SYMBOLS_JS = """() => {
  // st_folium publishes window.map; a saved folium file has a global map_<id>.
  const m = window.map || Object.values(window).find(
      v => window.L && v instanceof window.L.Map);
  if (!m || !m._loaded) return null;
  const size = m.getSize(), out = [];
  m.eachLayer(l => {
    const f = l.feature;
    if (!f || !f.geometry || f.geometry.type !== 'Point' || !l._renderer) return;
    const p = m.latLngToContainerPoint(l.getLatLng());
    out.push({id: f.properties.incident_id, category: f.properties.category,
              radius: l.options.radius, x: p.x, y: p.y,
              filled: !!l.options.fill && l.options.fillOpacity > 0,
              dashed: !!l.options.dashArray,
              inView: p.x >= 0 && p.y >= 0 && p.x <= size.x && p.y <= size.y});
  });
  return out;
}"""
"""JavaScript: every incident circle Leaflet has rendered (id, layer, radius, pixel)."""


def expected_symbols(summary: Any) -> Counter[str]:
    """Circles per layer the data calls for: one per incident with a positive figure in a
    category, and one neutral marker (layer ``""``) per incident with none."""
    from geo.dataset.schema import CATEGORIES
    from geo.maps.symbology import no_figure

    inc = summary.incidents
    want: Counter[str] = Counter(
        {c: int(inc[f"{c}_best"].fillna(0).gt(0).sum()) for c in CATEGORIES})
    want[""] = int(no_figure(inc).sum())
    return +want  # drop zero counts


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    """Poll Streamlit's health endpoint until it answers."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("streamlit did not become healthy") from None
            time.sleep(0.05)


@contextmanager
def streamlit_server(script: str = "dashboard.py", wait: bool = True) -> Iterator[
        tuple[str, subprocess.Popen[bytes]]]:
    """``streamlit run SCRIPT --server.headless true`` on a free port; yields (url, process)."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / script),
         "--server.headless", "true", "--server.port", str(port),
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        if wait:
            wait_healthy(url, proc)
        yield url, proc
    finally:
        proc.terminate()
        proc.wait(timeout=10)


NO_PROXY = "http://127.0.0.1:9"
"""The proxy :func:`launch` gives Chromium for every non-local request: the discard
port, where nothing listens, so such a request fails at once and never leaves the
machine."""


def launch(p: Any) -> Any:
    """Headless Debian Chromium from a ``sync_playwright()`` handle, offline: every
    request not to this machine goes to :data:`NO_PROXY` and fails.

    The network is cut in the browser, not by Playwright's request interception
    (``page.route``), which stops every request until the test process has answered it:
    that cost the first start of the dashboard about 0.5 s (8 interleaved pairs, the
    start 3.94 s against 3.46 s), and the floor page its share too.
    """
    return p.chromium.launch(
        executable_path=CHROMIUM,
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
              "--disable-component-update", "--no-first-run",
              f"--proxy-server={NO_PROXY}", "--proxy-bypass-list=127.0.0.1;localhost"],
    )


def offline_page(browser: Any, blocked: list[str], width: int = 1400, height: int = 1100
                 ) -> Any:
    """A new page of a browser from :func:`launch` (where non-local requests fail);
    the URL of every non-local request it makes is appended to *blocked*."""
    page = browser.new_page(viewport={"width": width, "height": height})

    def seen(r: Any) -> None:
        if not r.url.startswith(LOCAL):
            blocked.append(r.url)

    page.on("request", seen)
    return page


def map_frame(page: Any, timeout: float = 45) -> Any:
    """The ``st_folium`` iframe's Frame, once its Leaflet container is visible."""
    page.frame_locator(MAP_IFRAME).locator(".leaflet-container").wait_for(
        state="visible", timeout=timeout * 1000)
    return page.locator(MAP_IFRAME).element_handle().content_frame()


def wait_symbols(frame: Any, expected: int, timeout: float = 30) -> list[dict[str, Any]]:
    """Wait until Leaflet has rendered *expected* incident circles; return them."""
    frame.wait_for_function(
        f"() => {{ const s = ({SYMBOLS_JS})(); return s !== null && s.length === {expected}; }}",
        timeout=timeout * 1000, polling=50)
    return list(frame.evaluate(SYMBOLS_JS))


DRAW_CLOCK_JS = """(() => {
  // In every frame: when a Leaflet map, or a new layer group st_folium put on it
  // (window.feature_group), is new since the last report and shows top.__geoWant
  // incident circles, painted, append the epoch time in ms to top.__geoDrawn.
  const symbols = SYMBOLS_JS;
  let last = null;
  const tick = () => {
    // Stamped before counting: JavaScript runs one task at a time, so what the count
    // finds was already drawn when the tick began (the count itself takes ~20 ms).
    const t = performance.timeOrigin + performance.now();
    const m = window.map;
    const now = m && [m, (window.feature_group || []).length];
    if (!m || (last && now[0] === last[0] && now[1] === last[1])
        || window.top.__geoWant === undefined) return;
    // A canvas still to repaint (Leaflet redraws on the next animation frame) is not
    // drawn yet.
    if (Object.values(m._layers).some(l => l._redrawRequest)) return;
    const s = symbols();
    if (s !== null && s.length === window.top.__geoWant) {
      last = now;
      (window.top.__geoDrawn = window.top.__geoDrawn || []).push(t);
    }
  };
  setInterval(tick, 5);
})();""".replace("SYMBOLS_JS", SYMBOLS_JS)
"""Init script timing map draws inside the page, free of Playwright's polling lag."""


def expect_draw(page: Any, symbols: int) -> int:
    """Arm :data:`DRAW_CLOCK_JS` for a map of *symbols* circles; returns draws so far."""
    return int(page.evaluate(
        f"() => {{ window.__geoWant = {symbols}; return (window.__geoDrawn || []).length; }}"))


def wait_draw(page: Any, seen: int, timeout: float = 30) -> float:
    """Epoch seconds at which the next map draw after *seen* draws completed."""
    page.wait_for_function(f"() => (window.__geoDrawn || []).length > {seen}",
                           timeout=timeout * 1000, polling=50)
    return float(page.evaluate(f"() => window.__geoDrawn[{seen}]")) / 1000


PAGE_END = ".st-key-dl_svg"
"""The dashboard's last element (a download button): shown once the whole page is."""


def wait_idle(page: Any, timeout: float = 30) -> None:
    """Wait until the page's script run has finished (a click while its last elements
    arrive can be lost)."""
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stApp]')"
        "?.dataset.testScriptState === 'notRunning'", timeout=timeout * 1000, polling=10)


def pick_option(page: Any, box: Any, name: str | None = None, index: int = 0,
                attempts: int = 3) -> None:
    """Open the select box *box* (a locator) and choose the option called *name* (else
    the *index*-th). A box drawn a moment ago (within about 0.3 s) can ignore a click,
    so the box is clicked again while no option shows."""
    from playwright.sync_api import TimeoutError as NoOption

    for _ in range(attempts):
        box.click()
        option = (page.get_by_role("option", name=name, exact=True) if name is not None
                  else page.get_by_role("option").nth(index))
        try:
            option.wait_for(state="visible", timeout=3000)
        except NoOption:  # the click was ignored: click again
            continue
        option.click()
        return
    raise AssertionError(f"the select box did not open after {attempts} clicks")


@dataclass
class TimedStart:
    """A page on a freshly started server: seconds from launch to health, to the first
    map of the armed symbol count drawn and (if asked) to the whole page shown."""

    page: Any
    url: str
    proc: subprocess.Popen[bytes]
    health: float
    start: float
    complete: float | None = None


@contextmanager
def timed_start(browser: Any, script: str, symbols: int, query: str = "/",
                timeout: float = 60, complete: str | None = None) -> Iterator[TimedStart]:
    """Launch ``streamlit run SCRIPT``, open *query* in an offline page timing draws
    (:data:`DRAW_CLOCK_JS`) and wait until a map of *symbols* circles is drawn, then
    until the element *complete* (a CSS selector) is visible and the run has finished
    (the whole page, whose last elements arrive after the map). On exit
    the page and server are closed; raises if the page reached for the network."""
    blocked: list[str] = []
    page = offline_page(browser, blocked)
    page.add_init_script(DRAW_CLOCK_JS)
    page.add_init_script(f"window.__geoWant = {symbols};")
    t0 = time.time()
    with streamlit_server(script, wait=False) as (url, proc):
        wait_healthy(url, proc)
        health = time.time() - t0
        page.goto(url + query)
        start = wait_draw(page, 0, timeout=timeout) - t0
        done = None
        if complete is not None:
            page.wait_for_selector(complete, state="visible", timeout=timeout * 1000)
            wait_idle(page, timeout)
            done = time.time() - t0
        yield TimedStart(page, url, proc, health, start, done)
        page.close()
    if blocked:
        raise RuntimeError(f"the page reached for the network: {blocked}")


def not_blank(png: bytes) -> None:
    """Fail when a screenshot has (nearly) one colour: a map that did not draw."""
    from PIL import Image

    colours = Image.open(io.BytesIO(png)).convert("RGB").getcolors(maxcolors=1 << 16)
    assert colours is None or len(colours) > 20, "the map area is (nearly) blank"
