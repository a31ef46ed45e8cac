"""Clusters: H3 cells conserve every incident and figure; the map above max_points
draws them (no per-incident feature), says so, stays offline, small and escaped."""

from __future__ import annotations

import json
import re
from pathlib import Path

import folium
import geopandas as gpd
import h3
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import Gazetteer
from geo.analysis.clusters import RESOLUTIONS, cluster_incidents, readable_resolution
from geo.analysis.summary import Summary, summarise
from geo.dataset.records import load_dataset, read_dataset
from geo.dataset.save import write_files
from geo.dataset.schema import CATEGORIES
from geo.maps.symbology import CATEGORY_LABELS, NO_FIGURE
from geo.maps.web.clusterlayers import CellTable, cell_popups
from geo.maps.web.incidentmap import describe_map, incident_map, map_representation
from geo.maps.web.offline import asset_urls
from geo.maps.web.viewlayers import legend_html, walk
from geo.synthetic import synthetic_dataset
from tests.support import examples
from tests.support.hostile import build_hostile, check_document, check_fragment, check_map

STATS = ("best", "low", "high")


@pytest.fixture(scope="module")
def bundled(gaz: Gazetteer) -> Summary:
    return summarise(load_dataset(), gaz)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory, gaz: Gazetteer) -> Summary:
    d = tmp_path_factory.mktemp("synthetic")
    write_files(synthetic_dataset(gaz.places, 2500, seed=4), d)
    return summarise(read_dataset(d), gaz)


def _frame(points: list[tuple[float, float]], figures: list[list[float | None]],
           ) -> pd.DataFrame:
    n = len(figures)
    cols: dict[str, object] = {
        "lon": [points[i % len(points)][0] for i in range(n)],
        "lat": [points[i % len(points)][1] for i in range(n)],
        "event_date": pd.date_range("2024-01-01", periods=n, freq="D"),
        "place": [f"Town {i % 5}" if i % 7 else None for i in range(n)],
        "location": [f"Village {i % 3}" for i in range(n)],
        "district": [f"District {i % 4}" for i in range(n)],
    }
    for j, cat in enumerate(CATEGORIES):
        best = np.array([np.nan if f[j % len(f)] is None else f[j % len(f)] for f in figures],
                        dtype=float)
        cols |= {f"{cat}_best": best, f"{cat}_low": best * 0.5, f"{cat}_high": best * 2}
    return pd.DataFrame(cols)


coord = st.tuples(st.floats(61, 77, allow_nan=False), st.floats(24, 37, allow_nan=False))
figure = st.one_of(st.none(), st.floats(0, 10_000, allow_nan=False).map(round))


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(points=st.lists(coord, min_size=1, max_size=40),
       figures=st.lists(st.lists(figure, min_size=1, max_size=7), min_size=1, max_size=120),
       max_cells=st.integers(1, 60))
def test_clustering_conserves_incidents_and_figures(points: list[tuple[float, float]],
                                                    figures: list[list[float | None]],
                                                    max_cells: int) -> None:
    inc = _frame(points, figures)
    c = cluster_incidents(inc, max_cells=max_cells)
    cells = c.cells
    assert cells["incidents"].sum() == len(inc) == c.incidents
    assert (cells["incidents"].to_numpy() > 0).all()
    assert (np.bincount(c.incident_cell, minlength=len(cells)) == cells["incidents"]).all()
    for cat in CATEGORIES:
        for stat in STATS:
            want = inc[f"{cat}_{stat}"].sum()  # NaN skipped
            assert np.nansum(cells[f"{cat}_{stat}"]) == pytest.approx(want)
        assert cells[f"{cat}_n"].sum() == inc[f"{cat}_best"].notna().sum()
        assert (cells[f"{cat}_best"].isna() == (cells[f"{cat}_n"] == 0)).all()
    # Each incident is in its cell, and the cells are the finest readable ones that fit
    # under the cap.
    res = c.resolution
    mine = [h3.latlng_to_cell(a, o, res) for o, a in zip(inc["lon"], inc["lat"], strict=True)]
    assert mine == cells["cell"].to_numpy()[c.incident_cell].tolist()
    assert len(cells) <= max_cells or res == RESOLUTIONS[0]
    readable = readable_resolution(inc["lat"].to_numpy(), inc["lon"].to_numpy())
    assert res <= readable
    if res < readable:
        finer = {h3.latlng_to_cell(a, o, res + 1) for o, a in set(points)}
        assert len(finer) > max_cells
    # Date span and top places per cell, from the incidents themselves.
    for i, grp in inc.groupby(c.incident_cell):
        row = cells.iloc[i]
        assert (row["date_from"], row["date_to"]) == (grp["event_date"].min(),
                                                      grp["event_date"].max())
        names = grp["place"].fillna(grp["location"]).value_counts()
        assert [k for _, k in row["places"]] == names.iloc[:3].tolist()
        assert set(row["districts"]) == set(grp["district"])
        assert row["lon"] == pytest.approx(grp["lon"].mean())
    # Names as categoricals (as located incidents have them) give the same cells.
    coded = inc.astype({"place": "category", "location": "category", "district": "category"})
    pd.testing.assert_frame_equal(cluster_incidents(coded, max_cells=max_cells).cells, cells)


