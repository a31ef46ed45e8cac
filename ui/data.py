"""The dashboard's shared caches (UI layer): the gazetteer and analysed datasets.

Used by the pages in ``ui/views/``; :mod:`ui.server` fills them in a background
thread while the server starts, so the first visitor does not wait for imports, the
gazetteer or the default dataset. Caching lives here, never in ``geo``.

Environment
-----------
GEO_DATASET
    The dataset shown when a link names none (default: the bundled one).
GEO_DATA_ROOTS
    Folders (``os.pathsep``-separated) whose datasets a link may name (``?data=``).
GEO_CACHE_DIR
    Where analysed server-side datasets are kept between runs (``off``: nowhere); see
    :mod:`geo.analysis.cache`. Uploads are never written there.
GEO_WORK_DIR
    Where the coding desk saves working copies (default
    ``$XDG_DATA_HOME/geo-incidents/work``, else ``~/.local/share/geo-incidents/work``);
    a link may name them too. The other datasets the server offers are never written.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import streamlit as st

from geo import Gazetteer
from geo.analysis.analysed import Analysis
from geo.analysis.cache import cached_analysis, store
from geo.bundled import data_dir, dataset_dir
from geo.dataset.ingest import DatasetFiles, collect, dataset_stamp, from_uploads
from geo.dataset.records import read_dataset

__all__ = ["analyse", "analysis_at", "analysis_of_upload", "default_dataset",
           "keep_on_disk", "load_gazetteer", "roots", "wait_warm", "warm", "warming",
           "work_dir"]


@st.cache_resource(show_spinner="Loading gazetteer and boundaries...")
def load_gazetteer() -> Gazetteer:
    """One shared, read-only gazetteer per server process."""
    return Gazetteer.load()


def work_dir() -> Path:
    """Where the coding desk saves working copies (``GEO_WORK_DIR``)."""
    given = os.environ.get("GEO_WORK_DIR")
    if given:
        return Path(given)
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "geo-incidents" / "work"


def default_dataset() -> Path:
    """The dataset shown when a link names none: ``GEO_DATASET``, else the bundled one."""
    given = os.environ.get("GEO_DATASET")
    return Path(given).resolve() if given else dataset_dir()


def roots() -> list[Path]:
    """The folders whose datasets a link may name (``?data=NAME``): the bundled ones, the
    default one's, those the operator lists in ``GEO_DATA_ROOTS``, and the coding desk's
    working copies (``GEO_WORK_DIR``). Nothing else on the server can be read via a URL."""
    return [data_dir(), *([default_dataset().parent] if os.environ.get("GEO_DATASET") else []),
            *[Path(p) for p in os.environ.get("GEO_DATA_ROOTS", "").split(os.pathsep) if p],
            work_dir()]


@st.cache_resource(show_spinner="Locating the incidents...", max_entries=8)
def analyse(fingerprint: str, _files: DatasetFiles, keep: bool = False) -> Analysis:
    """A dataset located once, figures cached per policy; keyed on the files' content
    (shared, read-only), so the same data reached twice is analysed once. With *keep*
    (datasets on the server, not uploads) it is also read from the disk cache
    (:mod:`geo.analysis.cache`), or written there by :func:`keep_on_disk`, so a
    restarted server does not locate again."""
    if not keep:
        return Analysis(read_dataset(_files), load_gazetteer())
    got, cached = cached_analysis(_files, load_gazetteer())
    if not cached:
        with _LOCK:
            _NOT_ON_DISK[fingerprint] = _files
    return got


_LOCK = threading.Lock()
_NOT_ON_DISK: dict[str, DatasetFiles] = {}
"""Server datasets analysed but not yet written to the disk cache, by fingerprint."""


def keep_on_disk(an: Analysis) -> None:
    """Write *an* to the disk cache if it is a server dataset not written yet, with the
    figures computed so far. The page calls it once it has been sent: the write (about
    0.1 s of CPU and 50 MB at 100,000 incidents) is then not on the way to the map."""
    with _LOCK:
        files = _NOT_ON_DISK.pop(an.fingerprint, None)
    if files is not None:
        store(files, an)


@st.cache_resource(show_spinner="Loading the dataset...", max_entries=64)
def analysis_at(path: Path, stamp: object) -> Analysis:
    """A dataset this server offers; read again only when a file changes (*stamp*, from
    dataset_stamp, is part of the key), re-analysed only when its content did."""
    del stamp
    files = collect(path)
    return analyse(files.fingerprint, files, keep=True)


@st.cache_resource(show_spinner="Reading your files...", max_entries=8)
def analysis_of_upload(key: tuple[tuple[str, str], ...], _uploads: Sequence[Any],
                       limit: int) -> Analysis:
    """An uploaded dataset, keyed on the uploads' ids: the bytes are neither copied nor
    hashed on a rerun, only when a new upload is read."""
    del key
    files = from_uploads(((f.name, f.getvalue()) for f in _uploads), limit)
    return analyse(files.fingerprint, files)


_WARM_STARTED = threading.Event()
_WARM_DONE = threading.Event()


def warming() -> bool:
    """Whether :func:`warm` is filling the caches now: a page can show what needs no
    data (the map's frame) meanwhile, then :func:`wait_warm` and run again."""
    return _WARM_STARTED.is_set() and not _WARM_DONE.is_set()


def wait_warm(timeout: float | None = None) -> bool:
    """Block until :func:`warm` has finished (or failed); False on *timeout*."""
    return _WARM_DONE.wait(timeout)


def warm() -> None:
    """Fill the caches the first page view needs: imports, gazetteer and the default
    dataset, read and located (called by :mod:`ui.server` as the server starts).

    Not its first summary: the page computes it (0.1-0.2 s at 100,000 incidents);
    doing it here instead measured within noise (10 interleaved starts each)."""
    _WARM_STARTED.set()
    try:
        # Not streamlit_folium: a component declared outside a script run is not served
        # (its frame gets a 404 under st.App). folium, which it imports, is warmed here.
        import geo.maps.web.incidentmap  # noqa: F401 - folium, branca, jinja2

        path = default_dataset()
        analysis_at(path, dataset_stamp(path))
    finally:
        _WARM_DONE.set()
