"""Normalisation of reporters' spellings and parsing of descriptor words."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.gazetteer.normalise import normalise, parse_query, skeleton


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("Quetta", "quetta"),
        ("  QUETTA  ", "quetta"),
        ("Khārān Kalāt", "kharan kalat"),
        ("Bāgh", "bagh"),
        ("Dera-Ghazi-Khan", "dera ghazi khan"),
        ("D. I. Khan", "di khan"),
        ("D.I.Khan", "di khan"),
        ("Qila Abdullah!", "qila abdullah"),
        ("Ko'ita", "koita"),
        ("Muzaffarābād", "muzaffarabad"),
        ("كويته", "كويته"),
        ("", ""),
        ("?!", ""),
    ],
)
def test_normalise(raw: str, key: str) -> None:
    assert normalise(raw) == key


@pytest.mark.parametrize(
    ("a", "b"),
    [("panjgoor", "panjgur"), ("mastong", "mastung"), ("kharaan", "kharan"),
     ("gvadar", "gwadar"), ("dalbandeen", "dalbandin"), ("qila", "kila")],
)
def test_skeleton_folds_transliteration_variants(a: str, b: str) -> None:
    assert skeleton(a) == skeleton(b)


def test_skeleton_keeps_different_names_apart() -> None:
    assert skeleton("kalat") != skeleton("kalam")
    assert skeleton("sindh") != skeleton("sibi")


@pytest.mark.parametrize(
    ("text", "core", "qualifier", "context"),
    [
        ("Quetta city", "quetta", "", ()),
        ("the port city of Gwadar", "gwadar", "", ()),
        ("Gwadar port", "gwadar", "part", ()),
        ("Quetta cantonment", "quetta", "part", ()),
        ("Mastung district", "mastung", "district", ()),
        ("District Kech", "kech", "district", ()),
        ("Balochistan province", "balochistan", "province", ()),
        ("Pasni, Gwadar", "pasni", "", ("gwadar",)),
        ("Pasni; Gwadar district; Balochistan", "pasni", "", ("gwadar district", "balochistan")),
        ("near Kalat", "kalat", "near", ()),
        ("on the outskirts of Quetta", "quetta", "near", ()),
        ("10 km north of Turbat", "turbat", "near", ()),
        ("about 25 kms from Panjgur", "panjgur", "near", ()),
        ("west of Noshki", "noshki", "near", ()),
        ("Tump (Kech)", "tump", "", ("kech",)),
        ("Quetta's Red Zone", "quetta red zone", "", ()),
        ("   ", "", "", ()),
    ],
)
def test_parse_query(text: str, core: str, qualifier: str, context: tuple[str, ...]) -> None:
    parsed = parse_query(text)
    assert parsed.core == core
    assert parsed.qualifier == qualifier
    assert parsed.context == context


def test_parse_query_keeps_descriptor_words_for_notes() -> None:
    assert parse_query("near the town of Kalat").descriptor == "near the town of"


@given(st.text())
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once


@given(st.text())
def test_parse_query_never_crashes_and_core_is_normalised(text: str) -> None:
    parsed = parse_query(text)
    assert normalise(parsed.core) == parsed.core
