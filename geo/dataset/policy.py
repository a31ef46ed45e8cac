"""Casualty figures as a policy, not a number.

Claims about the same thing are alternatives: the same incident, or the same admin
area and period (a *scope*), and the same category. For each scope and category this
module computes, vectorised over all claims:

* ``best``: the figure the chosen :class:`Policy` picks, and the class of its claimant
  (:data:`~geo.dataset.schema.CLAIMANT_CLASSES`: official, militant, other) and the
  claim's ``subgroup``;
* ``low`` / ``high``: the smallest and largest figure among the claims of the best
  figure's side of the line between militant and other claimants (a range claim counts
  with both ends), so a range never spans a militant claim and an official one; with
  no best figure, among the non-militant claims (missing when there are none);
* ``militant_low`` / ``militant_high``: the militants' own claims, always kept apart;
* ``n_claims``, and who gives the best, lowest and highest figures.

Policies: ``official`` (latest claim by government, military, police or unnamed
officials; militant claims never count), ``lowest`` (ACLED's conservative rule),
``highest``, ``source:ID`` and ``claimant:NAME`` (latest claim by that source, or by
that claimant name or claimant type). ``lowest`` and ``highest`` choose among the
non-militant claims and fall back on a militant claim only when nobody else gives a
figure (it is then marked as the militants'); on a tie an official claim goes before
another. When no claim qualifies, ``best`` is missing, never zero.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from geo.dataset.schema import CLAIMANT_CLASSES, OFFICIAL_CLAIMANTS
from geo.errors import PolicyError
from geo.io.tables import arrow_text

__all__ = ["CLASSES", "POLICY_HELP", "Policy", "claimant_classes", "scope_figures"]

CLASSES = ("official", "militant", "other")
"""The claimant classes, in the order of their codes (:func:`claimant_classes`)."""

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


def claimant_classes(claimant_type: pd.Series) -> np.ndarray:
    """Each claim's class as a code into :data:`CLASSES` (an unknown type: ``other``)."""
    codes, values = _codes(claimant_type)
    table = np.array([CLASSES.index(CLAIMANT_CLASSES.get(str(v), "other")) for v in values]
                     + [CLASSES.index("other")], dtype=np.int8)
    return table[np.where(codes < 0, len(values), codes)]


def _subgroups(claims: pd.DataFrame) -> tuple[np.ndarray, pd.Index]:
    """(code per claim, subgroups): most datasets have none, which needs no encoding."""
    sub = claims["subgroup"] if "subgroup" in claims else None
    if sub is None or (not isinstance(sub.dtype, pd.CategoricalDtype) and (sub == "").all()):
        return np.zeros(len(claims), dtype=np.int64), pd.Index([""], dtype=object)
    codes, values = _codes(sub)
    return codes, pd.Index(values, dtype=object)


