"""One report to candidate claims: every casualty figure with the sentence that states
it, who gives it, where and when, for a person to confirm.

A pure function of the text, its publication date and the gazetteer
(:func:`read_report`), so many reports can be read in parallel by any runner. A figure
is placed at the place its sentence names (the nearest, when several), else at the last
place named in its paragraph, else at the report's place while the report has named
only one. A sentence about a whole province or period ("across Balochistan", "since
January", "over 40 hours") gives area-wide totals, for the province it names or the
report's. Nothing is invented: a figure with no place and no province is kept with
neither, for the reader to place.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from geo.extraction.claimant import OUTLET, attribution, claimant_type
from geo.extraction.dates import event_date
from geo.extraction.figures import find_figures
from geo.extraction.places import (
    EVENT_WORDS,
    Mention,
    dateline_end,
    event_place,
    find_places,
)
from geo.extraction.sentences import Sentence, sentences
from geo.gazetteer.resolve import Gazetteer

__all__ = ["Candidate", "issuer", "read_report"]

# A sentence about a whole province or a period: its figures are area-wide totals.
_AREA_WIDE = re.compile(
    r"\b(?:across|throughout)\s+(?:the\s+)?(?:province|country|region|[A-Z]\w+)|"
    r"\bprovince-wide\b|\bnationwide\b|\bin the province\b|\bsince\b|this year|"
    r"\bso far\b|\bin total\b|\boverall\b|\bprovincial (?:toll|total|tally)\b|"
    r"\bcountrywide\b|\bover (?:the )?(?:past|last) \w+ (?:hours|days|weeks|months)\b|"
    r"\bover (?:nearly |about |roughly |almost )?\d+ hours\b|\b\d+-hour\b")
# A sentence that goes on with the last paragraph's events ("Militants also freed...").
_GOES_ON_PLACE = re.compile(r"\b(?:also|further|then|later|meanwhile there|there)\b",
                            re.IGNORECASE)
# Clauses that contrast: a speaker in one gives only its own figures.
_CONTRAST = re.compile(r"(?:,\s*|;\s*|\s+)(?:while|whereas|but)\s+", re.IGNORECASE)
# A sentence that goes on quoting the last speaker ("It added that...").
_GOES_ON = re.compile(r"\b(?:it|he|she|they|the statement|the spokesm[ae]n|the official)\s+"
                      r"(?:also\s+|further\s+)?(?:said|added|says|claimed|stated|told)\b",
                      re.IGNORECASE)
_RELEASE = re.compile(r"press release|handout|\bISPR\b|press directorate", re.IGNORECASE)


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


def read_report(text: str, published: dt.date, gazetteer: Gazetteer,
                mentions: list[Mention] | None = None,
                outlet: tuple[str, str] | None = None,
                sents: list[Sentence] | None = None) -> list[Candidate]:
    """Every casualty figure of a report, as a candidate claim.

    Parameters
    ----------
    text : str
        The report's text.
    published : datetime.date
        Its publication date (relative days count back from it; an earlier year in a
        sentence makes it history).
    gazetteer : Gazetteer
    mentions : list of Mention, optional
        The places named in *text* (:func:`geo.extraction.places.find_places`), when
        the caller has them already.
    outlet : (str, str), optional
        Who gives the figures nobody is quoted for, and its claimant type: the
        publisher of an official statement or a militant claim. By default the body
        that issues a press release (:func:`issuer`), else the outlet
        (:data:`~geo.extraction.claimant.OUTLET`).
    sents : list of Sentence, optional
        Its sentences (:func:`geo.extraction.sentences.sentences`), when the caller has
        them already.

    Returns
    -------
    list of Candidate
        In the order of the text.
    """
    if mentions is None:
        mentions = find_places(text, gazetteer)
    home = _home_province(text, mentions)
    outlet = outlet or issuer(text) or OUTLET
    out: list[Candidate] = []
    # Where a sentence naming no place happens: the last place named in its paragraph,
    # else the report's own place (the first its lede names, else its dateline's, else
    # the one it names most), unless the lede is about a whole province.
    last_place: dict[int, Mention] = {}
    speaker: dict[int, tuple[str, str]] = {}  # the last claimant quoted in a paragraph
    main: Mention | None = None
    lede = True  # until the first sentence that reports an event
    filed_end = dateline_end(text)
    last_date: dt.date | None = None  # the last day named so far (the dateline's first)
    for s in sents if sents is not None else sentences(text):
        named = [m for m in mentions if s.start <= m.start < s.end
                 and event_place(text, m, filed_end)]
        here = [m for m in named if m.match.kind != "province"]
        # the dateline's date is the filing day, not the event's
        day = event_date(text[max(s.start, filed_end):s.end], published)
        if day:
            last_date = day[0]
        figures = find_figures(s.text, report_year=published.year)
        who = attribution(s.text) or (
            speaker.get(s.paragraph) if _GOES_ON.search(s.text) else None) or outlet
        if who is not outlet:
            speaker[s.paragraph] = who
        wide = bool(_AREA_WIDE.search(s.text)) or (
            not here and any(m.match.kind == "province" for m in named))
        if lede and (figures or EVENT_WORDS.search(s.text)):
            lede = False
            # the lede's place, else the dateline's (a lede often names none)
            filed = [m for m in mentions if m.end <= filed_end
                     and m.match.resolved and m.match.kind != "province"]
            main = None if wide else next(iter(here or filed), None) or _dominant(
                text, mentions, filed_end)
        for f in figures:
            at = f.start + s.start
            place = (min(here, key=lambda m: abs(m.start - at)) if here
                     else None if wide else last_place.get(s.paragraph)
                     or (last_place.get(s.paragraph - 1) if _GOES_ON_PLACE.search(s.text)
                         else None) or main)
            area = ""
            if place is None:
                said = [m.match.name for m in named if m.match.kind == "province"]
                area = str(said[0] if said else home)
            # "..., while X claimed 145": X gives only the 145
            by = _clause_speaker(s.text, f.start, outlet) or who
            confidence = 0.5 + 0.2 * bool(here) + 0.15 * (by is not OUTLET) + 0.15 * bool(day)
            out.append(Candidate(
                f.category, f.value, f.value_max, f.qualifier, f.text, by[0], by[1],
                place, area, day[0] if day else last_date, s.locator,
                s.text, s.start, s.end, round(confidence, 2)))
        event = bool(figures or EVENT_WORDS.search(s.text))
        if here and event:
            last_place[s.paragraph] = here[-1]
    return out


def _clause_speaker(sentence: str, at: int, outlet: tuple[str, str]
                    ) -> tuple[str, str] | None:
    """Who gives a figure at *at* when its sentence joins clauses with "while", "but"
    or "whereas": the speaker of its own clause, else of the clauses before it; the
    *outlet* when only a later, contrasting clause has a speaker (who gives only that
    clause's figures); None when no clause has one, or the sentence has one clause."""
    cuts = [m.start() for m in _CONTRAST.finditer(sentence)]
    if not cuts:
        return None
    bounds = [0, *cuts, len(sentence)]
    mine = next(i for i in range(len(bounds) - 1) if bounds[i] <= at < bounds[i + 1])
    for i in range(mine, -1, -1):
        who = attribution(sentence[bounds[i]:bounds[i + 1]])
        if who:
            return who
    later = any(attribution(sentence[bounds[i]:bounds[i + 1]])
                for i in range(mine + 1, len(bounds) - 1))
    return outlet if later else None


def _dominant(text: str, mentions: list[Mention], filed_end: int) -> Mention | None:
    """The place a report names most, when it is at least half of the places it names
    (twice at least): the report's place when its lede names none."""
    places = [m for m in mentions if m.match.kind != "province"
              and event_place(text, m, filed_end)]
    counts = Counter(str(m.match.district or m.match.name) for m in places)
    if not counts:
        return None
    top, n = counts.most_common(1)[0]
    if n < 2 or n * 2 < len(places):
        return None
    return next(m for m in places if str(m.match.district or m.match.name) == top)


def _home_province(text: str, mentions: list[Mention]) -> str:
    """The province a report is about: the one named most, counting the provinces of
    places named where something happens, and provinces named by name twice."""
    votes: Counter[str] = Counter()
    for m in mentions:
        if not m.match.resolved or not m.match.province:
            continue
        if m.match.kind == "province":
            votes[str(m.match.name)] += 2
        else:
            around = text[max(0, m.start - 200):m.end + 200]
            votes[str(m.match.province)] += 1 if EVENT_WORDS.search(around) else 0
    if not votes or not max(votes.values()):
        votes = Counter(str(m.match.province) for m in mentions
                        if m.match.resolved and m.match.province)
    return votes.most_common(1)[0][0] if votes else ""


def issuer(text: str) -> tuple[str, str] | None:
    """The body that issues a press release (its first line, when the text says
    "press release" near the top), as a claimant; None for other reports.

    Examples
    --------
    >>> issuer("KHYBER PAKHTUNKHWA POLICE\\n\\nPRESS RELEASE\\n\\nLakki Marwat, 10 Sept")
    ('KHYBER PAKHTUNKHWA POLICE', 'police')
    >>> issuer("QUETTA - Two were killed.") is None
    True
    """
    if not _RELEASE.search(text[:400]):
        return None
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    kind = claimant_type(first)
    return (first[:120], kind) if kind != "other" else None
