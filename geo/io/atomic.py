"""Atomic writes: a file is either the old one or the complete new one, never half.

Everything ``geo`` writes for a user (exports, maps, datasets, rejects) goes through
here: the content is written to a temporary file in the destination's folder,
flushed to disk, and renamed over the destination (``os.replace`` is atomic on POSIX
and Windows). An interrupted or failed write leaves the destination untouched and no
temporary file behind. A process killed mid-write cannot remove its temporary file:
temporary files are named ``.geo-tmp-NAME.XXXXXXXX.SUFFIX`` (:data:`TEMP_PREFIX`), and
the next write to the same folder removes those of the current user older than
:data:`STALE_AFTER` seconds.

Permissions: a file written over keeps its mode (a shared 0664 file stays 0664); a new
file gets the mode any other tool's new file gets under the process umask (0644 under
the usual 022), not the temporary file's private 0600, so a colleague on a shared
folder can open an export.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path

__all__ = ["STALE_AFTER", "TEMP_PREFIX", "atomic_path", "atomic_paths", "atomic_write",
           "new_file_mode",
           "remove_stale_temporaries"]

TEMP_PREFIX = ".geo-tmp-"
"""How the name of every temporary file written here begins."""

STALE_AFTER = 3600.0
"""Seconds after its last change when a temporary file is taken as left by a killed
process (a write in progress changes its file far more often)."""

_OLD_TEMP = re.compile(r"\.(?P<name>.+)\.[a-z0-9_]{8}(?P<suffix>\.[^.]+)")
"""Temporary files of earlier versions: ``.NAME.XXXXXXXX.SUFFIX``, NAME ending in SUFFIX."""


def _umask() -> int:
    """The process umask: from ``/proc/self/status`` where there is one (reading it
    there changes nothing another thread could see), else by setting it and back."""
    with contextlib.suppress(OSError, ValueError):
        with open("/proc/self/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def new_file_mode() -> int:
    """``0o666`` less the process umask: the mode ``open(path, "w")`` gives a new file.

    Returns
    -------
    int
        Permission bits, such as ``0o644`` under the usual umask 022.
    """
    return 0o666 & ~_umask()


def _is_temporary(name: str, extra: re.Pattern[str] | None) -> bool:
    if name.startswith(TEMP_PREFIX):
        return True
    old = _OLD_TEMP.fullmatch(name)
    if old is not None and old["name"].endswith(old["suffix"]):
        return True
    return extra is not None and extra.fullmatch(name) is not None


def remove_stale_temporaries(folder: str | Path, older_than: float = STALE_AFTER,
                             extra: re.Pattern[str] | None = None) -> list[Path]:
    """Remove the temporary files that killed writes left in *folder*.

    Only regular files of the current user whose name is a temporary file's (see the
    module's description) and that have not changed for *older_than* seconds are
    removed; errors are ignored (another process may be sweeping too).

    Parameters
    ----------
    folder : path
        The folder (not its subfolders).
    older_than : float, default STALE_AFTER
        Seconds since the file last changed.
    extra : re.Pattern, optional
        Another name pattern to remove (matching the whole name).

    Returns
    -------
    list of pathlib.Path
        The files removed.
    """
    removed: list[Path] = []
    limit = time.time() - older_than
    uid = os.geteuid() if hasattr(os, "geteuid") else None
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if not entry.name.startswith(".") or not _is_temporary(entry.name, extra):
                    continue
                try:
                    st = entry.stat(follow_symlinks=False)
                    if (not stat.S_ISREG(st.st_mode) or st.st_mtime > limit
                            or (uid is not None and st.st_uid != uid)):
                        continue
                    os.unlink(entry.path)
                except OSError:
                    continue
                removed.append(Path(entry.path))
    except OSError:
        pass
    return removed


@contextmanager
def atomic_path(dest: str | Path) -> Iterator[Path]:
    """A temporary path to write to; renamed to *dest* when the block succeeds.

    For writers that want a path (pyogrio, folium). The temporary file keeps the
    destination's suffix, so format detection by extension still works. Stale
    temporary files in the destination's folder are removed first
    (:func:`remove_stale_temporaries`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_path(d / "a.txt") as tmp:
    ...     _ = tmp.write_text("done")
    >>> (d / "a.txt").read_text(), sorted(p.name for p in d.iterdir())
    ('done', ['a.txt'])
    """
    dest = Path(dest)
    folder = dest.parent if str(dest.parent) else Path(".")
    remove_stale_temporaries(folder)
    fd, name = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{dest.name}.", suffix=dest.suffix,
                                dir=folder)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with tmp.open("rb+") as fh:  # on disk before the rename makes it visible
            os.fsync(fh.fileno())
        if os.name == "posix":
            try:  # written over: its permissions stay
                mode = stat.S_IMODE(os.stat(dest).st_mode) & 0o777
            except OSError:
                mode = new_file_mode()
            os.chmod(tmp, mode)
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


def atomic_write(dest: str | Path, data: bytes | str) -> Path:
    """Write *data* (text as UTF-8) to *dest* atomically.

    Parameters
    ----------
    dest : path
        The file written (or written over, keeping its mode).
    data : bytes or str
        The content; text is encoded as UTF-8.

    Returns
    -------
    pathlib.Path
        *dest*.
    """
    with atomic_path(dest) as tmp:
        tmp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return Path(dest)


@contextmanager
def atomic_paths(dests: Sequence[str | Path]) -> Iterator[list[Path]]:
    """Temporary paths for several files that belong together (a dataset's tables);
    all are renamed into place only once every one is written.

    A failure or a kill while writing leaves every old file as it was: a dataset is
    never half new (new incidents beside old claims). Only the renames, microseconds
    apart, happen one after another.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_paths([d / "a.txt", d / "b.txt"]) as (a, b):
    ...     _ = a.write_text("1"), b.write_text("2")
    >>> sorted(p.name for p in d.iterdir())
    ['a.txt', 'b.txt']
    """
    with ExitStack() as stack:
        yield [stack.enter_context(atomic_path(d)) for d in dests]
