"""Pure edits of a case: each takes a Case and returns the new Case (and what it made).

The CLI calls these inside :func:`casefile.storage.store.update`, so they run under the lock on the
freshly loaded file. They raise :class:`CasefileError` subclasses for anything a user can get
wrong, and never touch the disk.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from typing import Any

from casefile.case.ids import dated_id, find_by_prefix, new_id, title_words
from casefile.case.model import (
    Case,
    Concern,
    Demand,
    Event,
    Item,
    Response,
    Signatory,
)
from casefile.errors import DuplicateSignatory, InvalidValue, ItemInUse
from casefile.i18n import _, ngettext

_ARRAY_OF: Mapping[type, str] = {
    Event: "events",
    Demand: "demands",
    Signatory: "signatories",
    Concern: "concerns",
}


def _require_text(name: str, value: str) -> str:
    if not value.strip():
        raise InvalidValue(_("{name} cannot be empty.").format(name=name))
    return value


def checked_article(language: str, text: str) -> str:
    """``text`` as one of the articles a signatory's name may take in ``language`` ("El" -> "el"); "" for none.

    Raises:
        InvalidValue: it is not one of them (:data:`casefile.case.kinds.SIGNATORY_ARTICLES`).
    """
    from casefile.case.kinds import SIGNATORY_ARTICLES
    from casefile.case.translations import LANGUAGE_NAMES

    article = text.strip().replace("\u2019", "'").casefold()
    if article and article not in SIGNATORY_ARTICLES[language]:
        known = ", ".join(SIGNATORY_ARTICLES[language])
        raise InvalidValue(
            _(
                '"{article}" is not an article a name takes in {language_name}: give one of {known}, or "" for none.'
            ).format(article=text, language_name=_(LANGUAGE_NAMES[language]), known=known)
        )
    return article


def find_item(case: Case, prefix: str) -> Item:
    """The item whose id is ``prefix`` or starts with it (across all kinds)."""
    return find_by_prefix(list(case.items()), prefix)


def _check_links(
    case: Case, *, concerns: Sequence[str] = (), signatories: Sequence[str] = ()
) -> tuple[list[str], list[str]]:
    """Resolve id prefixes of linked concerns and signatories to full ids."""
    concern_ids = [find_by_prefix(case.concerns, prefix, what="concern").id for prefix in concerns]
    signatory_ids = [find_by_prefix(case.signatories, prefix, what="signatory").id for prefix in signatories]
    return concern_ids, signatory_ids


def add_item(case: Case, item: Item) -> Case:
    """The case with ``item`` appended to the array of its kind."""
    name = _ARRAY_OF[type(item)]
    changes: dict[str, Any] = {name: (*getattr(case, name), item)}
    return dataclasses.replace(case, **changes)


def add_event(case: Case, **fields: Any) -> tuple[Case, Event]:
    """Add an event; its id comes from its date and title."""
    _require_text("The title", fields["title"])
    concern_ids, _signatories = _check_links(case, concerns=fields.pop("concerns", ()))
    event_id = dated_id(fields["date"].text, fields["title"], case.all_ids(), fallback="event")
    event = Event(id=event_id, concerns=tuple(concern_ids), **fields)
    return add_item(case, event), event


def add_demand(case: Case, **fields: Any) -> tuple[Case, Demand]:
    """Add a demand; its id comes from its date and subject."""
    _require_text("The recipient (--to)", fields["to"])
    _require_text("The subject", fields["subject"])
    _concerns, signatory_ids = _check_links(case, signatories=fields.pop("by", ()))
    demand_id = dated_id(fields["date"].text, fields["subject"], case.all_ids(), fallback="demand")
    demand = Demand(id=demand_id, by=tuple(signatory_ids), **fields)
    return add_item(case, demand), demand


def add_signatory(case: Case, *, allow_duplicate: bool = False, **fields: Any) -> tuple[Case, Signatory]:
    """Add a signatory; its id comes from its short name (or its name).

    Raises:
        DuplicateSignatory: a signatory already has this name or short name, once case, accents,
            punctuation and spaces are set aside; ``allow_duplicate`` adds it anyway, marked
            as distinct from them (two people may share a name).
    """
    from casefile.case.names import same_as

    _require_text("The name", fields["name"])
    fields["article"] = checked_article(case.language.value, fields.get("article", ""))
    stem = fields.get("short_name") or fields["name"]
    signatory = Signatory(id=new_id(stem, case.all_ids(), fallback="signatory"), **fields)
    existing = same_as(signatory, case.signatories)
    if existing and not allow_duplicate:
        first = existing[0]
        raise DuplicateSignatory(
            _(
                "{name!r} is already a signatory: {id} ({name2}). Use that id, or add --allow-duplicate "
                "if this is a different organisation or person."
            ).format(name=fields["name"], id=first.id, name2=first.name)
        )
    if existing:
        distinct = tuple(dict.fromkeys((*signatory.distinct_from, *(other.id for other in existing))))
        signatory = dataclasses.replace(signatory, distinct_from=distinct)
    return add_item(case, signatory), signatory


def add_concern(case: Case, **fields: Any) -> tuple[Case, Concern]:
    """Add a concern; its id comes from its title."""
    _require_text("The title", fields["title"])
    concern = Concern(id=new_id(title_words(fields["title"]), case.all_ids(), fallback="concern"), **fields)
    return add_item(case, concern), concern


def respond(case: Case, demand_prefix: str, response: Response) -> tuple[Case, Demand]:
    """Record a response to a demand; one dated before the demand was sent is refused (unless
    either date is approximate or uncertain: the letter would say it answered before it was asked)."""
    demand = find_by_prefix(case.demands, demand_prefix, what="demand")
    if answered_before_sent(demand, response):
        raise InvalidValue(
            _(
                "the response is dated {date}, before the demand {id} was sent ({sent}). Check both dates: "
                "`casefile edit {id} --date YYYY-MM-DD` corrects the demand's."
            ).format(date=response.date.text, id=demand.id, sent=demand.date.text)
        )
    updated = dataclasses.replace(demand, responses=(*demand.responses, response))
    return replace_item(case, demand, updated), updated


def answered_before_sent(demand: Demand, response: Response) -> bool:
    """Whether ``response`` is surely dated before ``demand`` was sent: its last possible day comes
    before the demand's first, and neither date is approximate or uncertain (then it may be right)."""
    sent, answered = demand.date.first_day(), response.date.last_day()
    points = (demand.date.start, demand.date.end, response.date.start, response.date.end)
    vague = any(point.approximate or point.uncertain for point in points if point is not None)
    return sent is not None and answered is not None and answered < sent and not vague


