"""Command line: ``python -m geo ...``.

Exit codes: 0 success, 1 some input could not be handled (an unresolved name, a bad
data file), 2 usage errors (click's convention).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import click

from geo import bundled
from geo.analysis.filter import Filter
from geo.analysis.locate import NOT_REPORTED
from geo.cli.convert import convert
from geo.cli.extract import extract
from geo.cli.history import history, undo_cmd
from geo.cli.maps import map_, render
from geo.cli.options import (
    REJECTED,
    data_option,
    dataset,
    echo,
    fail,
    filter_options,
    load_gazetteer,
    online_geocoder,
    online_option,
    say_if_offline,
    summarise_data,
)
from geo.cli.summarytext import print_summary
from geo.errors import DataError, Problem, UnknownPlaceError
from geo.export.summary_json import summary_to_dict
from geo.gazetteer.match import PRECISION_MEANING, Match
from geo.gazetteer.normalise import name_length_problem
from geo.io.atomic import atomic_write

__all__ = ["main"]


def _human(m: Match) -> str:
    if not m.resolved:
        if m.error and name_length_problem(m.query):  # say why, not the whole text twice
            return f"{m.query[:40]}...: {m.error}"
        if m.error and m.error.startswith("names several places"):
            return f"{m.query}: {m.error}"
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


@main.result_callback()
def _exit_status(*_args: Any, **_kwargs: Any) -> None:
    """Exit 1 after a command that had to leave rejected rows out."""
    if click.get_current_context().meta.get(REJECTED):
        sys.exit(1)


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
@online_option
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
    gaz = load_gazetteer(extra, no_bundled, fuzzy_threshold)
    matches = gaz.resolve_many(list(names), province=province, district=district)
    online = online_geocoder()
    if online is not None:  # only the unresolved names are asked
        from geo.gazetteer.online import resolve_online

        matches = [m if m.resolved else resolve_online(gaz, m.query, online,
                                                       province=province, district=district)
                   for m in matches]
        say_if_offline(online)
    if as_json:
        echo(json.dumps([m.to_dict() for m in matches], ensure_ascii=False, indent=2))
    else:
        for m in matches:
            echo(_human(m), err=not m.resolved)
    if not all(m.resolved for m in matches):
        sys.exit(1)


@main.command()
@click.option("--province", help="Only districts of this province.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def districts(province: str | None, as_json: bool) -> None:
    """List the districts of the bundled boundary layer and its vintage."""
    from geo.gazetteer.boundaries import Boundaries

    b = Boundaries.load()
    d = b.districts
    if province:
        d = d[d["province_name"].str.casefold() == province.casefold()]
        if d.empty:
            known = ", ".join(sorted(b.provinces["province_name"]))
            echo(f"error: unknown province {province!r}; known: {known}", err=True)
            sys.exit(1)
    rows = d[["district_name", "district_pcode", "province_name", "province_pcode"]]
    if as_json:
        echo(json.dumps(rows.to_dict("records"), ensure_ascii=False, indent=2))
        return
    for r in rows.itertuples(index=False):
        echo(f"{r.district_pcode}\t{r.district_name}\t{r.province_name}")
    echo(f"# {len(rows)} districts. Boundary vintage: {b.vintage}", err=True)
    echo(f"# {bundled.BOUNDARY_ATTRIBUTION}", err=True)


@main.command()
def precision() -> None:
    """Explain the precision codes."""
    for code, text in PRECISION_MEANING.items():
        echo(f"{code}: {text}")


@main.command()
@data_option
@click.option("--rejects", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the rejected rows, as read and with their problems, to this "
                   ".zip (see geo.dataset.rejects).")
@online_option
def validate(data_dir: Path | None, rejects: Path | None) -> None:
    """Check a dataset; print every problem as file:row: field: message.

    Also checks that every incident can be located and every area is known, and says
    how values in other formats (dates) were read. Exits 1 when anything is wrong.
    """
    from geo.analysis.locate import locate_incidents

    ds = dataset(data_dir)
    if rejects is not None:
        from geo.dataset.rejects import write_rejects

        write_rejects(ds, rejects)
        echo(f"wrote {sum(len(r) for r in ds.rejected.values())} rejected row(s) to "
                   f"{rejects}", err=True)
    gaz = load_gazetteer((), False, 80.0)
    online = online_geocoder()
    located = locate_incidents(ds.incidents, gaz, online)
    say_if_offline(online)
    bad = 0
    rows = ds.incidents.set_index("incident_id")["_row"]
    for r in located.unresolved.to_dict("records"):
        if r["reason"] == NOT_REPORTED:  # coded without a place on purpose: not an error
            continue
        hint = f"; did you mean {r['suggestions']}?" if r["suggestions"] else ""
        echo(f"{ds.files['incidents']}:{rows[r['incident_id']]}: location: "
                   f"{r['reason']}{hint}", err=True)
        bad += 1
    claims = ds.claims[ds.claims["area"] != ""]
    for r in claims.to_dict("records"):
        if gaz.admin_unit(r["area"]) is None:
            echo(f"{ds.files['claims']}:{r['_row']}: area: no district or province named "
                       f"{r['area']!r}", err=True)
            bad += 1
    n = (len(ds.sources), len(ds.incidents), len(ds.claims))
    if bad:
        echo(f"{bad} problem(s).", err=True)
        sys.exit(1)
    echo(f"{'kept' if ds.problems else 'valid'}: {n[0]} sources, {n[1]} incidents "
               f"({len(located.incidents)} located), {n[2]} claims")


@main.command()
@data_option
@click.option("--by", type=click.Choice(["district"]), default="district", show_default=True,
              help="Grouping of the summary.")
@filter_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def summary(data_dir: Path | None, view: Filter, by: str, as_json: bool) -> None:
    """Headline figures (who gives each), incidents and casualties per district, and
    area-wide figures beside what is located."""
    ds, _gaz, s = summarise_data(data_dir, view)
    d = summary_to_dict(s, ds)
    if as_json:
        echo(json.dumps(d, ensure_ascii=False, indent=2))
    else:
        print_summary(d)
    unresolved: list[dict[str, Any]] = d["unresolved"]  # type: ignore[assignment]
    if any(r["reason"] != NOT_REPORTED for r in unresolved) or d["unknown_areas"]:
        sys.exit(1)


@main.command()
@data_option
@click.option("--format", "fmt", type=click.Choice(["geojson", "csv", "acled"]),
              required=True, help="acled: ACLED's columns, figures under --figures; the "
              "sidecar FILE.json beside FILE.csv says what ACLED cannot express and keeps "
              "every claim, so 'import acled' restores them.")
@click.option("--what", type=click.Choice(["incidents", "districts"]), default="incidents",
              show_default=True)
@click.option("--date-format", "date_format", type=click.Choice(["acled", "iso"]),
              default=None, help="acled only: event_date as ACLED writes it (31 January "
              "2026, the default) or YYYY-MM-DD.")
@filter_options
@click.option("--out", required=True, help="Output file, or - for stdout.")
def export(data_dir: Path | None, view: Filter, fmt: str, what: str, out: str,
           date_format: str | None) -> None:
    """Export incidents or district summaries as RFC 7946 GeoJSON, CSV, or ACLED CSV."""
    from geo.export.tables import district_frame, incident_frame, write_csv, write_geojson

    if date_format is not None and fmt != "acled":
        raise click.BadParameter("only for --format acled", param_hint="--date-format")
    if fmt == "acled" and out != "-" and Path(out).suffix.lower() == ".json":
        raise click.BadParameter("the sidecar is FILE.json: name the CSV FILE.csv",
                                 param_hint="--out")
    ds, gaz, s = summarise_data(data_dir, view)
    if fmt == "acled":
        if what != "incidents":
            raise click.BadParameter("ACLED rows are incidents", param_hint="--what")
        from geo.export.acled import acled_frame, acled_sidecar

        how: Literal["acled", "iso"] = "iso" if date_format == "iso" else "acled"
        frame = acled_frame(s, ds, date_format=how)
        write_csv(frame, out)
        meta = json.dumps(acled_sidecar(s, frame, ds, date_format=how), indent=2,
                          ensure_ascii=False)
        if out == "-":
            echo(meta, err=True)
        else:
            side = atomic_write(Path(out).with_suffix(".json"), meta + "\n")
            echo(f"wrote the sidecar {side} (claims, sources, what ACLED cannot express)",
                 err=True)
    else:
        frame = (incident_frame(s, ds) if what == "incidents"
                 else district_frame(s, gaz.boundaries.districts))
        (write_geojson if fmt == "geojson" else write_csv)(frame, out)
    if out != "-":
        echo(f"wrote {len(frame)} {what} to {out} (figures: {view.policy})", err=True)


main.add_command(map_)
main.add_command(render)
main.add_command(convert)
main.add_command(extract)
main.add_command(history)
main.add_command(undo_cmd)


@main.group("import")
def import_() -> None:
    """Turn other datasets (ACLED exports) into a dataset folder."""


@import_.command("acled")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Dataset folder to write (sources.csv, incidents.csv, claims.csv).")
@click.option("--sidecar", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The sidecar of an ACLED file exported by this tool (default: FILE.json "
                   "beside FILE.csv, when there is one).")
@click.option("--no-sidecar", is_flag=True, help="Import the CSV alone, even when a "
              "sidecar is beside it.")
def import_acled_cmd(file: Path, out: Path, sidecar: Path | None, no_sidecar: bool) -> None:
    """Import an ACLED CSV export: each event an incident, its fatalities a claim by
    ACLED (killed_combined: all sides together), its sources source rows, other ACLED
    columns kept (acled_*). A file this tool exported gets its claims, claimants and
    sources back from its sidecar (FILE.json).

    Rows that do not validate are written too and reported at the ACLED file's row
    numbers; the command then exits 1.
    """
    from geo.importers.acled import import_acled

    if sidecar is not None and no_sidecar:
        raise click.BadParameter("give --sidecar or --no-sidecar, not both",
                                 param_hint="--no-sidecar")
    side: Path | Literal[False] | None = False if no_sidecar else sidecar
    _report_import(lambda: import_acled(file, out, sidecar=side), file, out)


def _report_import(run: Callable[[], list[Problem]], file: Path, out: Path) -> None:
    try:
        problems = run()
    except DataError as exc:
        fail(exc)
        return
    for p in problems:
        echo(str(p), err=True)
    echo(f"wrote {out} from {file.name}" + (f"; {len(problems)} problem(s)" if problems
                                             else ""), err=True)
    if problems:
        sys.exit(1)


@import_.command("ucdp")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Dataset folder to write (sources.csv, incidents.csv, claims.csv).")
def import_ucdp_cmd(file: Path, out: Path) -> None:
    """Import a UCDP GED CSV: each event an incident, deaths per side claims by UCDP
    (best, and low/high when one category), UCDP's cross-side best and low-high range
    claims in killed_combined, where_prec mapped to precision 1-3, other columns kept
    (ucdp_*). Problems are reported at the GED file's rows; exit 1."""
    from geo.importers.ucdp import import_ucdp

    _report_import(lambda: import_ucdp(file, out), file, out)


@main.group("gazetteer")
def gazetteer_() -> None:
    """Gazetteer files: import a GeoNames dump."""


@gazetteer_.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Gazetteer CSV to write; use it with resolve --gazetteer FILE "
                   "[--no-bundled].")
def gazetteer_import(file: Path, out: Path) -> None:
    """Import a GeoNames dump (PK.txt...): populated places and administrative
    divisions, in the bundled gazetteer's columns. Unreadable lines are reported by
    number (exit 1)."""
    from geo.importers.geonames import import_geonames

    try:
        got = import_geonames(file, out)
    except DataError as exc:
        fail(exc)
        return
    for p in got.problems:
        echo(str(p), err=True)
    kinds = got.places["feature_code"].str.startswith("ADM")
    skipped = ", ".join(f"{k} {v:,}" for k, v in got.skipped.most_common())
    echo(f"wrote {len(got.places):,} names to {out} ({(~kinds).sum():,} populated places, "
         f"{kinds.sum():,} administrative divisions); skipped: {skipped or 'none'}",
         err=True)
    if got.problems:
        sys.exit(1)
