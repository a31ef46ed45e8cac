"""When a sentence's event happened: a weekday ("on Monday evening", "late on
Saturday", "Tuesday night"), a relative day ("yesterday", "a day earlier"), or a date
("January 31", "31 Jan"), read against the report's publication date, with the
ACLED time precision (1: the day).

Written here rather than with dateparser: news counts a weekday within the week
before publication *including the day itself* ("on Sunday" in a Sunday paper is that
day), which dateparser's past preference skips to the week before, and dateparser
takes about 2.5 s to load its language data; the expressions news uses for the last
week are few.
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["event_date", "period"]

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december"]
_MONTH = (r"(?P<month>" + "|".join(m[:3] + r"(?:" + m[3:] + r")?\.?" for m in _MONTHS)
          + r"|sept\.?)(?![a-z])")  # not "separate"
_DATE = re.compile(rf"\b(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}|"
                   rf"{_MONTH.replace('month', 'month2')}\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b)"
                   r"(?:,?\s+(?P<year>(?:19|20)\d\d))?", re.IGNORECASE)
_WEEKDAY = re.compile(r"\b(?:on\s+|late\s+on\s+|early\s+on\s+|last\s+)?(?P<day>"
                      + "|".join(_WEEKDAYS) + r")\b", re.IGNORECASE)
_RELATIVE = re.compile(r"\b(?P<rel>yesterday|today|this morning|tonight|last night|"
                       r"a day earlier|the day before|the previous day|earlier today)\b",
                       re.IGNORECASE)
_SINCE = re.compile(rf"\bsince\s+(?:(?P<start>the (?:start|beginning) of (?:the|this) year)|"
                    rf"(?P<d>(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?{_MONTH}(?:\s+\d{{1,2}})?))",
                    re.IGNORECASE)
_CALENDAR = re.compile(rf"\bthis\s+(?P<unit>month|week)\b|\b(?:in|during|throughout)\s+{_MONTH}"
                       r"(?!\s+\d)", re.IGNORECASE)
_SPAN = re.compile(r"\b(?:over|in|within|during|for|past|last)\s+(?:the\s+)?(?:past\s+|last\s+)?"
                   r"(?:nearly\s+|roughly\s+|about\s+|almost\s+|some\s+)?"
                   r"(?P<n>\d{1,3})[\s-]+(?P<unit>hours?|days?)\b|"
                   r"\b(?P<n2>\d{1,3})-(?P<unit2>hour|day)\b", re.IGNORECASE)
_SAID_BEFORE = re.compile(
    r"\b(?:said|says|told [\w ]{1,25}?|stated|announced|added|statement|conference|briefing|"
    r"confirmed|claimed|reported|issued|speaking)\s+(?:late\s+|early\s+)?$", re.IGNORECASE)
_SAID_AFTER = re.compile(r"\s*(?:morning|afternoon|evening|night)?\s*,?\s*(?:said|told|"
                         r"stated|announced|confirmed|claimed)\b", re.IGNORECASE)
_BACK = {"yesterday": 1, "last night": 1, "a day earlier": 1, "the day before": 1,
         "the previous day": 1}


def _month(name: str) -> int:
    return next(i for i, m in enumerate(_MONTHS, start=1) if m.startswith(name[:3].lower()))


def _first(pattern: re.Pattern[str], sentence: str) -> re.Match[str] | None:
    """The first match that dates the event, not the day something was said ("said on
    Sunday", "on Sunday said", "in a statement on Sunday")."""
    for m in pattern.finditer(sentence):
        if not (_SAID_BEFORE.search(sentence[max(0, m.start() - 40):m.start()])
                or _SAID_AFTER.match(sentence, m.end())):
            return m
    return None


def event_date(sentence: str, published: dt.date) -> tuple[dt.date, int] | None:
    """The day a sentence dates its event to, and the time precision (1), or None when
    it names no day.

    Parameters
    ----------
    sentence : str
        One sentence of the report.
    published : datetime.date
        The report's publication date: weekdays and relative days count back from it.

    Returns
    -------
    (datetime.date, int) or None

    Examples
    --------
    >>> sunday = dt.date(2026, 2, 1)
    >>> event_date("Militants attacked late on Saturday.", sunday)
    (datetime.date(2026, 1, 31), 1)
    >>> event_date("Three died on Sunday morning, police said.", sunday)
    (datetime.date(2026, 2, 1), 1)
    >>> event_date("On January 30, 41 militants were killed.", sunday)
    (datetime.date(2026, 1, 30), 1)
    >>> event_date("The attack came a day earlier.", sunday)
    (datetime.date(2026, 1, 31), 1)
    """
    m = _first(_DATE, sentence)
    if m:
        day = int(m["d1"] or m["d2"])
        month = _month(m["month"] or m["month2"])
        year = int(m["year"]) if m["year"] else published.year
        try:
            found = dt.date(year, month, day)
        except ValueError:
            return None
        if not m["year"] and found > published:  # "December 30" in a January report
            found = found.replace(year=year - 1)
        return found, 1
    m = _first(_WEEKDAY, sentence)
    if m:
        back = (published.weekday() - _WEEKDAYS.index(m["day"].lower())) % 7
        return published - dt.timedelta(days=back), 1
    m = _first(_RELATIVE, sentence)
    if m:
        return published - dt.timedelta(days=_BACK.get(m["rel"].lower(), 0)), 1
    return None


def period(sentence: str, published: dt.date, day: dt.date | None = None
           ) -> tuple[dt.date, dt.date]:
    """The days an area-wide total covers: from "since January 1", "this month",
    "this week" or "over 40 hours" (whole days back from its end), or a month ("in
    March") to the day the sentence dates it (*day*), else to
    the publication date; a single day when the sentence names no span.

    Examples
    --------
    >>> sunday = dt.date(2026, 2, 1)
    >>> period("145 militants were killed over roughly 40 hours.", sunday)
    (datetime.date(2026, 1, 30), datetime.date(2026, 2, 1))
    >>> period("Since January 1, 112 militants have been killed.", dt.date(2026, 3, 9))
    (datetime.date(2026, 1, 1), datetime.date(2026, 3, 9))
    >>> period("Across Balochistan, 40 were killed in January.", sunday)
    (datetime.date(2026, 1, 1), datetime.date(2026, 1, 31))
    >>> period("92 militants were killed on Saturday.", sunday, dt.date(2026, 1, 31))
    (datetime.date(2026, 1, 31), datetime.date(2026, 1, 31))
    """
    end = day or published
    m = _SINCE.search(sentence)
    if m:  # up to the report: the day the sentence names is the span's start
        if m["start"]:
            return dt.date(published.year, 1, 1), published
        got = event_date(m["d"], published)
        return (got[0], published) if got else (published, published)
    m = _CALENDAR.search(sentence)
    if m:  # "this month", "this week", "in March"
        if m["unit"]:
            back = end.day - 1 if m["unit"].lower() == "month" else end.weekday()
            return end - dt.timedelta(days=back), end
        month = _month(m["month"])
        year = end.year if month <= end.month else end.year - 1
        first = dt.date(year, month, 1)
        last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))
        return first, min(last, end)
    m = _SPAN.search(sentence)
    if m:
        n, unit = int(m["n"] or m["n2"]), (m["unit"] or m["unit2"]).lower()
        days = -(-n // 24) if unit.startswith("hour") else n - 1
        return end - dt.timedelta(days=max(days, 0)), end
    return end, end
