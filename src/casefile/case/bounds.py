"""The letter's date bounds its facts: what happened after it is not in the letter.

A letter dated 10 March 2020 cannot report an event of 12 March 2020 as fact, nor call a demand
sent on 12 March "unanswered", nor a demand answered on 12 March "unanswered since". So the
letter is written from :func:`letter_facts`, the case as it stood on the letter's date:

- an event, demand, response or reminder whose earliest possible day is after the letter's date
  is left out (and ``check`` lists it as a warning);
- one whose date may fall either side ("2020-03" for a letter of 10 March 2020, a range running
  past the letter's date, an open-ended range) is kept, and ``check`` flags it so the user can
  make the date precise.

Dates are read as written: "2020-03-12~" (around 12 March) starts after 10 March.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from casefile.case.dates import EdtfDate
from casefile.case.model import Case, Demand


class Side(StrEnum):
    """Where a date falls against the letter's date."""

    BEFORE = "before"  # on or before the letter's date: a fact of the letter
    EITHER = "either"  # may fall on either side: kept, and flagged
    AFTER = "after"  # certainly after: left out


@dataclass(frozen=True, slots=True, kw_only=True)
class OutOfBounds:
    """An item, or part of one, whose date is after the letter's date or may be.

    Attributes:
        item_id: the event's or demand's id (a response or reminder gives its demand's).
        what: "event", "demand", "response" or "reminder".
        date: the date as written.
        side: AFTER (left out of the letter) or EITHER (kept, flagged).
    """

    item_id: str
    what: str
    date: EdtfDate
    side: Side


def side_of(date: EdtfDate, day: datetime.date) -> Side:
    """Where ``date`` falls against ``day``."""
    first = date.first_day()
    if first is not None and first > day:
        return Side.AFTER
    last = date.last_day()
    if last is None or last > day:
        return Side.EITHER
    return Side.BEFORE


class _Sides:
    """:func:`side_of` once per date text: a large case's dates repeat."""

    def __init__(self, day: datetime.date) -> None:
        self.day = day
        self.known: dict[str, Side] = {}

    def __call__(self, date: EdtfDate) -> Side:
        side = self.known.get(date.text)
        if side is None:
            side = self.known[date.text] = side_of(date, self.day)
        return side


def _bounded_demand(demand: Demand, side: _Sides) -> Demand:
    responses = tuple(response for response in demand.responses if side(response.date) is not Side.AFTER)
    reminders = tuple(reminder for reminder in demand.reminders if side(reminder.date) is not Side.AFTER)
    if len(responses) == len(demand.responses) and len(reminders) == len(demand.reminders):
        return demand
    return dataclasses.replace(demand, responses=responses, reminders=reminders)


def letter_facts(case: Case, day: datetime.date) -> Case:
    """The case as it stood on ``day``: events, demands, responses and reminders after it left out.

    Items that stay are the same objects (the letter keeps texts worked out per event).
    """
    side = _Sides(day)
    # Most letters leave nothing out: the dates are looked at once each before any event is.
    dates = {event.date.text: event.date for event in case.events}
    later = {text for text, date in dates.items() if side(date) is Side.AFTER}
    events = tuple(event for event in case.events if event.date.text not in later) if later else case.events
    demands = tuple(_bounded_demand(demand, side) for demand in case.demands if side(demand.date) is not Side.AFTER)
    unchanged = len(demands) == len(case.demands) and all(
        new is old for new, old in zip(demands, case.demands, strict=True)
    )
    if unchanged and len(events) == len(case.events):
        return case
    return dataclasses.replace(case, events=events, demands=demands)


def out_of_bounds(case: Case, day: datetime.date) -> list[OutOfBounds]:
    """Every dated part of the case that is after ``day`` or may be, in the case's order."""
    side = _Sides(day)
    found: list[OutOfBounds] = []

    def note(item_id: str, what: str, dates: Iterable[EdtfDate]) -> None:
        for date in dates:
            where = side(date)
            if where is not Side.BEFORE:
                found.append(OutOfBounds(item_id=item_id, what=what, date=date, side=where))

    for event in case.events:  # one date each, most of them before the letter: no call for those
        where = side(event.date)
        if where is not Side.BEFORE:
            found.append(OutOfBounds(item_id=event.id, what="event", date=event.date, side=where))
    for demand in case.demands:
        note(demand.id, "demand", (demand.date,))
        if side(demand.date) is Side.AFTER:
            continue  # the demand is left out whole: its responses go with it
        note(demand.id, "response", (response.date for response in demand.responses))
        note(demand.id, "reminder", (reminder.date for reminder in demand.reminders))
    return found
