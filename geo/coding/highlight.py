"""A report's text as HTML with what was extracted marked: the sentences that are
evidence, the places, the figures and the claimants, each a colour; one row's
sentence marked as selected.

Every piece of the report is escaped (:func:`geo.textsafe.html_text`): the HTML holds
no markup from the report, only ``<p>``, ``<br>``, ``<span class=...>`` and
``<a id=...>`` anchors, ids made from row numbers (never from the report).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from geo.extraction.grouping import Extraction
from geo.textsafe import html_text

__all__ = ["MARK_STYLE", "highlight_html", "marks"]

MARK_STYLE = """<style>
.geo-report {font: 15px/1.55 system-ui, sans-serif; color: #222;}
.geo-report p {margin: 0 0 0.7em;}
.s {background: #f1f1f1;}
.p {background: #fde8a6;}
.f {background: #c9defc; font-weight: 600;}
.c {background: #f6cfe0;}
.sel {background-color: #ffd4ad; box-shadow: 0 2px 0 #c0392b;}
.geo-legend {font: 13px system-ui, sans-serif; margin-bottom: 8px;}
.geo-legend span {padding: 1px 5px; margin-right: 6px;}
</style>"""
"""The classes :func:`highlight_html` uses: ``s`` evidence sentence, ``p`` place, ``f``
figure, ``c`` claimant, ``sel`` the selected row's sentence."""


def _int(v: object) -> int | None:
    try:
        return int(str(v))
    except ValueError:
        return None


def _find(text: str, needle: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    """Occurrences of *needle* (case-insensitive, whole words) in ``text[start:end]``."""
    needle = needle.strip()
    if len(needle) < 2:
        return []
    pat = re.compile(r"(?<!\w)" + re.escape(needle) + r"(?!\w)", re.IGNORECASE)
    return [(m.start(), m.end()) for m in pat.finditer(text, start, end)]


def marks(text: str, ex: Extraction) -> tuple[list[tuple[int, int, str]], dict[str, int]]:
    """The marks on *text*: ``(start, end, class)``, and each row's sentence start by
    row id (incident or claim)."""
    out: list[tuple[int, int, str]] = []
    starts: dict[str, int] = {}
    rows = [(str(r["claim_id"]), r) for r in ex.claims.to_dict("records")]
    rows += [(str(r["incident_id"]), r) for r in ex.incidents.to_dict("records")]
    for rid, r in rows:
        a, b = _int(r.get("evidence_start")), _int(r.get("evidence_end"))
        if a is None or b is None or not 0 <= a < b <= len(text):
            continue
        starts[rid] = a
        out.append((a, b, "s"))
        for key, cls in (("value_text", "f"), ("claimant", "c")):
            out += [(x, y, cls) for x, y in _find(text, str(r.get(key) or ""), a, b)]
    for place in set(ex.incidents["location"].astype(str)) if len(ex.incidents) else ():
        out += [(x, y, "p") for x, y in _find(text, place, 0, len(text))]
    return out, starts


def highlight_html(text: str, ex: Extraction, selected: str | None = None) -> str:
    """*text* as escaped HTML with the marks of :func:`marks`; the sentence of row
    *selected* (an incident or claim id) also has class ``sel`` and the anchor
    ``id="geo-selected"``. Paragraphs (lines) are ``<p>`` elements.

    Examples
    --------
    >>> import pandas as pd
    >>> from geo.extraction.grouping import Extraction
    >>> claims = pd.DataFrame([{"claim_id": "C1", "evidence_start": "0",
    ...                         "evidence_end": "20", "value_text": "two",
    ...                         "claimant": "police"}])
    >>> inc = pd.DataFrame({"incident_id": [], "location": []})
    >>> ex = Extraction({}, inc, claims, (), ())
    >>> highlight_html("Police: two <b>died.", ex, "C1")  # doctest: +NORMALIZE_WHITESPACE
    '<p><a id="geo-selected"></a><span class="s c sel">Police</span><span class="s
    sel">: </span><span class="s f sel">two</span><span class="s sel"> &lt;b&gt;died.</span></p>'
    """
    found, starts = marks(text, ex)
    sel = None
    if selected is not None and selected in starts:
        row = ex.claims if selected in set(ex.claims["claim_id"].astype(str)) else ex.incidents
        key = "claim_id" if row is ex.claims else "incident_id"
        r = row[row[key].astype(str) == selected].iloc[0]
        sel = (int(r["evidence_start"]), int(r["evidence_end"]))
    cuts = sorted({0, len(text), *(x for m in found for x in m[:2]),
                   *(sel or ()), *(i for i, ch in enumerate(text) if ch == "\n")})
    html = ["<p>"]
    for a, b in zip(cuts, cuts[1:], strict=False):
        if sel is not None and a == sel[0]:
            html.append('<a id="geo-selected"></a>')
        piece = text[a:b]
        if piece.startswith("\n"):
            html.append("</p><p>")
            piece, a = piece[1:], a + 1
        if not piece:
            continue
        classes = sorted({c for x, y, c in found if x <= a and b <= y},
                         key="s p f c".split().index)
        if sel is not None and sel[0] <= a and b <= sel[1]:
            classes.append("sel")
        body = html_text(piece)
        html.append(f'<span class="{" ".join(classes)}">{body}</span>' if classes else body)
    html.append("</p>")
    return "".join(html).replace("<p></p>", "")
