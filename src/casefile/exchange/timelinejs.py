"""The case's events and demands as a TimelineJS (Knight Lab) JSON file.

TimelineJS (https://timeline.knightlab.com) shows each slide's ``headline`` and ``text`` as
HTML, so every piece of user text is escaped here, and only plain ``http(s)`` addresses become
links. A date keeps its precision: a month-only date has a year and a month and no day.
Approximate, uncertain and open-ended dates also get a ``display_date`` written as the letter
writes them. Events are grouped by their first concern; demands by the letter's heading for
them ("Efforts made in ...").
"""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Iterator
from typing import Any

from casefile.case.dates import DatePoint, EdtfDate, format_date
from casefile.case.datewords import write_date
from casefile.case.kinds import DaysKnown
from casefile.case.model import Case, Demand, Event
from casefile.letter.countrynames import country_phrases

_WEB_URL = re.compile(r"^https?://[^\s<>\"'`\\]+$", re.IGNORECASE)


class _Html(str):
    """Text that is already HTML (made here, with user text escaped)."""

    __slots__ = ()


def _text(value: object) -> _Html:
    if isinstance(value, _Html):
        return value
    return _Html(html.escape(str(value), quote=True))


def _sentence(language: str, template: str, **params: object) -> _Html:
    """A catalogue sentence with its user values escaped for HTML, joined to the words before them
    as the letter joins them (``adressée au ministère``, a value that starts a sentence capitalised)."""
    from casefile.letter.grammar import assemble

    values = {name: _text(value) for name, value in params.items()}
    return _Html(assemble(language, html.escape(template, quote=True), values))


def _link(url: str) -> _Html:
    """A link for a plain web address; anything else (``javascript:``...) stays text."""
    if _WEB_URL.match(url):
        return _Html(f'<a href="{_text(url)}">{_text(url)}</a>')
    return _text(url)


def _point(point: DatePoint) -> dict[str, str]:
    fields = {"year": str(point.year)}
    if point.month is not None:
        fields["month"] = str(point.month)
        if point.day is not None:
            fields["day"] = str(point.day)
    return fields


def _dates(date: EdtfDate, language: str) -> dict[str, Any]:
    """TimelineJS's start_date, end_date and display_date for a casefile date."""
    start = date.start if date.start is not None else date.end
    assert start is not None  # parse_date refuses a range open at both ends
    fields: dict[str, Any] = {"start_date": _point(start)}
    if date.is_interval and date.start is not None and date.end is not None and date.end != date.start:
        fields["end_date"] = _point(date.end)
    points = [point for point in (date.start, date.end) if point is not None]
    open_ended = date.is_interval and (date.start is None or date.end is None)
    if open_ended or any(point.approximate or point.uncertain for point in points):
        fields["display_date"] = _text(format_date(date, language))
    return fields


def _paragraphs(text: str) -> list[str]:
    return [f"<p>{_text(part.strip())}</p>" for part in re.split(r"\n\s*\n", text) if part.strip()]


def _sources(event: Event, language: str, messages: dict[str, str]) -> list[str]:
    items = []
    for source in event.sources:
        parts = [_text(part) for part in (source.title, source.publisher) if part]
        if source.date is not None:
            parts.append(_text(format_date(source.date, language)))
        if source.url:
            parts.append(_link(source.url))
        if source.archived_url:
            parts.append(_sentence(language, messages["footnote.archived"], url=_link(source.archived_url)))
        if parts:
            items.append(f"<li>{'. '.join(parts)}</li>")
    return [f"<ul>{''.join(items)}</ul>"] if items else []


def _event_slide(
    event: Event, case: Case, language: str, messages: dict[str, str], titles: dict[str, str]
) -> dict[str, Any]:
    body = _paragraphs(event.description)
    if event.actors:
        actors = messages["concern.actors.one" if len(event.actors) == 1 else "concern.actors.other"]
        body.append(f"<p>{_sentence(language, actors, actors='; '.join(event.actors))}</p>")
    people = [
        f"{person.name} ({person.role})" if person.name and person.role else person.name or person.role
        for person in event.affected
    ]
    if people == [""]:  # one person, not described
        body.append(f"<p>{_sentence(language, messages['concern.affected_one_unnamed'])}</p>")
    elif people:
        people = [person or messages["concern.affected_unnamed"] for person in people]
        label = messages["concern.affected_one" if len(people) == 1 else "concern.affected"]
        body.append(f"<p>{_sentence(language, label, people='; '.join(people))}</p>")
    if event.private_notes:  # only present when the export includes private data
        body += _paragraphs(event.private_notes)
    body += _sources(event, language, messages)
    slide: dict[str, Any] = {
        **_dates(event.date, language),
        "text": {"headline": _text(event.title), "text": "".join(body)},
        "unique_id": event.id,
    }
    group = next((titles[concern] for concern in event.concerns if concern in titles), None)
    if group is None and event.tags:
        group = event.tags[0]
    if group:
        slide["group"] = _text(group)
    return slide


