"""The dashboard's shared caches (UI layer): the gazetteer and analysed datasets.

Imported by ``dashboard.py``, ``pages/`` and ``app.py``, which fills them in a
background thread while the server starts, so the first visitor does not wait for
imports, the gazetteer or the default dataset. Caching lives here, never in ``geo``.

Environment
-----------
GEO_DATASET
    The dataset shown when a link names none (default: the bundled one).
GEO_DATA_ROOTS
    Folders (``os.pathsep``-separated) whose datasets a link may name (``?data=``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import streamlit as st

from geo import Gazetteer
from geo.analysis import Analysis
from geo.bundled import data_dir, dataset_dir
from geo.ingest import DatasetFiles, collect, dataset_stamp, from_uploads
from geo.memory import tune_memory
from geo.records import read_dataset

__all__ = ["ROOTS", "analyse", "analysis_at", "analysis_of_upload", "default_dataset",
           "load_gazetteer", "warm"]


tune_memory()  # see geo.memory: large datasets without compaction stalls or re-faults


@st.cache_resource(show_spinner="Loading gazetteer and boundaries...")
def load_gazetteer() -> Gazetteer:
    """One shared, read-only gazetteer per server process."""
    return Gazetteer.load()


def default_dataset() -> Path:
    """The dataset shown when a link names none: ``GEO_DATASET``, else the bundled one."""
    given = os.environ.get("GEO_DATASET")
    return Path(given).resolve() if given else dataset_dir()


# Datasets a link may name (?data=NAME): the bundled ones, the default one, and folders
# the operator lists in GEO_DATA_ROOTS. Nothing else on the server can be read via a URL.
ROOTS = [data_dir(), *([default_dataset().parent] if os.environ.get("GEO_DATASET") else []),
         *[Path(p) for p in os.environ.get("GEO_DATA_ROOTS", "").split(os.pathsep) if p]]


@st.cache_resource(show_spinner="Locating the incidents...", max_entries=8)
def analyse(fingerprint: str, _files: DatasetFiles) -> Analysis:
    """A dataset located once, figures cached per policy; keyed on the files' content
    (shared, read-only), so the same data reached twice is analysed once."""
    del fingerprint
    return Analysis(read_dataset(_files), load_gazetteer())


@st.cache_resource(show_spinner="Loading the dataset...", max_entries=64)
def analysis_at(path: Path, stamp: object) -> Analysis:
    """A dataset this server offers; read again only when a file changes (*stamp*, from
    dataset_stamp, is part of the key), re-analysed only when its content did."""
    del stamp
    files = collect(path)
    return analyse(files.fingerprint, files)


@st.cache_resource(show_spinner="Reading your files...", max_entries=8)
def analysis_of_upload(key: tuple[tuple[str, str], ...], _uploads: Sequence[Any],
                       limit: int) -> Analysis:
    """An uploaded dataset, keyed on the uploads' ids: the bytes are neither copied nor
    hashed on a rerun, only when a new upload is read."""
    del key
    files = from_uploads(((f.name, f.getvalue()) for f in _uploads), limit)
    return analyse(files.fingerprint, files)


def warm() -> None:
    """Fill the caches the first page view needs: imports, gazetteer, default dataset
    and its first summary (called by ``app.py`` as the server starts)."""
    # Not streamlit_folium: a component declared outside a script run is not served
    # (its frame gets a 404 under st.App). folium, which it imports, is warmed here.
    import geo.incidentmap  # noqa: F401 - folium, branca, jinja2

    path = default_dataset()
    analysis_at(path, dataset_stamp(path)).summary("lowest")
