"""The parse cache: what reading and validating a case file gave, kept for the next command, never trusted unchecked.

Parsing TOML and validating it is the slow part of every command on a large case, so what it
gave is kept in the user cache folder (one owner-only folder per case file, named by a hash of
its resolved path) in :mod:`marshal` format. Each cache file is::

    MAGIC | SHA-256 of the case file's bytes | SHA-256 of the payload | payload

and is used only when the case file's bytes hash to the first and the payload to the second,
and the payload names this casefile's code (:func:`code_stamp`); the payload is the marshal
bytes of (that stamp, the value, n), then n bytes kept as they are (a large export: see
:func:`write_entry`'s ``tail``). Anything else (damaged, truncated, foreign, stale, from other
code) is ignored, rebuilt from the case file, and never shown or written into it: the case
file stays the only source of truth, and deleting the cache changes nothing but speed.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import gc
import marshal
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

#: The first bytes of every cache file; bump the number when what the cache holds changes meaning.
MAGIC = b"casefile-cache-3\n"
_TAG = "\x00casefile-datetime"


def cache_root() -> Path:
    """``casefile`` in the user cache folder (``platformdirs.user_cache_path``)."""
    if sys.platform.startswith("linux"):
        # What platformdirs computes on Linux, without the import (a test checks they agree).
        base = os.environ.get("XDG_CACHE_HOME", "")
        if not base.strip():
            base = os.path.expanduser("~/.cache")
        return Path(base) / "casefile"
    from platformdirs import user_cache_path

    return user_cache_path("casefile", appauthor=False)


def folder_for(path: Path) -> Path:
    """The cache folder of one case file."""
    name: str = sha256(os.fsencode(os.path.abspath(path))).hexdigest()[:32]
    return cache_root() / "cases" / name


def sha256(data: bytes | memoryview = b"", *, size: int | None = None) -> Any:
    """A SHA-256 hash object of ``data``, to hash ``size`` bytes in all (default: ``len(data)``).

    OpenSSL's is several times faster on large files but takes a few milliseconds to load, more
    than hashing a small case file takes without it.
    """
    if (len(data) if size is None else size) < 1 << 20:
        try:
            from _sha256 import sha256 as small  # type: ignore[import-not-found]  # Python 3.11
        except ImportError:
            try:
                from _sha2 import sha256 as small  # type: ignore[import-not-found]  # Python 3.12+
            except ImportError:
                small = None
        if small is not None:
            return small(data)
    import hashlib

    return hashlib.sha256(data)


@functools.cache
def code_stamp() -> list[Any]:
    """What the cached data depends on besides the file: the code that reads and decodes it, and Python's marshal.

    Every module of ``casefile.case`` and ``casefile.storage`` (its size and time). Lists only, so
    that it reads back equal however it was written.
    """
    import casefile

    package = Path(casefile.__file__).parent
    stamps: list[Any] = [MAGIC.decode(), casefile.__version__, marshal.version, list(sys.version_info[:2])]
    for folder in ("case", "storage"):
        with os.scandir(package / folder) as entries:
            for entry in sorted(entries, key=lambda entry: entry.name):
                if entry.name.endswith(".py"):
                    status = entry.stat()
                    stamps.append([f"{folder}/{entry.name}", status.st_mtime_ns, status.st_size])
    return stamps


@contextlib.contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cycle collector while building large trees of objects (none of them cyclic)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# --- marshal, with TOML's dates and times ---------------------------------------------------------


def _tag(value: Any) -> Any:
    """``value`` with its dates and times as tagged tuples (marshal has no dates)."""
    kind = type(value)
    if kind is dict:
        return {key: _tag(item) for key, item in value.items()}
    if kind is list or kind is tuple:
        return kind(_tag(item) for item in value)
    if kind in (datetime.datetime, datetime.date, datetime.time):
        return (_TAG, kind.__name__, value.isoformat())
    return value


def _untag(value: Any) -> Any:
    kind = type(value)
    if kind is dict:
        return {key: _untag(item) for key, item in value.items()}
    if kind is tuple and len(value) == 3 and value[0] == _TAG:
        return getattr(datetime, value[1]).fromisoformat(value[2])
    if kind is list or kind is tuple:
        return kind(_untag(item) for item in value)
    return value


def dumps(value: Any) -> bytes:
    """Marshal bytes of a value made of marshal's types and TOML's dates and times."""
    try:
        return marshal.dumps((False, value))
    except ValueError:
        return marshal.dumps((True, _tag(value)))  # a date or time: tagged


def loads(data: bytes | memoryview) -> Any:
    tagged, value = marshal.loads(data)
    return _untag(value) if tagged else value


# --- files ------------------------------------------------------------------------------------------


#: A case's cache not used for this long is deleted when another case's cache is made.
UNUSED_DAYS = 30


def prune(cases: Path, *, keep: Path) -> None:
    """Delete the caches of case files that no command has read for :data:`UNUSED_DAYS` days."""
    import shutil
    import time

    cutoff = time.time() - UNUSED_DAYS * 86400
    try:
        entries = list(cases.iterdir())
    except OSError:
        return
    for entry in entries:
        with contextlib.suppress(OSError):
            if entry != keep and entry.stat().st_mtime < cutoff and _newest(entry) < cutoff:
                shutil.rmtree(entry)


def _newest(folder: Path) -> float:
    """When a file in ``folder`` was last read or written."""
    return max((max(entry.stat().st_atime, entry.stat().st_mtime) for entry in folder.iterdir()), default=0.0)


def owned(status: os.stat_result) -> bool:
    """Whether a cache folder with this status is the user's own, and no one else may write in it.

    Another user's entries prove nothing (anyone can compute their hashes, or encrypt to a case's
    public keys): they are neither read nor written (ours would show them the case)."""
    return not hasattr(os, "geteuid") or (status.st_uid == os.geteuid() and not status.st_mode & 0o022)


def _open_entry(folder: Path, name: str) -> BinaryIO:
    """``folder/name`` opened for reading, if the folder is :func:`owned` (else OSError)."""
    if not hasattr(os, "O_DIRECTORY"):  # pragma: no cover - not POSIX
        return open(folder / name, "rb")
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        if not owned(os.fstat(descriptor)):
            raise PermissionError(f"{folder} is not the user's own folder")
        return os.fdopen(os.open(name, os.O_RDONLY | os.O_NOFOLLOW, dir_fd=descriptor), "rb")
    finally:
        os.close(descriptor)


def read_entry(
    folder: Path, name: str, case_digest: bytes, *, unseal: Callable[[bytes], bytes | None] | None = None
) -> Any:
    """The value kept as ``name`` for the case file whose bytes hash to ``case_digest``, or None.

    None when the file is missing, or is not exactly what :func:`write_entry` wrote for these
    bytes and this code: its hashes are checked before a byte of the payload is decoded.
    ``unseal`` opens a payload ``write_entry`` sealed (None: it cannot be opened).
    """
    found = read_entry_and_tail(folder, name, case_digest, unseal=unseal)
    return None if found is None else found[0]


def read_entry_and_tail(
    folder: Path, name: str, case_digest: bytes | None, *, unseal: Callable[[bytes], bytes | None] | None = None
) -> tuple[Any, bytes, bytes] | None:
    """:func:`read_entry`'s value, the ``tail`` kept after it and the hash of the case bytes it was
    written for, or None. ``case_digest`` None: an entry written for any bytes (checked all the same)."""
    try:
        with _open_entry(folder, name) as handle:
            data = handle.read()
    except OSError:
        return None
    header, bound = len(MAGIC) + 64, data[len(MAGIC) : len(MAGIC) + 32]
    if len(data) < header or not data.startswith(MAGIC) or case_digest not in (None, bound):
        return None
    payload: bytes | memoryview = memoryview(data)[header:]
    if sha256(payload).digest() != data[len(MAGIC) + 32 : header]:
        return None
    if unseal is not None:
        opened = unseal(bytes(payload))
        if opened is None:
            return None
        payload = opened
    try:
        with no_gc():
            stamp, value, size = loads(payload)  # marshal reads up to its end: the tail is after it
    except Exception:  # a payload that hashes right but does not decode: someone else's format
        return None
    if stamp != code_stamp() or type(size) is not int or not 0 <= size <= len(payload):
        return None
    return value, bytes(memoryview(payload)[len(payload) - size :]), bound


def write_entry(
    folder: Path,
    name: str,
    case_digest: bytes,
    value: Any,
    *,
    seal: Callable[[bytes], bytes] | None = None,
    tail: bytes = b"",
) -> None:
    """Keep ``value`` as ``name`` for the case file whose bytes hash to ``case_digest``; errors are ignored.

    ``seal`` turns the payload into what is kept on disk (an encrypted case's cache is encrypted).
    ``tail``: bytes kept after the value as they are (a large export), not copied into marshal's.
    """
    from casefile.storage.files import make_folders

    with contextlib.suppress(OSError, ValueError, TypeError):
        if not folder.is_dir():
            prune(folder.parent, keep=folder)
        make_folders(folder)
        if not owned(os.stat(folder)):
            return
        pieces = [dumps((code_stamp(), value, len(tail))), tail]
        if seal is not None:
            pieces = [seal(b"".join(pieces))]
        digest = sha256(size=sum(map(len, pieces)))
        for piece in pieces:
            digest.update(piece)
        replace_held(folder / name, [MAGIC, case_digest, digest.digest(), *pieces])


def replace_held(path: Path, pieces: list[bytes | memoryview]) -> None:
    """Replace the cache file ``path`` with ``pieces`` (not fsynced: it is checked before use),
    through a temporary file beside it that holds its lock while it is written
    (:func:`casefile.storage.tempfiles.held_temp`). The temporary files writers killed mid-write
    left in that folder (``kill -9``, a closed lid's lost battery), which no process holds, are
    removed first (:func:`casefile.storage.tempfiles.remove_dead`): a cache folder in use is never
    pruned, and each would stay, with part of the case in it. Only on a write: a warm reading pays nothing."""
    from casefile.storage.tempfiles import remove_dead, replace_through_held

    remove_dead(path.parent.glob(".*.tmp"))
    replace_through_held(path, pieces, durable=False)
