"""The gazetteer: exact, alias, normalised, fuzzy, admin-unit and unresolved names."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from geo import DataError, Gazetteer, UnknownPlaceError
from geo.bundled import aliases_path, gazetteer_path
from geo.gazetteer.normalise import normalise

# Every town the seed articles name, with the district it lies in (OCHA 2022 layer).
SEED_TOWNS = {
    "Quetta": "Quetta",
    "Gwadar": "Gwadar",
    "Noshki": "Nushki",
    "Pasni": "Gwadar",
    "Kharan": "Kharan",
    "Mastung": "Mastung",
    "Kalat": "Kalat",
    "Tump": "Kech",
    "Dalbandin": "Chagai",
    "Panjgur": "Panjgur",
    "Khuzdar": "Khuzdar",
    "Turbat": "Kech",
}


@pytest.mark.parametrize(("town", "district"), sorted(SEED_TOWNS.items()))
def test_seed_towns_resolve_to_their_district(gaz: Gazetteer, town: str, district: str) -> None:
    m = gaz.resolve(town)
    assert m.resolved
    assert m.kind == "place"
    assert m.precision == 1
    assert m.district == district
    assert m.province == "Balochistan"
    assert gaz.boundaries.contains(
        gaz.boundaries.districts.index[gaz.boundaries.districts["district_name"] == district][0],
        m.lon, m.lat,
    ) or "nearest" in m.note


def test_districts_come_from_point_in_polygon_not_a_column(gaz: Gazetteer) -> None:
    # The staged file carries a district_pip column computed independently; ours must agree.
    staged = pd.read_csv(gazetteer_path(), dtype=str, keep_default_na=False)
    assert "district_name" not in staged.columns
    ours = gaz.places["district_name"].tolist()
    assert ours == staged["district_pip"].tolist()
    # 'Goth Shams Pir' lies 440 m offshore and is snapped to the nearest district.
    offshore = gaz.places[gaz.places["how"] == "nearest"]
    assert offshore["name"].tolist() == ["Goth Shams Pir"]
    assert 0.2 < offshore["distance_km"].iloc[0] < 1.0


@pytest.mark.parametrize(
    ("query", "name", "method"),
    [
        ("Quetta", "Quetta", "exact"),
        ("Shalkot", "Quetta", "exact"),  # a GeoNames alternate name
        ("Noshki", "Nushki", "alias"),
        ("Gawadar", "Gwadar", "alias"),
        ("noshki", "Nushki", "alias"),
        ("QUETTA", "Quetta", "normalised"),
        ("Khārān", "Kharan", "normalised"),
        ("Quetta city", "Quetta", "normalised"),
        ("D.I. Khan", "Dera Ismail Khan", "alias"),
    ],
)
def test_methods(gaz: Gazetteer, query: str, name: str, method: str) -> None:
    m = gaz.resolve(query)
    assert (m.name, m.method, m.precision, m.score) == (name, method, 1, 100.0)


def test_alias_note_explains_why(gaz: Gazetteer) -> None:
    assert "Nushki" in gaz.resolve("Noshki").note


@pytest.mark.parametrize(
    ("query", "name", "precision"),
    [
        ("Gwadar port", "Gwadar", 2),
        ("near Kalat", "Kalat", 2),
        ("outskirts of Quetta", "Quetta", 2),
        ("15 km east of Turbat", "Turbat", 2),
        ("Mastung Central Jail", "Mastung", 2),
        ("Pasni, Gwadar", "Pasni", 1),
        ("near Model Town", "Model Town", 2),  # "town" is part of the name here
        ("Model Town", "Model Town", 1),
        ("near Malir Cantonment", "Malir Cantonment", 2),
    ],
)
def test_descriptors_set_precision(gaz: Gazetteer, query: str, name: str, precision: int) -> None:
    m = gaz.resolve(query)
    assert (m.name, m.kind, m.precision) == (name, "place", precision)
    if precision == 2:
        assert m.note  # says why it is not the town itself


@pytest.mark.parametrize(
    ("query", "district"),
    [("Kech", "Kech"), ("Chagai", "Chagai"), ("Mastung district", "Mastung"),
     ("Turbat district", "Kech"), ("Surab district", "Shaheed Sikandarabad"),
     ("Hub district", "Lasbela"), ("Distt. Awaran", "Awaran")],
)
def test_district_names_resolve_to_the_district(gaz: Gazetteer, query: str, district: str) -> None:
    m = gaz.resolve(query)
    assert (m.kind, m.district, m.precision, m.method) == ("district", district, 3, "district-name")
    assert m.coded_at in ("district-centroid", "district-interior-point")
    assert "centroid" in m.note or "interior" in m.note
    di = int(gaz.boundaries.districts.index[
        gaz.boundaries.districts["district_name"] == district][0])
    assert gaz.boundaries.contains(di, m.lon, m.lat)


def test_province_name(gaz: Gazetteer) -> None:
    m = gaz.resolve("Baluchistan")
    assert (m.kind, m.province, m.precision, m.district) == ("province", "Balochistan", 3, None)


@pytest.mark.parametrize(
    ("query", "name"),
    [("Panjgoor", "Panjgur"), ("Khuzdaar", "Khuzdar"), ("Dalbandeen", "Dalbandin"),
     ("Mastong", "Mastung"), ("Kharaan", "Kharan"), ("Quettta", "Quetta")],
)
def test_fuzzy_catches_misspellings(gaz: Gazetteer, query: str, name: str) -> None:
    m = gaz.resolve(query)
    assert (m.name, m.method) == (name, "fuzzy")
    assert gaz.fuzzy_threshold <= m.score < 100


def test_unresolved_has_suggestions_and_no_coordinates(gaz: Gazetteer) -> None:
    m = gaz.resolve("Panjgxyz")
    assert not m.resolved
    assert (m.lat, m.lon, m.district, m.precision) == (None, None, None, None)
    assert "Panjgur" in m.suggestions
    assert len(m.suggestions) <= 5
    with pytest.raises(UnknownPlaceError) as info:
        m.raise_for_unresolved()
    assert info.value.name == "Panjgxyz"
    assert "did you mean 'Panjgur'" in str(info.value)
    assert isinstance(info.value, LookupError)


def test_threshold_is_honoured() -> None:
    strict = Gazetteer.load(fuzzy_threshold=99)
    m = strict.resolve("Panjgoor")
    assert not m.resolved
    assert m.suggestions[0] == "Panjgur"


@pytest.mark.parametrize("text", ["", "   ", "!!!", "Xqzvbnm"])
def test_nonsense_is_unresolved(gaz: Gazetteer, text: str) -> None:
    m = gaz.resolve(text)
    assert not m.resolved
    assert m.error


def test_ambiguous_name_prefers_feature_class_then_reports(gaz: Gazetteer) -> None:
    m = gaz.resolve("Sahiwal")  # PPLA2 seat of Sahiwal district and a PPL in Sargodha
    assert (m.district, m.feature_code, m.ambiguous) == ("Sahiwal", "PPLA2", True)
    assert any("Sargodha" in a for a in m.alternatives)


def test_ambiguous_name_prefers_requested_district(gaz: Gazetteer) -> None:
    m = gaz.resolve("Sahiwal", district="Sargodha")
    assert (m.district, m.ambiguous) == ("Sargodha", True)


def test_town_versus_district_in_another_province(gaz: Gazetteer) -> None:
    plain = gaz.resolve("Nasirabad")
    assert (plain.kind, plain.province, plain.ambiguous) == ("place", "Sindh", True)
    hinted = gaz.resolve("Nasirabad", province="Balochistan")
    assert (hinted.kind, hinted.district, hinted.precision) == ("district", "Nasirabad", 3)
    assert any("Sindh" in a for a in hinted.alternatives)


def test_province_hint_by_pcode(gaz: Gazetteer) -> None:
    assert gaz.resolve("Nasirabad", province="PK2").kind == "district"


def test_unknown_hint_is_reported_not_fatal(gaz: Gazetteer) -> None:
    m = gaz.resolve("Quetta", province="Atlantis")
    assert m.resolved and "Atlantis" in m.note


def test_place_outside_requested_province_says_so(gaz: Gazetteer) -> None:
    m = gaz.resolve("Lahore", province="Balochistan")
    assert m.province == "Punjab"
    assert "elsewhere" in m.note


def test_unknown_place_with_district_context_is_coded_at_district_and_says_so(
    gaz: Gazetteer,
) -> None:
    m = gaz.resolve("Zzyzx Goth, Kech")
    assert (m.kind, m.district, m.precision) == ("district", "Kech", 3)
    assert "not in the gazetteer" in m.note


def test_unknown_place_with_province_context_stays_unresolved(gaz: Gazetteer) -> None:
    m = gaz.resolve("Zzyzx Goth", province="Balochistan")
    assert not m.resolved


def test_resolve_many_keeps_order(gaz: Gazetteer) -> None:
    ms = gaz.resolve_many(["Noshki", "Quetta", "Noshki", "Nope-nope-nope"])
    assert [m.query for m in ms] == ["Noshki", "Quetta", "Noshki", "Nope-nope-nope"]
    assert [m.resolved for m in ms] == [True, True, True, False]


def test_to_dict_is_json_and_flat(gaz: Gazetteer) -> None:
    d = gaz.resolve("Pasni").to_dict()
    json.dumps(d)
    for key in ("query", "name", "lat", "lon", "district", "province", "precision", "score",
                "method"):
        assert key in d
    u = gaz.resolve("Nope-nope-nope").to_dict()
    assert set(u) == {"query", "error", "suggestions"}


def test_codes_in_alternate_names_are_not_place_names(gaz: Gazetteer) -> None:
    assert not gaz.resolve("UET").resolved or gaz.resolve("UET").name != "Quetta"


# --- data files ---------------------------------------------------------------------

def test_alias_table_rows_are_needed_and_point_at_real_targets(gaz: Gazetteer) -> None:
    aliases = pd.read_csv(aliases_path(), dtype=str, keep_default_na=False)
    assert (aliases["note"].str.len() > 10).all()
    bare = Gazetteer.load(aliases=(), bundled=True)
    plain = Gazetteer(bare.places.iloc[:, :10], bare.boundaries, None)
    for rec in aliases.to_dict("records"):
        # Without the alias table the alias does not already reach the same target.
        before = [c for c in plain._keys.get(normalise(rec["alias"]), [])
                  if c[0] == rec["target_type"]]
        names = {plain._describe_short(c) for c in before}
        assert rec["target"] not in names, f"alias {rec['alias']!r} is redundant"
        after = {gaz._describe_short(c) for c in gaz._keys[normalise(rec["alias"])]}
        assert rec["target"] in after


def test_user_gazetteer_adds_places(tmp_path: Path) -> None:
    f = tmp_path / "extra.csv"
    f.write_text("name,lat,lon,alt_names\nKili Zzyzx,30.2,67.1,Zzyzx Kili|KZ town\n",
                 encoding="utf-8")
    g = Gazetteer.load(f)
    m = g.resolve("Kili Zzyzx")
    assert (m.district, m.method) == ("Quetta", "exact")
    assert g.resolve("Zzyzx Kili").name == "Kili Zzyzx"
    only = Gazetteer.load(f, bundled=False)
    assert len(only) == 1
    assert only.resolve("Noshki").kind == "district"  # boundaries still know the district
    assert not only.resolve("Quetta city area").kind == "place"


def test_bad_gazetteer_reports_every_problem_with_file_row_field(tmp_path: Path) -> None:
    f = tmp_path / "bad.csv"
    f.write_text("name,lat,lon,population\nOk,30,67,5\n,30,67,\nA,95,67,\nB,30,abc,\n"
                 "C,30,67,-4\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        Gazetteer.load(f, bundled=False)
    got = {(p.row, p.field) for p in info.value.problems}
    assert got == {(3, "name"), (4, "lat"), (5, "lon"), (6, "population")}
    assert all(p.file.endswith("bad.csv") for p in info.value.problems)
    assert "bad.csv:4: lat" in str(info.value)


def test_missing_columns_are_all_reported(tmp_path: Path) -> None:
    f = tmp_path / "cols.csv"
    f.write_text("title,x\nQuetta,1\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        Gazetteer.load(f, bundled=False)
    assert {p.field for p in info.value.problems} == {"name", "lat", "lon"}


def test_alias_with_unknown_target_is_an_error(tmp_path: Path) -> None:
    f = tmp_path / "aliases.csv"
    f.write_text("alias,target,target_type,note\nFoo,Atlantis,place,test\n"
                 "Bar,Quetta,city,test\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        Gazetteer.load(aliases=[f])
    assert {(p.row, p.field) for p in info.value.problems} == {(3, "target_type")}
    f.write_text("alias,target,target_type,note\nFoo,Atlantis,place,test\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        Gazetteer.load(aliases=[f])
    assert [(p.row, p.field, p.value) for p in info.value.problems] == [(2, "target", "Atlantis")]


def test_batch_searches_each_name_once(gaz: Gazetteer, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    search = gaz._fuzzy_index().search

    def counted(key: str, **kw: object) -> list[tuple[int, float]]:
        calls.append(key)
        return search(key, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(gaz._fuzzy_index(), "search", counted)
    hints = [None, "Panjgur", "Kech", "Quetta"]
    alone = [gaz.resolve(q, district=d) for q in ("Panjgoor", "Xqzv Goth") for d in hints]
    assert len(calls) == 8
    calls.clear()
    with gaz.batch():
        together = [gaz.resolve(q, district=d) for q in ("Panjgoor", "Xqzv Goth") for d in hints]
        with gaz.batch():  # nested: the same memo
            gaz.resolve("Panjgoor")
    assert sorted(set(calls)) == sorted(calls) and len(calls) == 2
    assert together == alone
    calls.clear()
    gaz.resolve("Panjgoor")  # outside the block: searched again
    assert calls == ["panjgoor"]
