"""Plain views of items for ``list``, ``show`` and scripts: every field, always present.

``--json`` output is a promise to scripts: keys may be added in later versions, never removed
or renamed. Dates are the text the user gave.
"""

from __future__ import annotations

import dataclasses
import datetime
from enum import Enum
from typing import Any

from casefile.case.dates import EdtfDate
from casefile.case.kinds import DaysKnown
from casefile.case.model import KIND_NAMES, Case, Demand, Item
from casefile.i18n import _


def plain(value: Any) -> Any:
    """A model value as JSON-ready data (dates as their text, enums as their value)."""
    if isinstance(value, EdtfDate):
        return value.text
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return [plain(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        record = {
            field.name: plain(getattr(value, field.name))
            for field in dataclasses.fields(value)
            if field.name != "extra"
        }
        record.update({key: plain(item) for key, item in getattr(value, "extra", {}).items()})
        return record
    if isinstance(value, list):  # unknown keys hold TOML values: arrays, tables, dates and times
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return value


def item_record(item: Item, *, as_of: datetime.date) -> dict[str, Any]:
    """Every stored field of an item, its kind, and for a demand its derived status.

    A demand's ``days_unanswered`` is what it always was; ``days_unanswered_known`` says how far
    it is a count: ``exact``, ``at_least`` (sent in a period over by ``as_of``), or None (answered,
    or sent in a period not over, or open-ended: the number is then no count at all).
    """
    record: dict[str, Any] = {"kind": KIND_NAMES[type(item)], **plain(item)}
    if isinstance(item, Demand):
        record["status"] = item.status(as_of).value
        waiting = item.waiting(as_of)
        record["days_unanswered"] = None if waiting is None else waiting.days
        record["days_unanswered_known"] = None if waiting is None or waiting.known is None else waiting.known.value
    return record


def _entry_text(entry: dict[str, Any]) -> str:
    """One entry of a list (a source, a response) on a line; its translations as ``summary (fr): ...``."""
    from casefile.terminal import shown

    parts = []
    for key, value in entry.items():
        if key == "translations" and isinstance(value, dict):
            parts += [
                f"{shown(name)} ({shown(language)}): {_text_value(text)}" for language, name, text in _translated(value)
            ]
        elif value not in ("", None, []):
            parts.append(f"{shown(str(key))}: {shown(str(value))}")
    return ", ".join(parts)


def _translated(translations: dict[str, Any]) -> list[tuple[str, str, Any]]:
    """(language, field, text) of each translated text in a record's ``translations``."""
    return [
        (language, name, text)
        for language, texts in translations.items()
        if isinstance(texts, dict)
        for name, text in texts.items()
        if text not in ("", None, [])
    ]


def _translations_text(translations: dict[str, Any]) -> str:
    """Translations as an indented block: each language, then its texts."""
    from casefile.terminal import shown

    lines = []
    for language, texts in translations.items():
        given = [(name, _text_value(text)) for name, text in (texts or {}).items() if text not in ("", None, [])]
        if given:
            lines.append(f"  {shown(language)}:")
            lines += [f"    {shown(name)}: {text}" for name, text in given]
    return "\n".join(lines)


def _text_value(value: Any) -> str:
    """A field's value for ``show``: user text escaped (casefile.terminal), one entry per line."""
    from casefile.terminal import shown

    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return "\n".join(f"  - {_entry_text(entry)}" for entry in value)
        return ", ".join(shown(str(entry)) for entry in value)
    if isinstance(value, dict):  # the case's contact: one line for each part given, never Python's {'name': ...}
        return "\n".join(f"  {shown(name)}: {_text_value(part)}" for name, part in value.items() if _text_value(part))
    return "" if value is None else shown(str(value))


#: The case's own fields ``show case`` gives (its items, sign-off records and history have their commands).
CASE_FIELDS = (
    "title",
    "country",
    "language",
    "ogp_joined",
    "action_plan",
    "contact",
    "request",
    "addressees",
    "addressees_verified",
    "filer_category",
    "letter_date",
    "translations",
)


def case_record(case: Case) -> dict[str, Any]:
    """The case's own fields, as ``show case --json`` gives them."""
    return {"kind": "case", **{name: plain(getattr(case, name)) for name in CASE_FIELDS}}


def item_text(item: Item, *, as_of: datetime.date) -> str:
    """An item as ``field: value`` lines for people; empty fields left out.

    A demand's days without answer are shown only as far as they are known ("at least 12").
    """
    record = item_record(item, as_of=as_of)
    if isinstance(item, Demand):
        known = record.pop("days_unanswered_known")
        if known is None:
            record.pop("days_unanswered")
        elif known == DaysKnown.AT_LEAST:
            record["days_unanswered"] = _("at least {count}").format(count=record["days_unanswered"])
    return record_text(record)


def record_text(record: dict[str, Any]) -> str:
    """A record as ``field: value`` lines for people; empty fields left out.

    A field is one line (a list of tables one line per entry): control characters in its text
    are shown escaped, so a value can never add a line or rewrite the terminal.
    """
    from casefile.terminal import shown

    lines = []
    for name, value in record.items():
        key = shown(name)  # unknown keys come from the file too
        if name == "translations" and isinstance(value, dict):
            text = _translations_text(value)
            if text:
                lines.append(f"{key}:\n{text}")
            continue
        text = _text_value(value)
        if not text:
            continue
        if "\n" in text or text.startswith("  - "):
            lines.append(f"{key}:\n{text}")
        else:
            lines.append(f"{key}: {text}")
    return "\n".join(lines)
