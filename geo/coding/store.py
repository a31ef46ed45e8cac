"""Saving coded reports into a dataset folder, and taking a save back, without losing
anyone's edits.

:func:`save_batch` merges reports (:class:`~geo.extraction.grouping.Extraction`, as a
coder accepted them) into a dataset folder under the folder's lock (the ``filelock``
package: two people, or two processes, saving at once are served one after the
other), onto the tables as they are *then*: a save against a dataset that changed
since the coder opened it is merged onto the new state, and says so, never written
over it. Each save is one batch of the edit log (:mod:`geo.coding.log`), with the
table files as they were before it kept for :func:`undo`, which gives them back byte
for byte. The tables are written atomically (all new or all old).
"""

from __future__ import annotations

import datetime as dt
import gzip
import secrets
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from filelock import FileLock, Timeout

from geo.coding.log import HISTORY_DIR, Batch, append_batch, file_hashes, read_log, undone
from geo.dataset.ingest import DATASET_FILES
from geo.dataset.save import write_files
from geo.errors import DataError
from geo.extraction.grouping import Extraction
from geo.extraction.merge import Merger, MergeReport
from geo.extraction.texttables import dataset_format, read_tables
from geo.gazetteer.resolve import Gazetteer
from geo.io.atomic import atomic_paths

__all__ = ["LOCK_NAME", "LOCK_TIMEOUT", "PROVENANCE_COLUMNS", "Saved", "save_batch", "undo",
           "working_copy"]

LOCK_NAME = ".geo-dataset.lock"
"""The lock file in a dataset folder (held while a batch is saved or undone)."""

LOCK_TIMEOUT = 60.0
"""Seconds to wait for another save to the same dataset before giving up."""

PROVENANCE_COLUMNS = ("coded_by", "coded_at", "batch", "review")
"""Columns each incident and claim saved by :func:`save_batch` carries: who saved it,
when (ISO 8601 UTC), in which batch of the edit log, and ``as_extracted`` or
``edited`` (the values extracted are in the log)."""


@dataclass(frozen=True)
class Saved:
    """What :func:`save_batch` did.

    Attributes
    ----------
    batch : Batch or None
        The edit log's new batch; None when nothing changed (every report was in the
        dataset already).
    reports : list of MergeReport
        Per report, what was added and attached.
    since_opened : list of Batch
        Batches saved by others after the coder opened the dataset (*opened*); the
        rows were merged onto them.
    """

    batch: Batch | None
    reports: list[MergeReport]
    since_opened: list[Batch] = field(default_factory=list)


def _now(when: dt.datetime | None) -> dt.datetime:
    return (when or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)


def _lock(folder: Path, timeout: float) -> FileLock:
    if not folder.is_dir():  # the lock file would create the folder
        raise DataError.single(str(folder), "dataset folder not found" if not folder.exists()
                               else "not a folder: give the dataset's folder")
    lock = FileLock(str(folder / LOCK_NAME), timeout=timeout)
    try:
        lock.acquire()
    except Timeout as exc:
        raise DataError.single(str(folder), f"another save to this dataset has held it for "
                               f"{timeout:.0f} s; try again") from exc
    return lock


def _check_coder(coder: str) -> str:
    name = " ".join(str(coder).split())
    if not name:
        raise ValueError("give the coder's name: every saved row records who coded it")
    if len(name) > 80:
        raise ValueError(f"a coder's name has at most 80 characters, not {len(name)}")
    return name


