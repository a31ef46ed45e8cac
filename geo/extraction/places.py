"""Place mentions in a report: every gazetteer name, alias and district name found in
the text at once (an Aho-Corasick automaton, pyahocorasick), on word boundaries,
longest first, then resolved with the report's own context.

Some place names are also English words or parts of names (Tank, Hub, Khar, Bara,
Mach). A mention counts only when it is written with a capital letter, and a name on
:data:`COMMON_WORDS` also needs a place cue before it ("in Tank", "near Hub", "Bara
district"). Places inside organisation names count ("Turbat Teaching Hospital" is in
Turbat). The report's province is the one most of its mentions resolve to; every
mention is then resolved again with it as a hint, so "Kalat" in a Balochistan report
is the Balochistan town.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import ahocorasick

from geo.gazetteer.match import Match
from geo.gazetteer.resolve import Gazetteer

__all__ = ["COMMON_WORDS", "EVENT_WORDS", "Mention", "dateline_end", "event_place", "find_places"]

COMMON_WORDS = frozenset({"tank", "hub", "khar", "bara", "mach", "gulf", "wing", "camp",
                          "chaman bazaar", "bank", "port", "bar", "dera", "kot", "mir",
                          "ali", "khan", "sui", "zhob river", "sibi road"})
"""Names that are also common words or parts of names: found only after a place cue."""

_CUE = re.compile(r"(?:\b(?:in|at|near|from|of|to|outside|around|across|district|town|"
                  r"city|tehsil|village)\s+)$", re.IGNORECASE)
_CUE_AFTER = re.compile(r"^\s+(?:district|tehsil|town|city|village|area)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Mention:
    """A place named in a report.

    Attributes
    ----------
    text : str
        As written.
    start, end : int
        Character offsets into the report's text.
    match : Match
        The gazetteer's answer, with the report's province as a hint.
    """

    text: str
    start: int
    end: int
    match: Match


def _automaton(gazetteer: Gazetteer) -> ahocorasick.Automaton:
    """Every name the gazetteer knows, lower-cased, in one automaton (built once per
    gazetteer, about 0.1 s)."""
    got: ahocorasick.Automaton | None = getattr(gazetteer, "_geo_mentions", None)
    if got is not None:
        return got
    names: set[str] = set()
    places = gazetteer.places
    for col in ("name", "ascii_name"):
        names.update(places[col].dropna().astype(str))
    for alt in places["alt_names"].dropna():  # lists of names
        names.update(str(n) for n in alt if n)
    if gazetteer.aliases is not None:
        names.update(gazetteer.aliases["alias"].dropna().astype(str))
    d = gazetteer.boundaries.districts
    names.update(d["district_name"].astype(str))
    # Provinces too, so "Khyber Pakhtunkhwa" is one name, not the district Khyber.
    names.update(gazetteer.boundaries.provinces["province_name"].astype(str))
    if "name_variants" in d:
        for v in d["name_variants"].dropna().astype(str):
            names.update(n for n in v.split("|") if n)
    auto = ahocorasick.Automaton()
    for name in names:
        key = name.strip().lower()
        if len(key) >= 3 and key.replace(" ", "").isalpha():
            auto.add_word(key, key)
    auto.make_automaton()
    gazetteer._geo_mentions = auto  # type: ignore[attr-defined]  # our own attribute
    return auto


def _spans(text: str, auto: ahocorasick.Automaton) -> list[tuple[int, int]]:
    """Non-overlapping names on word boundaries, written with a capital, longest
    first."""
    lower = text.lower()
    found = []
    for end, key in auto.iter(lower):
        start = end - len(key) + 1
        if ((start and lower[start - 1].isalnum()) or
                (end + 1 < len(lower) and lower[end + 1].isalnum())):
            continue
        if not text[start].isupper():
            continue
        if key in COMMON_WORDS and not (_CUE.search(text[max(0, start - 20):start])
                                        or _CUE_AFTER.match(text[end + 1:])):
            continue
        found.append((start, end + 1))
    found.sort(key=lambda s: (-(s[1] - s[0]), s[0]))
    taken: list[tuple[int, int]] = []
    for s in found:
        if all(s[1] <= t[0] or s[0] >= t[1] for t in taken):
            taken.append(s)
    return sorted(taken)


def find_places(text: str, gazetteer: Gazetteer) -> list[Mention]:
    """Every place named in *text*, resolved, in order.

    Parameters
    ----------
    text : str
        A report.
    gazetteer : Gazetteer

    Returns
    -------
    list of Mention
        Resolved and unresolved ones (an unresolved mention keeps the gazetteer's
        reason and suggestions).
    """
    spans = _spans(text, _automaton(gazetteer))
    first = [gazetteer.resolve(text[a:b]) for a, b in spans]
    provinces = Counter(m.province for m in first if m.resolved and m.province)
    province = provinces.most_common(1)[0][0] if provinces else None
    out = []
    for (a, b), m in zip(spans, first, strict=True):
        hinted = gazetteer.resolve(text[a:b], province=province) if province else m
        out.append(Mention(text[a:b], a, b, hinted if hinted.resolved else m))
    for a, b, strong in _cued(text, spans):  # names the gazetteer spells otherwise, or lacks
        m = gazetteer.resolve(text[a:b], province=province)
        if (m.resolved and m.kind != "province" and (strong or m.score >= _FUZZY_SCORE)
                or not m.resolved and strong and m.suggestions):
            out.append(Mention(text[a:b], a, b, m))
    return sorted(out, key=lambda m: m.start)


def _cued(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int, bool]]:
    """Capitalised names after a place cue ("in Khuzdaar", "near Killi Badal") or
    before one ("Mangochar area") that no gazetteer name covers, and whether the cue
    is strong ("near", "area", "village": surely a place). They are resolved like any
    name, so a misspelling is found by the fuzzy match; an unknown name after a strong
    cue is listed with suggestions ("in President ..." is no place to list)."""
    out = []
    for m in _CUED.finditer(text):
        a, b = m.span("name") if m["name"] else m.span("name2")
        words = text[a:b].split()
        while words and words[-1].lower() in _NOT_PLACE_WORDS:
            words.pop()
        if not words or words[0].lower() in _NOT_PLACE_WORDS:
            continue
        b = a + len(" ".join(words))
        if all(b <= t0 or a >= t1 for t0, t1 in taken):
            out.append((a, b, bool(m["name2"]) or m[0].lower().startswith("near")))
    return out


_FUZZY_SCORE = 90  # after a weak cue ("in ..."), a name resolved this surely only
_NAME = r"[A-Z][a-z]{2,}(?:[ -][A-Z][a-z]{2,}){0,2}"
_CUED = re.compile(rf"\b(?:in|near|at|outside|around|of)\s+(?P<name>{_NAME})\b(?!-)|"
                   rf"\b(?P<name2>{_NAME})\s+(?:district|town|village|area|tehsil)\b")
_NOT_PLACE_WORDS = frozenset("""
monday tuesday wednesday thursday friday saturday sunday january february march april may
june july august september october november december pakistan pakistani afghanistan
afghan iran iranian india indian china chinese the this that these those his her their
its our islamabad's hospital jail prison press club university college school camp
complex road highway market bazaar mosque station centre center department police army
corps agency authority front liberation group council assembly ministry committee force
forces government province airport port harbour zone lines office house gate district
division region regional national international civil teaching medical military
security levies frontier counter terrorism chief minister deputy commissioner officer
spokesman reuters associated afp dawn news express tribune geo wire newswire baloch
balochistan khyber sindh punjab waziristan state army's english urdu
""".split())
"""Capitalised words that do not start or end a place's name in a cue ("in Civil
Hospital", "in March", "in Pakistan")."""

