"""One reading of the case file: from its bytes to the :class:`~casefile.case.model.Case`.

The file's bytes are hashed; the verified cache (:mod:`casefile.storage.cache`) keeps, for exactly
these bytes, an *index* (the document without its events and demands, and the file's
:class:`~casefile.storage.splice.Layout`) and, apart, the *rows* of every event and demand
(:mod:`casefile.storage.cacherows`). Without them the file is parsed item by item
(:func:`casefile.storage.tomltext.parse_case`) and validated, and both are written.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from dataclasses import replace as dataclass_replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from casefile.case.model import Case, Demand, Event
from casefile.errors import CasefileError, CaseFileInvalid
from casefile.storage.files import CaseBytes

if TYPE_CHECKING:
    from casefile.storage.splice import Layout

#: The arrays kept as rows in the cache (the long ones); the rest of the document is kept as tables.
BODY_ARRAYS = ("events", "demands")
#: The cache entry of a file's index (see :class:`Reading`).
INDEX = "index"
#: A change that looks into more items than this gets the whole case.
MOST_ITEMS_READ = 8
#: Changed rows kept in the index before they are moved into a new rows entry.
MOST_INLINE_ROWS = 1000

ResultT = TypeVar("ResultT")


@dataclass(frozen=True, slots=True)
class Loaded:
    """A case as read from disk, with what the store noticed while reading it."""

    case: Case
    path: Path
    has_comments: bool = False
    migrated_from: int | None = None


class Reading:
    """One reading of the case file: its bytes, their SHA-256, the case, and where each item's bytes are.

    The verified cache keeps, for these bytes, an *index* (:data:`INDEX`): the document without its
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
        index = cache.read_entry(self.folder, INDEX, self.digest, unseal=io.open_cached) if io.cacheable else None
        case = self._from_index(index, whole=whole) if index is not None else None
        self.case = case if case is not None else self._parse()
        self.loaded = Loaded(self.case, path, self.comments, self.migrated_from)

    def _from_index(self, index: Any, *, whole: bool) -> Case | None:
        from casefile.case.codec import decode
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
                    found, self.partial = _partial_items(layout), True
            self.layout = layout
            return dataclass_replace(case, events=tuple(found["events"]), demands=tuple(found["demands"]))
        except Exception:  # a verified entry that still does not fit (another version's shape): parse instead
            self.partial = False
            return None

    def _parse(self) -> Case:
        from casefile.case.codec import decode
        from casefile.case.migrations import SCHEMA_VERSION, migrate, version_of
        from casefile.storage import cache
        from casefile.storage.cacherows import rows_of
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
            self.layout = _layout_of(case, spans, self.data, events=len(rows["events"]))
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
        for _attempt in range(MOST_ITEMS_READ):
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
            "layout": (layout.names, layout.starts, layout.ids, layout.keys, layout.rows, layout.size, layout.crlf),
            "rows": self.rows_name,
            "comments": self.comments,
        }
        cache.write_entry(self.folder, INDEX, self.digest, index, seal=self.io.seal_cached)

    def compact_if_large(self) -> None:
        """Move the changed rows out of the index when there are many (see :data:`MOST_INLINE_ROWS`)."""
        if self.layout is not None:
            inline = sum(1 for row in self.layout.rows if row is not None and type(row) is not int)
            if inline > MOST_INLINE_ROWS:
                self.compact()


def _layout_of(case: Case, spans: Any, data: bytes, *, events: int) -> Layout:
    """The layout of a file just parsed: each span's array, start, id, and for an event or demand
    its sort key and row (events' rows first, then the demands', ``events`` of them before)."""
    from casefile.case.codec import ARRAYS
    from casefile.storage.splice import Layout

    first_row = {"events": 0, "demands": events}
    layout = Layout([], [], [], [], [], len(data), b"\r\n" in data)
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
    return layout


def _partial_items(layout: Layout) -> dict[str, list[Any]]:
    """Every event and demand as a partial item: made without ``__init__``, holding only its id."""
    from casefile.case.codec import ARRAYS

    found: dict[str, list[Any]] = {}
    for name in BODY_ARRAYS:
        ids = [each for array, each in zip(layout.names, layout.ids, strict=True) if array == name]
        found[name] = [object.__new__(ARRAYS[name]) for _unused in ids]
        list(map(vars(ARRAYS[name])["id"].__set__, found[name], ids))
    return found
