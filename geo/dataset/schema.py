"""The dataset schema: column specs, vocabularies and validation.

A dataset folder holds three CSV files (the codebook is ``docs/data-format.md``):

* ``sources.csv``: one row per source document;
* ``incidents.csv``: one row per incident at one place (ACLED-style columns);
* ``claims.csv``: one row per figure a source reports, tied to an incident or to an
  admin area and period.

Each table is validated by a schema over its *text* columns: every check of every
column runs on the whole column at once (vectorised), and every failing cell becomes a
:class:`~geo.errors.Problem` naming file, spreadsheet row, field and value, so all
problems are reported together. Values are converted to numbers and dates only after
they validated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow
import pyarrow.compute as pc

from geo.dataset import categories
from geo.errors import Problem
from geo.io.dates import DATE_HELP
from geo.io.tables import ROW, arrow_text, to_dates, to_float

__all__ = [
    "CATEGORIES",
    "CLAIMANT_CLASSES",
    "CLAIMANT_TYPES",
    "EVENT_TYPES",
    "OFFICIAL_CLAIMANTS",
    "QUALIFIERS",
    "QUALIFIER_WORDS",
    "Check",
    "Column",
    "SCHEMAS",
    "VAGUE_NUMBERS",
    "validate_table",
]

CATEGORIES: tuple[str, ...] = categories.names()
"""Casualty/claim categories, in the order of :data:`geo.dataset.categories.TABLE`, which
says what each counts (``killed_unknown``: side not stated, or sides combined)."""

CLAIMANT_TYPES = (
    "government", "military", "police", "official", "hospital", "militant", "outlet",
    "media", "other",
)
"""Who makes a claim. ``official``: unnamed officials/authorities; ``outlet``: the
reporting outlet's own unattributed statement; ``media``: another outlet it cites."""

OFFICIAL_CLAIMANTS = frozenset({"government", "military", "police", "official"})
"""Claimant types whose figures the ``official`` policy uses. Militants never."""

CLAIMANT_CLASSES: dict[str, str] = {
    **dict.fromkeys(sorted(OFFICIAL_CLAIMANTS), "official"), "militant": "militant",
    **dict.fromkeys(("hospital", "outlet", "media", "other"), "other"),
}
"""The class of each claimant type: ``official`` (the state's own figures),
``militant`` (an armed group's claims) or ``other`` (media, hospitals, others). Figures
from different classes are never netted against each other, and militant figures never
enter a sum with the others."""

QUALIFIERS = (
    "exact", "at_least", "more_than", "nearly", "about", "up_to", "range",
    "several", "dozens", "scores",
)
QUALIFIER_WORDS = {"at_least": "at least", "more_than": "more than", "nearly": "nearly",
                   "about": "about", "up_to": "up to", "several": "several:",
                   "dozens": "dozens:", "scores": "scores:"}
"""How a claim's qualifier is said before its figure ("at least 31", "dozens: 12")."""
VAGUE_NUMBERS = {"several": 3, "dozens": 12, "scores": 40}
"""Numbers coded for vague words: ACLED's several = 3 and dozens = 12; "scores" = 40
(two score, our convention). ``value`` must hold that number."""

EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory",
                "Non-state actor overtakes territory"),
    "Explosions/Remote violence": ("Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack",
                                   "Remote explosive/landmine/IED", "Grenade"),
    "Violence against civilians": ("Sexual violence", "Attack",
                                   "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against "
                 "protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": ("Agreement", "Arrests", "Change to group/activity",
                               "Disrupted weapons use", "Headquarters or base established",
                               "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"),
}
"""ACLED event types and sub-event types (codebook 2023)."""

SOURCE_KINDS = ("news", "wire", "official_statement", "militant_claim", "analysis",
                "dataset", "other")

_ID = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}\Z"  # \Z: a trailing newline is not an id


# --- vectorised checks on text columns (empty cells pass unless the column is required)

@dataclass(frozen=True)
class Check:
    """A test of a whole text column.

    Attributes
    ----------
    ok : callable
        Series -> boolean Series (or array) of the same length, True where the cell is
        valid.
    error : str
        The message for each cell that is not.
    """

    ok: Callable[[pd.Series], pd.Series]
    error: str


