"""Every claim about one incident or area, side by side, for contested-figure panels."""

from __future__ import annotations

import pandas as pd

from geo.dataset.records import Dataset
from geo.maps.symbology import CATEGORY_LABELS
from geo.textsafe import safe_url

__all__ = ["CLAIM_COLUMNS", "area_claims", "incident_claims"]

CLAIM_COLUMNS = ["category", "value", "source", "claimant", "claimant_type", "claim_date",
                 "locator", "claim_id", "link"]
"""Columns of the tables returned here. ``link`` is the source's URL when it is http(s),
else empty: a URL with any other scheme (``javascript:``, ``data:``...) is never a link."""


def _table(claims: pd.DataFrame, dataset: Dataset, extra: list[str]) -> pd.DataFrame:
    src = dataset.sources.set_index(dataset.sources["source_id"].astype(str))
    sid = claims["source_id"].astype(str)
    value = claims["value"].astype(int).astype(str)
    rng = claims["value_max"].notna()
    value[rng] = value[rng] + "–" + claims.loc[rng, "value_max"].astype(int).astype(str)
    qual = claims["qualifier"].astype(str)
    value = value.where(qual == "exact", qual.str.replace("_", " ") + " " + value)
    out = pd.DataFrame({
        **{c: claims[c].astype(object) for c in extra},
        "category": claims["category"].astype(str).map(CATEGORY_LABELS),
        "value": value,
        "source": sid + ": " + sid.map(src["publisher"].astype(str)).fillna("?"),
        "claimant": claims["claimant"].astype(str),
        "claimant_type": claims["claimant_type"].astype(str),
        "claim_date": claims["claim_date"].dt.strftime("%Y-%m-%d"),
        "locator": claims["locator"].astype(str),
        "claim_id": claims["claim_id"].astype(str),
        "link": sid.map({k: safe_url(v) for k, v in src["url"].items()}).astype(object),
    })
    return out.sort_values(["category", "claim_date", "claim_id"]).reset_index(drop=True)


def incident_claims(dataset: Dataset, incident_id: str) -> pd.DataFrame:
    """Every claim about one incident, one row each (nothing merged).

    Parameters
    ----------
    dataset : Dataset
    incident_id : str

    Returns
    -------
    pandas.DataFrame
        :data:`CLAIM_COLUMNS`; ``value`` keeps qualifiers and ranges ("at least 31",
        "20–25"); ``source`` is ``id: publisher``.
    """
    c = dataset.claims
    return _table(c[c["incident_id"] == incident_id], dataset, [])


def area_claims(dataset: Dataset) -> pd.DataFrame:
    """Every province- or district-wide claim, with its area and period."""
    c = dataset.claims
    c = c[c["incident_id"] == ""]
    c = c.assign(period=c["period_start"].dt.strftime("%Y-%m-%d") + " to "
                 + c["period_end"].dt.strftime("%Y-%m-%d"))
    return _table(c, dataset, ["area", "period"])
