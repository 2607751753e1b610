"""File safety: reading a case file within limits, atomic writes, backups.

Nothing here may lose a record:
- a write goes to a temporary file in the same folder, is flushed and fsynced, then renamed
  over the file, so a reader or a crash sees the old file or the new one, never half;
- the previous version stays beside it as ``<name>.bak`` (a hard link, so it costs no copy);
- writers hold the lock (:mod:`casefile.storage.lock`) for the whole read-change-write.

A case file reached through a symbolic link is its target (:func:`resolved`, applied first), so
the lock, the temporary file and the backups belong to the real file and the link stays a link.
:class:`CaseBytes` is the one seam between the bytes on disk and everything above them.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from casefile.errors import CaseFileNotFound, UnreadableInput
from casefile.i18n import _

FILE_MODE = 0o600
#: Copies of a case file kept when a rewrite dropped hand-written comments: ``<name>.with-comments.<when>.bak``.
COMMENTS_INFIX = ".with-comments."
COMMENTS_SUFFIX = ".bak"


def sidecar(path: Path, suffix: str) -> Path:
    """A file kept beside the case file: ``casefile.toml`` -> ``casefile.toml.bak``."""
    return path.with_name(path.name + suffix)


def resolved(path: Path) -> Path:
    """The file ``path`` names, every symbolic link followed (it need not exist yet)."""
    return Path(os.path.realpath(path))


def read_case_file(path: Path) -> bytes:
    """The bytes of the case file at ``path``, within the limits of :mod:`casefile.storage.limits`
    (devices, FIFOs, folders and files too large are refused before a byte is read)."""
    from casefile.storage.limits import read_limited

    if not os.path.exists(path):  # missing, or a link to nothing
        raise _not_found(path)
    return read_limited(path, what="case file")


def _not_found(path: Path) -> CaseFileNotFound:
    return CaseFileNotFound(
        _(
            "no case file at {path}. Create one with `casefile init --title TITLE --country "
            "COUNTRY`, or choose one with --file."
        ).format(path=path)
    )


def require_regular_file(path: Path) -> None:
    """Refuse, before anything is written beside it (the lock), a case file that reading would refuse
    unread: none there, a folder, a device, a FIFO, a file too large (:func:`casefile.storage.limits.check_kind`)."""
    from casefile.storage.limits import MAX_FILE_BYTES, check_kind

    try:
        status = os.stat(path)
    except FileNotFoundError:
        raise _not_found(path) from None  # else the lock, made first, said its folder was missing
    except OSError:
        return  # unreadable: reading it says so
    check_kind(path, status, MAX_FILE_BYTES, UnreadableInput, "case file")


def require_writable(path: Path) -> None:
    """Refuse to replace a case file its owner made read-only (``chmod 0400``), or one that belongs
    to another user: a write renames a new file over it, which needs only the folder's permission,
    so the first would be ignored and the second made the writer's own, which its owner could then
    no longer read (mode 0600).

    Raises:
        NotWritable: saying which, and how to proceed; nothing was written.
    """
    from casefile.errors import NotWritable

    try:
        status = os.stat(path)
    except OSError:
        return  # none there, or unreadable: reading it says so
    if hasattr(os, "geteuid") and status.st_uid != os.geteuid():
        raise NotWritable(
            _(
                "{path} belongs to another user ({owner}): a change would replace it with a file of yours, which "
                "they could no longer read. Run casefile as that user, or work on a copy. Nothing was changed."
            ).format(path=path, owner=owner_name(status.st_uid))
        )
    if not status.st_mode & 0o200:
        raise NotWritable(
            _(
                "{path} is read-only (mode {mode}): casefile does not write over a file made read-only. To change "
                "it, make it writable first: chmod u+w {path}. Nothing was changed."
            ).format(path=path, mode=f"{status.st_mode & 0o7777:04o}")
        )


def folder_not_writable(folder: Path, path: Path, error: OSError) -> Exception:
    """``error`` as :class:`NotWritable` naming ``folder`` if it is the system refusing casefile a
    file there (the folder's mode, an immutable folder, a read-only disk), where the lock, the
    temporary file and the backup of ``path`` go; any other error as it is."""
    import errno

    from casefile.errors import NotWritable
    from casefile.i18n import system_error

    named = os.fsdecode(error.filename) if error.filename is not None else None
    if error.errno not in (errno.EACCES, errno.EPERM, errno.EROFS) or named is None or Path(named).parent != folder:
        return error
    return NotWritable(
        _(
            "casefile cannot write in the folder {folder} ({reason}), so it cannot change {path}. Make the folder "
            "writable, or work on a copy of the file elsewhere. Nothing was written."
        ).format(folder=folder, reason=system_error(error), path=path)
    )


def owner_name(uid: int) -> str:
    """The name of the user ``uid`` (its number where it has none)."""
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        return str(uid)


class CaseBytes:
    """The seam between the case file's bytes on disk and the store: read them, or replace them atomically.

    A case kept in another form on disk (encrypted) is one subclass that turns its bytes into
    plain ones after :meth:`read` and back before :meth:`write`. With ``cacheable`` False nothing
    read from it is kept in the parse cache; ``seal_cached`` and ``open_cached`` are how a cache
    entry of this case is kept on disk and read back (None: it cannot be).
    """

    cacheable = True
    seal_cached: Callable[[bytes], bytes] | None = None
    open_cached: Callable[[bytes], bytes | None] | None = None

    def read(self, path: Path) -> bytes:
        return read_case_file(path)

    def write(self, path: Path, pieces: Iterable[bytes | memoryview], unchanged: tuple[int, ...] | None) -> None:
        """Replace the file atomically, ``.bak`` kept, unless its :func:`file_identity` is no longer ``unchanged``."""
        write_atomic(path, pieces, unchanged=unchanged)

    def create(self, path: Path, data: bytes) -> None:
        """Write a new case file; refuse (FileExistsError) if one appeared meanwhile."""
        temp = _written_temp(path, [data])
        try:
            os.link(temp, path)
        finally:
            temp.unlink()
        fsync_folder(path.parent)


def case_bytes(path: Path) -> CaseBytes:
    """How the case file at ``path`` is read and written (``<name>.age``: encrypted, see ``storage.encryption``)."""
    if path.name.endswith(".age"):
        from casefile.storage.encryption import EncryptedCaseBytes

        return EncryptedCaseBytes(path)
    return CaseBytes()


class ChangedMeanwhile(Exception):
    """Another program saved the file while its new version was written: nothing was replaced."""


def file_identity(path: Path) -> tuple[int, ...] | None:
    """What changes when the file is replaced or rewritten (casefile replaces it whole, so each
    write gives it another inode): its device, inode, size and times; None if it cannot be read."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)


def fsync_folder(folder: Path) -> None:
    """Flush ``folder``'s entries to disk (a rename is durable only then); errors are ignored."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _written_temp(path: Path, pieces: Iterable[str | bytes | memoryview], *, durable: bool = True) -> Path:
    """``pieces`` (text as UTF-8) in a new owner-only ``.<name>.<random>.tmp`` beside ``path``, fsynced if durable."""
    name = os.path.join(path.parent, f".{path.name}.{os.urandom(6).hex()}.tmp")
    descriptor = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            for piece in pieces:
                handle.write(piece.encode("utf-8") if isinstance(piece, str) else piece)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(name)
        if isinstance(error, OSError) and error.filename is None:  # a full disk: say which file it stopped
            raise OSError(error.errno, error.strerror, str(path)) from None
        raise
    return Path(name)


def write_atomic(
    path: Path,
    text: str | Iterable[str | bytes | memoryview],
    *,
    backup: bool = True,
    durable: bool = True,
    unchanged: tuple[int, ...] | None = None,
) -> None:
    """Replace ``path`` with ``text`` so that no reader or crash ever sees a partial file, ``.bak`` kept first.

    ``text`` may be pieces whose concatenation is the text: they are encoded one at a time,
    so a very large document is never held twice in memory. Not ``durable`` (a cache file, verified
    before use): nothing is fsynced, so a crash of the machine may leave it damaged; readers still
    never see it half-written. ``unchanged``: the :func:`file_identity` ``path`` must still have once
    the new version is written (an editor takes no lock), else nothing is replaced and
    :class:`ChangedMeanwhile` is raised.
    """
    temp = _written_temp(path, [text] if isinstance(text, str) else text, durable=durable)
    try:
        if unchanged is not None and file_identity(path) != unchanged:
            raise ChangedMeanwhile(path)
        if backup:
            keep_copy(path)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    if durable:
        fsync_folder(path.parent)


def _link_or_copy(path: Path, copy: Path) -> None:
    """Make ``copy`` a new name of ``path`` (a hard link, or a real copy where links fail), owner-only."""
    try:
        os.link(path, copy)
    except (FileExistsError, FileNotFoundError):
        raise
    except OSError:  # a file system without hard links
        descriptor = os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(path.read_bytes())
    with contextlib.suppress(OSError):
        os.chmod(copy, FILE_MODE)  # even when a hand-written original was readable by others


def keep_copy(path: Path) -> None:
    """Make ``<name>.bak`` the current version of ``path`` (if there is one) before it is replaced."""
    backup = sidecar(path, ".bak")
    staging = sidecar(backup, ".tmp")
    with contextlib.suppress(FileNotFoundError):
        staging.unlink()
    try:
        _link_or_copy(path, staging)
    except FileNotFoundError:
        return
    os.replace(staging, backup)


def keep_commented_copy(path: Path) -> Path:
    """Keep the current version of ``path`` as ``<name>.with-comments.<UTC time>-<n>.bak``, a new name every time."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    for number in range(1, 10_000):
        copy = sidecar(path, f"{COMMENTS_INFIX}{stamp}-{number:04d}{COMMENTS_SUFFIX}")
        try:
            _link_or_copy(path, copy)  # never replaces an earlier copy
        except FileExistsError:
            continue
        return copy
    raise FileExistsError(f"no free name for a copy of {path}")  # pragma: no cover


def commented_copies(path: Path) -> list[Path]:
    """Every copy :func:`keep_commented_copy` kept of ``path`` (and the single one older versions kept)."""
    found = sorted(path.parent.glob(f"{path.name}{COMMENTS_INFIX}*{COMMENTS_SUFFIX}"))
    legacy = sidecar(path, ".with-comments.bak")
    return [*found, legacy] if legacy.exists() else found


def make_folders(folder: Path) -> None:
    """Create ``folder`` and missing parents as owner-only folders."""
    missing = []
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            break
        missing.append(candidate)
    for candidate in reversed(missing):
        with contextlib.suppress(FileExistsError):  # made meanwhile by another command
            candidate.mkdir(mode=0o700)
            os.chmod(candidate, 0o700)  # mkdir's mode is cut by the umask


def stale_temps(path: Path) -> list[Path]:
    """Temporary files beside ``path`` that writers made (under the lock, none of them is live)."""
    return [*path.parent.glob(f".{path.name}.*.tmp"), *path.parent.glob(f"{path.name}.*.tmp")]


def remove_stale_temps(path: Path) -> None:
    """Delete temporary files a killed writer of ``path`` left (only under the lock): ``.NAME.<word>.tmp``
    and ``NAME.<word>.tmp`` (``.NAME.<12 hex digits>.tmp``, ``NAME.bak.tmp``, older versions' too), not
    another case's whose name begins with this one's (``NAME.2019.toml``), written under its own lock."""
    import re

    own = re.compile(r"\.?" + re.escape(f"{path.name}.") + r"[^.]+\.tmp")
    for stale in (found for found in stale_temps(path) if own.fullmatch(found.name)):
        with contextlib.suppress(OSError):
            stale.unlink()
