"""The fuzzy index: n-gram candidates and the one-deletion lookup agree with a full scan."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import Gazetteer
from geo.gazetteer._fuzzy import FuzzyIndex, _deletes
from geo.gazetteer.normalise import normalise, skeleton
from geo.synthetic import misspell, synthetic_places

_settings = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def synthetic_keys(gaz: Gazetteer) -> list[str]:
    table = synthetic_places(gaz.places, 6000, seed=7)
    return sorted({normalise(n) for n in table["name"]})


@pytest.fixture(scope="module")
def index(synthetic_keys: list[str]) -> FuzzyIndex:
    out = FuzzyIndex(synthetic_keys, brute_force_below=1000)
    assert out.indexed
    return out


def test_deletes() -> None:
    assert _deletes("kech") == {"kech", "ech", "kch", "keh", "kec"}
    assert _deletes("") == {""}


@pytest.mark.parametrize("accept", [None, 80.0])
def test_fuzzy_index_agrees_with_full_scan(index: FuzzyIndex, synthetic_keys: list[str],
                                           accept: float | None) -> None:
    rng = np.random.default_rng(3)
    picks = rng.choice(len(synthetic_keys), 400, replace=False)
    same = 0
    for i in picks:
        q = misspell(synthetic_keys[i], rng)
        fast = index.search(q, limit=1, accept=accept)
        full = index.search(q, limit=1, exhaustive=True)
        assert fast and full
        assert fast[0][1] <= full[0][1]  # a narrowed search can only miss, never invent
        same += fast[0][1] == full[0][1]
    assert same / len(picks) >= 0.98, f"index recall {same / len(picks):.3f}"


_EDIT = st.sampled_from(["insert", "delete", "substitute", "swap"])


@_settings
@given(data=st.data(), edit=_EDIT)
def test_one_edit_finds_the_key(index: FuzzyIndex, synthetic_keys: list[str],
                                data: st.DataObject, edit: str) -> None:
    i = data.draw(st.integers(0, len(synthetic_keys) - 1))
    key = synthetic_keys[i]
    at = data.draw(st.integers(0, len(key) - 1))
    letter = data.draw(st.sampled_from("abcdefghijklmnopqrstuvwxyz "))
    query = {
        "insert": key[:at] + letter + key[at:],
        "delete": key[:at] + key[at + 1 :],
        "substitute": key[:at] + letter + key[at + 1 :],
        "swap": key[:at] + key[at + 1 : at + 2] + key[at] + key[at + 2 :],
    }[edit]
    assert i in index._close.close(query).tolist()  # type: ignore[union-attr]


def test_close_keys_below_accept_fall_back_to_ngrams(index: FuzzyIndex,
                                                     synthetic_keys: list[str]) -> None:
    rng = np.random.default_rng(5)
    fell_back = 0
    for i in rng.choice(len(synthetic_keys), 300, replace=False):
        q = misspell(misspell(synthetic_keys[i], rng), rng)  # usually two edits
        ids = index._close.close(q)  # type: ignore[union-attr]
        close_best = index._score(q, skeleton(q), ids).max() if len(ids) else 0.0
        with_accept = index.search(q, limit=3, accept=99.9)
        if close_best < 99.9:
            fell_back += 1
            assert with_accept == index.search(q, limit=3)
    assert fell_back > 250


def test_scalar_scores_equal_cdist_scores(index: FuzzyIndex, synthetic_keys: list[str]) -> None:
    rng = np.random.default_rng(9)
    for i in rng.choice(len(synthetic_keys), 200, replace=False):
        q = misspell(synthetic_keys[i], rng)
        ids = rng.choice(len(synthetic_keys), 8, replace=False)
        few = index._score(q, skeleton(q), ids)  # scalar path (<= 8 keys)
        many = index._score(q, skeleton(q), np.concatenate([ids, ids]))[:8]  # cdist
        assert np.array_equal(few, many)


def test_close_with_repeated_strings() -> None:
    from geo.gazetteer._fuzzy import _DeleteIndex

    index = _DeleteIndex(["kech", "kalat", "kech", "turbat"])
    assert index.close("kech").tolist() == [0, 2]
    assert index.close("kch").tolist() == [0, 2]  # one deletion
    assert index.close("klat").tolist() == [1]
    assert index.close("zzzz").tolist() == []
    assert _DeleteIndex(["kech", "kalat"]).close("keech").tolist() == [0]
