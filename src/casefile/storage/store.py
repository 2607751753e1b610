"""Find, lock, read, validate and save the case file: the store's entry points.

Nothing here may lose a record: writes are atomic with a ``.bak`` kept first, under the
writer lock, and a file that cannot be read is never rewritten (see :mod:`casefile.storage.files`).

Reading: the file's bytes are hashed; the parse cache (:mod:`casefile.storage.cache`) is used only when
it was made from exactly these bytes, else the file is parsed item by item
(:func:`casefile.storage.tomltext.parse_case`) and validated, and what that gave is cached, with the
part of the bytes each item came from. Writing: a change is saved by replacing only the bytes
of the items it changed (:mod:`casefile.storage.splice`); a change it cannot save that way rewrites
the whole file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from dataclasses import replace as dataclass_replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from casefile.case.model import Case, Event
from casefile.errors import CasefileError, CaseFileExists, CaseFileInvalid, CaseFileSyntax, InvalidValue
from casefile.storage.files import (
    CaseBytes,
    case_bytes,
    keep_commented_copy,
    locked,
    make_folders,
    remove_stale_temps,
    require_regular_file,
)
from casefile.storage.files import resolved as resolved_path

if TYPE_CHECKING:
    from casefile.storage.tomltext import Part

FILE_NAME = "casefile.toml"
#: The suffix of an encrypted case file (:mod:`casefile.storage.encryption`): ``casefile.toml.age``.
ENCRYPTED_SUFFIX = ".age"
ENV_VAR = "CASEFILE_FILE"
#: The arrays kept as rows in the cache (the long ones); the rest of the document is kept as tables.
BODY_ARRAYS = ("events", "demands")
_ENTRY = "case"

ResultT = TypeVar("ResultT")


@dataclass(frozen=True, slots=True)
class Location:
    """The case file in use and the rule that chose it."""

    path: Path
    rule: str


@dataclass(frozen=True, slots=True)
class Loaded:
    """A case as read from disk, with what the store noticed while reading it."""

    case: Case
    path: Path
    has_comments: bool = False
    migrated_from: int | None = None


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
                f"{folder} holds both {FILE_NAME} and {encrypted.name}: choose one with --file, or finish "
                f"encrypting with `casefile encrypt --file {candidate}` (which deletes the plain one)."
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


class Reading:
    """One reading of the case file: its bytes, their SHA-256, the case, and what splicing needs.

    ``rest`` is the document without its events and demands, ``rows`` those as cache rows
    (:mod:`casefile.storage.cacherows`), and ``parts`` where each item's bytes are (None: not known,
    then a change rewrites the whole file); all in the order of the file.
    """

    def __init__(self, path: Path, io: CaseBytes) -> None:
        from casefile.storage import cache

        self.path, self.io = path, io
        self.data = io.read(path)
        self.digest: bytes = cache.sha256(self.data).digest()
        self.folder = cache.folder_for(path)
        self.rest: dict[str, Any] = {}
        self.rows: dict[str, list[Any]] = {}
        self.parts: list[Part] | None = None
        self.comments = False
        self.migrated_from: int | None = None
        entry = cache.read_entry(self.folder, _ENTRY, self.digest, unseal=io.open_cached) if io.cacheable else None
        case = self._from_cache(entry) if entry is not None else None
        self.case = case if case is not None else self._parse()
        self.loaded = Loaded(self.case, path, self.comments, self.migrated_from)

    def _from_cache(self, entry: Any) -> Case | None:
        from casefile.case.codec import decode
        from casefile.storage import cache
        from casefile.storage.cacherows import items_from_rows
        from casefile.storage.tomltext import Part

        try:
            with cache.no_gc():
                rest, rows = entry["rest"], entry["rows"]
                case = decode(rest, path=str(self.path))
                items: dict[str, Any] = {name: tuple(items_from_rows(name, rows[name])) for name in BODY_ARRAYS}
                parts = entry["parts"]
                self.parts = None if parts is None else [Part(*part) for part in parts]
            self.rest, self.rows = rest, rows
            self.comments, self.migrated_from = bool(entry["comments"]), entry["migrated_from"]
            return dataclass_replace(case, **items)
        except Exception:  # a verified entry that still does not fit (another version's shape): parse instead
            self.parts = None
            return None

    def _parse(self) -> Case:
        from casefile.case.codec import decode
        from casefile.case.migrations import SCHEMA_VERSION, migrate, version_of
        from casefile.storage import cache
        from casefile.storage.cacherows import rows_of
        from casefile.storage.tomltext import locate_problems, parse_case

        with cache.no_gc():
            document, parts, self.comments = parse_case(self.data, self.path)
        version = version_of(document)
        if version != SCHEMA_VERSION:
            document, parts = migrate(document, path=str(self.path)), None
            self.migrated_from = version
        try:
            with cache.no_gc():
                case = decode(document, path=str(self.path))
        except CaseFileInvalid as error:
            text = self.data.decode("utf-8")
            raise CaseFileInvalid(str(self.path), locate_problems(text, error.problems)) from None
        self.parts = parts
        self.rest = {key: value for key, value in document.items() if key not in BODY_ARRAYS}
        with cache.no_gc():
            self.rows = {name: rows_of(name, document.get(name, [])) for name in BODY_ARRAYS}
        self.remember()
        return case

    def still_current(self) -> bool:
        """Whether the file still holds the bytes read (a scrub may have removed a value since)."""
        from casefile.storage import cache

        try:
            return bool(cache.sha256(self.io.read(self.path)).digest() == self.digest)
        except (OSError, CasefileError):
            return False

    def remember(self) -> None:
        """Keep what this reading holds in the cache, for the file whose bytes hash to ``digest``."""
        from casefile.storage import cache

        if not self.io.cacheable:
            return
        parts = None if self.parts is None else [tuple(part) for part in self.parts]
        entry = {
            "rest": self.rest,
            "rows": self.rows,
            "parts": parts,
            "comments": self.comments,
            "migrated_from": self.migrated_from,
        }
        cache.write_entry(self.folder, _ENTRY, self.digest, entry, seal=self.io.seal_cached)


def _reading(path: Path) -> Reading:
    target = resolved_path(path)
    return Reading(target, case_bytes(target))


def read_text(path: Path) -> str:
    """The file's text, or a message saying it is missing, not a file, too large or not UTF-8."""
    target = resolved_path(path)
    data = case_bytes(target).read(target)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise CaseFileSyntax(f"{path}: line {line} (byte {error.start}): the file is not UTF-8 text.") from None


