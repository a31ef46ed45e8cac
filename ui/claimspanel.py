"""The claims panel as Markdown: every claim in full, contested figures side by side.

Turns the tables of :func:`geo.dataset.claims.incident_claims` and
:func:`geo.dataset.claims.area_claims` into Markdown for ``st.markdown``: claims are
grouped by category (in the order of :data:`geo.dataset.categories.TABLE`), and by
area for area-wide claims. A group of several claims opens with its figures side by
side ("31 per …; at least 18 per …"); then each claim is one list item of two or three
wrapped lines, nothing cut (as shown, escapes resolved)::

    - 31 — “31 civilians” · Chief Minister Sarfraz Bugti (Balochistan government),
      government · 2026-02-01
      per S002, Not named in the copy: Pakistan says 145 militants killed after
      Balochistan attack operations (¶7) · claim C010
      Note: … · Subgroup: …

The figure is bold, the source's title in italics; an http(s) source URL adds a
``[source](url)`` link to the second line.

Figures keep their qualifiers and ranges as the table states them ("at least 145",
"20–25"); claims by militant claimants (:data:`geo.dataset.schema.CLAIMANT_CLASSES`)
carry :data:`MILITANT_MARK`. Every text from the data passes through
:func:`geo.textsafe.md_text`, and a source becomes a link only when
:func:`geo.textsafe.safe_url` accepts its URL. Missing cells (``None``, NaN, absent
columns) are left out, never written as "None" or "nan".

Pure Python (no streamlit import), so the panel is tested without a page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from geo.dataset import categories
from geo.dataset.schema import CLAIMANT_CLASSES
from geo.textsafe import md_link, md_text, safe_url

__all__ = ["AREA_LIMIT", "MILITANT_MARK", "area_claims_md", "incident_claims_md"]

MILITANT_MARK = "(militant claim, not verified)"
"""Said after every figure an armed group claims."""

AREA_LIMIT = 100
"""Area-wide claims written by default; the rest are counted, for the full table."""

_SEP = " · "
_BREAK = "\\\n"  # a hard line break (CommonMark: a backslash ending the line)
# A colon after text from data, escaped: "http" + ":" must not read as a URL's start.
_COLON = "\\: "
_RANK = {**{c.label: i for i, c in enumerate(categories.TABLE)},
         **{c.name: i for i, c in enumerate(categories.TABLE)}}
_LABEL = {c.name: c.label for c in categories.TABLE}

Row = Mapping[str, Any]


def _cell(row: Row, column: str) -> str:
    """The cell as stripped text; ``""`` for a missing cell or column."""
    value = row.get(column)
    if value is None or (not isinstance(value, str) and pd.api.types.is_scalar(value)
                         and bool(pd.isna(value))):
        return ""
    return str(value).strip()


def _source(row: Row) -> tuple[str, str]:
    """The source's id and publisher (``source`` is ``id: publisher``)."""
    sid, _, rest = _cell(row, "source").partition(": ")
    return sid, _cell(row, "publisher") or rest.strip()


def _militant(row: Row) -> bool:
    return CLAIMANT_CLASSES.get(_cell(row, "claimant_type")) == "militant"


def _figure(row: Row) -> str:
    return f"**{md_text(_cell(row, 'value')) or '?'}**"


def _mark(row: Row) -> str:
    return f" *{md_text(MILITANT_MARK)}*" if _militant(row) else ""


def _days(period: str) -> tuple[str, str] | None:
    """``("start", "end")`` of ``"start to end"``; ``None`` when there is no period."""
    start, sep, end = period.partition(" to ")
    return (start.strip(), end.strip()) if sep and start.strip() and end.strip() else None


def _period_words(days: tuple[str, str]) -> str:
    return md_text(days[0] if days[0] == days[1] else f"{days[0]} to {days[1]}")


