"""Hypothesis strategies for whole datasets, shared by the round-trip tests."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
from hypothesis import strategies as st

from geo.dataset.records import FILES
from geo.dataset.schema import CATEGORIES, CLAIMANT_TYPES, EVENT_TYPES, SOURCE_KINDS

PLACES = ["Quetta", "Gwadar", "Nushki", "Pasni", "Kharan", "Mastung", "Kalat", "Turbat",
          "Noshki", "Gawadar", "Zzq unknown village"]
_text = st.text(alphabet=st.characters(exclude_categories=("Cs", "Cc"),
                                       include_characters=',";\n'), max_size=25)
_dates = st.dates(min_value=pd.Timestamp("2015-01-01").date(),
                  max_value=pd.Timestamp("2026-12-31").date()).map(str)


def _required(text: str) -> str:
    """A required cell must hold something besides spaces (the loader strips them)."""
    return text if text.strip() else f"x{text}"


@st.composite
def datasets(draw: st.DrawFn) -> dict[str, list[dict[str, str]]]:
    """A valid dataset as rows of text: any Unicode with commas, quotes, semicolons and
    line breaks; coordinates or place names; incident and area claims."""
    n_src = draw(st.integers(1, 4))
    sources = [{"source_id": f"S{i}", "publisher": _required(draw(_text)),
                "title": _required(draw(_text)),
                "published": draw(_dates), "kind": draw(st.sampled_from(SOURCE_KINDS)),
                "url": draw(st.sampled_from(["", "https://example.org/a?b=1"]))}
               for i in range(n_src)]
    incidents = []
    for i in range(draw(st.integers(0, 10))):
        etype = draw(st.sampled_from(list(EVENT_TYPES)))
        coords = draw(st.booleans())
        incidents.append({
            "incident_id": f"I{i}", "event_date": draw(_dates), "event_type": etype,
            "sub_event_type": draw(st.sampled_from(EVENT_TYPES[etype])),
            "location": draw(st.sampled_from(PLACES)) if not coords else draw(_text),
            "latitude": f"{draw(st.floats(24.5, 36.5)):.5f}" if coords else "",
            "longitude": f"{draw(st.floats(61.5, 75.0)):.5f}" if coords else "",
            "source_ids": ";".join(draw(st.lists(st.sampled_from([s["source_id"]
                                                                  for s in sources]),
                                                 min_size=1, max_size=2, unique=True))),
            "description": draw(_text), "coder": draw(_text),
        })
    claims = []
    for i in range(draw(st.integers(0, 16))):
        on_incident = bool(incidents) and draw(st.booleans())
        value = draw(st.integers(0, 500))
        qualifier = draw(st.sampled_from(["", "exact", "at_least", "range", "several"]))
        start, end = sorted([draw(_dates), draw(_dates)])
        claims.append({
            "claim_id": f"C{i}",
            "incident_id": draw(st.sampled_from([x["incident_id"] for x in incidents]))
            if on_incident else "",
            "area": "" if on_incident else draw(st.sampled_from(["Balochistan", "Quetta"])),
            "period_start": "" if on_incident else start,
            "period_end": "" if on_incident else end,
            "source_id": draw(st.sampled_from([s["source_id"] for s in sources])),
            "claimant": _required(draw(_text)),
            "claimant_type": draw(st.sampled_from(CLAIMANT_TYPES)),
            "category": draw(st.sampled_from(CATEGORIES)),
            "value": "3" if qualifier == "several" else str(value),
            "value_max": str(value + draw(st.integers(0, 50))) if qualifier == "range" else "",
            "qualifier": qualifier, "value_text": draw(_text),
            "claim_date": draw(st.sampled_from(["", start])),
        })
    return {"sources": sources, "incidents": incidents, "claims": claims}


def write_rows(folder: Path, tables: dict[str, list[dict[str, str]]]) -> None:
    """Write rows from :func:`datasets` as the three CSV files of a dataset folder."""
    header = {"sources": ["source_id", "publisher", "title", "published", "kind", "url"],
              "incidents": ["incident_id", "event_date", "event_type", "sub_event_type",
                            "location", "latitude", "longitude", "source_ids", "description",
                            "coder"],
              "claims": ["claim_id", "incident_id", "area", "period_start", "period_end",
                         "source_id", "claimant", "claimant_type", "category", "value",
                         "value_max", "qualifier", "value_text", "claim_date"]}
    for table, rows in tables.items():
        with (folder / FILES[table]).open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=header[table])
            w.writeheader()
            w.writerows(rows)
