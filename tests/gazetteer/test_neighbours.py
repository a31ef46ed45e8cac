"""The bundled neighbouring countries (``data/neighbours.geojson``) and how they load:
fields, CRS, validity, ring order, size, no overlap with the OCHA layers; a data folder
or user boundaries without the file have no neighbours."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import shape

from geo import DataError, bundled
from geo.gazetteer.boundaries import Boundaries

PATH = bundled.data_dir() / "neighbours.geojson"


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    return json.loads(PATH.read_text(encoding="utf-8"))


def test_fields_crs_and_geometry(doc: dict[str, Any]) -> None:
    assert doc["type"] == "FeatureCollection" and "crs" not in doc  # RFC 7946: WGS84
    names = [f["properties"]["country_name"] for f in doc["features"]]
    assert len(names) == len(set(names))
    assert {"Iran", "Afghanistan", "India", "China"} <= set(names)
    assert "Pakistan" not in names
    for f in doc["features"]:
        assert set(f["properties"]) == {"country_name", "source"}
        assert "Natural Earth" in f["properties"]["source"]
        g = shape(f["geometry"])
        assert g.geom_type in ("Polygon", "MultiPolygon") and g.is_valid and not g.is_empty
        x0, y0, x1, y1 = g.bounds
        assert 50 <= x0 and x1 <= 90 and 15 <= y0 and y1 <= 42  # the box around Pakistan


def test_rings_are_counter_clockwise_and_coordinates_rounded(doc: dict[str, Any]) -> None:
    for f in doc["features"]:
        geom = f["geometry"]
        polygons = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        for rings in polygons:
            assert shapely.is_ccw(shapely.LinearRing(rings[0])), f["properties"]
            assert not any(shapely.is_ccw(shapely.LinearRing(r)) for r in rings[1:])
    text = PATH.read_text(encoding="utf-8")
    assert not re.search(r"\d\.\d{6,}", text)
    assert len(text.encode()) < 300_000


@pytest.mark.parametrize("layer", ["country", "provinces", "districts"])
def test_no_overlap_with_pakistan(layer: str) -> None:
    near = gpd.read_file(PATH).to_crs("EPSG:32642")
    pak = gpd.read_file(bundled.data_dir() / f"pakistan_{layer}.geojson").to_crs("EPSG:32642")
    overlap = shapely.union_all(near.geometry.to_numpy()).intersection(
        shapely.union_all(pak.geometry.to_numpy()))
    # Only the rounding of coordinates (about 10 m) may leave a hair along the border.
    assert overlap.area < 10e6  # m2, over thousands of kilometres of border
    assert overlap.buffer(-25).is_empty  # nothing of a neighbour 50 m deep into Pakistan


def test_bundled_boundaries_read_the_neighbours_when_asked() -> None:
    b = Boundaries.load()
    assert "neighbours" not in vars(b)  # not read until a map needs them
    near = b.neighbours
    assert near is not None and near.crs == "EPSG:4326"
    assert "Iran" in set(near["country_name"])


def _data_folder(tmp_path: Path) -> Path:
    for name in ("pakistan_districts.geojson", "pakistan_provinces.geojson"):
        shutil.copy(bundled.data_dir() / name, tmp_path / name)
    return tmp_path


def test_a_data_folder_without_the_file_has_no_neighbours(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEO_DATA_DIR", str(_data_folder(tmp_path)))
    b = Boundaries.load()
    assert len(b.districts) == 160 and b.neighbours is None


def test_user_boundaries_have_neighbours_only_when_given(tmp_path: Path) -> None:
    folder = _data_folder(tmp_path)
    assert Boundaries.load(folder / "pakistan_districts.geojson").neighbours is None
    given = Boundaries.load(folder / "pakistan_districts.geojson", neighbours=PATH)
    assert given.neighbours is not None and len(given.neighbours) > 0
    with pytest.raises(DataError, match="file not found"):
        Boundaries.load(neighbours=tmp_path / "missing.geojson")


def test_a_neighbours_file_without_country_names_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "n.geojson"
    f.write_text('{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
                 '{"name":"x"},"geometry":{"type":"Polygon","coordinates":'
                 '[[[60,30],[61,30],[61,31],[60,30]]]}}]}')
    b = Boundaries.load(neighbours=f)  # read on first use, not before
    with pytest.raises(DataError) as info:
        _ = b.neighbours
    assert {p.field for p in info.value.problems} == {"country_name"}
