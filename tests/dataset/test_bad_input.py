"""A user's own dataset with the mistakes spreadsheets make: each case is reported with
file, row, field and value (or read, saying how), valid rows still load, nothing is lost."""

from __future__ import annotations

import csv
import io
import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from geo import DataError, Gazetteer
from geo.analysis.locate import locate_incidents
from geo.bundled import dataset_dir
from geo.cli.commands import main
from geo.dataset.ingest import from_uploads, read_zip
from geo.dataset.records import Dataset, load_dataset, read_dataset
from geo.dataset.rejects import rejects_zip
from geo.dataset.save import dataset_zip, save_dataset
from geo.io.tables import ROW

Rows = list[list[str]]


def _rows(folder: Path, name: str) -> Rows:
    return list(csv.reader(io.StringIO((folder / name).read_text(encoding="utf-8"))))


def _write(folder: Path, name: str, rows: Rows, encoding: str = "utf-8",
           delimiter: str = ",") -> None:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    (folder / name).write_bytes(buf.getvalue().encode(encoding))


def _set(folder: Path, name: str, row: int, column: str, value: str) -> None:
    """Set one cell; *row* as a spreadsheet shows it (header = 1)."""
    rows = _rows(folder, name)
    rows[row - 1][rows[0].index(column)] = value
    _write(folder, name, rows)


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    dst = tmp_path / "ds"
    shutil.copytree(dataset_dir(), dst)
    return dst


def _problems(ds: Dataset) -> set[tuple[str, int | None, str | None]]:
    return {(p.file, p.row, p.field) for p in ds.problems}


# --- encodings and layouts: read, same records --------------------------------------

@pytest.mark.parametrize(("encoding", "delimiter"), [("utf-8-sig", ","), ("cp1252", ","),
                                                     ("utf-8", ";"), ("utf-8-sig", ";")])
def test_bom_latin1_and_semicolons_read_the_same_records(folder: Path, encoding: str,
                                                         delimiter: str) -> None:
    want = load_dataset(folder)
    for name in ("sources.csv", "incidents.csv", "claims.csv"):
        rows = _rows(folder, name)
        if encoding == "cp1252":  # what Excel on Windows saves; ¶ and é exist in cp1252
            rows = [[c.replace("–", "-").replace("’", "'") for c in r] for r in rows]
        _write(folder, name, rows, encoding, delimiter)
    got = load_dataset(folder)
    # a cp1252 file is said to be read as such: once, for the file (claims.csv has a ¶)
    assert [(n.file, n.row) for n in got.notes] == ([("claims.csv", None)]
                                                    if encoding == "cp1252" else [])
    assert all("read as cp1252" in n.message for n in got.notes)
    pd.testing.assert_frame_equal(got.claims[["claim_id", "value", "locator"]],
                                  want.claims[["claim_id", "value", "locator"]])
    assert list(got.incidents["incident_id"]) == list(want.incidents["incident_id"])


# --- dates: other formats read and said; impossible dates refused ---------------------

def test_other_date_formats_are_read_and_said(folder: Path) -> None:
    _set(folder, "incidents.csv", 2, "event_date", "31/01/2026")
    _set(folder, "incidents.csv", 3, "event_date", "46053")  # Excel's number for 31 Jan 2026
    _set(folder, "sources.csv", 2, "published", "1 Feb 2026")
    ds = load_dataset(folder)
    dates = ds.incidents.set_index("incident_id")["event_date"]
    assert str(dates["BAL26-001"].date()) == str(dates["BAL26-002"].date()) == "2026-01-31"
    notes = [n.note() for n in ds.notes]
    assert "incidents.csv:2: event_date: '31/01/2026' read as 2026-01-31 (day/month/year" \
        in notes[0] or any("'31/01/2026' read as 2026-01-31" in n for n in notes)
    assert any("'46053' read as 2026-01-31 (an Excel date number" in n for n in notes)
    assert any("sources.csv:2: published: '1 Feb 2026' read as 2026-02-01" in n
               for n in notes)


