"""The incident map: offline assets, one layer per category, escaped popups."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import folium
import pytest
from click.testing import CliRunner

from geo import Gazetteer
from geo.analysis.filter import Filter
from geo.analysis.summary import Summary, summarise
from geo.bundled import dataset_dir
from geo.cli.commands import main
from geo.dataset.records import load_dataset
from geo.dataset.schema import CATEGORIES
from geo.maps.symbology import CATEGORY_LABELS, radius
from geo.maps.web.incidentmap import NO_FIGURE, base_map, incident_layers, incident_map
from geo.maps.web.offline import asset_urls
from geo.maps.web.pointlayers import popup_table
from geo.maps.web.viewlayers import walk


@pytest.fixture(scope="module")
def summary(gaz: Gazetteer) -> Summary:
    return summarise(load_dataset(), gaz)


def _layers(m: folium.Map) -> dict[str, dict]:
    out = {}
    for child in walk(m):
        if isinstance(child, folium.GeoJson) and child.layer_name:
            out[child.layer_name] = child.data
    return out


def test_symbol_area_is_proportional_to_the_count() -> None:
    r = radius([1, 4, 16], largest=16, max_radius=20)
    assert r[2] == 20 and abs(r[1] ** 2 / r[2] ** 2 - 0.25) < 1e-9  # area ~ count


def test_offline_and_layers_match_the_data(summary: Summary, gaz: Gazetteer) -> None:
    m = incident_map(summary, gaz)
    assert all(u.startswith("data:") for u in asset_urls(m))
    html = m.get_root().render()
    assert not [s for s in re.findall(r'(?:src|href)="([^"]+)"', html)
                if s.startswith(("http", "//"))]
    layers = _layers(m)
    inc = summary.incidents
    for cat in CATEGORIES:
        n = int(inc[f"{cat}_best"].fillna(0).gt(0).sum())
        if n:
            feats = layers[CATEGORY_LABELS[cat]]["features"]
            assert len(feats) == n
            for f in feats:  # lon before lat, at the incident's point
                row = inc[inc["incident_id"] == f["properties"]["incident_id"]].iloc[0]
                assert f["geometry"]["coordinates"] == pytest.approx(
                    [row["lon"], row["lat"]], abs=1e-6)  # 6 decimals: 0.1 m
        else:
            assert CATEGORY_LABELS[cat] not in layers
    none = layers[NO_FIGURE]["features"]
    with_figure = inc[[f"{c}_best" for c in CATEGORIES]].fillna(0).gt(0).any(axis=1)
    assert len(none) == int((~with_figure).sum())
    assert "OCHA" in html and "GeoNames" in html  # attribution on the map
    assert "2022" in html  # boundary vintage


@pytest.mark.parametrize(
    "policy", ["lowest", "official", "highest", "claimant:Baloch Liberation Army"])
def test_no_incident_vanishes_under_a_policy(gaz: Gazetteer, policy: str) -> None:
    # "official" accepts no media claim: those incidents still show, as neutral markers.
    s = summarise(load_dataset(), gaz, Filter.from_text(policy=policy))
    shown = {f["properties"]["incident_id"] for layer in _layers(incident_map(s, gaz)).values()
             for f in layer["features"] if "incident_id" in f["properties"]}
    assert shown == set(s.incidents["incident_id"].astype(str))


def test_popup_names_incidents_at_the_same_point(summary: Summary, gaz: Gazetteer) -> None:
    inc = summary.incidents
    same = inc.groupby(["lon", "lat"])["incident_id"].agg(lambda v: sorted(map(str, v)))
    group = next(g for g in same if len(g) > 1)  # e.g. the Quetta incidents
    m = incident_map(summary, gaz)
    popups = popup_table(m)["popup"]
    feats = [f for layer in _layers(m).values()
             for f in layer["features"] if f["properties"].get("incident_id") == group[0]]
    assert feats and all(", ".join(group[1:]) in popups[f["properties"]["row"]] for f in feats)


def test_hostile_text_is_escaped(summary: Summary, gaz: Gazetteer) -> None:
    inc = summary.incidents.copy()
    inc["description"] = inc["description"].astype(object)
    inc.loc[inc.index[0], "description"] = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    s = Summary(summary.filter, inc, summary.districts, summary.areas, summary.totals,
                summary.unresolved, summary.unknown_areas)
    html = incident_map(s, gaz).get_root().render()
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    # Escaped once by us; folium then writes the JSON with \u-escapes for < > &.
    assert "\\u0026lt;script\\u0026gt;alert(1)" in html or "&lt;script&gt;alert(1)" in html


def test_choropleth_measure_is_checked(summary: Summary, gaz: Gazetteer) -> None:
    with pytest.raises(ValueError, match="choropleth"):
        incident_map(summary, gaz, choropleth="deaths")
    m = incident_map(summary, gaz, choropleth="killed_civilians")
    assert "Districts: civilians killed" in _layers(m)


def test_cli_map_writes_one_self_contained_file(tmp_path: Path) -> None:
    out = tmp_path / "quetta.html"
    res = CliRunner().invoke(main, ["map", "--out", str(out), "--district", "Quetta",
                                    "--figures", "official", "--shade", "killed_civilians"])
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    assert not [s for s in re.findall(r'(?:src|href)="([^"]+)"', html)
                if s.startswith(("http", "//"))]
    ids = set(re.findall(r"BAL26-\d{3}", html))
    assert {"BAL26-001", "BAL26-004"} <= ids and "BAL26-005" not in ids  # Quetta only
    assert "official (government" in html and "Districts: civilians killed" in html
    assert "OCHA" in html and "GeoNames" in html


def test_cli_map_names_what_it_could_not_place(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(dataset_dir(), data)
    inc = data / "incidents.csv"
    inc.write_text(inc.read_text(encoding="utf-8").replace(
        "BAL26-015,2026-01-31,1,Kharan,", "BAL26-015,2026-01-31,1,Zzyzx Qqq,"), encoding="utf-8")
    out = tmp_path / "m.html"
    res = CliRunner().invoke(main, ["map", "--data", str(data), "--out", str(out)])
    assert res.exit_code == 1 and "BAL26-015 'Zzyzx Qqq'" in res.output
    assert "2 incidents not on the map" in out.read_text(encoding="utf-8")  # and BAL26-014


def test_the_page_sends_the_same_base_map_for_every_view(summary: Summary,
                                                          gaz: Gazetteer) -> None:
    """st_folium keys its frame on the base map's script: the same for every view (so a
    filter change keeps the frame), while the layer group carries the view."""
    from streamlit_folium import _get_feature_group_string, _get_map_string, generate_js_hash

    keys, groups = set(), []
    for district in (None, "Quetta"):
        s = summarise(load_dataset(), gaz, Filter.from_text(district=district))
        base = base_map(gaz)
        base.get_root().render()
        script = _get_map_string(base)
        assert "BAL26-" not in script  # no incident in the fixed part
        keys.add(generate_js_hash(script, "map"))
        groups.append(_get_feature_group_string(incident_layers(s, gaz), base))
    assert len(keys) == 1
    assert groups[0] != groups[1] and all("geo-legend" in g for g in groups)


def test_an_incident_coded_without_a_place_is_named_but_not_an_error(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["map", "--out", str(tmp_path / "m.html")])
    assert res.exit_code == 0, res.output  # BAL26-014: its source does not place it
    assert "not on the map: BAL26-014" in res.stderr and "place not reported" in res.stderr


def test_popups_say_how_each_place_was_located(gaz: Gazetteer) -> None:
    import pandas as pd

    from geo.analysis.locate import locate_incidents
    from geo.maps.web.pointlayers import incident_popups

    inc = pd.DataFrame({"incident_id": ["a"], "location": ["Khuzdaar"], "admin1": [""],
                        "admin2": [""], "latitude": [float("nan")],
                        "longitude": [float("nan")], "geo_precision": [float("nan")]})
    located = locate_incidents(inc, gaz).incidents
    popup = incident_popups(located)[0][0]
    assert "Located by" in popup and "fuzzy match" in popup and "similarity" in popup


def test_the_map_file_says_what_it_shows(tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    res = CliRunner().invoke(main, ["map", "--out", str(out), "--district", "Quetta",
                                    "--figures", "official"])
    assert res.exit_code == 0, res.output
    assert ("<title>Incidents and casualty claims: Quetta, 31 Jan 2026; figures: official "
            "(government, military, police; latest claim)</title>") in out.read_text("utf-8")
