"""The domain of a case: what a coalition documented, demanded and who signs. No I/O here.

Every value is a frozen dataclass built by keyword. ``extra`` on each item holds the keys the
file had that this version of casefile does not know, so they survive a load and a save.
``translations`` holds an item's texts in other languages (see :mod:`casefile.case.translation_model`).
Fields listed in ``PRIVATE_FIELDS`` never reach an exported document.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from casefile.case.dates import EdtfDate, Elapsed
from casefile.case.kinds import (
    ConcernCategory,
    DemandStatus,
    FilerCategory,
    Language,
    ResponseStatus,
    Role,
    SignatoryKind,
    Stage,
)
from casefile.case.translation_model import (
    CaseTranslations,
    ConcernTranslations,
    DemandTranslations,
    EventTranslations,
    ResponseTranslations,
    SignatoryTranslations,
)

__all__ = [
    "EMPTY",
    "KIND_NAMES",
    "PRIVATE_FIELDS",
    "Affected",
    "Approval",
    "ApprovedText",
    "Attachment",
    "Case",
    "Concern",
    "ConcernCategory",
    "Contact",
    "Demand",
    "DemandStatus",
    "Event",
    "FilerCategory",
    "Filing",
    "Item",
    "Language",
    "Reminder",
    "Response",
    "ResponseStatus",
    "Role",
    "Signatory",
    "SignatoryKind",
    "Source",
    "Stage",
    "StageRecord",
]

EMPTY: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    """Where a claim can be checked.

    Attributes:
        url: the address of the source, or empty for an offline document.
        title: the title of the page, report or article.
        publisher: who published it (a newspaper, a research lab).
        date: when it was published.
        archived_url: a copy in a web archive (Wayback Machine, archive.today): links die.
        accessed: when the advocate saw the source.
    """

    url: str = ""
    title: str = ""
    publisher: str = ""
    date: EdtfDate | None = None
    archived_url: str = ""
    accessed: EdtfDate | None = None
    extra: Mapping[str, Any] = field(default_factory=lambda: EMPTY)

    def key(self) -> str:
        """What makes two citations the same source (the URL, else the title)."""
        return self.url or f"{self.title}|{self.publisher}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Affected:
    """A person an event affected. Named in the letter only when ``public`` is true.

    Attributes:
        role: how the letter refers to them when they are not named, e.g. "a researcher at a
            public health institute".
    """

    name: str
    role: str = ""
    public: bool = False
    extra: Mapping[str, Any] = field(default_factory=lambda: EMPTY)


@dataclass(frozen=True, slots=True, kw_only=True)
class Attachment:
    """A file kept as evidence for an event, identified by its SHA-256.

    Attributes:
        path: where the file is: inside the evidence folder (copied) or anywhere (linked).
            Private: paths can reveal people and places.
        linked: true when the file was recorded where it is rather than copied.
    """

    sha256: str
    size: int
    name: str
    media_type: str = "application/octet-stream"
    added: EdtfDate | None = None
    path: str = ""
    linked: bool = False
    extra: Mapping[str, Any] = field(default_factory=lambda: EMPTY)


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """Something that happened, with the sources that show it.

    Attributes:
        id: stable readable id derived from date and title.
        actors: the government bodies involved.
        concerns: ids of the concerns this event supports.
        private_notes: the coalition's own notes; never exported.
    """

    id: str
    date: EdtfDate
    title: str
    description: str = ""
    actors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    concerns: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    affected: tuple[Affected, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    private_notes: str = ""
    translations: EventTranslations | None = None
    extra: Mapping[str, Any] = field(default_factory=lambda: EMPTY)


@dataclass(frozen=True, slots=True, kw_only=True)
class Response:
    """A reply to a demand."""

    date: EdtfDate
    status: ResponseStatus
    summary: str = ""
    translations: ResponseTranslations | None = None
    extra: Mapping[str, Any] = field(default_factory=lambda: EMPTY)


@dataclass(frozen=True, slots=True, kw_only=True)
class Reminder:
    """A follow-up sent about a demand that had no answer."""

    date: EdtfDate
    channel: str = ""
    note: str = ""
    extra: Mapping[str, Any] = field(default_factory=lambda: EMPTY)


@dataclass(frozen=True, slots=True, kw_only=True)
class Demand:
    """A request the coalition sent to an authority, and what came back.

    Attributes:
        to: the recipient (an office, a secretariat, a minister).
        by: ids of the signatories who sent it.
        deadline: the date by which the coalition asked for an answer.
    """

    id: str
    date: EdtfDate
    to: str
    subject: str
    by: tuple[str, ...] = ()
    channel: str = ""
    text: str = ""
    deadline: EdtfDate | None = None
    responses: tuple[Response, ...] = ()
    reminders: tuple[Reminder, ...] = ()
    translations: DemandTranslations | None = None
    extra: Mapping[str, Any] = field(default_factory=lambda: EMPTY)

    def latest_response(self) -> Response | None:
        """The response with the latest date, or None."""
        if not self.responses:
            return None
        return max(self.responses, key=lambda response: response.date.sort_key())

    def status(self, as_of: datetime.date) -> DemandStatus:
        """Unanswered, overdue (deadline passed without reply) or the latest reply's status."""
        latest = self.latest_response()
        if latest is not None:
            return DemandStatus(latest.status.value)
        deadline_day = self.deadline.last_day() if self.deadline else None
        if deadline_day is not None and deadline_day < as_of:
            return DemandStatus.OVERDUE
        return DemandStatus.UNANSWERED

    def days_unanswered(self, as_of: datetime.date) -> int | None:
        """Days from sending to ``as_of`` while no response came (``waiting(as_of).days``); None once answered.

        For a demand sent on no one known day this is a lower bound or a guess: what people read
        takes its count from :meth:`waiting`, which says which.
        """
        return None if self.responses else self.date.elapsed(as_of).days

    def waiting(self, as_of: datetime.date) -> Elapsed | None:
        """The days from sending to ``as_of`` and how well they are known; None once answered."""
        return None if self.responses else self.date.elapsed(as_of)


