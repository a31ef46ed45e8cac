"""Events a report places without a figure: "militants stormed a police station in
Kalat" is an incident for the reader to confirm even when no one was counted.

A sentence is an event's when it has words of an attack (stormed, blast, ambush,
abducted...) and names a place where it can happen (not a dateline, someone's home
town or the hospital the wounded were taken to); each such place is one event, on the
day the sentence names, else the last day named before it. A sentence about another
year than the report's is history, and so is one in the perfect tense that names no
day ("the group has carried out attacks in Karachi").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from geo.extraction.dates import event_date
from geo.extraction.figurewords import YEAR
from geo.extraction.places import Mention, dateline_end, event_place
from geo.extraction.sentences import Sentence, sentences

__all__ = ["Event", "find_events"]

_ATTACK = re.compile(
    r"\b(?:attack(?:ed|s|ing)?|storm(?:ed|ing)|struck|blast|explosion|explod(?:ed|ing)|"
    r"bomb(?:ing|ed)?|ambush(?:ed)?|raid(?:ed)?|opened fire|set (?:on )?fire|torched|"
    r"clash(?:ed|es)?|gunfight|exchange of fire|abducted|kidnapped|overran|targeted|"
    r"assault(?:ed)?|rocket|grenade|shot dead|gunned down|killed|killing)\b",
    re.IGNORECASE)
# "The group has also deployed women suicide bombers": background, unless a day is named.
_BACKGROUND = re.compile(r"\b(?:has|have)\s+(?:also\s+|long\s+|repeatedly\s+|previously\s+|"
                         r"often\s+|frequently\s+)?(?:\w+ed|seen|been|become|taken|struck)\b",
                         re.IGNORECASE)
_NOT_EVENT = re.compile(r"\b(?:would|could|might|may|will|plans? to|threat(?:en)?s?|"
                        r"warn(?:ed|s|ing)?|if)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Event:
    """An event a report places.

    Attributes
    ----------
    place : Mention
    day : datetime.date or None
    evidence : str
        The sentence.
    evidence_start, evidence_end : int
        Its offsets in the report's text.
    locator : str
        Its paragraph, ``"¶N"``.
    """

    place: Mention
    day: dt.date | None
    evidence: str
    evidence_start: int
    evidence_end: int
    locator: str


def find_events(text: str, published: dt.date, mentions: list[Mention],
                sents: list[Sentence] | None = None) -> list[Event]:
    """Every placed event of a report, in order.

    Parameters
    ----------
    text : str
    published : datetime.date
    mentions : list of Mention
        The report's place mentions (:func:`geo.extraction.places.find_places`).
    sents : list of Sentence, optional
        Its sentences, when the caller has them already.

    Returns
    -------
    list of Event
    """
    filed_end = dateline_end(text)
    out: list[Event] = []
    last_date: dt.date | None = None
    for s in sents if sents is not None else sentences(text):
        # the dateline's date is the filing day, not the event's
        day = event_date(text[max(s.start, filed_end):s.end], published)
        if day:
            last_date = day[0]
        if (not _ATTACK.search(s.text) or _NOT_EVENT.search(s.text)
                or any(int(y) < published.year for y in YEAR.findall(s.text))
                or (not day and _BACKGROUND.search(s.text))):
            continue
        for m in mentions:
            if (s.start <= m.start < s.end and m.match.kind != "province"
                    and event_place(text, m, filed_end)):
                out.append(Event(m, day[0] if day else last_date, s.text, s.start, s.end,
                                 s.locator))
    return out
