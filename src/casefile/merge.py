"""Three-way merge of a case file, item by item and field by field: the core of git's merge driver.

The three versions (the common ancestor BASE, OURS and THEIRS) are read, migrated and validated,
then compared in their canonical TOML shape (``codec.encode`` of the decoded case), so versions
that mean the same thing compare equal whatever their layout. The rules:

- Items match by ``id`` within their array (events, demands, signatories, concerns). An item
  added on either side is kept; one removed on one side and unchanged on the other is removed;
  one removed on one side and changed on the other is a conflict (the item is kept meanwhile,
  so nothing is lost). An item the merged case still refers to is never removed silently.
- Tables (an item, ``[case]``, ``[case.contact]``, tables casefile does not know) merge field by
  field: a field changed on one side takes that change.
- Lists merge as sets: OURS order, then THEIRS additions; an entry removed on either side is
  removed. That holds for lists of names (tags, actors, concerns, by, breaches, addressees,
  ``retired_ids``) and for lists of tables, whose entries are matched by a key (sources by URL,
  responses by date, status and summary...: :data:`ENTRY_KEYS`) and merge field by field.
- A field changed differently on both sides is a conflict: the merged case keeps OURS and the
  conflict is recorded in the file itself, as a top-level ``[[conflicts]]`` array of tables that
  casefile keeps like any key it does not know (``Case.extra``). ``casefile conflicts`` lists
  them and :func:`casefile.conflicts.resolve` settles them one by one; conflicts already recorded
  in the versions are carried over unless one side settled them.

Nothing here touches the disk: the CLI reads the three files and writes the result atomically.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from casefile.codec import ARRAYS, decode, encode
from casefile.conflicts import (
    ABSENT,
    CASE_ITEM,
    CONFLICTS_KEY,
    FILE_ITEM,
    SIDES,
    WHOLE_ITEM,
    Conflict,
    Document,
    conflict_from_table,
)
from casefile.errors import CannotMerge, CasefileError, CaseFileInvalid, InvalidValue
from casefile.migrations import migrate
from casefile.model import Case


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


def _whole_entry(table: Mapping[str, Any]) -> Any:
    return table


# --- merging -------------------------------------------------------------------------------------


def _same(first: Any, second: Any) -> bool:
    """Equal as TOML values: true is not 1, and the order of a table's keys does not matter."""
    if type(first) is not type(second):
        return False
    if isinstance(first, dict):
        return first.keys() == second.keys() and all(_same(first[key], second[key]) for key in first)
    if isinstance(first, list):
        return len(first) == len(second) and all(_same(a, b) for a, b in zip(first, second, strict=True))
    return bool(first == second)


def _ordered_union(first: Iterable[Any], second: Iterable[Any]) -> list[Any]:
    """The keys of ``first`` in order, then those of ``second`` it lacks."""
    seen = dict.fromkeys(first)
    seen.update(dict.fromkeys(key for key in second if key not in seen))
    return list(seen)


def _frozen(key: Any) -> str:
    return json.dumps(key, sort_keys=True, default=str, ensure_ascii=False)


def merge_sets(base: Sequence[Any], ours: Sequence[Any], theirs: Sequence[Any]) -> list[Any]:
    """A three-way merge of lists as sets: OURS order, then THEIRS additions, minus what either removed."""
    base_set, ours_set, theirs_set = (set(map(_frozen, side)) for side in (base, ours, theirs))
    removed = {key for key in base_set if key not in ours_set or key not in theirs_set}
    result: dict[str, Any] = {}
    for entry in (*ours, *theirs):
        key = _frozen(entry)
        if key not in removed and key not in result:
            result[key] = entry
    return list(result.values())


def _merge_order(base: Sequence[str], ours: Sequence[str], theirs: Sequence[str]) -> list[str]:
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