def replace_item(case: Case, old: Item, new: Item) -> Case:
    """The case with ``old`` replaced by ``new`` in place."""
    name = _ARRAY_OF[type(old)]
    changes: dict[str, Any] = {name: tuple(new if item is old else item for item in getattr(case, name))}
    return dataclasses.replace(case, **changes)


def edit_item(case: Case, prefix: str, changes: Mapping[str, Any]) -> tuple[Case, Item]:
    """Replace fields of an item; the id stays (ids never change once given)."""
    item = find_item(case, prefix)
    allowed = {field.name for field in dataclasses.fields(item)} - {"id", "extra", "responses"}
    wrong = sorted(set(changes) - allowed)
    if wrong:
        kind = type(item).__name__.lower()
        options = ", ".join("--" + name.replace("_", "-") for name in wrong)
        raise InvalidValue(
            _("{id} is a {kind}; {options} does not apply to a {kind}.").format(
                id=item.id, kind=_(kind), options=options
            )
        )
    changes = dict(changes)
    if "article" in changes:
        changes["article"] = checked_article(case.language.value, changes["article"])
    for text_field in ("title", "name", "to", "subject"):
        if text_field in changes:
            _require_text(f"The {text_field}", changes[text_field])
    if "concerns" in changes or "by" in changes:
        concern_ids, signatory_ids = _check_links(
            case, concerns=changes.get("concerns", ()), signatories=changes.get("by", ())
        )
        if "concerns" in changes:
            changes["concerns"] = tuple(concern_ids)
        if "by" in changes:
            changes["by"] = tuple(signatory_ids)
    updated = dataclasses.replace(item, **changes)
    return replace_item(case, item, updated), updated


def edit_case(case: Case, changes: Mapping[str, Any]) -> Case:
    """Replace fields of the case itself (title, country, contact...)."""
    if "title" in changes:
        _require_text("The title", changes["title"])
    if "country" in changes:
        from casefile.case.countries import country_code

        # Stored as its ISO 3166-1 code: the letter names it in its own language.
        changes = {**changes, "country": country_code(_require_text("The country", changes["country"]))}
    contact_changes = {
        key.removeprefix("contact_"): value for key, value in changes.items() if key.startswith("contact_")
    }
    case_changes = {key: value for key, value in changes.items() if not key.startswith("contact_")}
    if contact_changes:
        case_changes["contact"] = dataclasses.replace(case.contact, **contact_changes)
    return dataclasses.replace(case, **case_changes)


def users_of(case: Case, item: Item) -> list[str]:
    """Ids of the items that refer to ``item`` (so it cannot be removed)."""
    if isinstance(item, Signatory):
        return [demand.id for demand in case.demands if item.id in demand.by]
    if isinstance(item, Concern):
        return [event.id for event in case.events if item.id in event.concerns]
    return []


def remove_item(case: Case, prefix: str) -> tuple[Case, Item]:
    """Remove an item and retire its id, unless another item refers to it."""
    item = find_item(case, prefix)
    users = users_of(case, item)
    if users:
        kind = type(item).__name__.lower()
        raise ItemInUse(
            ngettext(
                "{id} cannot be removed: it is named by {users}. Edit {users} first so it no longer names this {kind}.",
                "{id} cannot be removed: it is named by {users}. Edit those first so they no longer name this {kind}.",
                len(users),
            ).format(id=item.id, users=", ".join(users), kind=_(kind))
        )
    name = _ARRAY_OF[type(item)]
    changes: dict[str, Any] = {
        name: tuple(other for other in getattr(case, name) if other is not item),
        "retired_ids": tuple(sorted({*case.retired_ids, item.id})),
    }
    return dataclasses.replace(case, **changes), item


