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

from geo.errors import GeoError
from geo.schema import OFFICIAL_CLAIMANTS

__all__ = ["POLICY_HELP", "Policy", "scope_figures"]

POLICY_HELP = "official | lowest | highest | source:ID | claimant:NAME"
SCOPE = ["scope", "incident_id", "area", "period_start", "period_end", "category"]


class PolicyError(GeoError, ValueError):
    """A figure policy could not be parsed."""


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


def with_scope(claims: pd.DataFrame) -> pd.DataFrame:
    """Add ``scope`` (``incident`` or ``area``), ``low`` and ``high`` to claims."""
    out = claims.copy()
    out["scope"] = np.where(out["incident_id"] != "", "incident", "area")
    # Incident claims are grouped by incident alone; their period is the incident's.
    inc = out["scope"] == "incident"
    out.loc[inc, "area"] = ""
    out.loc[inc, ["period_start", "period_end"]] = pd.NaT
    out["low"] = out["value"].astype(float)
    out["high"] = out["value_max"].fillna(out["value"]).astype(float)
    return out


def scope_figures(claims: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """Low / best / high per scope and category.

    Parameters
    ----------
    claims : pandas.DataFrame
        Typed claims from :func:`geo.records.read_dataset`.
    policy : Policy
        Chooses ``best``.

    Returns
    -------
    pandas.DataFrame
        One row per (scope, incident_id, area, period_start, period_end, category)
        with ``low, high, best, n_claims, best_claim_id, best_source_id,
        best_claimant, claim_ids``. ``best`` is NaN where no claim qualifies.
    """
    c = with_scope(claims)
    if c.empty:
        return pd.DataFrame(columns=[*SCOPE, "low", "high", "best", "n_claims",
                                     "best_claim_id", "best_source_id", "best_claimant",
                                     "claim_ids"])
    c = c.fillna({"period_start": pd.Timestamp(0), "period_end": pd.Timestamp(0)})
    grouped = c.groupby(SCOPE, sort=True, dropna=False)
    out = grouped.agg(low=("low", "min"), high=("high", "max"), n_claims=("claim_id", "size"),
                      claim_ids=("claim_id", ";".join))
    elig = c[policy.eligible(c)]
    if policy.kind == "lowest":
        order = elig.sort_values(["low", "claim_date", "claim_id"])
        pick, value = order.drop_duplicates(SCOPE), "low"
    elif policy.kind == "highest":
        order = elig.sort_values(["high", "claim_date", "claim_id"],
                                 ascending=[False, False, True])
        pick, value = order.drop_duplicates(SCOPE), "high"
    else:
        # The most recent qualifying claim; on the same day, the lower figure.
        order = elig.sort_values(["claim_date", "low", "claim_id"],
                                 ascending=[False, True, True])
        pick, value = order.drop_duplicates(SCOPE), "low"
    best = pick.set_index(SCOPE)[[value, "claim_id", "source_id", "claimant"]]
    best.columns = ["best", "best_claim_id", "best_source_id", "best_claimant"]
    out = out.join(best, how="left").reset_index()
    return out
