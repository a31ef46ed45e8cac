"""Figure policies: low/best/high across claims, official never militant."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo import Gazetteer
from geo.analysis.filter import Filter
from geo.analysis.summary import summarise
from geo.dataset.policy import Policy, scope_figures
from geo.dataset.records import load_dataset
from geo.dataset.schema import CLAIMANT_TYPES
from geo.errors import PolicyError
from tests.support import examples


def _claims(rows: list[tuple]) -> pd.DataFrame:
    """rows: (claim_id, incident, source, claimant, type, value, value_max, date)."""
    df = pd.DataFrame(rows, columns=["claim_id", "incident_id", "source_id", "claimant",
                                     "claimant_type", "value", "value_max", "claim_date"])
    df["area"] = ""
    df["category"] = "killed_civilians"
    df["period_start"] = df["period_end"] = pd.Timestamp("2026-01-31")
    df["claim_date"] = pd.to_datetime(df["claim_date"])
    df["value"] = df["value"].astype(np.int64)
    df["value_max"] = pd.to_numeric(df["value_max"])
    return df


CLAIMS = _claims([
    ("a", "I1", "S1", "Chief Minister", "government", 31, None, "2026-02-01"),
    ("b", "I1", "S2", "Officials", "official", 18, None, "2026-01-31"),
    ("c", "I1", "S3", "BLA", "militant", 84, None, "2026-01-31"),
    ("d", "I1", "S4", "Hospital", "hospital", 20, 25, "2026-02-02"),
    ("e", "I2", "S3", "BLA", "militant", 5, None, "2026-01-31"),
])


def _best(policy: str, incident: str = "I1") -> tuple[float, float, float, object]:
    f = scope_figures(CLAIMS, Policy.parse(policy)).set_index("incident_id").loc[incident]
    row = int(f["best_claim_row"])
    return f["low"], f["best"], f["high"], CLAIMS["claim_id"].iloc[row] if row >= 0 else None


def test_range_across_the_claims_militants_kept_apart() -> None:
    low, _, high, _ = _best("lowest")
    assert (low, high) == (18, 31)  # the BLA's 84 is not in the others' range
    f = scope_figures(CLAIMS, Policy.parse("lowest")).set_index("incident_id").loc["I1"]
    assert (f["militant_low"], f["militant_high"]) == (84, 84)
    assert f["best_class"] in ("official", "other")


@pytest.mark.parametrize(
    ("policy", "best", "claim"),
    [("official", 31, "a"), ("lowest", 18, "b"), ("highest", 31, "a"),
     ("source:S4", 20, "d"), ("claimant:BLA", 84, "c"), ("claimant:hospital", 20, "d"),
     ("claimant:chief minister", 31, "a")],
)
def test_policies(policy: str, best: int, claim: str) -> None:
    _, b, _, c = _best(policy)
    assert (b, c) == (best, claim)


def test_official_never_uses_militant_claims() -> None:
    _, best, _, claim = _best("official", "I2")
    assert np.isnan(best) and not isinstance(claim, str)


def test_no_qualifying_claim_is_missing_not_zero() -> None:
    _, best, _, _ = _best("source:S9")
    assert np.isnan(best)


@pytest.mark.parametrize("text", ["", "best", "source:", "claimant", "official:x", "median"])
def test_bad_policy(text: str) -> None:
    with pytest.raises(PolicyError, match="unknown figure policy"):
        Policy.parse(text)


claim_rows = st.lists(
    st.tuples(st.sampled_from(["I1", "I2", "I3"]), st.sampled_from(["S1", "S2", "S3"]),
              st.sampled_from(CLAIMANT_TYPES), st.integers(0, 500), st.integers(0, 50),
              st.dates(min_value=pd.Timestamp("2026-01-01").date(),
                       max_value=pd.Timestamp("2026-03-01").date())),
    min_size=1, max_size=25,
)


policies = st.sampled_from(["official", "lowest", "highest", "source:S2", "claimant:militant"])


def _from_rows(rows: list[tuple]) -> pd.DataFrame:
    """Claims from drawn rows; odd extras make a range claim."""
    return _claims([(f"c{i}", inc, src, typ, typ, v, v + extra if extra % 2 else None, str(d))
                    for i, (inc, src, typ, v, extra, d) in enumerate(rows)])


@settings(deadline=None, max_examples=examples(60))
@given(rows=claim_rows, policy=policies)
def test_best_lies_within_low_high(rows: list[tuple], policy: str) -> None:
    claims = _from_rows(rows)
    f = scope_figures(claims, Policy.parse(policy))
    assert set(f["incident_id"]) == {r[0] for r in rows}
    have = f["best"].notna()
    assert (f.loc[have, "low"] <= f.loc[have, "best"]).all()
    assert (f.loc[have, "best"] <= f.loc[have, "high"]).all()
    picked = f.loc[have, "best_claim_row"].to_numpy()
    assert (claims["value"].to_numpy()[picked] <= f.loc[have, "best"].to_numpy()).all()
    if policy == "official":
        assert "militant" not in set(claims["claimant_type"].to_numpy()[picked])
    assert f["n_claims"].sum() == len(rows)


def _reference_best(claims: pd.DataFrame, policy: str) -> dict[str, int]:
    """The best claim per incident by the policy's rules, in plain Python."""
    from geo.dataset.schema import OFFICIAL_CLAIMANTS

    best: dict[str, int] = {}
    for i, r in enumerate(claims.itertuples()):
        high = r.value if pd.isna(r.value_max) else r.value_max
        day = r.claim_date.toordinal()
        # lowest/highest: militants only when nobody else; on a tie, officials first
        militant, rank = r.claimant_type == "militant", r.claimant_type not in OFFICIAL_CLAIMANTS
        if policy == "official":
            ok, key = r.claimant_type in OFFICIAL_CLAIMANTS, (-day, r.value)
        elif policy == "lowest":
            ok, key = True, (militant, r.value, rank, day)
        elif policy == "highest":
            ok, key = True, (militant, -high, rank, -day)
        elif policy.startswith("source:"):
            ok, key = r.source_id == policy[7:], (-day, r.value)
        else:
            ok, key = policy[9:] in (r.claimant, r.claimant_type), (-day, r.value)
        if ok and (r.incident_id not in best or key < best[r.incident_id][0]):
            best[r.incident_id] = (key, i)  # type: ignore[assignment]
    return {k: v[1] for k, v in best.items()}  # type: ignore[index]


