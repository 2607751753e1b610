"""How the letter writes each thing: words, sentences and lists, with user text escaped.

``Words`` holds the small pieces (dates, note numbers, names), ``Sentences`` the sentences
the templates ask for, ``Lists`` the long lists made in Python. The templates reach them as
filters and globals (:func:`casefile.letter.render.render_letter_pieces`).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from typing import Any

from casefile.case.dates import EdtfDate
from casefile.case.model import (
    Affected,
    Attachment,
    Concern,
    DemandStatus,
    Event,
    Signatory,
    SignatoryKind,
    Source,
)
from casefile.letter.catalogue import Translator, escape_param
from casefile.letter.grammar import Verbatim, capitalise, channel_key
from casefile.letter.letter import (
    ChronologyEntry,
    CitedEvent,
    DemandOutcome,
    Footnote,
    Letter,
    NumberedConcern,
)
from casefile.letter.markdown import (
    Markdown,
    citation,
    escape_inline,
    escape_text,
    link,
    link_text,
    plain_footnote_text,
)

_HEX = re.compile(r"[0-9a-f]{64}")
_HELD = re.compile("\x00(\\d+)\x00")


class Words:
    """Helpers the template calls; they know the letter's language."""

    def __init__(self, language: str, t: Translator) -> None:
        self.language = language
        self.t = t
        # A large letter writes each event and source twice (body and annex) and many dates
        # again and again: each is worked out once. Keyed by the object, which the letter holds.
        self._dates: dict[str, str] = {}
        self._escaped_dates: dict[str, str] = {}
        self._footnote_lists: dict[int, tuple[Sequence[Footnote], list[str]]] = {}
        self._entries: dict[int, tuple[CitedEvent, str]] = {}
        self._held: list[str] = []
        self._date_colon = t("letter.date_colon")
        self._semicolon = " ; " if language == "fr" else "; "

    def hold(self, text: str) -> Markdown:
        """A long, already tidy block, kept aside while the template's output is tidied.

        The template gets a one-line placeholder; :meth:`put_back` swaps the block in after
        tidying, so the tens of thousands of lines of a large case's lists are not tidied again.
        """
        if not text:
            return Markdown("")
        self._held.append(text)
        return Markdown(f"\x00{len(self._held) - 1}\x00")

    def put_back(self, text: str) -> list[str]:
        """The pieces of the text with every held block in place of its placeholder.

        Pieces, not one string: a 100,000-event letter need never be held whole in memory
        (one non-Latin-1 character would make Python store all of it at two bytes a character).
        """
        parts = _HELD.split(text)
        # split() alternates text and the captured block numbers.
        return [self._held[int(part)] if index % 2 else part for index, part in enumerate(parts) if part]

    def forget(self) -> None:
        """Drop what was worked out for one letter."""
        self._held.clear()
        self._dates.clear()
        self._escaped_dates.clear()
        self._footnote_lists.clear()
        self._entries.clear()

    def date(self, value: Any) -> str:
        from casefile.case.dates import EdtfDate, format_date

        if type(value) is not EdtfDate:
            return format_date(value, self.language)
        written = self._dates.get(value.text)
        if written is None:
            written = self._dates[value.text] = format_date(value, self.language)
        return written

    def day(self, value: datetime.date) -> str:
        from casefile.case.dates import format_day

        return format_day(value, self.language)

    def join_text(self, values: Iterable[Any]) -> Markdown:
        # French sets a space before a semicolon ("civique ; Valeur").
        return Markdown(self._semicolon.join(escape_param(value) for value in values))

    @staticmethod
    def notes(numbers: Iterable[int]) -> Markdown:
        return Markdown(_note_marks(tuple(numbers)))

    @staticmethod
    def note_list(numbers: Iterable[int]) -> Markdown:
        return Markdown(", ".join(str(number) for number in numbers))

    def concern_title(self, item: NumberedConcern) -> Markdown:
        if not item.generated:
            return escape_inline(item.concern.title)
        if item.concern.title:
            return self.t("concern.tagged", tag=item.concern.title)
        return self.t("concern.untitled")

    def category_text(self, concern: Concern) -> Markdown:
        return self.t(f"category.{concern.category.value}", text=concern.category_other)

    @staticmethod
    def representative(signatory: Signatory) -> Markdown:
        parts = [signatory.representative, signatory.representative_title]
        return escape_inline(", ".join(part for part in parts if part))

    def footnote_text(self, source: Source) -> Markdown:
        return Markdown(self._footnote_text(source))

    def _footnote_text(self, source: Source) -> str:
        plain = plain_footnote_text(source)
        if plain is not None:
            return plain
        parts = []
        if source.title:
            parts.append(escape_text(source.title))
        if source.publisher:
            parts.append(escape_text(source.publisher))
        if source.date is not None:
            parts.append(self._escaped_date(source.date))
        if source.url:
            parts.append(link_text(source.url))
        if source.archived_url:
            parts.append(self.t("footnote.archived", url=link(source.archived_url)))
        if source.accessed is not None:
            parts.append(self.t("footnote.accessed", date=self.date(source.accessed)))
        return citation(parts)

    def _escaped_date(self, date: EdtfDate) -> str:
        """A date where it begins a list item or a part of a note, so with a capital: "Hacia febrero de 2020"."""
        written = self._escaped_dates.get(date.text)
        if written is None:
            written = self._escaped_dates[date.text] = escape_text(capitalise(self.date(date)))
        return written


