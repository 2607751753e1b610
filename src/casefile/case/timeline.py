"""The chronology of a case: events and demands interleaved by date (used by ``timeline`` and the letter)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from casefile.case.kinds import DaysKnown
from casefile.case.model import Case, Demand


@dataclass(frozen=True, slots=True, kw_only=True)
class Row:
    """One line of the chronology."""

    date: str
    what: str
    id: str
    kind: str
    status: str
    waiting_days: int | None
    waiting_known: str | None = None  # how far waiting_days is a count: "exact", "at_least" or None


_new = object.__new__
# The slots' own setters: what the frozen dataclass's __init__ calls, without its keyword arguments
# (a large case's timeline makes one row per event; most of its time went in Row.__init__).
_SET_DATE, _SET_WHAT, _SET_ID, _SET_KIND, _SET_STATUS, _SET_WAITING, _SET_KNOWN = (
    vars(Row)[name].__set__ for name in ("date", "what", "id", "kind", "status", "waiting_days", "waiting_known")
)


def _event_row(date: str, what: str, id: str) -> Row:
    row = _new(Row)
    _SET_DATE(row, date)
    _SET_WHAT(row, what)
    _SET_ID(row, id)
    _SET_KIND(row, "event")
    _SET_STATUS(row, "")
    _SET_WAITING(row, None)
    _SET_KNOWN(row, None)
    return row


def rows(case: Case, *, as_of: datetime.date) -> list[Row]:
    """Events and demands by date (a month before its days), then by id."""
    # (date's key, id, place, item): the place breaks ties, so items are never compared and
    # equal keys keep the case's order.
    keyed: list[tuple[tuple[int, ...], str, int, Any]] = [
        (event.date.sort_key(), event.id, place, event) for place, event in enumerate(case.events)
    ]
    start = len(keyed)
    keyed += [(demand.date.sort_key(), demand.id, start + place, demand) for place, demand in enumerate(case.demands)]
    keyed.sort()
    return [
        _event_row(item.date.text, item.title, item.id) if place < start else _demand_row(item, as_of)
        for _, _, place, item in keyed
    ]


def _demand_row(demand: Demand, as_of: datetime.date) -> Row:
    """A demand's row: its status with its days without answer as far as they are known."""
    status = demand.status(as_of).value
    waiting = demand.waiting(as_of)
    known = None if waiting is None else waiting.known
    if waiting is not None and known is DaysKnown.EXACT:
        status = f"{status}, {waiting.days} days without answer"
    elif waiting is not None and known is DaysKnown.AT_LEAST:
        status = f"{status}, at least {waiting.days} days without answer"
    return Row(
        date=demand.date.text,
        what=f"Demand to {demand.to}: {demand.subject}",
        id=demand.id,
        kind="demand",
        status=status,
        waiting_days=None if waiting is None else waiting.days,
        waiting_known=None if known is None else known.value,
    )