def _stamped(tables: dict[str, pd.DataFrame], added: dict[str, set[str]], coder: str,
             at: str, batch: str, review: dict[str, str]) -> dict[str, pd.DataFrame]:
    """*tables* with the provenance columns set on the rows *added* (ids by table;
    ``review`` by row id, default ``as_extracted``), empty on the others."""
    out = dict(tables)
    for table, key in (("incidents", "incident_id"), ("claims", "claim_id")):
        df = tables[table].copy()
        ids = df[key].astype(str)
        new = ids.isin(added[table]).to_numpy()
        for column, value in (("coded_by", coder), ("coded_at", at), ("batch", batch)):
            old = df[column] if column in df.columns else pd.Series("", index=df.index)
            df[column] = old.where(~new, value)
        old = df["review"] if "review" in df.columns else pd.Series("", index=df.index)
        df["review"] = old.where(~new, ids.map(lambda i: review.get(i, "as_extracted")))
        out[table] = df
    return out


def _snapshot(folder: Path, batch: str) -> None:
    """The table files as they are now, gzip'd under ``.history/BATCH/``."""
    keep = folder / HISTORY_DIR / batch
    keep.mkdir(parents=True, exist_ok=True)
    for name in DATASET_FILES:
        if (folder / name).is_file():
            (keep / f"{name}.gz").write_bytes(gzip.compress((folder / name).read_bytes(),
                                                            mtime=0))


def save_batch(folder: str | Path, extractions: Sequence[Extraction], gazetteer: Gazetteer,
               *, coder: str, rows: Sequence[dict[str, Any]] = (),
               opened: str | None = None, when: dt.datetime | None = None,
               timeout: float = LOCK_TIMEOUT) -> Saved:
    """Merge coded reports into a dataset folder as one batch of its edit log.

    Parameters
    ----------
    folder : path
        The dataset (a folder, valid: :func:`~geo.extraction.texttables.read_tables`).
    extractions : sequence of Extraction
        The reports' rows as accepted (:func:`geo.coding.review.apply_review`, or as
        extracted).
    gazetteer : Gazetteer
        Resolves the districts of the dataset's incidents (to find the same incident).
    coder : str
        Who coded them (kept on every row and in the log).
    rows : sequence of dict
        The review of each row (:attr:`geo.coding.review.Reviewed.rows`): kept in the
        log; a row's ``status`` (``as_extracted`` / ``edited``) is also its ``review``.
    opened : str, optional
        The id of the last batch the coder saw when opening the dataset (``""``: none
        had been saved). Batches saved since are named in :attr:`Saved.since_opened`
        and in the batch's note.
    when : datetime, optional
        The time to record (default: now).
    timeout : float
        Seconds to wait for another save to this dataset.

    Returns
    -------
    Saved

    Raises
    ------
    DataError
        The folder is not a valid dataset, or another save held it too long.
    ValueError
        No coder name, or a report's id is already in the dataset for another row.
    """
    root = Path(folder)
    name = _check_coder(coder)
    review = {str(r["id"]): str(r["status"]) for r in rows if r.get("status") != "rejected"}
    lock = _lock(root, timeout)
    try:
        at = _now(when)  # taken under the lock: the log's order is its time order
        batch_id = f"B{at:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"
        log = read_log(root)
        since = _since(log, opened)
        merger = Merger(read_tables(root), gazetteer)
        reports = [merger.add(e) for e in extractions]
        if not any(r.changed for r in reports):
            return Saved(None, reports, since)
        added = {"incidents": {i for r in reports for i in r.incidents_added},
                 "claims": {c for r in reports for c in r.claims_added}}
        tables = _stamped(merger.tables(), added, name, at.isoformat(timespec="seconds"),
                          batch_id, review)
        before = file_hashes(root)
        _snapshot(root, batch_id)
        write_files(tables, root, dataset_format(root))
        batch = Batch(
            batch=batch_id, time=at.isoformat(timespec="seconds"), coder=name, action="add",
            sources=[r.source_id for r in reports if r.changed],
            incidents_added=[i for r in reports for i in r.incidents_added],
            claims_added=[c for r in reports for c in r.claims_added],
            incidents_attached={k: v for r in reports for k, v in r.incidents_attached.items()},
            duplicates={r.source_id: r.duplicate_of for r in reports if not r.changed},
            rows=list(rows), before=before, after=file_hashes(root),
            note=("merged onto batches saved after the coder opened the dataset: "
                  + ", ".join(f"{b.batch} by {b.coder}" for b in since)) if since else "")
        append_batch(root, batch)
        return Saved(batch, reports, since)
    finally:
        lock.release()


