"""Command line: ``python -m geo ...``.

Exit codes: 0 success, 1 some input could not be handled (an unresolved name, a bad
data file), 2 usage errors (click's convention).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from geo import bundled
from geo.errors import DataError, UnknownPlaceError
from geo.gazetteer import Gazetteer
from geo.match import PRECISION_MEANING, Match

__all__ = ["main"]


def _load_gazetteer(extra: tuple[Path, ...], no_bundled: bool, threshold: float) -> Gazetteer:
    try:
        return Gazetteer.load(*extra, bundled=not no_bundled, fuzzy_threshold=threshold)
    except DataError as exc:
        for p in exc.problems:
            click.echo(f"error: {p}", err=True)
        raise SystemExit(1) from exc


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