def test_no_incident_gives_no_cell() -> None:
    c = cluster_incidents(_frame([(67.0, 30.0)], [[1.0]]).iloc[:0])
    assert len(c.cells) == 0 and c.incidents == 0 and c.cell_area_km2 == 0.0
    with pytest.raises(ValueError, match="max_cells"):
        cluster_incidents(_frame([(67.0, 30.0)], [[1.0]]), max_cells=0)
    with pytest.raises(ValueError, match="cells_across"):
        cluster_incidents(_frame([(67.0, 30.0)], [[1.0]]), cells_across=0.5)
    with pytest.raises(ValueError, match="finite"):
        cluster_incidents(_frame([(np.nan, 30.0)], [[1.0]]))


@settings(max_examples=examples(60), deadline=None)
@given(points=st.lists(coord, min_size=1, max_size=30),
       across=st.floats(1, 200, allow_nan=False))
def test_cells_are_readable_on_a_map_of_all_the_incidents(
        points: list[tuple[float, float]], across: float) -> None:
    # The chosen level's cells are at least 1/across of the extent; one level finer is
    # not (unless the finest level already is).
    lon, lat = (np.array(v, dtype=float) for v in zip(*points, strict=True))
    res = readable_resolution(lat, lon, across)
    mid = np.radians((lat.min() + lat.max()) / 2)
    span = 111.32 * max(np.ptp(lat), np.ptp(lon) * np.cos(mid))

    def width(r: int) -> float:
        return float(np.sqrt(3) * h3.average_hexagon_edge_length(r, unit="km"))

    assert width(res) * across >= span or res == RESOLUTIONS[0]
    if res < RESOLUTIONS[-1]:
        assert width(res + 1) * across < span


def test_a_country_of_incidents_is_not_drawn_as_specks() -> None:
    # Incidents all over Pakistan (1,400 km across): level 4 (45 km a cell), not the
    # 17 km cells of level 5 that the cap alone would allow (3-4 px at the zoom that
    # shows the country); a district's worth keeps fine cells.
    rng = np.random.default_rng(1)
    country = [(float(o), float(a)) for o, a in zip(rng.uniform(61.5, 76.4, 3000),
                                                    rng.uniform(24.1, 36.4, 3000),
                                                    strict=True)]
    c = cluster_incidents(_frame(country, [[1.0]] * len(country)))
    assert c.resolution == 4 and len(c.cells) <= 1500
    district = [(67.0 + o / 10, 30.0 + a / 10) for o, a in zip(range(10), range(10),
                                                              strict=True)]
    assert cluster_incidents(_frame(district, [[1.0]] * 10)).resolution >= 6


def _layers(m: folium.Map) -> dict[str, folium.GeoJson]:
    return {c.layer_name: c for c in walk(m)
            if isinstance(c, folium.GeoJson) and c.layer_name}


