"""The merge conflicts kept in a case file, and settling them.

A three-way merge (:mod:`casefile.collab.merge`) that finds a field changed differently on both sides,
or an item removed on one side and changed on the other, keeps OURS and records the conflict in
the file itself, as a top-level ``[[conflicts]]`` array of tables that casefile keeps like any key
it does not know (``Case.extra``). This module reads and writes those records (:class:`Conflict`,
:func:`conflicts_in`, :func:`with_conflicts`), refuses to go on while some are unsettled
(:func:`require_no_conflicts`, for letters and exports), and settles them one by one
(:func:`resolve`: take ours, theirs, base, or a new value typed on the command line).

Nothing here touches the disk: the CLI reads the case and writes the result atomically.
"""

from __future__ import annotations

import dataclasses
import enum
import tomllib
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from casefile.case.codec import ARRAYS, decode, encode
from casefile.case.dates import EdtfDate
from casefile.case.model import EMPTY, Case
from casefile.errors import (
    AmbiguousId,
    CaseFileInvalid,
    InvalidValue,
    ItemInUse,
    ItemNotFound,
    UnresolvedConflicts,
)
from casefile.i18n import _, ngettext

#: The top-level key of the conflict records in the case file.
CONFLICTS_KEY = "conflicts"
#: The ``item`` of a conflict in the ``[case]`` table.
CASE_ITEM = "case"
#: The ``item`` of a conflict in a top-level key casefile does not know.
FILE_ITEM = "file"
#: The ``field`` of a conflict about a whole item: removed on one side, changed on the other.
WHOLE_ITEM = "*"
SIDES = ("base", "ours", "theirs")

Document = dict[str, Any]


class _Absent(enum.Enum):
    """A key a version does not have (a field left at its default, or an item removed)."""

    ABSENT = "absent"


ABSENT = _Absent.ABSENT


@dataclass(frozen=True, slots=True, kw_only=True)
class Conflict:
    """A field both sides changed differently, or an item one side removed and the other changed.

    Attributes:
        item: the item's id, ``"case"`` for the ``[case]`` table, ``"file"`` for a top-level key.
        field: the field (``contact.email`` inside ``[case]``), or ``"*"`` for a whole item.
        array: the item's array (``events``...), empty for ``case`` and ``file``.
        deleted: ``"ours"`` or ``"theirs"``: the side that removed the item (``field`` is ``*``).
        values: the value on each side that has one (``base``, ``ours``, ``theirs``); a side
            without the field (left at its default, or removed) is missing.
    """

    item: str
    field: str
    array: str = ""
    deleted: str = ""
    values: Mapping[str, Any] = dataclasses.field(default_factory=lambda: EMPTY)
    extra: Mapping[str, Any] = dataclasses.field(default_factory=lambda: EMPTY)

    def key(self) -> tuple[str, str, str]:
        """What makes two records the same conflict."""
        return (self.array, self.item, self.field)

    def value(self, side: str) -> Any:
        """The value on ``side``, or :data:`ABSENT`."""
        return self.values.get(side, ABSENT)

    def to_table(self) -> dict[str, Any]:
        """The ``[[conflicts]]`` table of this conflict."""
        table: dict[str, Any] = {"item": self.item}
        if self.array:
            table["array"] = self.array
        table["field"] = self.field
        if self.deleted:
            table["deleted"] = self.deleted
        table.update({side: self.values[side] for side in SIDES if side in self.values})
        table.update(self.extra)
        return table

    def kept(self) -> str:
        """For a removed-versus-changed item: the side that changed it."""
        return "theirs" if self.deleted == "ours" else "ours"

    def settle_command(self) -> str:
        """The command that settles this conflict."""
        if self.field == WHOLE_ITEM:
            return f"casefile resolve {self.item} --field '*' --take ours|theirs"
        return f"casefile resolve {self.item} --field {self.field} --take ours|theirs|VALUE"

    def describe(self) -> str:
        """One line for people, in their language: what conflicts, and where."""
        where = _("the case") if not self.array and self.item == CASE_ITEM else self.item
        if self.field == WHOLE_ITEM:
            return _("{where}: removed by {deleted}, changed by {kept}").format(
                where=where, deleted=self.deleted, kept=self.kept()
            )
        return _("{where}: {field} changed on both sides").format(where=where, field=self.field)


def conflict_from_table(table: Any, place: str = "conflicts") -> Conflict:
    """Read one ``[[conflicts]]`` table.

    Raises:
        InvalidValue: the table is not a conflict record casefile wrote.
    """
    if not isinstance(table, dict):
        raise InvalidValue(
            _("{place} should be a table ([[conflicts]]), not {type}.").format(place=place, type=type(table).__name__)
        )
    item, field_name, array = table.get("item"), table.get("field"), table.get("array", "")
    deleted = table.get("deleted", "")
    if not isinstance(item, str) or not isinstance(field_name, str):
        raise InvalidValue(_("{place} should have an `item` and a `field` in quotes.").format(place=place))
    if array not in ("", *ARRAYS):
        raise InvalidValue(
            _("{place}.array should be one of {arrays}, not {array!r}.").format(
                place=place, arrays=", ".join(ARRAYS), array=array
            )
        )
    if deleted not in ("", "ours", "theirs"):
        raise InvalidValue(
            _('{place}.deleted should be "ours" or "theirs", not {deleted!r}.').format(place=place, deleted=deleted)
        )
    known = {"item", "field", "array", "deleted", *SIDES}
    return Conflict(
        item=item,
        field=field_name,
        array=array,
        deleted=deleted,
        values={side: table[side] for side in SIDES if side in table},
        extra={key: value for key, value in table.items() if key not in known} or EMPTY,
    )


