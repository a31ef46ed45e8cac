"""A session's first view (map and headline, then the rest) and the URL's filters."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from geo import Gazetteer
from geo.analysis.analysed import Analysis
from geo.dataset.records import load_dataset
from geo.dataset.schema import CATEGORIES
from tests.support import ROOT
from ui.filters import SIZES, Filters, Options, from_url, options
from ui.first import VIEW_KEY, MapDrawnSignal


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


def _first_view(**query: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.query_params.update(query)
    return at.run()


def _map_args(at: AppTest) -> dict[str, Any]:
    (frame,) = at.get("component_instance")
    return json.loads(frame.proto.json_args)


def test_first_view_is_map_and_headline_then_the_whole_page() -> None:
    at = _first_view()
    assert not at.exception
    assert at.session_state[VIEW_KEY] == "first"
    assert [w.key for w in at.sidebar.selectbox] == []  # no filters yet
    assert len(at.sidebar.get("file_uploader")) == 1  # the upload box is there at once
    assert len(at.metric) > 0 and "incidents on the map" in at.caption[0].value
    assert not at.get("download_button") and not at.get("tab")
    first = _map_args(at)["feature_group"]
    token = at.session_state["map_drawn_token"]
    assert first.count(f'"{token}"') == 2  # the signal is in the layers' script

    at.run()  # what the map's frame asks for once it has drawn
    assert not at.exception
    assert at.session_state[VIEW_KEY] == "full"
    assert {"district", "figures", "shade", "size"} <= {w.key for w in at.sidebar.selectbox}
    assert at.get("download_button")
    # The same layers' text: the frame keeps what it drew and does not draw it again.
    assert _map_args(at)["feature_group"] == first


def test_first_view_shows_the_filters_the_link_names() -> None:
    query = {"district": "Quetta", "figures": "official", "layer": "killed_civilians"}
    at = _first_view(**query)
    head = at.caption[0].value
    assert at.session_state[VIEW_KEY] == "first"
    assert [m.label for m in at.metric] == ["Civilians killed"]
    at.run()
    assert at.caption[0].value == head  # the widgets show the view the link named
    assert at.sidebar.selectbox(key="district").value == "Quetta"
    assert at.sidebar.selectbox(key="figures").value == "official"
    assert at.sidebar.multiselect(key="layers").value == ["killed_civilians"]


def test_briefing_link_is_not_split() -> None:
    at = _first_view(view="briefing")
    assert not at.exception
    assert at.session_state[VIEW_KEY] == "full"  # straight to the static composition
    assert type(next(iter(at.main.children.values()))).__name__ == "Image"
    assert at.sidebar.selectbox(key="size").value == SIZES[0]


def test_signal_token_must_be_plain() -> None:
    with pytest.raises(ValueError, match="letters and digits"):
        MapDrawnSignal('x"; alert(1); "')


def test_from_url_defaults(opts: Options) -> None:
    f = from_url(_Query(), opts)  # type: ignore[arg-type]
    assert f == Filters(date_from=opts.first, date_to=opts.last, events=[], district="All",
                        categories=list(CATEGORIES), measure="incidents", policy="lowest",
                        sources=[], tiles=False, briefing=False, size=SIZES[0])


_TEXT = st.text(max_size=12)


# The first text drawn in a fresh environment builds Hypothesis's character tables (~1 s).
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(query=st.dictionaries(
    st.sampled_from(["from", "to", "event", "district", "layer", "shade", "figures",
                     "source", "tiles", "view", "size"]),
    st.lists(st.one_of(_TEXT, st.sampled_from(
        ["Quetta", "official", "killed_civilians", "2026-01-31", "1", "briefing",
         "a4-landscape", "9999-01-01", "Battles"])), max_size=3)))
def test_from_url_keeps_only_what_the_data_offers(opts: Options,
                                                  query: dict[str, list[str]]) -> None:
    f = from_url(_Query(query), opts)  # type: ignore[arg-type]
    assert opts.first <= f.date_from <= opts.last and opts.first <= f.date_to <= opts.last
    assert set(f.events) <= set(opts.events) and set(f.sources) <= set(opts.sources)
    assert f.district in opts.districts and f.policy in opts.policies
    assert f.categories and set(f.categories) <= set(CATEGORIES)
    assert f.measure in ("incidents", *CATEGORIES) and f.size in SIZES
    # A view's own link names it again (the briefing size only with the briefing view).
    again = from_url(_Query({k: v if isinstance(v, list) else [v] for k, v in
                             f.query(None).items()}), opts)  # type: ignore[arg-type]
    assert again == (f if f.briefing else dataclasses.replace(f, size=SIZES[0]))


@settings(deadline=None)
@given(day=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)))
def test_dates_are_clamped_to_the_data(opts: Options, day: dt.date) -> None:
    f = from_url(_Query({"from": [day.isoformat()], "to": [day.isoformat()]}), opts)  # type: ignore[arg-type]
    assert f.date_from == min(max(day, opts.first), opts.last) == f.date_to


def test_run_page_completes_the_page(run_page: Callable[..., AppTest]) -> None:
    at = run_page("dashboard.py")
    assert at.session_state[VIEW_KEY] == "full" and at.sidebar.selectbox(key="district")


def test_st_folium_is_imported_without_a_scan_of_every_module() -> None:
    # In a fresh interpreter with the server's libraries loaded, as on a first view:
    # inspect resolves one path per loaded module when it meets an unknown file.
    import subprocess
    import sys

    code = """
import os, posixpath
import folium, geopandas, pandas, streamlit
calls = []
real = posixpath.realpath
posixpath.realpath = os.path.realpath = lambda *a, **k: calls.append(a) or real(*a, **k)
import ui.folium_import, streamlit_folium
print(len(calls), streamlit_folium._component_func.name)
"""
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.split()
    assert out[1] == "streamlit_folium.st_folium"
    assert int(out[0]) <= 5, f"{out[0]} paths resolved while importing st_folium"