def load(path: Path) -> Loaded:
    """Read, migrate and validate the case file.

    Raises:
        CaseFileNotFound, CaseFileSyntax, SchemaTooNew, CaseFileInvalid
    """
    return _reading(path).loaded


def load_with(path: Path, name: str, make: Callable[[list[Event]], list[Any]]) -> tuple[Loaded, list[Any] | None]:
    """:func:`load`, and a value per event made by ``make``, kept in the cache as ``name`` for these bytes.

    The values are None when they are not kept: the caller works them out itself.
    """
    from casefile.storage import cache

    reading = _reading(path)
    events = reading.case.events
    values = (
        cache.read_entry(reading.folder, f"derived-{name}", reading.digest, unseal=reading.io.open_cached)
        if reading.io.cacheable
        else None
    )
    if not (isinstance(values, list) and len(values) == len(events)):
        values = None
        if reading.io.cacheable and events:
            values = make(list(events))
            if reading.still_current():  # a value scrubbed meanwhile is not kept
                cache.write_entry(
                    reading.folder, f"derived-{name}", reading.digest, values, seal=reading.io.seal_cached
                )
    return reading.loaded, values


def create(path: Path, case: Case) -> None:
    """Write a new case file; refuse to replace one that exists."""
    from casefile.storage.tomltext import dumps

    target = resolved_path(path)
    make_folders(target.parent)
    if target.exists():
        raise CaseFileExists(
            f"{path} already exists. Use --file to start another case, or edit this one with `casefile edit-case`."
        )
    try:
        case_bytes(target).create(target, dumps(case).encode("utf-8"))
    except FileExistsError:
        raise CaseFileExists(f"{path} already exists.") from None