def _table(m: folium.Map) -> dict:
    table = next(c for c in walk(m) if isinstance(c, CellTable))
    return json.loads(table.payload)


def test_map_above_max_points_draws_clusters(synthetic: Summary, gaz: Gazetteer) -> None:
    inc = synthetic.incidents
    assert map_representation(len(inc), 100) == "clusters"
    c = cluster_incidents(inc, max_cells=300)
    m = incident_map(synthetic, gaz, max_points=100, max_cells=300, clusters=c)
    layers = _layers(m)
    feats = {name: layer.data["features"] for name, layer in layers.items()}
    cells = c.cells
    shown = np.zeros(len(cells), dtype=bool)
    for cat in CATEGORIES:
        positive = cells[f"{cat}_best"].fillna(0).gt(0)
        name = f"{CATEGORY_LABELS[cat]} (clusters)"
        if positive.any():
            assert sorted(f["properties"]["cell"] for f in feats[name]) == list(
                np.flatnonzero(positive))
            assert all(f["properties"]["category"] == cat for f in feats[name])
        else:
            assert name not in feats
        shown |= positive.to_numpy()
    neutral = [f["properties"]["cell"] for f in feats.get(f"{NO_FIGURE} (clusters)", [])]
    assert sorted(neutral) == list(np.flatnonzero(~shown))  # no cell vanishes
    hexes = layers[f"Hexagons: incidents (H3 level {c.resolution})"]
    assert hexes.show is False and len(hexes.data["features"]) == len(cells)
    assert any(n.startswith("Districts") for n in layers)
    # No feature per incident: no incident id anywhere in the map.
    assert not any("incident_id" in f["properties"] for fs in feats.values() for f in fs)
    html = m.get_root().render()
    assert not re.search(r"BAL26-|SYN-?\d", html)
    assert all(u.startswith("data:") for u in asset_urls(m))
    assert not [s for s in re.findall(r'(?:src|href)="([^"]+)"', html)
                if s.startswith(("http", "//"))]
    sentence = describe_map(synthetic, 100, 300, clusters=c)
    assert f"shown as {len(cells):,} clusters" in sentence and "filter by district" in sentence
    assert sentence in legend_html(m)  # the legend says so
    popups = _table(m)["popup"]
    assert len(popups) == len(cells) and "to 100 incidents or fewer" in popups[0]


def test_describe_map_for_each_representation(bundled: Summary, gaz: Gazetteer) -> None:
    n = len(bundled.incidents)
    assert map_representation(n) == "points"
    assert describe_map(bundled) == f"{n} incidents, each drawn at its place."
    one = Summary(bundled.filter, bundled.incidents.iloc[:1], bundled.districts, bundled.areas,
                  bundled.totals, bundled.unresolved, bundled.unknown_areas)
    assert describe_map(one) == "1 incident, drawn at its place."
    none = Summary(bundled.filter, bundled.incidents.iloc[:0], bundled.districts,
                   bundled.areas, bundled.totals, bundled.unresolved, bundled.unknown_areas)
    assert describe_map(none) == "No incident located under these filters."
    text = describe_map(bundled, max_points=5)
    assert re.fullmatch(rf"{n} incidents: too many to draw one by one, shown as \d+ clusters? "
                        r"\(H3 hexagons of about [\d.,]+ km²\) over district totals; filter by "
                        r"district or dates to 5 or fewer to see each incident\.", text), text
    assert "each drawn at its place" in incident_map(bundled, gaz).get_root().render()
    with pytest.raises(ValueError, match="clusters of"):
        describe_map(bundled, max_points=5, clusters=cluster_incidents(bundled.incidents[:3]))


def test_hostile_names_are_escaped_in_clusters(bundled: Summary, gaz: Gazetteer) -> None:
    evil = "<img src=x onerror=alert(1)>"
    inc = bundled.incidents.astype({"place": object, "district": object})
    inc["place"] = evil
    inc["district"] = "</script><script>alert(2)</script>"
    s = Summary(bundled.filter, inc, bundled.districts, bundled.areas, bundled.totals,
                bundled.unresolved, bundled.unknown_areas)
    m = incident_map(s, gaz, max_points=1)
    check_map(m)
    html = m.get_root().render()
    assert "<img src=x" not in html and "<script>alert(2)" not in html
    table = _table(m)
    assert all(check_fragment(p, "cluster popup") is None for p in table["popup"])
    assert all(check_fragment(p, "cluster tooltip") is None for p in table["tooltip"])
    assert "&lt;img src=x onerror=alert(1)&gt;" in table["popup"][0]
    assert "&lt;img src=x" in table["tooltip"][0]


