"""How the letter writes each thing: words and sentences, with user text escaped.

``Words`` holds the small pieces (dates, note numbers, names), ``Sentences`` the sentences
the templates ask for; :class:`casefile.letter.lists.Lists` adds the long lists made in Python.
The templates reach them as filters and globals (:func:`casefile.letter.render.render_letter_pieces`).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from typing import Any

from casefile.case.dates import EdtfDate, format_date
from casefile.case.datewords import is_uncertain, write_date, write_day
from casefile.case.kinds import DaysKnown
from casefile.case.model import (
    Concern,
    DemandStatus,
    FilerCategory,
    Response,
    Signatory,
    SignatoryKind,
    Source,
)
from casefile.letter.catalogue import Translator, escape_param
from casefile.letter.grammar import Listed, and_word, capitalise, channel_key, with_article
from casefile.letter.letter import (
    CitedEvent,
    DemandOutcome,
    Footnote,
    Letter,
    NumberedConcern,
    signatory_kinds,
)
from casefile.letter.markdown import (
    Markdown,
    citation,
    escape_inline,
    escape_text,
    escape_texts,
    link,
    link_text,
    plain_footnote_text,
)

# A held block's placeholder (see Words.hold): user text may hold NUL and digits, but its "<" is
# always escaped ("\<", or an autolink's "<https"), so no text can write one.
_HELD = re.compile("\x00<(\\d+)>\x00")


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
        self._semicolon = "\u00a0; " if language == "fr" else "; "

    def hold(self, text: str) -> Markdown:
        """A long, already tidy block, kept aside while the template's output is tidied.

        The template gets a one-line placeholder; :meth:`put_back` swaps the block in after
        tidying, so the tens of thousands of lines of a large case's lists are not tidied again.
        """
        if not text:
            return Markdown("")
        self._held.append(text)
        return Markdown(f"\x00<{len(self._held) - 1}>\x00")

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
        if type(value) is not EdtfDate:
            return format_date(value, self.language)
        written = self._dates.get(value.text)
        if written is None:
            written = self._dates[value.text] = write_date(value, self.language)
        return written

    def day(self, value: datetime.date) -> str:
        return write_day(value, self.language)

    def deadline(self, value: EdtfDate) -> str:
        """A deadline's date, without "probably": a sentence says a probable one ("plazo probable: 2017")."""
        return write_date(value, self.language, probable=False)

    def join_text(self, values: Iterable[Any]) -> Markdown:
        # French sets a no-break space before a semicolon ("civique ; Valeur").
        return Markdown(self._semicolon.join(escape_param(value) for value in values))

    @staticmethod
    def notes(numbers: Iterable[int]) -> Markdown:
        return Markdown(note_marks(tuple(numbers)))

    def and_list(self, written: Sequence[str], last: str) -> Markdown:
        """Pieces already written as Markdown, run together: "A", "A and B", "A, B and C".

        ``last`` is the last piece as it is read: it chooses the word ("e" before an i sound in Spanish).
        """
        if len(written) < 2:
            return Markdown("".join(written))
        return Listed(written, and_word(self.language, self.t("list.and"), last))

    def note_list(self, numbers: Iterable[int]) -> Markdown:
        """Note numbers in a running sentence: "1, 2 and 3", "1, 2 y 3", "1, 2 et 3"."""
        written = [str(number) for number in numbers]
        return self.and_list(written, written[-1] if written else "")

    def concern_title(self, item: NumberedConcern) -> Markdown:
        if not item.generated:
            return escape_inline(item.concern.title)
        if item.concern.title:
            return self.t("concern.tagged", tag=item.concern.title)
        return self.t("concern.untitled")

    def category_text(self, concern: Concern) -> Markdown:
        return self.t(f"category.{concern.category.value}", text=concern.category_other)

    def named(self, signatory: Signatory) -> str:
        """A signatory's name where a sentence names it, with its article: "el Centro...", "the Centre..."."""
        return with_article(self.language, signatory.article, signatory.name)

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

    def _escaped_dates_of(self, dates: list[EdtfDate]) -> list[str]:
        """:meth:`_escaped_date` of each date: the ones not yet written are written and escaped together."""
        known = self._escaped_dates
        texts = [date.text for date in dates]
        missing = {text: date for text, date in zip(texts, dates, strict=True) if text not in known}
        if missing:
            language = self.language
            written = [capitalise(write_date(date, language)) for date in missing.values()]
            known.update(zip(missing, escape_texts(written), strict=True))
        return list(map(known.__getitem__, texts))

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
            return self.t("filers.count_one", lead=self.named(signatories[0]))
        signers = self.signers(signatories)
        if letter.lead is not None:
            return self.t("filers.count", signers=signers, lead=self.named(letter.lead))
        return self.t("filers.count_no_lead", signers=signers)

    def domestic_intro(self, letter: Letter) -> Markdown:
        """ "Before writing to OGP, the ten signatory organisations raised these matters with..."."""
        signatories = letter.case.signatories
        if not signatories:
            return self.t("domestic.intro", count=1, signers=self.t("domestic.senders_default"))
        return self.t("domestic.intro", count=len(signatories), signers=self.signers(signatories))

    def signers(self, signatories: Sequence[Signatory]) -> Markdown:
        """Who signs, counted: "the three signatory organisations", "las tres personas firmantes"."""
        kinds = signatory_kinds(signatories)
        if kinds == "mixed" and len(signatories) == 2:  # not "the two organisations and individuals"
            return self.t("signers.mixed_pair")
        return self.t(f"signers.{kinds}", count=len(signatories))

    @staticmethod
    def signers_form(signatories: Sequence[Signatory]) -> str:
        """The ending of the keys of a sentence about the signatories that fits them.

        ``_one`` for a single signatory (the sentence names it), ``_people`` when every one is an
        individual, ``_mixed`` for organisations and individuals, none for organisations: "Las
        personas y organizaciones firmantes solicitamos...", not "Las organizaciones firmantes".
        """
        if len(signatories) == 1:
            return "_one"
        return _FORMS[signatory_kinds(signatories)]

    def filer_category_sentence(self, letter: Letter) -> Markdown:
        """The filers' eligibility category, said of organisations only when they are organisations."""
        category = letter.case.filer_category
        if category is None:
            return self.t("filers.unknown")
        if category is not FilerCategory.INVOLVED_ENTITY:
            return self.t(f"filers.{category.value}")
        signatories = letter.case.signatories
        form = self.signers_form(signatories)
        if form == "_one" and signatories[0].kind is SignatoryKind.INDIVIDUAL:
            form = "_people"
        if form == "_one":
            return self.t("filers.involved-entity_one", name=self.named(signatories[0]))
        return self.t(f"filers.involved-entity{form}", count=len(letter.organisations))

    def evidence_sentence(self, notes: tuple[int, ...]) -> Markdown:
        if not notes:
            return self.t("concern.no_evidence")
        key = "concern.evidence" if len(notes) > 1 else "concern.evidence_one"
        return self.t(key, notes=self.note_list(notes))

    def demand_sentence(self, outcome: DemandOutcome, signatories: Sequence[Signatory] = ()) -> Markdown:
        demand = outcome.demand
        return self.t(
            "domestic.demand",
            when=self.when(demand.date, capital=True),
            senders=self._senders(outcome, signatories),
            to=demand.to,
            channel=self.channel(demand.channel),
            sent=self.sent(demand.channel),
            subject=demand.subject,
        )

    def sent(self, channel: str) -> Markdown:
        """The verb a demand's sentence takes for how it was sent: "presented" at a meeting, else "sent"."""
        known = channel_key(channel) if channel else None
        return self.t(f"sent.{known}" if f"sent.{known}" in self.t.messages else "sent.default")

    def channel(self, channel: str) -> Markdown:
        """How a demand was sent, as the words after "was sent to X" (nothing when not recorded)."""
        if not channel:
            return Markdown("")
        known = channel_key(channel)
        return self.t(f"channel.{known}") if known else self.t("channel.other", channel=channel)

    def when(self, date: EdtfDate, *, capital: bool = False) -> Markdown:
        """A date as an adverbial phrase: "on 16 February 2017", "in March 2017", "around 2016"."""
        point = date.start if not date.is_interval else None
        # A range is when a thing was done once: "between March and May 2017".
        written = escape_inline(write_date(date, self.language, between=True) if point is None else self.date(date))
        if point is not None and not (point.approximate or point.uncertain):
            key = "domestic.when_day" if point.day is not None else "domestic.when_period"
            written = self.t(key, date=written)
        return Markdown(capitalise(written)) if capital else written

    def _senders(self, outcome: DemandOutcome, signatories: Sequence[Signatory] = ()) -> Markdown:
        # Individuals a redacted letter does not name are still counted among who sent it. The phrase
        # goes inside a sentence: its count ("two") is not the capital a sentence starts with.
        phrase = self.t("domestic.senders_withheld", count=outcome.withheld) if outcome.withheld else ""
        withheld = [Markdown(phrase[:1].lower() + phrase[1:])] if phrase else []
        if outcome.all_of in ("people", "mixed"):  # every signatory, named or not
            return self.t("domestic.senders_all" + _FORMS[outcome.all_of])
        if outcome.all_of:
            # "all the signatory organisations", "todas las organizaciones firmantes"...
            together = self.t("domestic.senders_all" + _FORMS[outcome.all_of])
            # ... "and Luis Hernández", the individuals who sent it too
            last = withheld[-1] if withheld else outcome.also[-1] if outcome.also else together
            return self.and_list([together, *map(escape_inline, outcome.also), *withheld], last)
        if not outcome.senders and not withheld:
            # One organisation signs: the demand is its own ("una solicitud del CENIDH"), no coalition's.
            if len(signatories) == 1 and signatories[0].kind is not SignatoryKind.INDIVIDUAL:
                alone = signatories[0]
                return escape_inline(with_article(self.language, alone.article, alone.short_name or alone.name))
            return self.t("domestic.senders_default")
        last = withheld[-1] if withheld else outcome.senders[-1]
        return self.and_list([*(escape_inline(name) for name in outcome.senders), *withheld], last)

    def outcome_sentence(self, outcome: DemandOutcome, letter_date: datetime.date) -> Markdown:
        sentence = self._outcome(outcome, letter_date)
        reminders = outcome.demand.reminders
        if outcome.days_unanswered is None or not reminders:
            return sentence
        # An unanswered demand the coalition reminded them of: "Un rappel a été envoyé le 2 mai 2024."
        last = max(reminders, key=lambda reminder: reminder.date.sort_key())
        reminded = self.t("domestic.reminded", count=len(reminders), when=self.when(last.date))
        return Markdown(f"{sentence} {reminded}")

    def _outcome(self, outcome: DemandOutcome, letter_date: datetime.date) -> Markdown:
        demand = outcome.demand
        if outcome.days_unanswered is not None:
            if outcome.days_known is not DaysKnown.EXACT:
                # Sent on no one known day ("2019"): the days are a guess or a lower bound; the
                # demand's own sentence already says when it was sent.
                if outcome.status is DemandStatus.OVERDUE and demand.deadline is not None:
                    key = "domestic.overdue_undated" + _PROBABLE[is_uncertain(demand.deadline)]
                    deadline = self.deadline(demand.deadline)
                    return self.t(key, deadline=deadline, letter_date=self.day(letter_date))
                return self.t("domestic.unanswered_undated", letter_date=self.day(letter_date))
            if outcome.status is DemandStatus.OVERDUE and demand.deadline is not None:
                return self.t(
                    "domestic.overdue" + _PROBABLE[is_uncertain(demand.deadline)],
                    deadline=self.deadline(demand.deadline),
                    count=outcome.days_unanswered,
                    letter_date=self.day(letter_date),
                )
            return self.t("domestic.unanswered", count=outcome.days_unanswered, letter_date=self.day(letter_date))
        response = demand.latest_response()
        assert response is not None  # days_unanswered is None only once answered
        sentence = self.t(f"domestic.{response.status.value}", to=demand.to, when=self.when(response.date))
        said = self.summary(response)
        return Markdown(f"{sentence} {said}") if said else sentence

    def summary(self, response: Response) -> Markdown:
        """A response's "In substance: …", ending with its stop; empty when it has no summary."""
        if not response.summary.strip():
            return Markdown("")
        said = self.t("domestic.response_summary", summary=response.summary.rstrip())
        # The summary ends the sentence: with its stop when the user gave it none ("…estudiarían.").
        stop = "" if response.summary.rstrip().endswith((".", "!", "?", "…")) else "."
        return Markdown(f"{said}{stop}")


#: The ending of a key whose deadline is probable ("2017?"): "although one was requested, probably by…".
_PROBABLE = {False: "", True: "_probable"}

#: The ending of a key for each kind of signatories (see :meth:`Sentences.signers_form`).
_FORMS = {"organisations": "", "people": "_people", "mixed": "_mixed"}


def note_marks(numbers: tuple[int, ...]) -> str:
    """``[^1][^2]``: the footnote marks of ``numbers``."""
    if len(numbers) == 2:  # most events: two sources
        return f"[^{numbers[0]}][^{numbers[1]}]"
    return "[^" + "][^".join(map(str, numbers)) + "]" if numbers else ""
