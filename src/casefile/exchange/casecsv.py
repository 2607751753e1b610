"""The whole case as one CSV sheet, and back: one row per record, its ``record`` column saying what it is.

A spreadsheet user filters by ``record``: the ``case`` row (the case's own fields), then
``signatory``, ``concern``, ``event`` and ``demand`` rows, each item followed by the rows of its
parts: an event's ``source`` rows (URL, title, publisher, date, archived copy, accessed),
``affected`` and ``attachment`` rows, a demand's ``response`` and ``reminder`` rows, the case's
``stage`` rows. Part rows name their item in the ``item`` column. Sign-off records (``approval``,
``approved_text``), ``retired_id`` rows and keys casefile does not know (``other``) come last, so
nothing the JSON export holds is lost: the sheet is the JSON export laid out in rows, and
``import`` reads it back into the same case (their JSON exports are equal).

Cells: lists of names are joined with ``"; "`` (written as a JSON array instead when an entry
holds a ``;``); an empty cell is an empty text, an empty list, or no value for a date; values of
keys casefile does not know are JSON. A cell a spreadsheet would run as a formula gets a leading
``'``, which import removes again (see :mod:`casefile.exchange.csvformat`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from casefile.errors import ImportRejected
from casefile.i18n import _

#: The kinds of part row, by the name of the list that holds them.
PARTS = {
    "sources": "source",
    "affected": "affected",
    "attachments": "attachment",
    "responses": "response",
    "reminders": "reminder",
    "stages": "stage",
}
#: Top-level lists of the JSON export, by the kind of their rows.
LISTS = {
    "signatory": "signatories",
    "concern": "concerns",
    "event": "events",
    "demand": "demands",
    "approval": "approvals",
    "approved_text": "approved_texts",
}
_DEFS = {"stage": "stage_record"}
_SEPARATOR = "; "


@cache
def _schema() -> dict[str, Any]:
    return dict(json.loads((Path(__file__).parent / "case.schema.json").read_text(encoding="utf-8")))


def _types(prop: Mapping[str, Any]) -> frozenset[str]:
    """The JSON types a schema property allows ("string", "null", "array"...)."""
    defs = _schema()["$defs"]
    if "$ref" in prop:
        return _types(defs[prop["$ref"].rsplit("/", 1)[-1]])
    found: set[str] = set()
    if "type" in prop:
        found |= set(prop["type"] if isinstance(prop["type"], list) else [prop["type"]])
    for key in ("anyOf", "oneOf"):
        for option in prop.get(key, []):
            found |= _types(option)
    for value in [*prop.get("enum", []), *([prop["const"]] if "const" in prop else [])]:
        found.add("null" if value is None else "string" if isinstance(value, str) else "other")
    return frozenset(found)


def _fields(kind: str) -> dict[str, frozenset[str]]:
    """The fields of a kind of row and their JSON types, in the schema's order."""
    definition = _schema()["$defs"].get(_DEFS.get(kind, kind), {})  # none: values written as JSON
    return {name: _types(prop) for name, prop in definition.get("properties", {}).items()}


# --- writing -----------------------------------------------------------------------------------


def _list_cell(values: list[Any]) -> str:
    plain = all(isinstance(value, str) and value and ";" not in value and value == value.strip() for value in values)
    if plain and not (values and values[0].startswith("[")):
        return _SEPARATOR.join(values)
    return json.dumps(values, ensure_ascii=False)


def _cell(value: Any, types: frozenset[str] | None) -> str:
    if types is None:  # a key casefile does not know: its value as JSON
        return json.dumps(value, ensure_ascii=False, default=str)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return _list_cell(value)
    return str(value)


def _record_rows(kind: str, item: str, record: Mapping[str, Any]) -> Iterator[dict[str, str]]:
    """The row of one record, then the rows of its parts."""
    fields = _fields(kind)
    row = {"record": kind, "item": item}
    parts: list[tuple[str, list[Any]]] = []
    for key, value in record.items():
        if key in PARTS and isinstance(value, list) and "array" in fields.get(key, frozenset()):
            parts.append((key, value))
        elif isinstance(value, dict) and "object" in fields.get(key, frozenset()):
            for inner_key, inner in value.items():
                row[f"{key}.{inner_key}"] = _cell(inner, _fields(key).get(inner_key))
        elif isinstance(value, dict) or (value is None and "object" in fields.get(key, frozenset())):
            if value is not None:
                row[key] = _cell(value, None)
        else:
            row[key] = _cell(value, fields.get(key))
    yield row
    owner = record.get("id", "") or item
    for key, values in parts:
        for value in values:
            yield from _record_rows(PARTS[key], owner, value)


def document_rows(document: Mapping[str, Any]) -> list[dict[str, str]]:
    """The JSON export's document as rows (see the module's description)."""
    header = {key: document[key] for key in ("includes_private", "redacted")}
    rows = list(_record_rows("case", "", {**header, **document["case"]}))
    for kind, name in LISTS.items():
        for record in document.get(name, []):
            rows.extend(_record_rows(kind, "", record))
    rows.extend({"record": "retired_id", "item": "", "id": value} for value in document.get("retired_ids", []))
    known = {"format", "version", "includes_private", "redacted", "case", "retired_ids", *LISTS.values()}
    rows.extend(
        {"record": "other", "item": key, "value": json.dumps(value, ensure_ascii=False, default=str)}
        for key, value in document.items()
        if key not in known
    )
    return rows


