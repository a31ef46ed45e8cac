"""Atomic writes (geo.io.atomic): permissions, and the temporary files of killed writes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from geo.io.atomic import (
    STALE_AFTER,
    TEMP_PREFIX,
    atomic_path,
    atomic_write,
    new_file_mode,
    remove_stale_temporaries,
)

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


@pytest.fixture
def umask() -> Iterator[None]:
    """Restore the process umask after a test that sets it."""
    mask = os.umask(0o022)
    os.umask(mask)
    yield
    os.umask(mask)


def _age(path: Path, seconds: float) -> None:
    os.utime(path, (time.time() - seconds,) * 2)


@posix_only
@pytest.mark.parametrize("mask", [0o022, 0o002, 0o077])
def test_a_new_file_follows_the_umask(tmp_path: Path, umask: None, mask: int) -> None:
    os.umask(mask)
    assert new_file_mode() == 0o666 & ~mask
    atomic_write(tmp_path / "new.csv", "a,b\n")
    assert (tmp_path / "new.csv").stat().st_mode & 0o777 == 0o666 & ~mask


@posix_only
@pytest.mark.parametrize("mode", [0o664, 0o600, 0o640, 0o666])
def test_a_file_written_over_keeps_its_mode(tmp_path: Path, umask: None, mode: int) -> None:
    os.umask(0o022)
    out = tmp_path / "shared.csv"
    out.write_text("old")
    out.chmod(mode)
    atomic_write(out, "new")
    assert out.read_text() == "new"
    assert out.stat().st_mode & 0o777 == mode
    with atomic_path(out) as tmp:  # a writer that wants a path, as GDAL does
        tmp.unlink()
        tmp.write_text("newer")
    assert out.stat().st_mode & 0o777 == mode


def test_temporary_files_are_recognisable_and_go_after_the_write(tmp_path: Path) -> None:
    with atomic_path(tmp_path / "out.geojson") as tmp:
        assert tmp.parent == tmp_path
        assert tmp.name.startswith(TEMP_PREFIX + "out.geojson.")
        assert tmp.suffix == ".geojson"
        tmp.write_text("{}")
    assert [p.name for p in tmp_path.iterdir()] == ["out.geojson"]


def test_a_killed_write_leaves_a_temporary_file_the_next_write_removes(
        tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    script = ("import os, signal, sys\n"
              "from geo.io.atomic import atomic_path\n"
              "with atomic_path(sys.argv[1]) as tmp:\n"
              "    tmp.write_bytes(b'x' * 100_000)\n"
              "    os.kill(os.getpid(), signal.SIGKILL)\n")
    for _ in range(3):
        done = subprocess.run([sys.executable, "-c", script, str(out)], check=False)
        assert done.returncode == -signal.SIGKILL
    left = sorted(tmp_path.iterdir())
    assert len(left) == 3 and all(p.name.startswith(TEMP_PREFIX) for p in left)
    _age(left[0], STALE_AFTER + 60)
    _age(left[1], STALE_AFTER + 60)
    atomic_write(out, "a\n")  # the next write to the folder
    assert sorted(tmp_path.iterdir()) == [left[2], out]  # the recent one may be in use


def test_only_stale_temporary_files_of_the_user_go(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    names = {
        ".geo-tmp-out.csv.abcd_123.csv": True,
        ".out.csv.k2j3h4g5.csv": True,  # written by earlier versions
        ".incidents.geojson._4b75wmb.geojson": True,
        ".bashrc": False,
        ".notes.backup12": False,  # no suffix: not a temporary file's name
        ".out.csv.k2j3h4g5.txt": False,  # the suffix is not the name's
        "out.csv": False,
    }
    for name in names:
        (tmp_path / name).write_text("x")
        _age(tmp_path / name, STALE_AFTER + 60)
    (tmp_path / ".geo-tmp-folder").mkdir()
    _age(tmp_path / ".geo-tmp-folder", STALE_AFTER + 60)
    (tmp_path / ".geo-tmp-link.csv").symlink_to(tmp_path / "out.csv")
    fresh = tmp_path / ".geo-tmp-fresh.csv.abcdefgh.csv"
    fresh.write_text("being written")
    if hasattr(os, "geteuid"):  # another user's temporary files stay
        monkeypatch.setattr(os, "geteuid", lambda: os.getuid() + 1)
        assert remove_stale_temporaries(tmp_path) == []
        monkeypatch.undo()
    removed = remove_stale_temporaries(tmp_path)
    assert sorted(p.name for p in removed) == sorted(n for n, go in names.items() if go)
    kept = {p.name for p in tmp_path.iterdir()}
    assert kept == {n for n, go in names.items() if not go} | {
        ".geo-tmp-folder", ".geo-tmp-link.csv", fresh.name}
    assert remove_stale_temporaries(tmp_path / "missing") == []
