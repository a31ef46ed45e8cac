"""``python -m geo extract``: reports (text files, saved web pages) to dataset rows
for a person to check, written as a new dataset or added to one.

Every figure found becomes a claim with the sentence that states it (``evidence``,
with its offsets into the report's text) and a ``confidence``; figures with no place
and names the gazetteer does not know are listed, not guessed. A run that changes the
dataset saves its rows with :func:`geo.coding.store.save_batch`: one batch of the
dataset's edit log, under the folder's lock, each row stamped with its coder and
batch, and undoable (``python -m geo undo``). Text from the reports reaches the
terminal only through :func:`geo.cli.options.echo`, which neutralises control and
bidirectional characters.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shlex
import shutil
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import click
import pandas as pd

from geo.cli.history import coder_option
from geo.cli.options import echo, fail, load_gazetteer
from geo.coding.log import HISTORY_DIR, LOG_NAME, Batch
from geo.dataset.ingest import DATASET_FILES
from geo.dataset.save import write_files
from geo.errors import DataError
from geo.gazetteer.resolve import Gazetteer

if TYPE_CHECKING:  # imported when the command runs: trafilatura and pysbd take 0.15 s
    from geo.coding.store import Saved
    from geo.extraction.grouping import Extraction
    from geo.extraction.merge import Merger, MergeReport
    from geo.extraction.pipeline import FileResult

__all__ = ["extract"]

KINDS = ("news", "wire", "official_statement", "militant_claim", "analysis", "other")
_SHOWN = 120  # characters of a sentence shown


def _date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        if len(value) != 10:
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"expected a date as YYYY-MM-DD, got {value!r}") from None


def _short(text: str, n: int = _SHOWN) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n - 3] + "..."


def _target(out: Path | None, append_to: Path | None) -> tuple[Path, dict[str, pd.DataFrame]]:
    """The folder to write and its tables so far."""
    from geo.extraction.texttables import empty_tables, read_tables

    if (out is None) == (append_to is None):
        raise click.UsageError("give --out NEW_DATASET_DIR or --append-to DATASET_DIR "
                               "(one of them)")
    if out is not None:
        if out.exists() and (not out.is_dir() or any(out.iterdir())):
            raise click.BadParameter(f"{out} exists and is not an empty folder: give a new "
                                     "folder, or --append-to to add to a dataset",
                                     param_hint="--out")
        return out, empty_tables()
    assert append_to is not None
    try:
        return append_to, read_tables(append_to)
    except DataError as exc:
        fail(exc)
        raise  # unreachable: fail exits


class _Rows(Protocol):
    """Where the rows a run added are looked up: a :class:`Merger`, or the saved rows."""

    def rows(self, table: str, ids: Iterable[str]) -> list[dict[str, str]]: ...

    def incident(self, incident_id: str) -> dict[str, str]: ...


class _Written:
    """The rows of a saved batch, as written: the preview's rows (*merger*) with the
    batch's provenance columns when the save merged as the preview did, else the
    dataset's *tables* read back."""

    def __init__(self, merger: Merger, batch: Batch,
                 tables: dict[str, pd.DataFrame] | None = None) -> None:
        self._merger, self._batch, self._tables = merger, batch, tables

    def rows(self, table: str, ids: Iterable[str]) -> list[dict[str, str]]:
        if self._tables is not None:
            from geo.dataset.schema import ID_COLUMNS

            df = self._tables[table]
            return df[df[ID_COLUMNS[table]].astype(str).isin(set(ids))].to_dict("records")
        b = self._batch
        stamp = {"coded_by": b.coder, "coded_at": b.time, "batch": b.batch,
                 "review": "as_extracted"}
        return [{**r, **stamp} for r in self._merger.rows(table, ids)]

    def incident(self, incident_id: str) -> dict[str, str]:
        if self._tables is not None:
            hit = self.rows("incidents", [incident_id])
            return hit[0] if hit else {}
        return self._merger.incident(incident_id)


def _remove_new(folder: Path, existed: bool) -> None:
    """Take away what a failed --out save left in *folder* (empty before it)."""
    from geo.coding.store import LOCK_NAME

    for name in (*DATASET_FILES, LOG_NAME, LOCK_NAME):
        (folder / name).unlink(missing_ok=True)
    shutil.rmtree(folder / HISTORY_DIR, ignore_errors=True)
    if not existed and not any(folder.iterdir()):
        folder.rmdir()


def _save(folder: Path, new: bool, extractions: Sequence[Extraction], gaz: Gazetteer,
          coder: str) -> Saved:
    """*extractions* saved into *folder* as one batch of its edit log (a new dataset's
    empty tables written first); on failure, the problems printed and exit 1."""
    from geo.coding.store import save_batch
    from geo.extraction.texttables import empty_tables

    existed = folder.exists()
    try:
        if new:
            write_files(empty_tables(), folder, "csv")
        return save_batch(folder, extractions, gaz, coder=coder)
    except DataError as exc:
        if new:
            _remove_new(folder, existed)
        fail(exc)
        raise  # unreachable: fail exits
    except ValueError as exc:  # an id taken by a save to the dataset since it was read
        if new:
            _remove_new(folder, existed)
        echo(f"error: {folder}: {exc}; nothing was changed", err=True)
        sys.exit(1)


