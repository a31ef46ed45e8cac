"""What the ACLED and UCDP importers share: ids for cited sources, dates as ISO text,
the earliest event citing each source, and passthrough columns."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence

import pandas as pd

from geo.io.dates import read_dates
from geo.io.tables import ROW

__all__ = ["citation_id", "first_citations", "iso_dates", "newest_date", "passthrough"]

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def citation_id(prefix: str, name: str) -> str:
    """A stable id for a cited source: *prefix*, its letters and digits, a short hash
    (so "Dawn" and "Dawn!" stay two sources)."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-")[:40] or "unnamed"
    return f"{prefix}-{slug}-{hashlib.sha1(name.encode('utf-8')).hexdigest()[:6]}"


def iso_dates(text: pd.Series) -> pd.Series:
    """Dates as YYYY-MM-DD where readable (any :mod:`geo.io.dates` format); the text as
    given otherwise, so validation reports it."""
    values, _how = read_dates(text)
    out = pd.Series(values, index=text.index).dt.strftime("%Y-%m-%d")
    return out.where(out.notna(), text.astype(str)).astype(object)


def first_citations(cited: Sequence[Sequence[str]], dates: Iterable[str], prefix: str
                    ) -> dict[str, tuple[str, str]]:
    """Per cited source id: (the earliest date of an event citing it, its name)."""
    first: dict[str, tuple[str, str]] = {}
    for names, date in zip(cited, dates, strict=True):
        for name in names:
            key = citation_id(prefix, name)
            if key not in first or (date, name) < first[key]:
                first[key] = (date, name)
    return dict(sorted(first.items()))


def newest_date(dates: Iterable[str]) -> str:
    """The latest YYYY-MM-DD among *dates* ("" if none)."""
    return max((d for d in dates if _ISO.fullmatch(d)), default="")


def passthrough(inc: pd.DataFrame, raw: pd.DataFrame, mapped: Iterable[str],
                prefix: str) -> None:
    """Keep every column of *raw* that was not mapped as ``<prefix>_<name>``."""
    done = set(mapped)
    for col in raw.columns:
        if col != ROW and col not in done:
            inc[f"{prefix}_{col}"] = raw[col].astype(object)