def export_case_csv(document: Mapping[str, Any]) -> str:
    """The whole case as one CSV sheet, from the JSON export's document."""
    import csv
    import io

    from casefile.exchange.csvformat import neutralise

    rows = document_rows(document)
    columns = list(dict.fromkeys(["record", "item", "id", *(column for row in rows for column in row)]))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([neutralise(row.get(column, "")) for column in columns] for row in rows)
    return buffer.getvalue()


# --- reading -----------------------------------------------------------------------------------


def _json_cell(cell: str, where: str) -> Any:
    """A cell holding JSON, read (ValueError if it does not)."""
    from casefile.exchange.jsonformat import SURROGATE_ESCAPE, refuse_lone_surrogates

    value = json.loads(cell)
    if SURROGATE_ESCAPE.search(cell):
        refuse_lone_surrogates(value, where)
    return value


def _value(cell: str, types: frozenset[str] | None, where: str) -> Any:
    if types is None:
        try:
            return _json_cell(cell, where)
        except ValueError:
            raise ImportRejected(
                _("{where}: {cell!r} is not JSON (a column casefile does not know).").format(
                    where=where, cell=cell[:40]
                )
            ) from None
    if "array" in types:
        if cell.startswith("["):
            try:
                values = _json_cell(cell, where)
            except ValueError:
                values = None
            if isinstance(values, list):
                return values
        return [part.strip() for part in cell.split(";") if part.strip()]
    if cell == "" and "null" in types:
        return None
    if "boolean" in types and cell.lower() in ("true", "false"):
        return cell.lower() == "true"
    if "integer" in types and cell.lstrip("-").isdigit():
        return int(cell)
    return cell


def _record(kind: str, cells: Mapping[str, str], where: str) -> dict[str, Any]:
    fields = _fields(kind)
    record: dict[str, Any] = {}
    nested: dict[str, dict[str, Any]] = {}
    for name, types in fields.items():
        if name in PARTS and "array" in types:
            record[name] = []
        elif "object" in types:
            inner = {key.split(".", 1)[1]: cell for key, cell in cells.items() if key.startswith(f"{name}.")}
            known = _fields(name)
            if any(inner.values()) or "null" not in types:
                nested[name] = {
                    key: _value(cell, known.get(key), where)
                    for key, cell in inner.items()
                    if key in known or cell  # an unknown key with no cell was not there
                }
                record[name] = nested[name]
            else:
                record[name] = None
        else:
            record[name] = _value(cells.get(name, ""), types, where)
    for key, cell in cells.items():
        nested_field = key.split(".", 1)[0] if "." in key else ""
        if key in ("record", "item") or key in fields or not cell or "object" in fields.get(nested_field, ()):
            continue
        record[key] = _value(cell, None, where)  # a key casefile does not know
    return record


def document_from_csv(data: bytes, *, source: str) -> dict[str, Any]:
    """The JSON export's document that a whole-case sheet holds.

    Raises:
        ImportRejected: not such a sheet, or a row that does not fit it.
    """
    from casefile.exchange.csvformat import csv_records, restore
    from casefile.exchange.jsonformat import FORMAT_NAME, FORMAT_VERSION
    from casefile.storage.limits import utf8_text

    text = utf8_text(data, source, error=ImportRejected, bom=True)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    records = csv_records(text, delimiter, source=source)
    if not records or [cell.strip().lower() for cell in records[0][:2]] != ["record", "item"]:
        raise ImportRejected(
            _("{source} is not a whole-case sheet (its first columns are not record, item).").format(source=source)
        )
    headers = records[0]  # as written: a key casefile does not know may end with a space
    document: dict[str, Any] = {"format": FORMAT_NAME, "version": FORMAT_VERSION}
    by_id: dict[str, dict[str, Any]] = {}
    for number, values in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in values):
            continue
        cells = {name: restore(cell) for name, cell in zip(headers, values, strict=False) if name}
        kind, item, where = (
            cells.get("record", ""),
            cells.get("item", ""),
            _("{source}: row {number}").format(source=source, number=number),
        )
        if kind == "case":
            record = _record("case", cells, where)
            document["includes_private"] = bool(record.pop("includes_private", False))
            document["redacted"] = bool(record.pop("redacted", False))
            document["case"] = record
            by_id[""] = record
        elif kind in LISTS:
            record = _record(kind, cells, where)
            document.setdefault(LISTS[kind], []).append(record)
            if "id" in record:
                by_id[record["id"]] = record
        elif kind in PARTS.values():
            owner = by_id.get(item)
            list_name = next(name for name, part in PARTS.items() if part == kind)
            if owner is None or list_name not in owner:
                raise ImportRejected(
                    _("{where}: a {kind} row must follow the item it belongs to ({item!r}).").format(
                        where=where, kind=kind, item=item
                    )
                )
            owner[list_name].append(_record(kind, cells, where))
        elif kind == "retired_id":
            document.setdefault("retired_ids", []).append(cells.get("id", ""))
        elif kind == "other":
            document[item] = _value(cells.get("value", ""), None, where)
        else:
            raise ImportRejected(_("{where}: unknown record {kind!r}.").format(where=where, kind=kind))
    if "case" not in document:
        raise ImportRejected(_("{source} has no case row (record = case).").format(source=source))
    for name in (*LISTS.values(), "retired_ids"):
        document.setdefault(name, [])
    return document
