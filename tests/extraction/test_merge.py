"""Reports merged into a dataset's tables: one incident per attack with every report's
figures, a report already there changes nothing, several equal candidates are listed."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest

from geo import Gazetteer, bundled
from geo.dataset.records import read_dataset
from geo.dataset.save import write_files
from geo.errors import DataError
from geo.extraction.document import document_from_text
from geo.extraction.grouping import Extraction
from geo.extraction.merge import Merger, merge
from geo.extraction.pipeline import extract_document
from geo.extraction.texttables import dataset_format, empty_tables, read_tables

PUBLISHED = dt.date(2026, 3, 4)  # a Wednesday: "Tuesday" is 3 March
FIRST = ("A bomb blast at a market in Turbat killed four people on Tuesday, police said.\n\n"
         "Seven others were wounded in the Turbat blast, a hospital official said.")
SECOND = ("Six people died in Tuesday's bomb blast in Turbat, officials said.\n\n"
          "In a separate statement, the military said 20 militants were killed across "
          "Balochistan in March.")


def _read(gaz: Gazetteer, text: str, name: str = "report.txt", url: str = "") -> Extraction:
    doc = document_from_text(text, name, published=PUBLISHED, url=url)
    return extract_document(doc, gaz)


def _merge_all(gaz: Gazetteer, *extractions: Extraction) -> dict[str, pd.DataFrame]:
    tables = empty_tables()
    for x in extractions:
        tables, _report = merge(tables, x, gaz)
    return tables


def test_second_report_of_one_attack_attaches_its_toll(gaz: Gazetteer) -> None:
    first, second = _read(gaz, FIRST, "first.txt"), _read(gaz, SECOND, "second.txt")
    tables, _ = merge(empty_tables(), first, gaz)
    tables, report = merge(tables, second, gaz)
    (incident,) = tables["incidents"].to_dict("records")
    assert incident["location"] == "Turbat"
    assert incident["source_ids"].split(";") == [first.source["source_id"],
                                                 second.source["source_id"]]
    assert report.incidents_attached == {second.incidents["incident_id"][0]:
                                         incident["incident_id"]}
    assert report.incidents_added == ()
    claims = tables["claims"]
    tolls = claims[claims["category"] == "killed_unknown"]
    assert sorted(tolls["value"]) == ["4", "6"]  # both tolls, on the one incident
    assert set(tolls["incident_id"]) == {incident["incident_id"]}
    area = claims[claims["area"] != ""]
    assert area[["area", "value", "incident_id"]].to_numpy().tolist() == [
        ["Balochistan", "20", ""]]
    assert list(report.claims_added) == list(second.claims["claim_id"])


def test_same_report_twice_changes_nothing(gaz: Gazetteer, tmp_path: Path) -> None:
    first = _read(gaz, FIRST)
    tables = _merge_all(gaz, first)
    write_files(tables, tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    again = _read(gaz, FIRST.replace("\n\n", "\n\n\n").upper().lower())  # same words
    base = read_tables(tmp_path)
    after, report = merge(base, again, gaz)
    assert after is base
    assert report.duplicate_of == first.source["source_id"] and not report.changed
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_same_url_other_text_is_a_duplicate(gaz: Gazetteer) -> None:
    url = "https://example.org/news/turbat-blast"
    tables = _merge_all(gaz, _read(gaz, FIRST, url=url))
    other = _read(gaz, SECOND, url=url)
    after, report = merge(tables, other, gaz)
    assert after is tables
    assert report.duplicate_of == tables["sources"]["source_id"][0]


def _incident(incident_id: str, location: str, event_type: str = "Explosions/Remote "
              "violence", admin2: str = "", day: str = "2026-03-03") -> dict[str, str]:
    return {"incident_id": incident_id, "event_date": day, "location": location,
            "admin1": "Balochistan", "admin2": admin2, "event_type": event_type,
            "sub_event_type": "", "source_ids": "S1"}


def _base(*incidents: dict[str, str]) -> dict[str, pd.DataFrame]:
    tables = empty_tables()
    src = {"source_id": "S1", "publisher": "P", "title": "T", "published": "2026-03-04",
           "url": "", "kind": "news"}
    tables["sources"] = pd.DataFrame([src]).reindex(columns=tables["sources"].columns,
                                                    fill_value="")
    tables["incidents"] = pd.DataFrame(list(incidents)).reindex(
        columns=tables["incidents"].columns, fill_value="")
    return tables


def test_equal_candidates_attach_to_the_first_and_are_listed(gaz: Gazetteer) -> None:
    base = _base(_incident("E1", "Turbat"), _incident("E2", "Turbat"),
                 _incident("E3", "Turbat", day="2026-03-02"))
    x = _read(gaz, FIRST)
    tables, report = merge(base, x, gaz)
    mine = x.incidents["incident_id"][0]
    assert report.incidents_attached == {mine: "E1"}
    assert report.ambiguous == {mine: ("E2",)}
    inc = tables["incidents"].set_index("incident_id")["source_ids"]
    assert inc["E1"] == f"S1;{x.source['source_id']}" and inc["E2"] == "S1"


def test_candidates_narrowed_by_place_then_event_type(gaz: Gazetteer) -> None:
    # Tump and Turbat are both in Kech: the same district, the place name decides;
    # then the event type among the Turbat ones.
    base = _base(_incident("E1", "Tump"), _incident("E2", "Turbat", "Battles"),
                 _incident("E3", "Turbat"))
    tables, report = merge(base, _read(gaz, FIRST), gaz)
    assert list(report.incidents_attached.values()) == ["E3"] and not report.ambiguous


def test_district_from_admin2_or_from_the_place(gaz: Gazetteer) -> None:
    # No place name in common: "Kech" as admin2, or Tump resolved to Kech.
    for row in (_incident("E1", "Hoshab", admin2="Kech"), _incident("E1", "Tump")):
        _tables, report = merge(_base(row), _read(gaz, FIRST), gaz)
        assert list(report.incidents_attached.values()) == ["E1"]
    other_day = _incident("E1", "Turbat", day="2026-03-01")
    other_district = _incident("E1", "Gwadar")
    for row in (other_day, other_district):
        tables, report = merge(_base(row), _read(gaz, FIRST), gaz)
        assert not report.incidents_attached and len(report.incidents_added) == 1
        assert len(tables["incidents"]) == 2


def test_existing_rows_and_columns_kept_new_columns_last(gaz: Gazetteer) -> None:
    base = _base(_incident("E1", "Gwadar"))
    base["incidents"]["my_note"] = ["mine"]
    tables, _ = merge(base, _read(gaz, FIRST), gaz)
    inc = tables["incidents"]
    old = list(base["incidents"].columns)
    assert list(inc.columns[:len(old)]) == old
    assert inc.columns[-1] == "extracted_by" and "confidence" in inc.columns
    assert inc.iloc[0][old].tolist() == base["incidents"].iloc[0].tolist()
    assert inc.iloc[0]["confidence"] == "" and inc.iloc[1]["my_note"] == ""
    assert (tables["sources"]["source_id"] == "S1").iloc[0]


def test_identical_claims_of_one_report_skipped(gaz: Gazetteer) -> None:
    # Turbat and Tump on one day in one district: both attach to the one incident; the
    # same police toll said for each is one claim.
    text = ("A bomb blast in Turbat killed four people on Tuesday, police said.\n\n"
            "A bomb blast in Tump killed four people on Tuesday, police said.")
    x = _read(gaz, text)
    assert len(x.incidents) == 2
    tables, report = merge(_base(_incident("E1", "Kech", admin2="Kech")), x, gaz)
    assert set(report.incidents_attached.values()) == {"E1"}
    assert len(report.claims_skipped) == 1 and len(report.claims_added) == 1
    assert tables["incidents"]["source_ids"][0] == f"S1;{x.source['source_id']}"


def test_an_id_already_used_by_another_row_is_an_error(gaz: Gazetteer) -> None:
    x = _read(gaz, FIRST)
    base = _base(_incident(x.incidents["incident_id"][0], "Gwadar"))
    with pytest.raises(ValueError, match="already in the dataset"):
        merge(base, x, gaz)


def test_read_tables_keeps_the_text_and_refuses_invalid_rows(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(bundled.dataset_dir(), folder)
    tables = read_tables(folder)
    raw = pd.read_csv(folder / "claims.csv", dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(tables["claims"], raw, check_dtype=False)
    assert dataset_format(folder) == "csv"
    text = (folder / "claims.csv").read_text(encoding="utf-8").replace(",17,,exact,", ",x,,exact,",
                                                                        1)
    (folder / "claims.csv").write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match="fix them first"):
        read_tables(folder)
    with pytest.raises(DataError, match="not found"):
        read_tables(tmp_path / "nothing")


def test_merged_tables_validate(gaz: Gazetteer, tmp_path: Path) -> None:
    tables = _merge_all(gaz, _read(gaz, FIRST, "a.txt"), _read(gaz, SECOND, "b.txt"))
    ds = read_dataset(write_files(tables, tmp_path))
    assert not ds.problems
    assert (len(ds.sources), len(ds.incidents), len(ds.claims)) == (2, 1, 4)


def test_dates_in_other_formats_are_the_same_day(gaz: Gazetteer) -> None:
    base = _base(_incident("E1", "Turbat", day="3 March 2026"))
    _tables, report = merge(base, _read(gaz, FIRST), gaz)
    assert list(report.incidents_attached.values()) == ["E1"]


def test_a_merger_of_many_reports_gives_what_merging_one_by_one_gives(
        gaz: Gazetteer) -> None:
    """The batch (one copy of the tables at the end) and report by report agree, on a
    copy of the bundled dataset and with reports attaching to each other's incidents."""
    base = read_tables(bundled.dataset_dir())
    reports = [_read(gaz, text, f"r{i}.txt") for i, text in enumerate(
        [FIRST, SECOND, FIRST, "Two policemen were killed in a grenade attack in Quetta on "
         "Saturday, police said.", "Gunmen killed three labourers in Turbat on Tuesday."])]
    one_by_one, reports_one = base, []
    for x in reports:
        one_by_one, report = merge(one_by_one, x, gaz)
        reports_one.append(report)
    merger = Merger(base, gaz)
    reports_batch = [merger.add(x) for x in reports]
    batch = merger.tables()
    assert reports_batch == reports_one
    assert reports_batch[2].duplicate_of  # FIRST again: already there
    for table in ("sources", "incidents", "claims"):
        pd.testing.assert_frame_equal(batch[table].astype(str), one_by_one[table].astype(str))
    assert base["incidents"].equals(read_tables(bundled.dataset_dir())["incidents"])
