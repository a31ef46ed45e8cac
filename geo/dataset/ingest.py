"""Where a dataset's files come from: a folder, a zip archive, or uploaded files.

Everything is read into memory and nothing from an archive is ever written to disk,
so no member name can reach a path outside the dataset: names that would (absolute
paths, ``..``, drive letters) are refused and reported, as are members that are not
dataset files. Sizes are checked before anything is decompressed, against a limit,
so an archive cannot expand without bound.
"""

from __future__ import annotations

import functools
import hashlib
import io
import zipfile
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from geo.errors import DataError, Problem

__all__ = ["DATASET_FILES", "MAX_BYTES", "TABLE_FILES", "DatasetFiles", "collect",
           "dataset_location", "dataset_stamp", "from_uploads", "read_zip",
           "remove_other_formats", "table_files"]

DATASET_FILES = ("sources.csv", "incidents.csv", "incidents.geojson", "claims.csv",
                 "sources.parquet", "incidents.parquet", "claims.parquet")
"""The files of a dataset: each table as CSV or as Parquet (one of the two); incidents
also as GeoJSON (then as one of the three)."""

TABLE_FILES = {"sources": ("sources.csv", "sources.parquet"),
               "incidents": ("incidents.csv", "incidents.geojson", "incidents.parquet"),
               "claims": ("claims.csv", "claims.parquet")}
"""Per table, the files that may hold it (exactly one of them in a dataset)."""

MAX_BYTES = 2 * 1024**3
"""Default limit on an archive's total size once expanded (a folder has none: its
files are the operator's, and a million incidents take about 300 MB of CSV)."""

_MAX_MEMBERS = 10_000


@dataclass
class DatasetFiles:
    """A dataset's files in memory.

    Attributes
    ----------
    origin : str
        Where they came from, for messages (a folder, ``upload.zip``, ``upload``).
    files : dict of str to bytes
        File name (one of :data:`DATASET_FILES`) to content.
    notes : list of Problem
        What was left out and why (archive members that are not dataset files, unsafe
        names).
    """

    origin: str
    files: dict[str, bytes]
    notes: list[Problem] = field(default_factory=list)

    @functools.cached_property
    def fingerprint(self) -> str:
        """A hash of the files' names and contents (BLAKE2b, 32 hex digits).

        Equal for equal content wherever it came from (folder, zip, upload), so
        derived results (located incidents, per-policy figures) can be cached on it.
        Computed once (0.35 s for a million incidents as CSV): the files are not
        changed once read.
        """
        h = hashlib.blake2b(digest_size=16)
        for name in sorted(self.files):
            data = self.files[name]
            h.update(f"{name}\0{len(data)}\0".encode())
            h.update(data)
        return h.hexdigest()


def table_files(names: Collection[str]) -> tuple[dict[str, str], list[Problem]]:
    """Per table, the file of *names* holding it, and a problem per table given twice.

    Parameters
    ----------
    names : collection of str
        The dataset's file names (:attr:`geo.dataset.ingest.DatasetFiles.files`).

    Returns
    -------
    dict of str to str
        Table to file name (the CSV name when none is given).
    list of Problem
        One per table given in more than one format (nothing can be read then).
    """
    chosen, problems = {}, []
    for table, options in TABLE_FILES.items():
        given = [n for n in options if n in names]
        chosen[table] = given[0] if given else options[0]
        if len(given) > 1:
            which = (f"{given[0]} or {given[1]}, not both" if len(given) == 2 else
                     "only one of " + ", ".join(given))
            problems.append(Problem(given[-1], None, None, None, f"give {which}"))
    return chosen, problems


def remove_other_formats(folder: str | Path, table: str, keep: str) -> None:
    """Delete *folder*'s other files for *table* (after *keep* was written), so the
    folder holds each table once and stays readable."""
    for name in TABLE_FILES[table]:
        if name != keep:
            (Path(folder) / name).unlink(missing_ok=True)


