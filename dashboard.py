"""The dashboard: ``streamlit run dashboard.py`` (what ``make run`` does).

Streamlit serves the pages of ``ui/main.py`` (incidents, gazetteer) to every visitor.
As the server starts, it fills the shared caches (the gazetteer, the default dataset
read and located: :mod:`ui.server`), so the first visitor does not wait for them.
Environment variables (``GEO_DATASET``, ``GEO_DATA_ROOTS``, ``GEO_CACHE_DIR``) are
described in ``docs/deployment.md``.
"""

from pathlib import Path

import streamlit as st

from ui.server import lifespan

app = st.App(Path(__file__).parent / "ui" / "main.py", lifespan=lifespan)
