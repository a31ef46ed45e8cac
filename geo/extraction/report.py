"""One report to candidate claims: every casualty figure with the sentence that states
it, who gives it, where and when, for a person to confirm.

A pure function of the text, its publication date and the gazetteer
(:func:`read_report`), so many reports can be read in parallel by any runner. Nothing
is invented: a figure whose sentence and paragraph name no place is an area-wide
claim when the sentence names a province ("across Balochistan"), else it is kept
with no place, for the reader to place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from geo.extraction.claimant import OUTLET, attribution
from geo.extraction.dates import event_date
from geo.extraction.figures import find_figures
from geo.extraction.places import Mention, find_places
from geo.extraction.sentences import sentences
from geo.gazetteer.resolve import Gazetteer

__all__ = ["Candidate", "read_report"]


@dataclass(frozen=True)
class Candidate:
    """A candidate claim found in a report.

    Attributes
    ----------
    category, value, value_max, qualifier, value_text
        The figure as stated (see :class:`geo.extraction.figures.Figure`).
    claimant, claimant_type : str
        Who gives it (the outlet when nobody is quoted).
    place : Mention or None
        Where: a resolved place named in the sentence, or earlier in its paragraph;
        None for an area-wide claim or an unplaced figure.
    area : str
        The province of an area-wide claim, else ``""``.
    event_date : datetime.date or None
        The day the sentence names, else the last day named before it in the report
        (the dateline's, at first), else None.
    locator : str
        The paragraph, ``"¶N"``.
    evidence : str
        The sentence.
    evidence_start, evidence_end : int
        The sentence's offsets in the report's text.
    confidence : float
        0-1: how much of the claim the sentence itself states.
    """

    category: str
    value: int
    value_max: int | None
    qualifier: str
    value_text: str
    claimant: str
    claimant_type: str
    place: Mention | None
    area: str
    event_date: dt.date | None
    locator: str
    evidence: str
    evidence_start: int
    evidence_end: int
    confidence: float


def read_report(text: str, published: dt.date, gazetteer: Gazetteer) -> list[Candidate]:
    """Every casualty figure of a report, as a candidate claim.

    Parameters
    ----------
    text : str
        The report's text.
    published : datetime.date
        Its publication date (relative days count back from it; an earlier year in a
        sentence makes it history).
    gazetteer : Gazetteer

    Returns
    -------
    list of Candidate
        In the order of the text.
    """
    mentions = find_places(text, gazetteer)
    provinces = {str(m.match.name) for m in mentions if m.match.resolved
                 and m.match.kind == "province"}
    out: list[Candidate] = []
    last_place: dict[int, Mention] = {}  # paragraph -> last resolved place named so far
    last_date: dt.date | None = None  # the last day named so far (the dateline's first)
    for s in sentences(text):
        here = [m for m in mentions if s.start <= m.start < s.end and m.match.resolved
                and m.match.kind != "province"]
        day = event_date(s.text, published)
        if day:
            last_date = day[0]
        figures = find_figures(s.text, report_year=published.year)
        who = attribution(s.text) or OUTLET
        for f in figures:
            at = f.start + s.start
            place = min(here, key=lambda m: abs(m.start - at)) if here else last_place.get(
                s.paragraph)
            area = ""
            if place is None:
                named = [m.match.name for m in mentions if s.start <= m.start < s.end
                         and m.match.resolved and m.match.kind == "province"]
                only = next(iter(provinces)) if len(provinces) == 1 else ""
                area = str(named[0] if named else only or "")
            confidence = 0.5 + 0.2 * bool(here) + 0.15 * (who is not OUTLET) + 0.15 * bool(day)
            out.append(Candidate(
                f.category, f.value, f.value_max, f.qualifier, f.text, who[0], who[1],
                place, area, day[0] if day else last_date, s.locator,
                s.text, s.start, s.end, round(confidence, 2)))
        if here:
            last_place[s.paragraph] = here[-1]
    return out
