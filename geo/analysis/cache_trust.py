"""Whether the analysis cache may be used: who owns its folder and entries, and the key
that authenticates them.

A cache entry is a pickle, and reading a pickle can run code. So an entry is read only

* from a folder owned by the current user and not writable by group or others
  (:func:`folder_problem`); a folder that fails is not used at all, and that is
  logged once with the folder and the reason,
* if the entry file itself passes the same test, and
* if its HMAC-SHA256 (:func:`seal`), made with a random key of the current user, is
  right: it is checked before anything is unpickled.

The key is 32 random bytes in ``$XDG_CONFIG_HOME/geo-incidents/analysis-cache.key``
(else ``~/.config/geo-incidents/analysis-cache.key``), never in the cache folder. It is
created with ``O_CREAT | O_EXCL`` and mode 0600; a key file that is not the user's own,
or that group or others can access, is refused (and the cache is off).
"""

from __future__ import annotations

import hashlib
import hmac
import io
import logging
import os
import secrets
import stat
import time
from pathlib import Path
from typing import BinaryIO

__all__ = ["KEY_SIZE", "MAGIC", "CacheRefused", "EntryWriter", "entry_problem",
           "folder_problem", "key_path", "read_entry", "read_key", "refuse_once", "seal",
           "unseal"]

log = logging.getLogger("geo.analysis.cache")

KEY_SIZE = 32
"""Bytes of the key (and of the HMAC-SHA256 of an entry)."""

MAGIC = b"geo-analysis-cache 2\n"
"""How an entry begins; the HMAC follows, then the pickle."""

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


class CacheRefused(Exception):
    """A folder, entry or key file that must not be trusted (the message says why)."""


def _euid() -> int | None:
    return os.geteuid() if hasattr(os, "geteuid") else None


def entry_problem(st: os.stat_result, what: str) -> str | None:
    """Why a file or folder with status *st* must not be trusted, or ``None``.

    Parameters
    ----------
    st : os.stat_result
        Its status.
    what : str
        What it is, for the message ("the folder", "the entry").

    Returns
    -------
    str or None
        ``None`` when it is owned by the current user and not writable by group or
        others.
    """
    uid = _euid()
    if uid is not None and st.st_uid != uid:
        return f"{what} is owned by user id {st.st_uid}, not by this user (id {uid})"
    if st.st_mode & 0o022:
        who = " and ".join(w for w, bit in (("group", 0o020), ("others", 0o002))
                           if st.st_mode & bit)
        return f"{what} is writable by {who} (mode {stat.S_IMODE(st.st_mode):04o})"
    return None


def folder_problem(folder: Path) -> str | None:
    """Why the cache folder *folder* must not be used, or ``None`` (also when it does
    not exist yet: it is then created private).

    Parameters
    ----------
    folder : pathlib.Path
        The cache folder.

    Returns
    -------
    str or None
        The reason, for a message.
    """
    try:
        st = os.stat(folder)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"it cannot be checked ({exc.strerror})"
    if not stat.S_ISDIR(st.st_mode):
        return "it is not a folder"
    return entry_problem(st, "the folder")


_said: set[tuple[str, str]] = set()


def refuse_once(place: Path, why: str) -> None:
    """Log, once per process for each place and reason, that the cache is off.

    Parameters
    ----------
    place : pathlib.Path
        The folder or key file refused.
    why : str
        The reason.
    """
    if (str(place), why) not in _said:
        _said.add((str(place), why))
        log.warning("analysis cache off: %s is not safe to use: %s. Datasets are "
                    "analysed as if there were no cache.", place, why)


def key_path() -> Path:
    """The key file: ``$XDG_CONFIG_HOME/geo-incidents/analysis-cache.key``, else
    ``~/.config/geo-incidents/analysis-cache.key``.

    Returns
    -------
    pathlib.Path
    """
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "geo-incidents" / "analysis-cache.key"


def _create_key(path: Path) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    problem = folder_problem(path.parent)
    if problem:
        raise CacheRefused(problem)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
    except FileExistsError:  # made by another process meanwhile
        return
    try:
        os.write(fd, secrets.token_bytes(KEY_SIZE))
        os.fsync(fd)
    except OSError:
        os.close(fd)
        path.unlink(missing_ok=True)
        raise
    os.close(fd)


