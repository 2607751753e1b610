"""The fast path of decoding: converters worked out once per type hint, and decoders generated per class.

A case with 10,000 events has about 100,000 values to check. :mod:`casefile.case.codec` finds out
what to do with each value from its type hint every time; the converters here are worked out once
per type hint and only recognise values that are already right. A converter returns :data:`BAD`
for anything else, and the item is then decoded again by the codec, which reports the problem
with its place: the fast path never decides what is wrong, only what is right.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import types
import typing
from collections.abc import Callable, Mapping
from enum import Enum
from typing import Any

from casefile.case.dates import EdtfDate, parse_date
from casefile.case.model import EMPTY
from casefile.errors import InvalidDate


@functools.cache
def type_hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


BAD: Any = object()


def _is_str(value: Any) -> Any:
    return value if type(value) is str else BAD


def _is_bool(value: Any) -> Any:
    return value if type(value) is bool else BAD


def _is_int(value: Any) -> Any:
    return value if type(value) is int else BAD


def _never(value: Any) -> Any:
    return BAD


@functools.lru_cache(maxsize=8192)
def parsed_date(text: str) -> EdtfDate:
    """:func:`parse_date`, once per text: dates repeat across items, and items may share one."""
    return parse_date(text)


def _edtf(value: Any) -> Any:
    if type(value) is str:
        text = value
    elif type(value) is datetime.date:
        text = value.isoformat()
    else:
        return BAD
    try:
        return parsed_date(text)
    except InvalidDate:
        return BAD


def _enum_converter(hint: type[Enum]) -> Callable[[Any], Any]:
    members = {member.value: member for member in hint if type(member.value) is str}

    def convert(value: Any) -> Any:
        return members.get(value, BAD) if type(value) is str else BAD

    return convert


def _tuple_converter(item_hint: Any) -> Callable[[Any], Any]:
    if item_hint is str:

        def strings(value: Any) -> Any:
            if type(value) is not list:
                return BAD
            for item in value:
                if type(item) is not str:
                    return BAD
            return tuple(value)

        return strings
    convert_item = _converter(item_hint)

    def items(value: Any) -> Any:
        if type(value) is not list:
            return BAD
        converted = []
        for item in value:
            result = convert_item(item)
            if result is BAD:
                return BAD
            converted.append(result)
        return tuple(converted)

    return items


def _table_converter(cls: type) -> Callable[[Any], Any]:
    def table(value: Any) -> Any:
        return fast_item(cls, value) if type(value) is dict else BAD

    return table


def field_kind(hint: Any) -> tuple[str, Any]:
    """What a model field holds, from its type hint (``X | None`` read as ``X``).

    One of ("date", EdtfDate), ("enum", the enum), ("strings", str) for a tuple of texts,
    ("items", the class) for a tuple of tables, ("item", the class) for one table, and
    ("plain", the type) for anything else: texts, numbers, flags.
    """
    if typing.get_origin(hint) in (types.UnionType, typing.Union):
        (hint,) = [arg for arg in typing.get_args(hint) if arg is not type(None)]
    if hint is EdtfDate:
        return "date", EdtfDate
    if isinstance(hint, type) and issubclass(hint, Enum):
        return "enum", hint
    if typing.get_origin(hint) is tuple:
        item = typing.get_args(hint)[0]
        if item is str:
            return "strings", str
        if dataclasses.is_dataclass(item) and isinstance(item, type):
            return "items", item
    elif dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return "item", hint
    return "plain", hint


@functools.cache
def _converter(hint: Any) -> Callable[[Any], Any]:
    """A function that returns the decoded value when ``value`` is right for ``hint``, else BAD."""
    kind, about = field_kind(hint)
    if kind in ("strings", "items"):
        return _tuple_converter(about)
    if kind == "date":
        return _edtf
    if kind == "enum":
        return _enum_converter(about)
    if kind == "item":
        return _table_converter(about)
    # Anything else the model used would be refused here, and the generic path raises the TypeError.
    return {str: _is_str, bool: _is_bool, int: _is_int}.get(about, _never)


@functools.cache
def _plan(cls: type) -> tuple[dict[str, Callable[[Any], Any]], frozenset[str], frozenset[str]]:
    """For one dataclass: a converter per field, the required fields, and every field name."""
    hints = type_hints(cls)
    fields = [field for field in dataclasses.fields(cls) if field.name != "extra"]
    converters = {field.name: _converter(hints[field.name]) for field in fields}
    required = frozenset(field.name for field in fields if field.default is dataclasses.MISSING)
    known = frozenset(field.name for field in dataclasses.fields(cls))
    return converters, required, known


def fast_item(cls: type, table: Mapping[str, Any]) -> Any:
    """The item :func:`_decode_item_slowly` would build from ``table``, or BAD if it has a problem."""
    converters, required, known = _plan(cls)
    kwargs: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in table.items():
        convert = converters.get(key)
        if convert is None:
            if key not in known:  # a key named "extra" is neither a field nor kept
                extra[key] = value
            continue
        result = convert(value)
        if result is BAD:
            return BAD
        kwargs[key] = result
    if not required.issubset(kwargs):
        return BAD
    return cls(**kwargs, extra=extra or EMPTY)


_MISSING: Any = object()


@functools.cache
def fast_decoder(cls: type) -> Callable[[Any], Any]:
    """A function that decodes a table of ``cls`` whose keys are all fields, written for ``cls``.

    A 10,000-event case has about 30,000 items to build. A loop over each table's keys that
    looks up a converter per key costs about three times what straight-line code does, so the
    code is generated once per class, as :mod:`dataclasses` generates ``__init__``: one
    ``get`` and one type test per field, then the constructor. Tables with unknown keys go to
    :func:`fast_item`. Used for arrays of at least :data:`GENERATE_FROM` tables.
    """
    converters, required, _ = _plan(cls)
    hints = type_hints(cls)
    fields = [field for field in dataclasses.fields(cls) if field.name != "extra"]
    namespace: dict[str, Any] = {
        "BAD": BAD,
        "_MISSING": _MISSING,
        "EMPTY": EMPTY,
        "cls": cls,
        "field_names": frozenset(field.name for field in fields),
        "with_extra": functools.partial(fast_item, cls),
    }
    simple: dict[Callable[[Any], Any], str] = {_is_str: "str", _is_int: "int", _is_bool: "bool"}
    lines = ["def decode(table):", "    if not table.keys() <= field_names:", "        return with_extra(table)"]
    for number, field in enumerate(fields):
        value, convert = f"v{number}", converters[field.name]
        lines.append(f"    {value} = table.get({field.name!r}, _MISSING)")
        if field.name in required:
            lines.append(f"    if {value} is _MISSING:")
            lines.append("        return BAD")
        elif field.default is not dataclasses.MISSING:
            namespace[f"default{number}"] = field.default
            lines.append(f"    if {value} is _MISSING:")
            lines.append(f"        {value} = default{number}")
        else:
            namespace[f"default{number}"] = field.default_factory
            lines.append(f"    if {value} is _MISSING:")
            lines.append(f"        {value} = default{number}()")
        type_name = simple.get(convert)
        if type_name is not None:
            lines.append(f"    elif type({value}) is not {type_name}:")
            lines.append("        return BAD")
        else:
            lines.append("    else:")
            lines.extend(_conversion(value, hints[field.name], convert, f"convert{number}", namespace))
    if hasattr(cls, "__post_init__") or not hasattr(cls, "__slots__"):
        arguments = ", ".join(f"{field.name}=v{number}" for number, field in enumerate(fields))
        lines.append(f"    return cls({arguments}, extra=EMPTY)")
    else:
        # What the frozen dataclass's __init__ does (it sets each slot with object.__setattr__),
        # at half the cost: the slots' own setters, called directly.
        namespace["new"] = object.__new__
        lines.append("    item = new(cls)")
        for number, field in enumerate(fields):
            namespace[f"set{number}"] = vars(cls)[field.name].__set__
            lines.append(f"    set{number}(item, v{number})")
        namespace["set_extra"] = vars(cls)["extra"].__set__
        lines.append("    set_extra(item, EMPTY)")
        lines.append("    return item")
    exec("\n".join(lines), namespace)  # our own code, made from the model's fields
    decode: Callable[[Any], Any] = namespace["decode"]
    return decode


def _conversion(
    value: str, hint: Any, convert: Callable[[Any], Any], name: str, namespace: dict[str, Any]
) -> list[str]:
    """Lines of a generated decoder that convert the variable ``value`` to ``hint`` (or return BAD).

    Tuples of strings or of tables, the values events have several of, are converted in line;
    anything else calls its converter, put in ``namespace`` as ``name``.
    """
    kind, about = field_kind(hint)
    if kind == "strings":
        return [
            f"        if type({value}) is not list:",
            "            return BAD",
            f"        for item in {value}:",
            "            if type(item) is not str:",
            "                return BAD",
            f"        {value} = tuple({value})",
        ]
    if kind == "items":
        namespace[name] = fast_decoder(about)
        return [
            f"        if type({value}) is not list:",
            "            return BAD",
            "        items = []",
            f"        for item in {value}:",
            "            if type(item) is not dict:",
            "                return BAD",
            f"            item = {name}(item)",
            "            if item is BAD:",
            "                return BAD",
            "            items.append(item)",
            f"        {value} = tuple(items)",
        ]
    namespace[name] = convert
    return [f"        {value} = {name}({value})", f"        if {value} is BAD:", "            return BAD"]
