"""The coding desk's pieces: the report read from what the coder gave (pasted text, an
upload, a server file), with a clear message for what cannot be read; the history
table; the report folder and the working copies the page offers."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from geo.coding.log import Batch
from geo.extraction.document import ReportError
from ui.desk import MAX_REPORT_CHARS, history_frame, read_report, report_choices, working_copies

DAY = dt.date(2026, 2, 1)
TEXT = "Two policemen were killed in Quetta on Saturday, officials said."


@dataclass
class Upload:
    """What Streamlit's file uploader gives the page."""

    name: str
    data: bytes

    def getvalue(self) -> bytes:
        return self.data


def _read(how: str = "paste", **given: object) -> object:
    fields = {"published": DAY, "publisher": "", "title": "", "url": ""}
    return read_report(how, **{**fields, **given})  # type: ignore[arg-type]


def test_pasted_text_with_the_fields_given() -> None:
    doc = _read(text=f"  {TEXT}\r\n", publisher=" Test Wire ", title="Two killed",
                url="https://example.org/a")
    assert (doc.text, doc.publisher, doc.title, doc.url, doc.published) == (  # type: ignore[attr-defined]
        TEXT, "Test Wire", "Two killed", "https://example.org/a", DAY)


def test_an_uploaded_page_gives_its_main_text_and_the_title_given_wins() -> None:
    page = (b"<html><head><title>Page title</title></head><body><nav>Home | Sport</nav>"
            b"<article><p>" + TEXT.encode() + b"</p><p>The attack came at night.</p>"
            b"</article></body></html>")
    doc = _read("upload", upload=Upload("report.html", page), title="Mine")
    assert TEXT in doc.text and "Home | Sport" not in doc.text  # type: ignore[attr-defined]
    assert doc.title == "Mine"  # type: ignore[attr-defined]


@pytest.mark.parametrize(("how", "given", "message"), [
    ("paste", {"text": "   "}, "no text"),
    ("paste", {"text": "x" * (MAX_REPORT_CHARS + 1)}, "a report has at most"),
    ("paste", {"text": TEXT, "published": None}, "no publication date"),
    ("upload", {"upload": None}, "choose a file first"),
    ("upload", {"upload": Upload("a.txt", b"\x00\x01\x02" * 100)}, "binary"),
    ("upload", {"upload": Upload("big.txt", b"a " * (2 * MAX_REPORT_CHARS + 1))},
     "larger than a report"),
    ("server", {"path": None}, "choose a report first"),
])
def test_what_cannot_be_read_is_said(how: str, given: dict[str, object], message: str) -> None:
    with pytest.raises(ReportError, match=message):
        _read(how, **given)


def test_history_newest_first_with_its_review_counts() -> None:
    log = [Batch("B1", "2026-02-01T10:00:00+00:00", "Aisha", "add", incidents_added=["I1"],
                 claims_added=["C1", "C2"],
                 rows=[{"status": "as_extracted"}, {"status": "edited"},
                       {"status": "rejected"}]),
           Batch("U1", "2026-02-01T11:00:00+00:00", "<b>Bilal</b>", "undo", undoes="B1")]
    table = history_frame(log)
    assert table["batch"].tolist() == ["U1", "B1"]
    assert table["undone"].tolist() == [False, True]
    assert table.loc[1, "review"] == "1 as extracted, 1 edited, 1 rejected"
    assert table.loc[0, "what"] == "undo of B1" and table.loc[0, "coder"] == "<b>Bilal</b>"


def test_report_folder_and_working_copies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                          ) -> None:
    monkeypatch.setenv("GEO_WORK_DIR", str(tmp_path / "work"))
    monkeypatch.delenv("GEO_REPORT_DIR", raising=False)
    assert report_choices() == [] and working_copies() == []
    (tmp_path / "reports" / ".hidden").mkdir(parents=True)
    (tmp_path / "reports" / "a.txt").write_text(TEXT)
    (tmp_path / "reports" / ".hidden" / "b.txt").write_text(TEXT)
    (tmp_path / "reports" / "notes.csv").write_text("x")
    monkeypatch.setenv("GEO_REPORT_DIR", str(tmp_path / "reports"))
    assert [p.name for p in report_choices()] == ["a.txt"]
    (tmp_path / "work" / "copy").mkdir(parents=True)
    (tmp_path / "work" / "empty").mkdir()
    (tmp_path / "work" / "copy" / "claims.csv").write_text("claim_id\n")
    assert [p.name for p in working_copies()] == ["copy"]


def test_a_new_working_copy_starts_from_a_dataset_the_server_offers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from geo.bundled import dataset_dir
    from ui.desk import server_datasets

    offered = tmp_path / "offered"
    (offered / "mine").mkdir(parents=True)
    (offered / "mine" / "claims.csv").write_text("claim_id\n")
    (offered / "not-a-dataset").mkdir()
    work = tmp_path / "work"
    (work / "copy").mkdir(parents=True)
    (work / "copy" / "claims.csv").write_text("claim_id\n")
    monkeypatch.setenv("GEO_WORK_DIR", str(work))
    monkeypatch.setenv("GEO_DATA_ROOTS", os.pathsep.join([
        *os.environ.get("GEO_DATA_ROOTS", "").split(os.pathsep), str(offered)]))
    names = [p.name for p in server_datasets()]
    assert "mine" in names and dataset_dir().name in names
    assert "copy" not in names and "not-a-dataset" not in names
