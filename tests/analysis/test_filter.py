"""The Filter value object: parsed from text, equal whatever the order of its names,
keeping exactly the incidents each field asks for."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo import Gazetteer
from geo.analysis.filter import Filter
from geo.analysis.summary import summarise
from geo.dataset.policy import Policy
from geo.dataset.records import load_dataset
from geo.errors import FilterError, PolicyError
from tests.support import examples


def test_from_text_reads_what_a_command_line_gives() -> None:
    f = Filter.from_text(date_from="2026-01-31", date_to=" 2026-02-01", district=" Quetta ",
                         event_types=["Battles", "Battles"], sources=("S001",),
                         policy="claimant:militant")
    assert f == Filter(date_from=dt.date(2026, 1, 31), date_to=dt.date(2026, 2, 1),
                       district="Quetta", event_types=("Battles",), sources=("S001",),
                       policy=Policy("claimant", "militant"))
    assert Filter.from_text(district="  ") == Filter()  # blank means every district


@pytest.mark.parametrize(("kw", "field", "value"), [
    ({"date_from": "31/01/2026"}, "date_from", "31/01/2026"),
    ({"date_to": "2026-02-30"}, "date_to", "2026-02-30"),
    ({"date_from": "2026-02-02", "date_to": "2026-02-01"}, "date_to", "2026-02-01"),
])
def test_bad_dates_name_the_field_and_value(kw: dict[str, str], field: str,
                                             value: str) -> None:
    with pytest.raises(FilterError) as info:
        Filter.from_text(**kw)
    assert (info.value.field, info.value.value) == (field, value)
    assert isinstance(info.value, ValueError)


def test_an_unknown_policy_is_a_policy_error() -> None:
    with pytest.raises(PolicyError, match="unknown figure policy"):
        Filter.from_text(policy="median")


@settings(max_examples=examples(100), deadline=None)
@given(names=st.lists(st.sampled_from(["Battles", "Riots", "Protests", "S001", "S002"]),
                      max_size=6))
def test_the_same_selection_is_the_same_filter(names: list[str]) -> None:
    a = Filter(event_types=tuple(names), sources=tuple(names))
    b = Filter(event_types=tuple(reversed(names)), sources=tuple(sorted(names) * 2))
    assert a == b and hash(a) == hash(b)  # one cache entry
    assert a.event_types == tuple(sorted(set(names)))


def test_each_field_keeps_what_it_names(gaz: Gazetteer) -> None:
    ds = load_dataset()
    everything = summarise(ds, gaz).incidents
    inc = everything.assign(event_date=pd.to_datetime(everything["event_date"]))

    def kept(f: Filter) -> set[str]:
        return set(inc.loc[f.keep_located(inc, gaz), "incident_id"].astype(str))

    all_ids = set(inc["incident_id"].astype(str))
    assert kept(Filter()) == all_ids
    day = dt.date(2026, 1, 31)
    assert kept(Filter(date_from=day, date_to=day)) == set(
        inc.loc[inc["event_date"] == pd.Timestamp(day), "incident_id"].astype(str))
    assert kept(Filter(district="Quetta")) == set(
        inc.loc[inc["district"] == "Quetta", "incident_id"].astype(str))
    assert kept(Filter(district="Balochistan")) == all_ids  # a province keeps its districts
    assert kept(Filter(event_types=("Battles",))) == set(
        inc.loc[inc["event_type"] == "Battles", "incident_id"].astype(str))
    by_s003 = {i for i, s in zip(inc["incident_id"].astype(str), inc["source_ids"].astype(str),
                                 strict=True) if "S003" in s.split(";")}
    assert by_s003 and kept(Filter(sources=("S003",))) == by_s003


def test_an_unknown_district_names_itself(gaz: Gazetteer) -> None:
    with pytest.raises(FilterError) as info:
        Filter(district="Atlantis").unit(gaz)
    assert (info.value.field, info.value.value) == ("district", "Atlantis")


def test_a_summary_carries_its_filter(gaz: Gazetteer) -> None:
    f = Filter.from_text(policy="official", district="Gwadar")
    s = summarise(load_dataset(), gaz, f)
    assert s.filter is f and s.policy == Policy("official")
    assert set(s.incidents["district"].astype(str)) == {"Gwadar"}
