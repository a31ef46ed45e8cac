"""The large-data code paths (categorical storage, pyarrow reading) give the same answers."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import geo.dataset.records
from geo import Gazetteer
from geo.analysis.filter import Filter
from geo.analysis.summary import summarise
from geo.cli.commands import main
from geo.dataset.records import read_dataset
from geo.dataset.save import write_files
from geo.synthetic import synthetic_dataset
from tests.support import examples


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory, gaz: Gazetteer) -> Path:
    d = tmp_path_factory.mktemp("synthetic")
    write_files(synthetic_dataset(gaz.places, 2500, seed=4), d)
    return d


def test_synthetic_dataset_is_valid_and_mostly_located(folder: Path, gaz: Gazetteer) -> None:
    ds = read_dataset(folder)
    assert ds.problems == []
    assert isinstance(ds.claims["category"].dtype, pd.CategoricalDtype)  # compacted
    s = summarise(ds, gaz)
    assert 0 < len(s.unresolved) < 0.03 * len(ds.incidents)  # the bogus names, listed
    assert s.unresolved["reason"].str.contains("no place matches").all()


@pytest.mark.parametrize("policy", ["lowest", "official", "highest", "claimant:militant"])
def test_compact_storage_changes_no_figure(folder: Path, gaz: Gazetteer,
                                           monkeypatch: pytest.MonkeyPatch, policy: str) -> None:
    fast = summarise(read_dataset(folder), gaz, Filter.from_text(policy=policy))
    plain_csv = geo.dataset.records.read_csv
    monkeypatch.setattr(geo.dataset.records, "read_csv",
                        lambda *a, **k: plain_csv(*a, **{**k, "compact": False}))
    plain = summarise(read_dataset(folder), gaz, Filter.from_text(policy=policy))
    key = ["district_pcode"]
    a = fast.districts.astype({"district_pcode": object}).sort_values(key).reset_index(drop=True)
    b = plain.districts.astype({"district_pcode": object}).sort_values(key).reset_index(drop=True)
    num = [c for c in a.columns if c.endswith(("_best", "_low", "_high")) or c == "incidents"]
    pd.testing.assert_frame_equal(a[num], b[num], check_dtype=False)
    pd.testing.assert_frame_equal(fast.totals, plain.totals)


def test_cli_on_synthetic_folder(folder: Path, tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["summary", "--data", str(folder), "--json"])
    assert res.exit_code == 1  # some synthetic place names are unknown, and listed
    d = json.loads(res.stdout)
    assert d["unresolved"] and d["districts"]
    out = tmp_path / "x.geojson"
    res = CliRunner().invoke(main, ["export", "--data", str(folder), "--format", "geojson",
                                    "--out", str(out)])
    assert res.exit_code == 0, res.output
    feats = json.loads(out.read_text())["features"]
    assert len(feats) == 2500
    assert sum(f["geometry"] is None for f in feats) == len(d["unresolved"])


def test_pyarrow_and_c_readers_agree(tmp_path: Path) -> None:
    from geo.io.csvfile import read_csv

    rows = "\n".join(f"r{i},{i},\"text, with comma {i}\"" for i in range(1200))
    plain = tmp_path / "plain.csv"
    plain.write_text("id,n,note\n" + rows + "\n", encoding="utf-8")
    blank = tmp_path / "blank.csv"  # a blank line forces the C reader
    blank.write_text("id,n,note\n" + rows.replace("\nr5,", "\n\nr5,") + "\n",
                     encoding="utf-8")
    a, b = read_csv(plain, required=["id"]), read_csv(blank, required=["id"])
    assert a["note"].tolist() == b["note"].tolist()
    assert a["_row"].iloc[10] == 12 and b["_row"].iloc[10] == 13  # spreadsheet rows


_WORDS = ["a", " a", "a ", "b", "", " ", "c\u00a0", "2026-01-31"]


@settings(deadline=None, max_examples=examples(25),
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from(["x", "y", ""])),
                      min_size=1, max_size=30),
       pyarrow_reader=st.booleans())
def test_compact_reading_keeps_every_value(tmp_path: Path, cells: list[tuple[str, str]],
                                           pyarrow_reader: bool) -> None:
    """Categorical columns read back the same stripped text as plain ones, row by row."""
    from geo.io.csvfile import read_csv

    rows = [(f"id{i}", *cells[i % len(cells)]) for i in range(1500)]
    body = "\n".join(f'{i},"{a}",{b}' for i, a, b in rows)
    if not pyarrow_reader:
        body = body.replace("\nid7,", "\n\nid7,")  # a blank line: the C reader
    path = tmp_path / "t.csv"
    path.write_text("id,a,b\n" + body + "\n", encoding="utf-8")
    plain = read_csv(path, required=["id"])
    compact = read_csv(path, required=["id"], compact=True)
    assert isinstance(compact["a"].dtype, pd.CategoricalDtype)
    for col in ("id", "a", "b", "_row"):
        assert compact[col].astype(object).tolist() == plain[col].astype(object).tolist()
    assert plain["a"].tolist() == [a.strip() for _, a, _ in rows]


@pytest.mark.parametrize("column", ["place", "note"])
@pytest.mark.parametrize("compact", [False, True])
def test_cp1252_after_the_first_mib_is_still_decoded(tmp_path: Path, column: str,
                                                     compact: bool) -> None:
    """Only the first MiB is checked up front; pyarrow must refuse the rest, not mangle it."""
    from geo.io.csvfile import read_csv

    n = 40_000  # ~1.5 MiB of ASCII before the cp1252 byte
    lines = [f"id{i},Quetta,note {i}" for i in range(n)]
    lines.append("idlast,Qu\xe9tta,caf\xe9" if column == "place" else "idlast,Quetta,caf\xe9")
    path = tmp_path / "t.csv"
    path.write_bytes(("id,place,note\n" + "\n".join(lines) + "\n").encode("cp1252"))
    df = read_csv(path, required=["id"], compact=compact)
    assert len(df) == n + 1
    assert df["note"].iloc[-1] == "caf\xe9"
    assert df["place"].iloc[-1] == ("Qu\xe9tta" if column == "place" else "Quetta")


@settings(max_examples=examples(100), deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "", "c d"]), st.sampled_from(["x", ""]),
                          st.sampled_from([1.5, float("nan"), 2.0])), min_size=1, max_size=60),
       st.booleans())
def test_groups_match_pandas_ngroup(rows: list[tuple[str, str, float]],
                                    categorical: bool) -> None:
    import numpy as np

    from geo.analysis.locate import _groups

    df = pd.DataFrame(rows, columns=["a", "b", "c"])
    if categorical:
        df["a"] = df["a"].astype("category")
    want = df.groupby(["a", "b", "c"], sort=False, dropna=False, observed=True).ngroup()
    group, first = _groups([df["a"], df["b"], df["c"]])
    assert (group == want.to_numpy()).all()
    assert (first == np.unique(want.to_numpy(), return_index=True)[1]).all()


@settings(max_examples=examples(60), deadline=None)
@given(st.data())
def test_window_sums_equal_a_loop(data: st.DataObject) -> None:
    import numpy as np

    from geo.analysis.areas import window_sums
    from geo.dataset.schema import CATEGORIES

    _STATS = ("best", "low", "high")

    n = data.draw(st.integers(1, 40))
    days = pd.to_datetime("2024-01-01") + pd.to_timedelta(
        data.draw(st.lists(st.integers(0, 30), min_size=n, max_size=n)), unit="D")
    dist = data.draw(st.lists(st.sampled_from(["PK201", "PK202", "PK301", None]),
                              min_size=n, max_size=n))
    inc = pd.DataFrame({"event_date": days,
                        "district_pcode": pd.Categorical(dist),
                        "province_pcode": pd.Categorical([d[:3] if d else None for d in dist])})
    for c in CATEGORIES:
        for stat in _STATS:
            inc[f"{c}_{stat}"] = data.draw(st.lists(st.sampled_from([np.nan, 0.0, 1.0, 7.0]),
                                                    min_size=n, max_size=n))
    k = data.draw(st.integers(1, 12))
    area = pd.DataFrame({
        "level": data.draw(st.lists(st.sampled_from(["district", "province"]),
                                    min_size=k, max_size=k)),
        "pcode": data.draw(st.lists(st.sampled_from(["PK201", "PK202", "PK2", "PK3", "PK9"]),
                                    min_size=k, max_size=k)),
        "category": data.draw(st.lists(st.sampled_from(list(CATEGORIES)), min_size=k,
                                       max_size=k))})
    offsets = [sorted(data.draw(st.lists(st.integers(-5, 40), min_size=2, max_size=2)))
               for _ in range(k)]
    area["period_start"] = pd.to_datetime("2024-01-01") + pd.to_timedelta(
        [o[0] for o in offsets], unit="D")
    area["period_end"] = pd.to_datetime("2024-01-01") + pd.to_timedelta(
        [o[1] for o in offsets], unit="D")
    got = {stat: window_sums(area, inc, ["category"], lambda c, s=stat: np.nan_to_num(
        inc[f"{c}_{s}"].to_numpy(dtype=float))) for stat in _STATS}
    for i, row in area.iterrows():
        col = "province_pcode" if row["level"] == "province" else "district_pcode"
        hit = ((inc[col].astype(object) == row["pcode"])
               & (inc["event_date"] >= row["period_start"])
               & (inc["event_date"] <= row["period_end"]))
        for stat in _STATS:
            want = inc.loc[hit, f"{row['category']}_{stat}"].fillna(0).sum()
            assert got[stat][i] == want


@settings(max_examples=examples(80), deadline=None)
@given(st.data())
def test_by_unit_equals_pandas_groupby(data: st.DataObject) -> None:
    import numpy as np

    from geo.analysis.summary import _by_unit

    n = data.draw(st.integers(1, 50))
    names = data.draw(st.lists(st.sampled_from(["Kech", "Quetta", "Gwadar", None]),
                               min_size=n, max_size=n))
    df = pd.DataFrame({
        "district": pd.Categorical(names, categories=["Quetta", "Kech", "Gwadar", "Unused"]),
        "province": pd.Categorical([None if v is None else "Balochistan" for v in names]),
        "a_best": data.draw(st.lists(st.sampled_from([np.nan, 0.0, 2.0, 5.0]), min_size=n,
                                     max_size=n)),
    })
    keys, figs = ["district", "province"], ["a_best"]
    grouped = df.groupby(keys, dropna=False)
    want = grouped[figs].sum(min_count=1)
    want.insert(0, "incidents", grouped.size())
    pd.testing.assert_frame_equal(_by_unit(df, keys, figs), want.reset_index())
