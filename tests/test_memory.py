"""geo.memory: the process settings apply where they exist and are safe to repeat."""

from __future__ import annotations

import platform

import numpy as np

from geo.memory import tune_memory


def test_tune_memory_applies_and_repeats() -> None:
    first = tune_memory()
    assert tune_memory() == first  # idempotent
    if platform.system() == "Linux" and platform.libc_ver()[0] == "glibc":
        assert first["reuse_freed"]
    big = np.ones(5_000_000)  # 40 MB: above the mmap threshold, still works
    assert big.sum() == 5_000_000
