"""What the letter says, worked out before any template sees it.

:func:`build_letter` turns a case into a :class:`Letter`: concerns numbered in the order they
were added (or one per event tag when there are none), events in date order, every cited
source given one footnote number in order of first use, demands with their outcome as of the
letter date, signatories organisations first. Templates only lay it out.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, islice, repeat
from operator import itemgetter
from typing import NamedTuple, cast

from casefile.case.ids import slugify
from casefile.case.kinds import DaysKnown
from casefile.case.model import (
    Attachment,
    Case,
    Concern,
    ConcernCategory,
    Demand,
    DemandStatus,
    Event,
    Signatory,
    SignatoryKind,
    Source,
)
from casefile.letter.grammar import with_article
from casefile.letter.markdown import each_matches

# CitedEvent, ChronologyEntry and Footnote are made once per event or source (40,000 for 10,000
# events): named tuples are as immutable as frozen dataclasses and made in half the time.


class CitedEvent(NamedTuple):
    """An event as a concern or the chronology shows it, with its footnote numbers."""

    event: Event
    notes: tuple[int, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class NumberedConcern:
    """A concern with its number in the letter and its events in date order."""

    number: int
    concern: Concern
    events: tuple[CitedEvent, ...]
    generated: bool = False

    @property
    def notes(self) -> tuple[int, ...]:
        """Every footnote its events cite, each once, in order."""
        return tuple(dict.fromkeys(chain.from_iterable([cited.notes for cited in self.events])))


@dataclass(frozen=True, slots=True, kw_only=True)
class DemandOutcome:
    """A demand and where it stands on the letter date (``days_known``: how well ``days_unanswered`` is)."""

    demand: Demand
    senders: tuple[str, ...]
    status: DemandStatus
    days_unanswered: int | None
    days_known: DaysKnown | None = None
    #: Who, more than two, all sent it, named together: ``organisations`` (every signatory
    #: organisation, the individuals ``also`` by name), ``people`` or ``mixed`` (all); else empty.
    all_of: str = ""
    also: tuple[str, ...] = ()
    withheld: int = 0  # senders whose names a redacted letter withholds (individuals)


class ChronologyEntry(NamedTuple):
    """One line of the annex chronology: an event or a demand."""

    date_text: str
    sort_key: tuple[tuple[int, ...], str]
    event: CitedEvent | None = None
    demand: DemandOutcome | None = None


class Footnote(NamedTuple):
    """A numbered source."""

    number: int
    source: Source


_DEFAULT_PORTS = {"http": 80, "https": 443, "ftp": 21}
#: A web address already written as :func:`normalised_url` writes it: lower-case scheme and
#: host, no port, user or fragment, and a path (if any) that does not end with a slash.
_NORMAL_URL = re.compile(r"https?://[a-z0-9.-]+(?:/[^?#\s]*[^/?#\s])?(?:\?[^#\s]*)?")


def normalised_url(url: str) -> str:
    """The address a URL names, written one way: the letter gives one note per address.

    Scheme and host are lower-cased, a default port, a trailing slash and a fragment dropped:
    ``HTTPS://Example.org:443/report/#p2`` and ``https://example.org/report`` are one source.
    The path and the query are kept as written (a server may tell their case apart). Text that
    is not a web address is only stripped.
    """
    if _NORMAL_URL.fullmatch(url):
        return url  # most addresses are written this way already: no need to take them apart
    return _taken_apart(url)


def _taken_apart(url: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    text = url.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:  # a malformed port or address: compared as written
        return text
    if not (parts.scheme and parts.netloc):
        return text
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    user = parts.netloc.rpartition("@")[0]
    netloc = (f"{user}@" if user else "") + host
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        netloc += f":{port}"
    return urlunsplit((scheme, netloc, parts.path.rstrip("/"), parts.query, ""))


def note_key(source: Source) -> str:
    """What makes two citations one note: the normalised URL, else the title and publisher."""
    return normalised_url(source.url) if source.url else f"|{source.title}|{source.publisher}"


def _completed(first: Source, other: Source) -> Source:
    """``first`` with the details only ``other`` gives (a title, an archived copy...) filled in."""
    changes = {
        name: getattr(other, name)
        for name in ("title", "publisher", "date", "archived_url", "accessed")
        if not getattr(first, name) and getattr(other, name)
    }
    return dataclasses.replace(first, **changes) if changes else first


def _numbered(source_lists: list[tuple[Source, ...]]) -> tuple[list[tuple[int, ...]], list[Source]]:
    """Each list's note numbers (each once, in order), and the sources by number.

    Each distinct source gets one number, in order of first citation. Sources are the same when
    :func:`note_key` says so: the same address cited by several events or concerns, with or
    without a trailing slash, in any case, is one note with one number, and its note has the
    details (a title, an archived copy...) any of its citations gives.

    All citations are numbered at once: a large letter cites tens of thousands of sources, and
    passes over all of them (mostly in C: dict, map) cost less than a few steps for each.
    """
    cited = [source for sources in source_lists for source in sources]
    keys, distinct = _keys(cited)
    if distinct:  # no source is cited twice: the nth citation is note n
        return _in_turn(source_lists, iter(range(1, len(keys) + 1))), cited
    numbers = {key: number for number, key in enumerate(dict.fromkeys(keys), start=1)}
    notes = _in_turn(source_lists, iter(list(map(numbers.__getitem__, keys))))
    return [
        numbers_of
        if len(numbers_of) < 2
        or (len(numbers_of) == 2 and numbers_of[0] != numbers_of[1])
        or len(set(numbers_of)) == len(numbers_of)
        else tuple(dict.fromkeys(numbers_of))  # a source cited twice by one event: one note
        for numbers_of in notes
    ], _merged(keys, cited, numbers)


def _in_turn(source_lists: list[tuple[Source, ...]], numbers: Iterator[int]) -> list[tuple[int, ...]]:
    """``numbers`` shared out in turn: as many to each list as it has sources."""
    counts = list(map(len, source_lists))
    if counts and counts.count(counts[0]) == len(counts):  # often: every event has as many sources
        return list(zip(*[numbers] * counts[0], strict=False)) if counts[0] else [()] * len(counts)
    return [tuple(islice(numbers, count)) for count in counts]


def _merged(keys: list[str], cited: list[Source], numbers: dict[str, int]) -> list[Source]:
    """The source of each note: its first citation, completed by the details the others give."""
    firsts: list[Source | None] = [None] * len(numbers)
    for key, source in zip(keys, cited, strict=True):
        place = numbers[key] - 1
        known = firsts[place]
        if known is None:
            firsts[place] = source
        elif known is not source and known != source:
            firsts[place] = _completed(known, source)
    return cast("list[Source]", firsts)  # every number was given to a source


#: Addresses, each followed by a line break, written as normalised_url writes them.
_NORMAL_URLS = re.compile(f"(?:{_NORMAL_URL.pattern}\\n)*")
#: How many addresses are checked together (see _keys).
_AT_ONCE = 256


def _keys(sources: list[Source]) -> tuple[list[str], bool]:
    """:func:`note_key` of each source, and whether they are all different.

    Most addresses are written as :func:`normalised_url` writes them, and are their own key:
    a few hundred are checked at once (:func:`casefile.letter.markdown.each_matches`), and
    counted while their text is still in the processor's cache.
    """
    keys: list[str] = []
    seen: set[str] = set()
    apart: dict[str, str] = {}  # each address not written the normal way is taken apart once
    for start in range(0, len(sources), _AT_ONCE):
        group = sources[start : start + _AT_ONCE]
        urls = [source.url for source in group]
        normal = each_matches(_NORMAL_URLS, urls)
        if normal is None:  # an address holds a line break
            group_keys = [_key(source, apart) for source in group]
        elif False in normal:
            group_keys = [
                url if ok else _key(source, apart) for url, ok, source in zip(urls, normal, group, strict=True)
            ]
        else:  # most groups
            group_keys = urls
        keys += group_keys
        seen.update(group_keys)
    return keys, len(seen) == len(keys)


def _key(source: Source, apart: dict[str, str]) -> str:
    """:func:`note_key` of one source; ``apart`` keeps the addresses taken apart."""
    url = source.url
    if not url:
        return f"|{source.title}|{source.publisher}"
    if _NORMAL_URL.fullmatch(url):
        return url
    return apart.get(url) or apart.setdefault(url, _taken_apart(url))


@dataclass(frozen=True, slots=True, kw_only=True)
class Letter:
    """Everything a letter template needs."""

    case: Case
    language: str
    letter_date: datetime.date
    concerns: tuple[NumberedConcern, ...]
    demands: tuple[DemandOutcome, ...]
    organisations: tuple[Signatory, ...]
    individuals: tuple[Signatory, ...]
    lead: Signatory | None
    chronology: tuple[ChronologyEntry, ...]
    footnotes: tuple[Footnote, ...]
    breaches: tuple[str, ...]
    attachments: tuple[tuple[Event, Attachment], ...] = ()

    @property
    def unanswered(self) -> tuple[DemandOutcome, ...]:
        """Demands with no response at all on the letter date."""
        return tuple(outcome for outcome in self.demands if outcome.days_unanswered is not None)


def _chronological(events: Iterable[Event]) -> list[Event]:
    return sorted(events, key=lambda event: (event.date.sort_key(), event.id))


def effective_concerns(
    case: Case, *, chronological: list[Event] | None = None
) -> list[tuple[Concern, list[Event], bool]]:
    """The case's concerns with their events; without concerns, one per event tag.

    The third value says whether the concern was generated (so the template can word it).
    ``chronological`` is the case's events in date order, if the caller has them already.
    """
    events = _chronological(case.events) if chronological is None else chronological
    return [(concern, [events[place] for place in places], made) for concern, places, made in _concerns(case, events)]


def _concerns(case: Case, events: list[Event]) -> list[tuple[Concern, list[int], bool]]:
    """:func:`effective_concerns`, each concern's events given by their places in ``events``."""
    if case.concerns:
        by_concern: dict[str, list[int]] = {concern.id: [] for concern in case.concerns}
        for place, event in enumerate(events):  # one pass over the events, however many concerns there are
            for concern_id in event.concerns if len(event.concerns) < 2 else dict.fromkeys(event.concerns):
                supported = by_concern.get(concern_id)
                if supported is not None:
                    supported.append(place)
        return [(concern, by_concern[concern.id], False) for concern in case.concerns]
    by_tag: dict[str, list[int]] = {}
    untagged: list[int] = []
    for place, event in enumerate(events):
        for tag in event.tags:
            by_tag.setdefault(tag, []).append(place)
        if not event.tags:
            untagged.append(place)
    generated = [
        (Concern(id=f"tag-{slugify(tag) or 'tag'}", title=tag, category=ConcernCategory.OTHER), tagged, True)
        for tag, tagged in by_tag.items()
    ]
    if untagged or not generated:
        generated.append((Concern(id="untagged", title="", category=ConcernCategory.OTHER), untagged, True))
    return generated


