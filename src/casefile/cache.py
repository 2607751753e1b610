"""The parse cache: what reading and validating a case file gave, kept for the next command.

Parsing TOML is the slow part of every command on a large case (about a second for 10,000
events), so after a file has been read and validated completely, what it contained is kept in
the user cache folder in :mod:`marshal` format. The next command reads the case file, hashes
it, and uses the cache only when the file's size, modification time and SHA-256 are the ones
recorded: any edit, even one that keeps the size and the modification time, makes the cache
stale, and a stale or unreadable cache is ignored and rewritten. The case file stays the only
source of truth: deleting the cache changes nothing but speed.

One folder per case file (named by a hash of its absolute path), owner-only because it holds
the case's private data, with:

``head``
    the key (size, mtime_ns, sha256), the document without its events and demands, whether the
    file had comments or an older schema, and the names of the other files;
``body-<token>``
    events and demands as rows (:mod:`casefile.cacherows`): those of the file as read, 5,000
    events a body, then one body per item written into the file since, with its place (merged
    now and then);
``index-<token>``
    where each item's ``[[name]]`` header is in the file, and the date-then-id keys of the
    events and demands: what ``add-*`` needs to write a new item at its place;
``view-<token>``
    for the events of one body: their sort keys and their ``--json`` records, made the first
    time ``list events --json`` needs them;
``derived-<name>-<token>``
    a value per event of one body, made by a caller the first time it needs them (the letter
    keeps its escaped texts there: see ``Snapshot.per_event``).

Only :mod:`casefile.snapshot` and :mod:`casefile.insert` read and write these (this module only
knows how). Body, index and view files never change once written; the head is replaced
atomically and names the others. A reader that finds one missing (a writer cleaned up
meanwhile) treats the cache as stale.
"""

from __future__ import annotations

import contextlib
import datetime
import gc
import marshal
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

#: Bump when what the cache holds changes meaning.
FORMAT = 2
HEAD = "head"
#: Appended bodies are merged into one when there are more than this many.
MAX_TAIL_BODIES = 16
_TAG = "\x00casefile-datetime"
_LOCK = "lock"


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


def code_stamp() -> list[Any]:
    """What the cached data depends on besides the file: this casefile's code and Python's marshal.

    Lists only, so that it reads back equal however it was written.
    """
    import casefile

    package = Path(casefile.__file__).parent
    stamps: list[Any] = [FORMAT, casefile.__version__, marshal.version, list(sys.version_info[:2])]
    for module in (
        "codec.py",
        "model.py",
        "dates.py",
        "migrations.py",
        "views.py",
        "cacherows.py",
        "cache.py",
        "store.py",
        "snapshot.py",
        "itemindex.py",
        "insert.py",
        "tomltext.py",
    ):
        try:
            status = os.stat(package / module)
            stamps.append([module, status.st_mtime_ns, status.st_size])
        except OSError:
            stamps.append([module, None, None])
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
    """``value`` with dates and times as tagged tuples, and tuples as lists (TOML has no tuples)."""
    kind = type(value)
    if kind is dict:
        return {key: _tag(item) for key, item in value.items()}
    if kind is list or kind is tuple:
        return [_tag(item) for item in value]
    if kind in (str, int, float, bool, bytes) or value is None:
        return value
    if kind is datetime.datetime:
        return (_TAG, "datetime", value.isoformat())
    if kind is datetime.date:
        return (_TAG, "date", value.isoformat())
    if kind is datetime.time:
        return (_TAG, "time", value.isoformat())
    raise ValueError(f"cannot cache a {kind.__name__}")


def _untag(value: Any) -> Any:
    kind = type(value)
    if kind is dict:
        return {key: _untag(item) for key, item in value.items()}
    if kind is list:
        return [_untag(item) for item in value]
    if kind is tuple and len(value) == 3 and value[0] == _TAG:
        if value[1] == "datetime":
            return datetime.datetime.fromisoformat(value[2])
        if value[1] == "date":
            return datetime.date.fromisoformat(value[2])
        return datetime.time.fromisoformat(value[2])
    return value


def dumps(value: Any, *, normalise: bool = False) -> bytes:
    """Marshal bytes of a TOML-shaped value. ``normalise`` also turns tuples into lists."""
    if not normalise:
        try:
            return marshal.dumps((False, value))
        except ValueError:
            pass  # a date or time: tag them below
    return marshal.dumps((True, _tag(value)))


def loads(data: bytes) -> Any:
    tagged, value = marshal.loads(data)
    return _untag(value) if tagged else value


# --- files ------------------------------------------------------------------------------------------


def make_folder(folder: Path) -> None:
    """Create the cache folder and its missing parents, owner-only."""
    missing = []
    for candidate in (folder, *folder.parents):
        if candidate.is_dir():
            break
        missing.append(candidate)
    for candidate in reversed(missing):
        with contextlib.suppress(FileExistsError):
            candidate.mkdir(mode=0o700)
            os.chmod(candidate, 0o700)  # mkdir's mode is cut by the umask


def write_file(folder: Path, name: str, data: bytes) -> None:
    """Replace ``folder/name`` with ``data`` atomically (no fsync: a lost cache is only slower)."""
    temp = folder / f".tmp-{os.urandom(8).hex()}"
    descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(temp, folder / name)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


def names_body(folder: Path, token: str) -> bool:
    """Whether the cache's head, as it is on disk now, still names the body ``token``.

    Checked before keeping something made from a body: a writer, or ``scrub``, may have
    replaced or deleted the cache since it was read.
    """
    head = read_file(folder, HEAD)
    return isinstance(head, dict) and token in head.get("bodies", ())


def read_file(folder: Path, name: str) -> Any:
    """The value in ``folder/name``, or None when it is missing or unreadable."""
    try:
        data = (folder / name).read_bytes()
    except OSError:
        return None
    try:
        with no_gc():
            return loads(data)
    except (EOFError, ValueError, TypeError, KeyError, IndexError, RecursionError):
        return None


def new_token() -> str:
    return os.urandom(8).hex()


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
            if entry != keep and (entry / HEAD).stat().st_atime < cutoff and entry.stat().st_mtime < cutoff:
                shutil.rmtree(entry)


@contextlib.contextmanager
def writing(folder: Path, *, wait: bool) -> Iterator[bool]:
    """Hold the cache folder's lock; yields False (and nothing may be written) if it is busy."""
    import fcntl

    try:
        if not folder.is_dir():
            prune(folder.parent, keep=folder)
        make_folder(folder)
        descriptor = os.open(folder / _LOCK, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        yield False
        return
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        yield True
    finally:
        os.close(descriptor)


def remove_unused(folder: Path, head: dict[str, Any]) -> None:
    """Delete the files of bodies the head does not name, and temporary files left by a crash."""
    used = {HEAD, _LOCK, f"index-{head['index']}"}
    for token in head["bodies"]:
        used.update((f"body-{token}", f"view-{token}"))
    tokens = set(head["bodies"])
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if name.startswith("derived-") and name.rpartition("-")[2] in tokens:
            continue  # values worked out from a body still in use (Snapshot.per_event)
        if name not in used:
            with contextlib.suppress(OSError):
                os.unlink(folder / name)