def _claim_md(row: Row, span: tuple[str, str] | None) -> str:
    """One claim as a list item of two or three lines. Its period is said when it is
    not the group's *span*."""
    first = _figure(row) + _mark(row)
    words = _cell(row, "value_text")
    if words:
        first += f" — “{md_text(words)}”"
    claimant = ", ".join(md_text(t) for t in (_cell(row, "claimant"),
                                               _cell(row, "claimant_type")) if t)
    days = _days(_cell(row, "period"))
    period = f"for {_period_words(days)}" if days and days != span else ""
    line1 = _SEP.join(t for t in (first, claimant, md_text(_cell(row, "claim_date")),
                                  period) if t)
    sid, publisher = _source(row)
    title, locator = _cell(row, "title"), _cell(row, "locator")
    cite = "per " + ", ".join(md_text(t) for t in (sid, publisher) if t)
    cite += f"{_COLON}*{md_text(title)}*" if title else ""
    cite += f" ({md_text(locator)})" if locator else ""
    link = safe_url(_cell(row, "link"))
    claim_id = _cell(row, "claim_id")
    line2 = _SEP.join(t for t in (cite, md_link("source", link) if link else "",
                                  f"claim {md_text(claim_id)}" if claim_id else "") if t)
    extra = [f"{label}: {md_text(text)}" for label, text in
             (("Note", _cell(row, "note")), ("Subgroup", _cell(row, "subgroup"))) if text]
    lines = [line1, line2, *([_SEP.join(extra)] if extra else [])]
    return "- " + (_BREAK + "  ").join(lines)


def _side_by_side(rows: list[Row], span: tuple[str, str] | None) -> str:
    """The group's figures in one line: equal figures by one claimant for one period
    are said once, with every source that reports them."""
    entries: dict[tuple[str, ...], list[str]] = {}
    for row in rows:
        days = _days(_cell(row, "period"))
        period = _period_words(days) if days and days != span else ""
        claimant = md_text(_cell(row, "claimant"))
        key = (_figure(row), f" per {claimant}" if claimant else "", _mark(row), period)
        sources = entries.setdefault(key, [])
        sid = md_text(_source(row)[0])
        if sid and sid not in sources:
            sources.append(sid)
    out = []
    for (figure, claimant, mark, period), sources in entries.items():
        text = figure + claimant + mark + (f" in {', '.join(sources)}" if sources else "")
        out.append(text + (f", for {period}" if period else ""))
    return "; ".join(out)


def _group_md(label: str, rows: list[Row], area: str = "", left_out: int = 0,
              details: bool = True) -> str:
    """One category (of one area): a bold heading, the figures side by side when there
    are several claims (or without *details*, always), then one item per claim."""
    spans = [d for d in (_days(_cell(r, "period")) for r in rows) if d]
    span = (min(d[0] for d in spans), max(d[1] for d in spans)) if spans else None
    head = f"**{', '.join(md_text(t) for t in (label, area) if t) or 'Claims'}**"
    head += f", {_period_words(span)}" if span else ""
    if len(rows) > 1 or not details:
        head += _COLON + _side_by_side(rows, span)
    if not details:
        return head
    items = "\n".join(_claim_md(r, span) for r in rows)
    more = f"\n\n*{left_out:,} more claim{'s' * (left_out != 1)} of this group left out*"
    return f"{head}\n\n{items}" + (more if left_out else "")


