"""CSV exports: formulas neutralised, numbers unchanged."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import Gazetteer
from geo.analysis.summary import summarise
from geo.dataset.records import load_dataset
from geo.export.tables import export_bytes, incident_frame, write_csv
from geo.textsafe import csv_cell
from tests.support import examples
from tests.support.hostile import (
    DANGER,
    EXTRA,
    NUMBER,
    NUMBER_TEXTS,
    build_hostile,
    csv_rows,
    formulas,
)


# 60 x 18 incidents, all located: text columns stay categoricals up to the export.
@pytest.mark.parametrize("copies", [1, 60])
def test_csv_export_neutralises_formulas_keeps_numbers(tmp_path: Path, gaz: Gazetteer,
                                                       copies: int) -> None:
    ds = load_dataset(build_hostile(tmp_path / "d", gaz, copies=copies,
                                    locate_all=copies > 1))
    s = summarise(ds, gaz)
    frame = incident_frame(s, ds)
    rows = csv_rows(export_bytes(frame, "csv"))
    assert not formulas(rows), formulas(rows)[:5]
    header, body = rows[0], rows[1:]
    assert len(body) == len(frame) == 18 * copies
    assert "'" + EXTRA in header
    back = dict(zip(header, zip(*body, strict=True), strict=True))
    for col in frame.columns.drop("geometry"):
        got, want = back[csv_cell(col)], frame[col].tolist()
        for g, w in zip(got, want, strict=True):
            if isinstance(w, str):
                assert g == (w if w[:1] not in DANGER or NUMBER.fullmatch(w)
                             else "'" + w), (col, g, w)
            elif isinstance(w, float) and not isinstance(w, bool):
                assert (g == "" and math.isnan(w)) or float(g) == w, (col, g, w)
            elif isinstance(w, int) and not isinstance(w, bool):
                assert int(g) == w, (col, g, w)
    extra = set(back["'" + EXTRA])
    assert set(NUMBER_TEXTS) <= extra  # number-like text is not prefixed

_settings = settings(deadline=None, max_examples=examples(200),
                     suppress_health_check=[HealthCheck.function_scoped_fixture])

_numbers = st.one_of(st.integers(-10**12, 10**12),
                     st.floats(allow_nan=False, allow_infinity=False, width=64))

@_settings
@given(values=st.lists(_numbers, min_size=1, max_size=8), texts=st.lists(
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
            max_size=12), min_size=1, max_size=8))
def test_csv_numbers_round_trip_and_formulas_are_prefixed(
        tmp_path: Path, values: list[float], texts: list[str]) -> None:
    n = max(len(values), len(texts))
    values = (values * n)[:n]
    texts = (texts * n)[:n]
    starts = [c + t for c, t in zip("=+-@\t\r" * n, texts, strict=False)]
    df = pd.DataFrame({"n": pd.Series(values, dtype=float), "text": texts,
                       "formula": starts, "number_text": [repr(v) for v in values],
                       "cat": pd.Categorical(starts)})
    path = tmp_path / "x.csv"
    write_csv(df, path)
    back = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert [float(v) for v in back["n"]] == [float(v) for v in values]
    assert back["number_text"].tolist() == [repr(v) for v in values]
    for col in ("formula", "cat"):
        assert back[col].tolist() == ["'" + s if not NUMBER.fullmatch(s) else s
                                      for s in starts]
    assert back["text"].tolist() == [csv_cell(t) for t in texts]
