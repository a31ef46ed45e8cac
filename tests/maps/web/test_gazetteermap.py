"""Folium maps: self-contained (no CDN asset), escaped text, attribution."""

from __future__ import annotations

import re

import folium
import folium.plugins
import pytest

from geo import Gazetteer
from geo.maps.web.gazetteermap import gazetteer_map
from geo.maps.web.offline import asset_urls, make_offline


@pytest.fixture(scope="module")
def html_and_map(gaz: Gazetteer) -> tuple[str, folium.Map]:
    m = gazetteer_map(gaz, province="Balochistan", matches=gaz.resolve_many(["Quetta", "Kech"]))
    return m.get_root().render(), m


def test_no_asset_url_is_remote(html_and_map: tuple[str, folium.Map]) -> None:
    html, m = html_and_map
    urls = asset_urls(m)
    assert urls, "the map declares its Leaflet assets"
    assert all(u.startswith("data:") for u in urls)
    srcs = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert srcs and not [s for s in srcs if s.startswith(("http", "//"))]
    assert "leaflet" in html.lower()


def test_unknown_remote_asset_is_refused() -> None:
    m = folium.Map(tiles=None)
    folium.plugins.MarkerCluster().add_to(m)  # declares CDN assets we do not ship yet
    with pytest.raises(ValueError, match="remote asset"):
        make_offline(m)


def test_class_level_assets_untouched(html_and_map: tuple[str, folium.Map]) -> None:
    assert folium.Map.default_js[0][1].startswith("https://")


def test_attribution_and_escaping(gaz: Gazetteer) -> None:
    evil = gaz.resolve("Quetta")
    evil = type(evil)(**{**{f: getattr(evil, f) for f in evil.__dataclass_fields__},
                         "query": "<script>alert(1)</script>"})
    html = gazetteer_map(gaz, matches=[evil]).get_root().render()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert "OCHA/WFP via HDX, CC BY 3.0 IGO" in html
    assert "GeoNames, CC BY 4.0" in html