@pytest.mark.parametrize(("values", "message"), [
    (["2026-02-30"], "expected a date"),  # Arrow alone would roll this into March
    (["01/02/2026", "13/02/2026", "02/13/2026"], "expected a date"),  # both orders
    (["yesterday"], "expected a date"),
])
def test_impossible_or_ambiguous_dates_are_refused(folder: Path, values: list[str],
                                                   message: str) -> None:
    for i, v in enumerate(values):
        _set(folder, "incidents.csv", 2 + i, "event_date", v)
    ds = read_dataset(folder)
    bad = [p for p in ds.problems if p.field == "event_date"]
    assert {p.row for p in bad} == set(range(2, 2 + len(values)))
    assert all(message in p.message and p.value in values for p in bad)
    if len(values) > 1:
        assert any("both day/month/year and month/day/year" in n.message for n in ds.notes)


def test_month_first_column_is_read_month_first(folder: Path) -> None:
    _set(folder, "incidents.csv", 2, "event_date", "01/31/2026")
    _set(folder, "incidents.csv", 3, "event_date", "02/01/2026")
    ds = load_dataset(folder)
    got = ds.incidents.set_index("incident_id")["event_date"]
    assert [str(got[i].date()) for i in ("BAL26-001", "BAL26-002")] == [
        "2026-01-31", "2026-02-01"]
    assert any("month/day/year" in n.message for n in ds.notes)


# --- columns, ids, references --------------------------------------------------------

def test_missing_required_columns_are_all_listed(folder: Path) -> None:
    rows = _rows(folder, "claims.csv")
    drop = {rows[0].index("category"), rows[0].index("value")}
    _write(folder, "claims.csv", [[c for i, c in enumerate(r) if i not in drop] for r in rows])
    with pytest.raises(DataError) as info:
        read_dataset(folder)
    assert {(p.file, p.field) for p in info.value.problems} == {
        ("claims.csv", "category"), ("claims.csv", "value")}
    assert all(p.message == "required column is missing" for p in info.value.problems)


def test_unknown_columns_are_kept_and_written_back(folder: Path, tmp_path: Path) -> None:
    rows = _rows(folder, "claims.csv")
    _write(folder, "claims.csv", [[*r, "coder" if i == 0 else f"k{i}"]
                                  for i, r in enumerate(rows)])
    ds = load_dataset(folder)
    assert list(ds.claims["coder"][:2]) == ["k1", "k2"]
    again = load_dataset(save_dataset(ds, tmp_path / "out"))
    assert list(again.claims["coder"]) == list(ds.claims["coder"])


@pytest.mark.parametrize("value", ["-3", "2.5", "many", "1e12", "99999999999", "NaN", " "])
def test_bad_casualty_counts(folder: Path, value: str) -> None:
    _set(folder, "claims.csv", 34, "value", value)
    ds = read_dataset(folder)
    bad = [p for p in ds.problems if p.row == 34]
    assert [p.field for p in bad] == ["value"], bad
    assert "whole number" in bad[0].message or "required value is empty" in bad[0].message
    assert "C033" in set(ds.rejected["claims"]["claim_id"])  # kept for the rejects file


# --- coordinates ---------------------------------------------------------------------

def test_swapped_latitude_longitude_is_detected_and_suggested(folder: Path,
                                                              gaz: Gazetteer) -> None:
    _set(folder, "incidents.csv", 2, "latitude", "66.99")
    _set(folder, "incidents.csv", 2, "longitude", "30.18")
    located = locate_incidents(load_dataset(folder).incidents, gaz)
    row = located.unresolved.set_index("incident_id").loc["BAL26-001"]
    assert "latitude and longitude look swapped" in row["reason"]
    assert "Quetta" in row["reason"]
    assert "BAL26-001" not in set(located.incidents["incident_id"])  # not put anywhere
    res = CliRunner().invoke(main, ["validate", "--data", str(folder)])
    assert res.exit_code == 1 and "incidents.csv:2: location: latitude 66.99" in res.output


@pytest.mark.parametrize(("lat", "lon", "field"), [("95", "66.9", "latitude"),
                                                   ("30.1", "-181", "longitude"),
                                                   ("30.1", "", "latitude"),
                                                   ("north", "66.9", "latitude")])
