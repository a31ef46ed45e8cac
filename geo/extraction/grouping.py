"""Candidate claims to dataset rows: one source for the report, an incident per place
and day it reports, and claims attached to them or, for province-wide totals, to the
area and the period they cover.

The rows are text tables in the dataset format (:data:`geo.dataset.schema.SCHEMAS`),
each with the extra columns that say how it was found: ``confidence`` (0-1),
``evidence`` (the sentence), ``evidence_start`` / ``evidence_end`` (offsets into the
report's text) and ``extracted_by``. Ids are made from a fingerprint of the text, so
the same report always gives the same rows, and a report already in a dataset is
recognised (:mod:`geo.extraction.merge`).

An incident's event type is read from words in its sentences (a blast or suicide bomb:
*Explosions/Remote violence*; an abduction or gunmen killing only civilians: *Violence
against civilians*; otherwise *Battles*), for the reader to confirm like everything
else. A figure with neither a place nor a province is not written: it is listed as
unplaced, with its sentence.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from geo.dataset.schema import SCHEMAS
from geo.extraction.dates import period
from geo.extraction.events import Event
from geo.extraction.places import Mention
from geo.extraction.report import Candidate
from geo.gazetteer.match import Match

__all__ = ["EXTRACTED_BY", "EXTRA_COLUMNS", "Extraction", "fingerprint", "group_report"]

EXTRACTED_BY = "geo-extract 1"
"""The pipeline's name and version, in every extracted row's ``extracted_by``."""
EXTRA_COLUMNS = ("confidence", "evidence", "evidence_start", "evidence_end", "extracted_by")
"""Columns every extracted incident and claim carries besides the schema's."""

_BLAST = re.compile(r"\b(?:blast|bomb\w*|explo\w+|IED|grenade|suicide|rocket|mortar|"
                    r"drone|landmine|mine)\b", re.IGNORECASE)
_ONE_SIDED = re.compile(r"\b(?:abduct\w*|kidnap\w*|hostage|massacre\w*|executed|"
                        r"offloaded|shot dead)\b", re.IGNORECASE)
_SUB_TYPES = (  # the first whose words occur, within the event type; else the last
    ("Explosions/Remote violence", (
        ("Suicide bomb", r"suicide"), ("Grenade", r"grenade"),
        ("Air/drone strike", r"drone|air ?strike"),
        ("Shelling/artillery/missile attack", r"rocket|mortar|shell(?:ing|ed)|missile"),
        ("Remote explosive/landmine/IED", r""))),
    ("Violence against civilians", (
        ("Abduction/forced disappearance", r"abduct|kidnap|hostage"), ("Attack", r""))),
    ("Battles", (("Armed clash", r""),)),
)


@dataclass(frozen=True)
class Extraction:
    """One report as dataset rows.

    Attributes
    ----------
    source : dict of str
        The report's row of ``sources`` (with ``text_sha256``).
    incidents, claims : pandas.DataFrame
        Text tables in the dataset's columns plus :data:`EXTRA_COLUMNS`.
    unplaced : tuple of Candidate
        Figures with no place and no province: not written, listed for the reader.
    unresolved : tuple of Mention
        Place names the gazetteer could not resolve (with its suggestions).
    """

    source: dict[str, str]
    incidents: pd.DataFrame
    claims: pd.DataFrame
    unplaced: tuple[Candidate, ...]
    unresolved: tuple[Mention, ...]


def fingerprint(text: str) -> str:
    """SHA-256 of a report's words, lower case, whitespace collapsed: the same report
    saved twice (other line breaks or spacing) has the same fingerprint.

    Examples
    --------
    >>> fingerprint("Two  killed\\nin Quetta.") == fingerprint("two killed in quetta.")
    True
    """
    return hashlib.sha256(" ".join(text.lower().split()).encode()).hexdigest()


def event_type(sentences: Sequence[str], categories: Sequence[str]) -> str:
    """The ACLED event type the words of an incident's sentences point to.

    Examples
    --------
    >>> event_type(["A suicide bomber struck a checkpoint."], ["killed_security_forces"])
    'Explosions/Remote violence'
    >>> event_type(["Gunmen killed five labourers."], ["killed_civilians"])
    'Violence against civilians'
    >>> event_type(["Militants stormed the camp; six attackers died."], ["killed_militants"])
    'Battles'
    """
    words = " ".join(sentences)
    if _BLAST.search(words):
        return "Explosions/Remote violence"
    sides = {c for c in categories if c.startswith("killed_")}
    if _ONE_SIDED.search(words) or (sides and sides <= {"killed_civilians"}):
        return "Violence against civilians"
    return "Battles"


def sub_event_type(kind: str, sentences: Sequence[str]) -> str:
    """The ACLED sub-event type of an event of type *kind* its words point to.

    Examples
    --------
    >>> sub_event_type("Explosions/Remote violence", ["A grenade hit a police van."])
    'Grenade'
    >>> sub_event_type("Violence against civilians", ["Gunmen shot dead two labourers."])
    'Attack'
    """
    words = " ".join(sentences)
    subs = dict(_SUB_TYPES)[kind]
    return next(sub for sub, pattern in subs
                if not pattern or re.search(pattern, words, re.IGNORECASE))


def _extra(c: Candidate) -> dict[str, str]:
    return {"confidence": f"{c.confidence:.2f}", "evidence": c.evidence,
            "evidence_start": str(c.evidence_start), "evidence_end": str(c.evidence_end),
            "extracted_by": EXTRACTED_BY}