def _when(date: EdtfDate, language: str, messages: dict[str, str]) -> _Html:
    """A date as the letter says it in a sentence: "on 16 February 2017", "in March 2017"."""
    point = date.start if not date.is_interval else None
    written = write_date(date, language, between=True)
    if point is not None and not (point.approximate or point.uncertain):
        key = "domestic.when_day" if point.day is not None else "domestic.when_period"
        return _sentence(language, messages[key], date=written)
    return _text(written)


def _demand_slide(
    demand: Demand, case: Case, language: str, as_of: datetime.date, messages: dict[str, str]
) -> dict[str, Any]:
    from casefile.case.dates import format_day

    body = _paragraphs(demand.text)
    senders = {signatory.id: signatory.short_name or signatory.name for signatory in case.signatories}
    names = [senders.get(sender, sender) for sender in demand.by if senders.get(sender, sender)]
    if names:
        body.insert(0, f"<p>{_text(', '.join(names))} → {_text(demand.to)}</p>")
    waiting = demand.waiting(as_of)
    latest = demand.latest_response()
    if waiting is not None and waiting.known is None:  # "2019-03/..": the days are not known
        undated = _sentence(language, messages["domestic.unanswered_undated"], letter_date=format_day(as_of, language))
        body.append(f"<p>{undated}</p>")
    elif waiting is not None:
        from casefile.letter.grammar import Count, plural_category

        key = "domestic.unanswered" if waiting.known is DaysKnown.EXACT else "domestic.unanswered_at_least"
        unanswered = messages[f"{key}.{plural_category(language, waiting.days)}"]
        count = Count(waiting.days, language)
        body.append(f"<p>{_sentence(language, unanswered, count=count, letter_date=format_day(as_of, language))}</p>")
    elif latest is not None:
        outcome = _sentence(
            language,
            messages[f"domestic.{latest.status.value}"],
            to=demand.to,
            when=_when(latest.date, language, messages),
        )
        if latest.summary:
            summary = latest.summary.rstrip()
            stop = "" if summary.endswith((".", "!", "?", "…")) else "."  # as the letter ends the sentence
            outcome = _Html(
                f"{outcome} {_sentence(language, messages['domestic.response_summary'], summary=summary)}{stop}"
            )
        body.append(f"<p>{outcome}</p>")
    headline = _sentence(language, messages["annex.chronology_demand"], to=demand.to, subject=demand.subject)
    return {
        **_dates(demand.date, language),
        "text": {"headline": headline, "text": "".join(body)},
        "group": _sentence(
            language, messages["heading.domestic"], in_country=country_phrases(case.country, language).in_country
        ),
        "unique_id": demand.id,
    }


def timeline_document(case: Case, *, language: str, as_of: datetime.date, streamed: bool = False) -> dict[str, Any]:
    """The TimelineJS document for a case that has already been through ``public_case``.

    ``streamed``: its slides are an iterator that makes each slide as it is read (see
    :func:`casefile.exchange.jsonformat.dump_pieces`).
    """
    from casefile.letter.catalogue import catalogue

    messages = dict(catalogue(language))
    dated: tuple[Event | Demand, ...] = (*case.events, *case.demands)
    items = [((item.date.sort_key(), item.id), item) for item in dated]
    items.sort(key=lambda entry: entry[0])  # stable: an event before a demand of the same date and id
    titles = {concern.id: concern.title for concern in case.concerns}
    slides = (
        _event_slide(item, case, language, messages, titles)
        if isinstance(item, Event)
        else _demand_slide(item, case, language, as_of, messages)
        for _, item in items
    )
    return {
        "title": {
            "text": {
                "headline": _text(case.title),
                "text": f"<p>{_text(country_phrases(case.country, language).name)}</p>",
            }
        },
        "events": slides if streamed else list(slides),
    }


def export_timeline(case: Case, *, language: str, as_of: datetime.date) -> str:
    """TimelineJS JSON text (two-space indents, a final newline)."""
    return "".join(export_timeline_pieces(case, language=language, as_of=as_of))


def export_timeline_pieces(case: Case, *, language: str, as_of: datetime.date) -> Iterator[str]:
    """:func:`export_timeline` in pieces, each slide made as it is written."""
    from casefile.exchange.jsonformat import dump_pieces

    return dump_pieces(timeline_document(case, language=language, as_of=as_of, streamed=True))
