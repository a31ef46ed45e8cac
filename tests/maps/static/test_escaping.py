"""Static maps (SVG, PDF) carry no markup from the data."""

from __future__ import annotations

from pathlib import Path

from geo import Gazetteer
from geo.analysis.summary import summarise
from geo.dataset.records import load_dataset
from tests.support.hostile import (
    live_attrs,
    parse_html,
)


def test_static_map_svg_and_pdf_carry_no_markup_from_the_data(hostile: Path,
                                                              gaz: Gazetteer) -> None:
    from geo.maps.static.render import map_bytes, render_map

    ds = load_dataset(hostile)
    fig = render_map(summarise(ds, gaz), gaz, ds, dpi=60)
    svg = map_bytes(fig, "svg").decode("utf-8")
    p = parse_html(svg)
    assert not live_attrs(p), live_attrs(p)[:3]
    assert not p.scripts and {t for t, _ in p.tags}.isdisjoint({"img", "foreignobject", "a"})
    assert "&lt;script&gt;alert(1)" in svg  # the payloads are there, as escaped text
    assert map_bytes(fig, "pdf").startswith(b"%PDF") and b"/JavaScript" not in map_bytes(
        fig, "pdf")
