"""Dates outside the range the tool handles are refused, never changed: in every text
format :mod:`geo.io.dates` reads, in Parquet date and timestamp columns, and in a
dataset's checks (a problem naming file, row, field and value)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.dataset.records import read_dataset
from geo.io.dates import FIRST_DATE, LAST_DATE, OUTSIDE, date_notes, read_dates
from tests.support import ROOT, examples

BUNDLED = ROOT / "data" / "balochistan-2026"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
RANGE = f"{FIRST_DATE}..{LAST_DATE}"


def _formats(d: dt.date) -> dict[str, str]:
    """*d* in each text format the reader accepts (years below 1000 zero-padded)."""
    y = f"{d.year:04d}"
    return {
        "iso": f"{y}-{d.month:02d}-{d.day:02d}",
        "ymd slashes": f"{y}/{d.month:02d}/{d.day:02d}",
        "ymd no zeros": f"{y}-{d.month}-{d.day}",
        "date-time": f"{y}-{d.month:02d}-{d.day:02d}T10:30",
        "day/month/year": f"{d.day:02d}/{d.month:02d}/{y}",
        "named": f"{d.day} {MONTHS[d.month - 1]} {y}",
        "named month first": f"{MONTHS[d.month - 1]} {d.day}, {y}",
    }


def _inside(d: dt.date) -> bool:
    return dt.date.fromisoformat(FIRST_DATE) <= d <= dt.date.fromisoformat(LAST_DATE)


@pytest.mark.parametrize("text", ["9999-12-31", "1600-01-01", "1 Jan 1500", "31/12/9999",
                                  "1500/01/05", "1500-1-5", "9999-12-31T23:59:59",
                                  "Dec 31, 2262", "1677-09-22", "2262-04-11"])
def test_a_date_outside_the_range_is_not_read(text: str) -> None:
    values, how = read_dates(pd.Series([text]))
    assert np.isnat(values[0])
    assert [h.how for h in how] == [OUTSIDE]
    assert date_notes(how) == [f"not read: outside the dates this tool handles, {RANGE} "
                               "(1 date in this column)"]


def test_the_ends_of_the_range_are_read() -> None:
    values, _how = read_dates(pd.Series([FIRST_DATE, LAST_DATE, "1 Jan 1678"]))
    assert [str(v)[:10] for v in values] == [FIRST_DATE, LAST_DATE, FIRST_DATE]


@settings(max_examples=examples(300), deadline=None)
@given(day=st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_any_year_is_read_exactly_or_refused(day: dt.date) -> None:
    for name, text in _formats(day).items():
        values, how = read_dates(pd.Series([text]))
        if _inside(day):
            assert str(values[0])[:10] == day.isoformat(), (name, text)
        else:
            assert np.isnat(values[0]), (name, text, values[0])
            assert OUTSIDE in [h.how for h in how], (name, text)


def _dataset(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(BUNDLED, folder)
    return folder


def _set(folder: Path, file: str, row: int, column: str, value: str) -> None:
    df = pd.read_csv(folder / file, dtype=str, keep_default_na=False)
    df.loc[row - 2, column] = value
    df.to_csv(folder / file, index=False)


def test_dataset_problems_name_file_row_field_and_value(tmp_path: Path) -> None:
    folder = _dataset(tmp_path)
    _set(folder, "incidents.csv", 2, "event_date", "9999-12-31")
    _set(folder, "incidents.csv", 3, "event_date", "1 Jan 1500")
    _set(folder, "claims.csv", 2, "period_end", "9999-02-01")
    _set(folder, "claims.csv", 3, "period_start", "1600-01-01")
    ds = read_dataset(folder)
    got = {(p.file, p.row, p.field, p.value) for p in ds.problems
           if f"from {FIRST_DATE} to {LAST_DATE}" in p.message}
    assert got == {("incidents.csv", 2, "event_date", "9999-12-31"),
                   ("incidents.csv", 3, "event_date", "1 Jan 1500"),
                   ("claims.csv", 2, "period_end", "9999-02-01"),
                   ("claims.csv", 3, "period_start", "1600-01-01")}
    assert not any("ends before" in p.message for p in ds.problems)
    notes = [str(n.note()) for n in ds.notes]
    assert not any("read as" in n and "1500" in n for n in notes), notes
    assert ("incidents.csv:2: event_date: '9999-12-31' not read: outside the dates this "
            f"tool handles, {RANGE} (2 dates in this column)") in notes, notes
    kept = ds.incidents["event_date"]
    assert kept.min() >= pd.Timestamp(FIRST_DATE) and kept.max() <= pd.Timestamp(LAST_DATE)


@pytest.mark.parametrize("arrow_type", [pa.date32(), pa.timestamp("s"), pa.timestamp("ms"),
                                        pa.timestamp("us")])
def test_parquet_dates_outside_the_range_are_problems(tmp_path: Path,
                                                      arrow_type: pa.DataType) -> None:
    folder = _dataset(tmp_path)
    df = pd.read_csv(folder / "incidents.csv", dtype=str, keep_default_na=False)
    days = [dt.date.fromisoformat(v) for v in df["event_date"]]
    days[0], days[1] = dt.date(9999, 12, 31), dt.date(1500, 1, 1)
    if pa.types.is_timestamp(arrow_type):
        column = pa.array([dt.datetime(d.year, d.month, d.day) for d in days], arrow_type)
    else:
        column = pa.array(days, arrow_type)
    table = pa.Table.from_pandas(df.drop(columns="event_date"), preserve_index=False)
    pq.write_table(table.append_column("event_date", column), folder / "incidents.parquet")
    (folder / "incidents.csv").unlink()
    ds = read_dataset(folder)
    got = {(p.file, p.row, p.field, p.value) for p in ds.problems
           if p.file == "incidents.parquet"}
    # a Parquet table's rows are counted from 1
    assert got == {("incidents.parquet", 1, "event_date", "9999-12-31"),
                   ("incidents.parquet", 2, "event_date", "1500-01-01")}
    assert len(ds.incidents) == len(df) - 2
    assert ds.incidents["event_date"].max() <= pd.Timestamp(LAST_DATE)
