"""Saving a change by replacing only the bytes of the items it touched.

The file read is a head (everything before the first item) and one part per item (its
``[[name]]`` table and the blank line after it), whose places :func:`casefile.storage.tomltext.parse_case`
found. A change to a case keeps most items as the very same objects: those keep their bytes,
hand formatting and comments included; a new or changed item gets its table's text, at the
place a full rewrite would give it (events and demands by date then id); a removed one loses
its part; the head is written again only when it changed. The new item texts are checked to
read back as their tables before anything is written. When the change is not of that kind (a
reordered list, the sign-off arrays, many items at once), None: the store rewrites the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import replace as dataclass_replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from casefile.case.model import Case
    from casefile.storage.store import Reading
    from casefile.storage.tomltext import Part

#: More new or changed items than this in one change: the file is rewritten whole.
MAX_CHANGED_ITEMS = 64
#: The order of the arrays in the file, as a full rewrite writes them.
_ORDER = ("signatories", "concerns", "events", "demands")


@dataclass(frozen=True, slots=True)
class Spliced:
    """The new file, in pieces, and what the cache keeps of it."""

    pieces: list[bytes | memoryview]
    size: int
    parts: list[Part]
    rest: dict[str, Any]
    rows: dict[str, list[Any]]
    lost_comments: bool


def _key(item: Any) -> tuple[tuple[int, ...], str]:
    return (item.date.sort_key(), item.id)


def _rest(case: Case) -> dict[str, Any]:
    """The document of ``case`` without its items."""
    from casefile.case.codec import encode

    return encode(dataclass_replace(case, signatories=(), concerns=(), events=(), demands=()))


def spliced(reading: Reading, case: Case) -> Spliced | None:
    """The file ``reading`` read, changed into ``case`` by replacing the bytes of what changed; or None."""
    from casefile.storage.tomltext import has_crlf, has_toml_comments, is_array_of_tables

    assert reading.parts is not None
    old, data, parts = reading.case, reading.data, reading.parts
    old_rest, new_rest = _rest(old), _rest(case)
    if {k: v for k, v in old_rest.items() if is_array_of_tables(v)} != {
        k: v for k, v in new_rest.items() if is_array_of_tables(v)
    }:
        return None  # approvals and other arrays after the items: rewrite
    if has_crlf(new_rest) and rb"\r\n" not in data:
        return None  # texts with Windows line ends are written on one line with escapes: rewrite
    # Entries of the new file, in order: an old part's index, or a new item (name, item).
    entries: list[Any] = list(range(len(parts)))
    of_name: dict[str, list[int]] = {}
    for index, part in enumerate(parts):
        of_name.setdefault(part.name, []).append(index)
    lost = False
    changed = 0
    for name in _ORDER:
        before, after = getattr(old, name), getattr(case, name)
        if before is after:
            continue
        positions = of_name.get(name, [])
        if len(positions) != len(before):
            return None
        at = {id(item): index for index, item in enumerate(before)}
        kept = [at.get(id(item)) for item in after]
        still = [index for index in kept if index is not None]
        if still != sorted(still):
            return None  # reordered: rewrite
        for gone in set(range(len(before))) - set(still):
            entries[positions[gone]] = None
            part = parts[positions[gone]]
            lost = lost or has_toml_comments(str(memoryview(data)[part.start : part.end], "utf-8"))
        for place, item in enumerate(after):
            if kept[place] is not None:
                continue
            changed += 1
            if changed > MAX_CHANGED_ITEMS:
                return None
            _insert(entries, parts, (name, item), place, after, before, kept, positions)
    return _pieces(reading, [entry for entry in entries if entry is not None], old_rest, new_rest, lost=lost)


def _pieces(
    reading: Reading, entries: list[Any], old_rest: dict[str, Any], new_rest: dict[str, Any], *, lost: bool
) -> Spliced | None:
    """The new file's pieces for ``entries`` (old parts' indexes, or new items), and what the cache keeps."""
    from casefile.storage.tomltext import Part

    assert reading.parts is not None
    data, parts = reading.data, reading.parts
    head_end = parts[0].start if parts else len(data)
    view = memoryview(data)
    made = _head(view[:head_end], reading.rest, old_rest, new_rest, multiline=rb"\r\n" not in data)
    if made is None:
        return None
    head, rest, head_lost = made
    lost = lost or head_lost
    head = _separated(head, last=not entries) if head else head
    # The pieces, with one blank line between items and one line end at the end.
    pieces: list[bytes | memoryview] = []
    pieces.append(head)
    size = len(head)
    new_parts: list[Part] = []
    rows: dict[str, list[Any]] = {name: [] for name in ("events", "demands")}
    tables: dict[str, list[Any]] = {}
    number_of = _places(parts)
    run: list[int] = []  # old bytes kept as they are, not yet in ``pieces``: written as one piece
    for count, entry in enumerate(entries):
        piece: bytes | memoryview
        if isinstance(entry, int):
            part = parts[entry]
            name, number = part.name, number_of[entry]
            row_or_table = reading.rows[name][number] if name in rows else reading.rest[name][number]
            if entry != len(parts) - 1 and count != len(entries) - 1:
                # Followed by a part in the old file and in the new one: its bytes stay as they are.
                if run and run[1] == part.start:
                    run[1] = part.end
                else:
                    pieces.extend([view[run[0] : run[1]]] if run else [])
                    run = [part.start, part.end]
                new_parts.append(Part(name, size, size + part.end - part.start))
                size += part.end - part.start
                (rows[name] if name in rows else tables.setdefault(name, [])).append(row_or_table)
                continue
            piece = view[part.start : part.end]
        else:
            name = entry[0]
            new = _new_piece(name, entry[1], multiline=rb"\r\n" not in data)
            if new is None:
                return None
            piece, row_or_table = new
        pieces.extend([view[run[0] : run[1]]] if run else [])
        run = []
        piece = _separated(piece, last=count == len(entries) - 1)
        pieces.append(piece)
        new_parts.append(Part(name, size, size + len(piece)))
        size += len(piece)
        (rows[name] if name in rows else tables.setdefault(name, [])).append(row_or_table)
    pieces.extend([view[run[0] : run[1]]] if run else [])
    for name, values in tables.items():
        rest[name] = values
    return Spliced(pieces, size, new_parts, rest, rows, lost)


def _places(parts: list[Part]) -> list[int]:
    """Each part's place among the parts of its array."""
    seen: dict[str, int] = {}
    places = []
    for part in parts:
        places.append(seen.get(part.name, 0))
        seen[part.name] = places[-1] + 1
    return places


