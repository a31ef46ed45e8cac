"""Shared fixtures: the bundled gazetteer is loaded once per test session."""

from __future__ import annotations

import pytest

from geo import Gazetteer


@pytest.fixture(scope="session")
def gaz() -> Gazetteer:
    """The bundled gazetteer (read-only: tests must not mutate it)."""
    return Gazetteer.load()