# "QUETTA, March 10 (Wire) -": where the reporter files from, not the event's place.
_DATELINE = re.compile(r"\s*[A-Z][A-Z .'-]{2,40}(?:,[^-–—:\n]{0,40})?\s*(?:\([^)\n]*\))?\s*[-–—:]")
EVENT_WORDS = re.compile(
    r"\b(?:attack\w*|storm\w*|kill\w*|blast|explo\w+|clash\w*|fir(?:e|ed|ing)|operation|"
    r"assault\w*|overr[au]n|"
    r"ambush\w*|raid\w*|struck|strike|target\w*|bomb\w*|abduct\w*|kidnap\w*|wounded|"
    r"injured|died|dead|gunm[ae]n)\b", re.IGNORECASE)
"""Words of an event: a place in their sentence is where something happened."""
# A place named as someone's home, or where the wounded were taken, not the event's.
_NOT_THERE = re.compile(r"(?:resident of|native of|hailing from|belong(?:ed|ing)? to|"
                        r"hometown|home town|born in|funeral[^.]{0,40}in|(?:taken|shifted|"
                        r"rushed|referred|brought|moved|flown|transferred|airlifted)\s+to"
                        r"(?:\s+the)?|(?:km|kilomet\w*|miles?)\s+(?:\w+\s+)?(?:of|from)|"
                        r"road to|way to|towards|between|away in|stolen in|"
                        r"(?:travell?ing|headed|heading|bound) (?:to|for)|(?:family|families|"
                        r"natives?|originally|labou?rers|workers|pilgrims|hailing) from|"
                        r"\bfrom|\bfrom\s+[\w ,]{1,40}?\s+(?:and|to)|edge of|border(?:ing| with)|"
                        r"neighbouring|hospital|"
                        r"(?:received|admitted|treated) (?:at|in)(?: the)?|\w-)"
                        r"\s*(?:district\s+)?$",
                        re.IGNORECASE)
