"""Deadlines and planning dates as an iCalendar file (RFC 5545), for the coalition's calendars.

All-day events for: deadlines of demands still unanswered, deadlines of OGP recommendations, and
the planning dates of the next review steps. Output is deterministic: UIDs come from the case
and the item, and DTSTAMP is the ``as_of`` day, so the same case and day give the same bytes.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from casefile.case.countries import country_name
from casefile.case.datewords import write_date
from casefile.case.model import Case, Stage
from casefile.workflow.followup import planned_steps

_LINE_OCTETS = 75


@dataclass(frozen=True, slots=True, kw_only=True)
class CalendarEvent:
    """One all-day entry of the calendar."""

    uid: str
    day: datetime.date
    summary: str
    description: str


def _escape(text: str) -> str:
    """TEXT values escape backslash, semicolon, comma and newlines (RFC 5545, 3.3.11)."""
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def _fold(line: str) -> list[str]:
    """Split a content line into pieces of at most 75 octets, continuations starting with a space."""
    pieces: list[str] = []
    current = ""
    for char in line:
        limit = _LINE_OCTETS if not pieces else _LINE_OCTETS - 1
        if len((current + char).encode("utf-8")) > limit:
            pieces.append(current)
            current = char
        else:
            current += char
    pieces.append(current)
    return [pieces[0], *(" " + piece for piece in pieces[1:])]


def _uid(case: Case, key: str) -> str:
    # The country's English name, not its code: the same ids as before countries were stored as codes.
    country = country_name(case.country, "en")
    digest = hashlib.sha256(f"{case.title}\x00{country}\x00{key}".encode()).hexdigest()[:24]
    return f"{digest}@casefile"


def calendar_events(
    case: Case, *, as_of: datetime.date, language: str = "en", original: Case | None = None
) -> list[CalendarEvent]:
    """Every date the coalition should have in its calendar, said in ``language``.

    ``case`` may be the case with its texts in that language; its entries' ids come from the
    ``original`` (its own title), so that a calendar exported in another language updates them.
    """
    ids = original or case
    from casefile.letter.catalogue import catalogue
    from casefile.letter.grammar import Verbatim, assemble

    words = catalogue(language)

    def said(key: str, **values: str) -> str:  # joined as the language joins them: "respuesta del INAI"
        return assemble(language, words[f"calendar.{key}"], values)

    events = []
    for demand in case.demands:
        deadline = demand.deadline.last_day() if demand.deadline else None
        if deadline is not None and not demand.responses:
            events.append(
                CalendarEvent(
                    uid=_uid(ids, f"demand:{demand.id}"),
                    day=deadline,
                    summary=said("deadline", to=demand.to),
                    description=said(
                        "demand", id=Verbatim(demand.id), date=write_date(demand.date, language), subject=demand.subject
                    ),
                )
            )
    for index, record in enumerate(case.stages, start=1):
        deadline = record.deadline.last_day() if record.deadline else None
        if record.stage is Stage.RECOMMENDATION and deadline is not None:
            events.append(
                CalendarEvent(
                    uid=_uid(ids, f"recommendation:{index}:{record.date}"),
                    day=deadline,
                    summary=said("recommendation_deadline"),
                    description=record.note or said("recommendation", date=write_date(record.date, language)),
                )
            )
    for step in planned_steps(case, as_of):
        stage = words[f"stage.{step.stage.value}"]
        after_stage = words["calendar.after_stage"].format(stage=words.get(f"stage.{step.after}", step.after))
        after = words["calendar.filing"] if step.after == "filing" else after_stage
        events.append(
            CalendarEvent(
                uid=_uid(ids, f"plan:{step.stage.value}"),
                day=step.planned,
                summary=said("expected", stage=stage, country=country_name(case.country, language)),
                description=said("planning", weeks=str(step.weeks), after=after),
            )
        )
    return sorted(events, key=lambda event: (event.day, event.uid))


def render_ics(case: Case, *, as_of: datetime.date, language: str = "en", original: Case | None = None) -> str:
    """The calendar as iCalendar text with CRLF line ends, its words in ``language``."""
    stamp = as_of.strftime("%Y%m%dT000000Z")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//casefile//casefile deadlines//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_escape(case.title)}",
    ]
    for event in calendar_events(case, as_of=as_of, language=language, original=original):
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{event.day.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(event.day + datetime.timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{_escape(event.summary)}",
            f"DESCRIPTION:{_escape(event.description)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(piece + "\r\n" for line in lines for piece in _fold(line))
