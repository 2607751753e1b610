"""A picture of the case: the timeline as SVG, for ``export --format svg`` and the HTML letter.

Concerns are lanes (events that support no concern share a last lane); each event is a mark at its
date (a partial date or a range is a bar over its whole period) with its number; each demand is a
bar from the day it was sent to its first response, or to the letter's date when none came,
drawn dashed and marked "unanswered". A numbered key below the chart gives every mark's date and
title, so the picture reads in print and in black and white, and ``<title>``/``<desc>`` elements
describe it to screen readers. Every text the user typed is escaped; the same case and day give
the same bytes.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import escape

from casefile.case.bounds import letter_facts
from casefile.case.dates import format_day
from casefile.case.datewords import write_date
from casefile.case.kinds import DaysKnown
from casefile.case.model import Case, Demand, Event
from casefile.letter.grammar import capitalise

WIDTH = 960
_LEFT = 200  # room for lane names
_RIGHT = 24
_TOP = 64
_LANE = 44
_KEY_LINE = 18
_FONT = "system-ui, 'Noto Sans', 'DejaVu Sans', Arial, sans-serif"

_WORDS = {
    "en": {
        "title": "Timeline of the case",
        "event": "event",
        "events": "events",
        "lane": "lane",
        "lanes": "lanes",
        "demand": "demand",
        "demands": "demands",
        "Demands": "Demands",
        "other": "Other events",
        "unanswered": "unanswered",
        "answered": "answered",
        "partial": "partly answered",
        "refused": "refused",
        "day": "day",
        "days": "days",
        "at_least": "at least",
        "letter": "letter",
        "colon": ": ",
        "desc": "{events} in {lanes} by concern, and {demands} ({unanswered} unanswered on {day}), "
        "from {start} to {end}.",
    },
    "es": {
        "title": "Cronología del caso",
        "event": "hecho",
        "events": "hechos",
        "lane": "carril",
        "lanes": "carriles",
        "demand": "solicitud",
        "demands": "solicitudes",
        "Demands": "Solicitudes",
        "other": "Otros hechos",
        "unanswered": "sin respuesta",
        "answered": "respondida",
        "partial": "respondida en parte",
        "refused": "rechazada",
        "day": "día",
        "days": "días",
        "at_least": "al menos",
        "letter": "carta",
        "colon": ": ",
        "desc": "{events} en {lanes} por preocupación y {demands} ({unanswered} sin respuesta al {day}), "
        "del {start} al {end}.",
    },
    "fr": {
        "title": "Chronologie du dossier",
        "event": "fait",
        "events": "faits",
        "lane": "ligne",
        "lanes": "lignes",
        "demand": "demande",
        "demands": "demandes",
        "Demands": "Demandes",
        "other": "Autres faits",
        "unanswered": "sans réponse",
        "answered": "réponse reçue",
        "partial": "réponse partielle",
        "refused": "refusée",
        "day": "jour",
        "days": "jours",
        "at_least": "au moins",
        "letter": "lettre",
        "colon": "\u00a0: ",
        "desc": "{events} sur {lanes} par préoccupation et {demands} ({unanswered} sans réponse au {day}), "
        "du {start} au {end}.",
    },
}


def _counted(count: int, words: dict[str, str], noun: str) -> str:
    """``1 event``, ``2 events``: French counts 0 and 1 in the singular, English and Spanish only 1."""
    one = count == 1 or (count == 0 and words is _WORDS["fr"])
    return f"{count} {words[noun if one else noun + 's']}"


@dataclass(frozen=True, slots=True)
class _Scale:
    start: datetime.date
    end: datetime.date
    # Each day's place once worked out (thousands of marks share a few thousand days).
    places: dict[datetime.date, float] = field(default_factory=dict, compare=False)

    def x(self, day: datetime.date) -> float:
        place = self.places.get(day)
        if place is None:
            span = max((self.end - self.start).days, 1)
            place = self.places[day] = round(_LEFT + (WIDTH - _LEFT - _RIGHT) * (day - self.start).days / span, 1)
        return place


def _period(event: Event, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = event.date.first_day() or event.date.last_day() or day
    return first, event.date.last_day() or max(first, day)


def _demand_end(demand: Demand, day: datetime.date) -> tuple[datetime.date, bool]:
    """Where a demand's bar ends, and whether it was answered by then."""
    answered = [response.date.first_day() for response in demand.responses if response.date.first_day()]
    if answered:
        return min(day for day in answered if day is not None), True
    return day, False


