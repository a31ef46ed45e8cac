"""The page's filters: what a link means (ui.filters), and the page a link opens."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from geo import Gazetteer
from geo.analysis.analysed import Analysis
from geo.analysis.filter import Filter
from geo.dataset.records import load_dataset
from geo.dataset.schema import CATEGORIES
from ui.filters import SIZES, Options, View, from_url, options

PAGE = "ui/views/incidents.py"


class _Query(dict[str, list[str]]):
    """The two methods of Streamlit's query parameters the filters read."""

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        values = super().get(key)
        return values[-1] if values else default

    def get_all(self, key: str) -> list[str]:
        return list(super().get(key, []))


@pytest.fixture(scope="module")
def opts(gaz: Gazetteer) -> Options:
    return options(Analysis(load_dataset(), gaz))


def test_from_url_defaults(opts: Options) -> None:
    v = from_url(_Query(), opts)  # type: ignore[arg-type]
    assert v == View(Filter(date_from=opts.first, date_to=opts.last),
                     categories=CATEGORIES, measure="incidents", tiles=False,
                     briefing=False, size="1920x1080")


def test_a_link_names_one_filter(opts: Options) -> None:
    q = _Query({"district": ["Quetta"], "figures": ["official"], "event": ["Battles"],
                "from": ["2026-01-31"], "layer": ["injured", "killed_civilians"]})
    v = from_url(q, opts)  # type: ignore[arg-type]
    assert v.filter == Filter.from_text(policy="official", district="Quetta",
                                        event_types=["Battles"], date_from="2026-01-31",
                                        date_to=opts.last)
    assert v.categories == ("killed_civilians", "injured")  # the table's order


def test_a_link_names_sources_and_a_source_policy(opts: Options) -> None:
    q = _Query({"source": ["S001", "S404"], "figures": ["source:S002"]})
    v = from_url(q, opts)  # type: ignore[arg-type]
    assert v.filter.sources == ("S001",) and str(v.filter.policy) == "source:S002"


def test_a_range_that_ends_before_it_starts_shows_the_whole_span(opts: Options) -> None:
    v = from_url(_Query({"from": ["2026-02-01"], "to": ["2026-01-30"]}), opts)  # type: ignore[arg-type]
    assert (v.filter.date_from, v.filter.date_to) == (opts.first, opts.last)


_TEXT = st.text(max_size=12)


# The first text drawn in a fresh environment builds Hypothesis's character tables (~1 s).
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(query=st.dictionaries(
    st.sampled_from(["from", "to", "event", "district", "layer", "shade", "figures",
                     "source", "tiles", "view", "size"]),
    st.lists(st.one_of(_TEXT, st.sampled_from(
        ["Quetta", "official", "killed_civilians", "2026-01-31", "1", "briefing",
         "a4-landscape", "9999-01-01", "Battles", "S001", "S003", "source:S002",
         "claimant:Baloch Liberation Army"])), max_size=3)))
def test_from_url_keeps_only_what_the_data_offers(opts: Options,
                                                  query: dict[str, list[str]]) -> None:
    v = from_url(_Query(query), opts)  # type: ignore[arg-type]
    f = v.filter
    assert f.date_from is not None and f.date_to is not None
    assert opts.first <= f.date_from <= f.date_to <= opts.last
    assert set(f.event_types) <= set(opts.events) and set(f.sources) <= set(opts.sources)
    assert (f.district or "All") in opts.districts and str(f.policy) in opts.policies
    assert v.categories and set(v.categories) <= set(CATEGORIES)
    assert v.measure in ("incidents", *CATEGORIES) and v.size in SIZES
    # A view's own link names it again (the briefing size only with the briefing view).
    again = from_url(_Query({k: v if isinstance(v, list) else [v] for k, v in
                             v.query(None).items()}), opts)  # type: ignore[arg-type]
    assert again == (v if v.briefing else View(f, v.categories, v.measure, v.tiles,
                                               v.briefing, SIZES[0]))


