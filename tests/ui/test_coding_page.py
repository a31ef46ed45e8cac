"""The coding desk page under AppTest: a report pasted, its candidates checked, one
value edited, saved into a working copy, its history shown and the save undone; bad
input refused with a message."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from geo.bundled import dataset_dir
from geo.coding.log import read_log
from geo.dataset.ingest import DATASET_FILES, collect
from geo.dataset.records import read_dataset
from tests.support import ROOT

# Written for these tests: a second toll for the bundled dataset's Kharan incident of
# 31 January 2026 (7 civilians there, per its source S003).
REPORT = ("KHARAN, Pakistan, Feb. 1 (Test Wire) - Gunmen opened fire on a bus stand in "
          "Kharan on Saturday evening, killing nine civilians, police said on Sunday.\n\n"
          "Three of the gunmen were killed when police returned fire, a police officer said.")


@pytest.fixture()
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "work"
    monkeypatch.setenv("GEO_WORK_DIR", str(folder))
    monkeypatch.setenv("GEO_CACHE_DIR", "off")
    return folder


def _page(coder: str = "Aisha") -> AppTest:
    at = AppTest.from_file(str(ROOT / "ui/views/coding.py"), default_timeout=90).run()
    at.sidebar.text_input(key="coder").input(coder)
    return at


def _extract(at: AppTest, text: str, published: dt.date | None = dt.date(2026, 2, 1)
             ) -> AppTest:
    at.text_area(key="desk_text").input(text)
    at.text_input(key="desk_publisher").input("Test Wire")
    if published is not None:
        at.date_input(key="desk_published").set_value(published)
    return at.button(key="desk_extract").click().run()


def _frame(at: AppTest, column: str) -> pd.DataFrame:
    """The (first) table shown with *column* (tables without selection carry no key)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _files(folder: Path) -> dict[str, bytes]:
    return {n: (folder / n).read_bytes() for n in sorted(DATASET_FILES)
            if (folder / n).is_file()}


def test_paste_edit_save_and_undo(work: Path) -> None:
    at = _extract(_page("Aisha <b>Khan</b>"), REPORT)
    assert not at.exception and not at.error
    n = at.session_state["desk_n"]
    claims = at.session_state["desk"]["ex"].claims
    nine = int(claims.index[claims["value"] == "9"][0])
    # The coder corrects one figure in the claims editor (as a browser edit does).
    at.session_state[f"desk_clm_{n}"] = {"edited_rows": {nine: {"value": "10"}},
                                         "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception and not at.error
    # Before saving: the claims beside the dataset's own, a differing toll flagged.
    attached = _frame(at, "conflict")
    civ = attached[attached["category"] == "killed_civilians"].iloc[0]
    assert civ["incident_id"] == "BAL26-015" and civ["conflict"]
    assert civ["in_dataset"].startswith("7 ") and civ["new"].startswith("10 ")
    assert not work.exists()  # nothing written before the coder saves
    at.button(key="desk_save").click().run()
    assert not at.exception and at.success, [e.value for e in at.error]
    copy = work / f"{dataset_dir().name}-coded"
    ds = read_dataset(collect(copy))
    assert not ds.problems
    new = pd.read_csv(copy / "claims.csv", dtype=str, keep_default_na=False)
    mine = new[new["coded_by"] != ""]
    assert set(mine["coded_by"]) == {"Aisha <b>Khan</b>"}  # as given; escaped when shown
    assert "10" in set(mine.loc[mine["incident_id"] == "BAL26-015", "value"])
    assert set(mine["review"]) == {"as_extracted", "edited"}
    (batch,) = read_log(copy)
    assert batch.coder == "Aisha <b>Khan</b>" and batch.action == "add" and batch.time
    edited = [r for r in batch.rows if r["status"] == "edited"]
    assert [(r["extracted"]["value"], r["edited"]) for r in edited] == [("9", {"value": "10"})]
    assert "BAL26-015" in batch.incidents_attached.values()
    # The history lists the batch; undo gives back the copied files byte for byte.
    at.run()
    history = _frame(at, "undone")
    assert history["batch"].tolist() == [batch.batch]
    at.button(key="desk_undo").click().run()
    assert not at.exception and not at.error
    assert _files(copy) == _files(dataset_dir())
    assert [b.action for b in read_log(copy)] == ["add", "undo"]


def test_a_second_save_of_the_same_report_adds_nothing(work: Path) -> None:
    at = _extract(_page(), REPORT)
    at.button(key="desk_save").click().run()
    copy = work / f"{dataset_dir().name}-coded"
    saved = _files(copy)
    at = _extract(_page("Bilal"), REPORT)
    assert any("in the dataset already" in i.value for i in at.info)
    assert at.button(key="desk_save").disabled
    assert _files(copy) == saved


@pytest.mark.parametrize(("text", "published", "message"), [
    ("   \n  ", dt.date(2026, 2, 1), "no text"),
    ("x" * 200_001, dt.date(2026, 2, 1), "a report has at most"),
    ("Two people were killed in Quetta on Monday, police said.", None,
     "no publication date"),
])
def test_bad_input_is_refused_with_a_message(work: Path, text: str,
                                             published: dt.date | None, message: str) -> None:
    at = _extract(_page(), text, published)
    assert not at.exception
    assert any(message in e.value for e in at.error), [e.value for e in at.error]
    assert "desk" not in at.session_state and not work.exists()


def test_hostile_report_and_coder_are_escaped(work: Path) -> None:
    text = ("QUETTA, Feb. 1 (Test Wire) - Two policemen were killed in Quetta on Saturday, "
            "police said. <script>alert(1)</script> [click](javascript:alert(2)) "
            "<img src=x onerror=alert(3)>")
    at = _extract(_page("<script>alert(4)</script>"), text)
    assert not at.exception
    shown = " ".join(m.value for m in [*at.markdown, *at.caption, *at.subheader])
    assert "<script>" not in shown and "<img" not in shown and "](javascript:" not in shown


def test_no_name_no_save(work: Path) -> None:
    at = _extract(_page(""), REPORT)
    assert at.button(key="desk_save").disabled
    assert any("Give your name" in c.value for c in at.caption)


SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed articles are not beside the "
                    "repository (../shared/seeds)")
def test_each_seed_article_pasted_and_saved_whole_validates(work: Path) -> None:
    sources = pd.read_csv(dataset_dir() / "sources.csv", dtype=str, keep_default_na=False)
    for s in sources[sources["seed_file"] != ""].itertuples():
        at = _page()
        at.text_area(key="desk_text").input((SEEDS / s.seed_file).read_text(encoding="utf-8"))
        at.text_input(key="desk_publisher").input(s.publisher)
        at.date_input(key="desk_published").set_value(dt.date.fromisoformat(s.published))
        at.button(key="desk_extract").click().run()
        assert not at.exception and not at.error, s.seed_file
        save = at.button(key="desk_save")
        if save.disabled:  # already in the copy (same words), or nothing found
            continue
        save.click().run()
        assert not at.exception and at.success, (s.seed_file, [e.value for e in at.error])
    copy = work / f"{dataset_dir().name}-coded"
    assert not read_dataset(collect(copy)).problems
    log = read_log(copy)
    assert log and all(b.coder == "Aisha" for b in log)