# After a place: "Islamabad-based", or a date ("Peshawar, July 23, 2025:" heads a release).
_NOT_THERE_AFTER = re.compile(
    r"-based\b|\s+(?:has|have|had|says|said|accuse\w*|blame\w*|den(?:y|ied|ies)|insist\w*|"
    r"reject\w*|should|must|is|was)\b|,?\s*(?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|"
    r"oct|nov|dec)[a-z]*\.?\s+\d", re.IGNORECASE)


def dateline_end(text: str) -> int:
    """Where a report's dateline ("QUETTA, March 10 (Wire) -", "GWADAR:") ends; 0 when
    it has none.

    Examples
    --------
    >>> dateline_end("QUETTA, March 10 (Wire) - Two died.")
    25
    >>> dateline_end("Two died in Quetta.")
    0
    """
    m = _DATELINE.match(text)
    return m.end() if m else 0


def event_place(text: str, mention: Mention, filed_end: int = 0) -> bool:
    """Whether a resolved mention can be where its sentence's event happened: not the
    dateline's place (ending by *filed_end*) or a release's heading ("Peshawar, July
    23:"), not someone's home town ("resident of Chakwal"), where the wounded were
    taken ("shifted to Quetta"), a reference point ("70 km southeast of Quetta", "on
    the road to Sibi") or an organisation's base ("an Islamabad-based group").

    Examples
    --------
    >>> from geo.gazetteer.match import Match
    >>> quetta = Match(query="Quetta", resolved=True)
    >>> text = "The jail, 70 km southeast of Quetta, was attacked."
    >>> event_place(text, Mention("Quetta", 29, 35, quetta))
    False
    >>> event_place("Militants attacked Quetta.", Mention("Quetta", 19, 25, quetta))
    True
    """
    return (mention.match.resolved and mention.end > filed_end
            and not _NOT_THERE.search(text[max(0, mention.start - 25):mention.start])
            and not _NOT_THERE_AFTER.match(text, mention.end))
