"""Who gives a sentence's figures: the attribution ("police said", "according to the
hospital", "the military's media wing said", "the BLA claimed"), mapped to the
dataset's claimant types. A sentence with no attribution is the outlet's own.
"""

from __future__ import annotations

import re

__all__ = ["OUTLET", "attribution", "claimant_type", "source_claimant"]

OUTLET = ("Reporting outlet (unattributed)", "outlet")
"""The claimant of a sentence nobody is quoted in."""

_VERBS = (r"said|says|say|show|shows|showed|told|claimed|claims|confirmed|stated|added|"
          r"announced|reported|tweeted|posted|maintained|insisted|put|estimated|asserted|"
          r"asserting|claiming")
_BEFORE = re.compile(
    rf"(?:^|[,;:\"“”]\s*|\b(?:while|as|and|but|after|when|before|since)\s+)"
    rf"(?P<who>(?:the\s+)?[A-Z\w'’.-]+"
    rf"(?:\s+[\w'’.-]+){{0,8}}?)\s+(?:had\s+|has\s+|have\s+)?(?:{_VERBS})\b",
    re.IGNORECASE)
_AFTER = re.compile(rf"\b(?:{_VERBS})\s+(?P<who>(?:the\s+)?[\w'’.-]+(?:\s+[\w'’.-]+){{0,5}}?)"
                    r"\s*(?:[.,;]|$)", re.IGNORECASE)
_ACCORDING = re.compile(r"\baccording\s+to\s+(?P<who>[^,.;]{2,80}?)\s*(?:[,.;]|$)",
                        re.IGNORECASE)
_SPEECH = re.compile(rf"\b(?:{_VERBS}|saying|statement|told)\b", re.IGNORECASE)
_SUBJECT = re.compile(r"(?:The\s+|A\s+)?[\w'’.()-]+(?:\s+[\w'’.()-]+){0,5}?(?=,|\s+(?:gave|who|"
                      r"issued|in a|on \w+day|later|also|had|has|have|said|says|told))")
_VERB_IN_SUBJECT = re.compile(r"\s+(?=[a-z]+ed\b)")
_CLAUSE = re.compile(r"\b(?:while|as|and|but|after|when|before|since|that|because)\s+",
                     re.IGNORECASE)
_TRAILING = re.compile(r"(?:\s+(?:also|later|further|then|earlier|again|had|has|have|"
                       r"itself|themselves))+$", re.IGNORECASE)
_TYPES = (
    ("militant", r"\bBLA\b|\bBLF\b|\bBRAS\b|\bTTP\b|liberation army|liberation front|"
                 r"militant|insurgent|separatist|rebel|the group\b|jeeyand|spokesm[ae]n for the"),
    ("military", r"military|\barmy\b|\bISPR\b|inter-services|media wing|security forces|"
                 r"\btroops\b|frontier corps|\bFC\b|army chief|\bforces\b"),
    ("police", r"police|\bDIG\b|\bSSP\b|\bIGP?\b|\bCTD\b|counter.terrorism department|"
               r"levies(?! officials?)"),
    ("government", r"minister|government|provincial authorities|deputy commissioner|"
                   r"commissioner|administration|ministry|spokesperson for the province|bugti"),
    ("hospital", r"hospital|doctor|medical|rescue|edhi|health official|surgeon"),
    ("official", r"official|authorit"),
    ("media", r"reuters|\bAFP\b|\bAP\b|associated press|dawn|news agency|local media|"
              r"television|\bTV\b|newspaper|channel"),
)
_TYPE = [(kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in _TYPES]
_NOT_WHO = re.compile(r"^(?:it|he|she|they|this|that|which|who|officials? also|there)$",
                      re.IGNORECASE)


def claimant_type(name: str) -> str:
    """The claimant type a name points to (``"other"`` when none does).

    Examples
    --------
    >>> [claimant_type(n) for n in ("the military's media wing", "Quetta police",
    ...  "Chief Minister Sarfraz Bugti", "the BLA", "Civil Hospital doctors", "Reuters")]
    ['military', 'police', 'government', 'militant', 'hospital', 'media']
    """
    for kind, pattern in _TYPE:
        if pattern.search(name):
            return kind
    return "other"


def source_claimant(kind: str, publisher: str) -> tuple[str, str] | None:
    """Who gives a source's unattributed figures when the source is a statement: the
    armed group of a militant claim, the body issuing an official statement; None for
    news (then it is the outlet).

    Examples
    --------
    >>> source_claimant("militant_claim", "Baloch Liberation Army")
    ('Baloch Liberation Army', 'militant')
    >>> source_claimant("official_statement", "Inter-Services Public Relations")
    ('Inter-Services Public Relations', 'military')
    >>> source_claimant("news", "Dawn") is None
    True
    """
    name = publisher or "the statement's author"
    if kind == "militant_claim":
        return name, "militant"
    if kind == "official_statement":
        got = claimant_type(name)
        return name, got if got in ("government", "military", "police") else "official"
    return None


def attribution(sentence: str) -> tuple[str, str] | None:
    """``(claimant as written, claimant type)`` of a sentence, or None when it quotes
    nobody (then the outlet gives its figures: :data:`OUTLET`).

    Examples
    --------
    >>> attribution("At least 15 soldiers were killed, police said.")
    ('police', 'police')
    >>> attribution("According to the Civil Hospital, 11 bodies were received.")
    ('the Civil Hospital', 'hospital')
    >>> attribution("The BLA claimed it had killed 84 soldiers.")
    ('The BLA', 'militant')
    >>> attribution("Eleven people were killed in Gwadar.") is None
    True
    """
    for pattern in (_ACCORDING, _AFTER, _BEFORE):
        for m in pattern.finditer(sentence):
            who = m["who"].strip(" \"“”'’.")
            if who.lower() in ("which", "who") and pattern is _BEFORE:
                # "a government handout issued on Sunday, which said": the handout
                who = " ".join(sentence[:m.start("who")].rstrip(" ,").split()[-6:])
            who = _tidy(who)
            if not who or _NOT_WHO.match(who):
                continue
            kind = claimant_type(who)
            if kind != "other" or pattern is _ACCORDING:
                return who, kind
    # "The officials, who asked not to be named, said ...", "The military's media wing
    # gave another account in a statement, saying ...": the sentence's subject speaks.
    if _SPEECH.search(sentence):
        subject = _SUBJECT.match(sentence)
        said = subject[0].strip(" ,") if subject else ""
        said = _VERB_IN_SUBJECT.split(said, maxsplit=1)[0]  # "The group targeted ..."
        if said and (kind := claimant_type(said)) != "other":
            return _tidy(said), kind
    return None


def _tidy(who: str) -> str:
    """The speaker's own words: "The Saturday attacks came a day after Pakistan's
    military" is "Pakistan's military", "The BLA also" is "The BLA".

    Examples
    --------
    >>> _tidy("The attacks came a day after Pakistan's military")
    "Pakistan's military"
    >>> _tidy("while Pakistani forces")
    'Pakistani forces'
    """
    parts = _CLAUSE.split(who)
    last = parts[-1].strip()
    who = last if last and claimant_type(last) == claimant_type(who) else who
    return _TRAILING.sub("", who).strip(" ,")
