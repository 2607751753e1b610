"""Find, lock, read, validate and save the case file: the store's entry points.

Nothing here may lose a record: writes are atomic with a ``.bak`` kept first, under the
writer lock, and a file that cannot be read is never rewritten (see :mod:`casefile.storage.files`).

Reading: :class:`casefile.storage.reading.Reading` (the verified cache's index and rows, or a parse).
Writing: a change sees the events and demands as partial items, reads only those it looks into,
and is saved by replacing only the bytes of the items it changed (:mod:`casefile.storage.splice`);
a change it cannot save that way reads the whole case and rewrites the whole file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from casefile.case.model import Case
from casefile.errors import CaseFileExists, InvalidValue
from casefile.i18n import _
from casefile.storage.files import (
    case_bytes,
    keep_commented_copy,
    locked,
    make_folders,
    remove_stale_temps,
    require_regular_file,
)
from casefile.storage.files import resolved as resolved_path
from casefile.storage.reading import Loaded, Reading

__all__ = ["Loaded", "Reading"]  # where the commands and derived values find them

FILE_NAME = "casefile.toml"
#: The suffix of an encrypted case file (:mod:`casefile.storage.encryption`): ``casefile.toml.age``.
ENCRYPTED_SUFFIX = ".age"
ENV_VAR = "CASEFILE_FILE"

ResultT = TypeVar("ResultT")


@dataclass(frozen=True, slots=True)
class Location:
    """The case file in use and the rule that chose it."""

    path: Path
    rule: str


def default_case_path() -> Path:
    """``cases/default.toml`` in the user's data folder for casefile."""
    from platformdirs import user_data_path

    return user_data_path("casefile", appauthor=False) / "cases" / "default.toml"


def locate(
    explicit: str | os.PathLike[str] | None,
    *,
    cwd: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Location:
    """Where the case file is: --file, then $CASEFILE_FILE, then casefile.toml upwards, then the default."""
    environ = os.environ if environ is None else environ
    if explicit:
        return Location(_or_encrypted(Path(explicit)), "given with --file")
    if environ.get(ENV_VAR):
        return Location(_or_encrypted(Path(environ[ENV_VAR])), f"from the {ENV_VAR} environment variable")
    start = (cwd or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        candidate, encrypted = folder / FILE_NAME, folder / (FILE_NAME + ENCRYPTED_SUFFIX)
        if candidate.is_file() and encrypted.is_file():
            raise InvalidValue(
                _(
                    "{folder} holds both {file_name} and {name}: choose one with --file, or finish "
                    "encrypting with `casefile encrypt --file {candidate}` (which deletes the plain one)."
                ).format(folder=folder, file_name=FILE_NAME, name=encrypted.name, candidate=candidate)
            )
        if candidate.is_file() or encrypted.is_file():
            found = candidate if candidate.is_file() else encrypted
            return Location(found, f"found {found.name} in {folder}")
    return Location(
        _or_encrypted(default_case_path()),
        "the default case: no --file, no $CASEFILE_FILE, no casefile.toml here or above",
    )


def _or_encrypted(path: Path) -> Path:
    """``path``, or ``<path>.age`` when only that encrypted file is there."""
    encrypted = path.with_name(path.name + ENCRYPTED_SUFFIX)
    return encrypted if not path.exists() and encrypted.is_file() else path


def _reading(path: Path) -> Reading:
    target = resolved_path(path)
    return Reading(target, case_bytes(target))


def read_text(path: Path) -> str:
    """The file's text, or a message saying it is missing, not a file, too large or not UTF-8."""
    from casefile.storage.tomltext import utf8_text

    target = resolved_path(path)
    return utf8_text(case_bytes(target).read(target), path)


def load(path: Path) -> Loaded:
    """Read, migrate and validate the case file.

    Raises:
        CaseFileNotFound, CaseFileSyntax, SchemaTooNew, CaseFileInvalid
    """
    return _reading(path).loaded


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
    with locked(target):
        reading = Reading(target, case_bytes(target), whole=False)
        new_case, result = reading.run(change)
        spliced = _spliced(reading, new_case)
        if spliced is None and reading.partial:  # a full rewrite writes every item: read them all
            reading.read_whole()
            new_case, result = reading.run(change)
            spliced = _spliced(reading, new_case)
        if spliced is splice.UNCHANGED and reading.migrated_from is None:
            return Updated(result=result, path=target)
        notices = _save(reading, new_case, spliced)
    return Updated(result=result, path=target, notices=tuple(notices))


#: Adding an item is an update (kept as its own name for the add-* commands).
add = update


def _spliced(reading: Reading, case: Case) -> Any:
    from casefile.storage import splice

    if reading.layout is None or reading.migrated_from is not None:
        return None
    return splice.spliced(reading.data, reading.layout, reading.case, case)


def _save(reading: Reading, case: Case, spliced: Any) -> list[str]:
    """Write ``case`` over the file ``reading`` read (``spliced``: its pieces), and say what was kept aside."""
    from casefile.storage import cache, splice
    from casefile.storage.tomltext import dumps

    path = reading.path
    remove_stale_temps(path)
    notices: list[str] = []
    if spliced is splice.UNCHANGED:
        spliced = None  # an upgrade of the schema: rewritten whole
    lost_comments = reading.comments if spliced is None else spliced.lost_comments
    if lost_comments:
        copy = keep_commented_copy(path)
        notices.append(
            _(
                "{path} had comments that this change could not keep in place; the version with them is "
                "kept in {copy} (never overwritten)."
            ).format(path=path, copy=copy)
        )
    if reading.migrated_from is not None:
        notices.append(
            _("{path} was upgraded from schema version {migrated_from}; the old version is kept in {path}.bak.").format(
                path=path, migrated_from=reading.migrated_from
            )
        )
    if spliced is None:
        reading.io.write(path, [dumps(case).encode("utf-8")])
        return notices  # the next reading parses the new file and caches it
    reading.io.write(path, spliced.pieces)
    hasher = cache.sha256(b"", size=spliced.layout.size)
    for piece in spliced.pieces:
        hasher.update(piece)
    reading.digest, reading.layout = hasher.digest(), spliced.layout
    reading.comments = reading.comments and not lost_comments
    reading.compact_if_large()
    reading.remember(case)
    return notices


def events_json(path: Path) -> list[bytes | memoryview]:
    """What ``list events --json`` prints, in pieces of UTF-8: every event's record, by date then id.

    Kept in the cache for these bytes once made (records do not depend on the day): the case is
    then not even read (:func:`casefile.storage.derived.derived`).
    """
    from casefile.storage.derived import derived

    return [derived(path, "events-json", "", _events_json)]


def _events_json(loaded: Loaded) -> bytes:
    import datetime
    import json

    from casefile.case.views import item_record

    day = datetime.date.today()  # an event's record does not depend on the day
    events = sorted(loaded.case.events, key=_sort_key)
    return json.dumps([item_record(event, as_of=day) for event in events], ensure_ascii=False, indent=2).encode()


def _sort_key(item: Any) -> tuple[tuple[int, ...], str]:
    """The order of events and demands in the file and in lists: by date, then id."""
    return (item.date.sort_key(), item.id)
