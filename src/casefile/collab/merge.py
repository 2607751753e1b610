"""Three-way merge of a case file, item by item and field by field: the core of git's merge driver.

The three versions (the common ancestor BASE, OURS and THEIRS) are read, migrated and validated,
then compared in their canonical TOML shape (``codec.encode`` of the decoded case), so versions
that mean the same thing compare equal whatever their layout. The rules:

- Items match by ``id`` within their array (events, demands, signatories, concerns). An item
  added on either side is kept; an event or demand added on both sides under the same id with
  different titles (or subjects), when there is a common ancestor, is two records whose words
  made the same id: both are kept, theirs under the next free id (:func:`casefile.case.ids.dated_id`,
  so the same merge gives the same id); one removed on one side and unchanged on the other is removed;
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
  them and :func:`casefile.collab.conflicts.resolve` settles them one by one; conflicts already recorded
  in the versions are carried over unless one side settled them.

Nothing here touches the disk: the CLI reads the three files and writes the result atomically.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from casefile.case.codec import ARRAYS, decode, encode
from casefile.case.migrations import migrate
from casefile.case.model import Case
from casefile.collab.conflicts import (
    ABSENT,
    CASE_ITEM,
    CONFLICTS_KEY,
    FILE_ITEM,
    WHOLE_ITEM,
    Conflict,
    Document,
    conflict_from_table,
)
from casefile.collab.mergerules import (
    ENTRY_KEYS,
    frozen,
    is_list_of,
    merge_order,
    merge_sets,
    one_side,
    ordered_union,
    same,
    side_values,
    whole_entry,
)
from casefile.errors import CannotMerge, CasefileError, CaseFileInvalid, InvalidValue
from casefile.i18n import _


class _Merger:
    """Merges tables and arrays, collecting the conflicts it finds."""

    def __init__(self) -> None:
        self.conflicts: list[Conflict] = []
        self.taken: set[str] = set()  # every id of the three versions, and those given by this merge
        self.has_base = True  # without a common ancestor, one id on both sides is one item

    def value(self, name: str, base: Any, ours: Any, theirs: Any, *, item: str, array: str, path: str) -> Any:
        """The merged value of one field (:data:`ABSENT` when the merged table has none)."""
        both, value = one_side(base, ours, theirs)
        if not both:
            return value
        if all(is_list_of((str, int, float), value) for value in (base, ours, theirs)):
            return merge_sets(*(value if value is not ABSENT else [] for value in (base, ours, theirs)))
        if all(is_list_of(dict, value) for value in (base, ours, theirs)):
            merged = self._keyed(ENTRY_KEYS.get(name, whole_entry), base, ours, theirs)
            if merged is not None:
                return merged
        elif isinstance(ours, dict) and isinstance(theirs, dict) and (base is ABSENT or isinstance(base, dict)):
            return self.table(base if base is not ABSENT else {}, ours, theirs, item=item, array=array, prefix=path)
        self.conflicts.append(Conflict(item=item, field=path, array=array, values=side_values(base, ours, theirs)))
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
        for key in ordered_union(ours, theirs):
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
            by_key = {frozen(key_of(entry)): entry for entry in entries}
            if len(by_key) != len(entries):
                return None  # two entries with one key: no way to tell which is which
            maps.append(by_key)
        base_map, ours_map, theirs_map = maps
        nested = _Merger()
        result: list[dict[str, Any]] = []
        for key in ordered_union(ours_map, theirs_map):
            in_base, in_ours, in_theirs = base_map.get(key), ours_map.get(key), theirs_map.get(key)
            if in_ours is not None and in_theirs is not None:
                result.append(nested.table(in_base or {}, in_ours, in_theirs, item="", array=""))
                continue
            kept = in_ours if in_ours is not None else in_theirs
            assert kept is not None
            if in_base is None:
                result.append(kept)  # added on one side
            elif not same(kept, in_base):
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
        renamed: dict[str, dict[str, Any]] = {}  # ours' id -> theirs' record added beside it under a new id
        for item_id in ordered_union(ours_map, theirs_map):
            in_base, in_ours, in_theirs = base_map.get(item_id), ours_map.get(item_id), theirs_map.get(item_id)
            if (
                self.has_base
                and in_base is None
                and in_ours is not None
                and in_theirs is not None
                and _two_records(name, in_ours, in_theirs)
            ):
                result[item_id] = dict(in_ours)
                renamed[item_id] = {**in_theirs, "id": self._free_id(name, in_theirs)}
                continue
            if in_ours is not None and in_theirs is not None:
                both, merged = one_side(in_base, in_ours, in_theirs)
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
            elif same(kept, in_base) and item_id not in needed:
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
        order = merge_order(list(base_map), list(ours_map), list(theirs_map))
        merged = []
        for item_id in order:
            if item_id in result:
                merged.append(result[item_id])
                if item_id in renamed:
                    merged.append(renamed[item_id])
        return merged

    def _free_id(self, name: str, table: Mapping[str, Any]) -> str:
        """A new id for ``table``, made as ``add-*`` makes one, taken by no id of the three versions."""
        from casefile.case.ids import dated_id

        date = str(table.get("date", ""))
        new = dated_id(date, str(table.get(_TITLE_FIELD[name], "")), self.taken, fallback=name.rstrip("s"))
        self.taken.add(new)
        return new


#: The field whose words make an event's or a demand's id.
_TITLE_FIELD = {"events": "title", "demands": "subject"}


def _two_records(name: str, ours: Mapping[str, Any], theirs: Mapping[str, Any]) -> bool:
    """Whether an item added on both sides under one id is two records (their titles differ)."""
    field = _TITLE_FIELD.get(name)
    return field is not None and ours.get(field) != theirs.get(field)


def _merge_carried(
    base: Sequence[Conflict], ours: Sequence[Conflict], theirs: Sequence[Conflict], new: Sequence[Conflict]
) -> list[Conflict]:
    """Conflicts already in the versions: kept unless one side settled them; new ones replace old."""
    base_keys = {conflict.key() for conflict in base}
    ours_map = {conflict.key(): conflict for conflict in ours}
    theirs_map = {conflict.key(): conflict for conflict in theirs}
    result: dict[tuple[str, str, str], Conflict] = {}
    for key in ordered_union(ours_map, theirs_map):
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
    merger = _Merger()
    merger.has_base = bool(base)  # git gives an empty file when the sides share no ancestor
    base = base or {}
    carried = [_read_conflicts(side) for side in (base, ours, theirs)]
    merger.taken = {
        *(str(table.get("id")) for side in (base, ours, theirs) for name in ARRAYS for table in side.get(name, [])),
        *(str(retired) for side in (base, ours, theirs) for retired in side.get("retired_ids", [])),
    }
    merged: Document = {"schema_version": ours["schema_version"]}
    retired_ids = [side.get("retired_ids", []) for side in (base, ours, theirs)]
    both, retired = one_side(*retired_ids)
    if both:
        retired = sorted(merge_sets(*retired_ids))
    if retired:
        merged["retired_ids"] = retired
    both, merged["case"] = one_side(base.get("case"), ours["case"], theirs["case"])
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
    ours_unchanged = same(_unknown_keys(base), _unknown_keys(ours))
    first, second = (theirs, ours) if ours_unchanged else (ours, theirs)
    for key in ordered_union(first, second):
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
        raise InvalidValue(_("`conflicts` should be an array of tables ([[conflicts]])."))
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
    from casefile.storage.limits import check_nesting, check_toml_keys, parsing

    check_toml_keys(text, label, error=CannotMerge)
    try:
        with parsing(label, error=CannotMerge):
            document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CannotMerge(
            _("{label}: not valid TOML: {error}. Nothing was written.").format(label=label, error=error)
        ) from None
    check_nesting(document, label, error=CannotMerge)
    try:
        case = decode(migrate(document, path=label), path=label)
        canonical = encode(case)
        _read_conflicts(canonical)
    except CasefileError as error:
        message = str(error) if str(error).startswith(label) else f"{label}: {error}"
        raise CannotMerge(
            _("{message}\n{label} cannot be merged; nothing was written.").format(message=message, label=label)
        ) from None
    return canonical


def merge_texts(
    base: str, ours: str, theirs: str, *, labels: tuple[str, str, str] = ("BASE", "OURS", "THEIRS")
) -> MergeResult:
    """Merge three versions of a case file's text. An empty BASE means the sides share no ancestor.
    A byte-order mark (Notepad's "UTF-8 with BOM") is read past; the result keeps OURS's, as a change does.

    Raises:
        CannotMerge: a version cannot be read, or the merge cannot make a valid case.
    """
    from casefile.storage.tomltext import dumps

    bom = "\ufeff" if ours.startswith("\ufeff") else ""
    base, ours, theirs = (text.removeprefix("\ufeff") for text in (base, ours, theirs))
    base_document = canonical_document(base, labels[0]) if base.strip() else None
    ours_document = canonical_document(ours, labels[1])
    theirs_document = canonical_document(theirs, labels[2])
    merged, conflicts = merge_documents(base_document, ours_document, theirs_document)
    try:
        case = decode(merged, path="the merged case")
    except CaseFileInvalid as error:
        raise CannotMerge(
            _("{error}\nThe versions cannot be merged into a valid case; nothing was written.").format(error=error)
        ) from None
    return MergeResult(case=case, text=bom + dumps(case), conflicts=tuple(conflicts))
