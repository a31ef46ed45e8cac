"""Saving a dataset: its files are replaced together or not at all."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from geo.dataset.records import load_dataset
from geo.dataset.save import save_dataset


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_save_that_fails_midway_leaves_the_old_dataset_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    ds = load_dataset()
    folder = save_dataset(ds, tmp_path / "ds", format=fmt)  # type: ignore[arg-type]
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    smaller = load_dataset(folder)
    smaller = type(smaller)(**{**smaller.__dict__,
                               "incidents": smaller.incidents.iloc[:3]})

    def fail_on_claims(original: Any) -> Any:  # the last table, after the incidents
        def write(first: Any, *args: Any, **kwargs: Any) -> Any:
            where = first if fmt == "csv" else args[0]
            if "claims" in str(where):
                raise OSError("disk full")
            return original(first, *args, **kwargs)
        return write

    if fmt == "csv":
        monkeypatch.setattr(Path, "write_bytes", fail_on_claims(Path.write_bytes))
    else:
        monkeypatch.setattr(pq, "write_table", fail_on_claims(pq.write_table))
    with pytest.raises(OSError, match="disk full"):
        save_dataset(smaller, folder, format=fmt)  # type: ignore[arg-type]
    monkeypatch.undo()
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # nothing half new
    assert len(load_dataset(folder).incidents) == len(ds.incidents)
