"""Process-level memory settings for large datasets (called by entry points, never on import).

numpy asks the kernel for transparent huge pages on every large array. Where the
kernel's huge-page defragmentation is ``madvise`` (the default on many Linux systems,
and on the machine the benchmarks run on), the first touch of a fresh large array can
then stall in memory compaction once the process holds a loaded dataset. Measured with
``benchmarks/run.py``'s pipeline on a million incidents: summarising took 2.3 s with
the advice and 1.9 s without; reading 3.6 s and 2.8 s. The command line, the dashboard
and the benchmarks call :func:`prefer_small_pages` as they start; a library user may
too (or set ``NUMPY_MADVISE_HUGEPAGE=0`` before numpy is imported).

The same work allocates and frees many arrays of tens of megabytes. glibc's malloc
serves each from fresh ``mmap`` pages and gives them back on free, so every array
costs its page faults again; on a virtual machine that hands free memory back to the
host (as the benchmark VM does) a page fault is expensive. :func:`reuse_freed_memory`
lets malloc keep freed memory for the next array (``mallopt``: arrays up to 32 MB come
from the heap, the heap grows 512 MB at a time and up to 1 GiB of it is kept free:
``mallopt`` takes an int). Peak memory is unchanged; the
process just does not shrink between steps. Measured on a million incidents from
GeoParquet (read + locate + summarise, three times per fresh process, the settings
given as ``MALLOC_*`` environment variables, 4 GiB kept): the second and third times took
4.6-6.0 s without and 3.1-3.3 s with them; the first time, which touches fresh memory
anyway, gains less. :func:`tune_memory` applies both.
"""

from __future__ import annotations

import ctypes
import platform

import numpy as np

__all__ = ["prefer_small_pages", "reuse_freed_memory", "tune_memory"]

_M_TRIM_THRESHOLD, _M_TOP_PAD, _M_MMAP_THRESHOLD = -1, -2, -3  # glibc malloc.h
_MMAP_THRESHOLD = 32 * 1024 * 1024  # the largest glibc accepts on 64-bit
_KEEP_FREE = 1024 * 1024 * 1024
_TOP_PAD = 512 * 1024 * 1024


def tune_memory() -> dict[str, bool]:
    """Apply :func:`prefer_small_pages` and :func:`reuse_freed_memory`.

    Returns
    -------
    dict
        Which of the two took effect.
    """
    return {"small_pages": prefer_small_pages(), "reuse_freed": reuse_freed_memory()}


def reuse_freed_memory() -> bool:
    """Let glibc's malloc keep freed memory for reuse instead of returning it at once.

    Returns
    -------
    bool
        Whether the settings were applied (only on Linux with glibc).
    """
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return False
    return all(libc.mallopt(option, value) == 1 for option, value in (
        (_M_MMAP_THRESHOLD, _MMAP_THRESHOLD), (_M_TRIM_THRESHOLD, _KEEP_FREE),
        (_M_TOP_PAD, _TOP_PAD)))


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
