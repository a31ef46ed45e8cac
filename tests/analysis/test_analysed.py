"""Derived results computed once (geo.analysis.analysed), the timeline, the page at scale."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

import geo.analysis.analysed
from geo import Gazetteer
from geo.analysis.analysed import Analysis
from geo.analysis.filter import Filter
from geo.analysis.summary import summarise
from geo.analysis.timeline import PERIODS, timeline
from geo.dataset.records import read_dataset
from geo.dataset.save import write_files
from geo.synthetic import synthetic_dataset
from tests.support import examples

N = 6000  # above the dashboard's pick-list limit and the map's individual-symbol limit


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory, gaz: Gazetteer) -> Path:
    d = tmp_path_factory.mktemp("big")
    write_files(synthetic_dataset(gaz.places, N, seed=7), d)
    return d


@pytest.fixture(scope="module")
def analysis(big: Path, gaz: Gazetteer) -> Analysis:
    return Analysis(read_dataset(big), gaz)


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))


@pytest.mark.parametrize(("policy", "filters"), [
    ("lowest", {}),
    ("official", {"date_from": "2020-01-01", "date_to": "2022-12-31"}),
    ("highest", {"district": "Quetta"}),
    ("claimant:militant", {"event_types": ["Battles"]}),
])
def test_cached_summary_equals_a_fresh_one(analysis: Analysis, gaz: Gazetteer, policy: str,
                                           filters: dict) -> None:
    view = Filter.from_text(policy=policy, **filters)
    fresh = summarise(analysis.dataset, gaz, view)
    got = analysis.summary(view)
    _same(pd.DataFrame(got.incidents), pd.DataFrame(fresh.incidents))
    _same(got.districts, fresh.districts)
    _same(got.totals, fresh.totals)
    _same(got.areas, fresh.areas)
    _same(got.unresolved, fresh.unresolved)


def test_filter_changes_neither_relocate_nor_refigure(analysis: Analysis,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    analysis.summary(Filter.from_text(policy="official"))  # warm
    calls: list[str] = []
    real = geo.analysis.analysed.scope_figures
    monkeypatch.setattr(geo.analysis.analysed, "scope_figures",
                        lambda *a, **k: calls.append("figures") or real(*a, **k))
    monkeypatch.setattr(geo.analysis.analysed, "locate_incidents",
                        lambda *a, **k: calls.append("locate"))
    for district in ("Quetta", "Gwadar", None):
        analysis.summary(Filter.from_text(policy="official", date_from="2019-01-01",
                                          district=district))
    assert calls == []
    # a new policy is computed once, then reused
    analysis.summary(Filter.from_text(policy="source:SRC001"))
    analysis.summary(Filter.from_text(policy="source:SRC001", district="Kech"))
    assert calls == ["figures"]


def test_recent_summaries_are_kept_and_shared_read_only(big: Path, gaz: Gazetteer,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import copy
    import threading
    import time

    from geo.analysis.clusters import cluster_incidents
    from geo.export.tables import district_frame, incident_frame
    from geo.maps.web.incidentmap import incident_map

    a = Analysis(read_dataset(big), gaz)
    first, last = (d.date().isoformat() for d in a.span)
    s = a.summary()
    whole = Filter.from_text(date_from=first, date_to=last)  # the whole span: summed once
    assert a.summary(whole).incidents is s.incidents and a.summary(whole).filter == whole
    wider = a.summary(Filter.from_text(date_from="1900-01-01", date_to="2999-12-31"))
    assert wider.incidents is s.incidents
    narrower = a.summary(Filter.from_text(date_from=first, date_to="2021-06-30"))
    assert narrower is not s and len(narrower.incidents) < len(s.incidents)
    before = copy.deepcopy(s)
    incident_map(s, gaz, clusters=cluster_incidents(s.incidents))
    incident_frame(s, a.dataset)
    district_frame(s, gaz.boundaries.districts)
    timeline(s.incidents, ["killed_civilians"])
    for name in ("incidents", "districts", "areas", "totals", "unresolved"):
        _same(getattr(s, name), getattr(before, name))  # consumers left it as it was
    for d in ("Quetta", "Gwadar", "Kech", "Kharan"):  # evicts the oldest
        a.summary(Filter.from_text(district=d))
    assert a.summary() is not s
    # The same view asked by two sessions at once is summed once.
    calls: list[int] = []
    real = geo.analysis.analysed.summarise

    def slow(*args: object, **kw: object) -> object:
        calls.append(1)
        time.sleep(0.2)
        return real(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(geo.analysis.analysed, "summarise", slow)
    got: list[object] = []
    official = Filter.from_text(policy="official")
    threads = [threading.Thread(target=lambda: got.append(a.summary(official)))
               for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and got[0] is got[1] is got[2]


def test_analysis_span_covers_incidents_and_area_periods(analysis: Analysis) -> None:
    ds = analysis.dataset
    first, last = analysis.span
    assert first == min(ds.incidents["event_date"].min(), ds.claims["period_start"].min())
    assert last == max(ds.incidents["event_date"].max(), ds.claims["period_end"].max())


def test_fingerprint_follows_content_not_path(big: Path, tmp_path: Path) -> None:
    a = read_dataset(big)
    for f in big.iterdir():
        (tmp_path / f.name).write_bytes(f.read_bytes())
    assert read_dataset(tmp_path).fingerprint == a.fingerprint
    claims = tmp_path / "claims.csv"
    claims.write_bytes(claims.read_bytes().replace(b"\n", b"\r\n", 1))
    assert read_dataset(tmp_path).fingerprint != a.fingerprint


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(days=st.lists(st.integers(0, 4000), min_size=1, max_size=200),
       values=st.lists(st.one_of(st.none(), st.integers(0, 500)), min_size=200, max_size=200),
       max_periods=st.integers(1, 500))
def test_timeline_conserves_each_category(days: list[int], values: list[int | None],
                                          max_periods: int) -> None:
    n = len(days)
    v = np.array([np.nan if x is None else x for x in values[:n]], dtype=float)
    df = pd.DataFrame({"event_date": pd.Timestamp("2015-01-01") + pd.to_timedelta(days, "D"),
                       "civilians_best": v, "injured_best": v[::-1]})
    long, unit = timeline(df, ["civilians", "injured"], max_periods=max_periods)
    assert long["period"].nunique() <= max(max_periods, 11)  # years are never split
    for cat in ("civilians", "injured"):
        want = df[f"{cat}_best"]
        got = long.loc[long["category"] == cat, "count"]
        assert got.sum() == pytest.approx(want.sum())
        assert len(got) == 0 if want.isna().all() else len(got) >= 1
    # the finest unit that gives at most max_periods bars over the span (years always)
    span = max(days) - min(days) + 1
    sizes = {"day": 1, "week": 7, "month": 30.44, "year": 365.25}
    order = list(sizes)
    finer = order[order.index(unit) - 1] if unit != "day" else None
    assert unit == "year" or span / sizes[unit] <= max_periods
    assert finer is None or span / sizes[finer] > max_periods
    starts = long["period"]
    assert (starts == starts.dt.to_period(PERIODS[unit]).dt.start_time).all()


def test_timeline_unit_follows_the_span() -> None:
    def unit(days: int) -> str:
        start = pd.Timestamp("2020-01-01")
        df = pd.DataFrame({"event_date": [start, start + pd.Timedelta(days=days)],
                           "civilians_best": [1, 2]})
        return timeline(df, ["civilians"], max_periods=100)[1]
    assert [unit(d) for d in (3, 400, 2000, 20000)] == ["day", "week", "month", "year"]


def test_page_on_many_incidents(run_page: Callable[..., AppTest], big: Path,
                                analysis: Analysis) -> None:
    at = run_page("ui/views/incidents.py", data=str(big))
    assert not at.exception and not at.error
    # No list of thousands of ids: the claims panel takes a typed id instead.
    assert not [s for s in at.selectbox if s.key == "incident"]
    assert at.text_input(key="incident_typed").max_chars == 200  # as any name: bounded
    some = str(analysis.located.incidents["incident_id"].iloc[5])
    at.text_input(key="incident_typed").set_value(some).run()
    assert not at.exception
    assert any(some in m.value for m in at.markdown)
    # Its claims, in full (or the page says it has none).
    assert (any("claim C" in m.value for m in at.markdown)
            or any("No casualty claims" in c.value for c in at.caption))
    at.text_input(key="incident_typed").set_value("NOPE-1").run()
    assert any("No incident NOPE-1" in c.value.replace("\\", "") for c in at.caption)
    # A filter change reruns on the cached analysis and keeps the page whole.
    captions = " ".join(c.value for c in at.caption).replace("\\", "")
    assert "clusters (H3 hexagons of about" in captions  # says how the map is drawn
    at.sidebar.selectbox(key="district").set_value("Quetta").run()
    assert not at.exception
    s = analysis.summary(Filter.from_text(district="Quetta"))
    assert f"{len(s.incidents):,} incidents, each drawn at its place" in " ".join(
        c.value for c in at.caption).replace("\\", "")


def test_lower_tabs_run_only_when_open(run_page: Callable[..., AppTest], big: Path,
                                       analysis: Analysis) -> None:
    def charts(at: AppTest) -> int:
        return sum(1 for e in at.get("arrow_vega_lite_chart")) + sum(
            1 for e in at.get("vega_lite_chart"))

    at = run_page("ui/views/incidents.py", data=str(big))
    s = analysis.summary()
    head = at.caption[0].value.replace("\\", "")
    assert f"{len(s.unresolved):,} not on the map (place not reported or not resolved" in head
    assert not any("district" in d.value.columns for d in at.dataframe)  # top districts
    assert charts(at) == 0  # the timeline has not run
    at.session_state["section"] = "District table"
    at.run()
    tables = [d.value for d in at.dataframe]
    assert any("district" in t.columns and "incidents" in t.columns for t in tables)
    assert any(b.key == "dl_unresolved" for b in at.get("download_button"))
    at.session_state["section"] = "Timeline"
    at.run()
    assert not at.exception and charts(at) == 7  # a chart per category with a figure
    assert not any("incidents" in d.value.columns for d in at.dataframe)
    at.session_state["section"] = "Unresolved places"
    at.run()
    assert not at.exception and charts(at) == 0
    listed = next(d.value for d in at.dataframe if "reason" in d.value.columns
                  or "incidents" in d.value.columns)
    if len(s.unresolved) <= 500:  # every incident listed
        assert len(listed) == len(s.unresolved)
    else:  # grouped by place as written
        assert listed["incidents"].sum() == len(s.unresolved)
