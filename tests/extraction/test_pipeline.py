"""Report files to rows: which files a folder gives, one file's problem never stopping
the others, and the same rows whether read in one process or several."""

from __future__ import annotations

import datetime as dt
import pickle
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo import Gazetteer
from geo.extraction.document import ReportError, document_from_text
from geo.extraction.pipeline import (
    FileResult,
    extract_document,
    extract_file,
    extract_files,
    report_files,
)

PUBLISHED = dt.date(2026, 3, 4)
REPORTS = {
    "a.txt": "A bomb blast at a market in Turbat killed four people on Tuesday, police said.",
    "b.md": "Gunmen shot dead two labourers in Gwadar on Monday, police said.",
    "c.txt": "Three soldiers were killed in a clash in Panjgur on Sunday, the military said.",
    "d.html": "<html><head><title>Quetta attack</title></head><body><article><p>Two "
              "policemen were killed in a grenade attack in Quetta on Saturday, police said."
              "</p><p>The attack took place near a busy market in the city centre, where "
              "shops were closed for the rest of the day.</p></article></body></html>",
    "e.txt": "Five people were wounded in an attack on a bus, police said.",  # no place
}


def _write(folder: Path, files: dict[str, str | bytes]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, content in files.items():
        p = folder / name
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8")
        out.append(p)
    return out


def test_report_files_of_folders_sorted_recursive(tmp_path: Path) -> None:
    _write(tmp_path / "in", {"b.txt": "x", "sub/a.HTML": "x", "c.csv": "x", ".hidden.txt": "x",
                             "._b.txt": "x", ".git/d.txt": "x", "e.md": "x", "f.text": "x"})
    (tmp_path / "empty").mkdir()
    got = report_files([tmp_path / "in", tmp_path / "nothing.txt", tmp_path / "empty"])
    names = [p.relative_to(tmp_path).as_posix() for p in got]
    assert names == ["in/b.txt", "in/e.md", "in/f.text", "in/sub/a.HTML", "nothing.txt",
                     "empty"]


def test_extract_document_is_pure_and_picklable(gaz: Gazetteer) -> None:
    doc = document_from_text(REPORTS["a.txt"], "a.txt", published=PUBLISHED)
    one, two = extract_document(doc, gaz), extract_document(doc, gaz, kind="wire")
    assert one.source["kind"] == "news" and two.source["kind"] == "wire"
    pd.testing.assert_frame_equal(one.claims, two.claims)
    assert pickle.loads(pickle.dumps(extract_document)) is extract_document
    assert pickle.loads(pickle.dumps(doc)) == doc


def test_no_publication_date_is_a_report_error(gaz: Gazetteer) -> None:
    doc = document_from_text("Two killed in Quetta on Monday.", "undated.txt")
    with pytest.raises(ReportError, match="undated.txt: no publication date"):
        extract_document(doc, gaz)


def test_a_bad_file_is_reported_and_the_rest_go_on(gaz: Gazetteer, tmp_path: Path) -> None:
    paths = _write(tmp_path, {"bin.txt": bytes(range(256)) * 4, "empty.txt": "",
                              "a.txt": REPORTS["a.txt"]})
    paths.insert(0, tmp_path / "missing.txt")
    results = extract_files(paths, gaz, published=PUBLISHED, jobs=1)
    assert [r.path for r in results] == paths
    errors = [r.error for r in results]
    assert errors[0].startswith("missing.txt: cannot be read")
    assert errors[1] == "bin.txt: not text (binary content)"
    assert errors[2] == "empty.txt: no text"
    assert errors[3] == "" and results[3].extraction is not None
    folder = extract_file(tmp_path, gaz)
    assert folder.extraction is None and "no report file" in folder.error


def test_url_names_one_report(gaz: Gazetteer, tmp_path: Path) -> None:
    paths = _write(tmp_path, {"a.txt": REPORTS["a.txt"], "b.md": REPORTS["b.md"]})
    with pytest.raises(ValueError, match="one report"):
        extract_files(paths, gaz, url="https://example.org/a")
    (one,) = extract_files(paths[:1], gaz, url="https://example.org/a",
                           published=PUBLISHED)
    assert one.extraction is not None
    assert one.extraction.source["url"] == "https://example.org/a"


def _same(a: FileResult, b: FileResult) -> None:
    assert (a.path, a.error) == (b.path, b.error)
    if a.extraction is None or b.extraction is None:
        assert a.extraction is b.extraction is None
        return
    x, y = a.extraction, b.extraction
    assert x.source == y.source
    pd.testing.assert_frame_equal(x.incidents, y.incidents)
    pd.testing.assert_frame_equal(x.claims, y.claims)
    assert x.unplaced == y.unplaced and x.unresolved == y.unresolved


def test_parallel_results_equal_one_process(gaz: Gazetteer, tmp_path: Path) -> None:
    paths = _write(tmp_path, {**REPORTS, "empty.txt": ""})
    ticks: list[int] = []
    serial = extract_files(paths, gaz, jobs=1, published=PUBLISHED)
    parallel = extract_files(paths, Gazetteer.load, jobs=2, published=PUBLISHED,
                             progress=ticks.append)
    assert ticks == [1] * len(paths)
    assert len(serial) == len(parallel) == len(paths)
    for a, b in zip(serial, parallel, strict=True):
        _same(a, b)
    assert sum(len(r.extraction.claims) for r in serial if r.extraction) >= 4
    assert any(r.extraction and r.extraction.unplaced for r in serial)
    html = serial[3].extraction
    assert html is not None and html.source["title"] == "Quetta attack"


@settings(max_examples=40, deadline=None)
@given(text=st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=600)
       | st.lists(st.sampled_from([
           "Two soldiers were killed in Turbat on Monday, police said.",
           "QUETTA, Jan 31 - ", "At least 15 people died across Balochistan since May 1.",
           "a woman and her three children", "\n\n", "more than 30 prisoners escaped",
           "In 2019, 20 soldiers were killed.", "Khelat", "Tank", "the 40-hour siege",
       ]), max_size=12).map(" ".join))
def test_any_text_gives_claims_whose_evidence_holds_their_words(gaz: Gazetteer,
                                                               text: str) -> None:
    if not text.strip():
        return
    ex = extract_document(document_from_text(text, published=dt.date(2026, 2, 1)), gaz)
    doc_text = document_from_text(text, published=dt.date(2026, 2, 1)).text
    for table in (ex.claims, ex.incidents):
        for r in table.itertuples():
            assert doc_text[int(r.evidence_start):int(r.evidence_end)] == r.evidence
    for c in ex.claims.itertuples():
        assert c.value_text in c.evidence and int(c.value) >= 0