@dataclass(frozen=True)
class Column:
    """The checks of one column; a *required* column must be present and every cell
    non-empty. Optional columns may be absent, and their empty cells pass."""

    checks: tuple[Check, ...] = ()
    required: bool = False


def _blank(s: pd.Series) -> pd.Series:
    return s == ""  # the readers give "" for empty cells, never NaN


def _check(fn: Callable[[pd.Series], pd.Series], error: str) -> Check:
    return Check(lambda s: _blank(s) | fn(s), error)


def required() -> Check:
    """The cell must not be empty."""
    return Check(lambda s: ~_blank(s), "required value is empty")


def iso_date() -> Check:
    """A real calendar date: YYYY-MM-DD or a format :mod:`geo.io.dates` reads."""
    return _check(lambda s: pd.Series(~np.isnat(to_dates(s)), index=s.index), DATE_HELP)


def whole_number(low: int = 0, high: int = 10_000_000) -> Check:
    """A whole number in [low, high]."""
    def ok(s: pd.Series) -> pd.Series:
        v = to_float(s)
        return pd.Series((v == np.round(v)) & (v >= low) & (v <= high), index=s.index)
    return _check(ok, f"expected a whole number from {low:,} to {high:,}")


def number(low: float, high: float) -> Check:
    """A decimal number in [low, high]."""
    def ok(s: pd.Series) -> pd.Series:
        v = to_float(s)
        return pd.Series((v >= low) & (v <= high), index=s.index)
    return _check(ok, f"expected a number from {low:g} to {high:g}")


def one_of(values: tuple[str, ...] | list[str]) -> Check:
    """One of a closed vocabulary."""
    allowed = set(values)
    return _check(lambda s: s.isin(allowed), "expected one of: " + ", ".join(values))