def collect(path: str | Path, limit: int | None = None) -> DatasetFiles:
    """The dataset files of a folder or a ``.zip`` archive.

    *limit* caps the total size in bytes (default: none for a folder,
    :data:`MAX_BYTES` for an archive, once expanded).

    Raises
    ------
    DataError
        The path does not exist, is not a folder or zip, or is too large.
    """
    p = Path(path)
    if p.is_dir():
        files = {n: (p / n).read_bytes() for n in DATASET_FILES if (p / n).is_file()}
        if limit is not None:
            _check_size(str(p), sum(len(b) for b in files.values()), limit)
        return DatasetFiles(str(p), files)
    if p.is_file() and p.suffix.lower() == ".zip":
        cap = MAX_BYTES if limit is None else limit
        _check_size(p.name, p.stat().st_size, cap)
        return read_zip(p.name, p.read_bytes(), cap)
    if p.is_file():
        raise DataError.single(str(p), "a dataset is a folder (or a .zip of one) with "
                               "sources.csv, incidents.csv or incidents.geojson, and "
                               "claims.csv (or any of them as .parquet)")
    raise DataError.single(str(p), "dataset folder not found")


def _check_size(name: str, size: int, limit: int) -> None:
    if size > limit:
        raise DataError.single(name, f"{size / 2**20:,.1f} MB is more than the limit of "
                               f"{limit / 2**20:,.0f} MB")


def _unsafe(name: str) -> bool:
    """A member name that would leave the archive's folder if extracted."""
    if "\\" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return True
    return ".." in PurePosixPath(name).parts


