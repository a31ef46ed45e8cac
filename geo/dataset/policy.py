"""Casualty figures as a policy, not a number.

Claims about the same thing are alternatives: the same incident, or the same admin
area and period (a *scope*), and the same category. For each scope and category this
module computes, vectorised over all claims:

* ``low`` / ``high``: the smallest and largest figure any claim gives (a range claim
  counts with both ends);
* ``best``: the figure the chosen :class:`Policy` picks;
* ``n_claims``, and who the best figure comes from.

Policies: ``official`` (latest claim by government, military, police or unnamed
officials; militant claims never count), ``lowest`` (ACLED's conservative rule),
``highest``, ``source:ID`` and ``claimant:NAME`` (latest claim by that source, or by
that claimant name or claimant type). When no claim qualifies, ``best`` is missing,
never zero.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from geo.dataset.schema import OFFICIAL_CLAIMANTS
from geo.errors import PolicyError
from geo.io.tables import arrow_text

__all__ = ["POLICY_HELP", "Policy", "scope_figures"]

POLICY_HELP = "official | lowest | highest | source:ID | claimant:NAME"
SCOPE = ["scope", "incident_id", "area", "period_start", "period_end", "category"]


@dataclass(frozen=True, slots=True)
class Policy:
    """Which claim gives the 'best' figure.

    Attributes
    ----------
    kind : {"official", "lowest", "highest", "source", "claimant"}
    arg : str
        The source id or claimant name for ``source``/``claimant``.
    """

    kind: str
    arg: str = ""

    @classmethod
    def parse(cls, text: str) -> Policy:
        """Parse ``official``, ``lowest``, ``highest``, ``source:ID``, ``claimant:NAME``.

        Raises
        ------
        PolicyError
            For anything else.
        """
        text = (text or "").strip()
        kind, _, arg = text.partition(":")
        kind = kind.strip().casefold()
        if kind in ("official", "lowest", "highest") and not arg:
            return cls(kind)
        if kind in ("source", "claimant") and arg.strip():
            return cls(kind, arg.strip())
        msg = f"unknown figure policy {text!r}; expected {POLICY_HELP}"
        raise PolicyError(msg)

    def __str__(self) -> str:
        return f"{self.kind}:{self.arg}" if self.arg else self.kind

    @property
    def label(self) -> str:
        """A reader's description, for legends and captions."""
        return {
            "official": "official (government, military, police; latest claim)",
            "lowest": "lowest claim (conservative)",
            "highest": "highest claim",
            "source": f"as reported by source {self.arg}",
            "claimant": f"as claimed by {self.arg}",
        }[self.kind]

    def check(self, claims: pd.DataFrame, source_ids: pd.Series) -> None:
        """Raise when ``source:ID`` / ``claimant:NAME`` names nobody in the dataset.

        A typo would otherwise leave every figure missing without a word.

        Raises
        ------
        PolicyError
            Naming the unknown source or claimant and the ones the dataset has.
        """
        if self.kind == "source" and self.arg not in set(source_ids.astype(str)):
            known = ", ".join(sorted(source_ids.astype(str))[:20])
            msg = f"figure policy {self}: no source {self.arg!r} in the dataset (sources: {known})"
            raise PolicyError(msg)
        if self.kind == "claimant" and len(claims) and not self.eligible(claims).any():
            names = sorted(set(claims["claimant"].astype(str)) | set(
                claims["claimant_type"].astype(str)))
            msg = (f"figure policy {self}: no claim by claimant or claimant type "
                   f"{self.arg!r} (the dataset has: {', '.join(names[:30])})")
            raise PolicyError(msg)

    def eligible(self, claims: pd.DataFrame) -> np.ndarray:
        """Which claims may supply the best figure."""
        if self.kind == "official":
            return claims["claimant_type"].isin(OFFICIAL_CLAIMANTS).to_numpy()
        if self.kind == "source":
            return (claims["source_id"] == self.arg).to_numpy()
        if self.kind == "claimant":
            want = self.arg.casefold()
            return ((claims["claimant"].str.casefold() == want)
                    | (claims["claimant_type"].str.casefold() == want)).to_numpy()
        return np.ones(len(claims), dtype=bool)


