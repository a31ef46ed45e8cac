"""Options and helpers shared by the ``python -m geo`` commands.

Loading a dataset for a command prints every problem and note to stderr, keeps the
valid rows, and marks the run so the command exits 1 at the end
(:func:`geo.cli.commands.main`'s result callback).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from geo.analysis.filter import Filter
from geo.analysis.summary import Summary, summarise
from geo.dataset.policy import POLICY_HELP
from geo.dataset.records import Dataset, read_dataset
from geo.errors import DataError, FilterError, PolicyError
from geo.gazetteer.online import OnlineGeocoder, boundary_country, default_cache
from geo.gazetteer.resolve import Gazetteer

__all__ = ["ONLINE", "REJECTED", "data_option", "dataset", "echo", "fail", "filter_options",
           "load_gazetteer", "online_geocoder", "online_option", "say_if_offline",
           "summarise_data"]

# C0/C1 controls (escape sequences), and the bidirectional controls, which reorder what
# follows on the line (a query starting with U+202E prints the line backwards).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                      r"\u2066-\u2069]")

REJECTED = "geo.rejected"
"""Key in the root click context's ``meta``: rows a command had to leave out."""
ONLINE = "geo.online"
"""Key in the root click context's ``meta``: ``--online`` was given."""


def echo(message: str, err: bool = False) -> None:
    """``click.echo`` with control characters from the data shown as ``\\u001b``, never
    sent to the terminal (no escape sequence in a file can move the cursor, recolour
    or retitle it, and no bidirectional control can reorder the line); JSON stays
    valid."""
    click.echo(_CONTROL.sub(lambda m: f"\\u{ord(m[0]):04x}", message), err=err)


def fail(exc: DataError) -> None:
    for p in exc.problems:
        echo(f"{p}", err=True)
    echo(f"{len(exc.problems)} problem(s); nothing was changed.", err=True)
    raise SystemExit(1) from exc


def load_gazetteer(extra: tuple[Path, ...], no_bundled: bool, threshold: float) -> Gazetteer:
    try:
        return Gazetteer.load(*extra, bundled=not no_bundled, fuzzy_threshold=threshold)
    except DataError as exc:
        fail(exc)
        raise  # unreachable: _fail exits


def data_option(f: Callable[..., None]) -> Callable[..., None]:
    """``--data DIR|ZIP``: a dataset folder or zip (default: the bundled one)."""
    return click.option(
        "--data", "data_dir", type=click.Path(path_type=Path), default=None,
        help="Dataset folder, or .zip of one, with sources.csv, incidents.csv (or "
             "incidents.geojson) and claims.csv, or the same tables as .parquet (GeoParquet "
             "for incidents; see geo convert) (default: the bundled Balochistan 2026 "
             "dataset). Rejected rows are reported and left out; the command then "
             "exits 1.",
    )(f)


def filter_options(f: Callable[..., None]) -> Callable[..., None]:
    """The options that make a :class:`~geo.analysis.filter.Filter` (``--figures``,
    ``--from``, ``--to``, ``--district``, ``--event-type``, ``--source``), given to the
    command as one argument, ``view``; also ``--online``.

    A value the filter refuses (a date that is not YYYY-MM-DD, an unknown policy) is a
    usage error naming the option.
    """
    @functools.wraps(f)
    def command(*args: Any, policy: str, date_from: str | None, date_to: str | None,
                district: str | None, event_types: tuple[str, ...],
                sources: tuple[str, ...], **kwargs: Any) -> None:
        try:
            view = Filter.from_text(policy=policy, date_from=date_from, date_to=date_to,
                                    district=district, event_types=event_types,
                                    sources=sources)
        except FilterError as exc:
            hint = {"date_from": "--from", "date_to": "--to"}.get(exc.field, exc.field)
            raise click.BadParameter(str(exc), param_hint=hint) from exc
        except PolicyError as exc:
            raise click.BadParameter(str(exc), param_hint="--figures") from exc
        return f(*args, view=view, **kwargs)

    options: list[Callable[[Callable[..., Any]], Callable[..., Any]]] = [
        click.option("--figures", "policy", default="lowest", show_default=True,
                     help=f"Which claim gives the best figure: {POLICY_HELP}."),
        click.option("--from", "date_from", metavar="YYYY-MM-DD",
                     help="First day (inclusive)."),
        click.option("--to", "date_to", metavar="YYYY-MM-DD", help="Last day (inclusive)."),
        click.option("--district", help="Only this district (or province)."),
        click.option("--event-type", "event_types", multiple=True, metavar="TYPE",
                     help="Only this ACLED event type (repeatable)."),
        click.option("--source", "sources", multiple=True, metavar="ID",
                     help="Only incidents reported by this source (repeatable)."),
        online_option,
    ]
    for option in reversed(options):  # click lists options in the order they are added
        command = option(command)
    return command


def online_option(f: Callable[..., None]) -> Callable[..., None]:
    """``--online``: ask an online geocoder for names the gazetteer cannot resolve."""
    def remember(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
        if value:
            ctx.find_root().meta[ONLINE] = True
    return click.option(
        "--online", is_flag=True, expose_value=False, callback=remember,
        help="Ask Nominatim (OpenStreetMap, via geopy) for names the offline gazetteer "
             "cannot resolve; answers cached on disk, offline answers never replaced.",
    )(f)


def online_geocoder() -> OnlineGeocoder | None:
    """The run's online geocoder when ``--online`` was given, else None."""
    if not click.get_current_context().find_root().meta.get(ONLINE):
        return None
    return OnlineGeocoder(default_cache(), country=boundary_country())


def say_if_offline(online: OnlineGeocoder | None) -> None:
    """Tell the user when the online geocoder could not be reached."""
    if online is not None and online.unavailable:
        echo(f"online geocoding unavailable ({online.unavailable}); carried on offline",
             err=True)


def summarise_data(data_dir: Path | None, view: Filter
                   ) -> tuple[Dataset, Gazetteer, Summary]:
    """Load, locate (online too with ``--online``) and summarise for a command."""
    from geo.analysis.locate import locate_incidents

    ds = dataset(data_dir)
    gaz = load_gazetteer((), False, 80.0)
    online = online_geocoder()
    located = locate_incidents(ds.incidents, gaz, online) if online else None
    say_if_offline(online)
    try:
        return ds, gaz, summarise(ds, gaz, view, located=located)
    except FilterError as exc:
        raise click.BadParameter(str(exc), param_hint="--district") from exc
    except PolicyError as exc:
        raise click.BadParameter(str(exc), param_hint="--figures") from exc


def dataset(data_dir: Path | None) -> Dataset:
    """The dataset's valid rows; every problem and note printed to stderr first."""
    try:
        ds = read_dataset(data_dir)
    except DataError as exc:
        fail(exc)
        raise  # unreachable: _fail exits
    for n in ds.notes:
        echo(f"note: {n.note()}", err=True)
    for p in sorted(ds.problems, key=lambda p: (p.file, p.row or 0)):
        echo(str(p), err=True)
    if ds.problems:
        rows = sum(len(r) for r in ds.rejected.values())
        echo(f"{len(ds.problems)} problem(s): {rows} row(s) rejected and left out "
                   "(python -m geo validate --rejects FILE.zip writes them out).", err=True)
        click.get_current_context().find_root().meta[REJECTED] = rows
    return ds