def _one_side(base: Any, ours: Any, theirs: Any) -> tuple[bool, Any]:
    """``(False, that side's value)`` when at most one side changed ``base``; ``(True, None)`` when both did."""
    if _same(ours, theirs) or _same(theirs, base):
        return False, ours
    if _same(ours, base):
        return False, theirs
    return True, None


def _is_list_of(kind: type | tuple[type, ...], value: Any) -> bool:
    return value is ABSENT or (
        isinstance(value, list) and all(isinstance(entry, kind) and not isinstance(entry, bool) for entry in value)
    )


def _values(base: Any, ours: Any, theirs: Any) -> dict[str, Any]:
    return {side: value for side, value in zip(SIDES, (base, ours, theirs), strict=True) if value is not ABSENT}


class _Merger:
    """Merges tables and arrays, collecting the conflicts it finds."""

    def __init__(self) -> None:
        self.conflicts: list[Conflict] = []

    def value(self, name: str, base: Any, ours: Any, theirs: Any, *, item: str, array: str, path: str) -> Any:
        """The merged value of one field (:data:`ABSENT` when the merged table has none)."""
        both, value = _one_side(base, ours, theirs)
        if not both:
            return value
        if all(_is_list_of((str, int, float), value) for value in (base, ours, theirs)):
            return merge_sets(*(value if value is not ABSENT else [] for value in (base, ours, theirs)))
        if all(_is_list_of(dict, value) for value in (base, ours, theirs)):
            merged = self._keyed(ENTRY_KEYS.get(name, _whole_entry), base, ours, theirs)
            if merged is not None:
                return merged
        elif isinstance(ours, dict) and isinstance(theirs, dict) and (base is ABSENT or isinstance(base, dict)):
            return self.table(base if base is not ABSENT else {}, ours, theirs, item=item, array=array, prefix=path)
        self.conflicts.append(Conflict(item=item, field=path, array=array, values=_values(base, ours, theirs)))
        return ours

    def table(
        self,
        base: Mapping[str, Any],
        ours: Mapping[str, Any],
        theirs: Mapping[str, Any],
        *,
        item: str,
        array: str,
        prefix: str = "",
    ) -> dict[str, Any]:
        """A table merged field by field."""
        result: dict[str, Any] = {}
        for key in _ordered_union(ours, theirs):
            merged = self.value(
                key,
                base.get(key, ABSENT),
                ours.get(key, ABSENT),
                theirs.get(key, ABSENT),
                item=item,
                array=array,
                path=f"{prefix}.{key}" if prefix else key,
            )
            if merged is not ABSENT:
                result[key] = merged
        return result

    def _keyed(
        self, key_of: Callable[[Mapping[str, Any]], Any], base: Any, ours: Any, theirs: Any
    ) -> list[dict[str, Any]] | None:
        """Lists of tables merged entry by entry; None when they cannot be (the field then conflicts)."""
        maps = []
        for side in (base, ours, theirs):
            entries = [] if side is ABSENT else side
            by_key = {_frozen(key_of(entry)): entry for entry in entries}
            if len(by_key) != len(entries):
                return None  # two entries with one key: no way to tell which is which
            maps.append(by_key)
        base_map, ours_map, theirs_map = maps
        nested = _Merger()
        result: list[dict[str, Any]] = []
        for key in _ordered_union(ours_map, theirs_map):
            in_base, in_ours, in_theirs = base_map.get(key), ours_map.get(key), theirs_map.get(key)
            if in_ours is not None and in_theirs is not None:
                result.append(nested.table(in_base or {}, in_ours, in_theirs, item="", array=""))
                continue
            kept = in_ours if in_ours is not None else in_theirs
            assert kept is not None
            if in_base is None:
                result.append(kept)  # added on one side
            elif not _same(kept, in_base):
                return None  # removed on one side, changed on the other
        return None if nested.conflicts else result

    def array(
        self,
        name: str,
        base: Sequence[Mapping[str, Any]],
        ours: Sequence[Mapping[str, Any]],
        theirs: Sequence[Mapping[str, Any]],
        *,
        needed: set[str],
    ) -> list[dict[str, Any]]:
        """An array of items merged by id; ``needed`` ids are referred to and never removed silently."""
        base_map = {table["id"]: table for table in base}
        ours_map = {table["id"]: table for table in ours}
        theirs_map = {table["id"]: table for table in theirs}
        result: dict[str, dict[str, Any]] = {}
        for item_id in _ordered_union(ours_map, theirs_map):
            in_base, in_ours, in_theirs = base_map.get(item_id), ours_map.get(item_id), theirs_map.get(item_id)
            if in_ours is not None and in_theirs is not None:
                both, merged = _one_side(in_base, in_ours, in_theirs)
                if both:
                    merged = self.table(in_base or {}, in_ours, in_theirs, item=item_id, array=name)
                result[item_id] = dict(merged)
                continue
            kept, kept_by, deleted_by = (
                (in_ours, "ours", "theirs") if in_ours is not None else (in_theirs, "theirs", "ours")
            )
            assert kept is not None
            if in_base is None:
                result[item_id] = dict(kept)  # added on one side
            elif _same(kept, in_base) and item_id not in needed:
                continue  # removed on one side, unchanged on the other
            else:
                result[item_id] = dict(kept)
                self.conflicts.append(
                    Conflict(
                        item=item_id,
                        field=WHOLE_ITEM,
                        array=name,
                        deleted=deleted_by,
                        values={"base": dict(in_base), kept_by: dict(kept)},
                    )
                )
        order = _merge_order(list(base_map), list(ours_map), list(theirs_map))
        return [result[item_id] for item_id in order if item_id in result]