def signatory_kinds(signatories: Sequence[Signatory]) -> str:
    """Who signs: ``organisations`` (none an individual, or no one), ``people`` (all individuals) or ``mixed``."""
    people = sum(1 for signatory in signatories if signatory.kind is SignatoryKind.INDIVIDUAL)
    return "organisations" if not people else "people" if people == len(signatories) else "mixed"


def demand_outcome(demand: Demand, case: Case, as_of: datetime.date, language: str) -> DemandOutcome:
    names = {s.id: with_article(language, s.article, s.short_name or s.name) for s in case.signatories}  # "el CENIDH"
    organisations = {s.id for s in case.signatories if s.kind is not SignatoryKind.INDIVIDUAL}
    named = [(sender, name) for sender in demand.by if (name := names.get(sender, sender))]  # "": redacted
    by = set(demand.by)
    all_of = signatory_kinds(case.signatories) if len(names) > 2 and by >= set(names) else ""
    if not all_of and len(organisations) > 2 and by >= organisations:
        all_of = "organisations"
    waiting = demand.waiting(as_of)
    return DemandOutcome(
        demand=demand,
        senders=tuple(name for _, name in named),
        status=demand.status(as_of),
        days_unanswered=None if waiting is None else waiting.days,
        days_known=None if waiting is None else waiting.known,
        all_of=all_of,
        also=tuple(name for sender, name in named if sender not in organisations) if all_of == "organisations" else (),
        withheld=len(demand.by) - len(named),
    )


