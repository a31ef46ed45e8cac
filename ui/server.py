"""The dashboard's server start: fill the shared caches while the first browser loads.

``dashboard.py`` gives :func:`lifespan` to Streamlit's server. It starts a background
thread that imports the map code and fills the caches of :mod:`ui.data` (the gazetteer,
the default dataset read and located), so the first visitor does not wait for them.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import streamlit as st

__all__ = ["lifespan"]

_THREAD = "geo-warm-up"


class _QuietWarmUp(logging.Filter):
    """Drop Streamlit's "missing ScriptRunContext" warning for the warm-up thread: it
    fills the caches outside a script run on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.threadName == _THREAD and "ScriptRunContext" in record.getMessage())


def _warm() -> None:
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        _QuietWarmUp())
    # What the warm-up makes (imports, gazetteer, the analysed dataset) lives as long as
    # the server: no cyclic garbage collection while it is made, and afterwards it is
    # frozen (gc.freeze), so no later collection scans it. Without this the first map
    # came 0.3-0.5 s later at 100,000 incidents (docs/performance.md): collections
    # during the warm-up hold the server's other thread, which answers the browser.
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
