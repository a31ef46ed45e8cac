"""The map commands of ``python -m geo``: ``map`` (interactive HTML) and ``render``
(static PNG/PDF/SVG)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click

from geo.analysis.filter import Filter
from geo.analysis.locate import not_reported
from geo.analysis.summary import Summary
from geo.cli.options import data_option, echo, filter_options, summarise_data
from geo.dataset.schema import CATEGORIES
from geo.io.atomic import atomic_path

__all__ = ["map_", "render"]


def layers_option(f: Callable[..., None]) -> Callable[..., None]:
    """``--layer CATEGORY`` (repeatable): the casualty layers a map draws."""
    return click.option("--layer", "layers", multiple=True, type=click.Choice(CATEGORIES),
                        help="Casualty layers to draw (repeatable; default: all).")(f)


def _exit_if_not_on_map(s: Summary) -> None:
    """After writing a map: name each incident left off it, and exit 1 if a place could
    not be resolved (one coded without a place is not an error)."""
    for r in s.unresolved.to_dict("records"):
        echo(f"not on the map: {r['incident_id']} {r['location']!r}: {r['reason']}",
                   err=True)
    if len(s.unresolved) and not not_reported(s.unresolved).all():
        sys.exit(1)


@click.command("map")
@data_option
@filter_options
@click.option("--shade", default="incidents", show_default=True,
              type=click.Choice(["incidents", *CATEGORIES]),
              help="What the district choropleth shows.")
@layers_option
@click.option("--online-tiles", is_flag=True,
              help="Offer OpenStreetMap/CartoDB layers (off until switched on; need network).")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="HTML file to write.")
def map_(data_dir: Path | None, view: Filter, shade: str, layers: tuple[str, ...],
         online_tiles: bool, out: Path) -> None:
    """Write the dashboard's interactive map as one self-contained HTML file.

    Leaflet and every other asset are inlined: the file opens offline in a browser.
    Exits 1 (after writing) when some incidents could not be located.
    """
    from geo.maps.web.incidentmap import incident_map

    _ds, gaz, s = summarise_data(data_dir, view)
    m = incident_map(s, gaz, choropleth=shade, categories=layers or CATEGORIES,
                     online_tiles=online_tiles)
    with atomic_path(out) as tmp:
        m.save(str(tmp))
    echo(f"wrote a map of {len(s.incidents)} incidents to {out} (figures: {view.policy})",
               err=True)
    _exit_if_not_on_map(s)


@click.command()
@data_option
@filter_options
@layers_option
@click.option("--title", default=None, help="Map title (default: names the province).")
@click.option("--size", default="1920x1080", show_default=True,
              help="1920x1080, a4-landscape, or WxH pixels.")
@click.option("--dpi", default=150, show_default=True, type=click.IntRange(30, 1200),
              help="Pixels per inch (PNG; PDF and SVG are vector).")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Output .png, .pdf or .svg.")
def render(data_dir: Path | None, view: Filter, layers: tuple[str, ...], title: str | None,
           size: str, dpi: int, out: Path) -> None:
    """Write a static briefing map (PNG, PDF or SVG) with no browser or network.

    Exits 1 (after writing) when some incidents could not be located.
    """
    from geo.maps.static.render import FORMATS, render_map, save_map

    if out.suffix.lower().lstrip(".") not in FORMATS:
        raise click.BadParameter("must end in .png, .pdf or .svg", param_hint="--out")
    ds, gaz, s = summarise_data(data_dir, view)
    try:
        fig = render_map(s, gaz, ds, title=title, size=size, dpi=dpi,
                         categories=layers or CATEGORIES)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--size") from exc
    save_map(fig, out)
    echo(f"wrote {out} ({len(s.incidents)} incidents, figures: {view.policy})", err=True)
    _exit_if_not_on_map(s)