def _policy_keys(policy: Policy, low: np.ndarray, high: np.ndarray, when: np.ndarray,
                 klass: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    militant = (klass == CLASSES.index("militant")).astype(np.int8)
    rank = np.where(klass == CLASSES.index("official"), 0, 1).astype(np.int8)
    if policy.kind == "lowest":
        return [militant, low, rank, when], low
    if policy.kind == "highest":
        return [militant, -high, rank, -when], high
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
        with ``low, high, best, best_class`` (categorical of :data:`CLASSES`),
        ``best_subgroup`` (categorical; "" for the whole category), ``militant_low,
        militant_high, n_claims, best_claim_row`` (position in *claims*, -1 when none)
        and, for area scopes, ``best_claim_id, best_source_id, best_claimant``,
        ``low_claim_id, high_claim_id, militant_high_claim_id`` and ``claim_ids``
        (``;``-joined): categoricals, missing for incident scopes. ``best`` is NaN
        where no claim qualifies; ``militant_*`` where no militant claims.
    """
    cols = [*SCOPE, "low", "high", "best", "best_class", "best_subgroup", "militant_low",
            "militant_high", "n_claims", "best_claim_row", "best_claim_id",
            "best_source_id", "best_claimant", "low_claim_id", "high_claim_id",
            "militant_high_claim_id", "claim_ids"]
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
    klass = claimant_classes(claims["claimant_type"])
    keys, value = _policy_keys(policy, low, high, when, klass)
    best_row = _pick(keys, group, policy.eligible(claims))
    ng = len(g_first)
    n_claims = np.bincount(group, minlength=ng)
    starts = np.concatenate([[0], np.cumsum(n_claims)[:-1]])
    militant = klass == CLASSES.index("militant")
    has = best_row >= 0
    best_militant = has & militant[np.maximum(best_row, 0)]
    # The range of each side of the militant line (fmin/fmax skip the other side's NaN).
    side: dict[bool, tuple[np.ndarray, np.ndarray]] = {}
    for mil in (False, True):
        keep = (militant == mil)[by_group]
        side[mil] = (np.fmin.reduceat(np.where(keep, low[by_group], np.nan), starts),
                     np.fmax.reduceat(np.where(keep, high[by_group], np.nan), starts))
    # The best figure's side; with no best figure, the non-militant claims (none: NaN).
    use_mil = best_militant

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
        "low": np.where(use_mil, side[True][0], side[False][0]),
        "high": np.where(use_mil, side[True][1], side[False][1]),
        "militant_low": side[True][0],
        "militant_high": side[True][1],
        "n_claims": n_claims,
    })
    out["best"] = np.where(has, value[np.maximum(best_row, 0)], np.nan)
    out["best_class"] = pd.Categorical.from_codes(
        np.where(has, klass[np.maximum(best_row, 0)], -1), categories=list(CLASSES))
    sub_codes, sub_values = _subgroups(claims)
    out["best_subgroup"] = pd.Categorical.from_codes(
        np.where(has, sub_codes[np.maximum(best_row, 0)], -1), categories=sub_values)
    # Every scope keeps the row of its best claim; the names are filled for area figures
    # (few, shown in summaries), not copied for a million incident scopes.
    out["best_claim_row"] = best_row
    named = has & area_first
    for col, src in (("best_claim_id", "claim_id"), ("best_source_id", "source_id"),
                     ("best_claimant", "claimant")):
        out[col] = _sparse_text(named, claims[src].iloc[best_row[named]])
    for col, row in _extreme_claims(claims, ~inc, group, low, high, militant, use_mil,
                                    ng).items():
        out[col] = _sparse_text(row >= 0, claims["claim_id"].iloc[row[row >= 0]])
    # Per area scope, its claim ids joined (in claim order): one sort, no groupby.
    area_rows = np.flatnonzero(~inc)
    where = np.zeros(ng, dtype=bool)
    joined: list[str] = []
    if len(area_rows):
        g = group[area_rows]
        order = np.argsort(g, kind="stable")
        ids = claims["claim_id"].iloc[area_rows[order]].astype(str).to_numpy(dtype=object)
        g = g[order]
        cuts = np.flatnonzero(g[1:] != g[:-1]) + 1
        where[g[np.r_[0, cuts]]] = True  # groups in ascending order, as where's rows
        joined = [";".join(part) for part in np.split(ids, cuts)]
    out["claim_ids"] = _sparse_text(where, pd.Series(joined, dtype=object))
    return out[cols]


def _sparse_text(where: np.ndarray, values: pd.Series) -> pd.Categorical:
    """A text column set only at *where* (area scopes, few), missing elsewhere: a
    categorical, so a million incident scopes cost an integer each, not an object."""
    uniques, inverse = np.unique(values.astype(str).to_numpy(dtype=object),
                                 return_inverse=True)
    codes = np.full(len(where), -1, dtype=np.int32)
    codes[where] = inverse
    return pd.Categorical.from_codes(codes, categories=pd.Index(uniques, dtype=object))


def _extreme_claims(claims: pd.DataFrame, area: np.ndarray, group: np.ndarray,
                    low: np.ndarray, high: np.ndarray, militant: np.ndarray,
                    use_mil: np.ndarray, ng: int) -> dict[str, np.ndarray]:
    """Per area scope, the row of the claim giving ``low``, ``high`` and
    ``militant_high`` (-1: none or not an area). Areas are few: a small pandas sort."""
    out = {name: np.full(ng, -1, dtype=np.int64)
           for name in ("low_claim_id", "high_claim_id", "militant_high_claim_id")}
    rows = np.flatnonzero(area)
    if not len(rows):
        return out
    g = group[rows]
    frame = pd.DataFrame({"g": g, "row": rows, "low": low[rows], "high": high[rows],
                          "mil": militant[rows], "side": militant[rows] == use_mil[g]})
    mine = frame[frame["side"]]
    first_low = mine.sort_values(["low", "row"]).drop_duplicates("g")
    first_high = mine.sort_values(["high", "row"], ascending=[False, True]).drop_duplicates("g")
    mil = frame[frame["mil"]].sort_values(["high", "row"], ascending=[False, True]
                                          ).drop_duplicates("g")
    for name, part in (("low_claim_id", first_low), ("high_claim_id", first_high),
                       ("militant_high_claim_id", mil)):
        out[name][part["g"].to_numpy()] = part["row"].to_numpy()
    return out
