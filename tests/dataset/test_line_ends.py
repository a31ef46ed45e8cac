"""Every CSV the product writes keeps a cell's line breaks inside the cell: any text
(a bare CR, CRLF, LF, quotes, commas, NUL...) in a description comes back exactly, and
no row is lost or added, through a saved dataset folder, the dataset zip, ``geo convert
--format csv``, the CSV export and the GeoNames import's gazetteer file."""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
import zipfile
from pathlib import Path

import pandas as pd
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from geo.cli.commands import main
from geo.dataset.records import Dataset, read_dataset
from geo.dataset.save import csv_bytes, dataset_zip, save_dataset
from geo.export.tables import export_bytes
from geo.io.csvfile import read_csv
from geo.textsafe import csv_cell
from tests.support import ROOT, examples

BUNDLED = ROOT / "data" / "balochistan-2026"
DAWN = "Attack at dawn.\rSecond paragraph"
_texts = st.text(alphabet=st.characters(exclude_categories=("Cs",),
                                        include_characters='\r\n",;'), max_size=40)


def _with_description(folder: Path, text: str) -> Dataset:
    """The bundled dataset copied to *folder*, the first incident's description *text*."""
    shutil.copytree(BUNDLED, folder)
    df = pd.read_csv(folder / "incidents.csv", dtype=str, keep_default_na=False)
    df.loc[0, "description"] = text
    with (folder / "incidents.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\r\n").writerows([df.columns, *df.to_numpy()])
    ds = read_dataset(folder)
    assert ds.problems == [], ds.problems[:3]
    return ds


def _same(first: Dataset, second: Dataset) -> None:
    assert second.problems == []
    assert len(second.incidents) == len(first.incidents)
    assert list(second.incidents["description"]) == list(first.incidents["description"])


@settings(max_examples=examples(40), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@example(text=DAWN)
@example(text="a\r\nb\nc\r\"d\",e")
@given(text=_texts)
def test_saved_folder_and_zip_keep_every_row_and_text(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        first = _with_description(Path(tmp) / "a", text)
        _same(first, read_dataset(save_dataset(first, Path(tmp) / "b")))
        archive = Path(tmp) / "dataset.zip"
        archive.write_bytes(dataset_zip(first))
        _same(first, read_dataset(archive))


def test_convert_to_csv_keeps_a_description_with_a_bare_cr(tmp_path: Path) -> None:
    first = _with_description(tmp_path / "a", DAWN)
    assert first.incidents["description"].iloc[0] == DAWN
    res = CliRunner().invoke(main, ["convert", "--data", str(tmp_path / "a"),
                                    "--out", str(tmp_path / "b"), "--format", "csv"])
    assert res.exit_code == 0, res.output
    assert f"{len(first.incidents)} incidents" in res.output
    _same(first, read_dataset(tmp_path / "b"))


@settings(max_examples=examples(60), deadline=None)
@example(text=DAWN)
@given(text=_texts)
def test_csv_bytes_and_the_csv_export_keep_every_row_and_text(text: str) -> None:
    frame = pd.DataFrame({"id": ["1", "2"], "description": [text, "next"]})
    back = read_csv(csv_bytes(frame), required=["id", "description"], label="t.csv")
    assert list(back["id"]) == ["1", "2"]
    assert back["description"].iloc[0] == text.strip()
    rows = list(csv.reader(io.StringIO(export_bytes(frame, "csv").decode("utf-8"),
                                       newline="")))
    assert rows[1:] == [["1", csv_cell(text)], ["2", "next"]]


def test_dataset_files_end_lines_with_crlf(tmp_path: Path) -> None:
    first = _with_description(tmp_path / "a", DAWN)
    with zipfile.ZipFile(io.BytesIO(dataset_zip(first))) as zf:
        body = zf.read("incidents.csv")
    assert body.count(b"\r\n") == len(first.incidents) + 1  # the header and each row
    assert b'"Attack at dawn.\rSecond paragraph"' in body