def read_zip(name: str, data: bytes, limit: int = MAX_BYTES) -> DatasetFiles:
    """The dataset files in a zip archive (at its top or in one folder of it).

    Parameters
    ----------
    name : str
        The archive's name, for messages.
    data : bytes
        The archive.
    limit : int
        Largest total size, expanded, in bytes.

    Raises
    ------
    DataError
        Not a readable zip, encrypted, too large once expanded, too many members, or
        holding several datasets.
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DataError.single(name, f"not a readable zip archive ({exc})") from exc
    if len(infos) > _MAX_MEMBERS:
        raise DataError.single(name, f"{len(infos):,} members; at most {_MAX_MEMBERS:,}")
    notes: list[Problem] = []
    found: dict[str, dict[str, zipfile.ZipInfo]] = {}
    ignored: list[str] = []
    for info in infos:
        member = info.filename
        if info.is_dir():
            continue
        if _unsafe(member):
            notes.append(Problem(name, None, member, None,
                                 "ignored: the name points outside the archive"))
            continue
        parts = PurePosixPath(member).parts
        base = parts[-1].lower()
        if base in DATASET_FILES and not any(x.startswith((".", "__MACOSX")) for x in parts):
            folder = found.setdefault("/".join(parts[:-1]), {})
            if base in folder:
                raise DataError.single(name, f"{member} is in the archive twice")
            folder[base] = info
        else:
            ignored.append(member)
    if ignored:
        shown = ", ".join(ignored[:10]) + (f" and {len(ignored) - 10} more"
                                           if len(ignored) > 10 else "")
        notes.append(Problem(name, None, None, None,
                             f"ignored {len(ignored)} member(s) that are not dataset "
                             f"files: {shown}"))
    folders = [f for f, members in found.items()
               if {"incidents.csv", "incidents.geojson", "incidents.parquet"} & set(members)]
    folders = folders or list(found)
    if len(folders) > 1:
        raise DataError.single(name, "the archive holds several datasets (" + ", ".join(
            f"{f or 'top level'}" for f in sorted(folders)) + "); zip one folder")
    members = found[folders[0]] if folders else {}
    elsewhere = sorted(i.filename for f, m in found.items() if folders and f != folders[0]
                       for i in m.values())
    if elsewhere:  # a claims.csv one folder down is not this dataset's: said, not read
        notes.append(Problem(name, None, None, None,
                             f"ignored {len(elsewhere)} dataset file(s) outside the dataset's "
                             f"folder ({folders[0] or 'top level'}): " + ", ".join(elsewhere[:10])))
    if any(i.flag_bits & 0x1 for i in members.values()):
        raise DataError.single(name, "encrypted archives are not supported")
    _check_size(name, sum(i.file_size for i in members.values()), limit)
    files: dict[str, bytes] = {}
    for base, info in members.items():
        with zf.open(info) as fh:  # the header's size may lie: read at most the limit
            content = fh.read(limit + 1)
        _check_size(f"{name}/{info.filename}", len(content), limit)
        files[base] = content
    return DatasetFiles(name, files, notes)


def from_uploads(items: Iterable[tuple[str, bytes]], limit: int = MAX_BYTES
                 ) -> DatasetFiles:
    """A dataset from uploaded files: one zip, or the dataset files themselves.

    Parameters
    ----------
    items : iterable of (name, content)
        As uploaded; names are matched case-insensitively to :data:`DATASET_FILES`.
    limit : int
        Largest total size in bytes.

    Raises
    ------
    DataError
        Nothing uploaded, too large, a file uploaded twice, or a zip among other files.
    """
    items = list(items)
    if not items:
        raise DataError.single("upload", "no file uploaded")
    _check_size("upload", sum(len(b) for _n, b in items), limit)
    zips = [(n, b) for n, b in items if n.lower().endswith(".zip")]
    if zips:
        if len(items) > 1:
            raise DataError.single("upload", "upload one zip archive, or the dataset's "
                                   "CSV/GeoJSON/Parquet files, not both")
        return read_zip(*zips[0], limit=limit)
    files: dict[str, bytes] = {}
    notes: list[Problem] = []
    for n, b in items:
        base = PurePosixPath(n.replace("\\", "/")).name.lower()
        if base not in DATASET_FILES:
            notes.append(Problem(n, None, None, None, "ignored: not a dataset file (expected "
                                 + ", ".join(DATASET_FILES) + ")"))
        elif base in files:
            raise DataError.single(n, "uploaded twice")
        else:
            files[base] = b
    return DatasetFiles("upload", files, notes)


_MAX_NAME = 255
"""Characters of a dataset name a request may give (a file name's limit on most
systems)."""


def dataset_location(value: str, roots: Iterable[str | Path]) -> Path:
    """The dataset a request names (a URL parameter, say), only if a server offers it.

    Parameters
    ----------
    value : str
        A dataset's folder (or zip) name under one of *roots*, or a path inside one.
    roots : iterable of path
        The folders whose datasets may be named; nothing outside them is ever read,
        whatever ``..`` or symbolic links the value holds.

    Returns
    -------
    pathlib.Path
        The dataset's resolved path.

    Raises
    ------
    DataError
        Not a dataset under *roots* (the message lists the names on offer, never a
        server path).
    """
    bases = [Path(r).resolve() for r in roots]
    given = Path(value)
    # A name no file system takes (a NUL, thousands of characters) is not on offer:
    # the error lists what is, never the server's paths or the system's message.
    plausible = "\x00" not in value and len(value) <= _MAX_NAME
    for cand in ([given] if given.is_absolute() else [b / given for b in bases]
                 ) if plausible else []:
        try:
            real = cand.resolve()
            inside = any(real == b or real.is_relative_to(b) for b in bases)
            found = inside and (real.is_dir() or (real.is_file()
                                                  and real.suffix.lower() == ".zip"))
        except (OSError, ValueError):
            continue
        if found:
            return real
    offered = sorted({p.name for b in bases if b.is_dir() for p in b.iterdir()
                      if p.is_dir() or p.suffix.lower() == ".zip"})
    shown = value if plausible else value[:40].replace("\x00", "\\0") + "..."
    raise DataError.single(shown, "no such dataset here; offered: " + (", ".join(offered)
                                                                        or "none"))


def dataset_stamp(path: str | Path) -> tuple[tuple[str, int, int], ...]:
    """(name, size, modification time in ns) of a dataset's files: a cheap cache key
    that changes when a file is edited, added or removed."""
    p = Path(path)
    files = [p / n for n in DATASET_FILES] if p.is_dir() else [p]
    return tuple((f.name, st.st_size, st.st_mtime_ns) for f in files if f.is_file()
                 for st in [f.stat()])