_ID_BYTE = np.zeros(256, dtype=bool)
_ID_BYTE[[ord(c) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"]] = True
_ID_FIRST = _ID_BYTE.copy()
_ID_BYTE[[ord(c) for c in "_.:-"]] = True


def _ids_ok(s: pd.Series) -> pd.Series:
    """``s.str.match(_ID)``, checked on the column's bytes at once when every byte is an
    id character (a million ids: 20 ms instead of 0.15 s); else by the pattern."""
    if isinstance(s.dtype, pd.CategoricalDtype):  # once per distinct value
        per = _ids_ok(pd.Series(s.cat.categories.astype("str")))
        return pd.Series(np.append(per.to_numpy(), False)[s.cat.codes.to_numpy()],
                         index=s.index)
    arr = arrow_text(s)
    bufs = arr.buffers()
    offsets = np.frombuffer(bufs[1], dtype=np.int64)[arr.offset:arr.offset + len(arr) + 1]
    data = (np.frombuffer(bufs[2], dtype=np.uint8)[offsets[0]:offsets[-1]]
            if bufs[2] is not None else np.zeros(0, dtype=np.uint8))
    if _ID_BYTE[data].all():
        size = np.diff(offsets)
        first = np.zeros(len(size), dtype=bool)
        some = size > 0
        first[some] = _ID_FIRST[data[offsets[:-1][some] - offsets[0]]]
        return pd.Series(first & (size <= 64), index=s.index)
    return s.str.match(_ID).fillna(False).astype(bool)


def identifier() -> Check:
    """An id: letters, digits and ``_ . : -``, at most 64 characters."""
    return _check(_ids_ok, "expected an id of letters, digits, _ . : -")


def _col(*checks: Check, need: bool = False) -> Column:
    return Column((required(), *checks) if need else checks, required=need)


SCHEMAS: dict[str, dict[str, Column]] = {
    "sources": {
        "source_id": _col(identifier(), need=True),
        "publisher": _col(need=True),
        "title": _col(need=True),
        "published": _col(iso_date(), need=True),
        "url": _col(),
        "kind": _col(one_of(SOURCE_KINDS), need=True),
    },
    "incidents": {
        "incident_id": _col(identifier(), need=True),
        "event_date": _col(iso_date(), need=True),
        "time_precision": _col(one_of(["1", "2", "3"])),
        "location": _col(),
        "admin1": _col(),
        "admin2": _col(),
        "latitude": _col(number(-90, 90)),
        "longitude": _col(number(-180, 180)),
        "geo_precision": _col(one_of(["1", "2", "3"])),
        "event_type": _col(one_of(list(EVENT_TYPES)), need=True),
        "sub_event_type": _col(
            one_of(sorted({s for subs in EVENT_TYPES.values() for s in subs}))),
        "actor1": _col(),
        "actor2": _col(),
        "target_type": _col(),
        "description": _col(),
        "source_ids": _col(need=True),
        "operation_id": _col(identifier()),
    },
    "claims": {
        "claim_id": _col(identifier(), need=True),
        "incident_id": _col(),
        "area": _col(),
        "period_start": _col(iso_date()),
        "period_end": _col(iso_date()),
        "source_id": _col(need=True),
        "claimant": _col(need=True),
        "claimant_type": _col(one_of(CLAIMANT_TYPES), need=True),
        "category": _col(one_of(CATEGORIES), need=True),
        "value": _col(whole_number(), need=True),
        "value_max": _col(whole_number()),
        "qualifier": _col(one_of(QUALIFIERS)),
        "value_text": _col(),
        "claim_date": _col(iso_date()),
        "locator": _col(),
        "subgroup": _col(),
    },
}
"""The columns each table's schema knows. Extra columns are allowed and passed through."""


def validate_table(df: pd.DataFrame, table: str, file: str) -> list[Problem]:
    """Validate one table's text columns; return every problem found.

    Parameters
    ----------
    df : pandas.DataFrame
        Text columns from :func:`geo.io.tables.read_csv` (with ``_row``).
    table : {"sources", "incidents", "claims"}
        Which schema.
    file : str
        File name for messages.

    Returns
    -------
    list of Problem
        Empty when the table is valid.
    """
    problems = _duplicates(df, ID_COLUMNS[table], file)
    rows = df[ROW].to_numpy()
    for name, column in SCHEMAS[table].items():
        if name not in df.columns:
            if column.required:
                problems.append(Problem(file, 1, name, None, "required column is missing"))
            continue
        values = df[name]
        for check in column.checks:
            bad = ~np.asarray(check.ok(values), dtype=bool)
            if bad.any():
                problems += [Problem(file, int(r), name, None if v == "" else str(v),
                                     check.error)
                             for r, v in zip(rows[bad], values[bad], strict=True)]
    return sorted(problems, key=lambda p: (p.row or 0, p.field or ""))


ID_COLUMNS = {"sources": "source_id", "incidents": "incident_id", "claims": "claim_id"}
"""The column of each table that must be unique."""


def _duplicates(df: pd.DataFrame, column: str, file: str) -> list[Problem]:
    """Every row whose id occurs more than once (one hash pass when there are none)."""
    if column not in df.columns or not len(df):
        return []
    ids = df[column]
    arr = arrow_text(ids)
    # Ids written in order are strictly increasing, or a few increasing runs over
    # disjoint ranges (incident claims, then area claims): unique without hashing.
    # Otherwise one hash pass (pc.unique; pc.count_distinct is several times slower).
    if _increasing_runs_disjoint(arr) or len(pc.unique(arr)) == len(ids):
        return []
    dup = (ids.duplicated(keep=False) & (ids != "")).to_numpy()
    return [Problem(file, int(r), column, str(v), "duplicate id")
            for r, v in zip(df.loc[dup, ROW], ids[dup], strict=True)]


def _increasing_runs_disjoint(arr: pyarrow.Array, max_runs: int = 64) -> bool:
    """Whether *arr* (text, no nulls) splits into at most *max_runs* strictly
    increasing runs whose ranges do not overlap, which makes every value distinct."""
    if len(arr) < 2:
        return True
    up = pc.greater(arr[1:], arr[:-1]).to_numpy(zero_copy_only=False)
    breaks = np.flatnonzero(~up)
    if len(breaks) >= max_runs:
        return False
    firsts = arr.take(pyarrow.array(np.concatenate([[0], breaks + 1]))).to_pylist()
    lasts = arr.take(pyarrow.array(np.concatenate([breaks, [len(arr) - 1]]))).to_pylist()
    runs = sorted(zip(firsts, lasts, strict=True))
    return all(a[1] < b[0] for a, b in zip(runs, runs[1:], strict=False))
