"""``geo extract --coder``, ``geo history`` and ``geo undo``: every run of extract is one
batch of the dataset's edit log, each row stamped with who coded it; the log listed
(coder names from it escaped on the terminal); a batch taken back byte for byte."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner, Result

from geo import bundled
from geo.cli.commands import main
from geo.cli.history import login_name
from geo.coding.log import read_log
from geo.coding.store import PROVENANCE_COLUMNS
from geo.errors import DataError
from tests.cli.test_extract_cli import FIRST, QUETTA, SECOND

TABLES = ("sources.csv", "incidents.csv", "claims.csv")
HOSTILE = "\x1b[31mEvil\x1b[0m <script>alert(1)</script>\u202e"


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    """A copy of the bundled dataset."""
    folder = tmp_path / "data"
    shutil.copytree(bundled.dataset_dir(), folder)
    return folder


def _report(tmp_path: Path, name: str, text: str) -> str:
    (tmp_path / "in").mkdir(exist_ok=True)
    path = tmp_path / "in" / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _extract(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(main, ["extract", *args, "--published", "2026-02-01", "--jobs", "1"])


def _tables(folder: Path) -> dict[str, bytes]:
    return {n: (folder / n).read_bytes() for n in TABLES}


def test_append_with_a_coder_is_one_batch_in_history(runner: CliRunner, data: Path,
                                                     tmp_path: Path) -> None:
    old = pd.read_csv(data / "claims.csv", dtype=str, keep_default_na=False)
    res = _extract(runner, _report(tmp_path, "quetta.txt", QUETTA),
                   _report(tmp_path, "turbat.txt", FIRST), "--append-to", str(data),
                   "--coder", "  Ayesha   Khan ")
    assert res.exit_code == 0, res.output
    (batch,) = read_log(data)
    assert batch.coder == "Ayesha Khan" and batch.action == "add"
    assert len(batch.sources) == 2 and len(batch.claims_added) == 3
    assert f"Batch {batch.batch} of its edit log, by Ayesha Khan" in res.stdout
    assert f"python -m geo undo {data} {batch.batch}" in res.stdout

    claims = pd.read_csv(data / "claims.csv", dtype=str, keep_default_na=False)
    new = claims.iloc[len(old):]
    assert new["claim_id"].tolist() == batch.claims_added
    assert set(PROVENANCE_COLUMNS) <= set(claims.columns)
    assert (new["coded_by"] == "Ayesha Khan").all() and (new["batch"] == batch.batch).all()
    assert (new["coded_at"] == batch.time).all() and (new["review"] == "as_extracted").all()
    assert (claims.iloc[:len(old)][list(PROVENANCE_COLUMNS)] == "").all().all()
    incidents = pd.read_csv(data / "incidents.csv", dtype=str, keep_default_na=False)
    added = incidents[incidents["incident_id"].isin(batch.incidents_added)]
    assert len(added) == 1 and (added["coded_by"] == "Ayesha Khan").all()

    shown = runner.invoke(main, ["history", str(data)])
    assert shown.exit_code == 0, shown.output
    out = shown.stdout
    assert f"{batch.batch}  {batch.time}  Ayesha Khan  add" in out
    assert "+2 sources, +1 incidents, +3 claims; 1 incidents attached" in out
    assert "rows: 0 edited, 4 as extracted, 0 rejected" in out
    assert f"1 batch; can be undone now: {batch.batch}" in out

    as_json = json.loads(runner.invoke(main, ["history", str(data), "--json"]).stdout)
    assert as_json["can_undo"] == batch.batch
    (logged,) = as_json["batches"]
    assert logged["coder"] == "Ayesha Khan" and logged["undone_by"] is None
    assert logged["claims_added"] == batch.claims_added


def test_undo_gives_the_files_back_byte_for_byte(runner: CliRunner, data: Path,
                                                 tmp_path: Path) -> None:
    before = _tables(data)
    res = _extract(runner, _report(tmp_path, "turbat.txt", FIRST), "--append-to", str(data),
                   "--coder", "Ayesha")
    assert res.exit_code == 0, res.output
    assert _tables(data) != before
    (batch,) = read_log(data)

    undone = runner.invoke(main, ["undo", str(data), batch.batch, "--coder", "Bilal"])
    assert undone.exit_code == 0, undone.output
    assert _tables(data) == before
    assert f"Undid {batch.batch}" in undone.stdout and "by Ayesha" in undone.stdout
    assert "restored as they were before it: claims.csv, incidents.csv, sources.csv" \
        in undone.stdout
    (_, line) = read_log(data)
    assert (line.action, line.undoes, line.coder) == ("undo", batch.batch, "Bilal")

    again = runner.invoke(main, ["undo", str(data), batch.batch])
    assert again.exit_code == 1
    assert f"batch {batch.batch} was undone already" in again.stderr
    assert "nothing was changed" in again.stderr
    unknown = runner.invoke(main, ["undo", str(data), "B20260101T000000Z-000000"])
    assert unknown.exit_code == 1
    assert "no batch B20260101T000000Z-000000 in this dataset's edit log" in unknown.stderr
    assert _tables(data) == before

    out = runner.invoke(main, ["history", str(data)]).stdout
    assert f"add  (undone by {line.batch})" in out
    assert f"Bilal  undo of {batch.batch}" in out
    assert "2 batches; nothing to undo" in out


def test_only_the_newest_batch_can_be_undone(runner: CliRunner, data: Path,
                                             tmp_path: Path) -> None:
    for name, text in (("turbat.txt", FIRST), ("quetta.txt", QUETTA)):
        assert _extract(runner, _report(tmp_path, name, text), "--append-to",
                        str(data)).exit_code == 0
    first, second = read_log(data)
    assert first.coder == second.coder == login_name()  # no --coder: the login name
    res = runner.invoke(main, ["undo", str(data), first.batch])
    assert res.exit_code == 1 and f"undo {second.batch} first" in res.stderr
    assert f"can be undone now: {second.batch}" in runner.invoke(
        main, ["history", str(data)]).stdout
    (data / "claims.csv").write_bytes((data / "claims.csv").read_bytes() + b"\n")
    assert "cannot be undone: the tables changed" in runner.invoke(
        main, ["history", str(data)]).stdout
    res = runner.invoke(main, ["undo", str(data), second.batch])
    assert res.exit_code == 1 and "the tables changed since" in res.stderr


def test_a_hostile_coder_name_is_kept_and_printed_safely(runner: CliRunner, tmp_path: Path
                                                         ) -> None:
    out = tmp_path / "out"
    res = _extract(runner, _report(tmp_path, "turbat.txt", FIRST), "--out", str(out),
                   "--coder", HOSTILE)
    assert res.exit_code == 0, res.output
    (batch,) = read_log(out)
    assert batch.coder == HOSTILE
    claims = pd.read_csv(out / "claims.csv", dtype=str, keep_default_na=False)
    assert (claims["coded_by"] == HOSTILE).all()

    shown = [res.output, runner.invoke(main, ["history", str(out)]).output,
             runner.invoke(main, ["undo", str(out), batch.batch, "--coder", HOSTILE]).output,
             runner.invoke(main, ["history", str(out)]).output]
    for text in shown:
        assert "\\u001b[31mEvil\\u001b[0m <script>alert(1)</script>\\u202e" in text
        assert "\x1b" not in text and "\u202e" not in text
    as_json = runner.invoke(main, ["history", str(out), "--json"])
    assert "\x1b" not in as_json.output and "\u202e" not in as_json.output
    assert [b["coder"] for b in json.loads(as_json.stdout)["batches"]] == [HOSTILE] * 2


def test_out_writes_a_log_too(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out"
    res = _extract(runner, _report(tmp_path, "first.txt", FIRST),
                   _report(tmp_path, "second.txt", SECOND), "--out", str(out),
                   "--coder", "Desk", "--json")
    assert res.exit_code == 0, res.output
    got = json.loads(res.stdout)
    (batch,) = read_log(out)
    assert got["batch"] == batch.batch and got["written"] == str(out)
    assert batch.coder == "Desk" and len(batch.claims_added) == 4
    first, second = got["files"]
    assert {c["batch"] for c in first["claims"] + second["claims"]} == {batch.batch}
    assert {c["coded_by"] for c in first["incidents"]} == {"Desk"}
    assert runner.invoke(main, ["validate", "--data", str(out)]).exit_code == 0

    assert runner.invoke(main, ["undo", str(out), batch.batch]).exit_code == 0
    for name in TABLES:  # back to the new dataset's empty tables
        assert (out / name).read_text(encoding="utf-8").count("\n") == 1  # a header
    assert runner.invoke(main, ["validate", "--data", str(out)]).exit_code == 0


def test_nothing_changed_is_no_batch(runner: CliRunner, data: Path, tmp_path: Path) -> None:
    report = _report(tmp_path, "turbat.txt", FIRST)
    assert _extract(runner, report, "--append-to", str(data)).exit_code == 0
    res = _extract(runner, report, "--append-to", str(data), "--json")
    assert res.exit_code == 0, res.output
    got = json.loads(res.stdout)
    assert got["batch"] is None and got["written"] is None
    assert f"{data}: nothing changed" in res.stderr
    assert len(read_log(data)) == 1


def test_a_save_merged_onto_another_prints_what_was_saved(
        runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Someone saves the first report while this run reads its reports: it is then
    already in the dataset, and the rows printed are the rows as saved."""
    import geo.coding.store as store

    save = store.save_batch

    def racing(folder: Path, extractions: list[Any], *args: Any, **kwargs: Any) -> Any:
        save(folder, extractions[:1], *args, **{**kwargs, "coder": "Other"})
        return save(folder, extractions, *args, **kwargs)

    monkeypatch.setattr(store, "save_batch", racing)
    out = tmp_path / "out"
    files = [_report(tmp_path, "first.txt", FIRST), _report(tmp_path, "second.txt", SECOND)]
    res = _extract(runner, *files, "--out", str(out), "--coder", "Me", "--json")
    assert res.exit_code == 0, res.output
    theirs, mine = read_log(out)
    assert (theirs.coder, mine.coder) == ("Other", "Me")
    first, second = json.loads(res.stdout)["files"]
    assert first["duplicate_of"] == theirs.sources[0] and first["claims"] == []
    assert {c["batch"] for c in second["claims"]} == {mine.batch}
    assert list(second["merge"]["incidents_attached"].values()) == theirs.incidents_added
    text = _extract(runner, *files[1:], "--append-to", str(out))
    assert "second.txt: already in the dataset" in text.stdout


