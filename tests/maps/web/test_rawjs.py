"""Raw-JSON folium layers: bounds as folium computes them, lazy features."""

from __future__ import annotations

from typing import Any

import folium
import pytest
from folium.utilities import get_bounds
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.maps.web.rawjs import RawGeoJson, geojson_bounds
from tests.support import examples

lon = st.floats(-180, 180, allow_nan=False)
lat = st.floats(-90, 90, allow_nan=False)
point = st.tuples(lon, lat).map(list)
ring = st.lists(point, min_size=3, max_size=8).map(lambda r: [*r, r[0]])
geometry = st.one_of(
    point.map(lambda c: {"type": "Point", "coordinates": c}),
    st.lists(point, min_size=1, max_size=5).map(
        lambda c: {"type": "MultiPoint", "coordinates": c}),
    st.lists(point, min_size=2, max_size=5).map(
        lambda c: {"type": "LineString", "coordinates": c}),
    st.lists(ring, min_size=1, max_size=3).map(lambda c: {"type": "Polygon", "coordinates": c}),
    st.lists(st.lists(ring, min_size=1, max_size=2), min_size=1, max_size=3).map(
        lambda c: {"type": "MultiPolygon", "coordinates": c}),
)


def _collection(geometries: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": g} for g in geometries]}


@settings(max_examples=examples(200), deadline=None)
@given(st.lists(geometry, min_size=1, max_size=6))
def test_bounds_are_folium_s(geometries: list[dict[str, Any]]) -> None:
    data = _collection(geometries)
    ours, theirs = geojson_bounds(data), get_bounds(data, lonlat=True)
    assert [v for c in ours for v in c] == pytest.approx([v for c in theirs for v in c])


def test_empty_and_null_geometries() -> None:
    assert geojson_bounds(_collection([])) == [[None, None], [None, None]]
    data = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": None},
        {"type": "Feature", "properties": {}, "geometry": {"type": "GeometryCollection",
         "geometries": [{"type": "Point", "coordinates": [66.0, 30.0]}]}}]}
    assert geojson_bounds(data) == [[30.0, 66.0], [30.0, 66.0]]
    with pytest.raises(ValueError, match="not a GeoJSON geometry type"):
        geojson_bounds(_collection([{"type": "Circle", "coordinates": [0, 0]}]))


def test_a_layer_reports_its_bounds_to_the_map() -> None:
    m = folium.Map()
    RawGeoJson(_collection([{"type": "Point", "coordinates": [61.0, 25.0]},
                            {"type": "Point", "coordinates": [70.0, 36.0]}])).add_to(m)
    assert m.get_bounds() == [[25.0, 61.0], [36.0, 70.0]]


def test_a_lazy_layer_adds_its_features_when_shown() -> None:
    m = folium.Map()
    eager = RawGeoJson(_collection([{"type": "Point", "coordinates": [61.0, 25.0]}]))
    lazy = RawGeoJson(_collection([{"type": "Point", "coordinates": [62.0, 26.0]}]),
                      lazy=True, show=False)
    eager.add_to(m)
    lazy.add_to(m)
    html = m.get_root().render()
    assert f"{eager.get_name()}_add({{" in html
    assert f"{lazy.get_name()}.once('add', f)" in html
    assert "[62.0,26.0]" in html  # the features are in the page, made when shown
    assert lazy.data["features"]  # and kept for Python code


def test_streamlit_folium_gets_the_same_script() -> None:
    """streamlit-folium renders each element's script macro, not Figure.render: the
    layer's features, laziness and layer-wide binding reach the dashboard the same way,
    and each layer is added to the map once."""
    from folium.utilities import JsCode
    from streamlit_folium import _get_map_string

    def layers() -> folium.Map:
        m = folium.Map(tiles=None)
        RawGeoJson(_collection([{"type": "Point", "coordinates": [61.0, 25.0]}]),
                   on_layer=JsCode("function (g) { g.bindTooltip('t'); }")).add_to(m)
        RawGeoJson(_collection([{"type": "Point", "coordinates": [62.0, 26.0]}]),
                   lazy=True, show=False).add_to(m)
        return m

    html = layers().get_root().render()
    m = layers()
    m.render()  # as st_folium does first
    script = _get_map_string(m)
    for text in (html, script):
        assert text.count("[61.0,25.0]") == 1 and text.count("[62.0,26.0]") == 1
        assert text.count("g.bindTooltip('t')") == 1
        assert text.count(".once('add', f)") == 1
        assert text.count(".addTo(") == 1  # the lazy layer is hidden at first


def test_features_are_encoded_once_and_follow_new_data(monkeypatch: pytest.MonkeyPatch
                                                       ) -> None:
    """Rendered, then asked for its script (as streamlit-folium does): the features are
    encoded once; data replaced afterwards are encoded anew, never served stale."""
    import geo.maps.web.rawjs

    calls: list[int] = []
    encode = geo.maps.web.rawjs.script_json
    monkeypatch.setattr(geo.maps.web.rawjs, "script_json",
                        lambda v: calls.append(1) or encode(v))  # type: ignore[func-returns-value]
    m = folium.Map()
    layer = RawGeoJson(_collection([{"type": "Point", "coordinates": [61.0, 25.0]}]))
    layer.add_to(m)
    layer.render()
    first = layer.raw_script()
    assert "[61.0,25.0]" in first and len(calls) == 1
    layer.data = _collection([{"type": "Point", "coordinates": [63.0, 27.0]}])
    again = layer.raw_script()
    assert "[63.0,27.0]" in again and "[61.0,25.0]" not in again and len(calls) == 2
