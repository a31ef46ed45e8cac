"""The claims tables of one incident and of areas: every fact of a claim, as text."""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pytest

from geo.dataset import categories
from geo.dataset.claims import CLAIM_COLUMNS, area_claims, incident_claims
from geo.dataset.records import Dataset, load_dataset

MISSING = re.compile(r"\b(?:None|nan|NaN|NaT|<NA>)\b")


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset()


def _text_only(frame: pd.DataFrame) -> None:
    assert not frame.isna().any().any()
    for column in frame.columns:
        for cell in frame[column]:
            assert isinstance(cell, str), (column, cell)
            assert not MISSING.search(cell), (column, cell)


def test_columns_and_text_only(ds: Dataset) -> None:
    inc = incident_claims(ds, "BAL26-005")
    area = area_claims(ds)
    assert list(inc.columns) == CLAIM_COLUMNS
    assert list(area.columns) == ["area", "period", *CLAIM_COLUMNS]
    assert len(area) == int((ds.claims["incident_id"] == "").sum()) == 31
    _text_only(inc)
    _text_only(area)


def test_gwadar_civilians_carry_their_words_note_and_source(ds: Dataset) -> None:
    t = incident_claims(ds, "BAL26-005").set_index("claim_id")
    assert t.loc["C033", "category"] == "Civilians killed"
    assert t.loc["C033", "value"] == "11"
    assert t.loc["C033", "value_text"] == "killing 11 people"
    assert t.loc["C033", "note"] == "Five men, three women and three children"
    assert t.loc["C033", "source"] == "S001: Not named in the copy (wire-based report)"
    assert t.loc["C033", "publisher"] == "Not named in the copy (wire-based report)"
    assert t.loc["C033", "title"].startswith("Coordinated separatist assaults across")
    assert t.loc["C033", "locator"] == "¶5" and t.loc["C033", "claim_date"] == "2026-01-31"
    assert t.loc["C035", "value_text"] == "five members of a labourer family"
    assert (t["subgroup"] == "").all()


def test_area_claims_keep_area_period_qualifiers_and_subgroups(ds: Dataset) -> None:
    t = area_claims(ds).set_index("claim_id")
    assert t.loc["C006", ["area", "period", "value"]].tolist() == [
        "Balochistan", "2026-01-31 to 2026-01-31", "at least 18"]
    assert t.loc["C002", "period"] == "2026-01-31 to 2026-02-01"
    assert t.loc["C028", "value"] == "at least 145" and t.loc["C027", "value"] == "133"
    assert t.loc["C004", "value"] == "dozens: 12"
    assert t.loc["C008", "subgroup"] == "police officers"
    assert t.loc["C016", "subgroup"] == "security personnel"
    assert t.loc["C004", "value_text"] == "dozens of civilians and security personnel"


def test_rows_follow_the_category_order(ds: Dataset) -> None:
    labels = [c.label for c in categories.TABLE]
    for t in (area_claims(ds), incident_claims(ds, "BAL26-005")):
        ranks = [labels.index(x) for x in t["category"]]
        assert ranks == sorted(ranks)
    assert incident_claims(ds, "BAL26-005")["claim_id"].tolist() == ["C033", "C035", "C034"]


def test_links_are_empty_without_a_safe_url(ds: Dataset) -> None:
    assert set(area_claims(ds)["link"]) == {""}  # no bundled source has a URL
    urls = ["https://example.org/r?id=1", "javascript:alert(1)", "http://a b", "",
            "ftp://example.org"]
    assert len(ds.sources) == len(urls)
    src = ds.sources.assign(url=urls)
    links = dict(zip(src["source_id"], src["url"], strict=True))
    t = area_claims(dataclasses.replace(ds, sources=src))
    want = {"https://example.org/r?id=1": "https://example.org/r?id=1"}
    for sid, link in zip(t["source"].str.split(":").str[0], t["link"], strict=True):
        assert link == want.get(links[sid], ""), (sid, link)


def test_optional_and_missing_cells_become_empty_text(ds: Dataset) -> None:
    claims = ds.claims.drop(columns=["subgroup", "note", "value_text"])
    claims["claim_date"] = pd.NaT
    claims["locator"] = None
    claims.index = [0] * len(claims)  # a frame built in memory may repeat its index
    t = incident_claims(dataclasses.replace(ds, claims=claims), "BAL26-005")
    assert len(t) == 3 and list(t.columns) == CLAIM_COLUMNS
    for column in ("subgroup", "note", "value_text", "claim_date", "locator"):
        assert (t[column] == "").all(), column
    _text_only(t)