@settings(deadline=None)
@given(offset=st.one_of(st.integers(-5, 8), st.integers(-40_000, 40_000)))
def test_dates_are_clamped_to_the_data(opts: Options, offset: int) -> None:
    day = opts.first + dt.timedelta(days=offset)
    q = _Query({"from": [day.isoformat()], "to": [day.isoformat()]})
    f = from_url(q, opts).filter  # type: ignore[arg-type]
    assert f.date_from == min(max(day, opts.first), opts.last) == f.date_to


def test_the_widgets_show_the_view_the_link_names(run_page: Callable[..., AppTest]) -> None:
    at = run_page(PAGE, district="Quetta", figures="official", layer="killed_civilians",
                  shade="injured")
    assert not at.exception
    assert at.sidebar.selectbox(key="district").value == "Quetta"
    assert at.sidebar.selectbox(key="figures").value == "official"
    assert at.sidebar.selectbox(key="shade").value == "injured"
    assert at.sidebar.multiselect(key="layers").value == ["killed_civilians"]
    assert not at.metric  # no official claim about civilians in Quetta: said, never 0
    assert any("No figure (no claim under this policy): Civilians killed" in c.value
               .replace("\\", "") for c in at.caption)
    assert at.query_params["district"] == "Quetta"  # the URL keeps naming the view


def test_a_link_that_cannot_be_honoured_says_so(run_page: Callable[..., AppTest]) -> None:
    at = run_page(PAGE, district="Nowhere", figures="bogus", **{"from": "2027-01-01"})
    assert not at.exception
    text = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "district: 'Nowhere' is not a district with incidents here" in text
    assert "figures: 'bogus' is not a figure policy" in text
    assert "from: 2027-01-01 is outside the data" in text
    assert at.sidebar.selectbox(key="district").value == "All"  # and what is shown


def test_district_names_in_links_match_any_spelling(run_page: Callable[..., AppTest]) -> None:
    for asked in ("quetta", "QUETTA", "Noshki"):
        at = run_page(PAGE, district=asked)
        want = "Nushki" if asked == "Noshki" else "Quetta"
        assert at.sidebar.selectbox(key="district").value == want, asked
        assert not at.warning, asked


def test_policies_read_as_words(run_page: Callable[..., AppTest]) -> None:
    at = run_page(PAGE)
    box = at.sidebar.selectbox(key="figures")
    assert "Lowest claim (conservative)" in box.options
    assert "As claimed by Baloch Liberation Army" in box.options
    assert any(o.startswith("As reported by S001 (") for o in box.options)
    assert "never a militant claim" in box.help


def test_another_dataset_starts_from_its_own_extent(run_page: Callable[..., AppTest]) -> None:
    at = run_page(PAGE)
    at.sidebar.selectbox(key="district").set_value("Quetta").run()
    at.sidebar.date_input(key="dates").set_value(
        (dt.date(2026, 1, 31), dt.date(2026, 1, 31))).run()
    assert at.query_params["district"] == "Quetta"
    at.query_params["data"] = "balochistan-2026"  # the same as naming another dataset
    at.run()
    assert not at.exception
    assert at.sidebar.selectbox(key="district").value == "All"
    assert at.sidebar.date_input(key="dates").value == (dt.date(2026, 1, 30),
                                                        dt.date(2026, 2, 1))


def test_downloads_are_named_after_the_view(opts: Options) -> None:
    q = _Query({"district": ["Quetta"], "figures": ["claimant:Baloch Liberation Army"],
                "from": ["2026-01-31"]})
    view = from_url(q, opts)  # type: ignore[arg-type]
    assert view.file_stem("balochistan-2026") == (
        "balochistan-2026_quetta_2026-01-31_2026-02-01_claimant-baloch-liberation-army")
    everything = from_url(_Query({}), opts)  # type: ignore[arg-type]
    assert everything.file_stem("../my data") == (
        "my-data_all-districts_2026-01-30_2026-02-01_lowest")  # no path, no spaces
