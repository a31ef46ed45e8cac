"""A dataset's edit log: every batch of coded rows saved into it, and every undo.

The log is ``history.jsonl`` beside the dataset's tables, one JSON object per line,
only ever appended to (under the dataset's lock, :mod:`geo.coding.store`). Each
``add`` batch says who saved it and when, which reports it came from, what it added
or attached, every reviewed row with the value extracted and the value accepted, and
the SHA-256 of each table file before and after; the table files as they were before
it are kept under ``.history/BATCH/`` (gzip), so an undo gives them back byte for byte.

A JSON-lines file, not SQLite: the dataset stays a folder of plain files that a
reader can open, diff and archive, appends of one line are atomic enough under the
lock, and the undo needs the files' bytes anyway.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from geo.dataset.ingest import DATASET_FILES
from geo.errors import DataError

__all__ = ["HISTORY_DIR", "LOG_NAME", "Batch", "append_batch", "file_hashes", "read_log",
           "undone"]

LOG_NAME = "history.jsonl"
"""The edit log's file name, in the dataset's folder."""

HISTORY_DIR = ".history"
"""Folder (in the dataset's) of the table files as they were before each batch."""


@dataclass(frozen=True)
class Batch:
    """One line of the edit log.

    Attributes
    ----------
    batch : str
        Its id (``B`` + UTC time + random part: sorts by time).
    time : str
        When it was saved, ISO 8601 UTC.
    coder : str
        Who saved it, as they gave their name.
    action : {"add", "undo"}
        Rows added (and attached), or an earlier batch undone.
    undoes : str
        The batch an ``undo`` took back ("" for an ``add``).
    sources : list of str
        Source ids of the reports the rows come from.
    incidents_added, claims_added : list of str
        Rows added.
    incidents_attached : dict of str to str
        A report's incident found in the dataset: its id to the dataset's.
    duplicates : dict of str to str
        A report already in the dataset (nothing added from it): its id to the
        dataset's source.
    rows : list of dict
        Each reviewed row: ``table``, ``id``, ``status`` (``as_extracted``,
        ``edited`` or ``rejected``), ``extracted`` (the values extracted) and
        ``edited`` (the values the coder changed, with their new value), ``evidence``
        (start and end in the report's text).
    before, after : dict of str to str or None
        SHA-256 of each table file before and after (None: no such file).
    note : str
        Anything the saver wants said (e.g. that the dataset had changed since the
        coder opened it, and the rows were merged onto the new state).
    """

    batch: str
    time: str
    coder: str
    action: Literal["add", "undo"]
    undoes: str = ""
    sources: list[str] = field(default_factory=list)
    incidents_added: list[str] = field(default_factory=list)
    claims_added: list[str] = field(default_factory=list)
    incidents_attached: dict[str, str] = field(default_factory=dict)
    duplicates: dict[str, str] = field(default_factory=dict)
    rows: list[dict[str, Any]] = field(default_factory=list)
    before: dict[str, str | None] = field(default_factory=dict)
    after: dict[str, str | None] = field(default_factory=dict)
    note: str = ""

    def to_json(self) -> str:
        """The batch as one line of JSON (no newline inside)."""
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)


def file_hashes(folder: str | Path) -> dict[str, str | None]:
    """SHA-256 of each dataset table file in *folder* (every format), None where absent.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "claims.csv").write_text("claim_id\\n")
    >>> h = file_hashes(d)
    >>> h["claims.csv"][:12], h["incidents.csv"]
    ('a6ea5cf4ebeb', None)
    """
    root = Path(folder)
    return {name: (hashlib.sha256((root / name).read_bytes()).hexdigest()
                   if (root / name).is_file() else None) for name in sorted(DATASET_FILES)}


def read_log(folder: str | Path) -> list[Batch]:
    """Every batch in *folder*'s edit log, oldest first (empty when there is none).

    Raises
    ------
    DataError
        A line is not a batch (naming the file, line and what is wrong).
    """
    path = Path(folder) / LOG_NAME
    if not path.is_file():
        return []
    out = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                out.append(_checked(Batch(**json.loads(line))))
            except (ValueError, TypeError) as exc:
                raise DataError.single(str(path), f"line {n} is not a batch of the edit "
                                       f"log: {exc}") from exc
    return out


_TYPES = {"batch": str, "time": str, "coder": str, "action": str, "undoes": str,
          "sources": list, "incidents_added": list, "claims_added": list,
          "incidents_attached": dict, "duplicates": dict, "rows": list, "before": dict,
          "after": dict, "note": str}


def _checked(batch: Batch) -> Batch:
    """*batch* if each field has its type and the action is known (else TypeError)."""
    for name, kind in _TYPES.items():
        if not isinstance(getattr(batch, name), kind):
            raise TypeError(f"{name} is not a {kind.__name__}")
    if batch.action not in ("add", "undo"):
        raise TypeError(f"action {batch.action!r} is neither add nor undo")
    if not all(isinstance(r, dict) for r in batch.rows):
        raise TypeError("rows are not objects")
    return batch


def append_batch(folder: str | Path, batch: Batch) -> None:
    """Append *batch* to *folder*'s edit log and flush it to disk (call under the
    dataset's lock)."""
    with (Path(folder) / LOG_NAME).open("a", encoding="utf-8") as fh:
        fh.write(batch.to_json() + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def undone(log: list[Batch]) -> set[str]:
    """Ids of the ``add`` batches an ``undo`` in *log* took back."""
    return {b.undoes for b in log if b.action == "undo"}
