"""``python -m geo history`` and ``python -m geo undo``: a dataset's edit log, and a
batch of it taken back; the ``--coder`` option of the commands that write one.

The log (``history.jsonl``, :mod:`geo.coding.log`) is a file in the dataset's folder,
so everything in it (coder names, notes, ids) is data: it reaches the terminal only
on one line per value and through :func:`geo.cli.options.echo`, which neutralises
control and bidirectional characters.
"""

from __future__ import annotations

import getpass
import json
import shlex
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from geo.cli.options import echo, fail
from geo.coding.log import LOG_NAME, Batch, file_hashes, read_log, undone
from geo.dataset.ingest import DATASET_FILES
from geo.errors import DataError

__all__ = ["coder_option", "dataset_folder", "history", "login_name", "undo_cmd"]

MAX_CODER = 80
"""The longest coder name (:func:`geo.coding.store.save_batch` refuses longer ones)."""


def login_name() -> str:
    """The user's login name, ``""`` when the system has none to give."""
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # no LOGNAME/USER and no passwd entry
        return ""


def _coder(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str:
    name = " ".join((login_name() if value is None else value).split())
    if not name:
        raise click.BadParameter("give a name: every batch records who saved it" if value
                                 is not None else "there is no login name to use: give "
                                 "--coder NAME", param_hint="--coder")
    if len(name) > MAX_CODER:
        raise click.BadParameter(f"at most {MAX_CODER} characters, not {len(name)}",
                                 param_hint="--coder")
    return name


def coder_option(text: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """``--coder NAME`` (default: the login name) with *text* as its help, given to the
    command as ``coder``: the name with its runs of white space made one space; a
    usage error when empty or longer than :data:`MAX_CODER`."""
    return click.option("--coder", callback=_coder, metavar="NAME", help=text)


def dataset_folder(folder: Path) -> Path:
    """*folder* when it is a dataset's folder (a table file or an edit log in it).

    Raises
    ------
    DataError
        It does not exist, is not a folder, or holds neither.
    """
    if not folder.is_dir():
        raise DataError.single(str(folder), "dataset folder not found" if not folder.exists()
                               else "not a folder: give the dataset's folder")
    if not (folder / LOG_NAME).is_file() and not any((folder / n).is_file()
                                                     for n in DATASET_FILES):
        raise DataError.single(str(folder), "not a dataset folder: it has no "
                               "sources, incidents or claims file")
    return folder


def _plain(value: Any) -> str:
    """A value of the log on one line (line breaks and runs of white space as one
    space); :func:`echo` then escapes what control characters are left."""
    return " ".join(str(value).split())


def _counts(b: Batch) -> str:
    return (f"+{len(b.sources)} sources, +{len(b.incidents_added)} incidents, "
            f"+{len(b.claims_added)} claims; {len(b.incidents_attached)} incidents attached "
            f"to the dataset's, {len(b.duplicates)} reports already in it")


def _review(b: Batch) -> str:
    """Rows edited, accepted as extracted and rejected (unreviewed rows: as extracted)."""
    status = Counter(str(r.get("status", "")) for r in b.rows if isinstance(r, dict))
    as_extracted = (status["as_extracted"] if b.rows
                    else len(b.incidents_added) + len(b.claims_added))
    return (f"rows: {status['edited']} edited, {as_extracted} as extracted, "
            f"{status['rejected']} rejected")


def _undoable(folder: Path, log: list[Batch]) -> tuple[Batch | None, str]:
    """The batch that can be undone now (the newest add still in effect), and why not
    when the tables changed since it was saved."""
    gone = undone(log)
    adds = [b for b in log if b.action == "add" and b.batch not in gone]
    if not adds:
        return None, "nothing to undo"
    last = adds[-1]
    if file_hashes(folder) != last.after:
        return None, (f"{_plain(last.batch)} cannot be undone: the tables changed since it "
                      "was saved")
    return last, ""


@click.command("history")
@click.argument("folder", type=click.Path(path_type=Path), metavar="DIR")
@click.option("--json", "as_json", is_flag=True,
              help="Print one JSON object: every batch as logged (with undone_by), and "
                   "the batch that can be undone now (can_undo).")
def history(folder: Path, as_json: bool) -> None:
    """List the batches of a dataset's edit log, oldest first: who saved what and
    when, what each added, how many rows were edited, and which batches were undone.

    Every save into the dataset (a run of extract, say) is a batch; the newest batch
    still in effect can be undone with python -m geo undo DIR BATCH.
    """
    try:
        log = read_log(dataset_folder(folder))
    except DataError as exc:
        fail(exc)
        return
    by = {b.undoes: b.batch for b in log if b.action == "undo"}
    can, why = _undoable(folder, log)
    if as_json:
        if not log:
            echo(f"{folder}: no edit log ({LOG_NAME}): nothing has been saved as a batch",
                 err=True)
        echo(json.dumps({"dataset": str(folder),
                         "batches": [{**asdict(b), "undone_by": by.get(b.batch)} for b in log],
                         "can_undo": can.batch if can else None},
                        ensure_ascii=False, indent=2))
        return
    if not log:
        echo(f"{folder}: no edit log ({LOG_NAME}): nothing has been saved as a batch")
        return
    for b in log:
        head = f"{_plain(b.batch)}  {_plain(b.time)}  {_plain(b.coder)}"
        if b.action == "undo":
            echo(f"{head}  undo of {_plain(b.undoes)}")
            continue
        gone = f"  (undone by {_plain(by[b.batch])})" if b.batch in by else ""
        echo(f"{head}  add{gone}")
        echo(f"    {_counts(b)}")
        echo(f"    {_review(b)}")
        if b.note:
            echo(f"    note: {_plain(b.note)}")
    n = len(log)
    echo(f"{n} batch{'es' if n != 1 else ''}; "
         + (f"can be undone now: {_plain(can.batch)} (python -m geo undo "
            f"{shlex.quote(str(folder))} {shlex.quote(_plain(can.batch))})" if can else why))


@click.command("undo")
@click.argument("folder", type=click.Path(path_type=Path), metavar="DIR")
@click.argument("batch")
@coder_option("Who undoes it (kept in the edit log); default: the login name.")
def undo_cmd(folder: Path, batch: str, coder: str) -> None:
    """Undo BATCH of the dataset in DIR: its table files are given back as they were
    before it, byte for byte, and the undo is logged.

    Only the newest batch still in effect can be undone (python -m geo history DIR
    names it), and only while its files are as it left them. Exits 1, changing
    nothing, when it cannot be undone.
    """
    from geo.coding.store import undo

    try:
        line = undo(dataset_folder(folder), batch, coder=coder)
    except DataError as exc:
        fail(exc)
        return
    target = next((b for b in read_log(folder) if b.batch == batch and b.action == "add"),
                  None)
    restored = sorted(n for n, h in line.after.items() if h is not None
                      and line.before.get(n) != h)
    removed = sorted(n for n, h in line.after.items() if h is None
                     and line.before.get(n) is not None)
    took = (f" (saved {_plain(target.time)} by {_plain(target.coder)}: "
            f"{len(target.sources)} sources, {len(target.incidents_added)} incidents, "
            f"{len(target.claims_added)} claims taken back)") if target else ""
    echo(f"Undid {_plain(batch)} in {folder}{took}")
    echo(f"  restored as they were before it: {', '.join(restored) or 'no file'}"
         + (f"; removed: {', '.join(removed)}" if removed else ""))
    echo(f"  logged as {line.batch} by {_plain(line.coder)}")
