"""Temporary files written outside the case's lock (an export, an evidence copy waiting to be
stored), and the removal of those a killed writer left.

A writer holds an exclusive ``flock`` on its temporary file from the moment it makes it until the
file is renamed into place or deleted; the system releases it when the process ends, however it
ends (``kill -9`` included). So a temporary file nobody holds is one whose writer is gone, and may
go, while one a live writer uses (in another terminal, even another process namespace on this
machine) is never touched. A file made in the last few seconds is left alone too: its writer may
not hold its lock yet. A file system that has no locks, or another user's file, is left as it is.
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

    descriptor, name = tempfile.mkstemp(dir=folder, prefix=prefix, suffix=suffix)
    with contextlib.suppress(OSError):  # no locks on this file system: the grace period is all there is
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return descriptor, Path(name)


def remove_dead(candidates: Iterable[Path], *, grace: float = GRACE_SECONDS) -> list[Path]:
    """Delete each of ``candidates`` that is a regular file of this user's, older than ``grace``
    seconds and locked by no process; the ones deleted."""
    import fcntl

    removed = []
    now = time.time()
    for path in candidates:
        flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        try:
            descriptor = os.open(path, flags)
        except OSError:
            continue  # gone already, a link, or not ours to read
        try:
            status = os.fstat(descriptor)
            if not stat.S_ISREG(status.st_mode) or status.st_uid != os.getuid() or now - status.st_mtime < grace:
                continue
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # a live writer holds it (or this file system has no locks)
            current = os.lstat(path)
            if (current.st_dev, current.st_ino) == (status.st_dev, status.st_ino):
                os.unlink(path)
                removed.append(path)
        except OSError:
            continue
        finally:
            os.close(descriptor)
    return removed