def _unplaced(r: FileResult) -> list[dict[str, Any]]:
    assert r.extraction is not None
    return [{"value": c.value, "category": c.category, "value_text": c.value_text,
             "evidence": c.evidence, "evidence_start": c.evidence_start,
             "evidence_end": c.evidence_end, "locator": c.locator}
            for c in r.extraction.unplaced]


def _unresolved(r: FileResult) -> list[dict[str, Any]]:
    assert r.extraction is not None
    return [{"text": m.text, "start": m.start, "end": m.end,
             "suggestions": list(m.match.suggestions)} for m in r.extraction.unresolved]


def _file_json(r: FileResult, report: MergeReport | None, merger: _Rows) -> dict[str, Any]:
    d: dict[str, Any] = {"file": str(r.path), "error": r.error, "source_id": "",
                         "duplicate_of": "", "claims": [], "incidents": [], "unplaced": [],
                         "unresolved": [], "merge": None}
    if r.extraction is None or report is None:
        return d
    d.update(source_id=report.source_id, duplicate_of=report.duplicate_of,
             unplaced=_unplaced(r), unresolved=_unresolved(r), merge=report.to_dict())
    for table, ids in (("claims", report.claims_added), ("incidents", report.incidents_added)):
        d[table] = merger.rows(table, ids)
    return d


def _attached(mine: pd.DataFrame, report: MergeReport, merger: _Rows) -> list[str]:
    """What to check about the incidents a report was attached to: several as likely,
    or another place name or event type in the same district on the same day."""
    out: list[str] = []
    if not report.incidents_attached:
        return out
    for row in mine[mine["incident_id"].isin(list(report.incidents_attached))].itertuples():
        theirs = report.incidents_attached[row.incident_id]
        old = merger.incident(theirs)
        said = f"{row.location}, {row.event_type}"
        was = f"{old.get('location', '')}, {old.get('event_type', '')}"
        also = report.ambiguous.get(row.incident_id)
        if also:
            out.append(f"{row.incident_id} ({said}) attached to {theirs}; as likely: "
                       + ", ".join(also))
        elif said.casefold() != was.casefold():
            out.append(f"{row.incident_id} ({said}) attached to {theirs} ({was}): same "
                       "district, same day")
    return out


def _print_file(r: FileResult, report: MergeReport, merger: _Rows) -> None:
    name = r.path.name
    if report.duplicate_of:
        echo(f"{name}: already in the dataset as {report.duplicate_of}; nothing changed")
        return
    assert r.extraction is not None
    n = len(report.claims_added)
    areas = sum(bool(c.get("area")) for c in merger.rows("claims", report.claims_added))
    x = r.extraction
    skipped = (f", {len(report.claims_skipped)} identical claims left out"
               if report.claims_skipped else "")
    echo(f"{name}: {n} claims ({len(report.incidents_added)} incidents new, "
         f"{len(report.incidents_attached)} attached to existing, {areas} area-wide), "
         f"{len(x.unplaced)} figures unplaced, {len(x.unresolved)} places unresolved"
         + skipped)
    for line in _attached(x.incidents, report, merger):
        echo(f"  check: {line}")
    for c in x.unplaced:
        echo(f"  unplaced: {c.value_text!r} ({c.locator}): {_short(c.evidence)}")
    for m in x.unresolved:
        hint = f"; did you mean {', '.join(m.match.suggestions)}?" if m.match.suggestions else ""
        echo(f"  unresolved: {_short(m.text, 60)!r} at {m.start}{hint}")


@click.command("extract")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path),
                metavar="FILE_OR_DIR...")
@click.option("--published", callback=_date, metavar="YYYY-MM-DD",
              help="Publication date of the reports (default: a web page's own, or a "
                   "dateline stating its year; a report with none is an error).")
@click.option("--publisher", metavar="NAME",
              help="Publisher of the reports (default: a web page's site name).")
@click.option("--url", metavar="URL", help="The report's address; only with one file: "
              "with several files it is an error to pass --url.")
@click.option("--kind", type=click.Choice(KINDS), default="news", show_default=True,
              help="The sources' kind; in an official_statement or a militant_claim, "
              "the figures nobody is quoted for are the publisher's.")
@click.option("--out", type=click.Path(path_type=Path), default=None, metavar="NEW_DATASET_DIR",
              help="New dataset folder to write (must not exist, or be empty).")
@click.option("--append-to", "append_to", type=click.Path(path_type=Path), default=None,
              metavar="DATASET_DIR",
              help="Dataset folder to add the rows to, written back in its format. It must "
                   "be valid (python -m geo validate --data DIR).")
