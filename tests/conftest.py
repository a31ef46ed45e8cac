"""Shared fixtures: the bundled gazetteer (loaded once per session), the hostile
dataset, Streamlit pages under AppTest and a headless Chromium; test settings (the
Hypothesis profile: full by default, ``GEO_TESTS=fast`` for quick local runs)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from streamlit.testing.v1 import AppTest

from geo import Gazetteer
from tests.support import FAST, ROOT
from tests.support.hostile import build_hostile

settings.register_profile("full", deadline=None)
settings.register_profile("fast", deadline=None, max_examples=10)
settings.load_profile("fast" if FAST else "full")


@pytest.fixture(scope="session", autouse=True)
def _datasets_under_tmp(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Let pages name test datasets in temporary folders (``?data=PATH``): the
    dashboard reads only under GEO_DATA_ROOTS and its bundled data."""
    os.environ["GEO_DATA_ROOTS"] = str(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="session", autouse=True)
def _analysis_cache_under_tmp(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Pages and servers started by the tests keep their analysis cache in a temporary
    folder (GEO_CACHE_DIR), never in the user's ~/.cache, and the cache's key in a
    temporary configuration folder (XDG_CONFIG_HOME), never in ~/.config."""
    os.environ["GEO_CACHE_DIR"] = str(tmp_path_factory.mktemp("analysis-cache"))
    os.environ["XDG_CONFIG_HOME"] = str(tmp_path_factory.mktemp("config"))


@pytest.fixture(scope="session")
def gaz() -> Gazetteer:
    """The bundled gazetteer (read-only: tests must not mutate it)."""
    return Gazetteer.load()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory, gaz: Gazetteer) -> Path:
    """A copy of the bundled dataset with attack payloads in every free-text field
    (:func:`tests.support.hostile.build_hostile`)."""
    return build_hostile(tmp_path_factory.mktemp("hostile"), gaz)


def complete_page(at: AppTest) -> AppTest:
    """Run *at* again after a session's first view of the incident page (the headline
    and the map only, no filter widgets yet), as the map's first report of its centre
    does in a browser."""
    if ("first_view_sent" in at.session_state and "district" not in at.session_state
            and not at.exception):
        at.run()
    return at


def _run_page(page: str, **query: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / page), default_timeout=90)
    at.query_params.update(query)
    return complete_page(at.run())


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Debian chromium (Playwright), one per test module."""
    from playwright.sync_api import sync_playwright

    from tests.support.browser import launch

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.fixture(scope="session")
def run_page() -> Callable[..., AppTest]:
    """``run_page(path, **query)``: a Streamlit page of the repository (a path from its
    root, such as ``ui/views/incidents.py``) run under AppTest with *query* as its URL's
    query string, its whole page drawn (after a first view, the run the map starts)."""
    return _run_page