def scrub_field(case: Case, prefix: str, field_name: str) -> tuple[Case, Item]:
    """Empty one field of an item (for data that must not be kept), leaving the item in place."""
    item = find_item(case, prefix)
    fields = {field.name: field for field in dataclasses.fields(item)}
    field = fields.get(field_name)
    if field is None or field_name in {"id", "extra"}:
        names = ", ".join(sorted(set(fields) - {"id", "extra"}))
        raise InvalidValue(
            _("{id} has no field {field_name!r}. Its fields: {names}.").format(
                id=item.id, field_name=field_name, names=names
            )
        )
    if field.default is dataclasses.MISSING:
        raise InvalidValue(
            _(
                "{field_name} is required for {id}; change it with `casefile edit {id}` instead, then "
                "run scrub on another field or remove the item."
            ).format(field_name=field_name, id=item.id)
        )
    from casefile.case.translations import without_translated

    changes: dict[str, Any] = {field_name: field.default}
    scrubbed = replace_item(case, item, without_translated(dataclasses.replace(item, **changes), field_name))
    array = _ARRAY_OF[type(item)]
    scrubbed = _without_conflict_values(scrubbed, array, item.id, field_name)
    return _without_approved_texts(scrubbed, array, field_name), item


#: What ``scrub case`` may empty: the case's own texts that may name or reach a person.
CASE_SCRUBBABLE = (
    *("contact", "contact.name", "contact.organisation", "contact.email"),
    *("request", "action_plan", "addressees"),
)


def scrub_case_field(case: Case, field_name: str) -> Case:
    """Empty one of the case's own fields (``contact.email``, ``request``...), in every language too."""
    from casefile.case.model import Contact
    from casefile.case.translations import without_translated

    if field_name not in CASE_SCRUBBABLE:
        raise InvalidValue(
            _("the case has no field {field_name!r} scrub can empty. Its fields: {names}.").format(
                field_name=field_name, names=", ".join(CASE_SCRUBBABLE)
            )
        )
    if field_name.startswith("contact."):
        emptied: dict[str, Any] = {field_name.split(".", 1)[1]: ""}
        contact = dataclasses.replace(case.contact, **emptied)
        scrubbed = dataclasses.replace(case, contact=contact)
    else:
        default: Any = Contact() if field_name == "contact" else () if field_name == "addressees" else ""
        scrubbed = without_translated(dataclasses.replace(case, **{field_name: default}), field_name)
    return _without_approved_texts(_without_conflict_values(scrubbed, "", "case", field_name), "", field_name)


#: The fields no letter ever prints (see casefile.workflow.privacy): no approved letter quotes them.
_NEVER_IN_LETTER = frozenset({("events", "private_notes"), ("signatories", "email")})


def _without_approved_texts(case: Case, array: str, field_name: str) -> Case:
    """``case`` without the letters its signatories approved, which may quote the scrubbed field
    (joined, contracted or escaped as the letter writes it, so not found by searching for it).
    The approvals (who approved which digest, when) stay: they now approve a letter that changed."""
    if (array, field_name) in _NEVER_IN_LETTER or not case.approved_texts:
        return case
    return dataclasses.replace(case, approved_texts=())


#: The top-level key of the conflict records a merge leaves (``casefile.collab.conflicts``).
_CONFLICTS = "conflicts"
_SIDES = ("base", "ours", "theirs")


def _side_without(side: dict[str, Any], field_name: str) -> dict[str, Any]:
    """One side of a whole-item conflict record without the field, in any language either."""
    kept = {key: value for key, value in side.items() if key != field_name}
    translations = kept.get("translations")
    if isinstance(translations, dict):
        kept["translations"] = {
            language: {key: value for key, value in texts.items() if key != field_name}
            if isinstance(texts, dict)
            else texts
            for language, texts in translations.items()
        }
    return kept


def _without_conflict_values(case: Case, array: str, item_id: str, field_name: str) -> Case:
    """``case`` with no trace of a scrubbed field in the conflict records a merge left in it.

    A conflict on the field itself goes (the field is now empty, and no side's value may stay);
    an item removed on one side and changed on the other keeps its record, without the field.
    """
    records = case.extra.get(_CONFLICTS)
    if not isinstance(records, list):
        return case
    kept: list[Any] = []
    for record in records:
        if not isinstance(record, dict) or record.get("item") != item_id or record.get("array", "") != array:
            kept.append(record)
            continue
        field = record.get("field")
        # The field itself, its parts, or its version in a language (translations.fr.description).
        if isinstance(field, str) and re.fullmatch(rf"(translations\.\w+\.)?{re.escape(field_name)}(\..*)?", field):
            continue
        kept.append(
            {
                key: _side_without(side, field_name) if key in _SIDES and isinstance(side, dict) else side
                for key, side in record.items()
            }
        )
    if kept == records:
        return case
    extra = {key: value for key, value in case.extra.items() if key != _CONFLICTS}
    if kept:
        extra[_CONFLICTS] = kept
    return dataclasses.replace(case, extra=extra)