@click.option("--jobs", type=click.IntRange(min=1), default=None, metavar="N",
              help="Processes reading reports at once (default: one per CPU).")
@coder_option("Who coded the rows: kept on every row and in the dataset's edit log; "
              "default: the login name.")
@click.option("--json", "as_json", is_flag=True,
              help="Print one JSON object: per file its rows, unplaced figures, "
                   "unresolved places and what was merged; the folder written and the "
                   "batch of its edit log.")
def extract(paths: tuple[Path, ...], published: dt.date | None, publisher: str | None,
            url: str | None, kind: str, out: Path | None, append_to: Path | None,
            jobs: int | None, coder: str, as_json: bool) -> None:
    """Read reports (text files, saved web pages, or folders of them) and write every
    casualty figure as a claim, with the incident it belongs to, to a new dataset
    (--out) or an existing one (--append-to).

    In folders, files named *.txt, *.text, *.md, *.html, *.htm or *.xhtml are read,
    in subfolders too (hidden ones left out).
    Each claim keeps its sentence (evidence, evidence_start, evidence_end) and a
    confidence: check them before use. Reports of one incident (same district, same
    day) share it; a report already in the dataset (same URL or text) is skipped.
    The rows are saved as one batch of the dataset's edit log (history.jsonl), each
    row with who coded it and the batch (coded_by, coded_at, batch, review): python -m
    geo history DIR lists the batches, python -m geo undo DIR BATCH takes one back.
    Exits 1 when a file could not be read (the others are written).
    """
    from geo.extraction.merge import Merger
    from geo.extraction.pipeline import FileResult, extract_files, report_files

    folder, tables = _target(out, append_to)
    files = report_files(paths)
    if url and len(files) > 1:
        raise click.BadParameter(f"one report's address, but {len(files)} files are given",
                                 param_hint="--url")
    gaz = load_gazetteer((), False, 80.0)
    workers = min(jobs or os.cpu_count() or 1, len(files))
    source = gaz if workers <= 1 else Gazetteer.load
    options: dict[str, Any] = {"jobs": workers, "published": published,
                               "publisher": publisher, "url": url, "kind": kind}
    if len(files) > 1:
        with click.progressbar(length=len(files), label="Reading reports",
                               file=sys.stderr) as bar:
            results = extract_files(files, source, progress=bar.update, **options)
    else:
        results = extract_files(files, source, **options)
    # A preview of the merge: the reports that can be added (an id already in the
    # dataset for another row is that file's error), then all of them saved as one
    # batch, merged again under the dataset's lock onto its tables as they are then.
    merger = Merger(tables, gaz)
    checked: list[tuple[FileResult, int | None]] = []
    taken: list[Extraction] = []
    preview: list[MergeReport] = []
    for r in results:
        ex = r.extraction
        if ex is not None:
            try:
                preview.append(merger.add(ex))
            except ValueError as exc:
                r = FileResult(r.path, None, f"{r.path.name}: {exc}")
            else:
                checked.append((r, len(taken)))
                taken.append(ex)
                continue
        echo(f"error: {r.error}", err=True)
        checked.append((r, None))
    saved = (_save(folder, out is not None, taken, gaz, coder)
             if any(p.changed for p in preview) else None)  # else: no file touched
    batch = saved.batch if saved is not None else None
    reports = saved.reports if saved is not None else preview
    rows: _Rows = merger
    if batch is not None:
        rows = _Written(merger, batch) if reports == preview else _Written(
            merger, batch, _read_back(folder))
    listed = []
    for r, i in checked:
        report = reports[i] if i is not None else None
        if report is not None and not as_json:
            _print_file(r, report, rows)
        listed.append(_file_json(r, report, rows))
    if batch is not None:
        undo = f"python -m geo undo {shlex.quote(str(folder))} {batch.batch}"
        echo(f"Wrote {folder}: +{len(batch.sources)} sources, +{len(batch.incidents_added)} "
             f"incidents, +{len(batch.claims_added)} claims; check them: every row has "
             f"confidence and evidence columns. Batch {batch.batch} of its edit log, by "
             f"{batch.coder} (to take it back: {undo})", err=as_json)
    else:
        echo(f"{folder}: nothing changed" if append_to else f"{folder}: nothing written",
             err=as_json)
    if as_json:
        echo(json.dumps({"files": listed, "written": str(folder) if batch else None,
                         "batch": batch.batch if batch else None},
                        ensure_ascii=False, indent=2))
    if len(taken) < len(checked):
        sys.exit(1)


def _read_back(folder: Path) -> dict[str, pd.DataFrame] | None:
    """The dataset's tables as saved (a save merged onto another's since the preview);
    None when they cannot be read."""
    from geo.extraction.texttables import read_tables

    try:
        return read_tables(folder)
    except DataError:
        return None
