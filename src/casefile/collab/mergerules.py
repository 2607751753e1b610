"""The rules a three-way merge applies to single values and lists, whatever table they sit in.

Equality as TOML means it (``true`` is not ``1``), lists merge as sets, items keep the order the
coalition gave them, and entries of a list of tables are matched by the key :data:`ENTRY_KEYS`
names. :mod:`casefile.collab.merge` walks the case and applies them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from casefile.collab.conflicts import ABSENT, SIDES


def _source_key(table: Mapping[str, Any]) -> Any:
    # The same rule as Source.key(): the URL, else title and publisher.
    return table.get("url") or f"{table.get('title', '')}|{table.get('publisher', '')}"


def _fields(*names: str) -> Callable[[Mapping[str, Any]], Any]:
    return lambda table: [table.get(name) for name in names]


#: How the entries of a list of tables are told apart, by the list's name. An entry found on
#: two sides merges field by field; a list not named here matches entries by their whole table.
ENTRY_KEYS: Mapping[str, Callable[[Mapping[str, Any]], Any]] = {
    "sources": _source_key,
    "responses": _fields("date", "status", "summary"),
    "reminders": _fields("date", "channel", "note"),
    "affected": _fields("name"),
    "attachments": _fields("sha256"),
    "stages": _fields("stage", "date"),
    "approvals": _fields("signatory", "digest", "language"),
    "approved_texts": _fields("digest"),
}


def whole_entry(table: Mapping[str, Any]) -> Any:
    return table


def same(first: Any, second: Any) -> bool:
    """Equal as TOML values: true is not 1, and the order of a table's keys does not matter."""
    if type(first) is not type(second):
        return False
    if isinstance(first, dict):
        return first.keys() == second.keys() and all(same(first[key], second[key]) for key in first)
    if isinstance(first, list):
        return len(first) == len(second) and all(same(a, b) for a, b in zip(first, second, strict=True))
    return bool(first == second)


def ordered_union(first: Iterable[Any], second: Iterable[Any]) -> list[Any]:
    """The keys of ``first`` in order, then those of ``second`` it lacks."""
    seen = dict.fromkeys(first)
    seen.update(dict.fromkeys(key for key in second if key not in seen))
    return list(seen)


def frozen(key: Any) -> str:
    return json.dumps(key, sort_keys=True, default=str, ensure_ascii=False)


def merge_sets(base: Sequence[Any], ours: Sequence[Any], theirs: Sequence[Any]) -> list[Any]:
    """A three-way merge of lists as sets: OURS order, then THEIRS additions, minus what either removed."""
    base_set, ours_set, theirs_set = (set(map(frozen, side)) for side in (base, ours, theirs))
    removed = {key for key in base_set if key not in ours_set or key not in theirs_set}
    result: dict[str, Any] = {}
    for entry in (*ours, *theirs):
        key = frozen(entry)
        if key not in removed and key not in result:
            result[key] = entry
    return list(result.values())


def merge_order(base: Sequence[str], ours: Sequence[str], theirs: Sequence[str]) -> list[str]:
    """The order of merged items: OURS (or THEIRS if only they reordered), with the other side's additions.

    An item added by the other side goes after the item it followed there, past items this
    side added, so the coalition's order of concerns and signatories survives.
    """
    base_set, ours_set, theirs_set = set(base), set(ours), set(theirs)
    common_base = [item for item in base if item in ours_set and item in theirs_set]
    common_ours = [item for item in ours if item in base_set and item in theirs_set]
    common_theirs = [item for item in theirs if item in base_set and item in ours_set]
    if common_ours == common_base and common_theirs != common_base:
        skeleton, others = list(theirs), list(ours)
    else:
        skeleton, others = list(ours), list(theirs)
    others_set = set(others)
    result = list(skeleton)
    placed = set(result)
    for index, item in enumerate(others):
        if item in placed:
            continue
        before = next((prior for prior in reversed(others[:index]) if prior in placed), None)
        position = result.index(before) + 1 if before is not None else 0
        while position < len(result) and result[position] not in base_set and result[position] not in others_set:
            position += 1  # past items the skeleton's side added there
        result.insert(position, item)
        placed.add(item)
    return result


def one_side(base: Any, ours: Any, theirs: Any) -> tuple[bool, Any]:
    """``(False, that side's value)`` when at most one side changed ``base``; ``(True, None)`` when both did."""
    if same(ours, theirs) or same(theirs, base):
        return False, ours
    if same(ours, base):
        return False, theirs
    return True, None


def is_list_of(kind: type | tuple[type, ...], value: Any) -> bool:
    return value is ABSENT or (
        isinstance(value, list) and all(isinstance(entry, kind) and not isinstance(entry, bool) for entry in value)
    )


def side_values(base: Any, ours: Any, theirs: Any) -> dict[str, Any]:
    return {side: value for side, value in zip(SIDES, (base, ours, theirs), strict=True) if value is not ABSENT}
