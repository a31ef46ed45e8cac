"""Property tests: resolve() never crashes, and resolved points lie in their district."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import Gazetteer
from geo.gazetteer.match import METHODS
from geo.synthetic import misspell
from tests.support import examples

_settings = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

_PREFIXES = ["", "near ", "the city of ", "outskirts of ", "12 km south of ", "District "]
_SUFFIXES = ["", " city", " district", " port", " bazaar area", ", Balochistan", ", Kech",
             " (Turbat)", "!!", " town"]


def _check_invariants(gaz: Gazetteer, text: str) -> None:
    m = gaz.resolve(text)
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
@given(text=st.text(max_size=60), province=st.one_of(st.none(), st.text(max_size=12)))
def test_resolve_never_crashes_on_arbitrary_text(
    gaz: Gazetteer, text: str, province: str | None
) -> None:
    _check_invariants(gaz, text)
    m = gaz.resolve(text, province=province)
    assert m.resolved in (True, False)


@_settings
@given(data=st.data())
def test_resolved_points_lie_in_their_reported_district(
    gaz: Gazetteer, data: st.DataObject
) -> None:
    names = gaz.places["name"].tolist() + gaz.boundaries.districts["district_name"].tolist()
    name = data.draw(st.sampled_from(names))
    if data.draw(st.booleans()):
        name = misspell(name, np.random.default_rng(data.draw(st.integers(0, 10**6))))
    text = data.draw(st.sampled_from(_PREFIXES)) + name + data.draw(st.sampled_from(_SUFFIXES))
    _check_invariants(gaz, text)


@settings(max_examples=examples(150), deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("Ab9_.:- é,/\n")), max_size=70),
                min_size=1, max_size=40),
       st.sampled_from(["str", "object", "category"]))
def test_id_check_on_bytes_equals_the_pattern(values: list[str], dtype: str) -> None:
    import re

    import pandas as pd

    from geo.dataset.schema import _ID, _ids_ok

    s = pd.Series(values, dtype=dtype)
    want = [re.match(_ID, v) is not None for v in values]
    assert _ids_ok(s).tolist() == want
