"""Saving a change by writing only the items it touched.

The file is a head (everything before the first item) and one part per item: its ``[[name]]``
table and the blank lines after it, up to the next item (:class:`Layout`). A change keeps most
items as the very same objects: those keep their bytes, hand formatting and comments included.
A new or changed item gets its table's text at the place a full rewrite gives it (events and
demands by date then id, the others where the change put them); a removed one loses its part;
the head is written again only when it changed. New texts are checked to read back as their
tables before anything is written. Any other change (reordered items, the sign-off arrays, many
items at once, a file whose arrays are not in casefile's order) gives None: the store rewrites
the file. The work is done on runs of kept parts, never item by item, so it costs about the same
at any size.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from dataclasses import replace as dataclass_replace
from typing import TYPE_CHECKING, Any

from casefile.storage.tomltext import has_comments, item_digest

if TYPE_CHECKING:
    from casefile.case.model import Case

#: More new or changed items than this in one change: the file is rewritten whole.
MAX_CHANGED_ITEMS = 64
#: The arrays of items, in the order a full rewrite writes them (other arrays follow).
ORDER = ("signatories", "concerns", "events", "demands")
DATED = ("events", "demands")
#: What :func:`spliced` gives for a change that changes nothing.
UNCHANGED: Any = object()


@dataclass(frozen=True, slots=True)
class Layout:
    """Where each item's bytes are, column by column (one entry per item, in the order of the file).

    Item ``n`` is the bytes from ``starts[n]`` to ``starts[n + 1]`` (the last: to ``size``); the head
    is what comes before ``starts[0]``. ``keys`` and ``rows`` are an event's or demand's date key
    (``EdtfDate.sort_key``) and cached row (a place in the rows entry, or the row itself), None for
    other items.
    """

    names: list[str]
    starts: list[int]
    ids: list[Any]
    keys: list[Any]
    rows: list[Any]
    size: int
    crlf: bool = False  # whether the file holds a Windows line end (its strings are then written on one line)
    digests: list[bytes] = field(default_factory=list)  # each item's tomltext.item_digest

    def end(self, number: int) -> int:
        return self.starts[number + 1] if number + 1 < len(self.starts) else self.size

    def head_end(self) -> int:
        return self.starts[0] if self.starts else self.size


@dataclass(frozen=True, slots=True)
class Spliced:
    """The new file, in pieces, and its layout."""

    pieces: list[bytes | memoryview]
    layout: Layout
    lost_comments: bool


def _head_and_arrays(case: Case) -> tuple[dict[str, Any], dict[str, Any]]:
    """The document of ``case`` without its items: its head, and the arrays that follow the items."""
    from casefile.case.codec import encode
    from casefile.storage.tomltext import is_array_of_tables

    rest = encode(dataclass_replace(case, signatories=(), concerns=(), events=(), demands=()))
    arrays = {key: value for key, value in rest.items() if is_array_of_tables(value)}
    return {key: value for key, value in rest.items() if key not in arrays}, arrays


def spliced(data: bytes, layout: Layout, old: Case, new: Case) -> Spliced | Any | None:
    """The file ``data`` changed from ``old`` into ``new`` by replacing the bytes of what changed.

    :data:`UNCHANGED` when nothing did; None when it cannot be done this way.
    """
    counts = [layout.names.count(name) for name in ORDER]
    in_order: list[str] = []
    for name, count in zip(ORDER, counts, strict=True):
        in_order += [name] * count
    if layout.names[: len(in_order)] != in_order:  # (then no item of these arrays comes later either)
        return None  # arrays not in casefile's order: rewrite
    (old_head, old_arrays), (new_head, new_arrays) = _head_and_arrays(old), _head_and_arrays(new)
    if old_arrays != new_arrays:
        return None  # approvals and other arrays after the items: rewrite
    removed: set[int] = set()
    inserted: list[tuple[int, int, Any, str, Any]] = []  # (before part, array, key, name, item)
    low = 0
    for rank, (name, count) in enumerate(zip(ORDER, counts, strict=True)):
        before = getattr(old, name)
        changes = _changes(name, before, getattr(new, name), low, layout) if len(before) == count else None
        if changes is None:
            return None
        removed.update(changes[0])
        inserted += [(part, rank, key, name, item) for part, key, item in changes[1]]
        low += count
    if len(inserted) > MAX_CHANGED_ITEMS:
        return None
    if not removed and not inserted and old_head == new_head:
        return UNCHANGED
    inserted.sort(key=lambda entry: entry[:3])  # stable: undated items for one place stay in the order made
    return _pieces(data, layout, removed, inserted, None if old_head == new_head else new_head)


def _changes(
    name: str, before: tuple[Any, ...], after: tuple[Any, ...], low: int, layout: Layout
) -> tuple[list[int], list[tuple[int, Any, Any]]] | None:
    """The parts of the array ``name`` (its parts start at ``low``) that go, and the items that come in,
    each before the part it names (``low + len(before)``: after the last)."""
    prefix, shortest = 0, min(len(before), len(after))
    while prefix < shortest and before[prefix] is after[prefix]:
        prefix += 1
    suffix = 0
    while suffix < shortest - prefix and before[-1 - suffix] is after[-1 - suffix]:
        suffix += 1
    gone, came = before[prefix : len(before) - suffix], after[prefix : len(after) - suffix]
    if len(came) > MAX_CHANGED_ITEMS or len(gone) > MAX_CHANGED_ITEMS:
        return None
    place_of = {id(item): prefix + place for place, item in enumerate(gone)}
    kept: list[int | None] = [place_of.get(id(item), _same_as(item, gone, prefix)) for item in came]
    still = [place for place in kept if place is not None]
    if still != sorted(set(still)):
        return None  # reordered: rewrite
    removed = [low + place for place in sorted(set(place_of.values()) - set(still))]
    end = low + len(before)
    incoming: list[tuple[int, Any, Any]] = []
    for number, (item, place) in enumerate(zip(came, kept, strict=True)):
        if place is not None:
            continue
        if name in DATED:
            # The file is in date order (as casefile writes it); if a hand edit broke that, any place will do.
            key = (item.date.sort_key(), item.id)
            keys = list(zip(layout.keys[low:end], layout.ids[low:end], strict=True))
            before_part = low + bisect.bisect_right(keys, key)
        else:  # before the next item the change kept, else after the array
            later = [kept_place for kept_place in kept[number + 1 :] if kept_place is not None]
            before_part, key = (low + later[0] if later else end - suffix), None
        incoming.append((before_part, key, item))
    return removed, incoming


def _same_as(item: Any, gone: tuple[Any, ...], prefix: int) -> int | None:
    """The place of an old item equal to ``item`` (a change that set a field to what it was), if it was read."""
    from casefile.case.codec import encode_item

    for place, old in enumerate(gone):
        if old.id == item.id:
            try:
                return prefix + place if encode_item(old) == encode_item(item) else None
            except AttributeError:  # a partial item: not read, so not changed into this one
                return None
    return None


def _pieces(
    data: bytes,
    layout: Layout,
    removed: set[int],
    inserted: list[tuple[int, int, Any, str, Any]],
    head: dict[str, Any] | None,
) -> Spliced | None:
    """The new file's pieces and layout: the head, runs of kept parts, and the new items' texts."""
    multiline = not layout.crlf
    # A file whose first line ends in CR LF (Notepad, git's autocrlf) gets its new lines so too: their
    # strings are then on one line (``layout.crlf``), so every LF in a new text ends a line.
    first_end = data.find(b"\n")
    eol = b"\r\n" if first_end > 0 and data[first_end - 1] == 13 else b"\n"
    view = memoryview(data)
    lost = any(has_comments(data, layout.starts[number], layout.end(number)) for number in removed)
    first: bytes | memoryview | None = view[: layout.head_end()]
    if head is not None:
        lost = lost or has_comments(data, 0, layout.head_end())
        first = _head_text(head, multiline=multiline)
        if first is None:
            return None
        first = first.replace(b"\n", eol)
        if data.startswith(b"\xef\xbb\xbf"):  # a byte-order mark (Notepad's UTF-8) stays, as the line ends do
            first = b"\xef\xbb\xbf" + first
    new = Layout([], [], [], [], [], 0, layout.crlf)
    pieces: list[bytes | memoryview] = [first] if first else []

    def separate() -> int:
        """End what is written with a blank line (a hand-written part may have none); its size then."""
        written = pieces[-1] if pieces else b""
        missing = 0 if written[-2:] == b"\n\n" or written[-4:] == b"\r\n\r\n" else 1 if written[-1:] == b"\n" else 2
        if written and missing:
            pieces.append(eol * missing)
        return sum(map(len, pieces))

    def keep(low: int, high: int) -> None:
        """Old parts ``low`` to ``high`` (excluded), as one piece."""
        if low < high:
            start, size = layout.starts[low], separate()
            new.starts.extend(offset - start + size for offset in layout.starts[low:high])
            for column in ("names", "ids", "keys", "rows", "digests"):
                getattr(new, column).extend(getattr(layout, column)[low:high])
            pieces.append(view[start : layout.end(high - 1)])

    low = 0
    for point in sorted({*removed, *(entry[0] for entry in inserted)}):
        keep(low, point)
        for _, _, key, name, item in (entry for entry in inserted if entry[0] == point):
            made = _new_part(name, item, multiline=multiline)
            if made is None:
                return None
            new.starts.append(separate())
            new.names.append(name)
            new.ids.append(item.id)
            new.keys.append(key[0] if key is not None else None)
            new.rows.append(made[1])
            text = made[0].replace(b"\n", eol)
            new.digests.append(item_digest(text))
            pieces.append(text)
        low = point + 1 if point in removed else point
    keep(low, len(layout.starts))
    _one_line_end(pieces, eol)
    crlf = layout.crlf or any(b"\r\n" in piece for piece in pieces if isinstance(piece, bytes))
    return Spliced(pieces, dataclass_replace(new, size=sum(map(len, pieces)), crlf=crlf), lost)


def _one_line_end(pieces: list[bytes | memoryview], eol: bytes) -> None:
    """End the file with one line end, as a rewrite does."""
    if pieces:
        last, size = pieces[-1], len(eol)
        trimmed = len(last)
        while trimmed > size and last[trimmed - 2 * size : trimmed] == eol * 2:
            trimmed -= size
        if last[trimmed - 1 : trimmed] == b"\n":
            pieces[-1] = last[:trimmed]
        else:
            pieces.append(eol)


def _head_text(head: dict[str, Any], *, multiline: bool) -> bytes | None:
    from casefile.storage.tomltext import document_text, has_crlf

    return _read_back(document_text(head, multiline_strings=multiline and not has_crlf(head)), head)


def _new_part(name: str, item: Any, *, multiline: bool) -> tuple[bytes, Any] | None:
    """A new item's text and its row (None for items other than events and demands)."""
    from casefile.case.codec import encode_item
    from casefile.storage.cacherows import rows_of
    from casefile.storage.tomltext import has_crlf, item_text

    table = encode_item(item)
    # A multi-line string would turn a Windows line end into a plain one: such an item's strings are one-line.
    text = _read_back(item_text(name, table, multiline_strings=multiline and not has_crlf(table)), {name: [table]})
    return None if text is None else (text, rows_of(name, [table])[0] if name in DATED else None)


def _read_back(text: str, document: dict[str, Any]) -> bytes | None:
    """``text`` in UTF-8 if it reads back as ``document``; else None (a value the writer cannot write
    exactly: a full rewrite decides)."""
    import rtoml

    return text.encode("utf-8") if rtoml.loads(text) == document else None
