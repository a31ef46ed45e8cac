"""Command line: ``python -m geo ...``.

Exit codes: 0 success, 1 some input could not be handled (an unresolved name, a bad
data file), 2 usage errors (click's convention).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from geo import bundled
from geo.errors import DataError, GeoError, UnknownPlaceError
from geo.figures import POLICY_HELP, Policy
from geo.gazetteer import Gazetteer
from geo.match import PRECISION_MEANING, Match
from geo.records import Dataset
from geo.schema import CATEGORIES
from geo.summary import Summary, summarise, summary_to_dict

__all__ = ["main"]


def _fail(exc: DataError) -> None:
    for p in exc.problems:
        click.echo(f"{p}", err=True)
    click.echo(f"{len(exc.problems)} problem(s); nothing was changed.", err=True)
    raise SystemExit(1) from exc


def _load_gazetteer(extra: tuple[Path, ...], no_bundled: bool, threshold: float) -> Gazetteer:
    try:
        return Gazetteer.load(*extra, bundled=not no_bundled, fuzzy_threshold=threshold)
    except DataError as exc:
        _fail(exc)
        raise  # unreachable: _fail exits


def _policy(_ctx: click.Context, _param: click.Parameter, value: str) -> Policy:
    try:
        return Policy.parse(value)
    except GeoError as exc:
        raise click.BadParameter(str(exc)) from exc


def data_option(f: Callable[..., None]) -> Callable[..., None]:
    """``--data DIR``: a dataset folder (default: the bundled one)."""
    return click.option(
        "--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
        help="Dataset folder with incidents.csv, claims.csv, sources.csv "
             "(default: the bundled Balochistan 2026 dataset).",
    )(f)


def figures_option(f: Callable[..., None]) -> Callable[..., None]:
    """``--figures POLICY``."""
    return click.option(
        "--figures", "policy", default="lowest", show_default=True, callback=_policy,
        help=f"Which claim gives the best figure: {POLICY_HELP}.",
    )(f)


def _human(m: Match) -> str:
    if not m.resolved:
        return f"{m.query}: {UnknownPlaceError(m.query, m.suggestions)}"
    where = ", ".join(x for x in (m.district, m.province) if x) or "no district"
    line = (
        f"{m.query} -> {m.name} ({m.kind}; {where}) {m.lat:.5f}, {m.lon:.5f}  "
        f"precision {m.precision}  {m.method} {m.score:g}"
    )
    if m.note:
        line += f"\n    note: {m.note}"
    if m.ambiguous:
        line += "\n    also: " + "; ".join(m.alternatives)
    return line


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="geo-incidents")
def main() -> None:
    """Offline incident mapping: resolve place names, inspect reference data."""


@main.command()
@click.argument("names", nargs=-1, required=True)
@click.option("--province", help="Prefer places in this province (name or P-code).")
@click.option("--district", help="Prefer places in this district (name or P-code).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list, one object per name.")
@click.option(
    "--gazetteer",
    "extra",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A CSV gazetteer (name, lat, lon, ...) added to the bundled one. Repeatable.",
)
@click.option("--no-bundled", is_flag=True, help="Use only the --gazetteer files.")
@click.option(
    "--fuzzy-threshold",
    type=click.FloatRange(0, 100),
    default=80.0,
    show_default=True,
    help="Minimum fuzzy score (0-100) to accept a misspelt name.",
)
def resolve(
    names: tuple[str, ...],
    province: str | None,
    district: str | None,
    as_json: bool,
    extra: tuple[Path, ...],
    no_bundled: bool,
    fuzzy_threshold: float,
) -> None:
    """Resolve place NAMES to coordinates, district and ACLED precision.

    Precision: 1 = the town itself; 2 = near or part of it; 3 = only the district
    or province is known (coded at its centroid). Exits 1 if any name is unresolved.
    """
    gaz = _load_gazetteer(extra, no_bundled, fuzzy_threshold)
    matches = gaz.resolve_many(list(names), province=province, district=district)
    if as_json:
        click.echo(json.dumps([m.to_dict() for m in matches], ensure_ascii=False, indent=2))
    else:
        for m in matches:
            click.echo(_human(m), err=not m.resolved)
    if not all(m.resolved for m in matches):
        sys.exit(1)


@main.command()
@click.option("--province", help="Only districts of this province.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def districts(province: str | None, as_json: bool) -> None:
    """List the districts of the bundled boundary layer and its vintage."""
    from geo.boundaries import Boundaries

    b = Boundaries.load()
    d = b.districts
    if province:
        d = d[d["province_name"].str.casefold() == province.casefold()]
        if d.empty:
            known = ", ".join(sorted(b.provinces["province_name"]))
            click.echo(f"error: unknown province {province!r}; known: {known}", err=True)
            sys.exit(1)
    rows = d[["district_name", "district_pcode", "province_name", "province_pcode"]]
    if as_json:
        click.echo(json.dumps(rows.to_dict("records"), ensure_ascii=False, indent=2))
        return
    for r in rows.itertuples(index=False):
        click.echo(f"{r.district_pcode}\t{r.district_name}\t{r.province_name}")
    click.echo(f"# {len(rows)} districts. Boundary vintage: {b.vintage}", err=True)
    click.echo(f"# {bundled.BOUNDARY_ATTRIBUTION}", err=True)


@main.command()
def precision() -> None:
    """Explain the precision codes."""
    for code, text in PRECISION_MEANING.items():
        click.echo(f"{code}: {text}")


def filter_options(f: Callable[..., None]) -> Callable[..., None]:
    """``--from``, ``--to``, ``--district``, ``--event-type``, ``--source``."""
    f = click.option("--source", "sources", multiple=True, metavar="ID",
                     help="Only incidents reported by this source (repeatable).")(f)
    f = click.option("--event-type", "event_types", multiple=True, metavar="TYPE",
                     help="Only this ACLED event type (repeatable).")(f)
    f = click.option("--district", help="Only this district (or province).")(f)
    f = click.option("--to", "date_to", metavar="YYYY-MM-DD", help="Last day (inclusive).")(f)
    return click.option("--from", "date_from", metavar="YYYY-MM-DD",
                        help="First day (inclusive).")(f)


def _summarise(data_dir: Path | None, policy: Policy, date_from: str | None,
               date_to: str | None, district: str | None, event_types: tuple[str, ...] = (),
               sources: tuple[str, ...] = ()) -> tuple[Dataset, Gazetteer, Summary]:
    ds = _dataset(data_dir)
    gaz = _load_gazetteer((), False, 80.0)
    try:
        return ds, gaz, summarise(ds, gaz, policy, date_from=date_from, date_to=date_to,
                                  district=district, event_types=event_types,
                                  sources=sources)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


def _dataset(data_dir: Path | None) -> Dataset:
    from geo.records import load_dataset

    try:
        return load_dataset(data_dir)
    except DataError as exc:
        _fail(exc)
        raise  # unreachable: _fail exits


@main.command()
@data_option
def validate(data_dir: Path | None) -> None:
    """Check a dataset folder; print every problem as file:row: field: message.

    Also checks that every incident can be located and every area is known. Exits 1
    when anything is wrong.
    """
    from geo.locate import locate_incidents

    ds = _dataset(data_dir)
    gaz = _load_gazetteer((), False, 80.0)
    located = locate_incidents(ds.incidents, gaz)
    bad = 0
    rows = ds.incidents.set_index("incident_id")["_row"]
    for r in located.unresolved.to_dict("records"):
        hint = f"; did you mean {r['suggestions']}?" if r["suggestions"] else ""
        click.echo(f"incidents.csv:{rows[r['incident_id']]}: location: {r['reason']}{hint}",
                   err=True)
        bad += 1
    claims = ds.claims[ds.claims["area"] != ""]
    for r in claims.to_dict("records"):
        if gaz.admin_unit(r["area"]) is None:
            click.echo(f"claims.csv:{r['_row']}: area: no district or province named "
                       f"{r['area']!r}", err=True)
            bad += 1
    n = (len(ds.sources), len(ds.incidents), len(ds.claims))
    if bad:
        click.echo(f"{bad} problem(s).", err=True)
        sys.exit(1)
    click.echo(f"valid: {n[0]} sources, {n[1]} incidents ({len(located.incidents)} located), "
               f"{n[2]} claims")


@main.command()
@data_option
@figures_option
@click.option("--by", type=click.Choice(["district"]), default="district", show_default=True,
              help="Grouping of the summary.")
@filter_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def summary(data_dir: Path | None, policy: Policy, by: str, date_from: str | None,
            date_to: str | None, district: str | None, event_types: tuple[str, ...],
            sources: tuple[str, ...], as_json: bool) -> None:
    """Incidents and casualties per district, and what remains unattributed."""
    _ds, _gaz, s = _summarise(data_dir, policy, date_from, date_to, district, event_types,
                              sources)
    d = summary_to_dict(s)
    if as_json:
        click.echo(json.dumps(d, ensure_ascii=False, indent=2))
    else:
        _print_summary(d)
    if d["unresolved"] or d["unknown_areas"]:
        sys.exit(1)


def _fmt(fig: dict[str, Any] | None) -> str:
    if not fig or fig.get("best") is None and fig.get("low") is None:
        return "-"
    best, low, high = fig.get("best"), fig.get("low"), fig.get("high")
    rng = f" ({low}-{high})" if low != high else ""
    return f"{'?' if best is None else best}{rng}"


def _print_summary(d: dict[str, Any]) -> None:
    click.echo(f"Figure policy: {d['figure_policy']}; {d['incidents']} located incidents")
    for r in d["districts"]:
        figs = ", ".join(f"{k} {_fmt(v)}" for k, v in r["figures"].items())
        click.echo(f"{r['district']} ({r['province']}): {r['incidents']} incidents"
                   + (f"; {figs}" if figs else ""))
    click.echo("Totals (located on the map + unattributed area figures):")
    for cat, t in d["totals"].items():
        area = t["area_total_best"]
        click.echo(f"  {cat}: located {_fmt(t['located'])}"
                   + (f"; area total {area}, unattributed {t['unattributed_best']}"
                      if area is not None else ""))
    for r in d["unattributed"]:
        tag = "" if r["headline"] else " (partial period)"
        click.echo(f"  area {r['area']} {r['period_start']}..{r['period_end']} {r['category']}: "
                   f"{_fmt(r['total'])}, located {r['located']['best']}{tag}")
    for r in d["unresolved"]:
        click.echo(f"unresolved: {r['incident_id']} {r['location']!r}: {r['reason']}", err=True)


@main.command()
@data_option
@figures_option
@click.option("--format", "fmt", type=click.Choice(["geojson", "csv"]), required=True)
@click.option("--what", type=click.Choice(["incidents", "districts"]), default="incidents",
              show_default=True)
@filter_options
@click.option("--out", required=True, help="Output file, or - for stdout.")
def export(data_dir: Path | None, policy: Policy, fmt: str, what: str, date_from: str | None,
           date_to: str | None, district: str | None, event_types: tuple[str, ...],
           sources: tuple[str, ...], out: str) -> None:
    """Export incidents or district summaries as RFC 7946 GeoJSON or CSV."""
    from geo.export import district_frame, incident_frame, write_csv, write_geojson

    ds, gaz, s = _summarise(data_dir, policy, date_from, date_to, district, event_types,
                            sources)
    frame = (incident_frame(s, ds) if what == "incidents"
             else district_frame(s, gaz.boundaries.districts))
    if fmt == "geojson":
        write_geojson(frame, out)
    else:
        write_csv(frame, out)
    if out != "-":
        click.echo(f"wrote {len(frame)} {what} to {out} (figures: {policy})", err=True)


def layers_option(f: Callable[..., None]) -> Callable[..., None]:
    """``--layer CATEGORY`` (repeatable): the casualty layers a map draws."""
    return click.option("--layer", "layers", multiple=True, type=click.Choice(CATEGORIES),
                        help="Casualty layers to draw (repeatable; default: all).")(f)


def _exit_if_not_on_map(s: Summary) -> None:
    """After writing a map: name each incident left off it, and exit 1 if any."""
    for r in s.unresolved.to_dict("records"):
        click.echo(f"not on the map: {r['incident_id']} {r['location']!r}: {r['reason']}",
                   err=True)
    if len(s.unresolved):
        sys.exit(1)


@main.command("map")
@data_option
@figures_option
@filter_options
@click.option("--shade", default="incidents", show_default=True,
              type=click.Choice(["incidents", *CATEGORIES]),
              help="What the district choropleth shows.")
@layers_option
@click.option("--online-tiles", is_flag=True,
              help="Offer OpenStreetMap/CartoDB layers (off until switched on; need network).")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="HTML file to write.")
def map_(data_dir: Path | None, policy: Policy, date_from: str | None, date_to: str | None,
         district: str | None, event_types: tuple[str, ...], sources: tuple[str, ...],
         shade: str, layers: tuple[str, ...], online_tiles: bool, out: Path) -> None:
    """Write the dashboard's interactive map as one self-contained HTML file.

    Leaflet and every other asset are inlined: the file opens offline in a browser.
    Exits 1 (after writing) when some incidents could not be located.
    """
    from geo.incidentmap import incident_map

    _ds, gaz, s = _summarise(data_dir, policy, date_from, date_to, district, event_types,
                             sources)
    m = incident_map(s, gaz, choropleth=shade, categories=layers or CATEGORIES,
                     online_tiles=online_tiles)
    m.save(str(out))
    click.echo(f"wrote a map of {len(s.incidents)} incidents to {out} (figures: {policy})",
               err=True)
    _exit_if_not_on_map(s)


@main.command()
@data_option
@figures_option
@filter_options
@layers_option
@click.option("--title", default=None, help="Map title (default: names the province).")
@click.option("--size", default="1920x1080", show_default=True,
              help="1920x1080, a4-landscape, or WxH pixels.")
@click.option("--dpi", default=150, show_default=True, type=click.IntRange(30, 1200),
              help="Pixels per inch (PNG; PDF and SVG are vector).")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Output .png, .pdf or .svg.")
def render(data_dir: Path | None, policy: Policy, date_from: str | None, date_to: str | None,
           district: str | None, event_types: tuple[str, ...], sources: tuple[str, ...],
           layers: tuple[str, ...], title: str | None, size: str, dpi: int, out: Path) -> None:
    """Write a static briefing map (PNG, PDF or SVG) with no browser or network.

    Exits 1 (after writing) when some incidents could not be located.
    """
    from geo.staticmap import FORMATS, render_map, save_map

    if out.suffix.lower().lstrip(".") not in FORMATS:
        raise click.BadParameter("must end in .png, .pdf or .svg", param_hint="--out")
    ds, gaz, s = _summarise(data_dir, policy, date_from, date_to, district, event_types,
                            sources)
    try:
        fig = render_map(s, gaz, ds, title=title, size=size, dpi=dpi,
                         categories=layers or CATEGORIES, date_from=date_from,
                         date_to=date_to)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--size") from exc
    save_map(fig, out)
    click.echo(f"wrote {out} ({len(s.incidents)} incidents, figures: {policy})", err=True)
    _exit_if_not_on_map(s)
