"""Lock, read, validate and save the case file: the store's entry points.

Nothing here may lose a record: writes are atomic with a ``.bak`` kept first, under the
writer lock, and a file that cannot be read is never rewritten (see :mod:`casefile.storage.files`).

Reading: :class:`casefile.storage.reading.Reading` (the verified cache's index and rows, or a parse).
Writing: a change sees the events and demands as partial items, reads only those it looks into,
and is saved by replacing only the bytes of the items it changed (:mod:`casefile.storage.splice`);
a change it cannot save that way reads the whole case and rewrites the whole file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

from casefile.case.model import Case
from casefile.errors import CaseFileChanged, CaseFileExists
from casefile.i18n import _
from casefile.storage.files import (
    ChangedMeanwhile,
    case_bytes,
    file_identity,
    keep_commented_copy,
    make_folders,
    remove_stale_temps,
    require_regular_file,
    require_writable,
)
from casefile.storage.files import resolved as resolved_path
from casefile.storage.lock import locked
from casefile.storage.reading import Loaded, Reading

if TYPE_CHECKING:
    from casefile.storage import splice

__all__ = ["Loaded", "Reading"]  # where the commands and derived values find them

ResultT = TypeVar("ResultT")
#: Readings of a file saved by others while a change is made to it, before the change is given up.
MOST_READINGS = 5


def load(path: Path) -> Loaded:
    """Read, migrate and validate the case file.

    Raises:
        CaseFileNotFound, CaseFileSyntax, SchemaTooNew, CaseFileInvalid
    """
    target = resolved_path(path)
    return Reading(target, case_bytes(target)).loaded


def create(path: Path, case: Case) -> None:
    """Write a new case file; refuse to replace one that exists."""
    from casefile.storage.tomltext import dumps

    target = resolved_path(path)
    make_folders(target.parent)
    if target.exists():
        raise CaseFileExists(
            _(
                "{path} already exists. Use --file to start another case, or edit this one with `casefile edit-case`."
            ).format(path=path)
        )
    try:
        case_bytes(target).create(target, dumps(case).encode("utf-8"))
    except FileExistsError:
        raise CaseFileExists(_("{path} already exists.").format(path=path)) from None


@dataclass(frozen=True, slots=True)
class Updated(Generic[ResultT]):
    """What :func:`update` did: the change's result and notices for the user."""

    result: ResultT
    path: Path
    notices: tuple[str, ...] = field(default=())

    @property
    def case(self) -> Case:
        """The case as saved, read again (the change may have seen only the items it looked into)."""
        return load(self.path).case


def update(path: Path, change: Callable[[Case], tuple[Case, ResultT]]) -> Updated[ResultT]:
    """Under the lock: read the case, apply ``change``, and save the result if it differs.

    The change gets the events and demands as partial items (see :meth:`Reading.run`) when the
    cache holds the file's index: only the items it looks into are read. Only the bytes of the
    items it changed are replaced when that can be done (:mod:`casefile.storage.splice`); else
    the whole file is rewritten.
    """
    from casefile.storage import splice

    target = resolved_path(path)
    require_regular_file(target)
    require_writable(target)
    with locked(target):
        for _again in range(MOST_READINGS):
            reading = Reading(target, case_bytes(target), whole=False)
            for _attempt in range(2):
                new_case, result = reading.run(change)
                # A schema upgrade is rewritten whole (the reading has no layout then).
                layout = reading.layout
                spliced = None if layout is None else splice.spliced(reading.data, layout, reading.case, new_case)
                if spliced is not None or not reading.partial:
                    break
                reading.read_whole()  # a full rewrite writes every item: read them all
            if spliced is splice.UNCHANGED:
                return Updated(result=result, path=target)
            if file_identity(target) != reading.identity:
                continue  # an editor or a git pull (which take no lock) saved it meanwhile: again
            try:
                notices = _save(reading, new_case, spliced)
            except ChangedMeanwhile:
                continue  # ... or while the new version was written
            break
        else:  # never written over another program's version
            raise CaseFileChanged(
                _(
                    "{path} kept changing while casefile tried to save this change (another program is "
                    "writing it); nothing was changed. Try again when that program (an editor, a sync tool) "
                    "has finished."
                ).format(path=path)
            )
    return Updated(result=result, path=target, notices=tuple(notices))


def _save(reading: Reading, case: Case, spliced: splice.Spliced | None) -> list[str]:
    """Write ``case`` over the file ``reading`` read (``spliced``: its pieces), and say what was kept aside."""
    from casefile.storage import cache
    from casefile.storage.tomltext import commented, dumps

    path, notices, unchanged = reading.path, [], reading.identity
    remove_stale_temps(path)
    if reading.comments if spliced is None else spliced.lost_comments:
        notices.append(
            _(
                "{path} had comments that this change could not keep in place; the version with them is "
                "kept in {copy} (never overwritten)."
            ).format(path=path, copy=keep_commented_copy(path))
        )
        unchanged = file_identity(path)  # the copy, a hard link, changed the file's ctime
    if reading.migrated_from is not None:
        notices.append(
            _("{path} was upgraded from schema version {migrated_from}; the old version is kept in {path}.bak.").format(
                path=path, migrated_from=reading.migrated_from
            )
        )
    if spliced is None:
        bom = b"\xef\xbb\xbf" if reading.data.startswith(b"\xef\xbb\xbf") else b""  # kept, as Notepad wrote it
        reading.io.write(path, [bom, dumps(case).encode("utf-8")], unchanged=unchanged)
        return notices  # the next reading parses the new file and caches it
    reading.io.write(path, spliced.pieces, unchanged=unchanged)
    hasher = cache.sha256(b"", size=spliced.layout.size)
    for piece in spliced.pieces:
        hasher.update(piece)
    reading.digest, reading.layout = hasher.digest(), spliced.layout
    if spliced.lost_comments:  # one part's comments went: the others may still be there
        reading.comments = commented(b"".join(spliced.pieces), spliced.layout.starts)
    reading.compact_if_large()
    reading.remember(case)
    return notices
