"""The fast path of decoding: converters worked out once per type hint, and decoders generated per class.

:mod:`casefile.case.codec` finds out what to do with each value from its type hint every time (a
10,000-event case has about 100,000 values). The converters here are worked out once per hint
and only recognise values that are already right: anything else gives :data:`BAD`, and the codec
decodes that item again field by field, reporting the problem with its place. The fast path never
decides what is wrong, only what is right.
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

BAD: Any = object()
Converter = Callable[[Any], Any]


@functools.cache
def type_hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


@functools.lru_cache(maxsize=8192)
def parsed_date(text: str) -> EdtfDate:
    """:func:`parse_date`, once per text: dates repeat across items, and items may share one."""
    return parse_date(text)


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


def _date(value: Any) -> Any:
    text = value if type(value) is str else value.isoformat() if type(value) is datetime.date else None
    try:
        return BAD if text is None else parsed_date(text)
    except InvalidDate:
        return BAD


def _strings(value: Any) -> Any:
    if type(value) is not list:
        return BAD
    for item in value:
        if type(item) is not str:
            return BAD
    return tuple(value)


def _tuple_of(convert: Converter) -> Converter:
    def items(value: Any) -> Any:
        if type(value) is not list:
            return BAD
        converted = []
        for table in value:
            item = convert(table)
            if item is BAD:
                return BAD
            converted.append(item)
        return tuple(converted)

    return items


@functools.cache
def _converter(hint: Any) -> Converter:
    """A function that returns the decoded value when ``value`` is right for ``hint``, else BAD."""
    kind, about = field_kind(hint)
    if kind == "strings":
        return _strings
    if kind == "items":
        return _tuple_of(_converter(about))
    if kind == "date":
        return _date
    if kind == "enum":
        members = {member.value: member for member in about if type(member.value) is str}
        return lambda value: members.get(value, BAD) if type(value) is str else BAD
    if kind == "item":
        return functools.partial(fast_item, about)
    if about in (str, bool, int):  # anything else is refused here, and the codec raises the TypeError
        return lambda value: value if type(value) is about else BAD
    return lambda value: BAD


@functools.cache
def _fields(cls: type) -> tuple[list[dataclasses.Field[Any]], dict[str, Converter], frozenset[str]]:
    """For one dataclass: its fields but ``extra``, a converter for each, and the required ones."""
    fields = [field for field in dataclasses.fields(cls) if field.name != "extra"]
    hints = type_hints(cls)
    converters = {field.name: _converter(hints[field.name]) for field in fields}
    return fields, converters, frozenset(field.name for field in fields if field.default is dataclasses.MISSING)


def fast_item(cls: type, table: Mapping[str, Any]) -> Any:
    """The item the codec would build from ``table``, or BAD if it is not a table that is right for ``cls``."""
    if type(table) is not dict:
        return BAD
    _, converters, required = _fields(cls)
    kwargs: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in table.items():
        convert = converters.get(key)
        if convert is None:
            if key != "extra":  # a key named "extra" is neither a field nor kept
                extra[key] = value
            continue
        kwargs[key] = result = convert(value)
        if result is BAD:
            return BAD
    if not required.issubset(kwargs):
        return BAD
    return cls(**kwargs, extra=extra or EMPTY)


@functools.cache
def fast_decoder(cls: type) -> Converter:
    """:func:`fast_item` for one of the model's slotted classes, as code generated for it.

    A loop over each table's keys that looks up a converter per key costs about 1.6 times what
    straight-line code does, so the code is generated once per class (as :mod:`dataclasses`
    generates ``__init__``): one ``get`` and one test per field, then the slots' own setters (what
    the frozen class's ``__init__`` does through ``object.__setattr__``, at half the cost). Tables
    with keys that are not fields go to :func:`fast_item`. Worth it for hundreds of tables.
    """
    fields, converters, required = _fields(cls)
    hints = type_hints(cls)
    namespace: dict[str, Any] = {"BAD": BAD, "EMPTY": EMPTY, "cls": cls, "new": object.__new__}
    namespace |= {"names": frozenset(converters), "generic": functools.partial(fast_item, cls)}
    namespace["set_extra"] = vars(cls)["extra"].__set__
    lines = ["def decode(table):", "    if type(table) is not dict:", "        return BAD"]
    lines += ["    if not table.keys() <= names:", "        return generic(table)", "    item = new(cls)"]
    for number, field in enumerate(fields):
        kind, about = field_kind(hints[field.name])
        convert = _tuple_of(fast_decoder(about)) if kind == "items" else converters[field.name]
        namespace |= {f"convert{number}": convert, f"default{number}": field.default}
        namespace[f"set{number}"] = vars(cls)[field.name].__set__
        if kind == "plain" and about in (str, bool, int):
            wrong = f"type(value) is not {about.__name__}"
        else:
            wrong = f"(value := convert{number}(value)) is BAD"
        if field.name in required:
            lines += [f"    value = table.get({field.name!r}, BAD)", f"    if value is BAD or {wrong}:"]
        else:  # the default itself is right (and never one of the parsed values that need converting)
            lines += [f"    value = table.get({field.name!r}, default{number})"]
            lines += [f"    if value is not default{number} and {wrong}:"]
        lines += ["        return BAD", f"    set{number}(item, value)"]
    lines += ["    set_extra(item, EMPTY)", "    return item"]
    exec("\n".join(lines), namespace)  # our own code, made from the model's fields
    decode: Converter = namespace["decode"]
    return decode
