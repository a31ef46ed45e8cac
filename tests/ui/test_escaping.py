"""The Streamlit pages render data as text, never as markdown or HTML."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from geo import Gazetteer
from geo.textsafe import md_text
from tests.support.hostile import (
    MARKUP,
    PAYLOADS,
    assert_no_live_markdown,
    build_hostile,
)


def test_dashboard_renders_data_as_text(hostile: Path,
                                        run_page: Callable[..., AppTest]) -> None:
    at = run_page("ui/views/incidents.py", data=str(hostile))
    assert not at.exception, at.exception
    assert_no_live_markdown(at)
    ids = at.selectbox(key="incident").options
    at.selectbox(key="incident").set_value(ids[0]).run()  # location etc. in markdown
    assert not at.exception, at.exception
    shown = " ".join(assert_no_live_markdown(at))
    assert md_text(PAYLOADS[0]) in shown  # shown, as text
    label = next(o for o in at.sidebar.selectbox(key="figures").options  # in words
                 if o.startswith("As claimed by ") and "<" in o)
    claimant = label.removeprefix("As claimed by ")
    at.sidebar.selectbox(key="figures").set_value(f"claimant:{claimant}").run()
    assert not at.exception, at.exception  # the caption names it, as text
    assert md_text(claimant) in " ".join(assert_no_live_markdown(at))

def test_dashboard_load_errors_render_values_as_text(tmp_path: Path, gaz: Gazetteer,
                                                     run_page: Callable[..., AppTest]) -> None:
    folder = build_hostile(tmp_path / "bad", gaz)
    path = folder / "claims.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    for i, p in enumerate(MARKUP):  # invalid values are quoted in the error
        df.loc[i, "category"] = p
        df.loc[len(MARKUP) + i, "claim_id"] = p
    df.to_csv(path, index=False)
    at = run_page("ui/views/incidents.py", data=str(folder))
    assert not at.exception and "rows rejected" in at.warning[0].value  # the rest loads
    assert_no_live_markdown(at)
    problems = next(d.value for d in at.dataframe if "message" in d.value.columns)
    shown = set(problems["value"])  # a grid of plain text cells, never rendered as markup
    assert set(MARKUP) <= shown
    assert "2" in set(problems.loc[problems["file"] == "claims.csv", "row"])

def test_gazetteer_page_renders_names_as_text(run_page: Callable[..., AppTest]) -> None:
    at = run_page("ui/views/gazetteer.py")
    at.text_area(key="names").input("\n".join(["Quetta", *MARKUP])).run()
    assert not at.exception, at.exception
    assert at.warning, "unresolved names are listed"
    assert_no_live_markdown(at)
