"""The coding desk in headless Chromium with every non-local request blocked: a pasted
report's evidence marked, a selected row's sentence scrolled into view, a save shown
on the incident page with both tolls of one incident side by side. Screenshots go to
``screenshots/``."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from geo import Gazetteer
from geo.extraction.document import document_from_text
from geo.extraction.pipeline import extract_document
from tests.support.browser import (
    ROOT,
    map_frame,
    offline_page,
    pick_option,
    streamlit_server,
    wait_idle,
)
from ui.desk import overview

SHOTS = ROOT / "screenshots"

# Written for this test: a second toll for the bundled dataset's Kharan incident of 31
# January 2026 (7 civilians there), the wounded named only at the end of a long report.
CONTEXT = [
    "Kharan lies in the west of Balochistan, on the road between Quetta and the desert "
    "settlements near the Afghan border.",
    "Traders in the town said the market had reopened by Sunday noon under a heavy "
    "police presence, and schools stayed shut.",
    "The provincial government said it would review security arrangements at bus stands "
    "and markets across the division.",
    "Residents described the evening as one of the most frightening in years, with "
    "shops closing early across the bazaar.",
    "Mobile internet was suspended in parts of the district on Sunday, a common step "
    "after attacks in the province.",
    "Local elders called for calm and for a meeting with the deputy commissioner.",
]
REPORT = "\n\n".join([
    "KHARAN, Pakistan, Feb. 1 (Test Wire) - Gunmen opened fire on a bus stand in Kharan "
    "on Saturday evening, killing nine civilians, police said on Sunday.",
    *CONTEXT, *CONTEXT,
    "Doctors at the district hospital in Kharan said eleven people were wounded.",
])
IN_REPORT = """() => { const s = document.getElementById('geo-selected'),
  r = s && s.nextElementSibling && s.nextElementSibling.getBoundingClientRect();
  return {classes: [...document.querySelectorAll('.geo-report span')]
                     .flatMap(e => [...e.classList]),
          selected: !!s,
          scrolled: (document.scrollingElement || document.documentElement).scrollTop,
          visible: r ? r.top >= 0 && r.bottom <= window.innerHeight : false,
          marked: [...document.querySelectorAll('.sel')].map(e => e.textContent).join('')};
}"""


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    work = tmp_path_factory.mktemp("work")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GEO_WORK_DIR", str(work))
        mp.setenv("GEO_CACHE_DIR", "off")
        with streamlit_server() as (url, _proc):
            yield url, work


def _report_state(page: Any, selected: bool = False, timeout: float = 30) -> dict[str, Any]:
    """What the report's text shows, once it is drawn (with a selection, if asked). The
    text is drawn again, in a new frame, when the selection changes: a frame met while
    it is replaced is looked for again."""
    from playwright.sync_api import Error as PageError

    for _ in range(int(timeout * 5)):
        for frame in page.frames:
            try:
                if frame.query_selector(".geo-report") is None or (
                        selected and frame.query_selector("#geo-selected") is None):
                    continue
                return dict(frame.evaluate(IN_REPORT))
            except PageError:  # the frame went away while it was read
                continue
        page.wait_for_timeout(200)
    raise AssertionError("the report's text is not on the page")


def test_evidence_marked_selection_scrolled_and_saved_tolls_side_by_side(
        desk: tuple[str, Path], browser: Any, gaz: Gazetteer) -> None:
    url, work = desk
    blocked: list[str] = []
    page = offline_page(browser, blocked, 1600, 1000)
    page.goto(url + "/code")
    wait_idle(page, 60)
    page.get_by_label("Your name", exact=True).last.fill("Aisha")
    page.keyboard.press("Enter")
    page.get_by_label("Report text", exact=True).fill(REPORT)
    page.get_by_label("Publisher", exact=True).fill("Test Wire")
    page.keyboard.press("Enter")
    page.get_by_label("year, Published").click()
    page.keyboard.type("20260201")
    page.keyboard.press("Tab")
    wait_idle(page, 60)
    page.get_by_role("button", name="Find incidents and claims").click()
    page.get_by_text(re.compile(r"incidents? and \d+ claims? found")).wait_for(timeout=60_000)
    wait_idle(page, 60)

    # Places, figures, claimants and the sentences used are marked; nothing selected.
    state = _report_state(page)
    assert {"s", "p", "f", "c"} <= set(state["classes"])
    assert not state["selected"] and state["scrolled"] == 0
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "coding-desk.png"), full_page=True)

    # Select the last candidate (the wounded, at the end of the report): its sentence is
    # marked and scrolled into the text's view.
    doc = document_from_text(REPORT, published=dt.date(2026, 2, 1), publisher="Test Wire")
    last = len(overview(extract_document(doc, gaz))) - 1
    grid = page.locator(".st-key-desk_pick_1")
    grid.wait_for(state="visible")
    box = grid.bounding_box()
    assert box is not None and box["height"] >= 35 * (last + 2)  # every row shown
    page.mouse.click(box["x"] + 16, box["y"] + 35 + 35 * last + 17)  # its select box
    _report_state(page, selected=True)
    wait_idle(page, 60)
    page.wait_for_timeout(500)  # the scroll into view, after the frame's load
    state = _report_state(page, selected=True)
    assert "eleven people were wounded" in state["marked"]
    assert state["scrolled"] > 0 and state["visible"]
    page.screenshot(path=str(SHOTS / "coding-desk-selected.png"))

    # Save into a new working copy, then read the incident's claims on the incident page.
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text(re.compile(r"Saved as batch B\d")).wait_for(timeout=60_000)
    copy = next(p for p in work.iterdir() if p.is_dir())
    wait_idle(page, 60)
    page.goto(f"{url}/?data={copy.name}")
    map_frame(page, 60)  # the map first; its first report of its view draws the rest
    page.locator(".st-key-incident").wait_for(timeout=90_000)
    wait_idle(page, 60)
    pick_option(page, page.locator(".st-key-incident"), "BAL26-015")
    page.get_by_text(re.compile(r"^\d+ claims from 2 sources")).wait_for(timeout=30_000)
    page.screenshot(path=str(SHOTS / "coding-desk-saved-claims.png"), full_page=True)
    main = page.locator("[data-testid=stMain]").inner_text()
    panel = main[main.index("Claims about one incident"):main.index("Province- and")]
    assert "Test Wire" in panel
    assert re.search(r"\b7\b", panel) and re.search(r"\b9\b", panel), panel
    page.close()
    assert blocked == [], f"the page tried to reach the network: {blocked}"
