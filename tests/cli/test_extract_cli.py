"""``geo extract``: reports to a new dataset or added to one, every claim with its
evidence; bad files named, the good ones written; nothing rewritten when nothing
changed; report text escaped on the terminal."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner, Result
from streamlit.testing.v1 import AppTest

from geo import bundled
from geo.cli.commands import main
from geo.dataset.records import read_dataset
from geo.extraction.document import read_document

FIRST = ("A bomb blast at a market in Turbat killed four people on Tuesday, police said.\n\n"
         "Seven others were wounded in the Turbat blast, a hospital official said.\n")
SECOND = ("Six people died in Tuesday's bomb blast in Turbat, officials said.\n\n"
          "In a separate statement, the military said 20 militants were killed across "
          "Balochistan in March.\n")
QUETTA = ("Two police officers were killed in a grenade attack on a police vehicle in Quetta "
          "on Saturday, police said.\n")
EXTRA = ("confidence", "evidence", "evidence_start", "evidence_end", "extracted_by")


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def _reports(folder: Path, files: dict[str, str | bytes]) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        p = folder / name
        p.write_bytes(content if isinstance(content, bytes) else content.encode())
    return [str(folder / n) for n in files]


def _extract(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(main, ["extract", *args])


def _bytes(folder: Path) -> dict[str, bytes]:
    """Every file in *folder* and its subfolders (the edit log's too), by path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_reports_to_a_new_dataset(runner: CliRunner, tmp_path: Path) -> None:
    files = _reports(tmp_path / "in", {"first.txt": FIRST, "second.txt": SECOND})
    out = tmp_path / "out"
    res = _extract(runner, *files, "--published", "2026-03-04", "--out", str(out),
                   "--jobs", "2")
    assert res.exit_code == 0, res.output
    assert "first.txt: 2 claims (1 incidents new, 0 attached to existing, 0 area-wide)" \
        in res.stdout
    assert "second.txt: 2 claims (0 incidents new, 1 attached to existing, 1 area-wide)" \
        in res.stdout
    assert f"Wrote {out}: +2 sources, +1 incidents, +4 claims" in res.stdout
    ds = read_dataset(out)
    assert not ds.problems
    claims = pd.read_csv(out / "claims.csv", dtype=str, keep_default_na=False)
    assert set(EXTRA) <= set(claims.columns)
    assert (claims[list(EXTRA)] != "").all().all()
    sources = pd.read_csv(out / "sources.csv", dtype=str, keep_default_na=False)
    texts = {row.source_id: read_document(Path(files[i])).text
             for i, row in enumerate(sources.itertuples())}
    for c in claims.itertuples():
        text = texts[c.source_id]
        assert text[int(c.evidence_start):int(c.evidence_end)] == c.evidence
    (incident,) = pd.read_csv(out / "incidents.csv", dtype=str).itertuples()
    second_toll = claims[(claims["source_id"] == sources["source_id"][1])
                         & (claims["incident_id"] != "")]
    assert second_toll["value"].tolist() == ["6"]
    assert second_toll["incident_id"].tolist() == [incident.incident_id]
    assert incident.source_ids == ";".join(sources["source_id"])
    assert runner.invoke(main, ["validate", "--data", str(out)]).exit_code == 0


def test_append_to_a_copy_of_the_bundled_dataset(runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(bundled.dataset_dir(), data)
    before = {t: pd.read_csv(data / f"{t}.csv", dtype=str, keep_default_na=False)
              for t in ("sources", "incidents", "claims")}
    files = _reports(tmp_path / "in", {"quetta.txt": QUETTA, "turbat.txt": FIRST})
    res = _extract(runner, *files, "--published", "2026-02-01", "--publisher", "Desk",
                   "--kind", "wire", "--append-to", str(data), "--jobs", "1")
    assert res.exit_code == 0, res.output
    assert "quetta.txt: 1 claims (0 incidents new, 1 attached to existing" in res.stdout
    after = {t: pd.read_csv(data / f"{t}.csv", dtype=str, keep_default_na=False)
             for t in before}
    assert [len(after[t]) - len(before[t]) for t in before] == [2, 1, 3]
    for t, old in before.items():  # old rows and columns as they were
        kept = after[t].iloc[:len(old)][list(old.columns)]
        if t == "incidents":
            kept = kept.drop(columns="source_ids")
            old = old.drop(columns="source_ids")
        pd.testing.assert_frame_equal(kept, old)
    quetta_id = after["sources"]["source_id"].iloc[-2]
    grenade = after["incidents"].set_index("incident_id").loc["BAL26-002"]
    assert grenade["source_ids"] == f"S001;{quetta_id}"  # the grenade attack it reports
    assert set(after["sources"]["publisher"].iloc[-2:]) == {"Desk"}
    assert set(after["sources"]["kind"].iloc[-2:]) == {"wire"}
    assert runner.invoke(main, ["validate", "--data", str(data)]).exit_code == 0

    written = _bytes(data)
    again = _extract(runner, files[0], "--published", "2026-02-01", "--append-to", str(data))
    assert again.exit_code == 0, again.output
    assert f"quetta.txt: already in the dataset as {quetta_id}; nothing changed" \
        in again.stdout
    assert _bytes(data) == written


def test_another_place_in_the_district_that_day_is_flagged(runner: CliRunner,
                                                           tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(bundled.dataset_dir(), data)
    files = _reports(tmp_path / "in", {"turbat.txt": "Three soldiers were killed in a bomb "
                                       "blast in Turbat on Saturday, the military said."})
    res = _extract(runner, *files, "--published", "2026-02-01", "--append-to", str(data))
    assert res.exit_code == 0, res.output
    assert "(Turbat, Explosions/Remote violence) attached to BAL26-018 (Tump, Battles): " \
        "same district, same day" in res.stdout


def test_append_to_parquet_stays_parquet(runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "pq"
    assert runner.invoke(main, ["convert", "--out", str(data)]).exit_code == 0
    files = _reports(tmp_path / "in", {"turbat.txt": FIRST})
    res = _extract(runner, *files, "--published", "2026-03-04", "--append-to", str(data))
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in data.iterdir() if not p.name.startswith(".")) == [
        "claims.parquet", "history.jsonl", "incidents.parquet", "sources.parquet"]
    ds = read_dataset(data)
    assert not ds.problems and len(ds.incidents) == 19


def test_unreadable_files_named_and_the_good_one_written(runner: CliRunner,
                                                         tmp_path: Path) -> None:
    _reports(tmp_path / "in", {"good.txt": FIRST, "bin.txt": bytes(range(256)) * 4,
                               "empty.txt": ""})
    out = tmp_path / "out"
    res = _extract(runner, str(tmp_path / "in"), str(tmp_path / "missing.txt"),
                   "--published", "2026-03-04", "--out", str(out))
    assert res.exit_code == 1
    for line in ("error: bin.txt: not text (binary content)", "error: empty.txt: no text",
                 "error: missing.txt: cannot be read"):
        assert line in res.stderr
    assert "good.txt: 2 claims" in res.stdout
    assert len(read_dataset(out).claims) == 2


def test_json_output(runner: CliRunner, tmp_path: Path) -> None:
    files = _reports(tmp_path / "in", {"first.txt": FIRST, "second.txt": SECOND,
                                       "bus.txt": "Five people were wounded in an attack "
                                                  "on a bus, police said.",
                                       "empty.txt": ""})
    out = tmp_path / "out"
    res = _extract(runner, *files, "--published", "2026-03-04", "--out", str(out), "--json",
                   "--jobs", "1")
    assert res.exit_code == 1
    got = json.loads(res.stdout)
    assert got["written"] == str(out)
    first, second, bus, empty = got["files"]
    assert first["file"] == files[0] and first["error"] == ""
    assert len(first["claims"]) == 2 and len(first["incidents"]) == 1
    assert second["incidents"] == []
    assert list(second["merge"]["incidents_attached"].values()) == [
        first["incidents"][0]["incident_id"]]
    assert {c["incident_id"] for c in second["claims"]} == {
        "", first["incidents"][0]["incident_id"]}
    (unplaced,) = bus["unplaced"]
    assert unplaced["value"] == 5 and unplaced["locator"] == "¶1"
    assert set(unplaced) == {"value", "category", "value_text", "evidence",
                             "evidence_start", "evidence_end", "locator"}
    assert empty["error"] == "empty.txt: no text" and empty["claims"] == []


def test_report_text_escaped_on_the_terminal(runner: CliRunner, tmp_path: Path) -> None:
    text = "Five people were wounded\x1b]0;owned\x07 in an attack \u202eon a bus, police said."
    files = _reports(tmp_path / "in", {"bus.txt": text})
    res = _extract(runner, *files, "--published", "2026-03-04", "--out",
                   str(tmp_path / "out"))
    assert res.exit_code == 0, res.output
    assert "unplaced: 'Five people'" in res.stdout
    assert "\\u001b]0;owned\\u0007" in res.stdout and "\\u202e" in res.stdout
    assert "\x1b" not in res.output and "\u202e" not in res.output


@pytest.mark.parametrize("args", [
    [],  # neither --out nor --append-to
    ["--out", "OUT", "--append-to", "OUT"],
    ["--out", "OUT", "--url", "https://example.org/a"],  # --url with two files
    ["--out", "OUT", "--published", "4 March 2026"],
    ["--out", "OUT", "--kind", "rumour"],
])
def test_usage_errors_exit_2(runner: CliRunner, tmp_path: Path, args: list[str]) -> None:
    files = _reports(tmp_path / "in", {"first.txt": FIRST, "second.txt": SECOND})
    args = [str(tmp_path / "out") if a == "OUT" else a for a in args]
    res = _extract(runner, *files, *args)
    assert res.exit_code == 2, res.output
    assert not (tmp_path / "out").exists()


def test_out_must_be_new_or_empty(runner: CliRunner, tmp_path: Path) -> None:
    files = _reports(tmp_path / "in", {"first.txt": FIRST})
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.csv").write_text("keep me")
    res = _extract(runner, *files, "--published", "2026-03-04", "--out", str(out))
    assert res.exit_code == 2 and "not an empty folder" in res.stderr
    assert _bytes(out) == {"mine.csv": b"keep me"}
    empty = tmp_path / "empty"
    empty.mkdir()
    assert _extract(runner, *files, "--published", "2026-03-04", "--out",
                    str(empty)).exit_code == 0


def test_append_to_a_dataset_with_invalid_rows_is_refused(runner: CliRunner,
                                                          tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(bundled.dataset_dir(), data)
    claims = data / "claims.csv"
    claims.write_text(claims.read_text(encoding="utf-8").replace(",17,,exact,", ",x,,exact,",
                                                                 1), encoding="utf-8")
    written = _bytes(data)
    files = _reports(tmp_path / "in", {"first.txt": FIRST})
    res = _extract(runner, *files, "--published", "2026-03-04", "--append-to", str(data))
    assert res.exit_code == 1
    assert "fix them first" in res.stderr and "nothing was changed" in res.stderr
    assert _bytes(data) == written


def test_no_publication_date(runner: CliRunner, tmp_path: Path) -> None:
    files = _reports(tmp_path / "in", {"first.txt": FIRST})
    res = _extract(runner, *files, "--out", str(tmp_path / "out"))
    assert res.exit_code == 1
    assert "error: first.txt: no publication date: give --published YYYY-MM-DD" in res.stderr
    assert not (tmp_path / "out").exists()


def test_an_extracted_dataset_opens_in_the_dashboard(
        runner: CliRunner, tmp_path: Path, run_page: Callable[..., AppTest]) -> None:
    files = _reports(tmp_path / "in", {"first.txt": FIRST, "second.txt": SECOND,
                                       "quetta.txt": QUETTA})
    out = tmp_path / "out"
    assert _extract(runner, *files, "--published", "2026-03-04", "--out",
                    str(out)).exit_code == 0
    at = run_page("ui/views/incidents.py", data=str(out))
    assert not at.error and not at.exception
    assert "2 incidents" in " ".join(c.value for c in at.caption)
    assert {m.label for m in at.metric} >= {"Injured"}
