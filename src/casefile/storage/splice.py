"""Saving a change by writing only the items it touched.

The file is a head (everything before the first item) and one :class:`Part` per item: its
``[[name]]`` table and the blank lines after it. A change keeps most items as the very same
objects: those keep their bytes, hand formatting and comments included. A new or changed item
gets its table's text, at the place a full rewrite gives it (events and demands by date then
id, the others where the change put them); a removed one loses its part; the head is written
again only when it changed. New texts are checked to read back as their tables before anything
is written. Any other change (reordered items, the sign-off arrays, many items at once, a file
whose arrays are not in casefile's order) gives None: the store rewrites the file.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from dataclasses import replace as dataclass_replace
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from casefile.case.model import Case

#: More new or changed items than this in one change: the file is rewritten whole.
MAX_CHANGED_ITEMS = 64
#: The arrays of items, in the order a full rewrite writes them (other arrays follow).
ORDER = ("signatories", "concerns", "events", "demands")
_DATED = ("events", "demands")
#: What :func:`spliced` gives for a change that changes nothing.
UNCHANGED: Any = object()


class Part(NamedTuple):
    """One item in the file: its array, its bytes' span, its id, and for an event or demand its sort
    key and its row (a place in the cached rows, or the row itself)."""

    name: str
    start: int
    end: int
    id: str | None = None
    key: Any = None
    row: Any = None


@dataclass(frozen=True, slots=True)
class Spliced:
    """The new file, in pieces, and its parts."""

    pieces: list[bytes | memoryview]
    size: int
    parts: list[Part]
    lost_comments: bool


def sort_key(item: Any) -> tuple[tuple[int, ...], str]:
    """Where an event or demand goes in the file: by date, then id."""
    return (item.date.sort_key(), item.id)


def _rest(case: Case) -> dict[str, Any]:
    """The document of ``case`` without its items."""
    from casefile.case.codec import encode

    return encode(dataclass_replace(case, signatories=(), concerns=(), events=(), demands=()))


def spliced(data: bytes, parts: list[Part], old: Case, new: Case) -> Spliced | Any | None:
    """The file ``data`` changed from ``old`` into ``new`` by replacing the bytes of what changed.

    :data:`UNCHANGED` when nothing did; None when it cannot be done this way.
    """
    from casefile.storage.tomltext import is_array_of_tables

    ranks = [ORDER.index(part.name) if part.name in ORDER else len(ORDER) for part in parts]
    if ranks != sorted(ranks):
        return None  # arrays not in casefile's order: rewrite
    old_rest, new_rest = _rest(old), _rest(new)
    old_head = {key: value for key, value in old_rest.items() if not is_array_of_tables(value)}
    new_head = {key: value for key, value in new_rest.items() if not is_array_of_tables(value)}
    if {k: v for k, v in old_rest.items() if k not in old_head} != {
        k: v for k, v in new_rest.items() if k not in new_head
    }:
        return None  # approvals and other arrays after the items: rewrite
    multiline = b"\r\n" not in data
    entries: list[Any] = []  # the new file's items in order: an old part's number, or (name, new item)
    removed: list[int] = []
    for name in ORDER:
        numbers = [number for number, part in enumerate(parts) if part.name == name]
        made = _entries(name, getattr(old, name), getattr(new, name), numbers, parts)
        if made is None:
            return None
        entries += made[0]
        removed += made[1]
    entries += [number for number, part in enumerate(parts) if part.name not in ORDER]
    changed = sum(1 for entry in entries if type(entry) is not int)
    if changed > MAX_CHANGED_ITEMS:
        return None
    if not changed and not removed and old_head == new_head:
        return UNCHANGED
    return _pieces(data, parts, entries, removed, None if old_head == new_head else new_head, multiline=multiline)


def _arrays(rest: dict[str, Any]) -> dict[str, Any]:
    from casefile.storage.tomltext import is_array_of_tables

    return {key: value for key, value in rest.items() if is_array_of_tables(value)}


def _entries(
    name: str, before: tuple[Any, ...], after: tuple[Any, ...], numbers: list[int], parts: list[Part]
) -> tuple[list[Any], list[int]] | None:
    """The new file's entries of the array ``name``, and the numbers of the parts it no longer has."""
    if len(numbers) != len(before):
        return None
    at = {id(item): place for place, item in enumerate(before)}
    kept: list[int | None] = []
    for item in after:
        place = at.get(id(item))
        if place is None:
            place = _same_as(item, before, at)
        kept.append(place)
    still = [place for place in kept if place is not None]
    if still != sorted(still) or len(set(still)) != len(still):
        return None  # reordered: rewrite
    removed = [numbers[place] for place in sorted(set(range(len(before))) - set(still))]
    if name not in _DATED:
        return [
            numbers[place] if place is not None else (name, item) for item, place in zip(after, kept, strict=True)
        ], removed
    entries: list[Any] = [numbers[place] for place in still]
    keys = [parts[number].key for number in entries]
    for item, place in zip(after, kept, strict=True):
        if place is None:
            key = sort_key(item)
            # The file is in date order (as casefile writes it); if a hand edit broke that, any place will do.
            at_key = bisect.bisect_right(keys, key)
            keys.insert(at_key, key)
            entries.insert(at_key, (name, item))
    return entries, removed