def _merge_carried(
    base: Sequence[Conflict], ours: Sequence[Conflict], theirs: Sequence[Conflict], new: Sequence[Conflict]
) -> list[Conflict]:
    """Conflicts already in the versions: kept unless one side settled them; new ones replace old."""
    base_keys = {conflict.key() for conflict in base}
    ours_map = {conflict.key(): conflict for conflict in ours}
    theirs_map = {conflict.key(): conflict for conflict in theirs}
    result: dict[tuple[str, str, str], Conflict] = {}
    for key in _ordered_union(ours_map, theirs_map):
        if key in ours_map and key in theirs_map:
            result[key] = ours_map[key]
        elif key not in base_keys:
            result[key] = ours_map.get(key) or theirs_map[key]
    for conflict in new:
        result[conflict.key()] = conflict
    return list(result.values())


_KNOWN_TOP_LEVEL = frozenset({"schema_version", "retired_ids", "case", CONFLICTS_KEY, *ARRAYS})


def merge_documents(
    base: Mapping[str, Any] | None, ours: Mapping[str, Any], theirs: Mapping[str, Any]
) -> tuple[Document, list[Conflict]]:
    """Merge three canonical documents (``codec.encode`` output); ``base`` None when there is none.

    Returns the merged document, with every unsettled conflict in its ``conflicts`` array, and
    the conflicts this merge found.
    """
    base = base or {}
    carried = [_read_conflicts(side) for side in (base, ours, theirs)]
    merger = _Merger()
    merged: Document = {"schema_version": ours["schema_version"]}
    retired_ids = [side.get("retired_ids", []) for side in (base, ours, theirs)]
    both, retired = _one_side(*retired_ids)
    if both:
        retired = sorted(merge_sets(*retired_ids))
    if retired:
        merged["retired_ids"] = retired
    both, merged["case"] = _one_side(base.get("case"), ours["case"], theirs["case"])
    if both:
        merged["case"] = merger.table(base.get("case", {}), ours["case"], theirs["case"], item=CASE_ITEM, array="")
    arrays: dict[str, list[dict[str, Any]]] = {}

    def merge_array(name: str, needed: set[str]) -> None:
        sides = (base.get(name, []), ours.get(name, []), theirs.get(name, []))
        arrays[name] = merger.array(name, *sides, needed=needed)

    merge_array("events", set())
    merge_array("demands", set())
    # Concerns and signatories that merged events and demands name must stay.
    merge_array("signatories", {signatory for demand in arrays["demands"] for signatory in demand.get("by", [])})
    merge_array("concerns", {concern for event in arrays["events"] for concern in event.get("concerns", [])})
    for name in ARRAYS:
        if arrays[name]:
            merged[name] = arrays[name]
    ours_unchanged = _same(_unknown_keys(base), _unknown_keys(ours))
    first, second = (theirs, ours) if ours_unchanged else (ours, theirs)
    for key in _ordered_union(first, second):
        if key in _KNOWN_TOP_LEVEL:
            continue
        value = merger.value(
            key,
            base.get(key, ABSENT),
            ours.get(key, ABSENT),
            theirs.get(key, ABSENT),
            item=FILE_ITEM,
            array="",
            path=key,
        )
        if value is not ABSENT:
            merged[key] = value
    conflicts = _merge_carried(carried[0], carried[1], carried[2], new=merger.conflicts)
    if conflicts:
        merged[CONFLICTS_KEY] = [conflict.to_table() for conflict in conflicts]
    return merged, merger.conflicts


