"""Briefing maps show the neighbouring countries as land, distinct from the sea: colours
read from the PNG at known places, no sliver of sea along the land border, country names
clear of the map's furniture, the credit in the footer; no neighbours, no failure."""

from __future__ import annotations

import copy
import io
import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from PIL import Image

from geo import Gazetteer, bundled
from geo.analysis.filter import Filter
from geo.analysis.summary import summarise
from geo.dataset.records import Dataset, load_dataset
from geo.gazetteer.boundaries import Boundaries, utm_crs
from geo.maps.static.context import LAND, SEA, spaced_caps
from geo.maps.static.render import map_bytes, render_map

IRAN = (60.0, 27.5)
SEA_POINT = (63.5, 24.6)  # the Arabian Sea, 60 km off the Makran coast
GAP = (61.637, 25.303)  # west of Jiwani: neither in OCHA's Pakistan nor in Natural Earth's Iran


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset()


@pytest.fixture(scope="module")
def province(ds: Dataset, gaz: Gazetteer) -> tuple[Figure, np.ndarray]:
    fig = render_map(summarise(ds, gaz), gaz, ds, dpi=100)
    return fig, _png(fig)


@pytest.fixture(scope="module")
def gwadar(ds: Dataset, gaz: Gazetteer) -> tuple[Figure, np.ndarray]:
    fig = render_map(summarise(ds, gaz, Filter.from_text(district="Gwadar")), gaz, ds, dpi=100)
    return fig, _png(fig)


def _png(fig: Figure) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(map_bytes(fig, "png"))).convert("RGB"))


def _colour(fig: Figure, img: np.ndarray, gaz: Gazetteer, lon: float, lat: float) -> str:
    """The most common colour (hex) of the 7x7 pixels at *lon, lat* on the map of a
    Balochistan briefing (projected as the render does: the province's UTM zone)."""
    dist = gaz.boundaries.districts
    crs = utm_crs(dist[dist["province_name"] == "Balochistan"])
    p = gpd.GeoSeries([shapely.Point(lon, lat)], crs="EPSG:4326").to_crs(crs).iloc[0]
    ax = fig.axes[0]
    x, y = ax.transData.transform((p.x, p.y))
    box = ax.get_window_extent()
    assert box.x0 + 5 < x < box.x1 - 5 and box.y0 + 5 < y < box.y1 - 5, "out of frame"
    row, col = img.shape[0] - int(y), int(x)
    patch = img[row - 3:row + 4, col - 3:col + 4].reshape(-1, 3)
    values, counts = np.unique(patch, axis=0, return_counts=True)
    return "#{:02x}{:02x}{:02x}".format(*values[counts.argmax()])


def _close(hex_colour: str, expected: str) -> bool:
    got = np.array(to_rgb(hex_colour)) * 255
    return bool(np.abs(got - np.array(to_rgb(expected)) * 255).max() <= 3)


def test_land_and_sea_have_their_own_colours(province: tuple[Figure, np.ndarray],
                                             gaz: Gazetteer) -> None:
    fig, img = province
    assert _close(_colour(fig, img, gaz, *IRAN), LAND)
    assert _close(_colour(fig, img, gaz, *SEA_POINT), SEA)
    assert _close(_colour(fig, img, gaz, 65.8, 26.6), "#f7f4ec")  # Awaran: the districts
    assert not _close(LAND, SEA) and not _close(LAND, "#f7f4ec")


def test_no_sea_between_the_two_borders(gwadar: tuple[Figure, np.ndarray],
                                        gaz: Gazetteer) -> None:
    near = gaz.boundaries.neighbours
    assert near is not None
    gap = shapely.Point(GAP)
    # The point is in neither layer: only the filling of the gap makes it land.
    assert not near.geometry.covers(gap).any()
    assert not gaz.boundaries.provinces.geometry.covers(gap).any()
    assert not gaz.boundaries.districts.geometry.covers(gap).any()
    fig, img = gwadar
    assert _close(_colour(fig, img, gaz, *GAP), LAND)
    assert _close(_colour(fig, img, gaz, 61.4, 26.0), LAND)  # Iran
    assert _close(_colour(fig, img, gaz, 62.0, 24.9), SEA)  # off Jiwani


def _names(fig: Figure) -> dict[str, object]:
    spaced = {spaced_caps(n): n for n in ("Iran", "Afghanistan", "India", "Oman")}
    return {spaced[t.get_text()]: t for t in fig.axes[0].texts if t.get_text() in spaced}


@pytest.mark.parametrize("view", ["province", "gwadar"])
def test_countries_are_named_clear_of_everything(view: str,
                                                 request: pytest.FixtureRequest) -> None:
    fig, _img = request.getfixturevalue(view)
    names = _names(fig)
    assert "Iran" in names
    if view == "province":
        assert "Afghanistan" in names
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    ax = fig.axes[0]
    axbox = ax.get_window_extent(renderer)
    inset = next(a for a in ax.child_axes if a.get_title() == "Location in the country")
    others = [t for t in ax.texts if t not in names.values()] + [
        c for c in ax.get_children() if hasattr(c, "arrow_patch")]
    for t in names.values():
        box = t.get_window_extent(renderer)  # type: ignore[attr-defined]
        assert axbox.contains(box.x0, box.y0) and axbox.contains(box.x1, box.y1)
        assert not box.overlaps(inset.get_tightbbox(renderer))
        assert not any(box.overlaps(o.get_window_extent(renderer)) for o in others)
    assert "Neighbouring countries: Natural Earth" in " ".join(
        " ".join(t.get_text() for t in fig.texts).split())


def test_a_data_folder_without_neighbours_still_renders(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ds: Dataset, gaz: Gazetteer) -> None:
    for name in ("pakistan_districts.geojson", "pakistan_provinces.geojson"):
        shutil.copy(bundled.data_dir() / name, tmp_path / name)
    monkeypatch.setenv("GEO_DATA_DIR", str(tmp_path))
    plain = copy.copy(gaz)  # the session's gazetteer is left as it is
    plain.boundaries = Boundaries.load()
    assert plain.boundaries.neighbours is None
    fig = render_map(summarise(ds, gaz), plain, ds, dpi=100)
    img = _png(fig)
    assert _close(_colour(fig, img, gaz, *IRAN), SEA)  # no land drawn there
    assert not _names(fig)
    assert "Natural Earth" not in " ".join(t.get_text() for t in fig.texts)