def _same_as(item: Any, before: tuple[Any, ...], at: dict[int, int]) -> int | None:
    """The place of an old item equal to ``item`` (a change that set a field to what it was), if it was read."""
    from casefile.case.codec import encode_item

    for old in before:
        if getattr(old, "id", None) == item.id:
            try:
                return at[id(old)] if encode_item(old) == encode_item(item) else None
            except AttributeError:  # a partial item: not read, so not changed into this one
                return None
    return None


def _pieces(
    data: bytes,
    parts: list[Part],
    entries: list[Any],
    removed: list[int],
    head: dict[str, Any] | None,
    *,
    multiline: bool,
) -> Spliced | None:
    """The new file's pieces: the head, then each entry (runs of old parts kept as one piece)."""
    from casefile.storage.tomltext import document_text, has_crlf

    view = memoryview(data)
    head_end = parts[0].start if parts else len(data)
    lost = any(_has_comments(data, parts[n].start, parts[n].end) for n in removed)
    first: bytes | memoryview = view[:head_end]
    if head is not None:
        import rtoml

        text = document_text(head, multiline_strings=multiline and not has_crlf(head))
        if rtoml.loads(text) != head:
            return None
        lost = lost or _has_comments(data, 0, head_end)
        first = text.encode("utf-8")
    pieces: list[bytes | memoryview] = []
    new_parts: list[Part] = []
    size = 0

    def add(piece: bytes | memoryview, kept: list[Part], *, last: bool) -> None:
        nonlocal size
        piece = _separated(piece, last=last) if piece else piece
        shift = size - (kept[0].start if kept else 0)
        for part in kept:
            new_parts.append(part._replace(start=part.start + shift, end=part.end + shift))
        if kept:
            new_parts[-1] = new_parts[-1]._replace(end=size + len(piece))
        pieces.append(piece)
        size += len(piece)

    add(first, [], last=not entries)
    run: list[Part] = []
    for count, entry in enumerate(entries):
        last = count == len(entries) - 1
        if type(entry) is int:
            part = parts[entry]
            if run and run[-1].end != part.start:
                add(view[run[0].start : run[-1].end], run, last=False)
                run = []
            run.append(part)
            if last:
                add(view[run[0].start : run[-1].end], run, last=True)
            continue
        if run:
            add(view[run[0].start : run[-1].end], run, last=False)
            run = []
        made = _new_part(*entry, multiline=multiline)
        if made is None:
            return None
        new_text, part = made
        add(new_text, [part._replace(end=len(new_text))], last=last)
    return Spliced(pieces, size, new_parts, lost)


def _has_comments(data: bytes, start: int, end: int) -> bool:
    from casefile.storage.tomltext import has_toml_comments

    return data.find(b"#", start, end) != -1 and has_toml_comments(data[start:end].decode("utf-8"))


def _new_part(name: str, item: Any, *, multiline: bool) -> tuple[bytes, Part] | None:
    """A new item's text and its part; None if it would not read back as written."""
    import rtoml

    from casefile.case.codec import encode_item
    from casefile.storage.cacherows import rows_of
    from casefile.storage.tomltext import has_crlf, item_text

    table = encode_item(item)
    # A multi-line string would turn a Windows line end into a plain one: such an item's strings are one-line.
    text = item_text(name, table, multiline_strings=multiline and not has_crlf(table))
    if rtoml.loads(text) != {name: [table]}:
        return None  # a value the writer cannot write exactly: let a full rewrite decide
    dated = name in _DATED
    row = rows_of(name, [table])[0] if dated else None
    return text.encode("utf-8"), Part(name, 0, 0, item.id, sort_key(item) if dated else None, row)


def _separated(piece: bytes | memoryview, *, last: bool) -> bytes | memoryview:
    """``piece`` ending in one blank line, or, for the last, in one line end."""
    if last:
        end = len(piece)
        while end > 1 and piece[end - 2 : end] == b"\n\n":
            end -= 1
        return piece[:end] if piece[end - 1 : end] == b"\n" else bytes(piece) + b"\n"
    if piece[-2:] == b"\n\n":
        return piece
    return bytes(piece) + (b"\n" if piece[-1:] == b"\n" else b"\n\n")
