"""A disk cache of analysed datasets, so a restarted server does not locate again.

:class:`~geo.analysis.analysed.Analysis` keeps located incidents and per-policy figures in
memory, keyed on the dataset's content. This module keeps them on disk too, keyed on

* the dataset's content (:attr:`geo.dataset.ingest.DatasetFiles.fingerprint`),
* the gazetteer's content (places, aliases, boundaries, fuzzy threshold:
  :func:`gazetteer_fingerprint`),
* the code: the source of every ``geo`` module and the versions of Python, pandas,
  numpy, pyarrow, geopandas and shapely,

so any change to one of them is a miss, never a stale answer. Entries are pickles
(one file each, written atomically) in :func:`cache_dir`; the least recently used are
removed beyond :data:`MAX_ENTRIES` entries or :data:`MAX_BYTES`. Uploaded datasets are
not written here (they stay in their session).

A pickle runs code when read, so an entry is trusted only as far as
:mod:`geo.analysis.cache_trust` allows: the folder (created private, 0700) and the
entry must be the user's own and not writable by group or others, else the cache is
off (said once in the log); and each entry carries an HMAC-SHA256 made with the user's
own random key, checked before anything is unpickled. An entry that fails is removed
and never read. The pickles hold pandas and GeoPandas frames, dataclasses and figure
tables of the ``geo`` package: a format that cannot run code would mean a writer and
reader for each of them, so the entries are authenticated instead.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import logging
import os
import pickle
import platform
import re
import tempfile
from importlib.metadata import version
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.analysis.analysed import Analysis
from geo.analysis.cache_trust import (
    CacheRefused,
    EntryWriter,
    folder_problem,
    key_path,
    read_entry,
    read_key,
    refuse_once,
    unseal,
)
from geo.dataset.ingest import DatasetFiles
from geo.dataset.records import read_dataset
from geo.gazetteer.resolve import Gazetteer
from geo.io.atomic import TEMP_PREFIX, remove_stale_temporaries

__all__ = ["MAX_BYTES", "MAX_ENTRIES", "cache_dir", "cache_key", "cached_analysis", "code_hash",
           "gazetteer_fingerprint", "load", "store"]

log = logging.getLogger(__name__)

MAX_ENTRIES = 8
"""Entries kept; the least recently used beyond this are removed."""

MAX_BYTES = 2 * 1024**3
"""Total size kept (about 50 MB per 100,000 incidents)."""

_SUFFIX = ".analysis.pickle"
_FORMAT = 2  # bump when the pickled tuple or the entry's layout changes
_OLD_TEMP = re.compile(r"\.tmp-[a-z0-9_]{8}" + re.escape(_SUFFIX))
"""Temporary entries of earlier versions."""
_swept: set[str] = set()
"""Folders whose stale temporary files this process has removed."""


def cache_dir() -> Path | None:
    """The cache folder: ``GEO_CACHE_DIR``, else ``$XDG_CACHE_HOME/geo-incidents`` (or
    ``~/.cache/geo-incidents``); ``None`` (no disk cache) when ``GEO_CACHE_DIR`` is
    ``off`` or empty."""
    given = os.environ.get("GEO_CACHE_DIR")
    if given is not None:
        return None if given.strip().lower() in ("", "off") else Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "geo-incidents"


def _frame_hash(df: pd.DataFrame | None) -> bytes:
    """Hash of a frame's columns, types and values (geometry as well-known binary)."""
    h = hashlib.blake2b(digest_size=16)
    if df is None:
        return h.digest()
    geom = df.geometry.name if isinstance(df, gpd.GeoDataFrame) else None
    plain = pd.DataFrame(df.drop(columns=[geom])) if geom else df
    for c in plain.columns:
        col = plain[c]
        h.update(f"{c}\0{col.dtype}\0".encode())
        try:
            h.update(pd.util.hash_pandas_object(col, index=False).to_numpy().tobytes())
        except TypeError:  # lists in cells (alternate names): by their text
            h.update("\0".join(map(repr, col.tolist())).encode())
    if geom:
        for wkb in shapely.to_wkb(np.asarray(df.geometry.array)):
            wkb = wkb or b""  # a missing geometry
            h.update(len(wkb).to_bytes(8, "little") + wkb)
    return h.digest()


def gazetteer_fingerprint(gazetteer: Gazetteer) -> str:
    """A hash of what the gazetteer resolves with: places, aliases, district and
    province polygons and attributes, and the fuzzy threshold (computed once per
    gazetteer object; gazetteers are read-only once loaded)."""
    got: str | None = getattr(gazetteer, "_content_fingerprint", None)
    if got is None:
        h = hashlib.blake2b(digest_size=16)
        b = gazetteer.boundaries
        for part in (gazetteer.places, gazetteer.aliases, b.districts, b.provinces):
            h.update(_frame_hash(part))
        h.update(repr(gazetteer.fuzzy_threshold).encode())
        got = h.hexdigest()
        gazetteer._content_fingerprint = got  # type: ignore[attr-defined]
    return got


_PACKAGE = Path(__file__).resolve().parent.parent
"""The ``geo`` package's folder."""


@functools.cache
def _code_version() -> str:
    """:func:`code_hash` of this ``geo`` package (computed once per process)."""
    return code_hash(_PACKAGE)