@settings(deadline=None, max_examples=examples(80))
@given(rows=claim_rows, policy=policies)
def test_best_claim_matches_plain_rules(rows: list[tuple], policy: str) -> None:
    claims = _from_rows(rows)
    f = scope_figures(claims, Policy.parse(policy)).set_index("incident_id")
    want = _reference_best(claims, policy)
    got = {k: int(v) for k, v in f["best_claim_row"].items() if v >= 0}
    assert got == want


@pytest.mark.parametrize("policy", ["source:S9", "claimant:Nobody at all"])
def test_policy_naming_nobody_is_an_error(gaz: Gazetteer, policy: str) -> None:
    # A typo must not leave every figure silently missing.
    with pytest.raises(PolicyError, match="in the dataset|no claim by"):
        summarise(load_dataset(), gaz, Filter.from_text(policy=policy))


@pytest.mark.parametrize("n", [300, 3000])
def test_area_scopes_list_their_claims_in_claim_order(gaz: Gazetteer, tmp_path: Path,
                                                      n: int) -> None:
    """Every area claim is listed in exactly one area scope (with its own area,
    category and period), in the order of the claims table."""
    from geo.dataset.records import read_dataset
    from geo.dataset.save import write_files
    from geo.synthetic import synthetic_dataset

    write_files(synthetic_dataset(gaz.places, n, seed=5), tmp_path)
    claims = read_dataset(tmp_path).claims.reset_index(drop=True)
    f = scope_figures(claims, Policy.parse("lowest"))
    area = f[f["scope"] == "area"]
    listed = [i for ids in area["claim_ids"] for i in ids.split(";")]
    area_claims = claims[claims["incident_id"].astype(str) == ""]
    assert sorted(listed) == sorted(area_claims["claim_id"].astype(str))
    pos = {c: i for i, c in enumerate(claims["claim_id"].astype(str))}
    for row in area.itertuples():
        ids = row.claim_ids.split(";")
        assert [pos[i] for i in ids] == sorted(pos[i] for i in ids)
        mine = claims.iloc[[pos[i] for i in ids]]
        assert set(mine["area"].astype(str)) == {str(row.area)}
        assert set(mine["category"].astype(str)) == {str(row.category)}
    assert f.loc[f["scope"] == "incident", "claim_ids"].isna().all()  # areas only