def conflicts_in(case: Case) -> tuple[Conflict, ...]:
    """The conflicts a merge recorded in the case and nobody has settled yet.

    Raises:
        InvalidValue: ``conflicts`` in the file is not an array of conflict records.
    """
    raw = case.extra.get(CONFLICTS_KEY)
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise InvalidValue(_("`conflicts` in the case file should be an array of tables ([[conflicts]])."))
    return tuple(conflict_from_table(table, f"conflicts[{index}]") for index, table in enumerate(raw, start=1))


def require_no_conflicts(case: Case) -> None:
    """Refuse to go on while a merge's conflicts are unsettled.

    Raises:
        UnresolvedConflicts: with how many there are and what to do.
    """
    conflicts = conflicts_in(case)
    if conflicts:
        first = conflicts[0]
        raise UnresolvedConflicts(
            ngettext(
                "the case has {count} unresolved merge conflict ({describe}). See it with `casefile conflicts` "
                "and settle it with `casefile resolve ID --field FIELD --take ours|theirs|VALUE` first.",
                "the case has {count} unresolved merge conflicts, e.g. {describe}. List them with "
                "`casefile conflicts` and settle each with `casefile resolve ID --field FIELD --take "
                "ours|theirs|VALUE` first.",
                len(conflicts),
            ).format(count=len(conflicts), describe=first.describe())
        )


def with_conflicts(case: Case, conflicts: Sequence[Conflict]) -> Case:
    """The case with exactly these conflict records."""
    extra = {key: value for key, value in case.extra.items() if key != CONFLICTS_KEY}
    if conflicts:
        extra[CONFLICTS_KEY] = [conflict.to_table() for conflict in conflicts]
    return dataclasses.replace(case, extra=extra or EMPTY)


# --- settling conflicts --------------------------------------------------------------------------


def _find_conflict(conflicts: Sequence[Conflict], item: str, field_name: str | None) -> Conflict:
    """The one conflict on ``item`` (an id or a unique prefix) and ``field_name``."""
    on_item = [conflict for conflict in conflicts if conflict.item == item]
    if not on_item:
        items = sorted({conflict.item for conflict in conflicts if conflict.item.startswith(item)}) if item else []
        if len(items) > 1:
            raise AmbiguousId(
                _("{item!r} matches {count} items with conflicts: {items}.").format(
                    item=item, count=len(items), items=", ".join(items)
                )
            )
        if not items:
            raise ItemNotFound(_("no conflict is about {item!r}. `casefile conflicts` lists them.").format(item=item))
        on_item = [conflict for conflict in conflicts if conflict.item == items[0]]
    fields = [conflict.field for conflict in on_item]
    if field_name is None:
        if len(on_item) == 1:
            return on_item[0]
        raise InvalidValue(
            _("{item} has conflicts on {name}: choose one with --field.").format(
                item=on_item[0].item, name=", ".join(fields)
            )
        )
    for candidate in (field_name, field_name.replace("-", "_")):
        matches = [conflict for conflict in on_item if conflict.field == candidate]
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise InvalidValue(
                _("{item} has several conflicts on {candidate}; edit the file by hand.").format(
                    item=on_item[0].item, candidate=candidate
                )
            )
    raise InvalidValue(
        _("{item} has no conflict on {field_name!r}; its conflicts are on: {name}.").format(
            item=on_item[0].item, field_name=field_name, name=", ".join(fields)
        )
    )


def _unwrap(hint: Any) -> Any:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        (inner,) = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return inner
    return hint


def _hint_of(conflict: Conflict) -> Any:
    """The model's type of the conflicting field, or None for a key casefile does not know."""
    if not conflict.array and conflict.item != CASE_ITEM:
        return None
    hint: Any = ARRAYS[conflict.array] if conflict.array else Case
    for part in conflict.field.split("."):
        hint = _unwrap(hint)
        if not (dataclasses.is_dataclass(hint) and isinstance(hint, type)):
            return None
        hints = typing.get_type_hints(hint)
        if part == "extra" or part not in hints:
            return None
        hint = hints[part]
    return _unwrap(hint)


def _toml_value(text: str) -> Any:
    from casefile.storage.limits import check_nesting, check_toml_keys, parsing

    check_toml_keys(text, "--take", error=InvalidValue)
    try:
        with parsing("--take", error=InvalidValue):
            value = tomllib.loads(f"value = {text}").get("value", ABSENT)
    except tomllib.TOMLDecodeError:
        return ABSENT
    check_nesting(value, "--take", error=InvalidValue)
    return value


