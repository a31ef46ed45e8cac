"""A dataset written by an attacker loads as data: payloads kept as text, links http(s) only."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from geo import Gazetteer
from geo.analysis.summary import summarise
from geo.dataset.records import load_dataset
from tests.support.hostile import (
    BAD_URLS,
    FREE_TEXT,
    PAYLOADS,
)


def test_the_hostile_dataset_is_valid_and_carries_every_payload(hostile: Path,
                                                                gaz: Gazetteer) -> None:
    ds = load_dataset(hostile)  # raises if any row were rejected
    frames = {"sources": ds.sources, "incidents": ds.incidents, "claims": ds.claims}
    for table, fields in FREE_TEXT.items():
        for f in fields:
            text = " ".join(frames[table][f].astype(str))
            for p in PAYLOADS:
                assert p in text, (table, f, p)  # kept as read, every payload
    assert set(ds.sources["url"]) == set(BAD_URLS)
    s = summarise(ds, gaz)
    assert len(s.incidents) >= 9 and len(s.unresolved) >= 1 and s.unknown_areas


def test_source_links_are_http_only(hostile: Path, gaz: Gazetteer) -> None:
    from geo.dataset.claims import area_claims, incident_claims

    ds = load_dataset(hostile)
    links = [*area_claims(ds)["link"], *incident_claims(ds, "BAL26-005")["link"]]
    assert links and all(u == "" or u.startswith(("http://", "https://")) for u in links)
    ok = ds.sources.assign(url="https://example.org/report?id=1")

    good = incident_claims(dataclasses.replace(ds, sources=ok), "BAL26-005")
    assert set(good["link"]) == {"https://example.org/report?id=1"}
