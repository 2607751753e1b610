"""Temporary files written outside the case's lock (an export, an evidence copy waiting to be
stored, a parse cache file), and the removal of those a killed writer left.

A writer holds an exclusive ``flock`` on its temporary file from the moment it makes it until the
file is renamed into place or deleted; the system releases it when the process ends, however it
ends (``kill -9`` included). So a temporary file nobody holds is one whose writer is gone, and may
go, while one a live writer uses (in another terminal, even another process namespace on this
machine) is never touched. A writer that finds its new file removed before it could lock it makes
another. A file changed in the last few seconds is left alone too (a writer on another machine,
where locks may not reach). A file system that has no locks, or another user's file, is left as it is.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

#: How old (by its modification time) a temporary file must be before it may be removed, in seconds.
GRACE_SECONDS = 10.0


def held_temp(folder: Path, *, prefix: str, suffix: str = ".tmp") -> tuple[int, Path]:
    """A new owner-only temporary file in ``folder``: a descriptor open for writing, which holds the
    file's lock until it is closed (close it only once the file is renamed or deleted), and its path."""
    import fcntl

    while True:
        descriptor, name = tempfile.mkstemp(dir=folder, prefix=prefix, suffix=suffix)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)  # waits only while a remover looks at it
        except OSError:  # no locks on this file system: the grace period is all there is
            return descriptor, Path(name)
        status = os.fstat(descriptor)
        try:
            current = os.lstat(name)
            if (current.st_dev, current.st_ino) == (status.st_dev, status.st_ino):
                return descriptor, Path(name)
        except FileNotFoundError:
            pass
        os.close(descriptor)  # a remover took it before it was locked: make another


def replace_through_held(target: Path, pieces: Iterable[bytes | memoryview], *, durable: bool) -> None:
    """Replace ``target`` with ``pieces``: written to a :func:`held_temp` file beside it (fsynced
    first if ``durable``), renamed over it, and its lock let go only then; on any error, or Ctrl-C,
    the temporary file is deleted.

    Raises:
        PermissionError: the folder cannot be written in (nothing was written).
    """
    descriptor, temp = held_temp(target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(descriptor, "wb", closefd=False) as handle:
            for piece in pieces:
                handle.write(piece)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    finally:
        os.close(descriptor)  # only now: until the rename, its lock says a live writer has it


def remove_dead(candidates: Iterable[Path], *, grace: float = GRACE_SECONDS) -> list[Path]:
    """Delete each of ``candidates`` that is a regular file of this user's, unchanged for ``grace``
    seconds and locked by no process; the ones deleted."""
    removed = []
    for path in candidates:
        found = _locked_if_dead(path, grace)
        if found is None:
            continue
        descriptor, status = found
        try:
            current = os.lstat(path)
            if (current.st_dev, current.st_ino) == (status.st_dev, status.st_ino):
                os.unlink(path)
                removed.append(path)
        except OSError:
            continue
        finally:
            os.close(descriptor)
    return removed


def is_dead(path: Path, *, grace: float = GRACE_SECONDS) -> bool:
    """Whether :func:`remove_dead` would delete ``path`` now (its writer is gone)."""
    found = _locked_if_dead(path, grace)
    if found is not None:
        os.close(found[0])
    return found is not None


def _locked_if_dead(path: Path, grace: float) -> tuple[int, os.stat_result] | None:
    """A descriptor of ``path`` holding its lock, and its status, if no one else holds it (else None)."""
    import fcntl

    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError:
        return None  # gone already, a link, or not ours to read
    try:
        status = os.fstat(descriptor)
        if stat.S_ISREG(status.st_mode) and status.st_uid == os.getuid() and time.time() - status.st_mtime >= grace:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return descriptor, status
    except OSError:
        pass  # a live writer holds it (or this file system has no locks)
    os.close(descriptor)
    return None
