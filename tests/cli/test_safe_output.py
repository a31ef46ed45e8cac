"""What the command line writes from hostile data: map files, CSV, the terminal."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from geo.bundled import dataset_dir
from geo.cli.commands import main
from tests.support.hostile import (
    check_document,
    csv_rows,
    formulas,
)


def test_cli_map_file_has_no_live_markup(hostile: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    res = CliRunner().invoke(main, ["map", "--data", str(hostile), "--out", str(out)])
    assert res.exit_code == 1, res.output  # some hostile places are unresolved
    check_document(out.read_text(encoding="utf-8"))

def test_csv_cli_export_neutralises_formulas(hostile: Path) -> None:
    res = CliRunner().invoke(main, ["export", "--data", str(hostile), "--format", "csv",
                                    "--out", "-"])
    assert res.exit_code == 0, res.output
    rows = csv_rows(res.stdout_bytes)
    assert len(rows) == 19 and not formulas(rows), formulas(rows)[:5]

def test_cli_never_sends_control_characters_from_data_to_the_terminal(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from click.testing import CliRunner


    folder = tmp_path / "ds"
    shutil.copytree(dataset_dir(), folder)
    text = (folder / "claims.csv").read_text(encoding="utf-8")
    (folder / "claims.csv").write_text(
        text.replace("C001,,Balochistan", "C001,,Bal\x1b]0;pwned\x07och\x9b2Jistan"),
        encoding="utf-8")
    out = "".join(CliRunner().invoke(main, [cmd, "--data", str(folder)]).output
                  for cmd in ("validate", "summary"))
    assert "pwned" in out  # the value is shown, its control characters escaped
    assert not any(c in out for c in "\x1b\x07\x9b")
    from geo.cli.options import echo

    echo("x\x1b[2J\x9b\ty")  # every line the CLI prints goes through echo
    assert capsys.readouterr().out == "x\\u001b[2J\\u009b\ty\n"


def test_bidirectional_controls_cannot_reorder_a_line() -> None:
    """A query starting with U+202E (right-to-left override) is shown escaped, so the
    terminal prints the line as it is; Urdu text and joiners stay as they are."""
    from click.testing import CliRunner

    from geo.cli.commands import main

    res = CliRunner().invoke(main, ["resolve", "\u202eabc", "\u2067x\u2069"])
    out = res.output
    assert "\\u202eabc" in out and "\\u2067x\\u2069" in out
    assert not any(c in out for c in "\u202e\u2067\u2069")
    ok = CliRunner().invoke(main, ["resolve", "کوئٹہ"])
    assert "کوئٹہ" in ok.output
