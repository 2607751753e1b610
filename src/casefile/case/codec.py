"""Case <-> TOML-shaped dicts.

Decoding is driven by the model's type hints rather than written field by field, and it never
stops at the first problem: every problem is collected with its place (``events[3].date``) and
raised together as one :class:`CaseFileInvalid`. Keys it does not know are kept in ``extra``
and written back unchanged.

The file layout::

    schema_version = 1
    retired_ids = [...]
    [case]            title, country, language, ... and [case.contact]
    [[signatories]]   in the order the case gives them (the letter's order)
    [[concerns]]      likewise
    [[events]]        by date, then id; [[events.sources]] inside
    [[demands]]       by date, then id; [[demands.responses]] inside
"""

from __future__ import annotations

import dataclasses
import datetime
import types
import typing
from collections.abc import Callable, Mapping
from enum import Enum
from typing import Any

from casefile.case.dates import EdtfDate, parse_date
from casefile.case.fastdecode import BAD, fast_decoder, fast_item, type_hints
from casefile.case.ids import ID_PATTERN
from casefile.case.migrations import SCHEMA_VERSION
from casefile.case.model import (
    EMPTY,
    Case,
    Concern,
    Demand,
    Event,
    Signatory,
)
from casefile.errors import CaseFileInvalid, InvalidDate, Problem
from casefile.i18n import N_, _

#: Arrays at least this long are decoded by code generated for their class (see fast_decoder):
#: generating it costs about as much as decoding a few hundred tables without it.
GENERATE_FROM = 500

#: Top-level arrays of tables: TOML name -> item class.
ARRAYS: Mapping[str, type] = types.MappingProxyType(
    {"signatories": Signatory, "concerns": Concern, "events": Event, "demands": Demand}
)
#: Lists of the case kept as top-level arrays of tables after the items (long, and rarely read).
SIGN_OFF_ARRAYS = ("approvals", "approved_texts")
_TOP_LEVEL_KEYS = frozenset({"schema_version", "case", "retired_ids", *ARRAYS, *SIGN_OFF_ARRAYS})
_CASE_TABLE_FIELDS = tuple(
    f.name for f in dataclasses.fields(Case) if f.name not in {*ARRAYS, *SIGN_OFF_ARRAYS, "retired_ids", "extra"}
)