class Sentences(Words):
    """The sentences the letter assembles: who files, demands and their outcome, evidence."""

    def filers_sentence(self, letter: Letter) -> Markdown:
        signatories = letter.case.signatories
        if not signatories:
            return self.t("filers.none")
        if len(signatories) == 1:
            return self.t("filers.count_one", lead=signatories[0].name)
        signers = self.signers(signatories)
        if letter.lead is not None:
            return self.t("filers.count", signers=signers, lead=letter.lead.name)
        return self.t("filers.count_no_lead", signers=signers)

    def domestic_intro(self, letter: Letter) -> Markdown:
        """ "Before writing to OGP, the ten signatory organisations raised these matters with..."."""
        signatories = letter.case.signatories
        if not signatories:
            return self.t("domestic.intro", count=1, signers=self.t("domestic.senders_default"))
        return self.t("domestic.intro", count=len(signatories), signers=self.signers(signatories))

    def signers(self, signatories: Sequence[Signatory]) -> Markdown:
        """Who signs, counted: "the three signatory organisations", "las tres personas firmantes"."""
        people = sum(1 for signatory in signatories if signatory.kind is SignatoryKind.INDIVIDUAL)
        kind = "people" if people == len(signatories) else "organisations" if not people else "mixed"
        return self.t(f"signers.{kind}", count=len(signatories))

    def evidence_sentence(self, notes: tuple[int, ...]) -> Markdown:
        if not notes:
            return self.t("concern.no_evidence")
        key = "concern.evidence" if len(notes) > 1 else "concern.evidence_one"
        return self.t(key, notes=self.note_list(notes))

    def demand_sentence(self, outcome: DemandOutcome) -> Markdown:
        demand = outcome.demand
        return self.t(
            "domestic.demand",
            when=self.when(demand.date, capital=True),
            senders=self._senders(outcome),
            to=demand.to,
            channel=self.channel(demand.channel),
            subject=demand.subject,
        )

    def channel(self, channel: str) -> Markdown:
        """How a demand was sent, as the words after "was sent to X" (nothing when not recorded)."""
        if not channel:
            return Markdown("")
        known = channel_key(channel)
        return self.t(f"channel.{known}") if known else self.t("channel.other", channel=channel)

    def when(self, date: EdtfDate, *, capital: bool = False) -> Markdown:
        """A date as an adverbial phrase: "on 16 February 2017", "in March 2017", "around 2016"."""
        point = date.start if not date.is_interval else None
        written = escape_inline(self.date(date))
        if point is not None and not (point.approximate or point.uncertain):
            key = "domestic.when_day" if point.day is not None else "domestic.when_period"
            written = self.t(key, date=written)
        return Markdown(capitalise(written)) if capital else written

    def _senders(self, outcome: DemandOutcome) -> Markdown:
        if not outcome.senders:
            return self.t("domestic.senders_default")
        if outcome.sent_by_all and len(outcome.senders) > 2:
            return self.t("domestic.senders_all")
        return Markdown(", ".join(escape_inline(sender) for sender in outcome.senders))

    def outcome_sentence(self, outcome: DemandOutcome, letter_date: datetime.date) -> Markdown:
        demand = outcome.demand
        if outcome.days_unanswered is not None:
            if outcome.status is DemandStatus.OVERDUE and demand.deadline is not None:
                return self.t(
                    "domestic.overdue",
                    deadline=self.date(demand.deadline),
                    count=outcome.days_unanswered,
                    letter_date=self.day(letter_date),
                )
            return self.t("domestic.unanswered", count=outcome.days_unanswered, letter_date=self.day(letter_date))
        response = demand.latest_response()
        assert response is not None  # days_unanswered is None only once answered
        sentence = self.t(f"domestic.{response.status.value}", to=demand.to, when=self.when(response.date))
        if response.summary:
            sentence = Markdown(f"{sentence} {self.t('domestic.response_summary', summary=response.summary)}")
        return sentence