def test_a_new_dataset_that_cannot_be_saved_is_not_left_behind(
        runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import geo.coding.store as store

    def locked(folder: Path, *_args: Any, **_kwargs: Any) -> Any:
        (Path(folder) / store.LOCK_NAME).touch()
        raise DataError.single(str(folder), "another save to this dataset has held it")

    monkeypatch.setattr(store, "save_batch", locked)
    res = _extract(runner, _report(tmp_path, "turbat.txt", FIRST), "--out",
                   str(tmp_path / "out"))
    assert res.exit_code == 1 and "another save" in res.stderr
    assert "nothing was changed" in res.stderr
    assert not (tmp_path / "out").exists()


def test_no_log_and_not_a_dataset(runner: CliRunner, data: Path, tmp_path: Path) -> None:
    res = runner.invoke(main, ["history", str(data)])
    assert res.exit_code == 0 and "no edit log (history.jsonl)" in res.stdout
    (tmp_path / "empty").mkdir()
    for folder, why in ((tmp_path / "empty", "not a dataset folder"),
                        (tmp_path / "missing", "dataset folder not found")):
        for args in (["history", str(folder)], ["undo", str(folder), "B1"]):
            res = runner.invoke(main, args)
            assert res.exit_code == 1 and why in res.stderr, res.output
    assert not (tmp_path / "missing").exists()
    assert list((tmp_path / "empty").iterdir()) == []


@pytest.mark.parametrize("coder", ["", "  ", "x" * 81])
def test_a_coder_name_is_needed(runner: CliRunner, tmp_path: Path, coder: str) -> None:
    res = _extract(runner, _report(tmp_path, "turbat.txt", FIRST), "--out",
                   str(tmp_path / "out"), "--coder", coder)
    assert res.exit_code == 2 and "--coder" in res.stderr
    assert not (tmp_path / "out").exists()
