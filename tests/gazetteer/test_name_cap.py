"""The cap on name length: long queries are refused before any fuzzy work, long
gazetteer and alias names are refused at load, and per-query work stays bounded."""

from __future__ import annotations

import random
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from geo import Gazetteer
from geo.errors import DataError
from geo.gazetteer import _fuzzy
from geo.gazetteer._fuzzy import FuzzyIndex, _deletes
from geo.gazetteer.normalise import MAX_NAME_CHARS, name_length_problem

_settings = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
_REASON = f"longer than {MAX_NAME_CHARS} characters: not a place name"


def test_cap_value_and_message() -> None:
    assert MAX_NAME_CHARS == 200
    assert name_length_problem("x" * MAX_NAME_CHARS) is None
    assert name_length_problem("  " + "x" * MAX_NAME_CHARS + "\n") is None  # spaces aside
    assert name_length_problem("x" * (MAX_NAME_CHARS + 1)) == _REASON


def test_long_query_is_unresolved_with_the_reason(gaz: Gazetteer) -> None:
    text = "Quetta " * 40  # 280 characters
    m = gaz.resolve(text)
    assert not m.resolved
    assert m.error == _REASON
    assert (m.method, m.suggestions, m.lat, m.precision) == ("unresolved", (), None, None)
    assert m.query == text
    assert m.to_dict() == {"query": text, "error": _REASON, "suggestions": []}


def test_names_up_to_the_cap_resolve_as_before(gaz: Gazetteer) -> None:
    assert gaz.resolve("Quetta".ljust(MAX_NAME_CHARS + 50)).name == "Quetta"
    edge = gaz.resolve("x" * MAX_NAME_CHARS)
    assert not edge.resolved and edge.error is not None
    assert edge.error.startswith("no place matches")


def test_long_query_never_reaches_the_fuzzy_index(gaz: Gazetteer,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_a: object, **_k: object) -> list[tuple[int, float]]:
        raise AssertionError("fuzzy search of an over-long name")

    monkeypatch.setattr(FuzzyIndex, "search", refuse)
    monkeypatch.setattr(_fuzzy, "_deletes", refuse)
    for text in ("panjgoor" * 30, "near " + "x" * 300, "Pasni, " + "Gwadar " * 40):
        m = gaz.resolve(text, district="Kech")
        assert (m.resolved, m.error) == (False, _REASON)
    many = gaz.resolve_many(["Quetta", "k" * 5000, "Quetta"])
    assert [m.resolved for m in many] == [True, False, True]
    assert many[1].error == _REASON


def test_long_admin_unit_is_not_found(gaz: Gazetteer) -> None:
    assert gaz.admin_unit("Balochistan " * 30) is None
    assert gaz.admin_unit("Balochistan") is not None


def test_fuzzy_index_bounds_long_keys() -> None:
    long = "ab" * 5000
    assert _deletes(long) == {long}
    assert len(_deletes("k" * MAX_NAME_CHARS + "x")) == 1
    assert len(_deletes("abcdefghij" * 20)) == MAX_NAME_CHARS + 1
    keys = [f"place {i}" for i in range(1200)]
    index = FuzzyIndex(keys)
    assert index.indexed
    assert index.search(long, accept=80.0) == []
    assert index.search("x" * (MAX_NAME_CHARS + 1), accept=80.0, exhaustive=True) == []
    assert index.search("place 17", limit=1, accept=80.0) == [(17, 100.0)]


@_settings
@given(length=st.integers(1, 4000), seed=st.integers(0, 2**32 - 1),
       alphabet=st.sampled_from(["abcdefghijklmnopqrstuvwxyz", "ab ", "quetta kalat,()",
                                 "ĀāÑñ-'’ 12"]))