def _date_ordered(events: Iterable[Event]) -> list[tuple[tuple[tuple[int, ...], str], Event]]:
    """Each event with its chronology key (date, then id), in date order.

    A case may have thousands of events and many share a date: each date's key is made once.
    """
    date_keys: dict[str, tuple[int, ...]] = {}
    keyed = []
    for event in events:
        date_key = date_keys.get(event.date.text)
        if date_key is None:
            date_key = date_keys[event.date.text] = event.date.sort_key()
        keyed.append(((date_key, event.id), event))
    keyed.sort(key=itemgetter(0))
    return keyed


def build_letter(case: Case, *, language: str, as_of: datetime.date) -> Letter:
    """Work out the letter's content for ``case`` in ``language`` dated ``as_of``."""
    keyed = _date_ordered(case.events)
    chronological = [event for _, event in keyed]
    concern_places = _concerns(case, chronological)
    # Each event is cited once, where it is first cited (so notes are numbered in order of first
    # use): by its concerns in order, then, for an event no concern cites, by the chronology.
    order = list(dict.fromkeys(chain.from_iterable([*(places for _, places, _ in concern_places), range(len(keyed))])))
    notes, sources = _numbered([chronological[place].sources for place in order])
    # One CitedEvent per event, shared by its concerns and the chronology: by the event's place.
    # tuple.__new__ is what CitedEvent(...) does, without a Python call for each of thousands.
    new = tuple.__new__
    cited = {
        place: new(CitedEvent, (chronological[place], numbers)) for place, numbers in zip(order, notes, strict=True)
    }
    concerns = tuple(
        NumberedConcern(number=number, concern=concern, events=tuple(map(cited.__getitem__, places)), generated=made)
        for number, (concern, places, made) in enumerate(concern_places, start=1)
    )
    by_date = sorted(case.demands, key=lambda demand: (demand.date.sort_key(), demand.id))
    demands = tuple(demand_outcome(demand, case, as_of, language) for demand in by_date)
    chronology = [
        new(ChronologyEntry, (event.date.text, key, entry, None))
        for (key, event), entry in zip(keyed, map(cited.__getitem__, range(len(keyed))), strict=True)
    ]
    if demands:
        chronology += [
            ChronologyEntry(
                date_text=outcome.demand.date.text,
                sort_key=(outcome.demand.date.sort_key(), outcome.demand.id),
                demand=outcome,
            )
            for outcome in demands
        ]
        chronology.sort(key=itemgetter(1))  # the events are in order already: the demands go among them
    lead = next((signatory for signatory in case.signatories if signatory.role.value == "lead"), None)
    breaches = tuple(dict.fromkeys(breach for concern in case.concerns for breach in concern.breaches))
    return Letter(
        case=case,
        language=language,
        letter_date=as_of,
        concerns=concerns,
        demands=demands,
        organisations=tuple(s for s in case.signatories if s.kind is not SignatoryKind.INDIVIDUAL),
        individuals=tuple(s for s in case.signatories if s.kind is SignatoryKind.INDIVIDUAL),
        lead=lead,
        chronology=tuple(chronology),
        footnotes=tuple(map(new, repeat(Footnote), enumerate(sources, start=1))),
        breaches=breaches,
        attachments=tuple((event, attachment) for event in chronological for attachment in event.attachments),
    )
