"""Property test: load -> save -> load gives back the same records, claims and figures,
over generated datasets (text with commas, quotes, semicolons, line breaks and any
Unicode; coordinates or place names; incident and area claims; unknown columns)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings

from geo import Gazetteer
from geo.analysis.filter import Filter
from geo.analysis.summary import summarise
from geo.dataset.records import FILES, read_dataset
from geo.dataset.save import save_dataset
from geo.export.tables import incident_frame
from geo.io.tables import ROW
from tests.support import examples
from tests.support.datasets import datasets, write_rows

EMPTY = {"sources": [{"source_id": "S0", "publisher": "p", "title": "t", "published": "2015-01-01",
                      "kind": "news", "url": ""}], "incidents": [], "claims": []}


@pytest.mark.slow
@example(tables=EMPTY)  # found by this test: summarise() crashed on a dataset with no claims
@settings(max_examples=examples(30), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(tables=datasets())
def test_load_save_load_keeps_records_claims_and_figures(gaz: Gazetteer, tables: dict) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        first_dir, second_dir = Path(tmp) / "a", Path(tmp) / "b"
        first_dir.mkdir()
        write_rows(first_dir, tables)
        first = read_dataset(first_dir)
        assert first.problems == [], first.problems[:3]  # generated valid
        second = read_dataset(save_dataset(first, second_dir))
        assert second.problems == [] and second.notes == []
    for t in FILES:
        pd.testing.assert_frame_equal(getattr(second, t).drop(columns=ROW),
                                      getattr(first, t).drop(columns=ROW))
    for policy in ("lowest", "highest", "official"):
        view = Filter.from_text(policy=policy)
        a, b = summarise(first, gaz, view), summarise(second, gaz, view)
        pd.testing.assert_frame_equal(a.totals, b.totals)
        pd.testing.assert_frame_equal(a.unresolved, b.unresolved)
        pd.testing.assert_frame_equal(pd.DataFrame(incident_frame(a, first)),
                                      pd.DataFrame(incident_frame(b, second)))
