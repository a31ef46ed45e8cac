"""A real headless Chromium loads the dashboard with every non-local request blocked.

Uses Debian's /usr/bin/chromium through Playwright (never ``playwright install``).
Saves ``screenshots/dashboard.png`` for people to look at.
"""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
LOCAL = ("http://127.0.0.1", "http://localhost", "ws://127.0.0.1", "ws://localhost",
         "data:", "blob:", "about:")

pytestmark = pytest.mark.browser

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError(f"{CHROMIUM} is missing: .ci/run must install Debian chromium")
    pytest.skip("Debian chromium is not installed", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"),
         "--server.headless", "true", "--server.port", str(port),
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("streamlit did not become healthy") from None
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_map_renders_offline_and_screenshot(server: str) -> None:
    from PIL import Image
    from playwright.sync_api import sync_playwright

    blocked: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1100})

        def route(r):  # type: ignore[no-untyped-def]
            if r.request.url.startswith(LOCAL):
                r.continue_()
            else:
                blocked.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.goto(server)
        frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
        container = frame.locator(".leaflet-container")
        container.wait_for(state="visible", timeout=45_000)
        # Vector layers draw on one canvas (prefer_canvas): wait for it.
        frame.locator(".leaflet-overlay-pane canvas").first.wait_for(timeout=30_000)
        page.wait_for_timeout(1500)
        box = container.bounding_box()
        assert box and box["width"] > 400 and box["height"] > 300
        layers = frame.locator(".leaflet-control-layers").count()
        shots = ROOT / "screenshots"
        shots.mkdir(exist_ok=True)
        page.screenshot(path=str(shots / "dashboard.png"), full_page=True)
        png = container.screenshot()
        browser.close()
    assert blocked == [], f"the page tried to reach the network: {blocked}"
    assert layers == 1  # the layer control was built, so the map script ran to the end
    colours = Image.open(io.BytesIO(png)).convert("RGB").getcolors(maxcolors=1 << 16)
    assert colours is None or len(colours) > 20, "the map area is (nearly) blank"
