"""A dataset with its derived results computed once: located incidents, per-policy figures.

A filter change (dates, district, event types, sources) never reloads the files,
re-resolves a place name or re-joins a point to a district: :class:`Analysis` keeps
the located incidents and, per figure policy, the scope figures, and
:meth:`Analysis.summary` only filters and sums. Key a cache of analyses on
:attr:`Analysis.fingerprint` (the files' content hash), as the dashboard does, so the
same data loaded twice (a touched file, a re-upload) is analysed once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Mapping

import pandas as pd

from geo.analysis.filter import Filter
from geo.analysis.locate import Located, locate_incidents
from geo.analysis.summary import Summary, summarise
from geo.dataset.policy import Policy, scope_figures
from geo.dataset.records import Dataset
from geo.gazetteer.resolve import Gazetteer

__all__ = ["Analysis"]

SUMMARIES_KEPT = 4
"""How many recent summaries an :class:`Analysis` keeps (about 36 MB each at 100,000
incidents)."""


class Analysis:
    """One dataset, located once, with figures cached per policy and the most recent
    summaries kept (thread-safe).

    Parameters
    ----------
    dataset : Dataset
        From :func:`geo.dataset.records.read_dataset`.
    gazetteer : Gazetteer
        Resolves place names and holds the district polygons.
    located : Located, optional
        An earlier :func:`~geo.analysis.locate.locate_incidents` result (default: located now).
    figures : mapping of str to pandas.DataFrame, optional
        Scope figures computed earlier for this dataset, by policy
        (:meth:`figures_computed`; :mod:`geo.analysis.cache` keeps them on disk).

    Attributes
    ----------
    dataset, gazetteer, located
        As given (``located`` computed when not given).
    span : tuple of pandas.Timestamp
        First and last day of the data (incident dates and area-figure periods);
        ``(None, None)`` when there is none.

    Examples
    --------
    >>> from geo import Gazetteer
    >>> from geo.dataset.records import read_dataset
    >>> a = Analysis(read_dataset(), Gazetteer.load())
    >>> s = a.summary(Filter.from_text(policy="official", district="Quetta"))
    >>> a.figures(s.policy) is a.figures(s.policy)  # computed once
    True
    """

    def __init__(self, dataset: Dataset, gazetteer: Gazetteer,
                 located: Located | None = None,
                 figures: Mapping[str, pd.DataFrame] | None = None) -> None:
        self.dataset = dataset
        self.gazetteer = gazetteer
        self.located = located or locate_incidents(dataset.incidents, gazetteer)
        self._figures: dict[str, pd.DataFrame] = dict(figures or {})
        self._summaries: OrderedDict[Filter, Summary] = OrderedDict()
        self._computing: dict[Filter, threading.Lock] = {}
        self._lock = threading.Lock()
        inc, clm = dataset.incidents, dataset.claims
        dates = pd.concat([inc["event_date"], clm["period_start"], clm["period_end"]])
        dates = dates.dropna()
        self.span: tuple[pd.Timestamp | None, pd.Timestamp | None] = (
            (dates.min(), dates.max()) if len(dates) else (None, None))

    @property
    def fingerprint(self) -> str:
        """The dataset's content hash (:attr:`geo.dataset.records.Dataset.fingerprint`)."""
        return self.dataset.fingerprint

    def figures(self, policy: Policy) -> pd.DataFrame:
        """Scope figures under *policy* (:func:`geo.dataset.policy.scope_figures`), cached.

        Raises
        ------
        geo.errors.PolicyError
            When the policy names a source or claimant the dataset lacks.
        """
        key = str(policy)
        with self._lock:
            got = self._figures.get(key)
        if got is None:
            policy.check(self.dataset.claims, self.dataset.sources["source_id"])
            got = scope_figures(self.dataset.claims, policy)
            with self._lock:
                got = self._figures.setdefault(key, got)
        return got

    def figures_computed(self) -> dict[str, pd.DataFrame]:
        """The scope figures computed so far, by policy (``str(Policy)``)."""
        with self._lock:
            return dict(self._figures)

    def summary(self, view: Filter | None = None) -> Summary:
        """:func:`geo.analysis.summary.summarise` with the cached locations and figures.

        The last :data:`SUMMARIES_KEPT` summaries are kept, keyed on the filter, so a
        rerun with the same filter (a click on the map, another session's identical
        view) does not sum again; date bounds at or beyond the data's span select
        everything and count as none. The same filter asked twice at once is summed
        once. A kept summary's frames are shared: treat them as read-only. The summary
        returned carries *view* as asked.
        """
        view = view or Filter()
        key = view.replace(date_from=self._bound(view.date_from, 0),
                           date_to=self._bound(view.date_to, 1))
        with self._lock:
            gate = self._computing.setdefault(key, threading.Lock())
        with gate:  # one computation per key; the others wait for it
            with self._lock:
                hit = self._summaries.get(key)
                if hit is not None:
                    self._summaries.move_to_end(key)
            if hit is None:
                try:
                    hit = summarise(self.dataset, self.gazetteer, key, located=self.located,
                                    figures=self.figures(key.policy))
                except Exception:
                    with self._lock:
                        self._computing.pop(key, None)
                    raise
                with self._lock:
                    self._summaries[key] = hit
                    while len(self._summaries) > SUMMARIES_KEPT:
                        self._computing.pop(self._summaries.popitem(last=False)[0], None)
        return hit if hit.filter == view else dataclasses.replace(hit, filter=view)

    def _bound(self, day: dt.date | None, end: int) -> dt.date | None:
        """A date bound, or None when it keeps every day of the data (a bound at or
        beyond the span's first/last day filters nothing)."""
        edge = self.span[end]
        if day is None or edge is None:
            return day
        t = pd.Timestamp(day)
        return None if (t <= edge if end == 0 else t >= edge) else day
