"""Every error a user can cause, each with its exit code and a message that says what to do.

The core raises these; the CLI prints ``str(error)`` as one line on stderr and exits with
``error.exit_code``. Nothing here prints or exits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    """The exit codes casefile promises to scripts."""

    OK = 0
    CHECK_FAILED = 1
    USAGE = 2


class CasefileError(Exception):
    """Root of every error casefile reports to a user."""

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InvalidDate(CasefileError):
    """A date that is not in the EDTF subset casefile accepts."""


class InvalidValue(CasefileError):
    """A value a command was given that the case cannot hold."""


class DuplicateSignatory(InvalidValue):
    """A signatory added again under a name that differs only in case, accents or punctuation."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem found while reading a case file: where it is and what is wrong."""

    place: str
    message: str

    def __str__(self) -> str:
        return f"{self.place}: {self.message}" if self.place else self.message


class CaseFileInvalid(CasefileError):
    """The case file could be parsed but holds values casefile cannot accept."""

    def __init__(self, path: str, problems: Sequence[Problem]) -> None:
        self.path = path
        self.problems = tuple(problems)
        lines = [f"{path}: {problem}" for problem in self.problems]
        super().__init__("\n".join(lines))


class CaseFileSyntax(CasefileError):
    """The case file is not valid TOML."""


class CaseFileNotFound(CasefileError):
    """No case file where one was expected."""


class CaseFileExists(CasefileError):
    """``init`` would overwrite an existing case file."""


class CaseFileChanged(CasefileError):
    """Another program kept saving the case file while a change to it was being saved; nothing was written."""


class SchemaTooNew(CasefileError):
    """The case file was written by a newer casefile."""


class ItemNotFound(CasefileError):
    """No item has the id (or id prefix) the user gave."""


class AmbiguousId(CasefileError):
    """An id prefix matches more than one item."""


class ItemInUse(CasefileError):
    """An item cannot be removed because another item refers to it."""


class LockTimeout(CasefileError):
    """Another casefile process held the case file's lock for too long."""


class NeedsConfirmation(CasefileError):
    """A destructive command ran without a terminal and without ``--yes``."""


class TemplateError(CasefileError):
    """A letter template could not be found or rendered."""


class CannotMerge(CasefileError):
    """The merge driver cannot merge three versions (one is unreadable); nothing was written."""


class UnresolvedConflicts(CasefileError):
    """A merge left conflicts in the case file that must be settled first."""


class GitError(CasefileError):
    """git is missing, or the case file is not in a git repository."""


class UntrustedLink(CasefileError):
    """A symbolic link casefile will not follow unasked: a case file or recipients file linking out of
    its git work tree, or a link where casefile keeps its own files (a ``git pull`` can plant either)."""


class MissingExtra(CasefileError):
    """A feature needs an optional extra that is not installed (e.g. ``casefile[office]``)."""


class ImportRejected(CasefileError):
    """A file to import holds rows or values casefile cannot accept; nothing was written."""


class BadKey(CasefileError):
    """An identity or recipient casefile cannot use: missing, not a key, or locked by a wrong passphrase."""


class CannotDecrypt(CasefileError):
    """An encrypted case file none of the user's keys opens, or that is damaged; nothing was written."""


class IdentityNeeded(CannotDecrypt):
    """An encrypted case file, and no identity file to open it with."""


class WrongKey(CannotDecrypt):
    """An encrypted case file the user's identity does not open."""


class RecipientsNotAccepted(CasefileError):
    """An encrypted case's recipients file lists a key this user has not accepted (a git pull may
    have added it), so no new version is encrypted to it; nothing was written."""


class NotWritable(CasefileError):
    """A file casefile would replace is read-only, or belongs to another user: nothing was written."""


class UnreadableInput(CasefileError):
    """A file casefile was asked to read is not one it reads: missing, a device or FIFO, a folder,
    too large, nested too deep, or not UTF-8 (see :mod:`casefile.storage.limits`)."""


class ScrubIncomplete(CasefileError):
    """``scrub`` could not remove a value from every copy of the case file."""

    exit_code = ExitCode.CHECK_FAILED
