"""Texts in more than one language: recording a translation, and the case in one language.

:func:`translate` records an item's texts in another language (``casefile translate``);
:func:`localized` gives the case with each text in the letter's language where it has one and
the original otherwise, which is what the letter is written from; :func:`missing_translations`
says, item by item, which texts of the letter have no version in a language.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from casefile.case.model import Case, Concern, ConcernCategory, Demand, Event, Item, Language, Response, Signatory
from casefile.case.translation_model import (
    TEXT_CLASS,
    CaseTranslations,
    ConcernTranslations,
    DemandTranslations,
    EventTranslations,
    ResponseTranslations,
    SignatoryTranslations,
)
from casefile.errors import InvalidValue, Problem
from casefile.i18n import N_, _, ngettext

#: The word for a target that is the case itself rather than an item (as in ``resolve``).
CASE_TARGET = "case"

_TRANSLATIONS_OF: Mapping[type, type] = {
    Case: CaseTranslations,
    Concern: ConcernTranslations,
    Event: EventTranslations,
    Demand: DemandTranslations,
    Response: ResponseTranslations,
    Signatory: SignatoryTranslations,
}

#: What a translation belongs to, as a message names it (``the case``, ``an event``...).
OWNER_WORDS = (N_("the case"), N_("an event"), N_("a demand"), N_("a concern"), N_("a signatory"), N_("a response"))

LANGUAGE_NAMES = {"en": N_("English"), "es": N_("Spanish"), "fr": N_("French")}


def option_name(field_name: str) -> str:
    """The ``translate`` option that gives a text: ``--title``, ``--actor`` (repeated) for actors."""
    return {"actors": "--actor"}.get(field_name, "--" + field_name.replace("_", "-"))


def translatable_fields(kind: type) -> tuple[str, ...]:
    """The names of the texts of ``kind`` (Event, Demand...) that can be translated."""
    text_class = TEXT_CLASS[_TRANSLATIONS_OF[kind]]
    return tuple(field.name for field in dataclasses.fields(text_class) if field.name != "extra")


def text_in(owner: Any, language: str) -> Any:
    """The texts ``owner`` (an item, a response or the case) has in ``language``, or None."""
    translations = owner.translations
    return None if translations is None else getattr(translations, language, None)


def _given(texts: Any) -> dict[str, Any]:
    """The texts given in one language's table (empty ones mean "not translated")."""
    return {
        field.name: value
        for field in dataclasses.fields(texts)
        if field.name != "extra" and (value := getattr(texts, field.name))
    }


def _in_language(owner: Any, language: str) -> Any:
    texts = text_in(owner, language)
    if texts is None:
        return owner
    given = _given(texts)
    return dataclasses.replace(owner, **given) if given else owner


def _demand_in(demand: Demand, language: str) -> Demand:
    localized_demand = _in_language(demand, language)
    responses = tuple(_in_language(response, language) for response in demand.responses)
    if any(new is not old for new, old in zip(responses, demand.responses, strict=True)):
        localized_demand = dataclasses.replace(localized_demand, responses=responses)
    return localized_demand  # type: ignore[no-any-return]


def _signatory_in(signatory: Signatory, language: str) -> Signatory:
    """A signatory in another language than the case's: its article is that language's, or none."""
    localized_signatory: Signatory = _in_language(signatory, language)
    if localized_signatory.article:
        texts = text_in(signatory, language)
        article = texts.article if texts is not None else ""
        if article != localized_signatory.article:
            localized_signatory = dataclasses.replace(localized_signatory, article=article)
    return localized_signatory


def localized(case: Case, language: str) -> Case:
    """The case with each text in ``language`` where it has a version in it, else the original.

    Items without a translation stay the same objects (the letter keeps texts worked out per event).
    """
    changes: dict[str, Any] = {}
    events = tuple(_in_language(event, language) if event.translations else event for event in case.events)
    if any(new is not old for new, old in zip(events, case.events, strict=True)):
        changes["events"] = events
    demands = tuple(_demand_in(demand, language) for demand in case.demands)
    if any(new is not old for new, old in zip(demands, case.demands, strict=True)):
        changes["demands"] = demands
    # A signatory's article is its language's: the letter in another uses that language's, or none.
    signatory_in = _signatory_in if language != case.language.value else _in_language
    for name, in_language in (("concerns", _in_language), ("signatories", signatory_in)):
        items = getattr(case, name)
        translated = tuple(in_language(item, language) for item in items)
        if any(new is not old for new, old in zip(translated, items, strict=True)):
            changes[name] = translated
    texts = text_in(case, language)
    if texts is not None:
        changes.update(_given(texts))
    return dataclasses.replace(case, **changes) if changes else case


