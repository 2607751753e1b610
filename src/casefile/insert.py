"""Adding one item to the case file in place, for :func:`casefile.store.add` and ``update``.

The new item's table is written into the file at the place a full rewrite would give it, and
the parse cache is brought up to date, so adding an event to a case of 100,000 events reads
none of them. Everything is checked before anything is written: the item's TOML text must read
back as its table and decode to the same item, and the cached item index must match the file's
bytes. When anything does not, nothing is written here and the store rewrites the whole file.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import sys
from dataclasses import replace as dataclass_replace
from typing import TYPE_CHECKING, Any, NamedTuple

from casefile.files import remove_stale_temps, replace_with, write_temp
from casefile.itemindex import BODY_ARRAYS, packed_key
from casefile.tomltext import has_crlf, item_text

if TYPE_CHECKING:
    from casefile.model import Case
    from casefile.snapshot import Snapshot


def can_splice(snapshot: Snapshot) -> bool:
    """Whether the file may take an item in place: the cache matches it, and it has no comments or older schema."""
    head = snapshot.head
    return head is not None and not head["has_comments"] and head["migrated_from"] is None


def added_item(old: Case, new: Case) -> tuple[str, Any] | None:
    """The one item ``new`` adds to ``old`` (in any of its arrays), or None if it changes anything else."""
    from casefile.codec import ARRAYS

    added: list[tuple[str, Any]] = []
    for name, kind in ARRAYS.items():
        before, after = getattr(old, name), getattr(new, name)
        if before is after:
            continue
        if len(after) != len(before) + 1 or any(a is not b for a, b in zip(before, after, strict=False)):
            return None  # operations.add_item appends; anything else is not an addition
        if type(after[-1]) is not kind:
            return None
        added.append((name, after[-1]))
    if len(added) != 1 or dataclass_replace(new, **{name: getattr(old, name) for name in ARRAYS}) != old:
        return None
    return added[0]


class _Splice(NamedTuple):
    """One item's table and where it goes in the file."""

    name: str
    table: dict[str, Any]
    key: str
    position: int  # in its array
    part: int  # among the file's item headers
    offset: int  # in the file's bytes
    text: bytes
    header_offset: int


def save_added(snapshot: Snapshot, old: Case, name: str, item: Any) -> bool:
    """Write ``item``'s table into the file at its place, atomically; False (nothing written) if it cannot."""
    from casefile import cache

    splice = _splice(snapshot, old, name, item)
    if splice is None:
        return False
    data = memoryview(snapshot.file_bytes())
    remove_stale_temps(snapshot.path)
    temp = write_temp(snapshot.path, data[: splice.offset], splice.text, data[splice.offset :])
    replace_with(temp=temp, path=snapshot.path)
    if splice.offset == len(data):
        hasher = snapshot.hasher.copy()
        hasher.update(splice.text)
    else:
        hasher = cache.sha256(data[: splice.offset], size=len(data) + len(splice.text))
        hasher.update(splice.text)
        hasher.update(data[splice.offset :])
    _remember_splice(snapshot, splice, os.stat(snapshot.path), hasher.digest())
    return True


def _splice(snapshot: Snapshot, old: Case, name: str, item: Any) -> _Splice | None:
    """Where and how ``item`` goes into the file so that it reads as ``old`` with ``item`` added."""
    import bisect
    import tomllib

    from casefile.codec import ARRAYS, decode_appended, encode_item

    head, index = snapshot.head, snapshot.index()
    if head is None or index is None or index["names"] is None or not can_splice(snapshot):
        return None
    table = encode_item(item)
    if has_crlf(table) and head["multiline"]:
        return None  # the whole file is then written with one-line strings: rewrite it
    text = item_text(name, table, multiline_strings=head["multiline"])
    try:
        parsed = tomllib.loads(text)
    except tomllib.TOMLDecodeError:  # pragma: no cover - tomli_w writes valid TOML
        return None
    if parsed != {name: [table]}:
        return None  # a value tomli_w cannot write exactly: let a full rewrite decide
    decoded = decode_appended(
        [(name, parsed[name][0])],
        event_and_demand_ids=set(old.retired_ids),  # holds every event and demand id (light case)
        signatory_ids=[signatory.id for signatory in old.signatories],
        concern_ids=[concern.id for concern in old.concerns],
    )
    if decoded != [item]:
        return None
    key = ""
    names = index["names"]
    parts = [part for part, found in enumerate(names) if found == name]
    if name in BODY_ARRAYS:
        # Events and demands are kept by date, then id, as a full rewrite writes them.
        keys = index["keys"][name]
        key = packed_key(item)
        if not index["sorted"][name] or key.startswith("\uffff") or len(keys) != len(parts):
            return None
        position = bisect.bisect_left(keys, key)
    else:
        position = len(parts)  # signatories and concerns keep the order they were added in
    if position < len(parts):
        part = parts[position]
    elif parts:
        part = parts[-1] + 1
    else:
        # The first item of its kind goes before the items of the kinds the file lists after it.
        later = [*list(ARRAYS)[list(ARRAYS).index(name) + 1 :]]
        part = next((at for at, found in enumerate(names) if found in later or found not in ARRAYS), len(names))
    data = snapshot.file_bytes()
    body = text.rstrip("\n").encode("utf-8") + b"\n"
    if part < len(names):
        offset = index["first"] + sum(itertools.islice(index["sizes"], part))
        chunk, header_offset = body + b"\n", offset
    else:
        offset = len(data)
        before = b"\n" if data.endswith(b"\n") else b"\n\n"
        chunk, header_offset = before + body, offset + len(before)
    return _Splice(name, parsed[name][0], key, position, part, offset, chunk, header_offset)


