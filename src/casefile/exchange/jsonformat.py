"""The whole case as JSON: a documented, versioned format that ``casefile import`` reads back.

The layout follows the case file's (see :mod:`casefile.case.codec`), with every field present::

    {
      "format": "casefile-case",     always this text
      "version": 1,                  the version of this format (not of the TOML schema)
      "includes_private": false,     whether private fields were exported (--include-private)
      "redacted": false,             whether people's names were removed (--redact)
      "case": {...},                 the case's own fields (the [case] table)
      "signatories": [...],          in the case's order (the letter's order)
      "concerns": [...],             likewise
      "events": [...],               by date, then id
      "demands": [...],              by date, then id
      "approvals": [...], "approved_texts": [...],   sign-off records
      "retired_ids": [...]
    }

Dates are the EDTF text the user typed; a missing optional value is ``null``; keys casefile
does not know (kept from the case file) appear beside the known ones. The same case always
gives the same bytes: there is no export time, keys keep the model's order. Keys may be added
in a later version 1 file, never removed or renamed; anything else raises the version. The
JSON Schema is ``case.schema.json`` beside this module (``casefile export --format json-schema``).
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from casefile.case.model import Case, Demand, Event
from casefile.case.views import plain
from casefile.errors import ImportRejected
from casefile.i18n import _

FORMAT_NAME = "casefile-case"
FORMAT_VERSION = 1
SCHEMA_FILE = "case.schema.json"
_META_KEYS = ("format", "version", "includes_private", "redacted")


@dataclass(frozen=True, slots=True)
class ImportedCase:
    """A case read from a JSON export, and what its export left out."""

    case: Case
    includes_private: bool
    redacted: bool


def _outside_case_table() -> tuple[str, ...]:
    """The case's lists kept beside ``case`` rather than in it, in the case file's order."""
    from casefile.case import codec

    return (*codec.ARRAYS, *codec.SIGN_OFF_ARRAYS, "retired_ids")


def _by_date_then_id(item: Event | Demand) -> tuple[tuple[int, ...], str]:
    return (item.date.sort_key(), item.id)


def case_document(case: Case, *, includes_private: bool, redacted: bool, streamed: bool = False) -> dict[str, Any]:
    """The JSON-ready document for ``case``, which must already have been through ``public_case``.

    ``streamed``: each list of items is an iterator that makes each item's dict as it is read (for
    :func:`dump_pieces`), so a large case's items are never all held as dicts at once.
    """
    outside = _outside_case_table()
    header = {
        field.name: plain(getattr(case, field.name))
        for field in dataclasses.fields(case)
        if field.name not in outside and field.name != "extra"
    }
    header.update(case.extra.get("case", {}))
    document: dict[str, Any] = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "includes_private": includes_private,
        "redacted": redacted,
        "case": header,
    }
    for name in outside:
        values = getattr(case, name)
        if name in ("events", "demands"):
            values = sorted(values, key=_by_date_then_id)
        document[name] = map(plain, values) if streamed else [plain(value) for value in values]
    for key, value in case.extra.items():
        if key != "case" and key not in document:
            document[key] = value
    return document


def _default(value: Any) -> Any:
    # Unknown keys kept from the case file may hold TOML dates and times.
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def dumps(document: Mapping[str, Any]) -> str:
    """JSON text: two-space indents, non-ASCII kept readable, a final newline."""
    return json.dumps(document, ensure_ascii=False, indent=2, default=_default) + "\n"


def dump_pieces(document: Mapping[str, Any]) -> Iterator[str]:
    """:func:`dumps` of ``document`` in pieces, the same text; a value that is an iterator is
    written item by item, each item made only when it is written."""
    yield "{"
    first = True
    for key, value in document.items():
        yield ("\n  " if first else ",\n  ") + json.dumps(key, ensure_ascii=False) + ": "
        first = False
        if isinstance(value, Iterator):
            empty = True
            for item in value:
                yield ("[\n    " if empty else ",\n    ") + _indented(item, "\n    ")
                empty = False
            yield "[]" if empty else "\n  ]"
        else:
            yield _indented(value, "\n  ")
    yield "}\n" if first else "\n}\n"


def _indented(value: Any, newline: str) -> str:
    # JSON text holds no raw line break inside a string: each one starts a line to indent.
    return json.dumps(value, ensure_ascii=False, indent=2, default=_default).replace("\n", newline)


def export_json(case: Case, *, includes_private: bool, redacted: bool) -> str:
    """The JSON export of a case that has already been through ``public_case``."""
    return "".join(export_json_pieces(case, includes_private=includes_private, redacted=redacted))


def export_json_pieces(case: Case, *, includes_private: bool, redacted: bool) -> Iterator[str]:
    """:func:`export_json` in pieces: a large case's items are never all held as dicts, nor its text joined."""
    return dump_pieces(case_document(case, includes_private=includes_private, redacted=redacted, streamed=True))


