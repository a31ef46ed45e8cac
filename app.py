"""Serve the dashboard with a warm start: ``streamlit run app.py`` (what ``make run`` does).

The same page as ``streamlit run dashboard.py``, but as the server starts, a
background thread imports the map code and fills the shared caches
(:func:`dashboard_data.warm`: gazetteer, the default dataset read and located)
while the first browser is still loading Streamlit's own files, so the first map
shows sooner. Environment: ``GEO_DATASET`` (the default dataset), ``GEO_DATA_ROOTS``.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import streamlit as st


class _QuietWarmUp(logging.Filter):
    """Drop Streamlit's "missing ScriptRunContext" warning for the warm-up thread: it
    fills the caches outside a script run on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.threadName == _THREAD and "ScriptRunContext" in record.getMessage())


_THREAD = "geo-warm-up"


def _warm() -> None:
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        _QuietWarmUp())
    # The imports, gazetteer and dataset live as long as the server: no cyclic garbage
    # collection while they are made (0.15 s of scans), then frozen so later collections
    # never scan them again (0.08 s off the first map).
    gc.disable()
    try:
        from ui.data import warm

        warm()
    except Exception:  # noqa: BLE001 - the page reports load errors itself
        logging.getLogger("geo.app").exception("warm-up failed; the page will load lazily")
    finally:
        gc.freeze()
        gc.enable()


@asynccontextmanager
async def lifespan(_app: st.App) -> AsyncIterator[None]:
    """Start the warm-up without delaying the server's start."""
    threading.Thread(target=_warm, name=_THREAD, daemon=True).start()
    yield


app = st.App(Path(__file__).with_name("dashboard.py"), lifespan=lifespan)
