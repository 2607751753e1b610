"""Low-level file safety: owner-only atomic writes, backups beside a file, and the writer lock.

Nothing here may lose a record:
- a write goes to a temporary file in the same folder, is flushed and fsynced, then renamed
  over the file, so a reader or a crash sees the old file or the new one, never half;
- the previous version stays beside it as ``<name>.bak`` (a hard link, so it costs no copy);
- writers take an exclusive lock on ``<name>.lock`` for the whole read-change-write.

This module knows files, not cases: :mod:`casefile.store` decides what is written.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from casefile.errors import LockTimeout

FILE_MODE = 0o600
FOLDER_MODE = 0o700
LOCK_TIMEOUT_SECONDS = 60.0
#: The copy of a case file kept when a rewrite dropped its comments.
COMMENTS_SUFFIX = ".with-comments.bak"


def sidecar(path: Path, suffix: str) -> Path:
    """A file kept beside the case file: ``casefile.toml`` -> ``casefile.toml.bak``."""
    return path.with_name(path.name + suffix)


def fsync_folder(folder: Path) -> None:
    """Flush ``folder``'s entries to disk; errors are ignored."""
    # The rename is durable only once the folder entry is on disk.
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _new_temp(path: Path) -> tuple[int, str]:
    """A new owner-only ``.<name>.<random>.tmp`` beside ``path``, open for writing (like mkstemp)."""
    for _ in range(100):
        temp_name = os.path.join(path.parent, f".{path.name}.{os.urandom(6).hex()}.tmp")
        try:
            return os.open(temp_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE), temp_name
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary file name beside {path}")  # pragma: no cover


def write_temp(path: Path, data: bytes | memoryview, *more: bytes | memoryview) -> Path:
    """Write ``data`` (and ``more``) to a new owner-only temporary file beside ``path``, flushed to disk."""
    return _write_pieces(path, (data, *more))


def _write_pieces(path: Path, pieces: Iterable[str | bytes | memoryview]) -> Path:
    """Like :func:`write_temp`, for pieces of text (``str``, or bytes already in UTF-8)."""
    descriptor, temp_name = _new_temp(path)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            for piece in pieces:
                handle.write(piece.encode("utf-8") if isinstance(piece, str) else piece)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    return Path(temp_name)


def keep_copy(path: Path, suffix: str = ".bak") -> None:
    """Make ``<name><suffix>`` the current version of ``path`` before it is replaced."""
    backup = sidecar(path, suffix)
    staging = sidecar(path, suffix + ".tmp")
    with contextlib.suppress(FileNotFoundError):
        staging.unlink()
    try:
        os.link(path, staging)
    except FileNotFoundError:
        return
    except OSError:
        # Folders on file systems without hard links get a real copy.
        staging.write_bytes(path.read_bytes())
    # Owner-only like the case file, even when a hand-written original was readable by others.
    with contextlib.suppress(OSError):
        os.chmod(staging, FILE_MODE)
    os.replace(staging, backup)


def write_atomic(path: Path, text: str | Iterable[str | bytes], *, backup: bool = True) -> None:
    """Replace ``path`` with ``text`` so that no reader or crash ever sees a partial file.

    ``text`` may be pieces whose concatenation is the text: they are encoded one at a time,
    so a very large document is never held twice in memory.
    """
    replace_with(temp=_write_pieces(path, [text] if isinstance(text, str) else text), path=path, backup=backup)


def replace_with(*, temp: Path, path: Path, backup: bool = True) -> None:
    """Rename a written, fsynced ``temp`` over ``path`` (keeping ``.bak`` first), durably."""
    try:
        if backup:
            keep_copy(path)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    fsync_folder(path.parent)


def make_folders(folder: Path) -> None:
    """Create ``folder`` and missing parents as owner-only folders."""
    missing = []
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            break
        missing.append(candidate)
    for candidate in reversed(missing):
        candidate.mkdir(mode=FOLDER_MODE)
        os.chmod(candidate, FOLDER_MODE)  # mkdir's mode is cut by the umask


def remove_stale_temps(path: Path) -> None:
    """Delete temporary files a killed writer left; only called under the lock, so none is live."""
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            stale.unlink()


@contextlib.contextmanager
def locked(path: Path, *, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """Hold the exclusive writer lock of ``path`` (a ``fcntl`` lock on ``<name>.lock``)."""
    import fcntl

    lock_path = sidecar(path, ".lock")
    descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT, FILE_MODE)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise LockTimeout(
                        f"another casefile command has been writing {path} for over {timeout:.0f} s. "
                        "Wait for it to finish and try again."
                    ) from None
                time.sleep(0.01)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock
