"""Events, demands or signatories as CSV for spreadsheets, and CSV rows read back as new items.

Export: a header row of the column names below, then one row per item; lists joined with
``"; "``. A cell a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return) gets a leading ``'``, which import removes again.

Import: columns are found by header name (case-insensitive; spaces and hyphens count as ``_``),
in any order, and only ``date`` and ``title`` (events), ``date``, ``to`` and ``subject``
(demands) or ``name`` (signatories) are needed. ``sources`` are separated by whitespace or
``;``, other lists by ``;``. Each row is checked as the matching ``add-*`` command checks its
options and gets its id by the same rules; the ``id`` column is only used to skip rows whose
item the case already has (so an exported sheet with rows added at the end imports only the
new rows). Files may be UTF-8 with or without a byte-order mark, comma-, semicolon- or
tab-separated, as spreadsheets write them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from casefile.case.model import Affected, Case, Demand, Event, Role, Signatory, SignatoryKind, Source
from casefile.errors import CasefileError, ImportRejected, InvalidValue
from casefile.exchange import Items
from casefile.i18n import _, ngettext

__all__ = ["COLUMNS", "ImportResult", "Items", "Row", "RowProblem", "export_csv", "import_rows", "read_rows"]

COLUMNS: Mapping[Items, tuple[str, ...]] = {
    Items.EVENTS: (
        "id",
        "date",
        "title",
        "description",
        "sources",
        "actors",
        "tags",
        "concerns",
        "affected",
        "public_affected",
        "private_notes",
    ),
    Items.DEMANDS: ("id", "date", "to", "subject", "text", "deadline", "channel", "by"),
    Items.SIGNATORIES: (
        "id",
        "name",
        "short_name",
        "article",
        "country",
        "kind",
        "representative",
        "representative_title",
        "email",
        "role",
    ),
}
REQUIRED: Mapping[Items, tuple[str, ...]] = {
    Items.EVENTS: ("date", "title"),
    Items.DEMANDS: ("date", "to", "subject"),
    Items.SIGNATORIES: ("name",),
}
LIST_SEPARATOR = "; "
_FORMULA_START = re.compile(r"^'*[=+\-@\t\r]")
_LIST_SPLIT = re.compile(r"\s*;\s*")
_SOURCE_SPLIT = re.compile(r"[\s;]+")


def neutralise(cell: str) -> str:
    """A cell a spreadsheet will show as text, never run as a formula."""
    return "'" + cell if _FORMULA_START.match(cell) else cell


def restore(cell: str) -> str:
    """Undo :func:`neutralise`."""
    return cell[1:] if cell.startswith("'") and _FORMULA_START.match(cell[1:]) else cell


def _joined(values: Iterable[str]) -> str:
    return LIST_SEPARATOR.join(values)


def _person(person: Affected) -> str:
    return f"{person.name}:{person.role}" if person.role else person.name


def _event_row(event: Event) -> list[str]:
    return [
        event.id,
        event.date.text,
        event.title,
        event.description,
        _joined(source.url for source in event.sources if source.url),
        _joined(event.actors),
        _joined(event.tags),
        _joined(event.concerns),
        _joined(_person(person) for person in event.affected if not person.public),
        _joined(_person(person) for person in event.affected if person.public),
        event.private_notes,
    ]


def _demand_row(demand: Demand) -> list[str]:
    return [
        demand.id,
        demand.date.text,
        demand.to,
        demand.subject,
        demand.text,
        demand.deadline.text if demand.deadline else "",
        demand.channel,
        _joined(demand.by),
    ]


def _signatory_row(signatory: Signatory) -> list[str]:
    return [
        signatory.id,
        signatory.name,
        signatory.short_name,
        signatory.article,
        signatory.country,
        signatory.kind.value,
        signatory.representative,
        signatory.representative_title,
        signatory.email,
        signatory.role.value,
    ]


def export_csv(case: Case, items: Items) -> str:
    """One kind of item as CSV text, from a case that has already been through ``public_case``."""
    import csv
    import io

    rows: list[list[str]]
    if items is Items.EVENTS:
        rows = [_event_row(e) for e in sorted(case.events, key=lambda e: (e.date.sort_key(), e.id))]
    elif items is Items.DEMANDS:
        rows = [_demand_row(d) for d in sorted(case.demands, key=lambda d: (d.date.sort_key(), d.id))]
    else:
        rows = [_signatory_row(s) for s in case.signatories]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS[items])
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return buffer.getvalue()


@dataclass(frozen=True, slots=True)
class Row:
    """One data row of a CSV file: its number as a spreadsheet shows it, and its cells by column."""

    number: int
    cells: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class RowProblem:
    """Why one row cannot be imported."""

    number: int
    reason: str

    def __str__(self) -> str:
        return _("row {number}: {reason}").format(number=self.number, reason=self.reason)


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What importing rows did: the new case, the items added, rows skipped and rows refused."""

    case: Case
    added: tuple[Event | Demand | Signatory, ...]
    already_present: tuple[Row, ...]
    problems: tuple[RowProblem, ...]


def _column_name(header: str) -> str:
    return re.sub(r"[\s-]+", "_", header.strip().lower())


def _delimiter(first_line: str) -> str:
    """The separator spreadsheets used: the one of comma, semicolon or tab the header has most of."""
    counts = {separator: first_line.count(separator) for separator in (",", ";", "\t")}
    best = max(counts, key=lambda separator: counts[separator])
    return best if counts[best] else ","


def csv_records(text: str, delimiter: str, *, source: str) -> list[list[str]]:
    """The records of CSV ``text``; a cell may be as long as the file (a letter's text, a long description).

    Raises:
        ImportRejected: the text is not CSV, with the line where it stops being so.
    """
    import csv
    import io

    from casefile.storage.limits import MAX_FILE_BYTES

    csv.field_size_limit(MAX_FILE_BYTES)  # csv's own default, 128 KiB, refuses cells casefile writes
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        return list(reader)
    except csv.Error as error:
        raise ImportRejected(
            _("{source}: line {line_num}: not CSV a spreadsheet writes: {error}.").format(
                source=source, line_num=reader.line_num, error=error
            )
        ) from None


def read_rows(data: bytes, items: Items, *, source: str) -> list[Row]:
    """The data rows of a CSV file, with cells keyed by column name.

    Raises:
        ImportRejected: not UTF-8 text, no header row, unknown, repeated or missing columns.
    """
    from casefile.storage.limits import utf8_text

    text = utf8_text(data, source, error=ImportRejected, bom=True)
    records = csv_records(text, _delimiter(text.split("\n", 1)[0]), source=source)
    if not records or not any(cell.strip() for cell in records[0]):
        raise ImportRejected(
            _("{source} has no header row. The columns are: {values}.").format(
                source=source, values=", ".join(COLUMNS[items])
            )
        )
    headers = [_column_name(cell) for cell in records[0]]
    known = COLUMNS[items]
    unknown = [records[0][index] for index, name in enumerate(headers) if name and name not in known]
    if unknown:
        raise ImportRejected(
            ngettext(
                "{source}: unknown column for {value}: {unknown}. The columns are: {known}.",
                "{source}: unknown columns for {value}: {unknown}. The columns are: {known}.",
                len(unknown),
            ).format(source=source, value=items.value, unknown=", ".join(unknown), known=", ".join(known))
        )
    repeated = sorted({name for name in headers if name and headers.count(name) > 1})
    if repeated:
        raise ImportRejected(
            ngettext(
                "{source}: column given twice: {repeated}.",
                "{source}: columns given twice: {repeated}.",
                len(repeated),
            ).format(source=source, repeated=", ".join(repeated))
        )
    missing = [name for name in REQUIRED[items] if name not in headers]
    if missing:
        raise ImportRejected(
            ngettext(
                "{source}: {value} need the column: {missing}.",
                "{source}: {value} need the columns: {missing}.",
                len(missing),
            ).format(source=source, value=items.value, missing=", ".join(missing))
        )
    rows = []
    for index, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # spreadsheets often leave empty rows at the end
        if len(record) > len(headers) and any(cell.strip() for cell in record[len(headers) :]):
            reason = ngettext(
                "has {cells} cells but the header has {count} column",
                "has {cells} cells but the header has {count} columns",
                len(headers),
            ).format(cells=len(record), count=len(headers))
            rows.append(Row(index, {"": reason}))
            continue
        cells = {name: restore(cell.strip()) for name, cell in zip(headers, record, strict=False) if name}
        rows.append(Row(index, cells))
    return rows


def _list(value: str) -> tuple[str, ...]:
    return tuple(part for part in _LIST_SPLIT.split(value.strip()) if part)


def _people(value: str, *, public: bool) -> tuple[Affected, ...]:
    people = []
    for entry in _list(value):
        name, _colon, role = entry.partition(":")
        if not name.strip():
            raise InvalidValue(
                _('{entry!r} has no name: write "NAME:role", e.g. "Ana Ruiz:a journalist".').format(entry=entry)
            )
        people.append(Affected(name=name.strip(), role=role.strip(), public=public))
    return tuple(people)


def _choice(enum: type[StrEnum], value: str, column: str) -> Any:
    choices = [member.value for member in enum]
    if value.lower() not in choices:
        raise InvalidValue(
            _("{column} {value!r} is not one of: {choices}.").format(
                column=column, value=value, choices=", ".join(choices)
            )
        )
    return enum(value.lower())


def _add_event(case: Case, cells: Mapping[str, str]) -> tuple[Case, Event]:
    from casefile.case.dates import parse_date
    from casefile.case.operations import add_event

    return add_event(
        case,
        date=parse_date(cells.get("date", "")),
        title=cells.get("title", ""),
        description=cells.get("description", ""),
        sources=tuple(Source(url=url) for url in _SOURCE_SPLIT.split(cells.get("sources", "")) if url),
        actors=_list(cells.get("actors", "")),
        tags=_list(cells.get("tags", "")),
        concerns=_list(cells.get("concerns", "")),
        private_notes=cells.get("private_notes", ""),
        affected=(
            *_people(cells.get("affected", ""), public=False),
            *_people(cells.get("public_affected", ""), public=True),
        ),
    )


def _add_demand(case: Case, cells: Mapping[str, str]) -> tuple[Case, Demand]:
    from casefile.case.dates import parse_date
    from casefile.case.operations import add_demand

    deadline = cells.get("deadline", "")
    return add_demand(
        case,
        date=parse_date(cells.get("date", "")),
        to=cells.get("to", ""),
        subject=cells.get("subject", ""),
        text=cells.get("text", ""),
        deadline=parse_date(deadline) if deadline else None,
        channel=cells.get("channel", ""),
        by=_list(cells.get("by", "")),
    )


def _add_signatory(case: Case, cells: Mapping[str, str]) -> tuple[Case, Signatory]:
    from casefile.case.operations import add_signatory

    kind = cells.get("kind", "")
    role = cells.get("role", "")
    return add_signatory(
        case,
        name=cells.get("name", ""),
        short_name=cells.get("short_name", ""),
        article=cells.get("article", ""),
        country=cells.get("country", ""),
        kind=_choice(SignatoryKind, kind, "kind") if kind else SignatoryKind.CSO,
        representative=cells.get("representative", ""),
        representative_title=cells.get("representative_title", ""),
        email=cells.get("email", ""),
        role=_choice(Role, role, "role") if role else Role.SIGNATORY,
    )


_ADDERS: Mapping[Items, Callable[[Case, Mapping[str, str]], tuple[Case, Any]]] = {
    Items.EVENTS: _add_event,
    Items.DEMANDS: _add_demand,
    Items.SIGNATORIES: _add_signatory,
}


def import_rows(case: Case, rows: Sequence[Row], items: Items) -> ImportResult:
    """Add each row's item to ``case`` in order, as the ``add-*`` command would.

    A row whose ``id`` is already an item of this kind is left out (it was exported from this
    case). A row that fails is recorded with its reason and changes nothing; the caller decides
    whether the others are kept.
    """
    existing = {item.id for item in getattr(case, items.value)}
    added = []
    present = []
    problems = []
    for row in rows:
        if "" in row.cells:
            problems.append(RowProblem(row.number, row.cells[""]))
            continue
        if row.cells.get("id") and row.cells["id"] in existing:
            present.append(row)
            continue
        try:
            case, item = _ADDERS[items](case, row.cells)
        except CasefileError as error:
            problems.append(RowProblem(row.number, str(error)))
            continue
        added.append(item)
    return ImportResult(case=case, added=tuple(added), already_present=tuple(present), problems=tuple(problems))
