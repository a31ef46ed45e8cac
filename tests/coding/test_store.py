"""Coded reports saved into a dataset folder as batches of its edit log, and taken back:
provenance on every row, the log's lines, duplicates, undo byte for byte and when it
is refused, what the coder saw when opening, coder names, working copies, Parquet."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest

from geo import Gazetteer, bundled
from geo.coding.log import HISTORY_DIR, LOG_NAME, file_hashes, read_log, undone
from geo.coding.review import apply_review, review_tables
from geo.coding.store import PROVENANCE_COLUMNS, save_batch, undo, working_copy
from geo.dataset.ingest import DATASET_FILES, collect
from geo.dataset.records import read_dataset
from geo.dataset.save import write_files
from geo.errors import DataError
from geo.extraction.grouping import Extraction
from geo.extraction.texttables import dataset_format, read_tables
from tests.coding.reports import OTHER, extract, numbered

WHEN = dt.datetime(2026, 3, 5, 10, 30, 15, tzinfo=dt.UTC)


def files(folder: Path) -> dict[str, bytes]:
    """The dataset's table files, name to bytes."""
    return {n: (folder / n).read_bytes() for n in DATASET_FILES if (folder / n).is_file()}


def valid(folder: Path) -> None:
    problems = read_dataset(collect(folder)).problems
    assert problems == [], [str(p) for p in problems[:5]]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A working copy of the bundled dataset."""
    return working_copy(bundled.dataset_dir(), tmp_path, "dataset")


@pytest.fixture(scope="module")
def bundled_before() -> dict[str, tuple[bytes, int]]:
    """The bundled folder's files (bytes and change time) before this module's tests."""
    root = bundled.dataset_dir()
    return {str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file()}


def _reviewed(gaz: Gazetteer) -> tuple[Extraction, list[dict]]:
    """The report with its first claim's value edited (3 -> 4) and its area-wide claim
    rejected."""
    ex = extract(gaz)
    incidents, claims = review_tables(ex)
    claims.loc[0, "value"] = "4"
    claims.loc[2, "accept"] = False
    r = apply_review(ex, incidents, claims, gaz)
    assert r.problems == []
    return r.extraction, r.rows


def test_a_batch_adds_rows_with_provenance_and_one_log_line(gaz: Gazetteer,
                                                            folder: Path) -> None:
    original, hashes = files(folder), file_hashes(folder)
    base = read_tables(folder)
    accepted, rows = _reviewed(gaz)
    saved = save_batch(folder, [accepted], gaz, coder="Ayesha Khan", rows=rows, when=WHEN,
                       opened="")
    assert saved.batch is not None and saved.since_opened == []
    valid(folder)
    tables = read_tables(folder)
    claims, incidents = tables["claims"], tables["incidents"]
    clm = accepted.claims["claim_id"].tolist()
    inc = accepted.incidents["incident_id"].tolist()
    assert len(claims) == len(base["claims"]) + 2 and len(incidents) == len(base["incidents"]) + 2
    new = claims[claims["claim_id"].isin(clm)].set_index("claim_id")
    assert sorted(new.index) == sorted(clm)
    for df in (new, incidents[incidents["incident_id"].isin(inc)]):
        assert set(PROVENANCE_COLUMNS) <= set(df.columns)
        assert set(df["coded_by"]) == {"Ayesha Khan"}
        assert set(df["coded_at"]) == {"2026-03-05T10:30:15+00:00"}
        assert set(df["batch"]) == {saved.batch.batch}
    assert new.loc[clm[0], ["value", "review"]].tolist() == ["4", "edited"]
    assert new.loc[clm[1], ["value", "review"]].tolist() == ["2", "as_extracted"]
    old = claims[~claims["claim_id"].isin(clm)]
    assert (old["coded_by"] == "").all() and (old["batch"] == "").all()
    assert old.drop(columns=[*PROVENANCE_COLUMNS]).reset_index(drop=True)[
        list(base["claims"].columns)].equals(base["claims"])

    (batch,) = read_log(folder)
    assert batch == saved.batch
    assert (batch.action, batch.coder, batch.time, batch.undoes) == (
        "add", "Ayesha Khan", "2026-03-05T10:30:15+00:00", "")
    assert batch.batch.startswith("B20260305T103015Z-")
    assert batch.sources == [accepted.source["source_id"]]
    assert sorted(batch.claims_added) == sorted(clm)
    assert sorted(batch.incidents_added) == sorted(inc)
    assert batch.duplicates == {} and batch.note == ""
    by_id = {r["id"]: r for r in batch.rows}
    assert by_id[clm[0]]["status"] == "edited"
    assert by_id[clm[0]]["extracted"]["value"] == "3"
    assert by_id[clm[0]]["edited"] == {"value": "4"}
    rejected = extract(gaz).claims["claim_id"][2]
    assert by_id[rejected]["status"] == "rejected"
    assert batch.before == hashes and batch.after == file_hashes(folder)
    assert batch.before["claims.csv"] != batch.after["claims.csv"]
    assert len((folder / LOG_NAME).read_text(encoding="utf-8").splitlines()) == 1
    kept = folder / HISTORY_DIR / batch.batch
    assert {n: gzip.decompress((kept / f"{n}.gz").read_bytes()) for n in original} == original


def test_the_same_report_again_changes_nothing(gaz: Gazetteer, folder: Path) -> None:
    first = save_batch(folder, [extract(gaz)], gaz, coder="Ayesha")
    assert first.batch is not None
    after = files(folder)
    again = extract(gaz, name="again.txt")  # the same words: the same report
    second = save_batch(folder, [again], gaz, coder="Bilal")
    assert second.batch is None
    (report,) = second.reports
    assert not report.changed and report.duplicate_of == again.source["source_id"]
    assert files(folder) == after
    assert len(read_log(folder)) == 1
    # One new report with it: only that one is added, the other listed as a duplicate.
    third = save_batch(folder, [again, extract(gaz, OTHER, "other.txt")], gaz, coder="Bilal")
    assert third.batch is not None
    assert third.batch.duplicates == {again.source["source_id"]: again.source["source_id"]}
    assert len(third.batch.sources) == 1 and len(third.batch.claims_added) == 1


def test_undo_gives_every_file_back_byte_for_byte(gaz: Gazetteer, folder: Path) -> None:
    original = files(folder)
    accepted, rows = _reviewed(gaz)
    saved = save_batch(folder, [accepted], gaz, coder="Ayesha", rows=rows)
    assert saved.batch is not None and files(folder) != original
    line = undo(folder, saved.batch.batch, coder="Bilal", when=WHEN)
    assert files(folder) == original
    assert (line.action, line.undoes, line.coder) == ("undo", saved.batch.batch, "Bilal")
    assert line.before == saved.batch.after and line.after == saved.batch.before
    log = read_log(folder)
    assert [b.action for b in log] == ["add", "undo"] and log[1] == line
    assert undone(log) == {saved.batch.batch}
    valid(folder)
    # The report can be saved again after its batch was undone.
    assert save_batch(folder, [accepted], gaz, coder="Ayesha").batch is not None


def test_only_the_newest_batch_can_be_undone(gaz: Gazetteer, folder: Path) -> None:
    original = files(folder)
    a = save_batch(folder, [extract(gaz)], gaz, coder="Ayesha").batch
    after_a = files(folder)
    b = save_batch(folder, [extract(gaz, OTHER, "other.txt")], gaz, coder="Bilal").batch
    assert a is not None and b is not None
    after_b = files(folder)
    with pytest.raises(DataError, match=b.batch) as err:
        undo(folder, a.batch, coder="Ayesha")
    assert "later" in str(err.value)
    assert files(folder) == after_b and len(read_log(folder)) == 2
    undo(folder, b.batch, coder="Bilal")
    assert files(folder) == after_a
    undo(folder, a.batch, coder="Ayesha")  # now the newest in effect
    assert files(folder) == original
    for batch in (a, b):
        with pytest.raises(DataError, match="undone already"):
            undo(folder, batch.batch, coder="Ayesha")
    assert files(folder) == original
    assert [x.action for x in read_log(folder)] == ["add", "add", "undo", "undo"]


def test_no_undo_after_the_files_were_edited_by_hand(gaz: Gazetteer, folder: Path) -> None:
    saved = save_batch(folder, [extract(gaz)], gaz, coder="Ayesha").batch
    assert saved is not None
    path = folder / "incidents.csv"
    edited = path.read_bytes().replace(b"Turbat", b"Turbat town", 1)
    path.write_bytes(edited)
    with pytest.raises(DataError, match="changed since"):
        undo(folder, saved.batch, coder="Ayesha")
    assert path.read_bytes() == edited and len(read_log(folder)) == 1


def test_undo_of_no_such_batch_is_refused(gaz: Gazetteer, folder: Path) -> None:
    original = files(folder)
    with pytest.raises(DataError, match="no batch B-nothing"):
        undo(folder, "B-nothing", coder="Ayesha")
    assert files(folder) == original and read_log(folder) == []


def test_batches_saved_since_opening_are_named(gaz: Gazetteer, folder: Path) -> None:
    a = save_batch(folder, [numbered(gaz, 1)], gaz, coder="Ayesha", opened="")
    assert a.batch is not None and a.since_opened == [] and a.batch.note == ""
    # Bilal opened the dataset before Ayesha saved: her batch is named.
    b = save_batch(folder, [numbered(gaz, 2)], gaz, coder="Bilal", opened="")
    assert b.batch is not None
    assert [x.batch for x in b.since_opened] == [a.batch.batch]
    assert "merged onto" in b.batch.note and f"{a.batch.batch} by Ayesha" in b.batch.note
    # Opened after both: nothing since.
    c = save_batch(folder, [numbered(gaz, 3)], gaz, coder="Ayesha", opened=b.batch.batch)
    assert c.batch is not None and c.since_opened == [] and c.batch.note == ""
    # Opened after the first: the two later ones, and every report's rows are there.
    d = save_batch(folder, [numbered(gaz, 4)], gaz, coder="Chen", opened=a.batch.batch)
    assert d.batch is not None
    assert [x.batch for x in d.since_opened] == [b.batch.batch, c.batch.batch]
    assert b.batch.batch in d.batch.note and c.batch.batch in d.batch.note
    assert a.batch.batch not in d.batch.note
    claims = set(read_tables(folder)["claims"]["claim_id"])
    for s in (a, b, c, d):
        assert s.batch is not None and set(s.batch.claims_added) <= claims
    # Not saying what was seen: nothing named.
    e = save_batch(folder, [numbered(gaz, 5)], gaz, coder="Chen")
    assert e.batch is not None and e.since_opened == [] and e.batch.note == ""
    valid(folder)


@pytest.mark.parametrize("coder", ["", "   ", "\n\t"])
def test_a_coder_name_is_required(gaz: Gazetteer, folder: Path, coder: str) -> None:
    original = files(folder)
    with pytest.raises(ValueError, match="coder"):
        save_batch(folder, [extract(gaz)], gaz, coder=coder)
    assert files(folder) == original and not (folder / LOG_NAME).exists()
    assert not (folder / HISTORY_DIR).exists()


def test_a_too_long_coder_name_is_refused(gaz: Gazetteer, folder: Path) -> None:
    with pytest.raises(ValueError, match="80"):
        save_batch(folder, [extract(gaz)], gaz, coder="x" * 81)
    assert read_log(folder) == []


def test_an_undo_needs_a_coder_name(gaz: Gazetteer, folder: Path) -> None:
    saved = save_batch(folder, [extract(gaz)], gaz, coder="Ayesha").batch
    assert saved is not None
    with pytest.raises(ValueError, match="coder"):
        undo(folder, saved.batch, coder=" ")
    assert len(read_log(folder)) == 1


HOSTILE = ('<script>alert(1)</script><b>B</b>&amp;O\'Brien =HYPERLINK("x")'
           "\x1b[31mred\x07\x00\u202egnp.exe")
"""Markup, a formula, terminal escapes, a bell, NUL, a right-to-left override."""


def test_a_hostile_coder_name_is_kept_as_given(gaz: Gazetteer, folder: Path) -> None:
    assert len(HOSTILE) <= 80 and HOSTILE == " ".join(HOSTILE.split())
    saved = save_batch(folder, [extract(gaz)], gaz, coder=HOSTILE)
    assert saved.batch is not None and saved.batch.coder == HOSTILE
    raw = (folder / LOG_NAME).read_text(encoding="utf-8")
    assert raw.count("\n") == 1  # one JSON line, whatever the name holds
    assert json.loads(raw)["coder"] == HOSTILE
    (batch,) = read_log(folder)
    assert batch.coder == HOSTILE
    claims = read_tables(folder)["claims"]
    assert set(claims.loc[claims["batch"] == batch.batch, "coded_by"]) == {HOSTILE}
    valid(folder)
    line = undo(folder, batch.batch, coder=HOSTILE)
    assert [b.coder for b in read_log(folder)] == [HOSTILE, HOSTILE] and line.coder == HOSTILE


def test_line_breaks_in_a_coder_name_become_spaces(gaz: Gazetteer, folder: Path) -> None:
    # Whitespace (line breaks, tabs, U+2028, NEL) is collapsed: the log stays one line
    # per batch, and a name is written the same way every time.
    saved = save_batch(folder, [extract(gaz)], gaz, coder=" Ayesha\n\tKhan\u2028\x85Jr \r")
    assert saved.batch is not None and saved.batch.coder == "Ayesha Khan Jr"
    assert [b.coder for b in read_log(folder)] == ["Ayesha Khan Jr"]


def test_working_copy_never_writes_into_its_source(gaz: Gazetteer, tmp_path: Path,
                                                   bundled_before: dict) -> None:
    src = bundled.dataset_dir()
    copy = working_copy(src, tmp_path / "work", "mine")
    assert copy == tmp_path / "work" / "mine"
    assert files(copy) == files(src) and files(copy)
    saved = save_batch(copy, [extract(gaz)], gaz, coder="Ayesha").batch
    assert saved is not None
    # An existing copy is returned as it is, not copied again.
    edited = files(copy)
    assert edited != files(src)
    assert working_copy(src, tmp_path / "work", "mine") == copy
    assert files(copy) == edited
    undo(copy, saved.batch, coder="Ayesha")
    now = {str(p.relative_to(src)): (p.read_bytes(), p.stat().st_mtime_ns)
           for p in sorted(src.rglob("*")) if p.is_file()}
    assert now == bundled_before
    assert not (src / LOG_NAME).exists() and not (src / HISTORY_DIR).exists()


@pytest.mark.parametrize("name", ["", ".", "..", "../escape", "a/b", ".hidden", "/abs"])
def test_a_working_copy_needs_a_plain_folder_name(tmp_path: Path, name: str) -> None:
    with pytest.raises(DataError, match="working copy"):
        working_copy(bundled.dataset_dir(), tmp_path / "work", name)
    assert not (tmp_path / "escape").exists()
    assert not (tmp_path / "work").exists() or not any((tmp_path / "work").iterdir())


def test_a_parquet_dataset_saves_and_undoes_byte_for_byte(gaz: Gazetteer,
                                                          tmp_path: Path) -> None:
    folder = tmp_path / "pq"
    write_files(read_tables(bundled.dataset_dir()), folder, "parquet")
    assert dataset_format(folder) == "parquet"
    valid(folder)
    original = files(folder)
    assert sorted(original) == ["claims.parquet", "incidents.parquet", "sources.parquet"]
    accepted, rows = _reviewed(gaz)
    saved = save_batch(folder, [accepted], gaz, coder="Ayesha", rows=rows)
    assert saved.batch is not None
    assert sorted(files(folder)) == sorted(original)  # still Parquet, no CSV beside it
    valid(folder)
    claims = read_tables(folder)["claims"].set_index("claim_id")
    clm = accepted.claims["claim_id"].tolist()
    assert claims.loc[clm, "review"].tolist() == ["edited", "as_extracted"]
    assert claims.loc[clm[0], "value"] == "4"
    undo(folder, saved.batch.batch, coder="Ayesha")
    assert files(folder) == original
    valid(folder)
