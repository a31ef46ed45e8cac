"""Make the two pictures of the README: docs/img/dashboard.png and docs/img/briefing.png.

Run from the repository's root (``make docs-images``)::

    .venv/bin/python docs/make_images.py [--entry dashboard.py] [--only briefing|dashboard]

* ``briefing.png``: ``python -m geo render`` of the bundled dataset at 1920x1080.
* ``dashboard.png``: ``streamlit run ENTRY`` on a free port, opened in Debian's
  headless Chromium (``/usr/bin/chromium``, driven by Playwright; never
  ``playwright install``) at 1600x1000, offline (every request that is not to this
  machine goes to a proxy where nothing listens; the page may not even try), captured
  once the map has drawn and the page's script run has finished. Circles under the
  map's scale bar or attribution are brought into view by moving the map up a few
  pixels, and the window keeps its width but grows in height until the whole map,
  its caption and the sidebar's widgets show uncut (about 1600x1280 on the bundled
  data).

Self-contained: it imports nothing from the repository (``docs/`` is not a package).
The server runs without the disk analysis cache (``GEO_CACHE_DIR=off``).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMG = ROOT / "docs" / "img"
CHROMIUM = "/usr/bin/chromium"
MAX_HEIGHT = 1400
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
BRIEFING_MAX = 400 * 1024
DASHBOARD_MAX = 500 * 1024

# Chromium offline: every request not to this machine goes to the discard port, where
# nothing listens, so it fails at once. Loopback stays direct: it is listed, since
# "<-loopback>" would send the dashboard's own address to the dead proxy too.
LOCAL = ("http://127.0.0.1", "http://localhost", "ws://127.0.0.1", "ws://localhost",
         "data:", "blob:", "about:")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
    "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=127.0.0.1;localhost",
]

# True once Leaflet has loaded, drawn its vector canvas, painted every pending redraw
# and holds at least one incident circle.
MAP_DRAWN_JS = """() => {
  const m = window.map || Object.values(window).find(
      v => window.L && v instanceof window.L.Map);
  if (!m || !m._loaded || !document.querySelector('.leaflet-container canvas')) return false;
  if (Object.values(m._layers).some(l => l._redrawRequest)) return false;
  let circles = 0;
  m.eachLayer(l => { if (l.feature && l.feature.geometry
                         && l.feature.geometry.type === 'Point' && l._renderer) circles++; });
  return circles > 0;
}"""

# Pixels by which the lowest incident circle reaches under the controls at the map's
# bottom (scale bar, attribution); 0 when it is clear of them.
UNDER_BOTTOM_JS = """() => {
  const m = window.map || Object.values(window).find(
      v => window.L && v instanceof window.L.Map);
  const box = m.getContainer().getBoundingClientRect();
  const tops = [...m.getContainer().querySelectorAll('.leaflet-bottom .leaflet-control')]
      .map(c => c.getBoundingClientRect().top - box.top);
  if (!tops.length) return 0;
  let lowest = 0;
  m.eachLayer(l => {
    if (!l.feature || !l._renderer || l.feature.geometry.type !== 'Point') return;
    const p = m.latLngToContainerPoint(l.getLatLng());
    lowest = Math.max(lowest, p.y + (l.options.radius || 0));
  });
  return Math.max(0, Math.ceil(lowest - Math.min(...tops)));
}"""

# The page's height to capture: from *start* down, extended past any element (widget,
# caption, tab bar) that the bottom edge would cut through, plus a margin.
CAPTURE_BOTTOM_JS = """(start) => {
  const boxes = [...document.querySelectorAll(
      '[data-testid=stElementContainer], [role=tablist]')]
    .filter(e => !e.querySelector('[data-testid=stElementContainer]'))
    .map(e => e.getBoundingClientRect()).filter(r => r.height > 0);
  let bottom = start, moved = true;
  while (moved) {
    moved = false;
    for (const r of boxes) {
      if (r.top < bottom + 12 && r.bottom > bottom) { bottom = r.bottom; moved = true; }
    }
  }
  return Math.ceil(bottom + 12);
}"""

# True once Streamlit's script run has finished and its status widget shows nothing.
IDLE_JS = """() => {
  const app = document.querySelector('[data-testid=stApp]');
  if (!app || app.dataset.testScriptState !== 'notRunning') return false;
  const status = document.querySelector('[data-testid=stStatusWidget]');
  return !status || status.innerText.trim() === '';
}"""


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float = 90) -> None:
    """Poll Streamlit's health endpoint until it answers."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1):
                return
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"streamlit exited with code {proc.returncode}") from None
            if time.monotonic() > deadline:
                raise SystemExit("streamlit did not become healthy") from None
            time.sleep(0.2)