def test_coordinates_out_of_range_or_incomplete(folder: Path, lat: str, lon: str,
                                                field: str) -> None:
    _set(folder, "incidents.csv", 2, "latitude", lat)
    _set(folder, "incidents.csv", 2, "longitude", lon)
    assert ("incidents.csv", 2, field) in _problems(read_dataset(folder))


# --- empty things ----------------------------------------------------------------------

def test_empty_cells_and_blank_lines(folder: Path) -> None:
    rows = _rows(folder, "incidents.csv")
    rows[1][rows[0].index("event_type")] = ""
    _write(folder, "incidents.csv", [*rows[:3], [""] * len(rows[0]), *rows[3:]])
    ds = read_dataset(folder)
    assert ("incidents.csv", 2, "event_type") in _problems(ds)
    assert "BAL26-003" in set(ds.incidents["incident_id"])  # rows after the blank line
    assert ds.incidents.set_index("incident_id").loc["BAL26-003", ROW] == 5


@pytest.mark.parametrize("content", [b"", b"\n\n", b"\xef\xbb\xbf"])
def test_empty_file(folder: Path, content: bytes) -> None:
    (folder / "sources.csv").write_bytes(content)
    with pytest.raises(DataError, match="sources.csv: file is empty"):
        read_dataset(folder)


def test_header_only_files_load_as_empty(folder: Path) -> None:
    for name in ("incidents.csv", "claims.csv"):
        _write(folder, name, _rows(folder, name)[:1])
    ds = load_dataset(folder)
    assert len(ds.incidents) == len(ds.claims) == 0


# --- GeoJSON incidents -----------------------------------------------------------------

def _geojson(folder: Path, edit: Callable[[list[dict]], object]) -> None:
    rows = _rows(folder, "incidents.csv")
    feats = [{"type": "Feature", "geometry": None,
              "properties": dict(zip(rows[0], r, strict=True))} for r in rows[1:]]
    edit(feats)
    (folder / "incidents.csv").unlink()
    (folder / "incidents.geojson").write_text(json.dumps(
        {"type": "FeatureCollection", "features": feats}), encoding="utf-8")


def test_geojson_points_load_and_bad_geometries_are_rejected(folder: Path) -> None:
    def edit(f: list[dict]) -> None:
        f[0]["geometry"] = {"type": "Point", "coordinates": [66.99, 30.18]}
        f[1]["geometry"] = {"type": "LineString", "coordinates": [[66, 30], [67, 31]]}
        f[2]["geometry"] = {"type": "Point", "coordinates": [66.9]}
        f[3]["geometry"] = {"type": "Point", "coordinates": [30.2, 200.0]}
        f[4]["properties"]["latitude"] = "10"
        f[4]["geometry"] = {"type": "Point", "coordinates": [66.0, 30.0]}
    _geojson(folder, edit)
    ds = read_dataset(folder)
    assert {("incidents.geojson", 2, "geometry"), ("incidents.geojson", 3, "geometry"),
            ("incidents.geojson", 4, "geometry"), ("incidents.geojson", 5, "latitude")
            } <= _problems(ds)
    first = ds.incidents.set_index("incident_id").loc["BAL26-001"]
    assert (first["latitude"], first["longitude"]) == (30.18, 66.99)  # lon first in GeoJSON
    assert len(ds.rejected["incidents"]) == 4 and len(ds.incidents) == 18 - 4


@pytest.mark.parametrize(("raw", "message"), [
    (b"{not json", "not valid JSON"),
    (b'{"type": "Polygon", "coordinates": []}', "expected a GeoJSON FeatureCollection"),
    (b'{"type": "FeatureCollection", "features": [], "crs": {"type": "name", '
     b'"properties": {"name": "EPSG:32642"}}}', "must be WGS84"),
    (b"\xff\xfe{", "UTF-8"),
    (b"[" * 100_000, "not valid JSON"),
])
def test_unreadable_geojson(folder: Path, raw: bytes, message: str) -> None:
    (folder / "incidents.csv").unlink()
    (folder / "incidents.geojson").write_bytes(raw)
    with pytest.raises(DataError, match=message):
        read_dataset(folder)


