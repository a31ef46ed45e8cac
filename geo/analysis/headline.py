"""The headline figure of each category, and who gives it.

One place for the words around a figure, so the dashboard's headline, ``python -m geo
summary`` and the briefing maps say the same thing: the figure (or that there is none),
who gives it, who gives the lowest and highest claims, what is located in incidents and
whether it was compared with the area-wide figure, what is not on the map, and what
militants claim (always marked, never in a sum).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.analysis.summary import Summary
from geo.dataset import categories as _categories
from geo.dataset.records import Dataset
from geo.dataset.schema import CATEGORIES, QUALIFIER_WORDS

__all__ = ["CLASS_WORDS", "Headline", "headlines"]

CLASS_WORDS = {"official": "officials", "other": "media and other sources",
               "militant": "militants"}
"""How a claimant class is named in a sentence."""

_LABELS = {c.name: c.label for c in _categories.TABLE}


def _n(v: float) -> str:
    return f"{v:,.0f}"


def _incidents(n: int) -> str:
    return f"{n:,} incident{'s' if n != 1 else ''}"


@dataclass(frozen=True)
class Headline:
    """One category's figures for the selection under the policy.

    Attributes
    ----------
    category, label : str
    best : float
        The headline figure: the area-wide figure when one covers the selection, else
        the sum of the located incidents' figures; NaN when no claim gives one.
    low, high : float
        The range of the claims behind ``best`` (militant claims apart).
    located : float
        The sum over located incidents (NaN: none has a figure).
    incidents : int
        Located incidents with a figure.
    unattributed : float
        The area figure minus the located part, when the two count the same people
        under the same claimant class; NaN otherwise.
    by, low_by, high_by : str
        Who gives ``best``, ``low`` and ``high`` ("claimant (type), source"; for a sum
        of incidents, the claimant classes).
    comparison : str
        Why the located part was or was not netted against the area figure.
    unlocated : float
        The sum over incidents not on the map (NaN: none).
    unlocated_incidents : int
    militant : float
        The highest figure only militants give (area claim or sum of incidents), NaN
        when none: never part of ``best``.
    militant_by : str
    area : str
        ``"Balochistan, 31 Jan – 1 Feb 2026"`` when ``best`` is an area figure.
    asked_for : bool
        Whether the policy asks for one source or claimant (``source:``,
        ``claimant:``): a figure only militants give is then the one shown, marked.
    qualifier : str
        How the claim giving ``best`` words it ("at least", "dozens:"), "" when
        exact or a sum of incidents.
    """

    category: str
    label: str
    best: float
    low: float = np.nan
    high: float = np.nan
    located: float = np.nan
    incidents: int = 0
    unattributed: float = np.nan
    by: str = ""
    low_by: str = ""
    high_by: str = ""
    comparison: str = ""
    unlocated: float = np.nan
    unlocated_incidents: int = 0
    militant: float = np.nan
    militant_by: str = ""
    area: str = ""
    asked_for: bool = False
    qualifier: str = ""

    @property
    def has_figure(self) -> bool:
        """Whether a non-militant claim gives the headline figure."""
        return bool(np.isfinite(self.best))

    def value(self) -> str:
        """The tile's value: ``"31"``, ``"84 (militant claim)"`` when the policy asks for
        a claimant or source and only militants give a figure, else ``"no figure"``."""
        if self.has_figure:
            return f"{self.qualifier} {_n(self.best)}".strip()
        if self.asked_for and np.isfinite(self.militant):
            return f"{_n(self.militant)} (militant claim)"
        return "no figure"

    def text(self) -> str:
        """``"31 per Chief Minister ... (government), S000; Balochistan, ..."`` or
        ``"no figure"``."""
        if not self.has_figure:
            if self.asked_for and np.isfinite(self.militant):
                return (f"{_n(self.militant)} claimed by {self.militant_by or 'militants'}: "
                        "not verified, never in a sum")
            return "no figure" + (" (only militants give one)" if np.isfinite(self.militant)
                                  else "")
        out = f"{self.qualifier} {_n(self.best)}".strip() + (f" per {self.by}" if self.by
                                                              else "")
        return out + (f"; {self.area}" if self.area else "")

    def according_to(self) -> list[str]:
        """The lines under :meth:`text`: range, located, unlocated, militant claims."""
        out = []
        if np.isfinite(self.low) and np.isfinite(self.high) and self.low != self.high:
            line = f"claims range {_n(self.low)}–{_n(self.high)}"
            who = [f"lowest {w}" for w in [self.low_by] if w] + [
                f"highest {w}" for w in [self.high_by] if w]
            out.append(line + (f" ({'; '.join(who)})" if who else ""))
        if self.area and self.incidents:
            line = f"located: {_n(self.located)} in {_incidents(self.incidents)}"
            if np.isfinite(self.unattributed):
                line += f", {_n(self.unattributed)} unattributed"
            else:
                line += f" ({self.comparison.removeprefix('not compared: ')}; not netted)"
            out.append(line)
        elif self.area and self.comparison.startswith("nothing located"):
            out.append("none of it located in an incident")
        elif not self.area and self.incidents:
            out.append(f"sum of {_incidents(self.incidents)} on the map")
        if self.unlocated_incidents:
            out.append(f"not on the map: {_n(self.unlocated)} in "
                       f"{_incidents(self.unlocated_incidents)}" if np.isfinite(self.unlocated)
                       else f"not on the map: {_incidents(self.unlocated_incidents)}")
        if np.isfinite(self.militant) and (self.has_figure or not self.asked_for):
            out.append(f"militants claim {_n(self.militant)}"
                       + (f" ({self.militant_by})" if self.militant_by else "")
                       + ": not verified, never in a sum")
        return out

    def lines(self) -> list[str]:
        """``[text(), *according_to()]``."""
        return [self.text(), *self.according_to()]

    def brief(self) -> list[str]:
        """A few short lines for a headline tile: who gives the figure, the located
        part and whether it was netted, what is off the map, what militants claim
        (:meth:`lines` says each in full)."""
        out = [f"per {self.by}"] if self.has_figure and self.by else []
        if not self.has_figure and self.asked_for and np.isfinite(self.militant):
            return [f"claimed by {self.militant_by or 'militants'}", "not verified"]
        if not self.has_figure:
            out.append("no claim gives one under this policy")
        if self.area and self.incidents:
            why = self.comparison.removeprefix("not compared: ")
            short = ("a subgroup" if "counts only" in why else "militant claims"
                     if "militant" in why else "other claimants")
            out.append(f"{_n(self.located)} located in {_incidents(self.incidents)}"
                       + (f", {_n(self.unattributed)} unattributed"
                          if np.isfinite(self.unattributed) else f"; not netted ({short})"))
        if self.unlocated_incidents:
            out.append(f"{_incidents(self.unlocated_incidents)} not on the map")
        if np.isfinite(self.militant):
            out.append(f"militants claim {_n(self.militant)} (not verified)")
        return out


def _named_claims(summary: Summary, dataset: Dataset | None) -> pd.DataFrame | None:
    """The claims the area figures name (best, lowest, highest, militants' highest),
    indexed by claim id: one pass over the claims, then look-ups by id."""
    if dataset is None:
        return None
    cols = ["best_claim_id", "low_claim_id", "high_claim_id", "militant_high_claim_id"]
    areas = summary.areas
    wanted = {str(v) for c in cols if c in areas for v in areas[c].dropna()}
    claims = dataset.claims
    ids = claims["claim_id"].astype(str)
    named = ids.isin(wanted).to_numpy()
    return claims[named].set_index(ids[named].to_numpy())


def _who(claims: pd.DataFrame | None, claim_id: object, fallback: str = "") -> str:
    """``"Baloch Liberation Army (militant), S001"`` for a claim id."""
    if claims is None or not isinstance(claim_id, str) or claim_id not in claims.index:
        return fallback
    c = claims.loc[claim_id]
    return f"{c['claimant']} ({c['claimant_type']}), {c['source_id']}"


def _classes(incidents: pd.DataFrame, category: str) -> str:
    """``"media and other sources"`` or ``"officials (1), media and other sources (3)"``."""
    klass = incidents[f"{category}_class"]
    counts = klass[klass != "militant"].value_counts()
    counts = counts[counts > 0]
    if len(counts) == 1:
        return CLASS_WORDS[str(counts.index[0])]
    return ", ".join(f"{CLASS_WORDS[str(k)]} ({v:,})" for k, v in counts.items())


def _period(start: object, end: object) -> str:
    a, b = pd.Timestamp(str(start)), pd.Timestamp(str(end))
    fmt = "%-d %b %Y"
    return a.strftime(fmt) if a == b else f"{a.strftime(fmt)} – {b.strftime(fmt)}"


def _area_part(summary: Summary, category: str, claims: pd.DataFrame | None
               ) -> dict[str, object]:
    """The headline area figure's fields (empty when several or none)."""
    areas = summary.areas
    head = areas[areas["headline"] & (areas["category"] == category)
                 & areas["total_best"].notna()] if len(areas) else areas
    mine = head[head["best_class"] != "militant"] if len(head) else head
    out: dict[str, object] = {}
    with_mil = areas[areas["headline"] & (areas["category"] == category)
                     & areas["militant_high"].notna()] if len(areas) else areas
    if len(with_mil):
        top = with_mil.sort_values("militant_high", ascending=False).iloc[0]
        out["militant"] = float(top["militant_high"])
        out["militant_by"] = _who(claims, top["militant_high_claim_id"]) + \
            f"; {top['area']}, {_period(top['period_start'], top['period_end'])}"
    if len(mine) != 1:
        return out
    a = mine.iloc[0]
    fallback = f"{a['best_claimant']}, {a['best_source_id']}"
    out.update(low=float(a["total_low"]), high=float(a["total_high"]),
               by=_who(claims, a["best_claim_id"], fallback),
               low_by=_who(claims, a["low_claim_id"]), high_by=_who(claims, a["high_claim_id"]),
               area=f"{a['area']}, {_period(a['period_start'], a['period_end'])}",
               comparison=str(a["comparison"]), qualifier=_qualifier(claims, a["best_claim_id"]))
    return out


def _qualifier(claims: pd.DataFrame | None, claim_id: object) -> str:
    """The words of a claim's qualifier ("at least"), "" for an exact figure."""
    if claims is None or not isinstance(claim_id, str) or claim_id not in claims.index:
        return ""
    return QUALIFIER_WORDS.get(str(claims.loc[claim_id, "qualifier"]), "")


def headlines(summary: Summary, categories: tuple[str, ...] = CATEGORIES,
              dataset: Dataset | None = None) -> list[Headline]:
    """The categories that have any figure (located, unlocated, area-wide or militant),
    in :data:`~geo.dataset.schema.CATEGORIES` order.

    With *dataset*, claims are named ("claimant (type), source"); without it, claim
    ids stand in where a name is needed.
    """
    claims = _named_claims(summary, dataset)
    asked_for = summary.policy.kind in ("source", "claimant")
    out = []
    for row in summary.totals.itertuples():
        cat = str(row.category)
        if cat not in categories:
            continue
        area = _area_part(summary, cat, claims)
        given = (row.located_militant_best, row.unlocated_militant_best,
                 area.get("militant", np.nan))
        militant = [float(v) for v in given if np.isfinite(float(v))]  # type: ignore[arg-type]
        numbers = [row.total_best, row.unlocated_best, *militant]
        if not any(np.isfinite(v) for v in numbers) and not row.unlocated_with_figure:
            continue  # no claim gives this category a figure in the selection
        fields: dict[str, object] = {
            "best": float(row.total_best), "located": float(row.located_best),
            "incidents": int(row.incidents_with_figure),
            "unattributed": float(row.unattributed_best),
            "unlocated": float(row.unlocated_best),
            "unlocated_incidents": int(row.unlocated_with_figure),
            "militant": max(militant) if militant else np.nan, "asked_for": asked_for}
        if "area" in area:
            fields.update(area)
            fields["militant"] = max(militant) if militant else np.nan
        elif np.isfinite(row.total_best):
            fields.update(low=float(row.located_low), high=float(row.located_high),
                          by=_classes(summary.incidents, cat))
        if "militant_by" in area and area.get("militant") == fields["militant"]:
            fields["militant_by"] = area["militant_by"]
        elif militant:
            on_map = fields["militant"] == row.located_militant_best
            n = int(row.incidents_militant_only if on_map else row.unlocated_militant_only)
            fields["militant_by"] = (f"in {_incidents(n)} "
                                     f"{'on the map' if on_map else 'not on the map'}")
        out.append(Headline(cat, _LABELS[cat], **fields))  # type: ignore[arg-type]
    return out