class Lists(Sentences):
    """The long lists of the letter, made in Python rather than by template loops."""

    def event_entry(self, cited: CitedEvent, *, details: bool = True) -> Markdown:
        """An event as a list item: date, title and notes, then description and actors below."""
        return Markdown(self._event_entry(cited, details))

    def _event_entry(self, cited: CitedEvent, details: bool) -> str:
        # Each event's first line is written twice (its concern and the chronology): kept until then.
        known = self._entries.pop(id(cited), None)
        event = cited.event
        if known is not None and known[0] is cited:
            first = known[1]
        else:
            title = escape_text(event.title)
            first = f"**{self._escaped_date(event.date)}**{self._date_colon}{title}{_note_marks(cited.notes)}"
            self._entries[id(cited)] = (cited, first)
        if not details:
            return first
        description = escape_text(event.description)
        if not (event.actors or event.affected):  # most events: no list to build
            return f"{first}  \n  {description}" if description else first
        lines = [first]
        if description:
            lines.append(description)
        if event.actors:
            lines.append(self.t("concern.actors", actors=self.join_text(event.actors)))
        if event.affected:
            people = [self.affected_person(person) for person in event.affected]
            lines.append(self.t("concern.affected", people=Markdown(self._semicolon.join(people))))
        return "  \n  ".join(lines)

    def affected_person(self, person: Affected) -> Markdown:
        """A named person with their role, or only their role (privacy decides which, earlier)."""
        if person.name and person.role:
            return Markdown(f"{escape_inline(person.name)} ({escape_inline(person.role)})")
        return escape_inline(person.name or person.role) or self.t("concern.affected_unnamed")

    def evidence_line(self, event: Event, attachment: Attachment) -> Markdown:
        return self.t(
            "annex.evidence_line",
            name=Verbatim(escape_inline(attachment.name)),
            media_type=Verbatim(escape_inline(attachment.media_type)),
            size=attachment.size,
            event=event.title,
            sha256=Verbatim(attachment.sha256 if _HEX.fullmatch(attachment.sha256) else ""),
        )

    # Lists with one line per event or source are made here rather than by loops in the
    # template: a 10,000-event letter is mostly these lists, and a template loop costs several
    # times more per line. Templates still choose where each list goes, and can loop themselves.

    def event_list(self, events: Iterable[CitedEvent]) -> Markdown:
        """Events as a Markdown list, each with its details."""
        entry = self._event_entry
        return self.hold("\n".join(["- " + entry(cited, True) for cited in events]))

    def chronology_list(self, chronology: Iterable[ChronologyEntry]) -> Markdown:
        """The annex chronology: events and demands, one line each."""
        colon = self.t("letter.date_colon")
        lines = []
        for entry in chronology:
            if entry.event is not None:
                lines.append("- " + self._event_entry(entry.event, False))
            elif entry.demand is not None:
                demand = entry.demand.demand
                what = self.t("annex.chronology_demand", to=demand.to, subject=demand.subject)
                lines.append(f"- **{self._escaped_date(demand.date)}**{colon}{what}")
        return self.hold("\n".join(lines))

    def sources_index(self, footnotes: Iterable[Footnote]) -> Markdown:
        """Every source, numbered as its footnote."""
        footnotes = _as_sequence(footnotes)
        texts = self._footnote_texts(footnotes)
        lines = [f"{footnote.number}. {text}" for footnote, text in zip(footnotes, texts, strict=True)]
        return self.hold("\n".join(lines)) if lines else self.t("annex.sources_none")

    def footnote_definitions(self, footnotes: Iterable[Footnote]) -> Markdown:
        """The footnotes themselves, ``[^n]: ...``."""
        footnotes = _as_sequence(footnotes)
        texts = self._footnote_texts(footnotes)
        return self.hold("\n".join([f"[^{f.number}]: {text}" for f, text in zip(footnotes, texts, strict=True)]))

    def _footnote_texts(self, footnotes: Sequence[Footnote]) -> list[str]:
        # The built-in letter lists the same footnotes twice (annex and footnotes): kept until then.
        known = self._footnote_lists.pop(id(footnotes), None)
        if known is not None and known[0] is footnotes:
            return known[1]
        text = self._footnote_text
        texts = [text(footnote.source) for footnote in footnotes]
        self._footnote_lists[id(footnotes)] = (footnotes, texts)
        return texts

    def evidence_list(self, attachments: Iterable[tuple[Event, Attachment]]) -> Markdown:
        """Attached files with their SHA-256, one line each."""
        return self.hold("\n".join(f"- {self.evidence_line(event, attachment)}" for event, attachment in attachments))

    def signatory_line(self, signatory: Signatory) -> Markdown:
        name = escape_inline(signatory.name) if signatory.name else self.t("signatories.withheld")
        line = f"**{name}**"
        if signatory.country:
            from casefile.case.countries import country_name

            line += f" ({escape_inline(country_name(signatory.country, self.language))})"
        if signatory.representative:
            line += ", " + self.t("signatories.represented", representative=self.representative(signatory))
        return Markdown(line)


def _as_sequence(items: Iterable[Any]) -> Sequence[Any]:
    """``items`` as a tuple, unless it is one: a template may pass a generator (``selectattr``)."""
    return items if isinstance(items, tuple) else tuple(items)


def _note_marks(numbers: tuple[int, ...]) -> str:
    """``[^1][^2]``: the footnote marks of ``numbers``."""
    return "[^" + "][^".join(map(str, numbers)) + "]" if numbers else ""