# --- archives and uploads ---------------------------------------------------------------

def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_zip_with_extra_folders_and_traversal_names(folder: Path, tmp_path: Path) -> None:
    files = {n: (folder / n).read_bytes() for n in ("sources.csv", "incidents.csv",
                                                     "claims.csv")}
    evil = tmp_path / "evil.csv"
    data = _zip({**{f"mydata/{n}": b for n, b in files.items()},
                 "__MACOSX/mydata/._claims.csv": b"junk", "mydata/docs/notes.txt": b"x",
                 f"../../{evil.name}": b"pwned", "/etc/passwd": b"root",
                 "..\\..\\win.csv": b"x"})
    (tmp_path / "up.zip").write_bytes(data)
    ds = load_dataset(tmp_path / "up.zip")
    assert len(ds.incidents) == 18
    said = " ".join(n.note() for n in ds.notes)
    assert "../../evil.csv: ignored: the name points outside the archive" in said
    assert "/etc/passwd" in said and "win.csv" in said and "notes.txt" in said
    assert not evil.exists() and not (tmp_path.parent / evil.name).exists()


def test_a_dataset_file_in_a_subfolder_is_named_as_ignored(folder: Path) -> None:
    files = {n: (folder / n).read_bytes() for n in ("sources.csv", "incidents.csv",
                                                     "claims.csv")}
    got = read_zip("up.zip", _zip({"mydata/sources.csv": files["sources.csv"],
                                   "mydata/incidents.csv": files["incidents.csv"],
                                   "mydata/extra/claims.csv": files["claims.csv"]}))
    assert "claims.csv" not in got.files
    said = " ".join(n.note() for n in got.notes)
    assert "mydata/extra/claims.csv" in said and "outside the dataset's folder (mydata)" in said


def test_archive_limits_and_several_datasets(folder: Path) -> None:
    files = {n: (folder / n).read_bytes() for n in ("sources.csv", "incidents.csv",
                                                     "claims.csv")}
    with pytest.raises(DataError, match="several datasets"):
        read_zip("two.zip", _zip({**{f"a/{n}": b for n, b in files.items()},
                                  **{f"b/{n}": b for n, b in files.items()}}))
    bomb = _zip({"incidents.csv": b"0" * 5_000_000})  # compresses to a few KB
    with pytest.raises(DataError, match="more than the limit"):
        read_zip("bomb.zip", bomb, limit=1_000_000)
    with pytest.raises(DataError, match="not a readable zip"):
        read_zip("broken.zip", b"PK\x03\x04 not really")


def test_uploads_of_files_or_one_zip(folder: Path) -> None:
    items = [(up, (folder / n).read_bytes()) for up, n in (
        ("Sources.CSV", "sources.csv"), ("incidents.csv", "incidents.csv"),
        ("C:\\Users\\me\\claims.csv", "claims.csv"))]
    got = from_uploads([*items, ("photo.png", b"\x89PNG")])
    assert set(got.files) == {"sources.csv", "incidents.csv", "claims.csv"}
    assert "photo.png" in got.notes[0].file
    assert len(load_dataset(got).incidents) == 18
    with pytest.raises(DataError, match="uploaded twice"):
        from_uploads([*items, ("SOURCES.csv", b"x")])
    with pytest.raises(DataError, match="not both"):
        from_uploads([*items, ("d.zip", _zip({}))])
    with pytest.raises(DataError, match="more than the limit"):
        from_uploads(items, limit=1000)


# --- nothing lost: the rejects file -------------------------------------------------------