def read_key(path: Path | None = None) -> bytes:
    """The current user's key, created at the first use.

    Parameters
    ----------
    path : pathlib.Path, optional
        Default: :func:`key_path`.

    Returns
    -------
    bytes
        :data:`KEY_SIZE` bytes.

    Raises
    ------
    CacheRefused
        The key file is not the user's own, group or others can access it, or it is
        not a key.
    OSError
        It cannot be read or created.
    """
    path = path or key_path()
    for _ in range(50):
        try:
            fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK)
        except FileNotFoundError:
            _create_key(path)
            continue
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise CacheRefused("the key is not a regular file")
            problem = entry_problem(st, "the key file")
            if problem is None and st.st_mode & 0o077:
                problem = (f"the key file can be read by others than its owner "
                           f"(mode {stat.S_IMODE(st.st_mode):04o}, not 0600)")
            if problem:
                raise CacheRefused(problem)
            key = os.read(fd, KEY_SIZE + 1)
        finally:
            os.close(fd)
        if len(key) == KEY_SIZE:
            return key
        if len(key) > KEY_SIZE:
            break
        time.sleep(0.01)  # being written by the process that created it
    raise CacheRefused(f"the key file does not hold a key of {KEY_SIZE} bytes "
                       "(remove it: a new one is made)")


def _mac(key: bytes, name: str) -> hmac.HMAC:
    return hmac.new(key, name.encode() + b"\0", hashlib.sha256)


def seal(key: bytes, name: str, payload: bytes) -> bytes:
    """The bytes of an entry: :data:`MAGIC`, the HMAC-SHA256 of *name* and *payload*,
    then *payload*.

    Parameters
    ----------
    key : bytes
        The user's key.
    name : str
        The entry's name (so an entry renamed to another's name fails).
    payload : bytes
        The pickle.

    Returns
    -------
    bytes
    """
    buf = io.BytesIO()
    writer = EntryWriter(buf, key, name)  # one layout, written in one place
    writer.write(payload)
    writer.close()
    return buf.getvalue()


def unseal(key: bytes, name: str, data: bytes | bytearray) -> memoryview:
    """The payload of the entry *data*, once its HMAC is checked.

    Parameters
    ----------
    key : bytes
        The user's key.
    name : str
        The entry's name.
    data : bytes
        The entry file's bytes.

    Returns
    -------
    memoryview
        The payload (a view of *data*).

    Raises
    ------
    CacheRefused
        Not an entry, or not one made with this key for this name.
    """
    view = memoryview(data)
    start = len(MAGIC) + KEY_SIZE
    if len(view) < start or view[:len(MAGIC)] != MAGIC:
        raise CacheRefused("not an entry of this version")
    mac = _mac(key, name)
    mac.update(view[start:])
    if not hmac.compare_digest(mac.digest(), bytes(view[len(MAGIC):start])):
        raise CacheRefused("its authentication code is wrong")
    return view[start:]


def read_entry(path: Path) -> bytearray:
    """The bytes of the entry file *path*, if it is a regular file of the current user
    that group and others cannot write (symbolic links are not followed).

    Parameters
    ----------
    path : pathlib.Path
        The entry.

    Returns
    -------
    bytearray

    Raises
    ------
    FileNotFoundError
        No such entry.
    CacheRefused
        It must not be trusted.
    """
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK)
    except OSError as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        raise CacheRefused(f"it cannot be opened ({exc.strerror})") from exc
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise CacheRefused("it is not a regular file")
        problem = entry_problem(st, "the entry")
        if problem:
            raise CacheRefused(problem)
        data = bytearray(st.st_size)
        got = fh.readinto(data)
        if got != st.st_size:
            raise CacheRefused("it changed while read")
        return data


class EntryWriter:
    """Writes an entry to *fh* as it is pickled, computing its HMAC on the way
    (the pickle is never held in memory twice).

    Parameters
    ----------
    fh : binary file
        A new, empty file, seekable.
    key : bytes
        The user's key.
    name : str
        The entry's name.
    """

    def __init__(self, fh: BinaryIO, key: bytes, name: str) -> None:
        self._fh = fh
        self._mac = _mac(key, name)
        fh.write(MAGIC + bytes(KEY_SIZE))  # the HMAC's place

    def write(self, data: bytes | bytearray | memoryview) -> int:
        """Write a piece of the payload (what :func:`pickle.dump` calls).

        Parameters
        ----------
        data : bytes-like

        Returns
        -------
        int
            Bytes written.
        """
        self._mac.update(data)
        return self._fh.write(data)

    def close(self) -> None:
        """Write the HMAC in its place."""
        self._fh.seek(len(MAGIC))
        self._fh.write(self._mac.digest())

