"""What ``--redact`` cannot remove: a redacted person's name typed into free text.

:func:`casefile.workflow.privacy.public_case` removes every field that holds a person's name
(representatives, individual signatories, the contact person, affected people). A name the user
also typed into a title, a description, a summary or a note stays, and an id made from such a
title (``2019-03-04-maria-perez-detained``) holds it too: no rule can tell which words of a text are
a name. :func:`names_left` finds each text of the redacted case that still holds one of the removed
names, so the command line can warn before the document is published. It never changes the case.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from casefile.case.model import Case, SignatoryKind

#: The parts of the case that are items, each with the kind a message names it by.
_ITEMS = (("events", "event"), ("demands", "demand"), ("concerns", "concern"), ("signatories", "signatory"))
#: The case's own fields that no redacted export shows (or that are the items, looked at one by one).
_NOT_SHOWN = {"events", "demands", "concerns", "signatories", "approvals", "approved_texts", "retired_ids"}
_NOT_WORD = re.compile(r"[\W_]+")
#: Combining marks (accents, as NFKD splits them off their letters).
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


@dataclass(frozen=True, slots=True)
class NameLeft:
    """A text of a redacted document that still holds a removed name.

    ``kind`` and ``item``: the item holding it (``case``, ``""`` for the case's own fields);
    ``field``: where in the item (``description``, ``sources[0].title``, ``translations.es.title``);
    ``whose``: ``contact``, ``representative``, ``signatory`` or ``affected``, and ``of``: the id
    of the signatory the name belongs to, or of the event whose affected person it is.
    """

    kind: str
    item: str
    field: str
    whose: str
    of: str


def names_left(case: Case, redacted: Case) -> list[NameLeft]:
    """Each text of ``redacted`` (what ``public_case(case, redact=True)`` gave) that still holds the
    name of a person the redaction removed from ``case``, whole words, case and accents ignored."""
    names = _removed_names(case)
    if not names:
        return []
    found: list[NameLeft] = []
    for name, kind in _ITEMS:
        for item in getattr(redacted, name):
            for field_name, whose, of in _found(item, names):
                found.append(NameLeft(kind, item.id, field_name, whose, of))
    own = {field.name: getattr(redacted, field.name) for field in dataclasses.fields(redacted)}
    for field_name, whose, of in _found({key: value for key, value in own.items() if key not in _NOT_SHOWN}, names):
        found.append(NameLeft("case", "", field_name, whose, of))
    return found


def _found(value: Any, names: Mapping[str, tuple[str, str]]) -> list[tuple[str, str, str]]:
    """(where, whose, of) for each text in ``value`` that holds one of ``names``."""
    found: list[tuple[str, str, str]] = []
    every: list[str] = []
    _collect(value, every)
    joined = " ".join(every)
    if not joined.isascii():
        joined = _MARKS.sub("", unicodedata.normalize("NFKD", joined))
    joined = joined.casefold()
    if not any(max(name.split(), key=len) in joined for name in names):  # most items: looked at once
        return found
    for path, text in _texts(value, ()):
        words = _words(text)
        found += [(_where(path), *whose) for name, whose in names.items() if name in words]
    return found


def _where(path: tuple[str | int, ...]) -> str:
    """``("sources", 0, "title")`` -> ``sources[0].title``."""
    where = ""
    for part in path:
        where += f"[{part}]" if isinstance(part, int) else f".{part}" if where else part
    return where


def _removed_names(case: Case) -> dict[str, tuple[str, str]]:
    """Each name the redaction removes, in :func:`_words`' form, with whose it is."""
    names: dict[str, tuple[str, str]] = {}

    def note(text: str, whose: str, of: str) -> None:
        words = _words(text)
        if len(words.strip()) >= 3:  # a name of one or two letters would be found everywhere
            names.setdefault(words, (whose, of))

    note(case.contact.name, "contact", "")
    for signatory in case.signatories:
        note(signatory.representative, "representative", signatory.id)
        if signatory.kind is SignatoryKind.INDIVIDUAL:
            note(signatory.name, "signatory", signatory.id)
            note(signatory.short_name, "signatory", signatory.id)
            for path, text in _texts(signatory.translations, ()):
                if path[-1] in ("name", "short_name"):
                    note(text, "signatory", signatory.id)
    for event in case.events:
        for person in event.affected:
            note(person.name, "affected", event.id)
    return names


def _named(text: str, names: Mapping[str, tuple[str, str]]) -> list[tuple[str, str]]:
    words = _words(text)
    return [whose for name, whose in names.items() if name in words]


def _words(text: str) -> str:
    """``text`` as lower-case words without accents, each between spaces: "María Pérez-Ruiz" ->
    " maria perez ruiz " (letters of other scripts are kept: "Ольга" -> " ольга ")."""
    if not text.isascii():
        text = _MARKS.sub("", unicodedata.normalize("NFKD", text))
    return f" {_NOT_WORD.sub(' ', text.casefold()).strip()} "


#: The fields of each kind of record :func:`_texts` has met.
_FIELDS: dict[type, tuple[str, ...]] = {}


def _collect(value: Any, texts: list[str]) -> None:
    """Every text in ``value``, added to ``texts`` (as :func:`_texts` finds them, faster)."""
    kind = type(value)
    if kind is str:
        texts.append(value)
    elif kind is tuple or kind is list:
        for item in value:
            _collect(item, texts)
    else:
        names = _FIELDS.get(kind)
        if names is None:
            for _path, text in _texts(value, ()):
                texts.append(text)
            return
        for name in names:
            _collect(getattr(value, name), texts)


def _texts(value: Any, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every text in ``value`` (an item, its parts, a mapping, a list) that is not empty, with where it is."""
    kind = type(value)
    if kind is str:
        if value:
            yield path, value
    elif kind is tuple or kind is list:
        for number, item in enumerate(value):
            yield from _texts(item, (*path, number))
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _texts(item, (*path, str(key)))
    elif isinstance(value, str):  # an enumeration's value
        return
    else:
        names = _FIELDS.get(kind)
        if names is None:
            names = tuple(field.name for field in dataclasses.fields(value)) if dataclasses.is_dataclass(value) else ()
            _FIELDS[kind] = names
        for name in names:
            yield from _texts(getattr(value, name), (*path, name))
