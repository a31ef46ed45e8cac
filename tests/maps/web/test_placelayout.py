"""Labels and the view: what the map names, where, and when it moves."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import Point

from geo import Gazetteer
from geo.analysis.summary import Summary, summarise
from geo.dataset.records import load_dataset
from geo.maps.web.incidentmap import incident_layers, incident_map
from geo.maps.web.placelayout import PlaceLayout, district_labels, place_labels
from geo.maps.web.viewlayers import ViewFinish, walk


@pytest.fixture(scope="module")
def summary(gaz: Gazetteer) -> Summary:
    return summarise(load_dataset(), gaz)


def test_every_incident_place_is_labelled_most_incidents_first(summary: Summary) -> None:
    labels = place_labels(summary.incidents)
    names = [name for _, _, name in labels]
    assert names[0] == "Quetta"  # four incidents there
    assert {"Gwadar", "Pasni", "Kharan", "Nushki", "Tump", "Mastung"} <= set(names)
    places = summary.incidents.groupby(["lat", "lon"]).ngroups
    assert len(labels) >= places  # every point named (a name per place at a point)
    assert place_labels(summary.incidents, limit=3) == labels[:3]
    assert place_labels(summary.incidents.iloc[:0]) == []


def test_a_place_without_a_gazetteer_name_is_labelled_as_written() -> None:
    inc = pd.DataFrame({"lat": [29.0, 29.0, 28.0], "lon": [66.0, 66.0, 65.0],
                        "place": ["", "", "Kalat"], "location": ["Camp 7", "Camp 7", "Kalat"]})
    assert place_labels(inc) == [[29.0, 66.0, "Camp 7"], [28.0, 65.0, "Kalat"]]


def test_district_names_sit_inside_their_districts(gaz: Gazetteer) -> None:
    d = gaz.boundaries.districts
    labels = district_labels(d)
    assert len(labels) == len(d)
    for (lat, lon, name), geom in zip(labels, d.geometry, strict=True):
        assert geom.buffer(1e-4).contains(Point(lon, lat)), name


@given(st.text(min_size=1, max_size=40))
def test_names_reach_the_script_as_text_only(name: str) -> None:
    layout = PlaceLayout([[29.0, 66.0, name]], [])
    assert "<" not in layout.places_json
    assert json.loads(layout.places_json)[0][2] == name


def test_the_view_is_set_for_a_new_key_or_a_link_only(summary: Summary, gaz: Gazetteer) -> None:
    def finish(**kw: object) -> ViewFinish:
        group = incident_layers(summary, gaz, **kw)  # type: ignore[arg-type]
        return next(e for e in walk(group) if isinstance(e, ViewFinish))

    keep = finish(view_key="3")
    assert keep.view_key == "3" and keep.at is None
    assert finish(at=(30.0, 66.8, 9), view_key="1").at == [30.0, 66.8, 9]
    # The same key makes the same script, so a page sends nothing new for the view.
    again = finish(view_key="3")
    assert (again.at, again.view_key, again.bounds) == (keep.at, keep.view_key, keep.bounds)
    assert any(isinstance(e, PlaceLayout) for e in walk(incident_layers(summary, gaz)))


def test_the_saved_map_has_a_heading_with_dates_and_policy(summary: Summary,
                                                           gaz: Gazetteer) -> None:
    html = incident_map(summary, gaz).get_root().render()
    heading = html.split("class='geo-heading'", 1)[1].split("</div>", 1)[0]
    assert "all districts, 30 Jan 2026" in heading and "1 Feb 2026" in heading
    assert "Figures: lowest claim" in heading and "17 incidents on the map" in heading
    assert "1 not on the map" in heading