def _since(log: list[Batch], opened: str | None) -> list[Batch]:
    """Batches after *opened* (None: the caller did not say what it saw)."""
    if opened is None:
        return []
    ids = [b.batch for b in log]
    start = ids.index(opened) + 1 if opened in ids else (0 if opened == "" else len(ids))
    return log[start:]


def undo(folder: str | Path, batch: str, *, coder: str, when: dt.datetime | None = None,
         timeout: float = LOCK_TIMEOUT) -> Batch:
    """Give a dataset's table files back as they were before *batch*, byte for byte.

    Only the newest batch still in effect can be undone (later ones built on it), and
    only while the files are as that batch left them (not edited since by hand).

    Returns
    -------
    Batch
        The ``undo`` line written to the edit log.

    Raises
    ------
    DataError
        No such batch, already undone, a later batch in effect, the files changed
        since, or its saved files are missing.
    """
    root = Path(folder)
    name = _check_coder(coder)
    lock = _lock(root, timeout)
    try:
        at = _now(when)
        log = read_log(root)
        gone = undone(log)
        adds = [b for b in log if b.action == "add" and b.batch not in gone]
        target = next((b for b in log if b.batch == batch and b.action == "add"), None)
        where = str(root)
        if target is None:
            raise DataError.single(where, f"no batch {batch} in this dataset's edit log "
                                   "(python -m geo history lists them)")
        if batch in gone:
            raise DataError.single(where, f"batch {batch} was undone already")
        if adds[-1].batch != batch:
            later = [b.batch for b in adds[adds.index(target) + 1:]]
            raise DataError.single(where, f"batch {batch} cannot be undone while later "
                                   f"batches build on it: undo {', '.join(reversed(later))} "
                                   "first")
        if file_hashes(root) != target.after:
            raise DataError.single(where, f"the tables changed since batch {batch} was "
                                   "saved (edited outside the coding desk?): undoing it "
                                   "would lose those changes")
        kept = root / HISTORY_DIR / batch
        restore = {n: kept / f"{n}.gz" for n, h in target.before.items() if h is not None}
        missing = [str(p) for p in restore.values() if not p.is_file()]
        if missing:
            raise DataError.single(where, f"the files saved before batch {batch} are "
                                   f"missing: {', '.join(missing)}")
        with atomic_paths([root / n for n in restore]) as tmps:
            for tmp, src in zip(tmps, restore.values(), strict=True):
                tmp.write_bytes(gzip.decompress(src.read_bytes()))
        for n, h in target.before.items():
            if h is None and (root / n).is_file():
                (root / n).unlink()
        line = Batch(batch=f"U{at:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}",
                     time=at.isoformat(timespec="seconds"), coder=name, action="undo",
                     undoes=batch, before=target.after, after=file_hashes(root))
        append_batch(root, line)
        return line
    finally:
        lock.release()


def working_copy(dataset: str | Path, work_dir: str | Path, name: str) -> Path:
    """A copy of *dataset*'s table files at ``work_dir/name`` to code into (a
    read-only dataset, such as the bundled one, is never written); an existing copy
    is returned as it is.

    Raises
    ------
    DataError
        *name* is not a plain folder name.
    """
    safe = Path(name).name
    if not safe or safe != name or safe.startswith("."):
        raise DataError.single(str(work_dir), f"not a folder name for a working copy: {name!r}")
    dest = Path(work_dir) / safe
    if dest.is_dir() and any((dest / n).is_file() for n in DATASET_FILES):
        return dest
    dest.mkdir(parents=True, exist_ok=True)
    for n in DATASET_FILES:
        if (Path(dataset) / n).is_file():
            shutil.copyfile(Path(dataset) / n, dest / n)
    return dest