def test_per_query_work_is_bounded(gaz: Gazetteer, monkeypatch: pytest.MonkeyPatch,
                                   length: int, seed: int, alphabet: str) -> None:
    rng = random.Random(seed)
    text = "".join(rng.choice(alphabet) for _ in range(length))
    gaz._fuzzy_index()  # built once, outside the measurement
    sizes: list[int] = []
    deletes = _fuzzy._deletes

    def counted(t: str) -> set[str]:
        out = deletes(t)
        sizes.append(len(out))
        return out

    monkeypatch.setattr(_fuzzy, "_deletes", counted)
    tracemalloc.start()
    try:
        m = gaz.resolve(text)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert all(n <= MAX_NAME_CHARS + 1 for n in sizes)
    assert peak < 4_000_000, peak
    if len(text.strip()) > MAX_NAME_CHARS:
        assert (m.resolved, m.error, sizes) == (False, _REASON, [])


def test_long_gazetteer_names_are_refused_at_load(tmp_path: Path) -> None:
    f = tmp_path / "long.csv"
    long = "Kili " + "z" * MAX_NAME_CHARS
    f.write_text(f"name,lat,lon,ascii_name,alt_names\nKili Ok,30.2,67.1,,\n{long},30.2,67.1,,\n"
                 f"Kili B,30.2,67.1,{long},\nKili C,30.2,67.1,,Kili C2|{long}\n",
                 encoding="utf-8")
    with pytest.raises(DataError) as info:
        Gazetteer.load(f, bundled=False)
    problems = info.value.problems
    assert [(p.row, p.field) for p in problems] == [(3, "name"), (4, "ascii_name"),
                                                    (5, "alt_names")]
    assert all(p.file == str(f) for p in problems)
    assert all(p.message == f"longer than {MAX_NAME_CHARS} characters: not a place name"
               for p in problems)
    assert all(p.value is not None and len(p.value) < 80 for p in problems)  # not echoed
    assert f"long.csv:3: name: longer than {MAX_NAME_CHARS} characters" in str(info.value)


def test_long_alias_is_refused_at_load(tmp_path: Path) -> None:
    f = tmp_path / "aliases.csv"
    f.write_text("alias,target,target_type,note\nQuettah,Quetta,place,test\n"
                 f"{'Q' * (MAX_NAME_CHARS + 1)},Quetta,place,test\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        Gazetteer.load(aliases=[f])
    assert [(p.file, p.row, p.field) for p in info.value.problems] == [(str(f), 3, "alias")]
    assert str(MAX_NAME_CHARS) in info.value.problems[0].message


def test_gazetteer_page_limits_the_text_box(run_page: Callable[..., AppTest]) -> None:
    at = run_page("ui/views/gazetteer.py")
    assert not at.exception, at.exception
    box = at.text_area(key="names")
    assert 0 < box.proto.max_chars <= 10_000
    box.input("Quetta\n" + "x" * (MAX_NAME_CHARS + 1)).run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert table["name"].tolist()[0] == "Quetta"
    assert table["error"].tolist()[1] == _REASON


def test_the_command_line_says_why_a_long_name_is_not_resolved() -> None:
    from click.testing import CliRunner

    from geo.cli.commands import main

    res = CliRunner().invoke(main, ["resolve", "q" * 5000])
    assert res.exit_code == 1
    assert "longer than 200 characters: not a place name" in res.output
    assert len(res.output) < 300  # the text is not echoed back in full


def test_a_long_name_is_never_sent_online(gaz: Gazetteer) -> None:
    from geo.gazetteer.online import resolve_online

    class Refuse:
        name = "test geocoder"

        asked: list[str] = []

        def lookup(self, name: str) -> None:
            self.asked.append(name)

    online = Refuse()
    m = resolve_online(gaz, "q" * 5000, online)  # type: ignore[arg-type]
    assert not m.resolved and m.error == "longer than 200 characters: not a place name"
    assert online.asked == []


def test_a_place_naming_several_places_is_not_placed_at_the_first(gaz: Gazetteer) -> None:
    m = gaz.resolve("Quetta and Kalat")
    assert not m.resolved
    assert m.error and m.error.startswith("names several places: Quetta (Quetta); Kalat")
    assert m.suggestions == ("Quetta", "Kalat")
    assert not gaz.resolve("Quetta & Mastung").resolved
    # One place named twice, or one name holding "and", is still that place.
    assert gaz.resolve("Quetta and Quetta").resolved
    assert gaz.resolve("Pasni, Gwadar").resolved
