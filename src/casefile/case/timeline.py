"""The chronology of a case: events and demands interleaved by date (used by ``timeline`` and the letter)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from casefile.case.model import Case


@dataclass(frozen=True, slots=True, kw_only=True)
class Row:
    """One line of the chronology."""

    date: str
    what: str
    id: str
    kind: str
    status: str
    waiting_days: int | None


def rows(case: Case, *, as_of: datetime.date) -> list[Row]:
    """Events and demands by date (a month before its days), then by id."""
    keyed: list[tuple[tuple[int, ...], str, Row]] = []
    for event in case.events:
        row = Row(date=event.date.text, what=event.title, id=event.id, kind="event", status="", waiting_days=None)
        keyed.append((event.date.sort_key(), event.id, row))
    for demand in case.demands:
        status = demand.status(as_of).value
        days = demand.days_unanswered(as_of)
        if days is not None:
            status = f"{status}, {days} days without answer"
        row = Row(
            date=demand.date.text,
            what=f"Demand to {demand.to}: {demand.subject}",
            id=demand.id,
            kind="demand",
            status=status,
            waiting_days=days,
        )
        keyed.append((demand.date.sort_key(), demand.id, row))
    keyed.sort(key=lambda entry: (entry[0], entry[1]))
    return [row for _, _, row in keyed]
