"""The claims panel's Markdown: every claim in full, contested figures side by side,
militant claims marked, data as text (never a link, image, HTML or emphasis)."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import ui.claimspanel
from geo.dataset import categories
from geo.dataset.claims import CLAIM_COLUMNS, area_claims, incident_claims
from geo.dataset.records import Dataset, load_dataset
from geo.textsafe import WORD_JOINER, md_text, safe_url
from tests.support import examples
from tests.support.hostile import BAD_URLS, MARKUP, PAYLOADS, live_markdown
from ui.claimspanel import MILITANT_MARK, area_claims_md, incident_claims_md

MISSING = re.compile(r"\b(?:None|nan|NaN|NaT|<NA>)\b")
CLAIM_ID = re.compile(r"claim ([^\s\\]+)\\?$", re.M)


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset()


def shown(markdown: str) -> str:
    """The text a reader sees (escapes resolved, word joiners and markup dropped)."""
    text = re.sub(r"\\(.)", r"\1", markdown, flags=re.S).replace(WORD_JOINER, "")
    return text.replace("**", "").replace("*", "")


def blocks(markdown: str) -> list[str]:
    """The list items (one per claim), each with its continuation lines."""
    out: list[str] = []
    for line in markdown.split("\n"):
        if line.startswith("- "):
            out.append(line)
        elif line.startswith("  ") and out:
            out[-1] += "\n" + line
    return out


def check_structure(markdown: str, n: int) -> None:
    """Headings, one item of 2-3 lines per claim, notes of groups cut short: data never
    starts a line of its own."""
    for line in markdown.split("\n"):
        assert (line == "" or line.startswith(("**", "- **", "  per "))
                or re.match(r"  (?:Note|Subgroup): ", line)
                or re.fullmatch(r"\*[\d,]+ more claims? of this group left out\*", line)), line
    items = blocks(markdown)
    assert len(items) == n
    assert all(2 <= len(b.split("\n")) <= 3 for b in items), items


def test_module_examples() -> None:
    assert doctest.testmod(ui.claimspanel).failed == 0


def test_gwadar_claims_are_read_in_full(ds: Dataset) -> None:
    frame = incident_claims(ds, "BAL26-005")
    md = incident_claims_md(frame)
    text = shown(md)
    check_structure(md, len(frame))
    assert "Five men, three women and three children" in text  # the note
    assert "“killing 11 people”" in text and "“five members of a labourer family”" in text
    assert not MISSING.search(text), text
    assert "](" not in md and not live_markdown(md)  # no source has a URL: no link
    # Nothing cut: every fact of every claim, as the table holds it.
    for column in ("value", "value_text", "claimant", "claimant_type", "claim_date",
                   "locator", "note", "publisher", "title", "claim_id"):
        for cell in frame[column]:
            assert md_text(cell) in md, (column, cell)
    # Grouped by category in the categories' order; both civilian tolls read together.
    civilians, militants = text.index("Civilians killed"), text.index("Militants killed")
    assert civilians < militants
    head = text.split("\n")[0]
    assert head.startswith("Civilians killed: 11 per ") and "; 5 per " in head
    ids = [CLAIM_ID.search(b).group(1) for b in blocks(md)]  # type: ignore[union-attr]
    assert ids == ["C033", "C035", "C034"]


def test_area_claims_put_contested_figures_side_by_side(ds: Dataset) -> None:
    frame = area_claims(ds)
    md, left = area_claims_md(frame)
    assert left == 0
    check_structure(md, len(frame))
    text = shown(md)
    assert not MISSING.search(text), text
    heads = {line.split(", Balochistan")[0]: line for line in text.split("\n")
             if line and not line.startswith(("- ", "  "))}
    labels = [c.label for c in categories.TABLE]
    assert list(heads) == [x for x in labels if x in set(frame["category"])]
    civ = heads["Civilians killed"]
    assert civ.startswith("Civilians killed, Balochistan, 2026-01-31 to 2026-02-01: ")
    assert ("31 per Chief Minister Sarfraz Bugti (Balochistan government) in S000, S002"
            in civ)
    assert "at least 18 per Pakistani officials (unnamed) in S001, for 2026-01-31" in civ
    mil = heads["Militants killed"]
    assert "133 per Pakistani authorities in S001, for 2026-01-30 to 2026-01-31" in mil
    assert "at least 145 per Pakistani security forces in S000, S003" in mil
    assert "dozens: 12 per " in heads["Killed, sides combined"]  # as the value states it
    # One item per claim, each with its words, note and subgroup in full.
    ids = [CLAIM_ID.search(b).group(1) for b in blocks(md)]  # type: ignore[union-attr]
    assert sorted(ids) == sorted(frame["claim_id"])
    items = dict(zip(ids, blocks(md), strict=True))
    assert "“twenty-four police officers”" in shown(items["C008"])
    assert "Subgroup: police officers" in shown(items["C008"])
    assert "for 2026-01-31" in shown(items["C006"]) and "for " not in shown(items["C002"])
    for row in frame.itertuples():
        for cell in (row.value_text, row.note, row.title, row.locator):
            assert md_text(cell) in items[row.claim_id], (row.claim_id, cell)


def test_militant_claims_are_marked(ds: Dataset) -> None:
    frame = pd.concat([area_claims(ds), incident_claims(ds, "BAL26-014")])
    md, _ = area_claims_md(frame)
    militant = set(frame.loc[frame["claimant_type"] == "militant", "claim_id"])
    assert len(militant) == 5
    for item in blocks(md):
        cid = CLAIM_ID.search(item).group(1)  # type: ignore[union-attr]
        assert (MILITANT_MARK in shown(item)) == (cid in militant), item
    assert (f"84 per Baloch Liberation Army {MILITANT_MARK} in S003, S004"
            in shown(md))
    one = incident_claims_md(incident_claims(ds, "BAL26-014"))
    assert f"3 {MILITANT_MARK}" in shown(one)


def test_area_claims_beyond_the_limit_are_counted(ds: Dataset) -> None:
    frame = area_claims(ds)
    md, left = area_claims_md(frame, limit=7)
    assert left == len(frame) - 7
    check_structure(md, 7)
    n_civ = int((frame["category"] == "Civilians killed").sum())
    n_sec = int((frame["category"] == "Security forces killed").sum())
    assert md.endswith(f"*{n_sec - (7 - n_civ)} more claims of this group left out*")
    assert area_claims_md(frame, limit=0) == ("", len(frame))
    assert area_claims_md(frame, limit=10_000)[1] == 0
    with pytest.raises(ValueError, match="limit"):
        area_claims_md(frame, limit=-1)
    many = pd.concat([frame] * 200, ignore_index=True)
    md, left = area_claims_md(many, limit=50)
    assert left == len(many) - 50
    check_structure(md, 50)


def test_empty_and_missing_cells() -> None:
    assert incident_claims_md(pd.DataFrame(columns=CLAIM_COLUMNS)) == ""
    assert area_claims_md(pd.DataFrame(columns=["area", "period", *CLAIM_COLUMNS])) == ("", 0)
    rows = pd.DataFrame({"category": ["killed_civilians", None, "Injured"],
                         "value": ["3", float("nan"), pd.NA],
                         "claimant": [None, "Police", float("nan")],
                         "claimant_type": [pd.NA, "police", None],
                         "source": ["S1: Dawn", None, float("nan")],
                         "claim_date": [pd.NaT, None, "2026-01-01"],
                         "note": [None, float("nan"), pd.NA],
                         "link": [None, float("nan"), pd.NA]})
    md = incident_claims_md(rows)
    check_structure(md, 3)
    assert not MISSING.search(shown(md)), md
    assert shown(md).index("Civilians killed") < shown(md).index("Injured")


def test_only_http_links_and_no_links_from_text() -> None:
    note = ("see http://evil.example/x, www.evil.example, x@evil.example, "
            "<a href=x>y</a> [z](javascript:alert(1)) ![t](http://evil.example/t.png)")
    frame = pd.DataFrame({
        "category": ["Civilians killed"] * 3, "value": ["1", "2", "3"],
        "value_text": ["**bold** `code` $x$ :red[r]"] * 3, "source": ["S1: http://pub"] * 3,
        "title": ["# heading"] * 3, "claimant": ["Police"] * 3,
        "claimant_type": ["police"] * 3, "note": [note] * 3, "claim_id": ["A", "B", "C"],
        "link": ["https://example.org/r?id=1", "javascript:alert(1)", "http://a b"]})
    md = incident_claims_md(frame)
    check_structure(md, 3)
    assert md.count("](") == 1
    link = "[source](https://example.org/r?id=1)"
    assert md.count(link) == 1 and link in blocks(md)[0]
    rest = md.replace(link, "")
    assert not live_markdown(rest), live_markdown(rest)
    visible = shown(rest)
    assert note in visible and "javascript" in visible  # as text
    for autolink in (r"https?://", r"www\.", r"@\w"):  # no autolink once escapes resolve
        assert not re.search(autolink, re.sub(r"\\(.)", r"\1", rest)), autolink
    # Text from data followed by the panel's own colon does not start a URL ("http:").
    ends = frame.assign(source="S1: wire http", title="t", area="javascript",
                        period="2026-01-01 to https")
    md, _ = area_claims_md(ends)
    assert not live_markdown(md.replace(link, "")), md


def test_hostile_dataset_renders_as_text(hostile: Path) -> None:
    ds = load_dataset(hostile)
    frames = [incident_claims(ds, str(i)) for i in ds.incidents["incident_id"]]
    md = "\n\n".join([*(incident_claims_md(f) for f in frames), area_claims_md(
        area_claims(ds), limit=10_000)[0]])
    assert not live_markdown(md), live_markdown(md)[:3]
    for p in MARKUP:
        assert p not in md, p
    assert md_text(PAYLOADS[0]) in md  # shown, as text
    for f in [*frames, area_claims(ds)]:
        for cell in [*f["note"], *f["value_text"], *f["title"], *f["claimant"]]:
            assert md_text(cell) in md  # in full


TEXT = st.one_of(st.text(max_size=40), st.sampled_from([*PAYLOADS, *BAD_URLS, ""]),
                 st.none(), st.just(float("nan")))


@given(st.lists(st.fixed_dictionaries(
    {c: TEXT for c in ["area", "period", *CLAIM_COLUMNS]}), min_size=1, max_size=6))
@settings(max_examples=examples(200), suppress_health_check=[HealthCheck.too_slow])
def test_any_text_stays_text(rows: list[dict[str, object]]) -> None:
    texts = [str(v).strip() for r in rows for v in r.values() if isinstance(v, str)]
    # live_markdown is stricter than a renderer ("data:1" is no link); it must find
    # nothing in each text once escaped, and so nothing in the panel made of them.
    assume(all(not live_markdown(md_text(t)) for t in texts))
    assume(all(safe_url(r["link"]) is None for r in rows))
    frame = pd.DataFrame(rows)
    md, left = area_claims_md(frame)
    assert left == 0
    check_structure(md, len(rows))
    assert not live_markdown(md), md
    for r in rows:
        for c in ("value_text", "note", "claimant", "title", "subgroup"):
            cell = r[c]
            if isinstance(cell, str) and cell.strip():
                assert md_text(cell.strip()) in md, (c, cell)
    check_structure(incident_claims_md(frame), len(rows))