def _remember_splice(snapshot: Snapshot, splice: _Splice, status: os.stat_result, digest: bytes) -> None:
    """Record in the cache that ``splice`` was written into the file."""
    from casefile import cache

    head, index = snapshot.head, snapshot.index()
    assert head is not None and index is not None and index["names"] is not None
    name, table, position = splice.name, splice.table, splice.position
    document = dict(head["document"])
    body: dict[str, Any] = {array: [] for array in BODY_ARRAYS}
    body["at"] = {array: [] for array in BODY_ARRAYS}
    if name in BODY_ARRAYS:
        from casefile.cacherows import rows_of

        body[name].extend(rows_of(name, [table]))
        body["at"][name].append(position)
        index["keys"][name].insert(position, splice.key)
    else:
        tables = document.get(name, [])
        document[name] = [*tables[:position], table, *tables[position:]]
    names, sizes, part = index["names"], index["sizes"], splice.part
    names.insert(part, sys.intern(name))
    before = splice.header_offset - splice.offset  # the blank line written before it at the end
    if part < len(sizes):
        sizes.insert(part, len(splice.text))
    elif sizes:
        sizes[-1] += before
        sizes.append(len(splice.text) - before)
    else:
        index["first"] = splice.header_offset
        sizes.append(len(splice.text) - before)
    new_index = {**index, "sha256": digest}
    bodies = list(head["bodies"])
    index_token = cache.new_token()
    new_head = {
        **head,
        "size": status.st_size,
        "mtime_ns": status.st_mtime_ns,
        "sha256": digest,
        "document": document,
        "bodies": bodies,
        "index": index_token,
    }
    snapshot.forget()  # this snapshot no longer describes the file
    with cache.writing(snapshot.folder, wait=True) as may_write:
        if not may_write:
            return
        try:
            if name in BODY_ARRAYS:
                tail = head["tail"]
                if len(bodies) - tail > cache.MAX_TAIL_BODIES:
                    merged = _merged_tail(snapshot, bodies[tail:])
                    if merged is not None:
                        bodies[tail:] = [merged]
                token = cache.new_token()
                cache.write_file(snapshot.folder, f"body-{token}", cache.dumps(body))
                bodies.append(token)
            cache.write_file(snapshot.folder, f"index-{index_token}", cache.dumps(new_index))
            cache.write_file(snapshot.folder, cache.HEAD, cache.dumps(new_head))
            cache.remove_unused(snapshot.folder, new_head)
        except (OSError, ValueError):
            with contextlib.suppress(OSError):
                os.unlink(snapshot.folder / cache.HEAD)  # never leave a head that may be wrong


def _merged_tail(snapshot: Snapshot, tokens: list[str]) -> str | None:
    """One body (and view, when every one had its view) doing what the bodies ``tokens`` did."""
    from casefile import cache

    merged: dict[str, Any] = {name: [] for name in BODY_ARRAYS}
    merged["at"] = {name: [] for name in BODY_ARRAYS}
    views: dict[str, Any] | None = {"keys": [], "sizes": [], "blob": bytearray()}
    for token in tokens:
        body = snapshot.read_cached(f"body-{token}")
        if body is None:
            return None
        for name in BODY_ARRAYS:
            merged[name].extend(body[name])
            merged["at"][name].extend(body["at"][name])
        view = snapshot.read_cached(f"view-{token}")
        if views is not None and view is not None:
            views["keys"].extend(view["keys"])
            views["sizes"].extend(view["sizes"])
            views["blob"] += view["blob"]
        else:
            views = None
    token = cache.new_token()
    cache.write_file(snapshot.folder, f"body-{token}", cache.dumps(merged))
    if views is not None:
        cache.write_file(snapshot.folder, f"view-{token}", cache.dumps(views))
    return token
