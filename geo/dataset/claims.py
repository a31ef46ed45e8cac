"""Every claim about one incident or area, side by side, for contested-figure panels."""

from __future__ import annotations

import pandas as pd

from geo.dataset import categories
from geo.dataset.records import Dataset
from geo.dataset.schema import QUALIFIER_WORDS
from geo.textsafe import safe_url

__all__ = ["CLAIM_COLUMNS", "area_claims", "incident_claims"]

CLAIM_COLUMNS = ["category", "value", "value_text", "source", "claimant", "claimant_type",
                 "claim_date", "locator", "note", "subgroup", "publisher", "title",
                 "claim_id", "link"]
"""Columns of the tables returned here, all text, never missing (``""`` when there is
nothing to say):

* ``category``: the category's label ("Civilians killed");
* ``value``: the figure with its qualifier or range ("at least 31", "20–25");
* ``value_text``: the words the source uses ("31 civilians"), may be empty;
* ``source``: ``id: publisher``; ``publisher`` and ``title``: the source's, from
  ``sources.csv``;
* ``claimant``, ``claimant_type``, ``claim_date`` (YYYY-MM-DD), ``locator``,
  ``note``, ``subgroup`` (who alone the figure counts; empty when the dataset has no
  such column), ``claim_id``;
* ``link``: the source's URL when it is http(s), else ``""``: a URL with any other
  scheme (``javascript:``, ``data:``...) is never a link."""

_LABELS = {c.name: c.label for c in categories.TABLE}
_ORDER = {c.name: i for i, c in enumerate(categories.TABLE)}


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    """A text column with ``""`` for missing cells, or all ``""`` when it is absent."""
    if column not in frame.columns:
        return pd.Series("", index=frame.index, dtype=object)
    col = frame[column].astype(object)
    return col.where(col.notna(), "").astype(str)


def _day(dates: pd.Series) -> pd.Series:
    return dates.dt.strftime("%Y-%m-%d").astype(object).fillna("")


def _table(claims: pd.DataFrame, dataset: Dataset, extra: list[str]) -> pd.DataFrame:
    src = dataset.sources.set_index(dataset.sources["source_id"].astype(str))
    sid = claims["source_id"].astype(str)
    value = claims["value"].astype(int).astype(str)
    rng = claims["value_max"].notna()
    value[rng] = value[rng] + "–" + claims.loc[rng, "value_max"].astype(int).astype(str)
    qual = claims["qualifier"].astype(str)
    value = value.where(qual.isin(["exact", "range"]),
                        qual.map(QUALIFIER_WORDS).fillna(qual) + " " + value)
    publisher = sid.map(_text(src, "publisher"))
    links = {k: safe_url(v) or "" for k, v in _text(src, "url").items()}
    category = claims["category"].astype(str)
    out = pd.DataFrame({
        **{c: claims[c] for c in extra},
        "category": category.map(_LABELS).fillna(category),
        "value": value,
        "value_text": _text(claims, "value_text"),
        "source": sid + ": " + publisher.fillna("?"),
        "claimant": _text(claims, "claimant"),
        "claimant_type": _text(claims, "claimant_type"),
        "claim_date": _day(claims["claim_date"]),
        "locator": _text(claims, "locator"),
        "note": _text(claims, "note"),
        "subgroup": _text(claims, "subgroup"),
        "publisher": publisher.fillna(""),
        "title": sid.map(_text(src, "title")).fillna(""),
        "claim_id": claims["claim_id"].astype(str),
        "link": sid.map(links).fillna(""),
    })
    order = pd.DataFrame({"rank": category.map(_ORDER).fillna(len(_ORDER)).to_numpy(),
                          "date": out["claim_date"].to_numpy(),
                          "id": out["claim_id"].to_numpy()})  # positions as index
    out = out.iloc[order.sort_values(["rank", "date", "id"]).index].reset_index(drop=True)
    return out.astype(str)


def incident_claims(dataset: Dataset, incident_id: str) -> pd.DataFrame:
    """Every claim about one incident, one row each (nothing merged).

    Parameters
    ----------
    dataset : Dataset
    incident_id : str

    Returns
    -------
    pandas.DataFrame
        :data:`CLAIM_COLUMNS`, in the order of :data:`geo.dataset.categories.TABLE`,
        then by claim date and claim id. ``value`` keeps qualifiers and ranges ("at
        least 31", "20–25"); ``source`` is ``id: publisher``; text cells are ``""``,
        never missing, when there is nothing to say (``link`` when the source has no
        http(s) URL).
    """
    c = dataset.claims
    return _table(c[c["incident_id"] == incident_id], dataset, [])


def area_claims(dataset: Dataset) -> pd.DataFrame:
    """Every province- or district-wide claim (no incident), with its area and period.

    Parameters
    ----------
    dataset : Dataset

    Returns
    -------
    pandas.DataFrame
        ``area``, ``period`` (``"YYYY-MM-DD to YYYY-MM-DD"``, the same day twice for
        one day), then :data:`CLAIM_COLUMNS`, in the order of
        :func:`incident_claims`.
    """
    c = dataset.claims
    c = c[c["incident_id"] == ""]
    c = c.assign(area=_text(c, "area"),
                 period=_day(c["period_start"]) + " to " + _day(c["period_end"]))
    return _table(c, dataset, ["area", "period"])