def schema_text() -> str:
    """The JSON Schema of the export format, as shipped with casefile."""
    return (resources.files("casefile.exchange") / SCHEMA_FILE).read_text(encoding="utf-8")


def _without_nulls(value: Any) -> Any:
    """A case file leaves a missing value out where JSON writes null."""
    if isinstance(value, dict):
        return {key: _without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_without_nulls(item) for item in value if item is not None]
    return value


#: JSON's escape of half a UTF-16 surrogate pair (``\\ud800``): the cheap sign that a text may hold one.
SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")


def refuse_lone_surrogates(value: Any, source: str) -> None:
    """Refuse text holding half of a surrogate pair alone: JSON can write it, but it is no character,
    and no UTF-8 file (the case file) can keep it.

    Raises:
        ImportRejected: naming the escape.
    """
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            stack.extend(current.values())
            stack.extend(current.keys())
        elif isinstance(current, list):
            stack.extend(current)
        elif isinstance(current, str) and (found := _SURROGATE.search(current)):
            raise ImportRejected(
                _(
                    "{source}: a text holds \\u{code}, half of a UTF-16 surrogate pair without its other half: "
                    "it is no character, and a case file cannot keep it. Nothing was written."
                ).format(source=source, code=f"{ord(found.group()):04x}")
            )


def _flag(document: Mapping[str, Any], key: str) -> bool:
    value = document.get(key, False)
    return value if isinstance(value, bool) else False


def import_json(data: bytes | str, *, source: str) -> ImportedCase:
    """Read a case from a JSON export (UTF-8); every problem is reported with its place.

    Raises:
        ImportRejected: the text is not a casefile JSON export this version can read.
        CaseFileInvalid: the export holds values a case cannot hold (each with its place).
    """
    from casefile.case.codec import decode
    from casefile.case.migrations import SCHEMA_VERSION
    from casefile.storage.limits import check_nesting, parsing, utf8_text

    if isinstance(data, bytes):
        data = utf8_text(data, source, error=ImportRejected, bom=True)
    try:
        with parsing(source, error=ImportRejected):
            document = json.loads(data)
    except json.JSONDecodeError as error:
        raise ImportRejected(
            _("{source}: not valid JSON: {msg} (line {lineno}, column {colno}).").format(
                source=source, msg=error.msg, lineno=error.lineno, colno=error.colno
            )
        ) from None
    check_nesting(document, source, error=ImportRejected)
    if SURROGATE_ESCAPE.search(data):
        refuse_lone_surrogates(document, source)
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise ImportRejected(
            _(
                '{source} is not a casefile JSON export: it needs "format": "{format_name}". Make one '
                "with `casefile export --format json`."
            ).format(source=source, format_name=FORMAT_NAME)
        )
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ImportRejected(
            _('{source}: "version" should be a whole number from 1, not {version!r}.').format(
                source=source, version=version
            )
        )
    if version > FORMAT_VERSION:
        raise ImportRejected(
            _(
                "{source} was written by a newer casefile (JSON format version {version}; this casefile "
                "reads version {format_version}). Upgrade casefile to import it."
            ).format(source=source, version=version, format_version=FORMAT_VERSION)
        )
    toml_document: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    for key, value in document.items():
        if key not in _META_KEYS and key not in toml_document:
            toml_document[key] = _without_nulls(value)
    case = decode(toml_document, path=source)
    return ImportedCase(
        case=case,
        includes_private=_flag(document, "includes_private"),
        redacted=_flag(document, "redacted"),
    )
