"""Two processes saving into one dataset folder at once: served one after the other
under the folder's lock, no batch lost, the dataset valid, no temporary file left."""

from __future__ import annotations

import json
import multiprocessing as mp
import time
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest

from geo import bundled
from geo.coding.log import read_log
from geo.coding.store import save_batch, working_copy
from geo.dataset.ingest import collect
from geo.dataset.records import read_dataset
from geo.extraction.texttables import read_tables
from geo.io.atomic import TEMP_PREFIX

WORKERS = 2
BATCHES = 50  # each
DEADLINE = 240.0  # seconds for the whole run; it takes about 15-30 s


def _save_many(folder: str, worker: int, start: Barrier, out: str) -> None:
    """A worker process: its own gazetteer, then BATCHES saves of its own reports."""
    from geo import Gazetteer
    from tests.coding.reports import numbered

    gaz = Gazetteer.load()
    reports = [numbered(gaz, worker * BATCHES + k) for k in range(BATCHES)]
    start.wait(timeout=120)
    done = []
    for k, ex in enumerate(reports):
        saved = save_batch(folder, [ex], gaz, coder=f"worker {worker}", timeout=120)
        assert saved.batch is not None, f"worker {worker}: report {k} was not saved"
        done.append({"batch": saved.batch.batch, "source": ex.source["source_id"],
                     "claims": ex.claims["claim_id"].tolist()})
    Path(out).write_text(json.dumps(done), encoding="utf-8")


@pytest.mark.slow
def test_two_processes_saving_at_once_lose_nothing(tmp_path: Path) -> None:
    folder = working_copy(bundled.dataset_dir(), tmp_path, "shared")
    base = read_tables(folder)
    ctx = mp.get_context("spawn")
    start = ctx.Barrier(WORKERS)
    outs = [tmp_path / f"worker-{w}.json" for w in range(WORKERS)]
    procs = [ctx.Process(target=_save_many, args=(str(folder), w, start, str(outs[w])),
                         daemon=True) for w in range(WORKERS)]
    for p in procs:
        p.start()
    try:
        end = time.monotonic() + DEADLINE
        for p in procs:
            p.join(timeout=max(1.0, end - time.monotonic()))
        assert not any(p.is_alive() for p in procs), f"not done in {DEADLINE:.0f} s"
    finally:
        for p in procs:
            if p.is_alive():
                p.kill()
                p.join(10)
    assert [p.exitcode for p in procs] == [0] * WORKERS
    done = [json.loads(o.read_text(encoding="utf-8")) for o in outs]

    log = read_log(folder)
    adds = [b for b in log if b.action == "add"]
    assert len(adds) == len(log) == WORKERS * BATCHES
    assert {b.batch for b in adds} == {d["batch"] for mine in done for d in mine}
    assert sorted(b.coder for b in adds) == sorted(
        f"worker {w}" for w in range(WORKERS) for _ in range(BATCHES))
    # One after the other: each batch began from the files the one before left.
    for before, after in zip(adds, adds[1:], strict=False):
        assert after.before == before.after, (before.batch, after.batch)

    tables = read_tables(folder)
    claims = set(tables["claims"]["claim_id"])
    for b in adds:
        assert b.claims_added and set(b.claims_added) <= claims, b.batch
    for mine in done:
        for d in mine:
            assert set(d["claims"]) <= claims, d
    assert len(tables["claims"]) == len(base["claims"]) + WORKERS * BATCHES
    assert len(tables["sources"]) == len(base["sources"]) + WORKERS * BATCHES
    assert set(tables["sources"]["source_id"]) >= {d["source"] for m in done for d in m}

    problems = read_dataset(collect(folder)).problems
    assert problems == [], [str(p) for p in problems[:5]]
    left = [p.name for p in folder.rglob("*")
            if p.name.startswith(TEMP_PREFIX) or p.suffix == ".tmp"]
    assert left == []