# --- recording a translation ----------------------------------------------------------------------


def without_translated(owner: Any, field_name: str) -> Any:
    """``owner`` with ``field_name`` emptied in every language it is translated into (``scrub``)."""
    container = getattr(owner, "translations", None)
    if container is None or field_name not in translatable_fields(type(owner)):
        return owner
    changes = {}
    for code in Language:
        texts = getattr(container, code.value)
        if texts is not None and getattr(texts, field_name):
            emptied = dataclasses.replace(texts, **{field_name: ""})
            changes[code.value] = emptied if _given(emptied) or emptied.extra else None
    if not changes:
        return owner
    container = dataclasses.replace(container, **changes)
    empty = all(getattr(container, code.value) is None for code in Language) and not container.extra
    return dataclasses.replace(owner, translations=None if empty else container)


def _updated_translations(owner: Any, language: str, changes: Mapping[str, Any], *, remove: bool, what: str) -> Any:
    """``owner``'s translations with ``changes`` made to ``language`` (or that language removed).

    The result is of ``owner``'s translations class (EventTranslations for an Event...), or None.
    """
    container_class = _TRANSLATIONS_OF[type(owner)]
    text_class = TEXT_CLASS[container_class]
    allowed = translatable_fields(type(owner))
    wrong = [name for name in changes if name not in allowed]
    if wrong:
        options = ", ".join(map(option_name, wrong))
        texts = ", ".join(map(option_name, allowed))
        raise InvalidValue(
            _("{options} does not apply to {what}; its texts are: {texts}.").format(
                options=options, what=_(what), texts=texts
            )
        )
    container = owner.translations or container_class()
    current = getattr(container, language)
    if remove:
        if changes:
            raise InvalidValue(_("--remove removes a whole translation: give it without texts."))
        new_texts = None
    else:
        if not changes:
            texts = ", ".join(map(option_name, allowed))
            raise InvalidValue(
                _("give at least one text to translate for {what}: {texts}.").format(what=_(what), texts=texts)
            )
        new_texts = dataclasses.replace(current or text_class(), **changes)
        if not _given(new_texts) and not new_texts.extra:
            new_texts = None  # every text emptied: no translation left
    container = dataclasses.replace(container, **{language: new_texts})
    empty = all(getattr(container, code.value) is None for code in Language) and not container.extra
    return None if empty else container


def translate(
    case: Case,
    target: str,
    language: Language,
    changes: Mapping[str, Any],
    *,
    response: int | None = None,
    remove: bool = False,
) -> tuple[Case, str]:
    """Record texts of ``target`` (an id or its prefix, or ``case``) in ``language``.

    An empty text removes that text's translation; ``remove`` removes the language's whole
    translation. ``response`` is the number (from 1) of a demand's response to translate.

    Returns:
        The new case and the id of what was translated (``case`` for the case).
    """
    from casefile.case.operations import find_item, replace_item

    if language is case.language:
        raise InvalidValue(
            _(
                "the case is written in {language_names} (its language): change the text itself with "
                "`casefile edit` (or `casefile edit-case`), or give another --language."
            ).format(language_names=_(LANGUAGE_NAMES[language.value]))
        )
    code = language.value
    if "article" in changes:
        from casefile.case.operations import checked_article

        changes = {**changes, "article": checked_article(code, changes["article"])}
    if target == CASE_TARGET:
        if response is not None:
            raise InvalidValue(_("--response applies to a demand, not to the case."))
        translations = _updated_translations(case, code, changes, remove=remove, what="the case")
        return dataclasses.replace(case, translations=translations), CASE_TARGET
    item: Item = find_item(case, target)
    if response is None:
        kind = type(item).__name__.lower()
        article = "an" if kind[0] in "aeiou" else "a"
        translations = _updated_translations(item, code, changes, remove=remove, what=f"{article} {kind}")
        return replace_item(case, item, dataclasses.replace(item, translations=translations)), item.id
    if not isinstance(item, Demand):
        raise InvalidValue(
            _("--response applies to a demand; {id} is a {kind}.").format(
                id=item.id, kind=_(type(item).__name__.lower())
            )
        )
    if not 1 <= response <= len(item.responses):
        count = len(item.responses)
        raise InvalidValue(
            ngettext(
                "{id} has {count} response: --response can only be {count}.",
                "{id} has {count} responses: --response takes a number from 1 to {count}.",
                count,
            ).format(id=item.id, count=count)
            if count
            else _("{id} has no response to translate.").format(id=item.id)
        )
    old = item.responses[response - 1]
    translations = _updated_translations(old, code, changes, remove=remove, what="a response")
    responses = list(item.responses)
    responses[response - 1] = dataclasses.replace(old, translations=translations)
    return replace_item(case, item, dataclasses.replace(item, responses=tuple(responses))), item.id


