"""One reading of the case file: from its bytes to the :class:`~casefile.case.model.Case`.

The file's bytes are hashed; the verified cache (:mod:`casefile.storage.cache`) keeps, for exactly
these bytes, an *index* (the document without its events and demands, and the file's
:class:`~casefile.storage.splice.Layout`) and, apart, the *rows* of every event and demand
(:mod:`casefile.storage.cacherows`). Without them the file is parsed item by item
(:func:`casefile.storage.tomltext.parse_case`) and validated, and both are written; after an
outside change (a hand edit, ``git pull``) the earlier version's index gives the rows of the events
and demands whose bytes did not change, and only the others are parsed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from dataclasses import replace as dataclass_replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from casefile.case.model import Case, Demand, Event
from casefile.errors import CaseFileInvalid
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

#: A first reading of a file this large reports how it goes (the command line draws a bar).
PROGRESS_FROM = 2 << 20
#: Set by the command line: a context giving ``progress(stage, done, total)``, or None, around a long step.
progress_bar: Callable[[], AbstractContextManager[Callable[[str, int, int], None] | None]] | None = None

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
        from casefile.storage.files import file_identity

        self.path, self.io = path, io
        self.identity = file_identity(path)  # before the bytes are read: see derived
        self.data = io.read(path)
        self.digest: bytes = cache.sha256(self.data).digest()
        self.folder = cache.folder_for(path)
        self.layout: Layout | None = None
        self.migrated_from: int | None = None
        self.rows_name: str | None = None
        self.kept: Any = None  # an earlier version's rows entry (see _known_rows)
        self.joined: dict[bytes, int] = {}  # items over several header-looking lines (tomltext.parse_case)
        self.comments, self.partial = False, False  # partial: the events and demands are partial items (see run)
        found = cache.read_entry_and_tail(self.folder, INDEX, None, unseal=io.open_cached) if io.cacheable else None
        index, _, bound = found or (None, b"", None)  # the index of these bytes, or of an earlier version
        case = self._from_index(index, whole=whole) if index is not None and bound == self.digest else None
        self.case = case if case is not None else self._parse(index if bound != self.digest else None)
        self.loaded = Loaded(self.case, path, self.comments, self.migrated_from)

    def _from_index(self, index: Any, *, whole: bool) -> Case | None:
        from casefile.case.codec import decode
        from casefile.storage import cache
        from casefile.storage.splice import Layout

        try:
            with cache.no_gc():
                layout = Layout(*index["layout"])
                case = decode(index["rest"], path=str(self.path))
                self.rows_name, self.comments, self.joined = index["rows"], bool(index["comments"]), index["joined"]
                if whole:
                    kept = _rows_entry(self, self.rows_name) if any(type(row) is int for row in layout.rows) else []
                    if kept is None:
                        return None
                    found = _items_from(layout.names, layout.rows, kept)
                else:  # partial items: only their ids are there (see run)
                    found, self.partial = _partial_items(layout), True
            self.layout = layout
            return dataclass_replace(case, **found)
        except Exception:  # a verified entry that still does not fit (another version's shape): parse instead
            self.partial = False
            return None

    def _parse(self, earlier: Any = None) -> Case:
        """The case parsed from the bytes and validated; its index (and rows) kept.

        ``earlier``: the index of an earlier version of the file (the last one kept for this case,
        after a hand edit or a ``git pull``). Its events and demands whose bytes are unchanged (the
        same :func:`~casefile.storage.tomltext.item_digest`) are built from their rows, not parsed;
        the whole is then checked across items as :func:`~casefile.case.codec.decode` checks it, and
        anything unusual (another schema version, a problem to report) parses the file in full.
        """
        from casefile.case.codec import decode
        from casefile.case.migrations import SCHEMA_VERSION, migrate, version_of
        from casefile.storage import cache
        from casefile.storage.cacherows import rows_of
        from casefile.storage.tomltext import locate_problems, parse_case

        _refuse_emptied(self.data, self.path)
        self.partial = False
        self.rows_name, self.kept, known, self.joined = _known_rows(earlier, lambda name: _rows_entry(self, name))
        old_comments = bool(known) and earlier["comments"]  # whether the known items may hold comments
        with cache.no_gc(), _reported(len(self.data) if earlier is None else 0) as progress:
            document, spans, self.comments = parse_case(
                self.data, self.path, known, known_comments=old_comments, joined=self.joined, progress=progress
            )
        reused = bool(known) and spans is not None and any(span.digest in known for span in spans)
        version = version_of(document)
        if version != SCHEMA_VERSION:
            if reused:
                return self._parse()
            document, spans = migrate(document, path=str(self.path)), None
            self.migrated_from = version
        try:
            with cache.no_gc():
                case = decode(document, path=str(self.path))
        except CaseFileInvalid as error:
            if reused:
                return self._parse()  # the messages a full parse gives, each item in its place
            text = self.data.decode("utf-8")
            raise CaseFileInvalid(str(self.path), locate_problems(text, error.problems)) from None
        if spans is None:
            return case
        with cache.no_gc():
            made = {name: iter(rows_of(name, document.get(name, []))) for name in BODY_ARRAYS}
            rows = [
                known[each] if each in known else next(made.get(name, iter(())), None) for name, _, _, each in spans
            ]
            whole = _with_known(case, [span.name for span in spans], rows, self.kept) if reused else case
        if whole is None:
            return self._parse()  # the messages a full parse gives
        self.layout = _layout_of(whole, spans, self.data, rows)
        self.compact_if_large()  # the rows go into a rows entry when there are many (a parse: there are)
        self.remember(whole)
        self.kept = None
        return whole

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
        if self.partial:  # the file is read again: its bytes too (an editor may have saved it meanwhile)
            vars(self).update(vars(Reading(self.path, self.io)))

    def remember(self, case: Case) -> None:
        """Keep the index of these bytes in the cache (``case``: what they hold)."""
        from casefile.case.codec import encode
        from casefile.storage import cache

        if not self.io.cacheable or self.layout is None or self.migrated_from is not None:
            return
        layout = self.layout
        index = {
            "rest": encode(dataclass_replace(case, events=(), demands=())),
            "layout": tuple(getattr(layout, each.name) for each in dataclass_fields(layout)),
            "rows": self.rows_name,
            "comments": self.comments,
            "joined": self.joined,
        }
        cache.write_entry(self.folder, INDEX, self.digest, index, seal=self.io.seal_cached)

    def compact_if_large(self) -> None:
        """Move the rows kept in the index into a new rows entry when there are many (see
        :data:`MOST_INLINE_ROWS`): the index would grow with every change."""
        from casefile.storage import cache

        layout = self.layout
        inline = sum(1 for row in layout.rows if row is not None and type(row) is not int) if layout else 0
        if layout is None or inline <= MOST_INLINE_ROWS:
            return
        kept = self.kept
        if kept is None and any(type(row) is int for row in layout.rows):
            kept = _rows_entry(self, self.rows_name)
            if kept is None:
                self.layout = None  # the next reading parses the file
                return
        rows: list[Any] = []
        for number, row in enumerate(layout.rows):
            if row is not None:
                rows.append(kept[row] if type(row) is int else row)
                layout.rows[number] = len(rows) - 1
        self.rows_name = f"rows-{self.digest.hex()}"  # made for the file whose bytes hash to this
        if self.io.cacheable:
            for older in self.folder.glob("rows-*"):  # one set of rows per case: the others are an older file's
                with contextlib.suppress(OSError):
                    older.unlink()
            cache.write_entry(self.folder, self.rows_name, self.digest, rows, seal=self.io.seal_cached)


def _layout_of(case: Case, spans: Any, data: bytes, rows: list[Any]) -> Layout:
    """The layout of a file just parsed: each span's array, start, id, digest, and for an event or
    demand its sort key and ``rows`` (a place in the rows entry, or the row)."""
    from casefile.case.codec import ARRAYS
    from casefile.storage.splice import Layout

    names, starts, _, digests = (list(column) for column in zip(*spans, strict=True)) if spans else ([], [], [], [])
    left = {name: iter(getattr(case, name)) for name in ARRAYS}
    items = [next(left[name], None) if name in left else None for name in names]
    keys = [
        item.date.sort_key() if name in BODY_ARRAYS and item is not None else None
        for name, item in zip(names, items, strict=True)
    ]
    ids = [getattr(item, "id", None) for item in items]
    return Layout(names, starts, ids, keys, rows, len(data), b"\r\n" in data, digests)


@contextlib.contextmanager
def _reported(size: int) -> Iterator[Callable[[int, int], None] | None]:
    """``progress(done, total)`` for a parse of ``size`` bytes, when that is long and the command line asks."""
    if progress_bar is None or size < PROGRESS_FROM:
        yield None
        return
    with progress_bar() as progress:
        yield None if progress is None else (lambda done, total: progress("Reading the case", done, total))


def _rows_entry(reading: Reading, name: str | None) -> Any:
    """The rows entry ``name`` (an index names it), or None."""
    from casefile.storage import cache

    if name is None:
        return None
    return cache.read_entry(reading.folder, name, bytes.fromhex(name[5:]), unseal=reading.io.open_cached)


def _refuse_emptied(data: bytes, path: Path) -> None:
    """Say so when a crash (or a sync tool) left the file empty, or as zeros: not "case: is missing"."""
    if not data.strip(b"\0 \t\r\n"):
        from casefile.errors import CaseFileSyntax
        from casefile.i18n import _

        raise CaseFileSyntax(
            _(
                "{path} is empty (a crash or a sync tool may have emptied it). Nothing was changed; the "
                "previous version, if any, is {path}.bak."
            ).format(path=path)
        )


def _known_rows(earlier: Any, read: Callable[[str | None], Any]) -> tuple[str | None, Any, dict[bytes, Any], Any]:
    """The rows entry ``earlier`` (an earlier version's index, or None) names, that entry (``read``),
    each event's and demand's row there by its digest (a place in the entry, or the row), and the
    items it knows to span several pieces (see :func:`~casefile.storage.tomltext.parse_case`)."""
    from casefile.storage.splice import Layout

    try:
        layout = Layout(*earlier["layout"])
        kept = read(earlier["rows"]) if any(type(row) is int for row in layout.rows) else []
        pairs = zip(layout.digests, layout.rows, strict=True)
        rows = {digest: row for digest, row in pairs if row is not None and (kept or type(row) is not int)}
        return earlier["rows"], kept, rows, dict(earlier["joined"])
    except Exception:  # none, or another version's shape: nothing is known
        return None, None, {}, {}


def _items_from(names: list[str], rows: list[Any], kept: Any) -> dict[str, Any]:
    """The events and demands of a layout's ``names`` and ``rows`` (places in ``kept``, or rows), in order."""
    from casefile.storage.cacherows import items_from_rows

    found: dict[str, list[Any]] = {name: [] for name in BODY_ARRAYS}
    for name, row in zip(names, rows, strict=True):
        if row is not None:
            found[name].append(kept[row] if type(row) is int else row)
    return {name: tuple(items_from_rows(name, found[name])) for name in BODY_ARRAYS}


def _with_known(case: Case, names: list[str], rows: list[Any], kept: Any) -> Case | None:
    """``case`` (decoded without the known items) with every event and demand, built from ``rows``.

    None when the rows do not fit, or the whole would not pass :func:`~casefile.case.codec.decode`'s
    checks across items (each id used once, every concern and signatory named exists).
    """
    try:
        case = dataclass_replace(case, **_items_from(names, rows, kept))
    except Exception:  # rows that do not fit
        return None
    from casefile.case.codec import references_hold

    return case if references_hold(case) else None


def _partial_items(layout: Layout) -> dict[str, list[Any]]:
    """Every event and demand as a partial item: made without ``__init__``, holding only its id."""
    from casefile.case.codec import ARRAYS

    found: dict[str, list[Any]] = {}
    for name in BODY_ARRAYS:
        ids = [each for array, each in zip(layout.names, layout.ids, strict=True) if array == name]
        found[name] = [object.__new__(ARRAYS[name]) for _unused in ids]
        list(map(vars(ARRAYS[name])["id"].__set__, found[name], ids))
    return found