def _unknown_keys(document: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in document.items() if key not in _KNOWN_TOP_LEVEL}


def _read_conflicts(document: Mapping[str, Any]) -> list[Conflict]:
    raw = document.get(CONFLICTS_KEY, [])
    if not isinstance(raw, list):
        raise InvalidValue("`conflicts` should be an array of tables ([[conflicts]]).")
    return [conflict_from_table(table, f"conflicts[{index}]") for index, table in enumerate(raw, start=1)]


@dataclass(frozen=True, slots=True)
class MergeResult:
    """The merged case, its file text, and the conflicts this merge found (also recorded in it)."""

    case: Case
    text: str
    conflicts: tuple[Conflict, ...]


def canonical_document(text: str, label: str) -> Document:
    """Read one version: parse, migrate, validate, and give its canonical document.

    Raises:
        CannotMerge: the version is not a case file casefile can read.
    """
    from casefile.limits import check_nesting, check_toml_keys, parsing

    check_toml_keys(text, label, error=CannotMerge)
    try:
        with parsing(label, error=CannotMerge):
            document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CannotMerge(f"{label}: not valid TOML: {error}. Nothing was written.") from None
    check_nesting(document, label, error=CannotMerge)
    try:
        case = decode(migrate(document, path=label), path=label)
        canonical = encode(case)
        _read_conflicts(canonical)
    except CasefileError as error:
        message = str(error) if str(error).startswith(label) else f"{label}: {error}"
        raise CannotMerge(f"{message}\n{label} cannot be merged; nothing was written.") from None
    return canonical


def merge_texts(
    base: str, ours: str, theirs: str, *, labels: tuple[str, str, str] = ("BASE", "OURS", "THEIRS")
) -> MergeResult:
    """Merge three versions of a case file's text. An empty BASE means the sides share no ancestor.

    Raises:
        CannotMerge: a version cannot be read, or the merge cannot make a valid case.
    """
    from casefile.tomltext import dumps

    base_document = canonical_document(base, labels[0]) if base.strip() else None
    ours_document = canonical_document(ours, labels[1])
    theirs_document = canonical_document(theirs, labels[2])
    merged, conflicts = merge_documents(base_document, ours_document, theirs_document)
    try:
        case = decode(merged, path="the merged case")
    except CaseFileInvalid as error:
        raise CannotMerge(f"{error}\nThe versions cannot be merged into a valid case; nothing was written.") from None
    return MergeResult(case=case, text=dumps(case), conflicts=tuple(conflicts))
