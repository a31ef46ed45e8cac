"""The encoding is decided per file, and said: a UTF-8 file keeps its UTF-8 text when a
few cells are not UTF-8 (those are read as cp1252, each noted with its row and
column); a file with no UTF-8 text at all is read as cp1252, with a note saying so."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from geo.dataset.records import read_dataset
from geo.io.csvfile import read_csv
from tests.support import ROOT

URDU = "کوئٹہ"
BUNDLED = ROOT / "data" / "balochistan-2026"


def _file(rows: int, bad: int, *, multiline: bool = False) -> bytes:
    """A UTF-8 CSV of *rows* rows (Urdu names), row *bad* with a cp1252 apostrophe."""
    out = ["id,name,note"]
    for row in range(2, rows + 2):
        note = "Militants’ attack" if row == bad else f"ordinary note {row}"
        if multiline and row == 3:
            note = '"two\nlines"'
        out.append(f"r{row},{URDU} {row},{note}")
    raw = "\n".join(out).encode("utf-8")
    return raw.replace("Militants’".encode(), "Militants’".encode("cp1252"))


@pytest.mark.parametrize(("rows", "bad"), [(3019, 1500), (40_000, 39_990)])
def test_one_cp1252_cell_leaves_the_utf8_rows_exact(rows: int, bad: int) -> None:
    raw = _file(rows, bad)
    assert len(raw) > (1 << 20) or rows < 10_000  # the second case: after the first MiB
    df = read_csv(raw, required=["id"], label="t.csv")
    assert len(df) == rows
    assert list(df["name"]) == [f"{URDU} {r}" for r in range(2, rows + 2)]
    assert df.loc[df["_row"] == bad, "note"].item() == "Militants’ attack"
    notes = df.attrs["notes"]
    assert [(n.file, n.row, n.field) for n in notes] == [("t.csv", bad, "note")]
    assert "not valid UTF-8" in notes[0].message and "cp1252" in notes[0].message
    assert notes[0].value == "Militants’ attack"


def test_the_row_number_counts_records_not_lines() -> None:
    df = read_csv(_file(10, 6, multiline=True), required=["id"], label="t.csv")
    assert df.loc[df["_row"] == 3, "note"].item() == "two\nlines"
    assert [n.row for n in df.attrs["notes"]] == [6]


def test_a_utf8_cell_and_a_cp1252_byte_in_one_row_both_stay_right() -> None:
    raw = f"id,name\nr1,{URDU} ".encode() + b"Militants\x92\n"
    df = read_csv(raw, required=["id"], label="t.csv")
    assert df["name"].item() == f"{URDU} Militants’"
    assert [(n.row, n.field) for n in df.attrs["notes"]] == [(2, "name")]


def test_a_wholly_cp1252_file_is_read_as_cp1252_and_noted() -> None:
    raw = "id,name\nr1,Militants’ attack\nr2,Café\nr3,plain\n".encode("cp1252")
    df = read_csv(raw, required=["id"], label="t.csv")
    assert list(df["name"]) == ["Militants’ attack", "Café", "plain"]
    (note,) = df.attrs["notes"]
    assert note.row is None and "read as cp1252" in note.message
    assert "not UTF-8" in note.message and "row 2" in note.message


def test_a_utf8_file_has_no_note() -> None:
    df = read_csv(_file(5, 0), required=["id"], label="t.csv")
    assert df.attrs["notes"] == []


def test_dataset_notes_the_row_and_keeps_urdu(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(BUNDLED, folder)
    lines = (folder / "incidents.csv").read_bytes().split(b"\n")
    lines[1] = lines[1].replace(b",Quetta,", f",{URDU},".encode(), 1)
    lines[5] = lines[5].replace(b"Militants", b"Militants\x92", 1)
    (folder / "incidents.csv").write_bytes(b"\n".join(lines))
    ds = read_dataset(folder)
    assert ds.problems == []
    assert ds.incidents["location"].iloc[0] == URDU
    assert [(n.file, n.row, n.field) for n in ds.notes] == [("incidents.csv", 6,
                                                            "description")]