def code_hash(package: Path) -> str:
    """A hash of the code that makes an entry: the source of every module of *package*
    and its subpackages (names and bytes), and the versions of Python and of the
    libraries whose objects are pickled."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{_FORMAT} {platform.python_version()}".encode())
    for dist in ("pandas", "numpy", "pyarrow", "geopandas", "shapely"):
        h.update(f" {dist}={version(dist)}".encode())
    for src in sorted(package.rglob("*.py")):
        h.update(src.relative_to(package).as_posix().encode() + b"\0" + src.read_bytes())
    return h.hexdigest()


def cache_key(files: DatasetFiles, gazetteer: Gazetteer) -> str:
    """The entry name for *files* analysed with *gazetteer* by this code."""
    h = hashlib.blake2b(digest_size=20)
    for part in (files.fingerprint, gazetteer_fingerprint(gazetteer), _code_version()):
        h.update(part.encode() + b"\0")
    return h.hexdigest()


def load(files: DatasetFiles, gazetteer: Gazetteer, folder: Path | None = None
         ) -> Analysis | None:
    """The cached analysis of *files*, or ``None``: no folder, a folder that is not
    safe to use (not read at all), no entry, or an entry that is not the user's own,
    fails its authentication code or cannot be read (removed, never unpickled).

    Parameters
    ----------
    files : DatasetFiles
        The dataset (its content is the key, not where it was read from).
    gazetteer : Gazetteer
        The gazetteer the page uses (part of the key, and of the analysis returned).
    folder : path, optional
        Default: :func:`cache_dir`.

    Returns
    -------
    Analysis or None
    """
    folder = folder or cache_dir()
    if folder is None or not _safe(folder):
        return None
    name = cache_key(files, gazetteer)
    path = folder / (name + _SUFFIX)
    try:
        data = read_entry(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except CacheRefused as exc:
        _drop(path, str(exc))
        return None
    key = _key()
    if key is None:
        return None
    try:
        payload = unseal(key, name, data)  # before anything is unpickled
    except CacheRefused as exc:
        _drop(path, str(exc))
        return None
    try:
        dataset, located, figures = pickle.loads(payload)
    except Exception as exc:  # noqa: BLE001 - a damaged entry is a miss, and goes
        _drop(path, str(exc))
        return None
    finally:
        del payload, data
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used
    dataset = dataclasses.replace(dataset, root=Path(files.origin))
    return Analysis(dataset, gazetteer, located, figures=figures)


def store(files: DatasetFiles, analysis: Analysis, folder: Path | None = None) -> Path | None:
    """Write *analysis* (its dataset, located incidents and the figures computed so
    far) for *files*; then drop the least recently used entries beyond the limits.
    Returns the entry written, or ``None`` without a folder, with a folder or key that
    is not safe to use (said once), or on an error: errors are logged, not raised, as
    the cache only saves time."""
    folder = folder or cache_dir()
    if folder is None:
        return None
    name = cache_key(files, analysis.gazetteer)
    path = folder / (name + _SUFFIX)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _safe(folder):
            return None
        key = _key()
        if key is None:
            return None
        state = (analysis.dataset, analysis.located, analysis.figures_computed())
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=TEMP_PREFIX, suffix=_SUFFIX)
        try:
            with os.fdopen(fd, "wb") as fh:
                writer = EntryWriter(fh, key, name)
                pickle.dump(state, writer, protocol=pickle.HIGHEST_PROTOCOL)
                writer.close()
            os.replace(tmp, path)
        finally:
            Path(tmp).unlink(missing_ok=True)
        _evict(folder)
    except Exception as exc:  # noqa: BLE001
        log.warning("could not write the analysis cache in %s: %s", folder, exc)
        return None
    return path


def _safe(folder: Path) -> bool:
    """Whether *folder* may hold entries (else that is said once); the first time,
    the temporary files of writes killed over an hour ago are removed."""
    problem = folder_problem(folder)
    if problem:
        refuse_once(folder, problem)
        return False
    if str(folder) not in _swept and folder.is_dir():
        _swept.add(str(folder))
        remove_stale_temporaries(folder, extra=_OLD_TEMP)
    return True


def _key() -> bytes | None:
    """The user's key, or ``None`` (the cache is off; said once)."""
    try:
        return read_key()
    except CacheRefused as exc:
        refuse_once(key_path(), str(exc))
    except OSError as exc:
        refuse_once(key_path(), f"it cannot be read or created ({exc})")
    return None


def _drop(path: Path, why: str) -> None:
    """Remove the entry *path*, which is not read (its folder is the user's own)."""
    log.warning("ignoring unreadable cache entry %s: %s", path, why)
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def _evict(folder: Path) -> None:
    entries = []
    for p in folder.glob("*" + _SUFFIX):
        if p.name.startswith("."):  # being written
            continue
        try:
            st = p.stat()
        except FileNotFoundError:  # removed by another process meanwhile
            continue
        entries.append((st.st_mtime, st.st_size, p))
    entries.sort(reverse=True)  # newest first
    total = 0
    for i, (_, size, p) in enumerate(entries):
        total += size
        if i >= MAX_ENTRIES or (total > MAX_BYTES and i > 0):
            p.unlink(missing_ok=True)


def cached_analysis(files: DatasetFiles, gazetteer: Gazetteer,
                    folder: Path | None = None) -> tuple[Analysis, bool]:
    """The analysis of *files*: from the cache, else computed (not yet stored: call
    :func:`store` when the figures wanted are computed).

    Returns
    -------
    Analysis
    bool
        Whether it came from the cache.
    """
    got = load(files, gazetteer, folder)
    if got is not None:
        return got, True
    return Analysis(read_dataset(files), gazetteer), False
