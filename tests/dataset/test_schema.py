"""The schema runner: every failing cell of every check reported once, with its row."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.dataset.schema import SCHEMAS, validate_table
from geo.io.tables import ROW
from tests.support import examples

# Valid and invalid text for the claims table's checked columns.
POOL = {
    "claim_id": ["C1", "C2", "", "bad id", "x" * 70, "C1"],
    "source_id": ["S001", ""],
    "claimant": ["CM", ""],
    "claimant_type": ["official", "militant", "rebels", ""],
    "category": ["injured", "killed_civilians", "wounded", ""],
    "value": ["3", "0", "-3", "2.5", "ten", "", "99999999999"],
    "value_max": ["", "5", "x"],
    "qualifier": ["", "several", "lots"],
    "claim_date": ["", "2026-01-31", "2026-02-30", "31/01/2026"],
}


def _frame(rows: list[dict[str, str]]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=list(POOL)).astype("str")
    df[ROW] = range(2, len(df) + 2)
    return df


def _cell_by_cell(df: pd.DataFrame) -> set[tuple[int, str, str | None, str]]:
    """The checks applied to one cell at a time: what the vectorised runner must match."""
    want = set()
    for name, column in SCHEMAS["claims"].items():
        if name not in df.columns:
            continue
        for i, value in enumerate(df[name]):
            for check in column.checks:
                if not bool(check.ok(pd.Series([value], dtype="str")).iloc[0]):
                    want.add((i + 2, name, value or None, check.error))
    return want


@settings(max_examples=examples(60), deadline=None)
@given(st.lists(st.fixed_dictionaries({k: st.sampled_from(v) for k, v in POOL.items()}),
                max_size=12))
def test_every_failing_cell_is_reported(rows: list[dict[str, str]]) -> None:
    df = _frame(rows)
    got = [p for p in validate_table(df, "claims", "claims.csv") if p.message != "duplicate id"]
    assert all(p.file == "claims.csv" for p in got)
    assert {(p.row, p.field, p.value, p.message) for p in got} == _cell_by_cell(df)
    assert len(got) == len(_cell_by_cell(df))  # each once
    assert [p.row for p in got] == sorted(p.row for p in got)


def test_categorical_columns_give_the_same_problems() -> None:
    rows = [{k: v[i % len(v)] for k, v in POOL.items()} for i in range(20)]
    text = _frame(rows)
    cats = text.copy()
    for name in POOL:
        cats[name] = cats[name].astype("category")
    assert validate_table(cats, "claims", "c") == validate_table(text, "claims", "c")


def test_missing_columns() -> None:
    df = _frame([{k: v[0] for k, v in POOL.items()}]).drop(columns=["category", "qualifier"])
    probs = validate_table(df, "claims", "claims.csv")
    assert [(p.row, p.field, p.message) for p in probs] == [
        (1, "category", "required column is missing")]  # qualifier is optional


@settings(max_examples=examples(150), deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("Ab9_.:- é,/\n")), max_size=70),
                min_size=1, max_size=40),
       st.sampled_from(["str", "object", "category"]))
def test_id_check_accepts_exactly_the_documented_ids(values: list[str], dtype: str) -> None:
    """Letters, digits and ``_ . : -``, starting with a letter or digit, at most 64
    characters: on the column's bytes at once, or cell by cell, whatever the dtype."""
    import re

    from geo.dataset.schema import _ids_ok

    want = [re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}", v) is not None for v in values]
    assert _ids_ok(pd.Series(values, dtype=dtype)).tolist() == want


def test_a_trailing_newline_is_not_part_of_an_id() -> None:
    from geo.dataset.schema import _ids_ok

    assert _ids_ok(pd.Series(["A\n", "A", "A\nB"])).tolist() == [False, True, False]
