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

__all__ = ["event_date"]

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december"]
_MONTH = r"(?P<month>" + "|".join(m[:3] + r"(?:" + m[3:] + r")?\.?" for m in _MONTHS) + ")"
_DATE = re.compile(rf"\b(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}|"
                   rf"{_MONTH.replace('month', 'month2')}\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b)"
                   r"(?:,?\s+(?P<year>(?:19|20)\d\d))?", re.IGNORECASE)
_WEEKDAY = re.compile(r"\b(?:on\s+|late\s+on\s+|early\s+on\s+|last\s+)?(?P<day>"
                      + "|".join(_WEEKDAYS) + r")\b", re.IGNORECASE)
_RELATIVE = re.compile(r"\b(?P<rel>yesterday|today|this morning|tonight|last night|"
                       r"a day earlier|the day before|the previous day|earlier today)\b",
                       re.IGNORECASE)
_BACK = {"yesterday": 1, "last night": 1, "a day earlier": 1, "the day before": 1,
         "the previous day": 1}


def _month(name: str) -> int:
    return next(i for i, m in enumerate(_MONTHS, start=1) if m.startswith(name[:3].lower()))


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
    >>> event_date("Police said on Sunday morning that 3 died.", sunday)
    (datetime.date(2026, 2, 1), 1)
    >>> event_date("On January 30, 41 militants were killed.", sunday)
    (datetime.date(2026, 1, 30), 1)
    >>> event_date("The attack came a day earlier.", sunday)
    (datetime.date(2026, 1, 31), 1)
    """
    m = _DATE.search(sentence)
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
    m = _WEEKDAY.search(sentence)
    if m:
        back = (published.weekday() - _WEEKDAYS.index(m["day"].lower())) % 7
        return published - dt.timedelta(days=back), 1
    m = _RELATIVE.search(sentence)
    if m:
        return published - dt.timedelta(days=_BACK.get(m["rel"].lower(), 0)), 1
    return None
