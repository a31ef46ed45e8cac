"""The incident page (dashboard.py) under AppTest: filters, metrics, tables agree with geo."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo import Gazetteer
from geo.analysis.filter import Filter
from geo.analysis.headline import headlines
from geo.analysis.summary import summarise
from geo.dataset.records import load_dataset
from geo.maps.symbology import CATEGORY_LABELS
from tests.support import ROOT


@pytest.fixture()
def app(run_page: Callable[..., AppTest]) -> AppTest:
    at = run_page("ui/views/incidents.py")
    assert not at.exception, at.exception
    return at


def _table(at: AppTest, *columns: str):  # type: ignore[no-untyped-def]
    """The first dataframe on the page with these columns (AppTest keeps no keys)."""
    for df in at.dataframe:
        if set(columns) <= set(df.value.columns):
            return df.value
    raise AssertionError(f"no table with columns {columns}")


def _district_table(at: AppTest):  # type: ignore[no-untyped-def]
    """The district grid, from its tab (the page opens on the top districts)."""
    at.session_state["section"] = "District table"
    at.run()
    assert not at.exception, at.exception
    return _table(at, "district", "incidents")


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _expected(gaz: Gazetteer, policy: str, **kw: object) -> dict[str, str]:
    ds = load_dataset()
    s = summarise(ds, gaz, Filter.from_text(policy=policy, **kw))  # type: ignore[arg-type]
    return {h.label: h.value() for h in headlines(s, dataset=ds)}


def test_default_view_matches_the_library(app: AppTest, gaz: Gazetteer) -> None:
    got = _metrics(app)
    want = _expected(gaz, "lowest")
    assert {k: got[k] for k in want} == want
    # the Chief Minister's 31; the 12 located (media reports) are shown beside, not netted
    assert got[CATEGORY_LABELS["killed_civilians"]] == "31"
    plain = " ".join(c.value for c in app.caption).replace("\\", "")  # markdown-escaped
    assert "12 located in 2 incidents; not netted (other claimants)" in plain
    assert "militants claim 84" in plain and "per Chief Minister Sarfraz Bugti" in plain
    civ = next(m for m in app.metric if m.label == CATEGORY_LABELS["killed_civilians"])
    assert "the area figure is from official claimants" in civ.help.replace("\\", "")
    table = _district_table(app)
    s = summarise(load_dataset(), gaz)
    assert sorted(table["district"].astype(str)) == sorted(s.districts["district"].astype(str))
    assert table["incidents"].sum() == len(s.incidents)
    # The attribution and boundary vintage are on the map itself (and in screenshots).
    map_args = app.get("component_instance")[0].proto.json_args
    assert "OCHA" in map_args and "GeoNames" in map_args and "2022" in map_args


def test_the_page_opens_on_the_top_districts(app: AppTest, gaz: Gazetteer) -> None:
    """A ranked list, not the grid, while the map draws; it follows the shading."""
    s = summarise(load_dataset(), gaz)
    assert not any("district" in d.value.columns for d in app.dataframe)
    ranked = [m.value for m in app.markdown if m.value.startswith("1. ")]
    assert ranked and ranked[0].startswith("1. **Gwadar** (Balochistan): 4 incidents")
    assert len(ranked[0].splitlines()) == min(10, int((s.districts["incidents"] > 0).sum()))
    app.sidebar.selectbox(key="shade").set_value("killed_civilians").run()
    ranked = [m.value for m in app.markdown if m.value.startswith("1. ")]
    assert ranked[0].startswith("1. **Kharan** (Balochistan): 1 incident; civilians killed 7")


@pytest.mark.parametrize("policy", ["official", "highest", "claimant:Baloch Liberation Army"])
def test_policy_changes_metrics_like_the_library(app: AppTest, gaz: Gazetteer,
                                                 policy: str) -> None:
    app.sidebar.selectbox(key="figures").set_value(policy).run()
    assert not app.exception
    got, want = _metrics(app), _expected(gaz, policy)
    assert {k: got[k] for k in want} == want
    assert app.query_params["figures"] == policy


def test_district_and_event_filters(app: AppTest, gaz: Gazetteer) -> None:
    app.sidebar.selectbox(key="district").set_value("Gwadar").run()
    table = _district_table(app)
    assert table["district"].astype(str).tolist() == ["Gwadar"]
    assert app.query_params["district"] == "Gwadar"
    app.sidebar.selectbox(key="district").set_value("All").run()
    app.sidebar.multiselect(key="events").set_value(["Battles"]).run()
    s = summarise(load_dataset(), gaz, Filter.from_text(event_types=["Battles"]))
    assert _district_table(app)["incidents"].sum() == len(s.incidents)


def test_claims_panel_lists_every_claim(app: AppTest) -> None:
    app.selectbox(key="incident").set_value("BAL26-005").run()
    ds = load_dataset()
    mine = ds.claims[ds.claims["incident_id"] == "BAL26-005"]
    text = " ".join(m.value for m in app.markdown).replace("\\", "")
    for c in mine.itertuples():  # every claim, in full: who, the words, where in the source
        assert str(c.claim_id) in text and str(c.claimant) in text, c.claim_id
        assert str(c.value_text) in text and str(c.locator) in text, c.claim_id
    assert "**11**" in text and "**5**" in text  # both Gwadar tolls, side by side
    assert "None" not in text and "nan" not in text


def test_bad_dataset_shows_file_row_field(tmp_path: Path,
                                          run_page: Callable[..., AppTest]) -> None:
    import shutil

    from geo.bundled import dataset_dir

    for f in dataset_dir().glob("*.csv"):
        shutil.copy(f, tmp_path / f.name)
    text = (tmp_path / "claims.csv").read_text(encoding="utf-8").splitlines()
    text[1] = text[1].replace("killed_", "kiled_", 1)
    (tmp_path / "claims.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    at = run_page("ui/views/incidents.py", data=str(tmp_path))
    assert not at.exception and not at.error
    assert "1 row rejected" in at.warning[0].value  # the valid rows are shown
    problems = next(d.value for d in at.dataframe if "message" in d.value.columns)
    row = problems[problems["row"] == "2"].iloc[0]
    assert (row["file"], row["field"], row["value"]) == ("claims.csv", "category",
                                                         "kiled_security_forces")
    assert "expected one of" in row["message"]
    assert {b.proto.label for b in at.get("download_button")} >= {"Rejected rows (zip)"}
    (tmp_path / "sources.csv").unlink()  # nothing loadable: an error naming the file
    bad = run_page("ui/views/incidents.py", data=str(tmp_path))
    assert bad.error and "sources.csv: file not found" in bad.error[0].value.replace("\\", "")


def test_a_link_cannot_name_a_folder_the_server_does_not_offer(
        run_page: Callable[..., AppTest]) -> None:
    for value in ("/etc", "../../..", "balochistan-2026/../../geo", "\x00", "x" * 5000,
                  "a\x00/../../etc"):
        at = run_page("ui/views/incidents.py", data=value)
        assert not at.exception, at.exception  # never a traceback (a NUL, a long name)
        assert at.error and "no such dataset here" in at.error[0].value.replace("\\", "")
        assert "balochistan" in at.error[0].value  # what is offered, by name
        assert str(ROOT) not in at.error[0].value  # never a server path
    assert not run_page("ui/views/incidents.py", data="balochistan-2026").error


def test_briefing_view_shows_only_the_static_composition(
        run_page: Callable[..., AppTest]) -> None:
    app = run_page("ui/views/incidents.py", view="briefing", district="Gwadar", figures="official")
    assert not app.exception
    main = [type(e).__name__ for e in app.main.children.values()]
    # The rendered briefing map first; below it only the way back and its downloads.
    assert main[0] == "Image" and "Block" in main[1]
    assert not app.get("metric") and not app.get("dataframe")
    assert {b.proto.label for b in app.get("download_button")} == {
        "Download PNG", "Download PDF", "Download SVG"}
    assert "briefing" in str(app.query_params["view"])
    assert app.sidebar.selectbox(key="size").value == "1920x1080"  # the default size
    app.button(key="leave_briefing").click().run()
    assert not app.exception and "view" not in app.query_params
    assert app.get("metric") or any("No figure" in c.value for c in app.caption), \
        "the interactive page is back"
    normal = run_page("ui/views/incidents.py")
    labels = {b.proto.label for b in normal.get("download_button")}
    assert {"Static map (PNG)", "Static map (PDF)"} <= labels


def test_two_sessions_on_the_same_cached_data_keep_their_own_results(
        run_page: Callable[..., AppTest], gaz: Gazetteer) -> None:
    """Streamlit shares the cached dataset between sessions: filtering in one must never
    change what the other sees (nothing mutates the shared frames)."""
    a = run_page("ui/views/incidents.py", district="Quetta", figures="official")
    b = run_page("ui/views/incidents.py", district="Gwadar", figures="highest")
    for _ in range(2):  # interleaved reruns and filter changes
        a.sidebar.selectbox(key="figures").set_value("highest").run()
        b.sidebar.selectbox(key="district").set_value("Kharan").run()
        a.sidebar.selectbox(key="figures").set_value("official").run()
        b.sidebar.selectbox(key="district").set_value("Gwadar").run()
    for at, policy, district in ((a, "official", "Quetta"), (b, "highest", "Gwadar")):
        assert not at.exception
        want = _expected(gaz, policy, district=district)
        got = _metrics(at)
        assert {k: got[k] for k in want} == want, (policy, district)
        assert _district_table(at)["district"].astype(str).tolist() == [
            district]
    fresh = load_dataset()  # and the cached frames still equal a fresh load
    again = run_page("ui/views/incidents.py")
    assert _expected(gaz, "lowest") == {k: _metrics(again)[k] for k in _expected(gaz, "lowest")}
    assert len(fresh.incidents) == int(again.caption[0].value.split()[0]) + len(
        summarise(fresh, gaz).unresolved)


def test_area_claims_are_visible_and_in_full_when_opened(app: AppTest) -> None:
    """The province-wide figures are on the page side by side (31 vs 18, 133 vs 145);
    each claim in full (words, source, note) is sent once its expander is opened."""
    def text() -> str:
        return " ".join(m.value for m in app.markdown).replace("\\", "")

    overview = text()
    assert "**Civilians killed, Balochistan**" in overview
    civilians = overview.split("**Civilians killed, Balochistan**")[1].split("\n")[0]
    assert "**31** per" in civilians and "**at least 18** per" in civilians
    militants = overview.split("**Militants killed, Balochistan**")[1].split("\n")[0]
    assert "**133** per" in militants and "**at least 145** per" in militants
    assert "claim C006" not in overview  # the details wait for the expander
    app.session_state["area_claims_open"] = True
    app.run()
    assert not app.exception
    assert "claim C006" in text() and "18 civilians" in text()


def test_a_page_opened_during_the_warm_up_gets_the_map_frame_first(
        run_page: Callable[..., AppTest], gaz: Gazetteer,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """While the server's warm-up reads the default dataset, the page sends the map's fixed
    part (its frame loads meanwhile), waits for the warm-up and runs again: the same
    page as on a warm server, with one map."""
    from ui import data as dashboard_data

    started, done = threading.Event(), threading.Event()
    started.set()
    monkeypatch.setattr(dashboard_data, "_WARM_STARTED", started)
    monkeypatch.setattr(dashboard_data, "_WARM_DONE", done)
    threading.Timer(0.5, done.set).start()
    t0 = time.monotonic()
    at = run_page("ui/views/incidents.py")
    assert time.monotonic() - t0 >= 0.5, "the page did not wait for the warm-up"
    assert not at.exception, at.exception
    assert _metrics(at) == _expected(gaz, "lowest")
    assert len(at.get("component_instance")) == 1
    assert "Reading the dataset..." not in [c.value for c in at.caption]


def test_a_server_dataset_is_written_to_the_disk_cache_once_the_page_is_sent(
        run_page: Callable[..., AppTest], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from geo.bundled import dataset_dir

    data = tmp_path / "mine"
    shutil.copytree(dataset_dir(), data)
    with (data / "sources.csv").open("a", encoding="utf-8") as f:  # content of its own
        f.write("S900,Test outlet,,A test source,2026-02-02,,,news,,,\n")
    monkeypatch.setenv("GEO_CACHE_DIR", str(tmp_path / "cache"))
    at = run_page("ui/views/incidents.py", data=str(data))
    assert not at.exception and not at.warning  # every row valid
    assert len(list((tmp_path / "cache").glob("*.analysis.pickle"))) == 1
