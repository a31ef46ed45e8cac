"""One view's filters as one value: dates, district, event types, sources, figure policy.

A :class:`Filter` is what a command line, a link or the dashboard's widgets ask for.
It is frozen and hashable, so it keys caches (:class:`~geo.analysis.analysed.Analysis`
keeps summaries per filter) and rides with the result (:attr:`Summary.filter
<geo.analysis.summary.Summary>`), so whatever shows a summary knows how it was made.
Which incidents a filter keeps is decided here too (:meth:`Filter.keep_located`,
:meth:`Filter.keep_unresolved`): a new filter is one field, its test, and its option
in the command line (:func:`geo.cli.options.filter_options`) and the dashboard
(``ui/filters.py``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from geo.dataset.policy import Policy
from geo.errors import FilterError
from geo.io.tables import isin, split_isin

if TYPE_CHECKING:
    from geo.gazetteer.resolve import Gazetteer

__all__ = ["Filter"]


def _day(field: str, value: str | dt.date | None) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise FilterError(field, str(value), "expected a date as YYYY-MM-DD") from None


def _names(values: Iterable[str]) -> tuple[str, ...]:
    """Distinct names in a fixed order, so equal selections are equal filters."""
    return tuple(sorted({str(v) for v in values}))


@dataclasses.dataclass(frozen=True, slots=True)
class Filter:
    """Which incidents and figures a view shows, and under which figure policy.

    Every field's default keeps everything. Names in *event_types* and *sources* are
    kept distinct and sorted, so the same selection in another order is the same
    filter (and the same cache entry).

    Attributes
    ----------
    date_from, date_to : datetime.date or None
        Inclusive bounds on incident dates and area-figure periods.
    district : str or None
        Keep one district or province (its name or a variant the gazetteer knows).
    event_types : tuple of str
        Keep incidents of these event types (empty: all).
    sources : tuple of str
        Keep incidents reported by at least one of these source ids (empty: all).
    policy : Policy
        Which claim gives each figure (:class:`~geo.dataset.policy.Policy`).

    Examples
    --------
    >>> f = Filter.from_text(policy="official", district="Quetta", date_from="2026-01-31")
    >>> f.date_from, f.district, str(f.policy)
    (datetime.date(2026, 1, 31), 'Quetta', 'official')
    >>> Filter(event_types=("Riots", "Battles")) == Filter(event_types=("Battles", "Riots"))
    True
    """

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    district: str | None = None
    event_types: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    policy: Policy = Policy("lowest")

    def __post_init__(self) -> None:
        object.__setattr__(self, "event_types", _names(self.event_types))
        object.__setattr__(self, "sources", _names(self.sources))
        object.__setattr__(self, "district", (self.district or "").strip() or None)
        if self.date_from and self.date_to and self.date_to < self.date_from:
            raise FilterError("date_to", self.date_to.isoformat(),
                              f"ends before date_from {self.date_from.isoformat()}")

    @classmethod
    def from_text(cls, *, date_from: str | dt.date | None = None,
                  date_to: str | dt.date | None = None, district: str | None = None,
                  event_types: Iterable[str] = (), sources: Iterable[str] = (),
                  policy: str | Policy = "lowest") -> Filter:
        """A filter from text, as a command line or a link gives it.

        Raises
        ------
        geo.errors.FilterError
            A date that is not YYYY-MM-DD, or a range that ends before it starts.
        geo.errors.PolicyError
            A policy that is not one of :data:`~geo.dataset.policy.POLICY_HELP`.
        """
        return cls(date_from=_day("date_from", date_from), date_to=_day("date_to", date_to),
                   district=district, event_types=tuple(event_types), sources=tuple(sources),
                   policy=policy if isinstance(policy, Policy) else Policy.parse(policy))

    def replace(self, **changes: Any) -> Filter:
        """This filter with some fields changed (:func:`dataclasses.replace`)."""
        return dataclasses.replace(self, **changes)

    @property
    def window(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        """The inclusive date bounds as timestamps (open ends at the extremes)."""
        lo = pd.Timestamp(self.date_from) if self.date_from else pd.Timestamp.min
        hi = pd.Timestamp(self.date_to) if self.date_to else pd.Timestamp.max
        return lo, hi

    def unit(self, gazetteer: Gazetteer) -> tuple[str, str, str] | None:
        """The ``(level, name, pcode)`` of the district or province :attr:`district`
        names (None without one).

        Raises
        ------
        geo.errors.FilterError
            When no boundary of the gazetteer has that name.
        """
        if not self.district:
            return None
        unit = gazetteer.admin_unit(self.district)
        if unit is None:
            raise FilterError("district", self.district, "no district or province of that name")
        return unit

    def keep_located(self, incidents: pd.DataFrame, gazetteer: Gazetteer) -> np.ndarray:
        """Which located incidents (with ``district_pcode``/``province_pcode``) it keeps."""
        keep = self._keep_dates_and_kinds(incidents)
        unit = self.unit(gazetteer)
        if unit is not None:
            col = "district_pcode" if unit[0] == "district" else "province_pcode"
            keep &= (incidents[col] == unit[2]).to_numpy()
        return keep

    def keep_unresolved(self, incidents: pd.DataFrame, gazetteer: Gazetteer) -> np.ndarray:
        """Which unlocated incidents it keeps: the same dates, types and sources; with a
        district, those whose ``admin2`` (district) or ``admin1`` (province) hint names
        that unit."""
        keep = self._keep_dates_and_kinds(incidents)
        unit = self.unit(gazetteer)
        if unit is not None:
            hint = "admin2" if unit[0] == "district" else "admin1"
            codes = {h: (gazetteer.admin_unit(h) or ("", "", ""))[2]
                     for h in incidents[hint].astype(str).unique() if h}
            keep &= incidents[hint].astype(str).map(codes).eq(unit[2]).to_numpy()
        return keep

    def _keep_dates_and_kinds(self, incidents: pd.DataFrame) -> np.ndarray:
        lo, hi = self.window
        dates = incidents["event_date"]
        keep = ((dates >= lo) & (dates <= hi)).to_numpy(dtype=bool, copy=True)
        if self.event_types:
            keep &= isin(incidents["event_type"], list(self.event_types))
        if self.sources:  # reported by any of them
            keep &= split_isin(incidents["source_ids"], list(self.sources), how="any")
        return keep
