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

import contextlib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from dataclasses import replace as dataclass_replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from casefile.case.model import Case, Demand, Event
from casefile.errors import CasefileError, CaseFileExists, CaseFileInvalid, CaseFileSyntax, InvalidValue
from casefile.i18n import _
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
    from casefile.storage.splice import Layout

FILE_NAME = "casefile.toml"
#: The suffix of an encrypted case file (:mod:`casefile.storage.encryption`): ``casefile.toml.age``.
ENCRYPTED_SUFFIX = ".age"
ENV_VAR = "CASEFILE_FILE"
#: The arrays kept as rows in the cache (the long ones); the rest of the document is kept as tables.
BODY_ARRAYS = ("events", "demands")
#: The cache entry of a file's index (see :class:`Reading`).
_INDEX = "index"
#: A change that looks into more items than this gets the whole case.
_MOST_ITEMS_READ = 8
#: Changed rows kept in the index before they are moved into a new rows entry.
_MOST_INLINE_ROWS = 1000

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


class Reading:
    """One reading of the case file: its bytes, their SHA-256, the case, and where each item's bytes are.

    The verified cache keeps, for these bytes, an *index* (:data:`_INDEX`): the document without its
    events and demands (``rest``) and the file's :class:`~casefile.storage.splice.Layout` (each item's
    array, bytes, id, and for an event or demand its sort key and row: a place in the rows entry
    named by ``rows``, or the row itself when it changed since that entry was written). A full
    reading builds every item from the rows (:mod:`casefile.storage.cacherows`). A reading for a
    change (``whole=False``) builds none: each event and demand is a *partial* item holding
    only its id, and the one a change looks into is read from its own bytes (:meth:`run`). Without
    an index the file is parsed item by item and validated, and the index and rows are written.
    """

    def __init__(self, path: Path, io: CaseBytes, *, whole: bool = True) -> None:
        from casefile.storage import cache

        self.path, self.io = path, io
        self.data = io.read(path)
        self.digest: bytes = cache.sha256(self.data).digest()
        self.folder = cache.folder_for(path)
        self.layout: Layout | None = None
        self.comments = False
        self.migrated_from: int | None = None
        self.rows_name: str | None = None
        self.partial = False  # whether the events and demands are partial items (see run)
        index = cache.read_entry(self.folder, _INDEX, self.digest, unseal=io.open_cached) if io.cacheable else None
        case = self._from_index(index, whole=whole) if index is not None else None
        self.case = case if case is not None else self._parse()
        self.loaded = Loaded(self.case, path, self.comments, self.migrated_from)

    def _from_index(self, index: Any, *, whole: bool) -> Case | None:
        from casefile.case.codec import ARRAYS, decode
        from casefile.storage import cache
        from casefile.storage.cacherows import items_from_rows
        from casefile.storage.splice import Layout

        try:
            with cache.no_gc():
                layout = Layout(*index["layout"])
                case = decode(index["rest"], path=str(self.path))
                self.rows_name, self.comments = index["rows"], bool(index["comments"])
                found: dict[str, list[Any]] = {name: [] for name in BODY_ARRAYS}
                if whole:
                    rows = self.read_rows()
                    if rows is None:
                        return None
                    for name, row in zip(layout.names, layout.rows, strict=True):
                        if row is not None:
                            found[name].append(rows[row] if type(row) is int else row)
                    found = {name: items_from_rows(name, found[name]) for name in BODY_ARRAYS}
                else:  # partial items: only their ids are there (see run)
                    for name in BODY_ARRAYS:
                        ids = [each for array, each in zip(layout.names, layout.ids, strict=True) if array == name]
                        found[name] = [object.__new__(ARRAYS[name]) for _ in ids]
                        list(map(vars(ARRAYS[name])["id"].__set__, found[name], ids))
                    self.partial = True
            self.layout = layout
            return dataclass_replace(case, events=tuple(found["events"]), demands=tuple(found["demands"]))
        except Exception:  # a verified entry that still does not fit (another version's shape): parse instead
            self.partial = False
            return None

    def _parse(self) -> Case:
        from casefile.case.codec import ARRAYS, decode
        from casefile.case.migrations import SCHEMA_VERSION, migrate, version_of
        from casefile.storage import cache
        from casefile.storage.cacherows import rows_of
        from casefile.storage.splice import Layout
        from casefile.storage.tomltext import locate_problems, parse_case

        self.partial = False
        with cache.no_gc():
            document, spans, self.comments = parse_case(self.data, self.path)
        version = version_of(document)
        if version != SCHEMA_VERSION:
            document, spans = migrate(document, path=str(self.path)), None
            self.migrated_from = version
        try:
            with cache.no_gc():
                case = decode(document, path=str(self.path))
        except CaseFileInvalid as error:
            text = self.data.decode("utf-8")
            raise CaseFileInvalid(str(self.path), locate_problems(text, error.problems)) from None
        if spans is None:
            return case
        with cache.no_gc():
            rows = {name: rows_of(name, document.get(name, [])) for name in BODY_ARRAYS}
            first_row = {"events": 0, "demands": len(rows["events"])}
            layout = Layout([], [], [], [], [], len(self.data))
            seen: dict[str, int] = {}
            for span in spans:
                number = seen[span.name] = seen.get(span.name, -1) + 1
                items = getattr(case, span.name) if span.name in ARRAYS else ()
                item = items[number] if number < len(items) else None
                dated = span.name in BODY_ARRAYS
                layout.names.append(span.name)
                layout.starts.append(span.start)
                layout.ids.append(getattr(item, "id", None))
                layout.keys.append(item.date.sort_key() if dated and item is not None else None)
                layout.rows.append(first_row[span.name] + number if dated else None)
        self.layout = layout
        self.keep_rows(rows["events"] + rows["demands"])
        self.remember(case)
        return case

    def keep_rows(self, rows: list[Any]) -> None:
        """Keep ``rows`` (each event's and demand's, as the layout numbers them) for these bytes."""
        from casefile.storage import cache

        self.rows_name = f"rows-{self.digest.hex()}"  # made for the file whose bytes hash to this
        if self.io.cacheable:
            for older in self.folder.glob("rows-*"):  # one set of rows per case: the others are an older file's
                with contextlib.suppress(OSError):
                    older.unlink()
            cache.write_entry(self.folder, self.rows_name, self.digest, rows, seal=self.io.seal_cached)

    def read_rows(self) -> Any:
        """The rows entry the index names, or None."""
        from casefile.storage import cache

        if self.rows_name is None:
            return None
        name = self.rows_name
        return cache.read_entry(self.folder, name, bytes.fromhex(name[5:]), unseal=self.io.open_cached)

    def compact(self) -> None:
        """Move the rows kept in the index into a new rows entry (the index would grow with every change)."""
        assert self.layout is not None
        kept = self.read_rows()
        if kept is None:
            self.layout = None  # the next reading parses the file
            return
        rows: list[Any] = []
        for number, row in enumerate(self.layout.rows):
            if row is not None:
                rows.append(kept[row] if type(row) is int else row)
                self.layout.rows[number] = len(rows) - 1
        self.keep_rows(rows)

    def run(self, change: Callable[[Case], tuple[Case, ResultT]]) -> tuple[Case, ResultT]:
        """``change`` applied to the case; the partial items it looks into are read first.

        A partial item raises AttributeError (naming it) when anything but its id is read: that
        item is then read from its bytes, in place, and the change run again (changes are pure, and
        such a read comes before anything they make). A change that looks into many items gets the
        whole case instead. A change must not read a field with ``getattr(item, name, default)``.
        """
        for _attempt in range(_MOST_ITEMS_READ):
            try:
                new_case, result = change(self.case)
            except AttributeError as error:
                if not self.fill(getattr(error, "obj", None)):
                    raise
                continue
            for value in result if isinstance(result, tuple) else (result,):
                self.fill(value)  # what the command shows of its result is all there
            return new_case, result
        self.read_whole()
        return change(self.case)

    def fill(self, item: Any) -> bool:
        """Read a partial item of this reading from its bytes, in place; False if it is not one."""
        from casefile.case.codec import ARRAYS
        from casefile.case.fastdecode import BAD, fast_item
        from casefile.storage.tomltext import parse_document

        if not self.partial or self.layout is None or type(item) not in (Event, Demand) or hasattr(item, "date"):
            return False  # not a partial item of this reading
        number = self.layout.ids.index(item.id)
        name = self.layout.names[number]
        text = str(memoryview(self.data)[self.layout.starts[number] : self.layout.end(number)], "utf-8")
        whole = fast_item(ARRAYS[name], parse_document(text, self.path)[name][0])
        if whole is BAD:  # pragma: no cover - the index is only kept for valid files
            raise CaseFileInvalid(str(self.path), ())
        cls = type(item)
        for each in dataclass_fields(cls):
            vars(cls)[each.name].__set__(item, getattr(whole, each.name))
        return True

    def read_whole(self) -> None:
        """Make every item of the case whole: the change looks into many of them."""
        if self.partial:
            again = Reading(self.path, self.io)
            self.case, self.layout, self.rows_name, self.partial = again.case, again.layout, again.rows_name, False

    def still_current(self) -> bool:
        """Whether the file still holds the bytes read (a scrub may have removed a value since)."""
        from casefile.storage import cache

        try:
            return bool(cache.sha256(self.io.read(self.path)).digest() == self.digest)
        except (OSError, CasefileError):
            return False

    def remember(self, case: Case) -> None:
        """Keep the index of these bytes in the cache (``case``: what they hold)."""
        from casefile.case.codec import encode
        from casefile.storage import cache

        if not self.io.cacheable or self.layout is None or self.migrated_from is not None:
            return
        layout = self.layout
        index = {
            "rest": encode(dataclass_replace(case, events=(), demands=())),
            "layout": (layout.names, layout.starts, layout.ids, layout.keys, layout.rows, layout.size),
            "rows": self.rows_name,
            "comments": self.comments,
        }
        cache.write_entry(self.folder, _INDEX, self.digest, index, seal=self.io.seal_cached)


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
        raise CaseFileSyntax(
            _("{path}: line {line} (byte {start}): the file is not UTF-8 text.").format(
                path=path, line=line, start=error.start
            )
        ) from None


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
    if sum(1 for row in spliced.layout.rows if row is not None and type(row) is not int) > _MOST_INLINE_ROWS:
        reading.compact()
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