def test_hostile_dataset_clustered(tmp_path: Path, gaz: Gazetteer) -> None:
    s = summarise(load_dataset(build_hostile(tmp_path, gaz, copies=3, locate_all=True)), gaz)
    m = incident_map(s, gaz, max_points=5)
    check_map(m)
    table = _table(m)
    for text in table["popup"] + table["tooltip"]:
        check_fragment(text, "cluster text")
    check_document(m.get_root().render())
    popups, _ = cell_popups(cluster_incidents(s.incidents).cells, 5)
    assert any("&lt;" in p for p in popups)  # hostile place names, shown as text


def _big_summary(bundled: Summary, n: int, seed: int = 0) -> Summary:
    """*n* incidents copied from the bundled ones, at 4,000 points scattered around
    theirs (like towns, so many incidents share a point)."""
    rng = np.random.default_rng(seed)
    src = bundled.incidents
    rows = rng.integers(0, len(src), n)
    inc = src.iloc[rows].reset_index(drop=True)
    pool = rng.integers(0, len(src), 4000)
    lon = src["lon"].to_numpy()[pool] + rng.normal(0, 0.6, 4000)
    lat = src["lat"].to_numpy()[pool] + rng.normal(0, 0.6, 4000)
    at = rng.integers(0, 4000, n)
    inc["lon"], inc["lat"] = lon[at].round(5), lat[at].round(5)
    inc["incident_id"] = [f"X{i}" for i in range(n)]
    inc = gpd.GeoDataFrame(inc, geometry=gpd.points_from_xy(inc["lon"], inc["lat"]),
                           crs=src.crs)
    return Summary(bundled.filter, inc, bundled.districts, bundled.areas, bundled.totals,
                   bundled.unresolved, bundled.unknown_areas)


def test_100k_incidents_make_a_small_map(bundled: Summary, gaz: Gazetteer) -> None:
    s = _big_summary(bundled, 100_000)
    c = cluster_incidents(s.incidents)
    assert c.cells["incidents"].sum() == 100_000 and len(c.cells) <= 1500
    html = incident_map(s, gaz, clusters=c).get_root().render()
    assert len(html.encode("utf-8")) < 5_000_000
    assert "100,000 incidents: too many to draw one by one" in html
    assert not re.search(r'"X\d+"', html)  # no incident id: no per-incident feature


def test_militant_only_figures_are_counted_not_summed() -> None:
    import numpy as np
    import pandas as pd

    from geo.analysis.clusters import cluster_incidents
    from geo.dataset.policy import CLASSES
    from geo.dataset.schema import CATEGORIES

    n = 3
    inc = pd.DataFrame({"lon": [66.99] * n, "lat": [30.18] * n,
                        "event_date": pd.to_datetime(["2026-01-31"] * n),
                        "place": ["Quetta"] * n, "location": ["Quetta"] * n,
                        "district": ["Quetta"] * n})
    for c in CATEGORIES:
        for stat in ("best", "low", "high"):
            inc[f"{c}_{stat}"] = np.nan
        inc[f"{c}_class"] = pd.Categorical([None] * n, categories=list(CLASSES))
    inc["killed_security_forces_best"] = inc["killed_security_forces_low"] = \
        inc["killed_security_forces_high"] = [2.0, 84.0, np.nan]
    inc["killed_security_forces_class"] = pd.Categorical(["other", "militant", None],
                                                         categories=list(CLASSES))
    cells = cluster_incidents(inc).cells
    assert cells["killed_security_forces_best"].tolist() == [2.0]  # not 86
    assert cells["militant_only"].tolist() == [1]
