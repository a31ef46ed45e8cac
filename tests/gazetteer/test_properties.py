"""Property tests: resolve() never crashes, and resolved points lie in their district."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import Gazetteer
from geo.gazetteer.match import METHODS
from geo.synthetic import misspell

_settings = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

_PREFIXES = ["", "near ", "the city of ", "outskirts of ", "12 km south of ", "District "]
_SUFFIXES = ["", " city", " district", " port", " bazaar area", ", Balochistan", ", Kech",
             " (Turbat)", "!!", " town"]


def _check_invariants(gaz: Gazetteer, text: str, **hints: str | None) -> None:
    m = gaz.resolve(text, **hints)
    assert m.query == text
    assert m.method in METHODS
    if not m.resolved:
        assert (m.lat, m.lon, m.precision) == (None, None, None)
        assert m.error
        assert len(m.suggestions) <= 5
        return
    assert m.lat is not None and m.lon is not None
    assert math.isfinite(m.lat) and math.isfinite(m.lon)
    assert m.precision in (1, 2, 3)
    assert 0 <= m.score <= 100
    if m.district is not None and "nearest district" not in m.note:
        d = gaz.boundaries.districts
        di = int(np.flatnonzero(d["district_pcode"].to_numpy() == m.district_pcode)[0])
        assert gaz.boundaries.contains(di, m.lon, m.lat), (text, m)
    if m.kind == "province":
        assert m.district is None and m.precision == 3


@_settings
@given(text=st.one_of(st.text(max_size=60), st.sampled_from(
           ["Quetta", "Nasirabad", "Sahiwal", "Panjgoor", "Zzyzx Goth"])),
       province=st.one_of(st.none(), st.text(max_size=12),
                          st.sampled_from(["Balochistan", "Sindh", "PK2", "Punjab"])))
def test_resolve_never_crashes_on_arbitrary_text(
    gaz: Gazetteer, text: str, province: str | None
) -> None:
    _check_invariants(gaz, text)
    _check_invariants(gaz, text, province=province)


@_settings
@given(data=st.data())
def test_resolved_points_lie_in_their_reported_district(
    gaz: Gazetteer, data: st.DataObject
) -> None:
    places = gaz.places["name"].tolist() + gaz.boundaries.districts["district_name"].tolist()
    provinces = gaz.boundaries.provinces["province_name"].tolist()
    name = data.draw(st.one_of(st.sampled_from(places), st.sampled_from(provinces)))
    if data.draw(st.booleans()):
        name = misspell(name, np.random.default_rng(data.draw(st.integers(0, 10**6))))
    text = data.draw(st.sampled_from(_PREFIXES)) + name + data.draw(st.sampled_from(_SUFFIXES))
    _check_invariants(gaz, text)
