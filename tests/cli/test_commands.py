"""The command line: subcommands, JSON output and exit codes (0 ok, 1 unresolved, 2 usage)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from geo.cli.commands import main


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def test_python_m_geo_help_lists_subcommands() -> None:
    out = subprocess.run([sys.executable, "-m", "geo", "--help"], capture_output=True,
                         text=True, check=True).stdout
    for cmd in ("resolve", "districts", "precision"):
        assert cmd in out


def test_resolve_json(runner: CliRunner) -> None:
    res = runner.invoke(main, ["resolve", "Noshki", "Gwadar port", "Kech", "--json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert [r["query"] for r in rows] == ["Noshki", "Gwadar port", "Kech"]
    assert [r["precision"] for r in rows] == [1, 2, 3]
    assert [r["district"] for r in rows] == ["Nushki", "Gwadar", "Kech"]
    for r in rows:
        assert {"query", "name", "lat", "lon", "district", "province", "precision", "score",
                "method"} <= set(r)


def test_unresolved_exits_1_with_suggestions(runner: CliRunner) -> None:
    res = runner.invoke(main, ["resolve", "Quetta", "Panjgxyz", "--json"])
    assert res.exit_code == 1
    rows = json.loads(res.stdout)
    assert rows[0]["name"] == "Quetta"
    assert rows[1]["query"] == "Panjgxyz"
    assert "Panjgur" in rows[1]["suggestions"]
    assert rows[1]["error"]


def test_human_output_names_the_problem(runner: CliRunner) -> None:
    res = runner.invoke(main, ["resolve", "Panjgxyz"])
    assert res.exit_code == 1
    assert "Unknown place 'Panjgxyz'; did you mean 'Panjgur'" in res.stderr


def test_province_option(runner: CliRunner) -> None:
    res = runner.invoke(main, ["resolve", "Nasirabad", "--province", "Balochistan", "--json"])
    assert res.exit_code == 0
    assert json.loads(res.stdout)[0]["kind"] == "district"


@pytest.mark.parametrize("args", [["resolve"], ["nonsense"], ["resolve", "X", "--bogus"],
                                  ["resolve", "X", "--fuzzy-threshold", "200"]])
def test_usage_errors_exit_2(runner: CliRunner, args: list[str]) -> None:
    assert runner.invoke(main, args).exit_code == 2


def test_bad_user_gazetteer_exits_1_naming_file_and_row(runner: CliRunner, tmp_path: Path) -> None:
    f = tmp_path / "mine.csv"
    f.write_text("name,lat,lon\nX,91,60\n", encoding="utf-8")
    res = runner.invoke(main, ["resolve", "X", "--gazetteer", str(f)])
    assert res.exit_code == 1
    assert "mine.csv:2: lat" in res.stderr


def test_districts_lists_vintage(runner: CliRunner) -> None:
    res = runner.invoke(main, ["districts", "--province", "Balochistan"])
    assert res.exit_code == 0
    assert len(res.stdout.strip().splitlines()) == 35
    assert "2022" in res.stderr
    assert runner.invoke(main, ["districts", "--province", "Atlantis"]).exit_code == 1
