"""Top districts: ranking by a measure, and the list's text (escaped)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from geo import Gazetteer
from geo.analysis.ranking import TOP, top_district_lines, top_districts
from geo.analysis.summary import Summary, summarise
from geo.dataset.records import read_dataset


@pytest.fixture(scope="module")
def summary(gaz: Gazetteer) -> Summary:
    return summarise(read_dataset(), gaz)


def test_highest_first_ties_by_name_zero_left_out(summary: Summary) -> None:
    top = top_districts(summary, "incidents", n=100)
    d = summary.districts
    assert len(top) == int((d["incidents"] > 0).sum())
    keys = list(zip(-top["incidents"], top["district"].astype(str), strict=True))
    assert keys == sorted(keys)
    civ = top_districts(summary, "killed_civilians", n=100)
    assert (civ["killed_civilians_best"] > 0).all()
    assert len(civ) == int((d["killed_civilians_best"].fillna(0) > 0).sum())
    assert len(top_districts(summary, "incidents", n=2)) == 2


def test_unknown_measure(summary: Summary) -> None:
    with pytest.raises(ValueError, match="measure must be"):
        top_districts(summary, "deaths")


def test_lines_escape_names_and_show_claim_ranges(summary: Summary) -> None:
    d = summary.districts.copy()
    d["district"] = d["district"].astype(str)
    d.loc[d.index[0], "district"] = "[x](javascript:alert(1)) *Q*"
    d.loc[d.index[0], "incidents"] = 99
    d.loc[d.index[0], ["killed_civilians_best", "killed_civilians_low",
                       "killed_civilians_high"]] = [3, 3, 8]
    hostile = dataclasses.replace(summary, districts=d)
    first = top_district_lines(hostile, "incidents", ("killed_civilians",))[0]
    assert first.startswith("1. **\\[x\\]\\(javascript")
    assert "99 incidents; civilians killed 3 (claims 3–8)" in first
    assert "*Q*" not in first


def test_no_district_with_the_measure(summary: Summary) -> None:
    d = summary.districts.copy()
    d["abducted_best"] = np.nan
    assert top_district_lines(dataclasses.replace(summary, districts=d), "abducted") == []
    assert top_districts(dataclasses.replace(summary, districts=d.iloc[:0]),
                         "incidents").empty
    top = top_districts(summary)  # by default every district with an incident, up to TOP
    assert len(top) == min(TOP, int((summary.districts["incidents"] > 0).sum())) == 9
    assert top["incidents"].is_monotonic_decreasing
    assert len(top_districts(summary, n=3)) == 3


def test_a_row_without_district(summary: Summary) -> None:
    """Incidents on no district polygon have a row with no name: listed, named so."""
    d = summary.districts.copy()
    d["district"] = d["district"].astype(object)
    d.loc[d.index[0], ["district", "province"]] = [np.nan, np.nan]
    d.loc[d.index[0], "incidents"] = 500
    lines = top_district_lines(dataclasses.replace(summary, districts=d))
    assert lines[0].startswith("1. No district (located on no polygon): 500 incidents")
    assert len(lines) == len(top_districts(summary))
