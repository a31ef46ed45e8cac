"""Tests in this folder drive Debian's headless Chromium: each gets the ``browser``
marker (``-m "not browser"`` leaves them out). Where Chromium is missing they are
skipped, except on CI, where .ci/run must have installed it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from geo.dataset.records import Dataset, load_dataset
from tests.support.browser import CHROMIUM, streamlit_server

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test collected from this folder ``browser`` (skipped without Chromium)."""
    missing = not Path(CHROMIUM).exists()
    if missing and os.environ.get("CI"):
        raise RuntimeError(f"{CHROMIUM} is missing: .ci/run must install Debian chromium")
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)
            if missing:
                item.add_marker(pytest.mark.skip(reason="Debian chromium is not installed"))


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """A dashboard server on the bundled data, one per test module."""
    with streamlit_server() as (url, _proc):
        yield url


@pytest.fixture(scope="module")
def ds() -> Dataset:
    """The bundled dataset."""
    return load_dataset()