def check_size(path: Path, limit: int) -> None:
    size = path.stat().st_size
    print(f"wrote {path.relative_to(ROOT)} ({size / 1024:,.0f} KB)")
    if size > limit:
        print(f"warning: {path.name} is larger than {limit // 1024} KB", file=sys.stderr)


def briefing(out: Path) -> None:
    """The static briefing map of the bundled dataset, through the command line."""
    done = subprocess.run(
        [sys.executable, "-m", "geo", "render", "--out", str(out), "--size", "1920x1080"],
        cwd=ROOT, check=False)
    # render exits 1 after writing when some incidents could not be located.
    if done.returncode not in (0, 1) or not out.exists():
        raise SystemExit(f"geo render failed (exit {done.returncode})")
    check_size(out, BRIEFING_MAX)


def dashboard(out: Path, entry: str, width: int = 1600, height: int = 1000) -> None:
    """A screenshot of the dashboard's incident page on the bundled data."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: install Debian's chromium package")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "GEO_CACHE_DIR": "off"}
    env.pop("GEO_DATASET", None)  # the bundled dataset
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", entry, "--server.headless", "true",
         "--server.port", str(port), "--browser.gatherUsageStats", "false",
         "--client.toolbarMode", "minimal"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_healthy(url, proc)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": width, "height": height},
                                        device_scale_factor=1)
                reached: list[str] = []
                page.on("request", lambda r: None if r.url.startswith(LOCAL)
                        else reached.append(r.url))
                page.goto(url, wait_until="load")
                # The map's frame, or the page's own error message (fail at once then).
                page.wait_for_function(
                    f"() => document.querySelector('{MAP_IFRAME}')"
                    " || document.querySelector('[data-testid=stException]')",
                    timeout=90_000, polling=100)
                error = page.locator("[data-testid=stException]")
                if error.count():
                    raise SystemExit("the page failed:\n" + error.first.inner_text())
                page.frame_locator(MAP_IFRAME).locator(".leaflet-container").wait_for(
                    state="visible", timeout=90_000)
                frame = page.locator(MAP_IFRAME).element_handle().content_frame()
                frame.wait_for_function(MAP_DRAWN_JS, timeout=60_000, polling=100)
                page.wait_for_function(IDLE_JS, timeout=60_000, polling=100)
                # The map again, after the last run: its frame may have been refitted.
                frame = page.locator(MAP_IFRAME).element_handle().content_frame()
                frame.wait_for_function(MAP_DRAWN_JS, timeout=60_000, polling=100)
                # Circles at the map's bottom edge can sit under the scale bar and the
                # attribution: move the view up just enough, as a reader would drag it.
                under = int(frame.evaluate(UNDER_BOTTOM_JS))
                if under:
                    print(f"note: moved the map {under + 8} px up: incident circles were "
                          "under the scale bar or attribution", file=sys.stderr)
                    frame.evaluate(f"() => {{ window.map.panBy([0, {under + 8}], "
                                   "{animate: false}); return null; }")
                    frame.wait_for_function(MAP_DRAWN_JS, timeout=60_000, polling=100)
                # The map frame is 620 px high and starts below the headline figures: the
                # window grows (same width, so nothing reflows) until the whole map and
                # its caption show, and no widget or text is cut at the bottom edge.
                box = page.locator(MAP_IFRAME).bounding_box()
                start = max(height, round(box["y"] + box["height"]) + 1 if box else 0)
                bottom = int(page.evaluate(CAPTURE_BOTTOM_JS, start))
                page.set_viewport_size({"width": width, "height": min(bottom, MAX_HEIGHT)})
                page.wait_for_timeout(1000)  # fonts and the last repaint settle
                out.write_bytes(page.screenshot(type="png"))
                if reached:
                    raise SystemExit(f"the page reached for the network: {reached}")
            finally:
                browser.close()
    except BaseException:
        log.seek(0)
        sys.stderr.write(log.read().decode(errors="replace")[-4000:])
        raise
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
    check_size(out, DASHBOARD_MAX)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entry", default="dashboard.py",
                        help="the Streamlit script to start (default: dashboard.py)")
    parser.add_argument("--only", choices=("briefing", "dashboard"),
                        help="make one picture only")
    parser.add_argument("--width", type=int, default=1600, help="window width (px)")
    parser.add_argument("--height", type=int, default=1000,
                        help="window height (px); grows to show the whole map")
    args = parser.parse_args()
    IMG.mkdir(parents=True, exist_ok=True)
    if args.only in (None, "briefing"):
        briefing(IMG / "briefing.png")
    if args.only in (None, "dashboard"):
        dashboard(IMG / "dashboard.png", args.entry, args.width, args.height)


if __name__ == "__main__":
    main()