def test_rejects_file_holds_every_rejected_row_as_read(folder: Path) -> None:
    _set(folder, "claims.csv", 34, "value", "=HYPERLINK(\"http://x\")")
    _set(folder, "incidents.csv", 3, "event_type", "Bombing")
    ds = read_dataset(folder)
    with zipfile.ZipFile(io.BytesIO(rejects_zip(ds))) as zf:
        names = set(zf.namelist())
        claims = pd.read_csv(zf.open("claims_rejected.csv"), dtype=str, keep_default_na=False)
        problems = pd.read_csv(zf.open("problems.csv"), dtype=str, keep_default_na=False)
    assert {"problems.csv", "claims_rejected.csv", "incidents_rejected.csv"} <= names
    # Every rejected row is there, with the spreadsheet row and the reason...
    assert set(claims["_row"]) == {str(r) for r in ds.rejected["claims"][ROW]}
    assert len(problems) == len(ds.problems)
    c = claims.set_index("claim_id").loc["C033"]
    assert "value: expected a whole number" in c["_problems"]
    # ...exactly as read (data to load again, not a spreadsheet report), while the
    # problems report neutralises the same value.
    assert c["value"] == "=HYPERLINK(\"http://x\")"
    assert "'=HYPERLINK(\"http://x\")" in set(problems["value"])
    # valid + rejected = everything read
    assert len(ds.claims) + len(ds.rejected["claims"]) == len(_rows(folder, "claims.csv")) - 1


def test_a_fixed_rejected_row_added_back_is_exactly_the_fix(folder: Path) -> None:
    """Fix a rejected row in the rejects file and add it back, as the docs say: its
    other cells arrive as they were ("+20 injured" keeps no quote mark)."""
    _set(folder, "incidents.csv", 3, "description", "+20 injured")
    was = _rows(folder, "incidents.csv")[2][_rows(folder, "incidents.csv")[0].index("event_type")]
    _set(folder, "incidents.csv", 3, "event_type", "Bombing")
    ds = read_dataset(folder)
    with zipfile.ZipFile(io.BytesIO(rejects_zip(ds))) as zf:
        rejected = pd.read_csv(zf.open("incidents_rejected.csv"), dtype=str,
                               keep_default_na=False)
    row = rejected.iloc[0]
    assert row["description"] == "+20 injured"
    fixed = row.drop(["_row", "_problems"])
    fixed["event_type"] = was
    incidents = pd.read_csv(folder / "incidents.csv", dtype=str, keep_default_na=False)
    incidents = incidents[incidents["incident_id"] != row["incident_id"]]
    pd.concat([incidents, fixed.to_frame().T]).to_csv(folder / "incidents.csv", index=False)
    again = read_dataset(folder)
    assert not again.problems
    back = again.incidents.set_index("incident_id").loc[row["incident_id"]]
    assert back["description"] == "+20 injured"


def test_dataset_download_loads_again(folder: Path) -> None:
    ds = load_dataset(folder)
    again = load_dataset(read_zip("dataset.zip", dataset_zip(ds)))
    for t in ("sources", "incidents", "claims"):
        pd.testing.assert_frame_equal(getattr(again, t).drop(columns=ROW),
                                      getattr(ds, t).drop(columns=ROW))


def test_a_row_longer_than_the_header_is_rejected_with_its_extra_cells(folder: Path) -> None:
    lines = (folder / "claims.csv").read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5] + ",oops,extra"
    (folder / "claims.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    ds = read_dataset(folder)
    bad = [p for p in ds.problems if p.row == 6]
    assert bad and "cells, but the header has 17" in bad[0].message
    assert bad[0].value == "oops,extra"
    assert len(ds.claims) == 46 and "C005" in set(ds.rejected["claims"]["claim_id"])


def test_duplicate_header_names_are_refused(folder: Path) -> None:
    rows = _rows(folder, "sources.csv")
    rows[0][rows[0].index("note")] = "title"
    _write(folder, "sources.csv", rows)
    with pytest.raises(DataError, match="title: column appears more than once"):
        read_dataset(folder)


def test_a_header_with_an_open_quote_is_refused(folder: Path) -> None:
    # The header would run on into the records: two of its columns were then named ""
    # (a crash before, found by tests/io/test_fuzz_loaders.py).
    raw = (folder / "claims.csv").read_bytes()
    (folder / "claims.csv").write_bytes(b'"' + raw)
    with pytest.raises(DataError, match="claims.csv:1: a quote in the header row is not "
                                        "closed"):
        read_dataset(folder)
