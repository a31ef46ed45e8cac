"""Nothing from the data becomes live markup in the folium maps."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo import Gazetteer
from geo.analysis.filter import Filter
from geo.analysis.summary import summarise
from geo.dataset.records import load_dataset
from geo.maps.web.gazetteermap import gazetteer_map
from geo.maps.web.incidentmap import incident_map
from geo.maps.web.pointlayers import popup_table
from geo.textsafe import html_text
from tests.support.hostile import (
    MARKUP,
    PAYLOADS,
    check_document,
    check_map,
    hostile_gazetteer,
)


@pytest.mark.parametrize("policy", ["lowest", "claimant"])
def test_incident_map_has_no_live_markup(hostile: Path, gaz: Gazetteer, policy: str) -> None:
    ds = load_dataset(hostile)
    if policy == "claimant":  # the legend names the claimant
        policy = "claimant:" + str(ds.claims["claimant"].iloc[0])
    s = summarise(ds, gaz, Filter.from_text(policy=policy))
    m = incident_map(s, gaz, choropleth="killed_civilians")
    check_map(m)
    popups = " ".join(popup_table(m)["popup"])
    assert all(html_text(p) in popups for p in PAYLOADS)  # shown, as text

def test_gazetteer_map_escapes_names_and_queries(gaz: Gazetteer) -> None:
    base = gaz.resolve("Quetta")
    fields = {f: getattr(base, f) for f in base.__dataclass_fields__}
    matches = [type(base)(**{**fields, "query": p, "name": p}) for p in MARKUP]
    m = gazetteer_map(gaz, province="Balochistan", matches=matches)
    check_document(m.get_root().render())
    check_map(gazetteer_map(hostile_gazetteer(gaz), matches=matches))  # type: ignore[arg-type]

def test_incident_map_escapes_boundary_names(gaz: Gazetteer) -> None:
    s = summarise(load_dataset(), gaz)
    check_map(incident_map(s, hostile_gazetteer(gaz)))  # type: ignore[arg-type]
