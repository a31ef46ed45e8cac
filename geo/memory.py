"""Process-level memory advice for large datasets (called by entry points, never on import).

numpy asks the kernel for transparent huge pages on every large array. Where the
kernel's huge-page defragmentation is ``madvise`` (the default on many Linux systems,
and on the machine the benchmarks run on), the first touch of a fresh large array can
then stall in memory compaction once the process holds a loaded dataset. Measured with
``benchmarks/run.py``'s pipeline on a million incidents: summarising took 2.3 s with
the advice and 1.9 s without; reading 3.6 s and 2.8 s. The command line, the dashboard
and the benchmarks call :func:`prefer_small_pages` as they start; a library user may
too (or set ``NUMPY_MADVISE_HUGEPAGE=0`` before numpy is imported).
"""

from __future__ import annotations

import numpy as np

__all__ = ["prefer_small_pages"]


def prefer_small_pages() -> bool:
    """Stop numpy advising huge pages for new arrays, in this process.

    Returns
    -------
    bool
        Whether this numpy offers the switch (it is numpy's own, documented with
        ``NUMPY_MADVISE_HUGEPAGE``); without it nothing changes.
    """
    core = getattr(np, "_core", None) or getattr(np, "core", None)
    setter = getattr(getattr(core, "multiarray", None), "_set_madvise_hugepage", None)
    if setter is None:
        return False
    setter(False)
    return True