def _new_piece(name: str, item: Any, *, multiline: bool) -> tuple[bytes, Any] | None:
    """A new item's text, and its row (events, demands) or table; None if it would not read back as written."""
    import rtoml

    from casefile.case.codec import encode_item
    from casefile.storage.cacherows import rows_of
    from casefile.storage.tomltext import has_crlf, item_text

    table = encode_item(item)
    # A file holding a Windows line end is written with one-line strings throughout (see tomltext.dumps).
    if has_crlf(table) and multiline:
        return None
    text = item_text(name, table, multiline_strings=multiline)
    parsed = rtoml.loads(text)
    if parsed != {name: [table]}:
        return None  # a value the writer cannot write exactly: let a full rewrite decide
    value = rows_of(name, [parsed[name][0]])[0] if name in ("events", "demands") else parsed[name][0]
    return text.encode("utf-8"), value


def _head(
    old: memoryview, kept: dict[str, Any], old_rest: dict[str, Any], new_rest: dict[str, Any], *, multiline: bool
) -> tuple[bytes | memoryview, dict[str, Any], bool] | None:
    """The head's bytes (the old ones if unchanged), the rest of the document, and whether comments were lost."""
    import rtoml

    from casefile.storage.tomltext import document_text, has_toml_comments, is_array_of_tables

    head_doc = {key: value for key, value in new_rest.items() if not is_array_of_tables(value)}
    rest = {key: value for key, value in kept.items() if key not in _ORDER}
    if head_doc == {key: value for key, value in old_rest.items() if not is_array_of_tables(value)}:
        return old, rest, False
    text = document_text(head_doc, multiline_strings=multiline)
    parsed: dict[str, Any] = rtoml.loads(text)
    if parsed != head_doc:
        return None
    rest = {**{key: value for key, value in rest.items() if is_array_of_tables(value)}, **parsed}
    return text.encode("utf-8"), rest, has_toml_comments(str(old, "utf-8"))


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


def _insert(
    entries: list[Any],
    parts: list[Part],
    new: tuple[str, Any],
    place: int,
    after: tuple[Any, ...],
    before: tuple[Any, ...],
    kept: list[int | None],
    positions: list[int],
) -> None:
    """Put ``new`` into ``entries`` where a full rewrite would put it (among what is there now)."""
    name, item = new

    def entry_of(index: int) -> int:
        """Where the entry of ``after[index]`` is in ``entries``."""
        target = kept[index]
        wanted: Any = positions[target] if target is not None else (name, after[index])
        return next(number for number, entry in enumerate(entries) if entry is wanted or entry == wanted)

    siblings = [
        number
        for number, entry in enumerate(entries)
        if entry is not None and (parts[entry].name == name if isinstance(entry, int) else entry[0] == name)
    ]
    if name in ("events", "demands"):
        import bisect

        by_part = dict(zip(positions, before, strict=True))

        def key_at(number: int) -> tuple[tuple[int, ...], str]:
            entry = entries[number]
            return _key(by_part[entry] if isinstance(entry, int) else entry[1])

        # The file is in date order (as casefile writes it); if a hand edit broke that, any place will do.
        at = bisect.bisect_right(siblings, _key(item), key=key_at)
        if at < len(siblings):
            entries.insert(siblings[at], new)
            return
    elif place + 1 < len(after) and any(index is not None for index in kept[place + 1 :]):
        entries.insert(entry_of(place + 1), new)
        return
    if siblings:
        entries.insert(siblings[-1] + 1, new)
        return
    earlier = _ORDER[: _ORDER.index(name)]
    previous = [
        number
        for number, entry in enumerate(entries)
        if entry is not None and (parts[entry].name if isinstance(entry, int) else entry[0]) in earlier
    ]
    entries.insert(previous[-1] + 1 if previous else 0, new)