def _state(demand: Demand, answered: bool, day: datetime.date, words: dict[str, str]) -> str:
    """What a demand's label says of it: answered, or unanswered with its days as far as they are known."""
    waiting = None if answered else demand.waiting(day)
    if answered:  # as the reply was: a refusal is no answer to show as one
        return words.get(demand.status(day).value, words["answered"])
    if waiting is None or waiting.known is None:  # "2019-03/..": the days are not known
        return words["unanswered"]
    at_least = f"{words['at_least']} " if waiting.known is DaysKnown.AT_LEAST else ""
    return f"{words['unanswered']}, {at_least}{_counted(waiting.days, words, 'day')}"


def _lanes(case: Case, words: dict[str, str]) -> list[tuple[str, list[Event]]]:
    lanes = [
        (concern.title, [event for event in case.events if concern.id in event.concerns]) for concern in case.concerns
    ]
    concerns = frozenset(concern.id for concern in case.concerns)
    loose = [event for event in case.events if concerns.isdisjoint(event.concerns)]
    if loose or not lanes:
        lanes.append((words["other"], loose))
    return lanes


def _text(x: float, y: float, content: str, **attributes: str) -> str:
    extra = "".join(f' {name.replace("_", "-")}="{escape(value)}"' for name, value in attributes.items())
    return f'<text x="{x}" y="{y}"{extra}>{escape(content)}</text>'


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _escaped_all(texts: list[str]) -> list[str]:
    """``escape`` of each text, made on them joined: one call for a lane's thousands of texts."""
    joined = "\n".join(texts)
    if not texts or joined.count("\n") != len(texts) - 1:  # a text holds a line break: one at a time
        return [escape(text) for text in texts]
    return escape(joined).split("\n")


def timeline_svg(case: Case, *, day: datetime.date, language: str = "en") -> str:
    """The case's timeline as a standalone SVG document, as of ``day`` (the letter's date)."""
    return "".join(timeline_svg_pieces(case, day=day, language=language))


def timeline_svg_pieces(case: Case, *, day: datetime.date, language: str = "en") -> Iterator[str]:
    """:func:`timeline_svg` in pieces of whole lines (each piece ends with a newline), never held
    whole: the first piece is the XML declaration, which a page that shows the picture inline
    leaves out. A piece may hold many lines (a lane's marks, the key's lines, a few hundred at a time)."""
    for line in _svg_lines(case, day=day, language=language):
        yield line + "\n"


