"""Where each item's table is in the case file's bytes, and the order keys of events and demands.

Made when the file is read in full and kept in the parse cache (:mod:`casefile.cache`) as its
``index``: with it, :mod:`casefile.insert` writes a new item's table into the file at the place
a full rewrite would give it, without parsing the file.
"""

from __future__ import annotations

import itertools
import re
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from casefile.tomltext import is_array_of_tables

if TYPE_CHECKING:
    from casefile.model import Case

#: The arrays kept in date-then-id order, and in the cache's bodies rather than its head.
BODY_ARRAYS = ("events", "demands")
#: Top-level ``[[name]]`` header lines, as bytes (UTF-8 never puts ASCII bytes inside a character).
_ITEM_HEADER = re.compile(rb"^\[\[([A-Za-z0-9_-]+)\]\]$", re.MULTILINE)


def item_headers(data: bytes) -> tuple[list[str], list[int], int]:
    """The name and offset of every line that looks like an item's ``[[name]]`` header, and the size."""
    names: list[str] = []
    offsets: list[int] = []
    for match in _ITEM_HEADER.finditer(data):
        names.append(sys.intern(match.group(1).decode("ascii")))
        offsets.append(match.start())
    return names, offsets, len(data)


def item_index(
    headers: tuple[list[str], list[int], int], document: Mapping[str, Any], case: Case, digest: bytes
) -> dict[str, Any]:
    """Where each item's ``[[name]]`` header is in the file, and the order keys of events and demands.

    The offsets are kept only when the header lines found are exactly the items of the
    document, in the same order: a line inside a multi-line string that looks like a header,
    or a header written another way, makes them unusable, and then nothing is spliced in.
    """
    found, offsets, size = headers
    expected = [name for name, value in document.items() if is_array_of_tables(value) for _ in value]
    names: list[str] | None = found
    if found != expected:
        names, offsets = None, []
    keys = {name: [packed_key(item) for item in getattr(case, name)] for name in BODY_ARRAYS}
    return {
        "sha256": digest,
        "names": names,
        # Each part's size rather than its offset, so that adding one moves nothing.
        "first": offsets[0] if offsets else 0,
        "sizes": [end - start for start, end in zip(offsets, [*offsets[1:], size], strict=False)],
        "keys": keys,
        "sorted": {name: _in_order(found) for name, found in keys.items()},
    }


def _in_order(keys: list[str]) -> bool:
    """Whether the items are in date order, with every key one that sorts (see :func:`packed_key`)."""
    return all(a < b for a, b in itertools.pairwise(keys)) and not any(key.startswith("\uffff") for key in keys)


_KEY_WIDTH = 4


def packed_key(item: Any) -> str:
    """``(date.sort_key(), id)`` as one string that sorts the same way (every part below 10,000)."""
    parts: tuple[int, ...] = item.date.sort_key()
    identifier: str = item.id
    if not all(0 <= part < 10**_KEY_WIDTH for part in parts) or len(parts) != _KEY_PARTS:
        return "\uffff" + identifier  # never sorts: keeps the array out of splicing
    return "".join(f"{part:04d}" for part in parts) + identifier


def key_id(key: str) -> str:
    """The item id in a key made by :func:`packed_key`."""
    return key[1:] if key.startswith("\uffff") else key[_KEY_WIDTH * _KEY_PARTS :]


_KEY_PARTS = 13