# --- what has no version in a language -------------------------------------------------------------


def _letter_texts(case: Case) -> Iterator[tuple[str, str, Any, tuple[str, ...]]]:
    """(id, what, owner, names of its non-empty texts the letter prints) for each text owner."""

    def present(owner: Any, names: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(name for name in names if getattr(owner, name))

    yield CASE_TARGET, "the case", case, present(case, ("request", "action_plan"))
    for concern in case.concerns:
        names: tuple[str, ...] = ("title", "summary", "breaches")
        if concern.category is ConcernCategory.OTHER:
            names += ("category_other",)
        yield concern.id, "concern", concern, present(concern, names)
    for event in case.events:
        yield event.id, "event", event, present(event, ("title", "description", "actors"))
    for demand in case.demands:
        yield demand.id, "demand", demand, present(demand, ("to", "subject"))
        for number, response in enumerate(demand.responses, start=1):
            yield demand.id, f"response {number}", response, present(response, ("summary",))
    for signatory in case.signatories:
        yield signatory.id, "signatory", signatory, present(signatory, ("representative_title",))


def missing_translations(case: Case, language: str) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    """(id, what, texts) for every owner of texts the letter prints that have no version in ``language``.

    Nothing is missing in the case's own language: its texts are the originals.
    """
    if language == case.language.value:
        return
    for owner_id, what, owner, names in _letter_texts(case):
        texts = text_in(owner, language)
        missing = tuple(name for name in names if texts is None or not getattr(texts, name))
        if missing:
            yield owner_id, what, missing


def translation_texts(owner: Any) -> Iterator[tuple[str, str, str]]:
    """(language, field, text) for every translated text of ``owner`` (lists given one entry each)."""
    translations = owner.translations
    if translations is None:
        return
    for code in Language:
        texts = getattr(translations, code.value)
        if texts is None:
            continue
        for name, value in _given(texts).items():
            for text in value if isinstance(value, tuple) else (value,):
                yield code.value, name, text


def article_problems(language: str, signatories: Iterable[tuple[str, Signatory]]) -> list[Problem]:
    """Each ``(place, signatory)``'s article, typed by hand too, that its name does not take in the
    case's ``language``, or in a translation's: the letter writes it as it is ("encabezadas por El...")."""
    from casefile.case.kinds import SIGNATORY_ARTICLES

    found = []
    for place, signatory in signatories:
        given = [("article", language, signatory.article)]
        for code in SIGNATORY_ARTICLES:
            texts = text_in(signatory, code)
            if texts is not None and texts.article:
                given.append((f"translations.{code}.article", code, texts.article))
        for field_name, code, article in given:
            if article and article not in SIGNATORY_ARTICLES[code]:
                message = _(
                    "{article!r} is not an article a name takes in {language_name}: use one of {known}, or none"
                )
                known, language_name = ", ".join(SIGNATORY_ARTICLES[code]), _(LANGUAGE_NAMES[code])
                text = message.format(article=article, language_name=language_name, known=known)
                found.append(Problem(f"{place}.{field_name}", text))
    return found