def _incident(incident_id: str, day: dt.date, dated: bool, place: str, m: Match,
              said: list[str], kind: str, description: str, source_id: str,
              extra: dict[str, str]) -> dict[str, str]:
    """An incident's row: at *place* (resolved as *m*) on *day* (ACLED time precision 1
    when the report dates it, else 2), its event type *kind* and sub-type from *said*."""
    return {"incident_id": incident_id, "event_date": day.isoformat(),
            "time_precision": "1" if dated else "2", "location": place,
            "admin1": str(m.province or ""), "admin2": str(m.district or ""),
            "latitude": "", "longitude": "", "geo_precision": "", "event_type": kind,
            "sub_event_type": sub_event_type(kind, said), "actor1": "", "actor2": "",
            "target_type": "", "description": description, "source_ids": source_id,
            "operation_id": "", **extra}


def _claim(c: Candidate, claim_id: str, source_id: str, published: dt.date,
           incident_id: str = "", area: str = "", span: tuple[dt.date, dt.date] | None = None
           ) -> dict[str, str]:
    return {"claim_id": claim_id, "incident_id": incident_id, "area": area,
            "period_start": span[0].isoformat() if span else "",
            "period_end": span[1].isoformat() if span else "",
            "source_id": source_id, "claimant": c.claimant, "claimant_type": c.claimant_type,
            "category": c.category, "value": str(c.value),
            "value_max": "" if c.value_max is None else str(c.value_max),
            "qualifier": c.qualifier, "value_text": c.value_text,
            "claim_date": published.isoformat(), "locator": c.locator, **_extra(c)}


def group_report(candidates: Sequence[Candidate], mentions: Sequence[Mention], *,
                 text: str, published: dt.date, title: str = "", publisher: str = "",
                 url: str = "", kind: str = "news", name: str = "",
                 events: Sequence[Event] = ()) -> Extraction:
    """Dataset rows for one report's candidates (:func:`geo.extraction.report.read_report`).

    Parameters
    ----------
    candidates : sequence of Candidate
    mentions : sequence of Mention
        The report's place mentions (for the unresolved ones).
    events : sequence of Event
        Placed events (:func:`geo.extraction.events.find_events`): those at a place
        and day no figure is about become incidents with no claims.
    text : str
        The report's text (its fingerprint makes the ids).
    published : datetime.date
    title, publisher, url, kind, name : str
        The source's row; *name* (a file name) stands in for a missing title.

    Returns
    -------
    Extraction
    """
    sha = fingerprint(text)
    source_id = f"R{sha[:10]}"
    source = {"source_id": source_id, "publisher": publisher or "Not named",
              "title": title or name or "Untitled report", "published": published.isoformat(),
              "url": url, "kind": kind, "text_sha256": sha, "extracted_by": EXTRACTED_BY}
    # An event the report dates nowhere before it: the first day the report names in
    # the week before publication (its news), else the publication day.
    named = [d for d in [*(c.event_date for c in candidates), *(e.day for e in events)]
             if d is not None and published - dt.timedelta(days=7) <= d <= published]
    undated = min(named, default=published)
    groups: dict[tuple[str, str, dt.date], list[Candidate]] = {}
    areas: list[Candidate] = []
    unplaced: list[Candidate] = []
    for c in candidates:
        if c.place is not None:
            m = c.place.match
            key = (str(m.name), str(m.district or ""), c.event_date or undated)
            groups.setdefault(key, []).append(c)
        elif c.area:
            areas.append(c)
        else:
            unplaced.append(c)
    incidents: list[dict[str, str]] = []
    claims: list[dict[str, str]] = []
    seen: set[tuple[object, ...]] = set()
    bare: dict[tuple[str, str, dt.date], Event] = {}
    for e in events:
        key = (str(e.place.match.name), str(e.place.match.district or ""), e.day or undated)
        if key not in groups:
            bare.setdefault(key, e)
    for (place, _district, day), members in groups.items():
        incident_id = f"{source_id}-I{len(incidents) + 1:02d}"
        m = members[0].place.match  # type: ignore[union-attr]  # grouped by place
        said = [c.evidence for c in members]
        kind_ = event_type(said, [c.category for c in members])
        best = max(members, key=lambda c: c.confidence)
        incidents.append(_incident(
            incident_id, day, bool(members[0].event_date), place, m, said, kind_,
            f"Extracted from {name or 'a report'}: {best.evidence}", source_id,
            _extra(best)))
        for c in members:
            key2 = (incident_id, c.category, c.value, c.qualifier, c.claimant_type)
            if key2 not in seen:
                seen.add(key2)
                claims.append(_claim(c, "", source_id, published, incident_id=incident_id))
    for (place, _district, day), e in bare.items():
        said = [e.evidence]
        incidents.append(_incident(
            f"{source_id}-I{len(incidents) + 1:02d}", day, bool(e.day), place,
            e.place.match, said, event_type(said, []),
            f"Extracted from {name or 'a report'} (no figure given): {e.evidence}",
            source_id, {"confidence": "0.40", "evidence": e.evidence,
                        "evidence_start": str(e.evidence_start),
                        "evidence_end": str(e.evidence_end), "extracted_by": EXTRACTED_BY}))
    for c in areas:
        span = period(c.evidence, published, c.event_date)
        key2 = (c.area, c.category, c.value, c.qualifier, c.claimant_type)
        if key2 not in seen:
            seen.add(key2)
            claims.append(_claim(c, "", source_id, published, area=c.area, span=span))
    for i, row in enumerate(claims, start=1):
        row["claim_id"] = f"{source_id}-C{i:03d}"
    unresolved = tuple(m for m in mentions if not m.match.resolved)
    return Extraction(source, _frame(incidents, "incidents"), _frame(claims, "claims"),
                      tuple(unplaced), unresolved)


def _frame(rows: list[dict[str, str]], table: str) -> pd.DataFrame:
    columns = [*SCHEMAS[table], *EXTRA_COLUMNS]
    return pd.DataFrame(rows, columns=columns, dtype=str).fillna("")