def _svg_lines(case: Case, *, day: datetime.date, language: str) -> Iterator[str]:
    language = language if language in _WORDS else "en"
    words = _WORDS[language]
    # The picture shows the case as it stood on that day, as the letter does: a later response
    # does not answer a demand yet, and later events are not drawn.
    case = letter_facts(case, day)
    # What a date gives (its order, its period) is worked out once a date: thousands of events share few.
    dated = {event.date.text: event for event in case.events}
    sort_keys = {text: event.date.sort_key() for text, event in dated.items()}
    by_date = {text: _period(event, day) for text, event in dated.items()}
    events = sorted(case.events, key=lambda event: (sort_keys[event.date.text], event.id))
    demands = sorted(case.demands, key=lambda demand: (demand.date.sort_key(), demand.id))
    numbers = {event.id: index for index, event in enumerate(events, start=1)}
    # Each date as the picture's language writes it, where it begins a line ("Hacia mayo de 2016"), once a date.
    dates = [event.date for event in dated.values()] + [demand.date for demand in demands]
    written = {date.text: capitalise(write_date(date, language)) for date in dates}
    days = [day]
    for first, last in by_date.values():
        days.append(first)
        days.append(last)
    for demand in demands:
        days.append(demand.date.first_day() or day)
        days.append(_demand_end(demand, day)[0])
    scale = _Scale(min(days), max(days))
    lanes = _lanes(case, words)
    chart_bottom = _TOP + _LANE * (len(lanes) + len(demands)) + 8
    key_top = chart_bottom + 56
    key_lines = len(events) + len(demands)
    height = key_top + _KEY_LINE * key_lines + 24
    unanswered = sum(1 for demand in demands if not _demand_end(demand, day)[1])
    letter_day = format_day(day, language)  # read aloud by screen readers: "23 de mayo de 2017"
    description = words["desc"].format(
        events=_counted(len(events), words, "event"),
        lanes=_counted(len(lanes), words, "lane"),
        demands=_counted(len(demands), words, "demand"),
        unanswered=unanswered,
        day=letter_day,
        start=format_day(scale.start, language),
        end=format_day(scale.end, language),
    )
    title = f"{words['title']}{words['colon']}{case.title}"
    yield from [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="timeline-title timeline-desc" '
        f'font-family="{_FONT}" font-size="12">',
        f'<title id="timeline-title">{escape(title)}</title>',
        f'<desc id="timeline-desc">{escape(description)}</desc>',
        '<rect width="100%" height="100%" fill="#ffffff"/>',
        _text(16, 28, _clip(title, 110), font_size="16", font_weight="bold", fill="#111111"),
    ]
    yield from _axis(scale, chart_bottom)
    letter_x = scale.x(day)
    yield (
        f'<g class="letter"><title>{escape(words["letter"])} {letter_day}</title>'
        f'<line x1="{letter_x}" y1="{_TOP - 8}" x2="{letter_x}" y2="{chart_bottom}" stroke="#111111" '
        'stroke-dasharray="2 3"/>'
        + _text(letter_x, _TOP - 12, f"{words['letter']} {letter_day}", text_anchor="end", font_size="11")
        + "</g>"
    )
    y = _TOP
    for name, lane_events in lanes:
        yield f'<g class="lane"><title>{escape(name)}</title>'
        yield (
            f'<line x1="{_LEFT}" y1="{y + _LANE / 2}" x2="{WIDTH - _RIGHT}" y2="{y + _LANE / 2}" '
            'stroke="#d0d0d0" stroke-width="1"/>'
        )
        yield _text(16, y + _LANE / 2 + 4, _clip(name, 26), fill="#111111")
        middle = y + _LANE / 2
        places = (str(middle - 5), str(middle), str(middle - 10))
        yield from _event_marks(lane_events, numbers, by_date, scale, places, words["colon"], written)
        yield "</g>"
        y += _LANE
    for index, demand in enumerate(demands, start=len(events) + 1):
        yield _demand_bar(demand, index, scale, y, day, words, written[demand.date.text])
        y += _LANE
    yield (
        _text(
            16,
            key_top - 12,
            f"{_counted(len(events), words, 'event')} · {words['Demands']}{words['colon']}{len(demands)}",
            font_weight="bold",
            fill="#111111",
        )
    )
    yield from _key_lines(events, numbers, key_top, written)
    line = key_top + _KEY_LINE * len(events)
    for index, demand in enumerate(demands, start=len(events) + 1):
        state = _state(demand, _demand_end(demand, day)[1], day, words)
        what = f"{_clip(demand.to, 50)}{words['colon']}{_clip(demand.subject, 60)}"
        yield _text(16, line, f"{index}. {written[demand.date.text]} — {what} ({state})", fill="#111111")
        line += _KEY_LINE
    yield "</svg>"


def _key_lines(events: list[Event], numbers: dict[str, int], top: int, written: dict[str, str]) -> Iterator[str]:
    """The key's line of each event, from ``top`` down, as ``_text(16, y, ..., fill="#111111")``
    writes them, escaped together a few hundred at a time."""
    line = top
    for start in range(0, len(events), 500):
        keys = [
            f"{numbers[event.id]}. {written[event.date.text]} — {_clip(event.title, 120)}"
            for event in events[start : start + 500]
        ]
        lines = []
        for key in _escaped_all(keys):
            lines.append(f'<text x="16" y="{line}" fill="#111111">{key}</text>')
            line += _KEY_LINE
        yield "\n".join(lines)


