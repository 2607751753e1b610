"""What an exported document may show of a case: the one place private data is removed.

Every export (the letter and every other format) goes through :func:`public_case`, so a new
private field needs handling here only. Private notes, signatories' emails, evidence file paths
and the names of affected people not marked public are removed unless the user asks to include
private data; ``redact`` also removes the name of every person (representatives, individual
signatories, the contact person, affected people) for a version safe to publish.
"""

from __future__ import annotations

import dataclasses

from casefile.model import Affected, Case, Contact, Event, Signatory, SignatoryKind


def _affected(person: Affected, *, include_private: bool, redact: bool) -> Affected:
    keep_name = (person.public or include_private) and not redact
    return person if keep_name else dataclasses.replace(person, name="")


def _event(event: Event, *, include_private: bool, redact: bool) -> Event:
    changes: dict[str, object] = {
        "affected": tuple(_affected(p, include_private=include_private, redact=redact) for p in event.affected),
    }
    if not include_private:
        changes["private_notes"] = ""
        changes["attachments"] = tuple(dataclasses.replace(a, path="") for a in event.attachments)
    return dataclasses.replace(event, **changes)  # type: ignore[arg-type]


def _signatory(signatory: Signatory, *, include_private: bool, redact: bool) -> Signatory:
    changes: dict[str, object] = {}
    if not include_private:
        changes["email"] = ""
    if redact:
        changes["representative"] = ""
        if signatory.kind is SignatoryKind.INDIVIDUAL:
            changes["name"] = ""
            changes["short_name"] = ""
    return dataclasses.replace(signatory, **changes) if changes else signatory  # type: ignore[arg-type]


def public_case(case: Case, *, include_private: bool = False, redact: bool = False) -> Case:
    """The case with what must not be exported removed."""
    contact = case.contact
    if redact:
        contact = Contact(organisation=contact.organisation, extra=contact.extra)
    return dataclasses.replace(
        case,
        contact=contact,
        events=tuple(_event(e, include_private=include_private, redact=redact) for e in case.events),
        signatories=tuple(_signatory(s, include_private=include_private, redact=redact) for s in case.signatories),
    )
