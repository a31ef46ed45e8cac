"""Boundary loading and point location; CSV reading with spreadsheet row numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo import DataError
from geo.gazetteer.boundaries import Boundaries
from geo.io.csvfile import read_csv
from geo.io.tables import ROW


@pytest.fixture(scope="module")
def bounds() -> Boundaries:
    return Boundaries.load()


def test_bundled_layer(bounds: Boundaries) -> None:
    assert len(bounds.districts) == 160
    assert (bounds.districts["province_name"] == "Balochistan").sum() == 35
    assert len(bounds.provinces) == 7
    assert "2022" in bounds.vintage


def test_locate_within_nearest_outside(bounds: Boundaries) -> None:
    # Quetta town; a point 400 m off the Gwadar coast; the middle of the Arabian Sea.
    out = bounds.locate([67.0014, 62.3254, 62.0], [30.1841, 25.085, 20.0])
    assert out["district_name"].tolist()[:2] == ["Quetta", "Gwadar"]
    assert out["how"].tolist()[0] == "within"
    assert out["how"].tolist()[2] == "outside" and out["district_name"].iloc[2] is None
    assert out["district_index"].iloc[2] == -1


def test_admin_points_lie_inside(bounds: Boundaries) -> None:
    for i in range(len(bounds.districts)):
        p = bounds.district_point(i)
        assert bounds.contains(i, p.lon, p.lat)


def test_bad_boundary_file(tmp_path: Path) -> None:
    f = tmp_path / "d.geojson"
    f.write_text('{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
                 '{"name":"x"},"geometry":{"type":"Point","coordinates":[1,2]}}]}')
    with pytest.raises(DataError) as info:
        Boundaries.load(f)
    assert {p.field for p in info.value.problems} == {
        "district_name", "district_pcode", "province_name", "province_pcode"}
    with pytest.raises(DataError, match="file not found"):
        Boundaries.load(tmp_path / "missing.geojson")


@pytest.mark.parametrize("name", ["pakistan_districts.geojson", "pakistan_provinces.geojson",
                                  "neighbours.geojson"])
def test_geojson_is_read_as_gdal_reads_it(name: str) -> None:
    import pyogrio
    from geopandas.testing import assert_geodataframe_equal

    from geo.bundled import data_dir
    from geo.gazetteer.boundaries import _read_vector

    path = data_dir() / name
    assert_geodataframe_equal(_read_vector(path), pyogrio.read_dataframe(path))


def test_geojson_in_another_crs_is_reprojected(tmp_path: Path, bounds: Boundaries) -> None:
    # GDAL writes a "crs" member for EPSG:3857: not RFC 7946, so read through pyogrio.
    f = tmp_path / "mercator.geojson"
    bounds.districts[bounds.districts["district_name"] == "Quetta"].to_crs(3857).to_file(f)
    assert '"crs"' in f.read_text()
    b = Boundaries.load(f)
    assert b.districts.crs == "EPSG:4326"
    assert b.locate([67.0], [30.2])["district_name"].tolist() == ["Quetta"]


def test_user_boundaries_without_provinces_are_dissolved(tmp_path: Path,
                                                         bounds: Boundaries) -> None:
    f = tmp_path / "two.geojson"
    bounds.districts[bounds.districts["district_name"].isin(["Quetta", "Pishin"])].to_file(f)
    b = Boundaries.load(f)
    assert b.provinces["province_name"].tolist() == ["Balochistan"]
    assert "user boundaries" in b.vintage


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [("name;lat\nKhārān;1\n", "utf-8"), ("\ufeffname,lat\nKhārān,1\n", "utf-8"),
     ("name,lat\nKhárán,1\n", "cp1252")],
)
def test_read_csv_encodings_and_delimiters(tmp_path: Path, raw: str, encoding: str) -> None:
    f = tmp_path / "t.csv"
    f.write_bytes(raw.encode(encoding))
    df = read_csv(f, required=["name", "lat"])
    assert df["name"].iloc[0] in ("Khārān", "Khárán")
    assert df["lat"].iloc[0] == "1"


def test_read_csv_row_numbers_skip_blank_lines(tmp_path: Path) -> None:
    f = tmp_path / "t.csv"
    f.write_text("name,lat\nA,1\n\nB,2\n", encoding="utf-8")
    assert read_csv(f, required=["name"])[ROW].tolist() == [2, 4]


def test_read_csv_empty_and_missing(tmp_path: Path) -> None:
    f = tmp_path / "empty.csv"
    f.write_text("", encoding="utf-8")
    with pytest.raises(DataError, match="empty"):
        read_csv(f, required=["name"])
    with pytest.raises(DataError, match="not found"):
        read_csv(tmp_path / "nope.csv", required=["name"])


def test_split_isin_all_and_any() -> None:
    import pandas as pd

    from geo.io.tables import split_isin

    s = pd.Series(["S1;S2", "S3", "", " S2 ; S9"])
    assert split_isin(s, ["S1", "S2"]).tolist() == [True, False, True, False]
    assert split_isin(s, ["S2"], how="any").tolist() == [True, False, False, True]