@dataclass(frozen=True, slots=True)
class Updated(Generic[ResultT]):
    """What :func:`update` did: the change's result and notices for the user."""

    result: ResultT
    case: Case
    notices: tuple[str, ...] = field(default=())


def update(path: Path, change: Callable[[Case], tuple[Case, ResultT]]) -> Updated[ResultT]:
    """Under the lock: load the case, apply ``change``, and save the result if it differs.

    Only the bytes of the items the change touched are replaced when that can be done
    (:mod:`casefile.storage.splice`); else the whole file is rewritten.
    """
    target = resolved_path(path)
    require_regular_file(target)
    with locked(target):
        reading = Reading(target, case_bytes(target))
        new_case, result = change(reading.case)
        if new_case == reading.case and reading.migrated_from is None:
            return Updated(result=result, case=new_case)
        notices = _save(reading, new_case)
    return Updated(result=result, case=new_case, notices=tuple(notices))


#: Adding an item is an update (kept as its own name for the add-* commands).
add = update


def _save(reading: Reading, case: Case) -> list[str]:
    """Write ``case`` over the file ``reading`` read, and say what was kept aside."""
    from casefile.storage import cache, splice
    from casefile.storage.tomltext import dumps

    path = reading.path
    remove_stale_temps(path)
    notices: list[str] = []
    spliced = splice.spliced(reading, case) if reading.parts is not None and reading.migrated_from is None else None
    lost_comments = reading.comments if spliced is None else spliced.lost_comments
    if lost_comments:
        copy = keep_commented_copy(path)
        notices.append(
            f"{path} had comments that this change could not keep in place; "
            f"the version with them is kept in {copy} (never overwritten)."
        )
    if reading.migrated_from is not None:
        notices.append(
            f"{path} was upgraded from schema version {reading.migrated_from}; the old version is kept in {path}.bak."
        )
    if spliced is None:
        reading.io.write(path, [dumps(case).encode("utf-8")])
        return notices  # the next reading parses the new file and caches it
    reading.io.write(path, spliced.pieces)
    hasher = cache.sha256(b"", size=spliced.size)
    for piece in spliced.pieces:
        hasher.update(piece)
    reading.digest, reading.parts = hasher.digest(), spliced.parts
    reading.rest, reading.rows = spliced.rest, spliced.rows
    reading.comments = reading.comments and not lost_comments
    reading.remember()
    return notices


def events_json(path: Path) -> list[bytes | memoryview]:
    """What ``list events --json`` prints, in pieces of UTF-8: every event's record, by date then id.

    Each event's record is kept in the cache for these bytes once made (records do not depend on the day).
    """
    import datetime
    import json

    from casefile.case.views import item_record
    from casefile.storage import cache

    reading = _reading(path)
    events = sorted(reading.case.events, key=_sort_key)
    kept = (
        cache.read_entry(reading.folder, "events-json", reading.digest, unseal=reading.io.open_cached)
        if reading.io.cacheable
        else None
    )
    if isinstance(kept, bytes):
        return [kept]
    day = datetime.date.today()  # an event's record does not depend on the day
    data = json.dumps([item_record(event, as_of=day) for event in events], ensure_ascii=False, indent=2).encode()
    if reading.io.cacheable and reading.still_current():
        cache.write_entry(reading.folder, "events-json", reading.digest, data, seal=reading.io.seal_cached)
    return [data]


def _sort_key(item: Any) -> tuple[tuple[int, ...], str]:
    """The order of events and demands in the file and in lists: by date, then id."""
    return (item.date.sort_key(), item.id)