class _Problems:
    """Collects problems during one decode."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, place: str, message: str) -> None:
        self.items.append(Problem(place, message))


def _describe(value: object) -> str:
    names = {
        str: N_("text"),
        int: N_("a whole number"),
        list: N_("a list"),
        dict: N_("a table"),
        bool: N_("true/false"),
    }
    return _(names[type(value)]) if type(value) in names else type(value).__name__


def _decode_value(hint: Any, value: Any, place: str, problems: _Problems) -> Any:
    """Turn one TOML value into the type the model wants, or record why it cannot."""
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        # Only `X | None` unions occur in the model; None is written by omitting the key.
        (inner,) = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _decode_value(inner, value, place, problems)
    if origin is tuple:
        item_hint = typing.get_args(hint)[0]
        if not isinstance(value, list):
            problems.add(place, _("should be a list, not {describe}").format(describe=_describe(value)))
            return ()
        decoded = (
            _decode_value(item_hint, item, f"{place}[{index}]", problems) for index, item in enumerate(value, start=1)
        )
        return tuple(item for item in decoded if item is not None)
    if hint is EdtfDate:
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            # A bare TOML date (2017-02-11 without quotes) means what the user wrote.
            value = value.isoformat()
        if not isinstance(value, str):
            problems.add(
                place,
                _('should be a date in quotes, e.g. "2017-02-11", not {describe}').format(describe=_describe(value)),
            )
            return None
        try:
            return parse_date(value)
        except InvalidDate as error:
            problems.add(place, str(error))
            return None
    if isinstance(hint, type) and issubclass(hint, Enum):
        choices = [member.value for member in hint]
        if value not in choices:
            problems.add(place, _("{value!r} is not one of: {choices}").format(value=value, choices=", ".join(choices)))
            return None
        return hint(value)
    if hint is str:
        if not isinstance(value, str):
            problems.add(place, _("should be text in quotes, not {describe}").format(describe=_describe(value)))
            return None
        return value
    if hint is bool:
        if not isinstance(value, bool):
            problems.add(place, _("should be true or false, not {describe}").format(describe=_describe(value)))
            return None
        return value
    if hint is int:
        if not isinstance(value, int) or isinstance(value, bool):
            problems.add(place, _("should be a whole number, not {describe}").format(describe=_describe(value)))
            return None
        return value
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        if not isinstance(value, dict):
            problems.add(place, _("should be a table, not {describe}").format(describe=_describe(value)))
            return None
        return _decode_item(hint, value, place, problems)
    raise TypeError(f"the model uses a type the codec cannot read: {hint!r}")


def _decode_item(
    cls: type, table: Mapping[str, Any], place: str, problems: _Problems, fast: Callable[[Any], Any] | None = None
) -> Any:
    """Build one dataclass from its table; unknown keys go to ``extra``.

    ``fast`` is the fast path to try first (default :func:`fast_item`).
    """
    item = fast_item(cls, table) if fast is None else fast(table)
    if item is not BAD:
        return item
    return _decode_item_slowly(cls, table, place, problems)


def _decode_item_slowly(cls: type, table: Mapping[str, Any], place: str, problems: _Problems) -> Any:
    """:func:`_decode_item` field by field, recording every problem with its place."""
    hints = type_hints(cls)
    kwargs: dict[str, Any] = {}
    broken = False
    for field in dataclasses.fields(cls):
        if field.name == "extra":
            continue
        field_place = f"{place}.{field.name}"
        if field.name not in table:
            if field.default is dataclasses.MISSING:
                problems.add(field_place, _("is missing"))
                broken = True
            continue
        before = len(problems.items)
        value = _decode_value(hints[field.name], table[field.name], field_place, problems)
        if len(problems.items) > before:
            broken = True
        elif value is not None:
            kwargs[field.name] = value
    if broken:
        return None
    known = {field.name for field in dataclasses.fields(cls)}
    extra = {key: value for key, value in table.items() if key not in known}
    return cls(**kwargs, extra=extra or EMPTY)


def decode(document: Mapping[str, Any], *, path: str = "case file") -> Case:
    """Build a :class:`Case` from a parsed, migrated TOML document.

    Raises:
        CaseFileInvalid: with every problem found, each with its place.
    """
    problems = _Problems()
    case_table = document.get("case")
    header = None
    if not isinstance(case_table, dict):
        # Go on reading the rest, so every other problem is reported too.
        if case_table is None:
            problems.add("case", _("is missing: the file needs a [case] table with a title and country"))
        else:
            problems.add(
                "case",
                _("should be a table ([case]) with a title and country, not {describe}").format(
                    describe=_describe(case_table)
                ),
            )
        case_table = {}
    else:
        case_fields = {key: value for key, value in case_table.items() if key in _CASE_TABLE_FIELDS}
        header = _decode_item(_CaseHeader, case_fields, "case", problems)
    arrays: dict[str, Any] = {}
    # Every table with its 1-based place in the file, and the item it became (None if broken),
    # so later checks name the place in the file even after a broken item was left out.
    rows: dict[str, list[tuple[int, Mapping[str, Any], Any]]] = {}
    for name, cls in ARRAYS.items():
        value = document.get(name, [])
        if not isinstance(value, list):
            problems.add(
                name,
                _("should be an array of tables ([[{name}]]), not {describe}").format(
                    name=name, describe=_describe(value)
                ),
            )
            value = []
        rows[name] = []
        fast = fast_decoder(cls) if len(value) >= GENERATE_FROM else None
        for index, table in enumerate(value, start=1):
            if not isinstance(table, dict):
                problems.add(f"{name}[{index}]", _("should be a table"))
                continue
            item = _decode_item(cls, table, f"{name}[{index}]", problems, fast)
            rows[name].append((index, table, item))
        arrays[name] = tuple(item for _, _, item in rows[name] if item is not None)
    retired = _decode_value(tuple[str, ...], document.get("retired_ids", []), "retired_ids", problems)
    hints = type_hints(Case)
    sign_off = {name: _decode_value(hints[name], document.get(name, []), name, problems) for name in SIGN_OFF_ARRAYS}
    _check_references(rows, problems)
    if header is not None:
        from casefile.case.translations import article_problems

        signatories = ((f"signatories[{index}]", each) for index, _, each in rows["signatories"] if each is not None)
        problems.items += article_problems(header.language.value, signatories)
    if problems.items or header is None:
        raise CaseFileInvalid(path, problems.items)
    extra = {key: value for key, value in document.items() if key not in _TOP_LEVEL_KEYS}
    case_extra = {key: value for key, value in case_table.items() if key not in _CASE_TABLE_FIELDS}
    if case_extra:
        extra["case"] = case_extra
    return Case(
        **{name: getattr(header, name) for name in _CASE_TABLE_FIELDS},
        **arrays,
        **sign_off,
        retired_ids=retired,
        extra=extra or EMPTY,
    )


def references_hold(case: Case) -> bool:
    """Whether a case put together from parts passes :func:`_check_references`'s rules across items:
    each id used once, every signatory a demand names and every concern an event names exists.
    (The reading after an outside change builds unchanged items from the cache, then asks this.)"""
    ids = [item.id for array in (case.signatories, case.concerns, case.events, case.demands) for item in array]
    concerns, signatories = {each.id for each in case.concerns}, {each.id for each in case.signatories}
    return (
        len(set(ids)) == len(ids)
        and all(map(concerns.issuperset, (event.concerns for event in case.events)))
        and all(map(signatories.issuperset, (demand.by for demand in case.demands)))
    )


def _check_references(rows: Mapping[str, list[tuple[int, Mapping[str, Any], Any]]], problems: _Problems) -> None:
    """Ids are well formed and unique, and every reference names an existing item
    (:func:`references_hold` asks the same of a case put together from parts: keep them in step).

    Ids are read from every table, even one with other problems, so an item that fails to
    decode is not also reported as unknown by the items that name it.
    """
    seen: dict[str, str] = {}
    ids_of: dict[str, set[str]] = {name: set() for name in rows}
    for name, entries in rows.items():
        for index, table, _position in entries:
            item_id = table.get("id")
            if not isinstance(item_id, str):
                continue  # missing or not text: already reported by _decode_item
            place = f"{name}[{index}].id"
            if not ID_PATTERN.match(item_id):
                problems.add(
                    place,
                    _("{item_id!r} is not a valid id: use lower-case letters, digits and -").format(item_id=item_id),
                )
            elif item_id in seen:
                problems.add(
                    place, _("{item_id!r} is already the id of {seen}").format(item_id=item_id, seen=seen[item_id])
                )
            else:
                seen[item_id] = f"{name}[{index}]"
            ids_of[name].add(item_id)
    for index, _table, demand in rows["demands"]:
        if demand is None:
            continue
        for signatory_id in demand.by:
            if signatory_id not in ids_of["signatories"]:
                problems.add(
                    f"demands[{index}].by",
                    _("no signatory has the id {signatory_id!r}").format(signatory_id=signatory_id),
                )
    for index, _table, event in rows["events"]:
        if event is None:
            continue
        for concern_id in event.concerns:
            if concern_id not in ids_of["concerns"]:
                problems.add(
                    f"events[{index}].concerns", _("no concern has the id {concern_id!r}").format(concern_id=concern_id)
                )


def _encode_value(value: Any) -> Any:
    if isinstance(value, EdtfDate):
        return value.text
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return [_encode_value(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return encode_item(value)
    return value


def _is_default(field: dataclasses.Field[Any], value: Any) -> bool:
    if field.default is not dataclasses.MISSING:
        return bool(value == field.default)
    return False


def encode_item(item: Any, *, omit: frozenset[str] = frozenset()) -> dict[str, Any]:
    """One item as a TOML table: fields in model order, defaults left out, unknown keys last."""
    table: dict[str, Any] = {}
    for field in dataclasses.fields(item):
        if field.name == "extra" or field.name in omit:
            continue
        value = getattr(item, field.name)
        if value is None or _is_default(field, value):
            continue
        table[field.name] = _encode_value(value)
    table.update(item.extra)
    return table


def _by_date_then_id(item: Event | Demand) -> tuple[tuple[int, ...], str]:
    return (item.date.sort_key(), item.id)


def encode(case: Case) -> dict[str, Any]:
    """The whole case as a TOML-shaped dict, in the canonical order that keeps diffs small."""
    extra = dict(case.extra)
    case_table = encode_item(_CaseHeader(**{name: getattr(case, name) for name in _CASE_TABLE_FIELDS}))
    case_table.update(extra.pop("case", {}))
    document: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    if case.retired_ids:
        document["retired_ids"] = list(case.retired_ids)
    document["case"] = case_table
    sort_keys: Mapping[str, Callable[[Any], Any] | None] = {
        "signatories": None,
        "concerns": None,
        "events": _by_date_then_id,
        "demands": _by_date_then_id,
    }
    for name, sort_key in sort_keys.items():
        items = getattr(case, name)
        if sort_key is not None:
            items = sorted(items, key=sort_key)
        if items:
            document[name] = [encode_item(item) for item in items]
    for name in SIGN_OFF_ARRAYS:
        if getattr(case, name):
            document[name] = [encode_item(item) for item in getattr(case, name)]
    document.update(extra)
    return document


def _case_header_class() -> type:
    """A dataclass of the fields kept in the ``[case]`` table, made from Case itself."""
    hints = type_hints(Case)
    specs = []
    for field in dataclasses.fields(Case):
        if field.name in _CASE_TABLE_FIELDS or field.name == "extra":
            spec = (
                dataclasses.field(default_factory=field.default_factory)
                if field.default_factory is not dataclasses.MISSING
                else dataclasses.field(default=field.default)
            )
            specs.append((field.name, hints[field.name], spec))
    return dataclasses.make_dataclass("CaseHeader", specs, frozen=True, kw_only=True)


_CaseHeader = _case_header_class()
