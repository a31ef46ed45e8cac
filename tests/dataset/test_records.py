"""Reading a dataset folder: every problem named with file, row, field and value."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo import DataError
from geo.bundled import dataset_dir
from geo.dataset.records import load_dataset, read_dataset
from tests.support import examples


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    dst = tmp_path / "ds"
    shutil.copytree(dataset_dir(), dst)
    return dst


def _append(path: Path, line: str) -> None:
    with path.open("a", encoding="utf-8") as fh:
        fh.write(line + "\n")


def test_bad_rows_are_all_reported_and_valid_rows_kept(folder: Path) -> None:
    _append(folder / "claims.csv",
            "C900,BAL26-001,,,,S001,X,official,killed_civilians,-3,,,,,,")
    _append(folder / "claims.csv",
            "C901,BAL26-999,,,,S009,X,official,killed_people,2,,,,2026-13-01,,")
    _append(folder / "claims.csv", "C001,,Balochistan,2026-01-31,2026-02-01,S001,X,"
            "official,injured,3,,,,,,")
    _append(folder / "incidents.csv",
            "BAL26-900,2026-02-30,1,Quetta,,,,,,Battles,Grenade,,,,,S001,")
    ds = read_dataset(folder)
    got = {(p.file, p.row, p.field) for p in ds.problems}
    assert ("claims.csv", 49, "value") in got
    assert {("claims.csv", 50, "incident_id"), ("claims.csv", 50, "source_id"),
            ("claims.csv", 50, "category"), ("claims.csv", 50, "claim_date")} <= got
    assert {("claims.csv", 2, "claim_id"), ("claims.csv", 51, "claim_id")} <= got  # C001 twice
    assert {("incidents.csv", 20, "event_date"), ("incidents.csv", 20, "sub_event_type")} <= got
    assert len(ds.claims) == 46  # 47 originals less C001, rejected with its duplicate
    assert "BAL26-900" not in set(ds.incidents["incident_id"])
    with pytest.raises(DataError) as info:
        load_dataset(folder)
    text = str(info.value)
    assert "claims.csv:49: value: expected a whole number" in text
    assert "(got '-3')" in text
    assert "incidents.csv:20: event_date: expected a date: YYYY-MM-DD" in text
    assert "(got '2026-02-30')" in text  # not rolled over into March


@pytest.mark.parametrize(
    ("line", "field", "message"),
    [
        ("C900,BAL26-001,Balochistan,,,S001,X,official,injured,3,,,,,,", "incident_id",
         "either incident_id or area"),
        ("C900,,,,,S001,X,official,injured,3,,,,,,", "incident_id", "either incident_id"),
        ("C900,,Balochistan,,,S001,X,official,injured,3,,,,,,", "period_start",
         "needs period_start"),
        ("C900,,Balochistan,2026-02-01,2026-01-01,S001,X,official,injured,3,,,,,,",
         "period_end", "ends before"),
        ("C900,BAL26-001,,,,S001,X,official,injured,3,,range,,,,", "value_max",
         "range needs value_max"),
        ("C900,BAL26-001,,,,S001,X,official,injured,5,2,,,,,", "value_max", "below value"),
        ("C900,BAL26-001,,,,S001,X,official,injured,5,,dozens,,,,", "value",
         "coded as 12"),
        ("C900,BAL26-001,,,,S001,X,rebels,injured,5,,,,,,", "claimant_type", "expected one of"),
        ("C900,BAL26-001,,,,S001,X,official,injured,999999999,,,,,,", "value",
         "whole number"),
    ],
)
def test_claim_rules(folder: Path, line: str, field: str, message: str) -> None:
    _append(folder / "claims.csv", line)
    probs = [p for p in read_dataset(folder).problems if p.row == 49]
    assert any(p.field == field and message in p.message for p in probs), probs


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ("BAL26-900,2026-01-31,1,,,,,,,Battles,,,,,,S001,", "location"),
        ("BAL26-900,2026-01-31,1,Quetta,,,,,,Battles,,,,,,S001;S777,", "source_ids"),
        ("BAL26-900,2026-01-31,4,Quetta,,,,,,Battles,,,,,,S001,", "time_precision"),
        ("BAL26-900,2026-01-31,1,Quetta,,,,,,Fighting,,,,,,S001,", "event_type"),
    ],
)
def test_incident_rules(folder: Path, line: str, field: str) -> None:
    _append(folder / "incidents.csv", line)
    assert any(p.row == 20 and p.field == field for p in read_dataset(folder).problems)


def test_missing_files_and_columns(folder: Path, tmp_path: Path) -> None:
    (folder / "sources.csv").unlink()
    (folder / "claims.csv").write_text("claim_id,value\nX,1\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_dataset(folder)
    probs = {(p.file, p.field) for p in info.value.problems}
    assert ("sources.csv", None) in probs
    assert {("claims.csv", "source_id"), ("claims.csv", "category")} <= probs
    with pytest.raises(DataError, match="dataset folder not found"):
        read_dataset(tmp_path / "nope")


def test_defaults(folder: Path) -> None:
    ds = load_dataset(folder)
    c = ds.claims.set_index("claim_id")
    assert c.loc["C003", "claim_date"] == ds.sources.set_index("source_id").loc[
        "S000", "published"]  # empty claim_date -> publication date
    assert str(c.loc["C033", "period_start"].date()) == "2026-01-31"  # incident's date
    assert c.loc["C001", "qualifier"] == "exact"


def test_sub_type_check_on_codes_equals_the_text_check() -> None:
    import numpy as np
    import pandas as pd

    from geo.dataset.records import _sub_types_fit
    from geo.dataset.schema import EVENT_TYPES

    events = [*EVENT_TYPES, "", "Riots "]
    subs = ["", *(s for v in EVENT_TYPES.values() for s in v), "Attack ", "nonsense"]
    rng = np.random.default_rng(0)
    ev = pd.Series(rng.choice(events, 3000))
    sv = pd.Series(rng.choice(subs, 3000))
    want = np.array([s == "" or s in EVENT_TYPES.get(e, ()) for e, s in
                     zip(ev, sv, strict=True)])
    for e, s in ((ev, sv), (ev.astype("category"), sv.astype("category")),
                 (ev.astype("category"), sv)):
        assert (_sub_types_fit(e, s) == want).all()
    # Many distinct values on both sides (free text): the sorted path, same answer
    many = pd.Series([f"x{i}" for i in range(3000)])
    subs = pd.Series(["" if i % 3 else f"y{i}" for i in range(3000)])
    assert (_sub_types_fit(many, subs) == (subs == "").to_numpy()).all()


@settings(max_examples=examples(200), deadline=None)
@given(st.lists(st.text(alphabet="AC0129é", max_size=4), max_size=40))
def test_run_check_never_calls_repeats_unique(values: list[str]) -> None:
    import pyarrow as pa

    from geo.dataset.schema import _increasing_runs_disjoint

    arr = pa.array(values, type=pa.large_string())
    if _increasing_runs_disjoint(arr, max_runs=8):
        assert len(set(values)) == len(values)


def test_run_check_accepts_disjoint_runs() -> None:
    import pyarrow as pa

    from geo.dataset.schema import _increasing_runs_disjoint

    claims = [f"C{i:05d}" for i in range(500)] + [f"A{i:03d}" for i in range(40)]
    assert _increasing_runs_disjoint(pa.array(claims))
    assert not _increasing_runs_disjoint(pa.array(claims + ["C00007"]))  # overlaps a run
    assert not _increasing_runs_disjoint(pa.array([str(i) for i in range(100, 0, -1)]))
