"""Draw the README's two pictures: docs/img/briefing.png and docs/img/dashboard.png.

Run from the repository's root with ``make docs-images``
(``PYTHONPATH=. .venv/bin/python docs/make_images.py``), then look at both pictures.

* ``briefing.png``: ``python -m geo render`` of the bundled dataset at 1920x1080.
* ``dashboard.png``: ``streamlit run dashboard.py`` on the bundled dataset, in Debian's
  headless Chromium (``/usr/bin/chromium``; never ``playwright install``) with every
  non-local request blocked, as the browser tests run it (``tests/support/browser.py``);
  captured once every incident symbol is drawn and the whole page has arrived.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from geo import Gazetteer
from geo.analysis.summary import summarise
from geo.dataset.records import load_dataset
from tests.support import ROOT
from tests.support.browser import (
    PAGE_END,
    expected_symbols,
    launch,
    map_frame,
    offline_page,
    streamlit_server,
    wait_idle,
    wait_symbols,
)

IMG = ROOT / "docs" / "img"


def briefing(out: Path) -> None:
    """The briefing map of the bundled dataset, through the command line."""
    done = subprocess.run([sys.executable, "-m", "geo", "render", "--out", str(out),
                           "--size", "1920x1080"], cwd=ROOT, check=False)
    # render exits 1 after writing when some incidents could not be located.
    if done.returncode not in (0, 1) or not out.exists():
        raise SystemExit(f"geo render failed (exit {done.returncode})")


def dashboard(out: Path, width: int, height: int) -> None:
    """The incident page on the bundled dataset, the whole map in the window."""
    from playwright.sync_api import sync_playwright

    os.environ.pop("GEO_DATASET", None)  # the bundled dataset
    want = sum(expected_symbols(summarise(load_dataset(), Gazetteer.load())).values())
    blocked: list[str] = []
    with sync_playwright() as p, streamlit_server("dashboard.py") as (url, _proc):
        browser = launch(p)
        page = offline_page(browser, blocked, width, height)
        page.goto(url)
        wait_symbols(map_frame(page), want, timeout=90)
        page.locator(PAGE_END).wait_for(state="visible", timeout=60_000)
        wait_idle(page)
        page.wait_for_timeout(1000)  # fonts and the map's last repaint
        out.write_bytes(page.screenshot(type="png"))
        browser.close()
    if blocked:
        raise SystemExit(f"the page reached for the network: {blocked}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", choices=("briefing", "dashboard"), help="one picture only")
    ap.add_argument("--width", type=int, default=1600, help="window width (px)")
    ap.add_argument("--height", type=int, default=1280,
                    help="window height (px): the whole map and its caption show")
    args = ap.parse_args()
    IMG.mkdir(parents=True, exist_ok=True)
    if args.only in (None, "briefing"):
        briefing(IMG / "briefing.png")
    if args.only in (None, "dashboard"):
        dashboard(IMG / "dashboard.png", args.width, args.height)
    for name in ("briefing.png", "dashboard.png"):
        print(f"{IMG / name}: {(IMG / name).stat().st_size / 1024:,.0f} KB")


if __name__ == "__main__":
    main()
