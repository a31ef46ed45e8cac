"""Dates as spreadsheets write them, read once per distinct value, saying how.

ISO ``YYYY-MM-DD`` is the format of the data files and takes one vectorised pass.
Cells in other common formats are read too, and :func:`date_notes` reports how
(``31/01/2026`` as day/month/year, ``46053`` as an Excel date number, ...), so nobody
has to guess what the tool understood:

* ``D/M/YYYY`` or ``M/D/YYYY`` (``/``, ``.`` or ``-``): the column decides. A day
  above 12 in the first place means day first, in the second place month first; a
  column with both is refused as ambiguous, one with neither is read day first
  (the international order) and the note says the order was not evident.
* ``YYYY/MM/DD``, ``YYYY-MM-DDThh:mm[:ss]`` (the time is dropped);
* month names: ``31 Jan 2026``, ``31 January 2026``, ``31-Jan-2026``,
  ``Jan 31, 2026``, ``January 31 2026``;
* Excel serial day numbers from 20000 to 80000 (1954-2119), counted from 1899-12-30
  as Excel for Windows does.

Dates are held as ``datetime64[ns]``, which spans 1677-09-21 to 2262-04-11; the tool
handles the whole years inside, :data:`FIRST_DATE` to :data:`LAST_DATE`, so a day or
a week added to a date stays representable. A date outside (``9999-12-31``,
``1 Jan 1500``) is refused, in every format, and noted as such: never changed into
another date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["AMBIGUOUS", "DATE_HELP", "FIRST_DATE", "LAST_DATE", "OUTSIDE", "DateReading",
           "date_notes", "read_dates"]

FIRST_DATE, LAST_DATE = "1678-01-01", "2261-12-31"
"""The first and last dates the tool handles (inside the span of ``datetime64[ns]``)."""
DATE_HELP = (f"expected a date: YYYY-MM-DD, from {FIRST_DATE} to {LAST_DATE} (also read: "
             "DD/MM/YYYY, 31 Jan 2026, an Excel date number)")

_NUMERIC = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_YMD = re.compile(r"^(\d{4})([/-])(\d{1,2})[/-](\d{1,2})$")
_STAMP = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
_SERIAL = re.compile(r"^\d{5}(\.\d+)?$")
_NAMED = ("%d %b %Y", "%d %B %Y", "%d-%b-%Y", "%d-%B-%Y", "%b %d, %Y", "%B %d, %Y",
          "%b %d %Y", "%B %d %Y")
_EXCEL_EPOCH = np.datetime64("1899-12-30", "D")
_FIRST, _LAST = pd.Timestamp(FIRST_DATE), pd.Timestamp(LAST_DATE)
AMBIGUOUS = "ambiguous"
"""Reading of numeric dates refused because the column has both orders."""
OUTSIDE = "outside"
"""Reading refused because the date is outside ``FIRST_DATE..LAST_DATE``."""


@dataclass(frozen=True, slots=True)
class DateReading:
    """How one non-ISO format was read in a column.

    Attributes
    ----------
    how : str
        ``"day/month/year"``, ``"an Excel date number"``, ...
    count : int
        Cells read this way.
    example : str
        One such cell as written.
    read_as : str
        The example as ``YYYY-MM-DD``.
    position : int
        The example's position in the column.
    """

    how: str
    count: int
    example: str
    read_as: str
    position: int


def read_dates(text: pd.Series, weights: np.ndarray | None = None
               ) -> tuple[np.ndarray, list[DateReading]]:
    """Parse a text column; NaT where empty or not a date in any known format.

    Parameters
    ----------
    text : pandas.Series
        Text cells (``""`` for empty).
    weights : numpy.ndarray, optional
        How many rows each cell stands for (the counts of a categorical's categories).

    Returns
    -------
    numpy.ndarray
        ``datetime64[ns]``.
    list of DateReading
        One per non-ISO format used (empty when the column is all ISO).

    Examples
    --------
    >>> values, how = read_dates(pd.Series(["2026-01-31", "31/01/2026", "46054", ""]))
    >>> [str(v)[:10] for v in values]
    ['2026-01-31', '2026-01-31', '2026-02-01', 'NaT']
    >>> [h.how for h in how]
    ['day/month/year', 'an Excel date number']
    """
    arr = pa.array(text.astype("str").fillna(""), type=pa.large_string())
    arr = pc.utf8_trim_whitespace(arr)
    nullable = pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.large_string()), arr)
    iso = pc.strptime(nullable, format="%Y-%m-%d", unit="s", error_is_null=True)
    # Arrow rolls impossible days over (2026-02-30 -> 2026-03-02): keep only cells
    # that format back to themselves; the others (and 2026-1-5) go the slow way, as do
    # dates outside the range (seconds beyond it would wrap round as nanoseconds).
    same = pc.and_(pc.equal(pc.strftime(iso, format="%Y-%m-%d"), nullable), pc.and_(
        pc.greater_equal(iso, _FIRST.as_unit("s")), pc.less_equal(iso, _LAST.as_unit("s"))))
    iso = pc.if_else(pc.fill_null(same, False), iso, pa.scalar(None, iso.type))
    out = np.array(iso.to_numpy(zero_copy_only=False), dtype="datetime64[ns]")
    rest = np.flatnonzero(np.isnat(out) & ~np.asarray(
        pc.equal(arr, "").to_numpy(zero_copy_only=False), dtype=bool))
    if not len(rest):
        return out, []
    cells = np.asarray(arr.take(pa.array(rest)).to_numpy(zero_copy_only=False), dtype=object)
    values, inverse = np.unique(cells, return_inverse=True)  # each distinct text once
    parsed, how = _other_formats(values)
    out[rest] = parsed[inverse]
    readings = []
    hows = how[inverse]
    w = np.ones(len(out), dtype=np.int64) if weights is None else np.asarray(weights)
    for name in dict.fromkeys(h for h in how if h):
        hit = np.flatnonzero(hows == name)
        i = int(hit[0])
        read_as = "" if name in (AMBIGUOUS, OUTSIDE) else str(out[rest[i]])[:10]
        readings.append(DateReading(name, int(w[rest[hit]].sum()), str(cells[i]), read_as,
                                    int(rest[i])))
    return out, readings


def _other_formats(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Dates and the name of the format for distinct non-ISO texts ("" if none fits)."""
    out = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[ns]")
    how = np.full(len(values), "", dtype=object)

    def put(i: int, value: pd.Timestamp | np.datetime64 | None, name: str) -> None:
        if value is None or pd.isna(value):
            return
        day = pd.Timestamp(value).normalize()
        if _FIRST <= day <= _LAST:
            out[i] = np.datetime64(day.as_unit("ns"))
            how[i] = name
        else:  # as nanoseconds it would wrap round into another date
            how[i] = OUTSIDE

    numeric = [(i, m) for i, v in enumerate(values) if (m := _NUMERIC.match(v)) is not None]
    order = _day_first([(int(m[1]), int(m[2])) for _i, m in numeric])
    for i, v in enumerate(values):
        if (m := _STAMP.match(v)) is not None:
            put(i, _date(m[1], "%Y-%m-%d"), "date and time (time dropped)")
        elif (m := _YMD.match(v)) is not None:
            put(i, _date(f"{m[1]}-{int(m[3]):02d}-{int(m[4]):02d}", "%Y-%m-%d"),
                "year/month/day" if m[2] == "/" else "year-month-day without leading zeros")
        elif _SERIAL.match(v) and 20000 <= float(v) <= 80000:
            put(i, _EXCEL_EPOCH + np.timedelta64(int(float(v)), "D"), "an Excel date number")
        elif not v[:1].isdigit() or not _NUMERIC.match(v):
            for fmt in _NAMED:
                if (d := _date(v, fmt)) is not None:
                    put(i, d, "a date with the month's name")
                    break
    if order is None:  # both orders in one column: refuse, and say why
        for i, _m in numeric:
            how[i] = AMBIGUOUS
    else:
        for i, m in numeric:
            a, b, y = m[1], m[2], m[3]
            day, month = (a, b) if order != "month first" else (b, a)
            put(i, _date(f"{y}-{month}-{day}", "%Y-%m-%d"),
                "day/month/year" if order == "day first"
                else "month/day/year" if order == "month first"
                else "day/month/year (order not evident: no day above 12)")
    return out, how


def _day_first(pairs: list[tuple[int, int]]) -> str | None:
    """``"day first"``, ``"month first"``, ``"assumed"`` or None (both seen: ambiguous)."""
    first = any(a > 12 for a, _b in pairs)
    second = any(b > 12 for _a, b in pairs)
    if first and second:
        return None
    return "day first" if first else "month first" if second else "assumed"


def _date(text: str, fmt: str) -> pd.Timestamp | None:
    try:
        return pd.Timestamp(pd.to_datetime(text, format=fmt))
    except (ValueError, OverflowError):
        return None


def date_notes(readings: list[DateReading]) -> list[str]:
    """One phrase per reading, to follow the example cell: ``"read as 2026-01-31
    (day/month/year; 12 dates in this column)"``."""
    out = []
    for r in readings:
        n = f"{r.count} date{'s' if r.count != 1 else ''}"
        out.append(f"not read: this column has both day/month/year and month/day/year "
                   f"dates ({n}); write YYYY-MM-DD" if r.how == AMBIGUOUS else
                   f"not read: outside the dates this tool handles, {FIRST_DATE}.."
                   f"{LAST_DATE} ({n} in this column)" if r.how == OUTSIDE else
                   f"read as {r.read_as} ({r.how}; {n} in this column)")
    return out
