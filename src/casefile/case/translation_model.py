"""Texts of a case in other languages, as the case file keeps them.

A coalition drafts in one language (the case's) and may send its letter in another. Each item
can carry its texts in English, Spanish and French, in a table per language that people can
edit by hand::

    [[events]]
    id = "2017-02-11-citizen-lab-report"
    title = "Citizen Lab reports spyware attacks on three advocates of a soda tax"

    [events.translations.es]
    title = "Citizen Lab denuncia ataques con software espía contra tres defensores de un impuesto"
    description = "..."

A text left out (or empty) falls back to the original. The translatable texts are those a reader
of the letter reads in running prose: names of published sources, people and places are not
translated (a source's title is the title it was published under).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

_EMPTY: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseText:
    """The case's own texts in one language (``casefile translate case``)."""

    title: str = ""
    request: str = ""
    action_plan: str = ""
    extra: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)


@dataclass(frozen=True, slots=True, kw_only=True)
class ConcernText:
    """A concern's texts in one language; ``breaches``, when given, replaces the whole list."""

    title: str = ""
    summary: str = ""
    category_other: str = ""
    breaches: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)


@dataclass(frozen=True, slots=True, kw_only=True)
class EventText:
    """An event's texts in one language; ``actors``, when given, replaces the whole list."""

    title: str = ""
    description: str = ""
    actors: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)


@dataclass(frozen=True, slots=True, kw_only=True)
class DemandText:
    """A demand's texts in one language: its recipient, subject and text."""

    to: str = ""
    subject: str = ""
    text: str = ""
    extra: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)


@dataclass(frozen=True, slots=True, kw_only=True)
class ResponseText:
    """A response's summary in one language."""

    summary: str = ""
    extra: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)


@dataclass(frozen=True, slots=True, kw_only=True)
class SignatoryText:
    """A signatory's names and representative's position in one language.

    Attributes:
        name: the organisation's own name in that language, if it has one (Article 19 is
            Artículo 19 in Spanish); a person's name is never translated.
        article: the article its name takes in a sentence in that language ("le" for the
            Centre...). The original's article is its language's only: none is used in another.
    """

    name: str = ""
    short_name: str = ""
    article: str = ""
    representative_title: str = ""
    extra: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)


# One table per language, keyed by the language's code: ``[events.translations.fr]``.


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseTranslations:
    """The case's texts in each language that has them."""

    en: CaseText | None = None
    es: CaseText | None = None
    fr: CaseText | None = None
    extra: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)


@dataclass(frozen=True, slots=True, kw_only=True)
class ConcernTranslations:
    """A concern's texts in each language that has them."""

    en: ConcernText | None = None
    es: ConcernText | None = None
    fr: ConcernText | None = None
    extra: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)


@dataclass(frozen=True, slots=True, kw_only=True)
class EventTranslations:
    """An event's texts in each language that has them."""

    en: EventText | None = None
    es: EventText | None = None
    fr: EventText | None = None
    extra: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)


@dataclass(frozen=True, slots=True, kw_only=True)
class DemandTranslations:
    """A demand's texts in each language that has them."""

    en: DemandText | None = None
    es: DemandText | None = None
    fr: DemandText | None = None
    extra: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)


@dataclass(frozen=True, slots=True, kw_only=True)
class ResponseTranslations:
    """A response's summary in each language that has one."""

    en: ResponseText | None = None
    es: ResponseText | None = None
    fr: ResponseText | None = None
    extra: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)


@dataclass(frozen=True, slots=True, kw_only=True)
class SignatoryTranslations:
    """A signatory's texts in each language that has them."""

    en: SignatoryText | None = None
    es: SignatoryText | None = None
    fr: SignatoryText | None = None
    extra: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)


#: The class of one language's texts, by the class of the translations that hold them.
TEXT_CLASS: Mapping[type, type] = MappingProxyType(
    {
        CaseTranslations: CaseText,
        ConcernTranslations: ConcernText,
        EventTranslations: EventText,
        DemandTranslations: DemandText,
        ResponseTranslations: ResponseText,
        SignatoryTranslations: SignatoryText,
    }
)

Translations = (
    CaseTranslations
    | ConcernTranslations
    | EventTranslations
    | DemandTranslations
    | ResponseTranslations
    | SignatoryTranslations
)
