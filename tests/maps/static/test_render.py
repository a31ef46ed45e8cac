"""Static briefing maps: every format, the requested size, not blank, texts present,
and the same numbers as the summary the CLI prints."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from matplotlib_scalebar.scalebar import ScaleBar
from PIL import Image

from geo import Gazetteer
from geo.analysis.filter import Filter
from geo.analysis.headline import headlines
from geo.analysis.summary import summarise
from geo.cli.commands import main
from geo.dataset.records import Dataset, load_dataset
from geo.maps.static.render import figure_size, map_bytes, render_map, save_map


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset()


def _texts(fig) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")))


@pytest.mark.parametrize(("size", "dpi", "pixels"), [("1920x1080", 150, (1920, 1080)),
                                                     ("a4-landscape", 100, (1169, 826)),
                                                     ("1200x900", 120, (1200, 900))])
def test_png_has_the_requested_size_and_is_not_blank(ds: Dataset, gaz: Gazetteer,
                                                     tmp_path: Path, size: str, dpi: int,
                                                     pixels: tuple[int, int]) -> None:
    fig = render_map(summarise(ds, gaz), gaz, ds, size=size, dpi=dpi)
    out = save_map(fig, tmp_path / "m.png")
    img = Image.open(out)
    assert img.size == pixels
    grey = np.asarray(img.convert("L"), dtype=float)
    assert grey.std() > 20  # pixel variance: a drawn map, not an empty canvas
    assert len(img.convert("RGB").getcolors(maxcolors=1 << 20) or []) > 50


def test_every_format_is_written(ds: Dataset, gaz: Gazetteer, tmp_path: Path) -> None:
    s = summarise(ds, gaz, Filter.from_text(policy="official"))
    fig = render_map(s, gaz, ds, size="a4-landscape")
    heads = {"png": b"\x89PNG", "pdf": b"%PDF", "svg": b"<?xml"}
    for fmt, head in heads.items():
        out = save_map(fig, tmp_path / f"m.{fmt}")
        assert out.read_bytes()[:5].startswith(head) and out.stat().st_size > 10_000
    with pytest.raises(ValueError, match=r"\.png, \.pdf or \.svg"):
        save_map(fig, tmp_path / "m.jpg")


def test_legend_footer_and_figures_agree_with_the_summary(ds: Dataset, gaz: Gazetteer) -> None:
    s = summarise(ds, gaz, Filter.from_text(policy="official", date_from="2026-01-31",
                                            date_to="2026-01-31"))
    fig = render_map(s, gaz, ds, title="Balochistan attacks")
    text = _texts(fig)
    assert "Balochistan attacks" in text and "31 Jan 2026" in text
    assert "official (government" in text and "data as of 1 Feb 2026" in text
    flat = " ".join(text.split())  # the panel wraps long lines
    for h in headlines(s, dataset=ds):  # the panel shows each headline as the summary has it
        assert h.label in text and " ".join(h.text().split()) in flat
    for sid in ("S001", "S003"):
        assert sid in text  # sources of the selection in the footer
    assert "OCHA" in text and "GeoNames" in text and "2022" in text
    assert "Map symbols" in text and "the named town" in text  # legend
    assert any(isinstance(a, ScaleBar) for a in fig.axes[0].artists)
    assert "N" in text.split("\n")  # north arrow


def test_headlines_match_the_cli_summary(ds: Dataset, gaz: Gazetteer) -> None:
    res = CliRunner().invoke(main, ["summary", "--json", "--figures", "highest",
                                    "--district", "Gwadar"])
    totals = json.loads(res.stdout)["totals"]
    s = summarise(ds, gaz, Filter.from_text(policy="highest", district="Gwadar"))
    hl = {h.category: h for h in headlines(s)}
    assert hl, "Gwadar has figures"
    for cat, h in hl.items():
        assert h.located == totals[cat]["located"]["best"]


def test_cli_render_writes_png_pdf_svg(tmp_path: Path) -> None:
    for fmt in ("png", "pdf", "svg"):
        out = tmp_path / f"q.{fmt}"
        res = CliRunner().invoke(main, ["render", "--out", str(out), "--district", "Quetta",
                                        "--size", "800x600", "--dpi", "100"])
        assert res.exit_code == 0, res.output
        assert out.stat().st_size > 5_000
    assert Image.open(io.BytesIO((tmp_path / "q.png").read_bytes())).size == (800, 600)
    bad = CliRunner().invoke(main, ["render", "--out", str(tmp_path / "x.gif")])
    assert bad.exit_code == 2 and ".png, .pdf or .svg" in bad.output
    assert CliRunner().invoke(main, ["render", "--out", str(tmp_path / "x.png"),
                                     "--size", "huge"]).exit_code == 2


def test_figure_size_names() -> None:
    assert figure_size("1920x1080", 150) == (12.8, 7.2)
    w, h = figure_size("a4-landscape")
    assert round(w / h, 3) == round(297 / 210, 3)


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory, gaz: Gazetteer) -> Dataset:
    from geo.dataset.save import write_files
    from geo.synthetic import synthetic_dataset

    d = tmp_path_factory.mktemp("many-sources")
    write_files(synthetic_dataset(gaz.places, 400, seed=7), d)
    return load_dataset(d)


def test_a_long_source_list_is_cut_to_fit_and_says_so(big: Dataset, gaz: Gazetteer) -> None:
    from geo.maps.static.placement import MAX_LABELS
    from geo.maps.static.render import FOOTER_LINES

    s = summarise(big, gaz)
    fig = render_map(s, gaz, big, dpi=100)
    renderer = fig.canvas.get_renderer()
    foot = next(t for t in fig.texts if t.get_text().startswith("Sources ("))
    n = big.sources["source_id"].nunique()
    assert foot.get_text().startswith(f"Sources ({n}): ")
    assert re.search(r"and \d+ more sources \(listed in sources\.csv\)", foot.get_text())
    assert len(foot.get_text().split("\n")) <= FOOTER_LINES
    assert foot.get_window_extent(renderer).x1 <= fig.bbox.width  # wrapped to the figure
    labels = [t for t in fig.axes[0].texts if t.get_text() in set(s.incidents["place"])]
    assert 0 < len(labels) <= MAX_LABELS
    boxes = [t.get_window_extent(renderer) for t in labels]
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])


def test_equal_symbols_at_one_place_are_set_side_by_side() -> None:
    from geo.maps.static.placement import side_by_side

    sym = [(10.0, 5.0, 5.0, "red", True), (4.0, 5.0, 5.0, "blue", True),
           (4.0, 5.0, 5.0, "orange", True), (4.0, 5.0, 5.0, "grey", False),
           (4.0, 9.0, 9.0, "blue", True)]
    dx = side_by_side(sym)
    assert dx[0] == 0 and dx[4] == 0  # a larger nested symbol, a symbol alone: in place
    assert sorted(dx[1:4]) == [-8.0, 0.0, 8.0]  # three equal ones, touching, centred


def test_side_by_side_is_in_the_legend(ds: Dataset, gaz: Gazetteer) -> None:
    from geo.maps.static.placement import SIDE_BY_SIDE

    s = summarise(ds, gaz, Filter.from_text(policy="highest", district="Gwadar"))
    gwadar = render_map(s, gaz, ds, dpi=80)
    assert SIDE_BY_SIDE in _texts(gwadar)  # Pasni: 1 soldier killed and 1 injured


def test_cli_dpi_default_is_the_library_default() -> None:
    from geo.maps.static.render import DPI

    opt = next(p for p in main.commands["render"].params if p.name == "dpi")
    assert opt.default == DPI  # the CLI keeps matplotlib out of its import path


def test_each_figure_says_according_to_whom(ds: Dataset, gaz: Gazetteer) -> None:
    s = summarise(ds, gaz)
    hl = {h.category: h for h in headlines(s, dataset=ds)}
    sf = hl["killed_security_forces"]
    assert (sf.best, sf.high) == (17, 17)  # the militants' 84 is not in the range
    chief = "Chief Minister Sarfraz Bugti (Balochistan government) (government), S000"
    assert sf.by == chief
    assert sf.militant == 84 and sf.militant_by.startswith("Baloch Liberation Army (militant)")
    flat = " ".join(_texts(render_map(s, gaz, ds)).split())
    assert f"per {chief}" in flat
    assert "militants claim 84 (Baloch Liberation Army (militant)" in flat
    # civilians: the located 12 stand beside the officials' 31, not netted against them
    civ = hl["killed_civilians"]
    assert (civ.best, civ.located, civ.incidents) == (31, 12, 2)
    assert "located: 12 in 2 incidents" in flat and "not netted" in flat


@pytest.mark.parametrize("policy", ["official", "lowest", "highest"])
def test_the_named_claimant_gives_the_headline_figure(ds: Dataset, gaz: Gazetteer,
                                                      policy: str) -> None:
    claims = ds.claims.assign(who=ds.claims["claimant"].astype(str) + " ("
                              + ds.claims["claimant_type"].astype(str) + "), "
                              + ds.claims["source_id"].astype(str))
    for h in headlines(summarise(ds, gaz, Filter.from_text(policy=policy)), dataset=ds):
        if not h.has_figure:  # only militants give one: said so, never the headline
            assert h.text().startswith("no figure") and h.militant_by
            continue
        if not h.area:  # a sum of incidents names the claimant classes instead
            assert h.by in ("officials", "media and other sources") or "(" in h.by, h
            continue
        mine = claims[(claims["who"] == h.by) & (claims["category"] == h.category)]
        assert h.best in set(mine["value"]), h  # that claimant really said that number
        assert "(militant)" not in h.by  # a militant claim never gives a headline figure


def test_no_figure_under_the_policy_is_said(ds: Dataset, gaz: Gazetteer) -> None:
    s = summarise(ds, gaz, Filter.from_text(policy="official", district="Gwadar"))
    assert headlines(s) == []
    assert "No casualty figure in this selection" in _texts(render_map(s, gaz, ds, dpi=80))


def test_dollar_signs_in_the_data_are_text_not_mathtext(ds: Dataset, gaz: Gazetteer) -> None:
    import dataclasses

    src = ds.sources.copy()
    src["publisher"] = src["publisher"].astype(str) + r" The $\nope{$ Desk $x^2$"
    evil = dataclasses.replace(ds, sources=src)
    fig = render_map(summarise(evil, gaz), gaz, evil, dpi=60)
    assert r"$\nope{$" in _texts(fig)
    assert map_bytes(fig, "png")[:4] == b"\x89PNG"  # draws (mathtext would raise)


def test_militant_only_figures_are_dotted_rings_in_their_own_legend_row(
        ds: Dataset, gaz: Gazetteer) -> None:
    from geo.maps.symbology import MILITANT_LAYER

    inc = ds.incidents.copy()
    inc["location"] = inc["location"].astype(object)
    inc.loc[inc["incident_id"] == "BAL26-014", "location"] = "Noshki"  # placed, for the test
    s = summarise(Dataset(ds.root, ds.sources, inc, ds.claims, []), gaz,
                  Filter.from_text(district="Nushki"))
    fig = render_map(s, gaz, ds, dpi=80)
    text = _texts(fig)
    assert f"{MILITANT_LAYER}: 1 incident" in text
    assert "militants claim 3" in " ".join(text.split())
    dotted = [c for c in fig.axes[0].collections
              if c.get_linestyle() and c.get_linestyle()[0][1] is not None
              and len(c.get_offsets()) == 1 and c.get_linewidths()[0] == 1.8]
    assert dotted, "the BLA's claim is drawn as a dotted ring"


def test_figures_keep_their_qualifiers(ds: Dataset, gaz: Gazetteer) -> None:
    hl = {h.category: h for h in headlines(summarise(ds, gaz), dataset=ds)}
    assert hl["killed_militants"].text().startswith("at least 145 per ")
    assert hl["killed_militants"].value() == "at least 145"
    assert hl["killed_civilians"].value() == "31"  # the Chief Minister's exact figure
    assert "at least 145 per" in " ".join(_texts(render_map(summarise(ds, gaz), gaz, ds,
                                                            dpi=80)).split())


def test_files_carry_the_briefing_title(ds: Dataset, gaz: Gazetteer) -> None:
    from geo.maps.static.render import map_bytes

    fig = render_map(summarise(ds, gaz), gaz, ds, title="Balochistan attacks", dpi=60)
    pdf = map_bytes(fig, "pdf")
    utf16 = "Balochistan attacks: 30 Jan 2026".encode("utf-16-be")  # PDF text strings
    assert b"/Title (\xfe\xff" + utf16 in pdf
    assert b"<dc:title>Balochistan attacks: 30 Jan 2026" in map_bytes(fig, "svg")
    png = Image.open(io.BytesIO(map_bytes(fig, "png")))
    assert png.info["Title"].startswith("Balochistan attacks: 30 Jan 2026")


def test_a_one_district_briefing_names_its_neighbours(ds: Dataset, gaz: Gazetteer) -> None:
    fig = render_map(summarise(ds, gaz, Filter.from_text(district="Kharan")), gaz, ds, dpi=80)
    names = {t.get_text() for t in fig.axes[0].texts if t.get_style() == "italic"}
    assert {"Kharan", "Chagai", "Washuk", "Nushki", "Kalat"} <= names
