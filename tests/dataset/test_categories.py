"""The category table: everything that lists categories follows it, and a category
added to it reaches the schema, summaries, every export and both maps' legends."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from typing import Any

import numpy as np
import pandas as pd
import pytest

from geo.dataset import categories
from geo.dataset.categories import ACLED_TREATMENTS, TABLE, codebook_table, names
from geo.dataset.schema import CATEGORIES, SCHEMAS
from geo.export.acled import COMBINED, KILLED, OTHER
from geo.maps.symbology import CATEGORY_COLOURS, CATEGORY_LABELS
from tests.support import ROOT
from tests.support.extra_category import CLAIMS, EXTRA

# --- the table and what derives from it in this process


def test_acled_treatments_cover_every_category() -> None:
    assert ACLED_TREATMENTS == ("fatalities", "combined", "tag")  # what the export writes
    assert sorted(KILLED + COMBINED + OTHER) == sorted(CATEGORIES)  # none vanishes


def test_killed_categories_are_the_acled_fatalities() -> None:
    assert KILLED == tuple(c.name for c in TABLE if c.killed and not c.combined)
    assert KILLED == ("killed_civilians", "killed_security_forces", "killed_militants",
                      "killed_unknown")
    assert COMBINED == ("killed_combined",)  # sides together: never added to the others


def test_labels_and_colours_tell_the_categories_apart() -> None:
    assert len(set(CATEGORY_LABELS.values())) == len(TABLE)
    assert len(set(CATEGORY_COLOURS.values())) == len(TABLE)


def test_schema_refuses_a_category_not_in_the_table() -> None:
    column = SCHEMAS["claims"]["category"]
    values = pd.Series(["injured", "killed_bystanders", "freed_prisoners"])
    ok = np.logical_and.reduce([np.asarray(check.ok(values)) for check in column.checks])
    assert ok.tolist() == [True, False, True]


@pytest.mark.parametrize(("field", "value", "message"), [
    ("name", "Killed Civilians", "lower case"),
    ("colour", "red", "#rrggbb"),
    ("acled", "notes", "ACLED treatment"),
    ("label", " ", "label and description"),
    ("description", "", "label and description"),
])
def test_a_malformed_category_is_refused(field: str, value: str, message: str) -> None:
    change: dict[str, Any] = {field: value}
    with pytest.raises(ValueError, match=message):
        dataclasses.replace(TABLE[0], **change)


def test_names_must_be_unique(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(categories, "TABLE", (*TABLE, TABLE[0]))
    with pytest.raises(ValueError, match="repeat"):
        names()


# --- the codebook


def test_the_codebook_prints_the_table() -> None:
    text = (ROOT / "docs" / "data-format.md").read_text(encoding="utf-8")
    assert codebook_table() in text, (
        "docs/data-format.md, Casualty categories: paste the table `python -m "
        "geo.dataset.categories` prints")
    assert text.count("| `killed_civilians` |") == 1  # one copy


# --- a process with two more categories (tests/support/extra_category.py)


@pytest.fixture(scope="module")
def extended(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The report of a process whose table has :data:`EXTRA` at its end: the table is
    extended before any module that reads it is imported, as a real new row would be."""
    out = tmp_path_factory.mktemp("extra-category")
    run = subprocess.run([sys.executable, "-m", "tests.support.extra_category", str(out)],
                         cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stderr[-4000:]
    report: dict[str, Any] = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return report


NEW = [c.name for c in EXTRA]
FIGURES = {"killed_bystanders": 2.0, "displaced": 40.0}  # the incident's claims


def test_extra_categories_follow_the_table(extended: dict[str, Any]) -> None:
    assert extended["categories"] == [*CATEGORIES, *NEW]
    assert extended["labels"] == {c.name: c.label for c in EXTRA}
    assert extended["colours"] == {c.name: c.colour for c in EXTRA}


def test_the_schema_accepts_claims_of_them(extended: dict[str, Any]) -> None:
    assert extended["problems"] == []
    assert extended["claims_read"] == sorted(c[0] for c in CLAIMS)


def test_summaries_give_their_figures(extended: dict[str, Any]) -> None:
    stats = [f"{c}_{s}" for c in NEW for s in ("best", "low", "high")]
    assert set(stats) <= set(extended["summary_columns"])
    assert extended["summary_figures"] == {f"{c}_{s}": FIGURES[c] for c in NEW
                                           for s in ("best", "low", "high")}
    assert extended["district_columns"] == [f"{c}_{s}" for c in NEW
                                            for s in ("best", "low", "high", "militant")]
    # the area claim (9 in Balochistan) holds the incident's 2; nothing else is displaced
    assert extended["totals"] == extended["json_totals"] == {"killed_bystanders": 9,
                                                             "displaced": 40}


def test_incident_and_district_exports_have_their_columns(extended: dict[str, Any]) -> None:
    cols = {f"{c}_{s}" for c in NEW for s in ("best", "low", "high", "claims")}
    who = {f"{c}_{s}" for c in NEW for s in ("best_class", "subgroup", "claimant_types")}
    assert {k: v for k, v in extended["geojson"].items() if k in cols} == {
        k: (1 if k.endswith("_claims") else FIGURES[k.rsplit("_", 1)[0]]) for k in cols}
    assert {k: v for k, v in extended["geojson"].items() if k in who} == {
        **{f"{c}_best_class": "other" for c in NEW}, **{f"{c}_subgroup": "" for c in NEW},
        **{f"{c}_claimant_types": "outlet" for c in NEW}}
    assert set(extended["csv"]) == cols | who
    assert {k: float(v) for k, v in extended["csv"].items() if k in cols} == {
        k: v for k, v in extended["geojson"].items() if k in cols}
    assert extended["district_export_columns"] == [f"{c}_{s}" for c in NEW
                                                   for s in ("best", "low", "high", "militant")]


def test_the_acled_export_counts_them_by_treatment(extended: dict[str, Any]) -> None:
    acled = extended["acled"]
    # killed_bystanders (treatment "fatalities") is in the sum, displaced ("tag") in tags
    assert acled["killed_best"]["killed_bystanders"] == 2
    assert acled["fatalities"] == sum(acled["killed_best"].values()) == 1 + 6 + 2
    assert acled["tags"] == "injured=1; displaced=40"
    side = extended["acled_sidecar"]
    assert "killed_bystanders" in side["fatalities"]
    assert any("displaced" in line for line in side["not_expressed"])


@pytest.mark.parametrize("how", ["points", "clusters"])
def test_the_interactive_map_draws_and_explains_them(extended: dict[str, Any],
                                                     how: str) -> None:
    web = extended["web"][how]
    for c in EXTRA:
        layer = c.label if how == "points" else f"{c.label} (clusters)"
        assert layer in web["layers"]
        swatch = (f"background:{c.colour};opacity:.8;width:11px;height:11px;"
                  "border-radius:50%;margin-right:4px;vertical-align:-1px'></span>")
        assert f"{swatch}{c.label} " in web["legend"]


def test_the_static_map_legend_shows_them(extended: dict[str, Any]) -> None:
    assert sorted(map(tuple, extended["static"])) == sorted((c.label, c.colour) for c in EXTRA)