def _ordered(frame: pd.DataFrame, by_area: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rows' positions in panel order (area ignoring case, category, then as they
    were), and the area (``""`` unless *by_area*) and category label of each, in that
    order."""
    cat = _column(frame, "category")
    label = cat.map(_LABEL).fillna(cat)
    area = _column(frame, "area") if by_area else pd.Series("", index=frame.index)
    keys = pd.DataFrame({"area_key": area.str.casefold(), "area": area,
                         "rank": label.map(_RANK).fillna(len(categories.TABLE)),
                         "label": label, "pos": np.arange(len(frame))})
    keys = keys.sort_values(["area_key", "area", "rank", "label", "pos"])
    return (keys["pos"].to_numpy(), keys["area"].to_numpy(dtype=object),
            keys["label"].to_numpy(dtype=object))


def _column(frame: pd.DataFrame, column: str) -> pd.Series:
    """A column as stripped text, ``""`` for missing cells or a missing column."""
    if column not in frame.columns:
        return pd.Series("", index=frame.index, dtype=object)
    col = frame[column].astype(object)
    return col.where(col.notna(), "").astype(str).str.strip()


def _groups(frame: pd.DataFrame, by_area: bool,
            limit: int | None = None) -> tuple[list[tuple[str, str, list[Row], int]], int]:
    """The first *limit* rows (all with ``None``) in groups of one area and category:
    ``(label, area, rows, how many rows of the group are left out)``; and how many rows
    are left out in all."""
    pos, area, label = _ordered(frame, by_area)
    n = len(pos) if limit is None else min(limit, len(pos))
    out: list[tuple[tuple[str, str], list[Row]]] = []
    rows = frame.iloc[pos[:n]].to_dict("records")
    for key, row in zip(zip(area[:n], label[:n], strict=True), rows, strict=True):
        if out and out[-1][0] == key:
            out[-1][1].append(row)
        else:
            out.append((key, [row]))
    # Rows are sorted by group: the rest of the last group written come next.
    cut = int(((area[n:] == out[-1][0][0]) & (label[n:] == out[-1][0][1])).sum()
              ) if out and n < len(pos) else 0
    return ([(lab, ar, group, cut if i == len(out) - 1 else 0)
             for i, ((ar, lab), group) in enumerate(out)], len(pos) - n)


def incident_claims_md(frame: pd.DataFrame) -> str:
    r"""One incident's claims as Markdown, grouped by category.

    Parameters
    ----------
    frame : pandas.DataFrame
        A table of :func:`geo.dataset.claims.incident_claims` (its
        :data:`~geo.dataset.claims.CLAIM_COLUMNS`; a missing column or cell is left
        out).

    Returns
    -------
    str
        Markdown for ``st.markdown``: per category, in the order of
        :data:`geo.dataset.categories.TABLE`, its label in bold (with the figures side
        by side when there are several claims) and one list item per claim; ``""`` for
        no claims.

    Examples
    --------
    >>> row = {"category": "Civilians killed", "value": "at least 31",
    ...        "value_text": "31 civilians", "source": "S1: Dawn", "claimant": "Police",
    ...        "claimant_type": "police", "claim_date": "2026-02-01", "note": "",
    ...        "link": "", "claim_id": "C1"}
    >>> print(incident_claims_md(pd.DataFrame([row])))
    **Civilians killed**
    <BLANKLINE>
    - **at least 31** — “31 civilians” · Police, police · 2026\-02\-01\
      per S1, Dawn · claim C1
    """
    groups, _ = _groups(frame, by_area=False)
    return "\n\n".join(_group_md(label, rows) for label, _, rows, _ in groups)


def area_claims_md(frame: pd.DataFrame, limit: int = AREA_LIMIT, details: bool = True
                   ) -> tuple[str, int]:
    """Province- and district-wide claims as Markdown, by area and category.

    Parameters
    ----------
    frame : pandas.DataFrame
        A table of :func:`geo.dataset.claims.area_claims` (``area``, ``period``
        and :data:`~geo.dataset.claims.CLAIM_COLUMNS`).
    limit : int
        The most claims written: the first *limit* in panel order (areas
        alphabetically, then categories in the order of
        :data:`geo.dataset.categories.TABLE`). A group cut short says how many of its
        claims are left out.
    details : bool
        One list item per claim under each heading; without, the headings only (each
        with its figures side by side), a compact overview.

    Returns
    -------
    markdown : str
        Per area and category, a bold heading ("Civilians killed, Balochistan,
        2026-01-31 to 2026-02-01") with the figures of its claims side by side
        ("**31** per … in S000, S002; **at least 18** per … in S001, for 2026-01-31"),
        then one list item per claim; ``""`` for no claims.
    left_out : int
        How many claims are not written (beyond *limit*).

    Raises
    ------
    ValueError
        When *limit* is negative.
    """
    if limit < 0:
        raise ValueError(f"limit must be 0 or more, not {limit}")
    groups, left = _groups(frame, by_area=True, limit=limit)
    return "\n\n".join(_group_md(label, rows, area, cut, details)
                       for label, area, rows, cut in groups), left
