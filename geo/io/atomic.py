"""Atomic writes: a file is either the old one or the complete new one, never half.

Everything ``geo`` writes for a user (exports, maps, datasets, rejects) goes through
here: the content is written to a temporary file in the destination's folder,
flushed to disk, and renamed over the destination (``os.replace`` is atomic on POSIX
and Windows). An interrupted or failed write leaves the destination untouched and no
temporary file behind. The file gets the permissions any other tool's new file gets
under the process umask (0644 under the usual 022): the temporary file's private 0600
is not kept, so a colleague on a shared folder can open an export.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["atomic_path", "atomic_write", "new_file_mode"]


def new_file_mode() -> int:
    """``0o666`` less the process umask: the mode ``open(path, "w")`` gives a new file.

    The umask can only be read by setting it; it is set back at once.
    """
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


@contextmanager
def atomic_path(dest: str | Path) -> Iterator[Path]:
    """A temporary path to write to; renamed to *dest* when the block succeeds.

    For writers that want a path (pyogrio, folium). The temporary file keeps the
    destination's suffix, so format detection by extension still works.

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
    fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=dest.suffix,
                                dir=dest.parent if str(dest.parent) else ".")
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with tmp.open("rb+") as fh:  # on disk before the rename makes it visible
            os.fsync(fh.fileno())
        if os.name == "posix":
            os.chmod(tmp, new_file_mode())
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


def atomic_write(dest: str | Path, data: bytes | str) -> Path:
    """Write *data* (text as UTF-8) to *dest* atomically.

    Returns
    -------
    pathlib.Path
        *dest*.
    """
    with atomic_path(dest) as tmp:
        tmp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return Path(dest)
