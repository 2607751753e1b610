"""The writer lock: an exclusive ``fcntl`` lock on ``<name>.lock`` for a whole read-change-write.

The holder writes into the lock file who it is (pid, command, since when; never any case text),
so a command that waits too long can say who holds it. Closing the file releases the lock, so a
killed process never leaves it held. A lock file that is a symbolic link is refused, never written through.
"""

from __future__ import annotations

import contextlib
import errno
import os
import time
from collections.abc import Iterator
from pathlib import Path

from casefile.errors import CaseFileSyntax, LockTimeout, UnreadableInput, UntrustedLink
from casefile.i18n import _
from casefile.storage.files import FILE_MODE, folder_not_writable, sidecar
from casefile.storage.linkguard import refuse_foreign_link, untrusted_own_file


def _holder(descriptor: int) -> str:
    """What the holder of a lock wrote into it (pid, command, since when), as a sentence."""
    try:
        text = os.pread(descriptor, 400, 0).decode("utf-8", "replace")
    except OSError:
        return ""
    fields = dict(part.partition("=")[::2] for part in text.split("\n") if "=" in part)
    if not fields.get("pid", "").isdigit():
        return ""
    return " " + _("Process {pid} (`{command}`) has held it since {since}.").format(
        pid=fields["pid"], command=fields.get("command", ""), since=fields.get("since", "")
    )


def _command_name() -> str:
    """The program and subcommand running, and nothing a user typed as a value (no case text in the lock)."""
    import re
    import sys

    words = [os.path.basename(sys.argv[0]) if sys.argv else "casefile"]
    words += [word for word in sys.argv[1:] if re.fullmatch(r"[a-z]+(?:-[a-z]+)*", word)][:1]
    return " ".join(word for word in words if re.fullmatch(r"[\w.-]{1,40}", word)) or "casefile"


def _still_there(descriptor: int, lock_path: Path) -> bool:
    """Whether ``descriptor`` is still the file at ``lock_path``."""
    status = os.fstat(descriptor)
    try:
        current = os.lstat(lock_path)
    except FileNotFoundError:
        return False
    return (current.st_dev, current.st_ino) == (status.st_dev, status.st_ino)


@contextlib.contextmanager
def locked(path: Path, *, timeout: float = 60.0) -> Iterator[None]:
    """Hold the exclusive writer lock of ``path`` (a ``fcntl`` lock on ``<name>.lock``), naming the holder in it."""
    import fcntl

    lock_path = sidecar(path, ".lock")
    # The holder's note truncates and rewrites the file: through a link (a git pull can check one
    # out here) that would be another file of the user's. O_NOFOLLOW closes the gap after the check.
    refuse_foreign_link(lock_path)
    created = not os.path.lexists(lock_path)
    try:
        descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), FILE_MODE)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise UntrustedLink(untrusted_own_file(lock_path, Path(os.path.realpath(lock_path)))) from None
        raise folder_not_writable(lock_path.parent, path, error) from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                if _still_there(descriptor, lock_path):
                    break
                # Its holder removed it (a case it could not read) while this one waited: a lock on
                # it would be seen by no one. The file there now (or a new one) is the lock.
                os.close(descriptor)
                descriptor = -1  # not closed twice if the new one cannot be opened
                descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), FILE_MODE)
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise LockTimeout(
                        _(
                            "another casefile command has been writing {path} for over {timeout:.0f} s.{holder} Wait "
                            "for it to finish and try again. If that process is gone or stuck (`ps -p PID`), stop it "
                            "(`kill PID`): the lock is released when it exits. {lock_path} itself is not the lock "
                            "and need not be deleted."
                        ).format(path=path, timeout=timeout, holder=_holder(descriptor), lock_path=lock_path)
                    ) from None
                time.sleep(0.01)
        since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        with contextlib.suppress(OSError):
            os.ftruncate(descriptor, 0)
            os.pwrite(descriptor, f"pid={os.getpid()}\ncommand={_command_name()}\nsince={since}\n".encode(), 0)
        try:
            yield
        except (CaseFileSyntax, UnreadableInput):
            if created:  # the file could not be read at all: leave nothing of ours beside it
                with contextlib.suppress(OSError):
                    os.unlink(lock_path)
            raise
        except OSError as error:  # the lock file was there already: the change's own files are refused
            raise folder_not_writable(lock_path.parent, path, error) from None
    finally:
        if descriptor >= 0:
            os.close(descriptor)  # closing releases the lock
