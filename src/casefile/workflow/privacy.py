"""What an exported document may show of a case: the one place private data is removed.

Every export (the letter and every other format) goes through :func:`public_case`, so a new
private field needs handling here only. Private notes, signatories' emails, evidence file paths,
the names of affected people not marked public, the texts of the letter signatories approved and
the ids of removed items (with the sign-offs of removed signatories) are removed unless the user
asks to include private data; ``redact`` also removes the name of
every person (representatives, individual signatories, the contact person, affected people),
every email address, which names its person, the names and places of evidence files (a
file is named by the start of its digest), and the keys casefile does not know (added by hand: a
phone, an address) on people's records and files, for a version safe to publish. Since an
individual's id is made from their name, ``redact`` also renumbers individuals' ids
(``individual-1``...) wherever they are used (``distinct_from`` too), and leaves out retired ids
and the approved texts of the letter, which name people.
"""

from __future__ import annotations

import dataclasses
import re

from casefile.case.model import EMPTY, Affected, Attachment, Case, Contact, Event, Language, Signatory, SignatoryKind
from casefile.case.translation_model import SignatoryTranslations

_INDIVIDUAL_ID = "individual-{}"


def _affected(person: Affected, *, include_private: bool, redact: bool) -> Affected:
    if redact:  # a key added by hand to a person (a phone, an address) is theirs too
        return dataclasses.replace(person, name="", extra=EMPTY)
    return person if person.public or include_private else dataclasses.replace(person, name="")


def _event(event: Event, *, include_private: bool, redact: bool) -> Event:
    if not (event.private_notes or event.affected or event.attachments):
        return event  # nothing private to remove: most events of a large case
    changes: dict[str, object] = {
        "affected": tuple(_affected(p, include_private=include_private, redact=redact) for p in event.affected),
    }
    if not include_private:
        changes["private_notes"] = ""
        changes["attachments"] = tuple(dataclasses.replace(a, path="") for a in event.attachments)
    if redact:  # a file's name or place often names a person ("Declaración de Inés Castro.pdf")
        changes["attachments"] = tuple(
            dataclasses.replace(a, name=_withheld_name(a), path="", extra=EMPTY) for a in event.attachments
        )
    return dataclasses.replace(event, **changes)  # type: ignore[arg-type]


def _withheld_name(attachment: Attachment) -> str:
    """A name for a file that names no one: the start of its digest, with the ending of its name."""
    ending = re.search(r"\.[A-Za-z0-9]{1,8}$", attachment.name)
    return attachment.sha256[:12] + (ending.group().lower() if ending else "")


def _signatory(signatory: Signatory, *, include_private: bool, redact: bool) -> Signatory:
    changes: dict[str, object] = {}
    if not include_private or redact:  # an address names its person (as the contact's does)
        changes["email"] = ""
    if redact:
        changes["representative"] = ""
        changes["extra"] = EMPTY  # keys added by hand: a phone, an address
        if signatory.kind is SignatoryKind.INDIVIDUAL:
            changes["name"] = ""
            changes["short_name"] = ""
            changes["translations"] = _without_names(signatory)
    return dataclasses.replace(signatory, **changes) if changes else signatory  # type: ignore[arg-type]


def _without_names(signatory: Signatory) -> SignatoryTranslations | None:
    """An individual's translations without the names given in them (a person's name in any language)."""
    translations = signatory.translations
    if translations is None:
        return None
    changes = {
        language.value: dataclasses.replace(texts, name="", short_name="")
        for language in Language
        if (texts := getattr(translations, language.value)) is not None
    }
    return dataclasses.replace(translations, **changes)


def _individual_ids(case: Case) -> dict[str, str]:
    """New ids for individual signatories, whose ids are made from their names (the same when repeated)."""
    individuals = {signatory.id for signatory in case.signatories if signatory.kind is SignatoryKind.INDIVIDUAL}
    taken = case.all_ids() - individuals
    renamed: dict[str, str] = {}
    number = 0
    for signatory in case.signatories:
        if signatory.kind is SignatoryKind.INDIVIDUAL:
            number += 1
            while _INDIVIDUAL_ID.format(number) in taken:
                number += 1
            renamed[signatory.id] = _INDIVIDUAL_ID.format(number)
    return renamed


def _without_name_ids(case: Case) -> Case:
    """The case with individuals' ids renumbered everywhere, and no other trace of ids or texts."""
    renamed = _individual_ids(case)
    signatories = {s.id for s in case.signatories}
    present = {renamed.get(s.id, s.id) for s in case.signatories}

    def signatory(s: Signatory) -> Signatory:
        # Another person of the same name is named by id: the new one (an id no signatory has
        # any more, such as a removed person's, is left out).
        others = tuple(renamed.get(other, other) for other in s.distinct_from)
        return dataclasses.replace(
            s, id=renamed.get(s.id, s.id), distinct_from=tuple(other for other in others if other in present)
        )

    return dataclasses.replace(
        case,
        signatories=tuple(signatory(s) for s in case.signatories),
        demands=tuple(dataclasses.replace(d, by=tuple(renamed.get(by, by) for by in d.by)) for d in case.demands),
        approvals=tuple(
            dataclasses.replace(a, signatory=renamed.get(a.signatory, a.signatory))
            for a in case.approvals
            if a.signatory in signatories  # a removed person's id is made from their name
        ),
        approved_texts=(),
        retired_ids=(),
    )


def public_case(case: Case, *, include_private: bool = False, redact: bool = False) -> Case:
    """The case with what must not be exported removed."""
    contact = case.contact
    present = {signatory.id for signatory in case.signatories}
    if redact:
        contact = Contact(organisation=contact.organisation)  # not its keys added by hand (a phone)
    # Conflict records of a merge can hold any field's values, private ones included.
    extra = {key: value for key, value in case.extra.items() if key != "conflicts"}
    public = dataclasses.replace(
        case,
        extra=extra,
        contact=contact,
        # The letters signatories approved are the coalition's records, and name whoever the letter
        # named then: someone made private since, or an address scrubbed from the letter.
        approved_texts=case.approved_texts if include_private else (),
        # Removed items' ids, a removed person's made from their name, and what they signed off.
        retired_ids=case.retired_ids if include_private else (),
        approvals=case.approvals if include_private else tuple(a for a in case.approvals if a.signatory in present),
        events=tuple(_event(e, include_private=include_private, redact=redact) for e in case.events),
        signatories=tuple(_signatory(s, include_private=include_private, redact=redact) for s in case.signatories),
    )
    return _without_name_ids(public) if redact else public