@dataclass(frozen=True, slots=True, kw_only=True)
class Signatory:
    """An organisation or person who signs the letter.

    Attributes:
        short_name: the name used in the letter's running text and to derive the id.
        article: the name's article in a sentence ("el", "the", "l'"); none in the signature list.
        representative_title: the representative's position, e.g. "Director".
        email: private contact address; never exported.
        distinct_from: ids of signatories with the same name that are someone else (two people
            called María García): ``check`` does not report them as duplicates.
    """

    id: str
    name: str
    short_name: str = ""
    article: str = ""
    country: str = ""
    kind: SignatoryKind = SignatoryKind.CSO
    representative: str = ""
    representative_title: str = ""
    email: str = ""
    role: Role = Role.SIGNATORY
    distinct_from: tuple[str, ...] = ()
    translations: SignatoryTranslations | None = None
    extra: Mapping[str, Any] = field(default_factory=lambda: EMPTY)


@dataclass(frozen=True, slots=True, kw_only=True)
class Concern:
    """One numbered allegation of the letter, standing alone with its evidence.

    Attributes:
        category_other: the category in words when ``category`` is ``other``.
        breaches: Open Government Declaration commitments and OGP values breached.
    """

    id: str
    title: str
    category: ConcernCategory
    summary: str = ""
    category_other: str = ""
    breaches: tuple[str, ...] = ()
    translations: ConcernTranslations | None = None
    extra: Mapping[str, Any] = field(default_factory=lambda: EMPTY)


@dataclass(frozen=True, slots=True, kw_only=True)
class Contact:
    """The public contact person named in the letter."""

    name: str = ""
    organisation: str = ""
    email: str = ""
    extra: Mapping[str, Any] = field(default_factory=lambda: EMPTY)


@dataclass(frozen=True, slots=True, kw_only=True)
class StageRecord:
    """A step of the review that happened, with where it is documented.

    Attributes:
        deadline: for a recommendation, the date by which the government should act on it.
    """

    stage: Stage
    date: EdtfDate
    note: str = ""
    source: str = ""
    deadline: EdtfDate | None = None
    extra: Mapping[str, Any] = field(default_factory=lambda: EMPTY)


@dataclass(frozen=True, slots=True, kw_only=True)
class Filing:
    """When and how the letter was sent to OGP."""

    date: EdtfDate
    channel: str = "email"
    to: str = ""
    extra: Mapping[str, Any] = field(default_factory=lambda: EMPTY)


@dataclass(frozen=True, slots=True, kw_only=True)
class Approval:
    """A signatory's approval of one exact text of the letter.

    Attributes:
        digest: SHA-256 of the letter as drafted (``sha256:<hex>``), in ``language``.
        date: the day the signatory approved it.
    """

    signatory: str
    digest: str
    language: Language
    date: EdtfDate
    extra: Mapping[str, Any] = field(default_factory=lambda: EMPTY)


@dataclass(frozen=True, slots=True, kw_only=True)
class ApprovedText:
    """A text of the letter someone approved, kept so ``diff-since`` can show what changed."""

    digest: str
    text: str
    extra: Mapping[str, Any] = field(default_factory=lambda: EMPTY)


@dataclass(frozen=True, slots=True, kw_only=True)
class Case:
    """A whole case: the country concerned, its history and its signatories.

    Attributes:
        country: the government the concern is about.
        ogp_joined: the year the country joined OGP.
        retired_ids: ids of removed items, kept so they are never given to a new item.
        extra: top-level keys and ``[case]`` keys this casefile does not know.
    """

    title: str
    country: str
    language: Language = Language.EN
    ogp_joined: int | None = None
    action_plan: str = ""
    contact: Contact = Contact()
    request: str = ""
    addressees: tuple[str, ...] = ()
    addressees_verified: EdtfDate | None = None
    filer_category: FilerCategory | None = None
    letter_date: EdtfDate | None = None
    filing: Filing | None = None
    translations: CaseTranslations | None = None
    stages: tuple[StageRecord, ...] = ()
    approvals: tuple[Approval, ...] = ()
    approved_texts: tuple[ApprovedText, ...] = ()
    events: tuple[Event, ...] = ()
    demands: tuple[Demand, ...] = ()
    signatories: tuple[Signatory, ...] = ()
    concerns: tuple[Concern, ...] = ()
    retired_ids: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=lambda: EMPTY)

    def items(self) -> Iterator[Event | Demand | Signatory | Concern]:
        """Every item that has an id, kind by kind."""
        yield from self.events
        yield from self.demands
        yield from self.signatories
        yield from self.concerns

    def all_ids(self) -> set[str]:
        """Ids in use or retired: a new item may take none of them."""
        return {item.id for item in self.items()} | set(self.retired_ids)


Item = Event | Demand | Signatory | Concern

#: Fields that hold personal or internal data and never appear in an export
#: (an affected person's name is private too, unless they are marked public).
PRIVATE_FIELDS: Mapping[type, frozenset[str]] = MappingProxyType(
    {
        Event: frozenset({"private_notes"}),
        Signatory: frozenset({"email"}),
        Attachment: frozenset({"path"}),
    }
)

#: The kind names used in TOML array names, ``list`` and JSON output.
KIND_NAMES: Mapping[type, str] = MappingProxyType(
    {Event: "event", Demand: "demand", Signatory: "signatory", Concern: "concern"}
)
