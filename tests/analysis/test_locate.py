"""Locating incidents: each says how its place was found."""

from __future__ import annotations

import pandas as pd

from geo import Gazetteer
from geo.analysis.locate import locate_incidents
from geo.gazetteer.match import located_words


def test_each_incident_says_how_it_was_located(gaz: Gazetteer) -> None:
    inc = pd.DataFrame({"incident_id": ["a", "b", "c"], "location": ["Khuzdaar", "Quetta", ""],
                        "admin1": ["", "", ""], "admin2": ["", "", ""],
                        "latitude": [float("nan"), float("nan"), 30.2],
                        "longitude": [float("nan"), float("nan"), 67.0],
                        "geo_precision": [float("nan")] * 3})
    got = locate_incidents(inc, gaz).incidents.set_index("incident_id")
    assert got.loc["a", "located_by"] == "fuzzy" and 0 < got.loc["a", "locate_score"] < 100
    assert "fuzzy match" in located_words(got.loc["a", "located_by"], got.loc["a", "locate_score"])
    assert got.loc["b", "located_by"] == "exact" and got.loc["b", "locate_score"] == 100
    assert got.loc["c", "located_by"] == "explicit" and pd.isna(got.loc["c", "locate_score"])



def test_a_match_outside_the_rows_own_province_or_district_is_not_placed(
        gaz: Gazetteer) -> None:
    """Hyderabad given in Quetta district, Swat given in Balochistan: the gazetteer's only
    places of those names are elsewhere, so the incidents are unresolved with the reason,
    never placed in Sindh or Khyber Pakhtunkhwa. Hints that agree, or that the gazetteer
    does not know, change nothing."""
    rows = [("h", "Hyderabad", "Balochistan", "Quetta"), ("s", "Swat", "Balochistan", ""),
            ("q", "Quetta", "Balochistan", "Quetta"), ("p", "Pasni", "", "Gwadar"),
            ("u", "Quetta", "Nowhereland", "")]
    inc = pd.DataFrame(rows, columns=["incident_id", "location", "admin1", "admin2"]).assign(
        latitude=float("nan"), longitude=float("nan"), geo_precision=float("nan"))
    got = locate_incidents(inc, gaz)
    placed = got.incidents.set_index("incident_id")
    assert set(placed.index) == {"q", "p", "u"}
    why = got.unresolved.set_index("incident_id")["reason"]
    assert "outside the stated district Quetta" in why["h"] and "Sindh" in why["h"]
    assert "outside the stated province Balochistan" in why["s"]
    assert "Khyber Pakhtunkhwa" in why["s"]