def parse_value(text: str, hint: Any) -> Any:
    """A value typed on the command line, as the TOML value of a field of type ``hint``.

    Text, dates and choices are taken as typed; numbers, true/false, lists and tables are read
    as TOML (``'["a", "b"]'``); a list of names also takes one name as typed.
    """
    if hint in (str, EdtfDate) or (isinstance(hint, type) and issubclass(hint, enum.Enum)):
        return text
    parsed = _toml_value(text)
    if typing.get_origin(hint) is tuple and typing.get_args(hint)[0] is str and not isinstance(parsed, list):
        return [text]
    return text if parsed is ABSENT else parsed


def _set_path(table: dict[str, Any], path: Sequence[str], value: Any) -> None:
    for part in path[:-1]:
        inner = table.get(part)
        if not isinstance(inner, dict):
            if value is ABSENT:
                return
            inner = table[part] = {}
        table = inner
    if value is ABSENT:
        table.pop(path[-1], None)
    else:
        table[path[-1]] = value


def _describe_take(take: str) -> str:
    return _("took {side}").format(side=take) if take in SIDES else _("set to {value!r}").format(value=take)


def resolve(case: Case, item: str, *, field_name: str | None, take: str) -> tuple[Case, Conflict, str]:
    """Settle one conflict: ``take`` is ``ours``, ``theirs``, ``base`` or a new value for the field.

    For an item removed on one side and changed on the other (field ``*``), taking the side
    that removed it removes the item (and retires its id); taking the other side keeps it.

    Returns:
        The new case, the conflict settled, and what was done in words.

    Raises:
        ItemNotFound, AmbiguousId, InvalidValue, ItemInUse
    """
    conflicts = conflicts_in(case)
    conflict = _find_conflict(conflicts, item, field_name)
    remaining = [other for other in conflicts if other is not conflict]
    document = encode(with_conflicts(case, remaining))
    done: str
    if conflict.field == WHOLE_ITEM:
        done = _settle_removal(case, document, conflict, take)
    else:
        value = conflict.value(take) if take in SIDES else parse_value(take, _hint_of(conflict))
        target: dict[str, Any] | None
        if conflict.array:
            target = next((table for table in document.get(conflict.array, []) if table["id"] == conflict.item), None)
        else:
            target = document["case"] if conflict.item == CASE_ITEM else document
        if target is None:
            done = _("{item} is no longer in the case; nothing to change").format(item=conflict.item)
        else:
            _set_path(target, conflict.field.split("."), value)
            done = _describe_take(take)
    try:
        return decode(document, path="the case"), conflict, done
    except CaseFileInvalid as error:
        joined = _("{place}: {message}")  # "events[1].date : « … »" in French
        problems = "; ".join(
            joined.format(place=problem.place, message=problem.message) if problem.place else problem.message
            for problem in error.problems
        )
        raise InvalidValue(
            _("cannot settle {field} of {item} with {take!r}: {problems}. Nothing was changed.").format(
                field=conflict.field, item=conflict.item, take=take, problems=problems
            )
        ) from None


def _settle_removal(case: Case, document: Document, conflict: Conflict, take: str) -> str:
    """Remove or keep an item one side removed and the other changed."""
    if take not in ("ours", "theirs"):
        raise InvalidValue(
            _("{item} was removed by {deleted} and changed by {kept}: use --take ours or --take theirs.").format(
                item=conflict.item, deleted=conflict.deleted, kept=conflict.kept()
            )
        )
    tables = document.setdefault(conflict.array, [])
    current = next((table for table in tables if table["id"] == conflict.item), None)
    retired = [retired_id for retired_id in document.get("retired_ids", []) if retired_id != conflict.item]
    if take == conflict.deleted:
        if current is not None:
            from casefile.case.operations import users_of

            item = next(candidate for candidate in case.items() if candidate.id == conflict.item)
            users = users_of(case, item)
            if users:
                raise ItemInUse(
                    ngettext(
                        "{item} cannot be removed: it is named by {users}. Edit {users} first, or keep {item} "
                        "with --take {kept}.",
                        "{item} cannot be removed: it is named by {users}. Edit those first, or keep {item} "
                        "with --take {kept}.",
                        len(users),
                    ).format(item=conflict.item, users=", ".join(users), kept=conflict.kept())
                )
            tables.remove(current)
        retired = sorted({*retired, conflict.item})
        done = _("removed it")
    else:
        if current is None:
            kept = conflict.value(conflict.kept())
            if not isinstance(kept, dict):
                raise InvalidValue(
                    _("the conflict record of {item} does not hold the item to keep.").format(item=conflict.item)
                )
            tables.append(kept)
        done = _("kept it")
    if retired:
        document["retired_ids"] = retired
    else:
        document.pop("retired_ids", None)
    if not tables:
        del document[conflict.array]
    return done
