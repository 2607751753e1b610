"""The long lists of the letter (events, chronology, notes, evidence), made in Python.

A 10,000-event letter is mostly these lists. Each list's user texts are escaped all at once
(:func:`casefile.letter.markdown.escape_texts`), and each list is held aside while the
template's own output is tidied (:meth:`casefile.letter.layout.Words.hold`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from casefile.case.model import Affected, Attachment, Event, Signatory, Source
from casefile.letter.grammar import Verbatim, article_form
from casefile.letter.layout import Sentences, note_marks
from casefile.letter.letter import ChronologyEntry, CitedEvent, Footnote
from casefile.letter.markdown import (
    SAFE_URL,
    SAFE_URLS,
    Markdown,
    citation,
    each_matches,
    escape_inline,
    escape_texts,
    link_text,
)

_HEX = re.compile(r"[0-9a-f]{64}")
#: How many events or sources are written together: each pass over a few hundred finds them in
#: the processor's cache, where a pass over all of a large letter's would not.
_AT_ONCE = 256


class Lists(Sentences):
    """The long lists of the letter, made in Python rather than by template loops."""

    def event_entry(self, cited: CitedEvent, *, details: bool = True) -> Markdown:
        """An event as a list item: date, title and notes, then description and actors below."""
        return Markdown(self._event_entry(cited, details))

    def _event_entry(self, cited: CitedEvent, details: bool) -> str:
        return self._event_entries((cited,), details)[0]

    def _event_entries(self, events: Sequence[CitedEvent], details: bool, prefix: str = "") -> list[str]:
        """Each event's list item after ``prefix``, the events' texts escaped together.

        Each event's first line (date, title, notes) is kept for the chronology, which writes it again.
        """
        entries: list[str] = []
        for start in range(0, len(events), _AT_ONCE):
            entries += self._entries_together(events[start : start + _AT_ONCE], details, prefix)
        return entries

    def _entries_together(self, events: Sequence[CitedEvent], details: bool, prefix: str) -> list[str]:
        # Made field by field, each a pass over the events: one loop doing everything for each
        # event costs more. The passes are over a few hundred events, which stay in the cache.
        happened = [cited.event for cited in events]
        titles = escape_texts([event.title for event in happened])
        dates = self._escaped_dates_of([event.date for event in happened])
        colon = self._date_colon
        firsts = [
            f"**{date}**{colon}{title}[^{notes[0]}][^{notes[1]}]"  # most events: two sources
            if len(notes := cited.notes) == 2
            else f"**{date}**{colon}{title}{note_marks(notes)}"
            for date, title, cited in zip(dates, titles, events, strict=True)
        ]
        self._entries.update(zip(map(id, events), zip(events, firsts, strict=True), strict=True))
        if not details:
            return [prefix + first for first in firsts]
        descriptions = escape_texts([event.description for event in happened])
        return [
            prefix + self._with_lists(first, description, event)
            if event.actors or event.affected
            else f"{prefix}{first}  \n  {description}"  # most events: a description, no list to build
            if description
            else prefix + first
            for first, description, event in zip(firsts, descriptions, happened, strict=True)
        ]

    def _with_lists(self, first: str, description: str, event: Event) -> str:
        lines = [first]
        if description:
            lines.append(description)
        if event.actors:
            lines.append(self.t("concern.actors", actors=self.join_text(event.actors), count=len(event.actors)))
        if event.affected:
            lines.append(self.affected_sentence(event.affected))
        return "  \n  ".join(lines)

    def affected_sentence(self, affected: Sequence[Affected]) -> Markdown:
        """ "People affected: A (role); B", "Person affected: A" ("name withheld" for one not described)."""
        if len(affected) == 1:
            person = affected[0]
            if not escape_inline(person.name or person.role):
                return self.t("concern.affected_one_unnamed")
            return self.t("concern.affected_one", people=self.affected_person(person))
        people = [self.affected_person(person) for person in affected]
        return self.t("concern.affected", people=Markdown(self._semicolon.join(people)))

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
        return self.hold("\n".join(self._event_entries(_as_sequence(events), True, "- ")))

    def chronology_list(self, chronology: Iterable[ChronologyEntry]) -> Markdown:
        """The annex chronology: events and demands, one line each."""
        entries = _as_sequence(chronology)
        kept = self._entries
        # Most lines are the first line of an event's entry in a concern, kept when it was made.
        lines: list[str | None] = [
            "- " + pair[1]
            if (cited := entry.event) is not None
            and (pair := kept.pop(id(cited), None)) is not None
            and pair[0] is cited
            else None
            for entry in entries
        ]
        others = [index for index, line in enumerate(lines) if line is None]
        if others:
            self._other_chronology_lines(entries, lines, others)
        return self.hold("\n".join([line for line in lines if line is not None]))

    def _other_chronology_lines(
        self, entries: Sequence[ChronologyEntry], lines: list[str | None], others: list[int]
    ) -> None:
        """The lines of demands, and of events whose first line was not kept (made together)."""
        colon = self.t("letter.date_colon")
        missing: list[tuple[int, CitedEvent]] = []
        for index in others:
            entry = entries[index]
            if entry.event is not None:
                missing.append((index, entry.event))
            elif entry.demand is not None:
                demand = entry.demand.demand
                what = self.t("annex.chronology_demand", to=demand.to, subject=demand.subject)
                lines[index] = f"- **{self._escaped_date(demand.date)}**{colon}{what}"
        made = self._event_entries([cited for _, cited in missing], False, "- ")
        for (index, cited), line in zip(missing, made, strict=True):
            lines[index] = line
            self._entries.pop(id(cited), None)

    def sources_index(self, footnotes: Iterable[Footnote]) -> Markdown:
        """Every source, numbered as its footnote."""
        lines = self._footnote_lines(_as_sequence(footnotes), "", ". ")
        return self.hold("\n".join(lines)) if lines else self.t("annex.sources_none")

    def footnote_definitions(self, footnotes: Iterable[Footnote]) -> Markdown:
        """The footnotes themselves, ``[^n]: ...``."""
        return self.hold("\n".join(self._footnote_lines(_as_sequence(footnotes), "[^", "]: ")))

    def _footnote_lines(self, footnotes: Sequence[Footnote], before: str, after: str) -> list[str]:
        """``{before}{number}{after}{text}`` for each footnote, a few hundred at a time.

        A template may list the same footnotes twice (an index and the notes): their texts are
        kept from the first list until the second.
        """
        known = self._footnote_lists.pop(id(footnotes), None)
        if known is not None and known[0] is footnotes:
            texts = known[1]
            return [f"{before}{footnote.number}{after}{text}" for footnote, text in zip(footnotes, texts, strict=True)]
        lines: list[str] = []
        texts = []
        for start in range(0, len(footnotes), _AT_ONCE):
            group = footnotes[start : start + _AT_ONCE]
            written = self._footnote_texts_together([footnote.source for footnote in group])
            lines += [f"{before}{footnote.number}{after}{text}" for footnote, text in zip(group, written, strict=True)]
            texts += written
        self._footnote_lists[id(footnotes)] = (footnotes, texts)
        return lines

    def _footnote_texts_together(self, sources: list[Source]) -> list[str]:
        titles = escape_texts([source.title for source in sources])
        publishers = escape_texts([source.publisher for source in sources])
        urls = [source.url for source in sources]
        safe = each_matches(SAFE_URLS, urls) or [bool(SAFE_URL.match(url)) for url in urls]
        return [
            (
                f"{title}{' ' if title[-1] in '.!?' else '. '}<{url}>"  # most sources: "Title. <url>"
                if title and not publisher and is_safe and not title.isdecimal()  # "2017. <url>": a list
                else _plain_citation(source, title, publisher)
            )
            if source.date is None and not source.archived_url and source.accessed is None
            else self._footnote_text(source)  # a date or an archived copy: words of the letter's language
            for source, url, is_safe, title, publisher in zip(sources, urls, safe, titles, publishers, strict=True)
        ]

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
            # "representado por" after "el Centro...", "representada" after "la Red..." or no article.
            form = article_form(self.language, signatory.article) if signatory.article else ""
            key = f"signatories.represented_{form}" if form else "signatories.represented"
            line += ", " + self.t(key, representative=self.representative(signatory))
        return Markdown(line)


def _plain_citation(source: Source, title: str, publisher: str) -> str:
    """A note with no date or archived copy: its title and publisher (escaped), then its address."""
    # A part the source has is kept even when escaping leaves nothing of it: it still ends a sentence.
    parts = [escaped for given, escaped in ((source.title, title), (source.publisher, publisher)) if given]
    if source.url:
        parts.append(link_text(source.url))
    return citation(parts)


def _as_sequence(items: Iterable[Any]) -> Sequence[Any]:
    """``items`` as a tuple, unless it is one: a template may pass a generator (``selectattr``)."""
    return items if isinstance(items, tuple) else tuple(items)