def _codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Dictionary-encode text in C: (integer codes, unique values).

    Categoricals (ids and vocabularies typed by :mod:`geo.dataset.records`) are already
    encoded: their codes are used as they are.
    """
    if isinstance(values.dtype, pd.CategoricalDtype) and not values.hasnans:
        return (values.cat.codes.to_numpy(dtype=np.int64),
                values.cat.categories.to_numpy(dtype=object))
    enc = pc.dictionary_encode(arrow_text(values))
    return (np.asarray(enc.indices.to_numpy(zero_copy_only=False), dtype=np.int64),
            np.asarray(enc.dictionary.to_numpy(zero_copy_only=False), dtype=object))


def _dense(part: np.ndarray, width: int) -> np.ndarray | None:
    """Whole numbers in a range narrow enough to pack: offset from the minimum (no sort)."""
    if not np.issubdtype(part.dtype, np.integer):
        if not np.isfinite(part).all() or not (part == np.floor(part)).all():
            return None
    lo, hi = int(part.min()), int(part.max())
    if (hi - lo + 1) * width >= 2**62:
        return None
    return part.astype(np.int64) - lo


def _pick(order_keys: list[np.ndarray], group: np.ndarray, eligible: np.ndarray) -> np.ndarray:
    """Row index of the first eligible row per group under the sort keys (-1: none).

    The keys (group, then each policy key, then file row) are ranked and packed into
    one int64, so one argsort replaces a multi-key lexsort.
    """
    rows = np.flatnonzero(eligible)
    best = np.full(group.max() + 1 if len(group) else 0, -1, dtype=np.int64)
    if not len(rows):
        return best
    parts = [group[rows], *[k[rows] for k in order_keys]]
    packed = np.zeros(len(rows), dtype=np.int64)
    width = 1
    for part in reversed(parts):  # least significant first
        codes = _dense(part, width)
        if codes is None:  # wide, sparse or fractional values: rank them
            codes = np.unique(part, return_inverse=True)[1].astype(np.int64)
        packed += codes * width
        width *= int(codes.max()) + 1
    if width >= 2**62:  # too many distinct values to pack: fall back to lexsort
        order = rows[np.lexsort([rows, *[p for p in reversed(parts[1:])], parts[0]])]
    else:
        order = rows[np.argsort(packed, kind="stable")]  # stable: file row breaks ties
    g_sorted = group[order]
    first = np.flatnonzero(np.r_[True, g_sorted[1:] != g_sorted[:-1]])
    best[g_sorted[first]] = order[first]
    return best


def _policy_keys(policy: Policy, low: np.ndarray, high: np.ndarray,
                 when: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    if policy.kind == "lowest":
        return [low, when], low
    if policy.kind == "highest":
        return [-high, -when], high
    # The most recent qualifying claim; on the same day, the lower figure.
    return [-when, low], low


def scope_figures(claims: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """Low / best / high per scope and category.

    Claims are grouped on integer codes (dictionary-encoded in C) so a million
    incidents with two million claims take a few seconds.

    Parameters
    ----------
    claims : pandas.DataFrame
        Typed claims from :func:`geo.dataset.records.read_dataset`.
    policy : Policy
        Chooses ``best``; ties go to the earlier row of ``claims.csv``.

    Returns
    -------
    pandas.DataFrame
        One row per (scope, incident_id, area, period_start, period_end, category)
        with ``low, high, best, n_claims, best_claim_row`` (position in *claims*, -1
        when none) and, for area scopes, ``best_claim_id,
        best_source_id, best_claimant`` and ``claim_ids`` (``;``-joined). ``best``
        is NaN where no claim qualifies.
    """
    cols = [*SCOPE, "low", "high", "best", "n_claims", "best_claim_row", "best_claim_id",
            "best_source_id", "best_claimant", "claim_ids"]
    if claims.empty:
        return pd.DataFrame(columns=cols)
    inc = (claims["incident_id"] != "").to_numpy()
    scope_code, _ = _codes(claims["incident_id"])
    if (~inc).any():  # areas are few: key them by name and period, after the incidents
        a = claims.loc[~inc]
        key = (a["area"].astype(object) + "|"
               + a["period_start"].dt.strftime("%Y-%m-%d").fillna("") + "|"
               + a["period_end"].dt.strftime("%Y-%m-%d").fillna(""))
        scope_code[~inc] = scope_code.max() + 1 + pd.factorize(key)[0]
    cat_code, cats = _codes(claims["category"])
    # One stable sort gives the groups (dense codes in key order), their first rows
    # and the rows of each group together.
    raw_group = scope_code * len(cats) + cat_code
    by_group = np.argsort(raw_group, kind="stable")
    step = np.r_[True, raw_group[by_group][1:] != raw_group[by_group][:-1]]
    g_first = by_group[step]
    group = np.empty(len(raw_group), dtype=np.int64)
    group[by_group] = np.cumsum(step) - 1
    low = claims["value"].to_numpy(dtype=float)
    high = claims["value_max"].to_numpy(dtype=float)
    high = np.where(np.isnan(high), low, high)
    when = claims["claim_date"].to_numpy(dtype="datetime64[D]").astype(np.int64)
    keys, value = _policy_keys(policy, low, high, when)
    best_row = _pick(keys, group, policy.eligible(claims))
    ng = len(g_first)
    n_claims = np.bincount(group, minlength=ng)
    starts = np.concatenate([[0], np.cumsum(n_claims)[:-1]])

    def take(col: str, rows: np.ndarray) -> pd.Series:
        return claims[col].iloc[rows].reset_index(drop=True)

    area_first = ~inc[g_first]
    out = pd.DataFrame({
        "scope": pd.Categorical.from_codes(area_first.astype(np.int8),
                                           categories=["incident", "area"]),
        "incident_id": take("incident_id", g_first),
        "area": take("area", g_first),
        "period_start": take("period_start", g_first).where(area_first),
        "period_end": take("period_end", g_first).where(area_first),
        "category": pd.Categorical.from_codes(cat_code[g_first],
                                              categories=pd.Index(cats, dtype=object)),
        "low": np.minimum.reduceat(low[by_group], starts),
        "high": np.maximum.reduceat(high[by_group], starts),
        "n_claims": n_claims,
    })
    has = best_row >= 0
    out["best"] = np.where(has, value[np.maximum(best_row, 0)], np.nan)
    # Every scope keeps the row of its best claim; the names are filled for area figures
    # (few, shown in summaries), not copied for a million incident scopes.
    out["best_claim_row"] = best_row
    named = has & area_first
    for col, src in (("best_claim_id", "claim_id"), ("best_source_id", "source_id"),
                     ("best_claimant", "claimant")):
        values = np.full(ng, None, dtype=object)
        if named.any():
            values[named] = claims[src].iloc[best_row[named]].to_numpy(dtype=object)
        out[col] = pd.Series(values, dtype=object)  # mostly None: no text inference
    # Per area scope, its claim ids joined (in claim order): one sort, no groupby.
    area_rows = np.flatnonzero(~inc)
    joined = np.full(ng, "", dtype=object)
    if len(area_rows):
        g = group[area_rows]
        order = np.argsort(g, kind="stable")
        ids = claims["claim_id"].iloc[area_rows[order]].astype(str).to_numpy(dtype=object)
        g = g[order]
        cuts = np.flatnonzero(g[1:] != g[:-1]) + 1
        joined[g[np.r_[0, cuts]]] = [";".join(part) for part in np.split(ids, cuts)]
    out["claim_ids"] = pd.Series(joined, dtype=object)
    return out[cols]
