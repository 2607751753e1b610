"""Validated items as rows: the compact form the parse cache keeps events and demands in.

Read from the file, an item is a table (a dict), and so is each of its sources: marshal builds
30,000 dicts for 10,000 events, and the decoder then looks every field up in each. The cache
keeps each item as a row instead: a tuple of its fields' TOML values in the model's order,
None where the table had no such key, then its unknown keys (or None). Reading rows back costs
about a third less than reading tables and decoding them.

Rows are only ever made from tables that were validated, by a casefile with the same code (the
cache is keyed by it), so reading them back checks only what is cheap to check: the shape of
each row and the type of each text, number and flag. A row that does not fit raises
:class:`BadRow`, and the caller then treats the cache as stale.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import sys
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from casefile.case.codec import ARRAYS, GENERATE_FROM
from casefile.case.fastdecode import field_kind, parsed_date
from casefile.case.model import EMPTY


class BadRow(ValueError):
    """A cached row that does not fit the model: the cache is stale or damaged."""


def rows_of(name: str, tables: Sequence[Mapping[str, Any]]) -> list[tuple[Any, ...]]:
    """The rows of the valid tables of the array ``name``."""
    make = _row_maker(ARRAYS[name])
    return [make(table) for table in tables]


def items_from_rows(name: str, rows: Sequence[Sequence[Any]]) -> list[Any]:
    """The items of the array ``name`` that ``rows`` hold.

    Raises:
        BadRow: a row does not fit the model.
    """
    cls = ARRAYS[name]
    try:
        # Generating code pays only for many rows, as in codec (see GENERATE_FROM).
        build = _item_builder(cls) if len(rows) >= GENERATE_FROM else functools.partial(_build_item, cls)
        return list(map(build, rows))
    except Exception as error:  # whatever damage did to a row, the file is read instead
        raise BadRow(f"a cached {name} row does not fit: {error}") from None


@functools.cache
def _fields(cls: type) -> list[tuple[dataclasses.Field[Any], str, Any]]:
    """Each field but ``extra``, what it holds, and its class, type or enum members."""
    if hasattr(cls, "__post_init__") or not hasattr(cls, "__slots__"):
        # Items are made from rows without __init__: nothing may need to run when one is made.
        raise TypeError(f"{cls.__name__} must be a slotted dataclass without __post_init__ to be kept as rows")
    hints = typing.get_type_hints(cls)
    fields = []
    for field in dataclasses.fields(cls):
        if field.name != "extra":
            kind, about = field_kind(hints[field.name])
            fields.append((field, kind, {member.value: member for member in about} if kind == "enum" else about))
    return fields


def _build_item(cls: type, row: Sequence[Any]) -> Any:
    """The item ``row`` holds, field by field: :func:`_item_builder` without generating code."""
    fields = _fields(cls)
    *values, extra = row
    if len(values) != len(fields):
        raise ValueError(f"a {cls.__name__} row has {len(values)} fields, not {len(fields)}")
    item: Any = object.__new__(cls)
    for (field, kind, about), stored in zip(fields, values, strict=True):
        vars(cls)[field.name].__set__(item, _field_value(field, kind, about, stored))
    if extra is not None and type(extra) is not dict:
        raise ValueError("extra is not a table")
    vars(cls)["extra"].__set__(item, extra or EMPTY)
    return item


def _field_value(field: dataclasses.Field[Any], kind: str, about: Any, stored: Any) -> Any:
    if stored is None:
        if field.default is not dataclasses.MISSING:
            return field.default
        if field.default_factory is not dataclasses.MISSING:
            return field.default_factory()
        raise ValueError(f"{field.name} is missing")
    if kind == "date":
        return parsed_date(stored)
    if kind == "enum":
        return about[stored]
    if kind == "strings":
        if type(stored) is not list and type(stored) is not tuple:
            raise ValueError(f"{field.name} is not a list")
        return tuple(stored)
    if kind == "items":
        return tuple(_build_item(about, inner) for inner in stored)
    if kind == "item":
        return _build_item(about, stored)
    if type(stored) is not about:
        raise ValueError(f"{field.name} has the wrong type")
    return stored


@functools.cache
def _row_maker(cls: type) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    fields = _fields(cls)
    names = frozenset(field.name for field, _, _ in fields) | {"extra"}  # a key named extra is not kept

    def row(table: Mapping[str, Any]) -> tuple[Any, ...]:
        values: list[Any] = []
        for field, kind, inner in fields:
            value = table.get(field.name)
            if value is not None:
                # Dates, tags and references repeat from item to item: interned, marshal writes
                # each text once and reads it back as one object.
                if kind == "date":
                    value = sys.intern(value.isoformat() if isinstance(value, datetime.date) else value)
                elif kind == "items":
                    value = [_row_maker(inner)(item) for item in value]
                elif kind == "item":
                    value = _row_maker(inner)(value)
                elif kind == "strings":
                    value = [sys.intern(text) if type(text) is str else text for text in value]
            values.append(value)
        extra = {key: value for key, value in table.items() if key not in names}
        values.append(extra or None)
        return tuple(values)

    return row


@functools.cache
def _item_builder(cls: type) -> Callable[[Sequence[Any]], Any]:
    """A function that builds a ``cls`` from its row, generated for ``cls`` like codec's decoders."""
    fields = _fields(cls)
    namespace: dict[str, Any] = {"cls": cls, "new": object.__new__, "EMPTY": EMPTY, "parsed_date": parsed_date}
    unpack = ", ".join([*(f"v{number}" for number in range(len(fields))), "extra"])
    lines = ["def build(row):", f"    {unpack}, = row", "    item = new(cls)"]
    for number, (field, kind, inner) in enumerate(fields):
        value = f"v{number}"
        if kind == "date":
            converted = f"parsed_date({value})"
        elif kind == "enum":
            namespace[f"members{number}"] = inner
            converted = f"members{number}[{value}]"
        elif kind == "strings":
            lines.append(f"    if {value} is not None and type({value}) is not list and type({value}) is not tuple:")
            lines.append(f"        raise ValueError('{field.name} is not a list')")
            converted = f"tuple({value})"
        elif kind == "items":
            namespace[f"build{number}"] = _item_builder(inner)
            converted = f"tuple(map(build{number}, {value}))"
        elif kind == "item":
            namespace[f"build{number}"] = _item_builder(inner)
            converted = f"build{number}({value})"
        else:
            namespace[f"type{number}"] = inner
            lines.append(f"    if {value} is not None and type({value}) is not type{number}:")
            lines.append(f"        raise ValueError('{field.name} has the wrong type')")
            converted = value
        if field.default is not dataclasses.MISSING:
            namespace[f"default{number}"] = field.default
            converted = f"default{number} if {value} is None else {converted}"
        elif field.default_factory is not dataclasses.MISSING:
            namespace[f"default{number}"] = field.default_factory
            converted = f"default{number}() if {value} is None else {converted}"
        else:
            lines.append(f"    if {value} is None:")
            lines.append(f"        raise ValueError('{field.name} is missing')")
        namespace[f"set{number}"] = vars(cls)[field.name].__set__
        lines.append(f"    set{number}(item, {converted})")
    namespace["set_extra"] = vars(cls)["extra"].__set__
    lines.append("    if extra is not None and type(extra) is not dict:")
    lines.append("        raise ValueError('extra is not a table')")
    lines.append("    set_extra(item, extra or EMPTY)")
    lines.append("    return item")
    exec("\n".join(lines), namespace)  # our own code, made from the model's fields
    build: Callable[[Sequence[Any]], Any] = namespace["build"]
    return build