def _axis(scale: _Scale, bottom: float) -> list[str]:
    """Year ticks (and months when the case spans less than two years)."""
    out = [f'<line x1="{_LEFT}" y1="{bottom}" x2="{WIDTH - _RIGHT}" y2="{bottom}" stroke="#555555"/>']
    monthly = (scale.end - scale.start).days < 730
    year, month = scale.start.year, scale.start.month
    tick = datetime.date(year, month, 1)
    while tick <= scale.end:
        if tick >= scale.start and (monthly or tick.month == 1):
            x = scale.x(tick)
            major = tick.month == 1
            out.append(
                f'<line x1="{x}" y1="{_TOP - 8}" x2="{x}" y2="{bottom}" stroke="#{"bbbbbb" if major else "e6e6e6"}"/>'
            )
            label = str(tick.year) if major else tick.strftime("%m")
            out.append(_text(x, bottom + 16, label, text_anchor="middle", fill="#333333"))
        month = tick.month + 1
        tick = datetime.date(tick.year + (month > 12), (month - 1) % 12 + 1, 1)
    return out


def _event_marks(
    events: list[Event],
    numbers: dict[str, int],
    periods: dict[str, tuple[datetime.date, datetime.date]],
    scale: _Scale,
    places: tuple[str, str, str],
    colon: str,
    written: dict[str, str],
) -> Iterator[str]:
    """The events' marks (a dot, or a bar over an event's period) with their numbers, in a lane
    whose middle is at ``places[1]`` (a bar's top at ``places[0]``, a number at ``places[2]``),
    a few hundred lines a piece. What follows a mark's title is the same for every event of a date."""
    after_title: dict[str, str] = {}
    for start in range(0, len(events), 500):
        some = events[start : start + 500]
        labels = _escaped_all(
            [f"{numbers[event.id]}. {written[event.date.text]}{colon}{event.title}" for event in some]
        )
        marks = []
        for event, label in zip(some, labels, strict=True):
            text = event.date.text
            shape = after_title.get(text)
            if shape is None:
                shape = after_title[text] = _mark_shape(periods[text], scale, places)
            marks.append(f'<g class="event"><title>{label}</title>{shape}{numbers[event.id]}</text></g>')
        yield "\n".join(marks)


def _mark_shape(period: tuple[datetime.date, datetime.date], scale: _Scale, places: tuple[str, str, str]) -> str:
    """What follows the title of a mark over ``period``: its shape, and its number's start."""
    x1, x2 = scale.x(period[0]), scale.x(period[1])
    start = str(x1)
    shape = (
        f'<rect x="{start}" y="{places[0]}" width="{max(round(x2 - x1, 1), 2)}" height="10" rx="3" '
        'fill="#9ab8d8" stroke="#1f4e8c"/>'
        if x2 - x1 >= 4
        else f'<circle cx="{start}" cy="{places[1]}" r="6" fill="#1f4e8c" stroke="#ffffff" stroke-width="1.5"/>'
    )
    # The number as _text(x1, middle - 10, str(number), text_anchor="middle", font_size="10", fill="#111111").
    return f'{shape}<text x="{start}" y="{places[2]}" text-anchor="middle" font-size="10" fill="#111111">'


def _demand_bar(
    demand: Demand, number: int, scale: _Scale, top: float, day: datetime.date, words: dict[str, str], when: str
) -> str:
    sent = demand.date.first_day() or day
    end, answered = _demand_end(demand, day)
    x1, x2 = scale.x(sent), scale.x(end)
    middle = top + _LANE / 2
    state = _state(demand, answered, day, words)
    colon = words["colon"]
    label = f"{number}. {when}{colon}{demand.to}{colon}{demand.subject} ({state})"
    style = 'fill="#f2f2f2" stroke="#555555"' if answered else 'fill="#fde8e8" stroke="#a40000" stroke-dasharray="6 3"'
    parts = [
        f'<g class="demand{"" if answered else " unanswered"}"><title>{escape(label)}</title>',
        f'<rect x="{x1}" y="{middle - 7}" width="{max(round(x2 - x1, 1), 2)}" height="14" {style}/>',
        _text(16, middle + 4, _clip(f"{number}. {demand.subject}", 26), fill="#111111"),
        _text(
            min(x2 + 6, WIDTH - _RIGHT - 4),
            middle + 4,
            state if state != words["answered"] else "✓",
            text_anchor="end" if x2 + 6 > WIDTH - 160 else "start",
            font_size="11",
            fill="#a40000" if not answered else "#333333",
        ),
        "</g>",
    ]
    return "".join(parts)
