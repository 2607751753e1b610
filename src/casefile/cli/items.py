"""Commands that read or change existing items: list, show, edit, remove."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from casefile.case.model import ConcernCategory, SignatoryKind
from casefile.cli import _shared
from casefile.cli._shared import (
    AsOfOption,
    FileOption,
    JsonOption,
    as_of_day,
    commit,
    load_case,
    location,
    print_json,
    read_text_option,
    say,
)
from casefile.cli.messages import _

IdArgument = Annotated[str, typer.Argument(help="The item's id, or any unique prefix of it.")]
Opt = Annotated[str | None, typer.Option(show_default=False)]
Repeated = Annotated[list[str] | None, typer.Option(show_default=False)]


class Kind(StrEnum):
    """What ``list`` can list."""

    EVENTS = "events"
    DEMANDS = "demands"
    SIGNATORIES = "signatories"
    CONCERNS = "concerns"


def _sorted_items(case: Any, kind: Kind) -> list[Any]:
    items = list(getattr(case, kind.value))
    if kind in (Kind.EVENTS, Kind.DEMANDS):
        items.sort(key=lambda item: (item.date.sort_key(), item.id))
    return items


def events_json(path: Path) -> bytes:
    """What ``list events --json`` prints: every event's record, by date then id, in UTF-8.

    Kept in the cache for the file's bytes and casefile's code once made (records do not depend on
    the day): the case is then not even read (:func:`casefile.storage.derived.derived`).
    """
    from casefile.storage.derived import code_key, derived

    return derived(path, "events-json", f"code {code_key()}", _events_json)


def _events_json(loaded: Any) -> bytes:
    import datetime
    import json

    from casefile.case.views import item_record

    day = datetime.date.today()  # an event's record does not depend on the day
    events = _sorted_items(loaded.case, Kind.EVENTS)
    return json.dumps([item_record(event, as_of=day) for event in events], ensure_ascii=False, indent=2).encode()


def _summary_line(item: Any, as_of: Any) -> str:
    """One tab-separated line per item, whatever its text holds (see casefile.terminal)."""
    from casefile.case.model import Concern, Demand, Event, Signatory
    from casefile.terminal import shown_fields

    if isinstance(item, Event):
        return shown_fields(item.id, item.date, item.title)
    if isinstance(item, Demand):
        from casefile.case.kinds import DaysKnown
        from casefile.cli.messages import ngettext, said_word

        status = said_word("status", item.status(as_of).value)
        waiting = item.waiting(as_of)  # days only as far as they are known: none for "2019-03/.."
        if waiting is not None and waiting.known is DaysKnown.EXACT:
            status += " " + ngettext("({count} day)", "({count} days)", waiting.days).format(count=waiting.days)
        elif waiting is not None and waiting.known is DaysKnown.AT_LEAST:
            at_least = ngettext("(at least {count} day)", "(at least {count} days)", waiting.days)
            status += " " + at_least.format(count=waiting.days)
        from casefile.cli.messages import current_language
        from casefile.letter.grammar import Verbatim, assemble

        # Joined as the language joins them: "al Secretariado", "au ministère", never "a el".
        values = {"recipient": item.to, "subject": Verbatim(item.subject)}
        to = assemble(current_language(), _("to {recipient}: {subject}"), values)
        return shown_fields(item.id, item.date, status, to)
    if isinstance(item, Signatory):
        return shown_fields(item.id, item.kind.value, item.role.value, item.name)
    assert isinstance(item, Concern)
    return shown_fields(item.id, item.category.value, item.title)


def list_items(
    kind: Annotated[Kind, typer.Argument(help="Which items to list.")],
    tag: Annotated[
        list[str] | None, typer.Option("--tag", help="Only events with this tag (repeatable: all of them).")
    ] = None,
    from_date: Annotated[
        str | None,
        typer.Option("--from", help="Only items dated (partly) on or after this date: YYYY, YYYY-MM or YYYY-MM-DD."),
    ] = None,
    to_date: Annotated[
        str | None, typer.Option("--to", help="Only items dated (partly) on or before this date.")
    ] = None,
    concern: Annotated[
        list[str] | None, typer.Option("--concern", help="Only events supporting this concern (id or prefix).")
    ] = None,
    signatory: Annotated[
        list[str] | None, typer.Option("--signatory", help="Only demands sent by this signatory (id or prefix).")
    ] = None,
    text: Annotated[
        str | None, typer.Option("--text", help="Only items with this text in any field (case and accents ignored).")
    ] = None,
    json: JsonOption = False,
    as_of: AsOfOption = None,
    file: FileOption = None,
) -> None:
    """List events, demands, signatories or concerns (events and demands by date).

    Filters combine: an item is listed when it passes every one given.
    """
    from casefile.case.views import item_record

    json = _shared.wants_json(json)
    filtering = any(value for value in (tag, from_date, to_date, concern, signatory, text))
    if json and kind is Kind.EVENTS and not filtering:
        pieces: list[bytes | memoryview] = [events_json(location(file).path)]
        as_of_day(as_of)  # a bad --as-of is still refused
        _shared.print_utf8(pieces)
        return
    case = load_case(file).case
    day = as_of_day(as_of)
    items = _sorted_items(case, kind)
    if filtering:
        keep = _item_filter(case, kind, tag, from_date, to_date, concern, signatory, text)
        items = [item for item in items if keep.keeps(item)]
    if json:
        print_json([item_record(item, as_of=day) for item in items])
        return
    if not items:
        say((_("No {kind} match.") if filtering else _("No {kind} yet.")).format(kind=_(kind.value)))
    for item in items:
        typer.echo(_summary_line(item, day))


def _item_filter(
    case: Any,
    kind: Kind,
    tags: list[str] | None,
    from_date: str | None,
    to_date: str | None,
    concerns: list[str] | None,
    signatories: list[str] | None,
    text: str | None,
) -> Any:
    """The filter ``list`` was given, with ids found from their prefixes."""
    from casefile.case.filters import ITEM_TYPES, ItemFilter
    from casefile.case.ids import find_by_prefix

    chosen = ItemFilter(
        tags=tuple(tags or ()),
        start=_shared.date_or_none(from_date),
        end=_shared.date_or_none(to_date),
        concerns=tuple(find_by_prefix(case.concerns, prefix, what="concern").id for prefix in concerns or ()),
        signatories=tuple(
            find_by_prefix(case.signatories, prefix, what="signatory").id for prefix in signatories or ()
        ),
        text=text or "",
    )
    chosen.require_applies_to(ITEM_TYPES[kind.value])
    return chosen


def show(item_id: IdArgument, json: JsonOption = False, as_of: AsOfOption = None, file: FileOption = None) -> None:
    """Show every field of one item (`show case`: the case's own fields)."""
    from casefile.case.operations import find_item
    from casefile.case.views import case_record, item_record, item_text, record_text

    if item_id == "case":
        record = case_record(load_case(file).case)
        if _shared.wants_json(json):
            print_json(record)
        else:
            typer.echo(record_text(record))
        return
    item = find_item(load_case(file).case, item_id)
    day = as_of_day(as_of)
    if _shared.wants_json(json):
        print_json(item_record(item, as_of=day))
    else:
        typer.echo(item_text(item, as_of=day))


def edit(
    item_id: IdArgument,
    title: Annotated[str | None, typer.Option("--title", show_default=False)] = None,
    date: Annotated[
        str | None,
        typer.Option(
            "--date", help="EDTF date: 2017, 2017-02, 2017-02-11, 2017~, 2016-05/2017-02.", show_default=False
        ),
    ] = None,
    description: Annotated[
        str | None, typer.Option("--description", help="Details; - reads them from stdin.", show_default=False)
    ] = None,
    source: Annotated[
        list[str] | None, typer.Option("--source", help="Replaces the sources (repeatable).", show_default=False)
    ] = None,
    actor: Annotated[
        list[str] | None, typer.Option("--actor", help="Replaces the actors (repeatable).", show_default=False)
    ] = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", help="Replaces the tags (repeatable).", show_default=False)
    ] = None,
    concern: Annotated[
        list[str] | None,
        typer.Option("--concern", help="Replaces the linked concerns (repeatable).", show_default=False),
    ] = None,
    private_note: Annotated[
        str | None,
        typer.Option(
            "--private-note",
            help="A note kept private: never exported; - reads it from stdin (then not in your shell's history).",
            show_default=False,
        ),
    ] = None,
    affected: Annotated[
        list[str] | None,
        typer.Option("--affected", help='Replaces the people affected, "NAME:role".', show_default=False),
    ] = None,
    public_affected: Annotated[
        list[str] | None,
        typer.Option("--public-affected", help='Public people affected, "NAME:role".', show_default=False),
    ] = None,
    to: Annotated[
        str | None,
        typer.Option(
            "--to",
            help='Who the demand was sent to, as a sentence names it: with its article ("the Ministry of the '
            'Interior").',
            show_default=False,
        ),
    ] = None,
    subject: Annotated[
        str | None, typer.Option("--subject", help="What it asked, in a line.", show_default=False)
    ] = None,
    text: Annotated[
        str | None, typer.Option("--text", help="The demand's text; - reads it from stdin.", show_default=False)
    ] = None,
    deadline: Annotated[
        str | None, typer.Option("--deadline", help="Date an answer was asked for.", show_default=False)
    ] = None,
    channel: Annotated[
        str | None,
        typer.Option("--channel", help="How it was sent (email, letter, meeting...).", show_default=False),
    ] = None,
    by: Annotated[
        list[str] | None, typer.Option("--by", help="Replaces the senders (repeatable).", show_default=False)
    ] = None,
    name: Annotated[
        str | None, typer.Option("--name", help="Full name of the organisation or person.", show_default=False)
    ] = None,
    short_name: Annotated[str | None, typer.Option("--short-name", show_default=False)] = None,
    article: Annotated[
        str | None, typer.Option("--article", help='The name\'s article ("" for none).', show_default=False)
    ] = None,
    country: Annotated[
        str | None,
        typer.Option(
            "--country", help="Where it is based; the signature list gives it after the name.", show_default=False
        ),
    ] = None,
    kind: Annotated[SignatoryKind | None, typer.Option("--kind", show_default=False)] = None,
    representative: Annotated[
        str | None, typer.Option("--representative", help="Who signs for the organisation.", show_default=False)
    ] = None,
    representative_title: Annotated[
        str | None, typer.Option("--representative-title", help="Their position.", show_default=False)
    ] = None,
    email: Annotated[
        str | None, typer.Option("--email", help="Private contact address; never exported.", show_default=False)
    ] = None,
    lead: Annotated[
        bool | None, typer.Option("--lead/--no-lead", help="This signatory leads the filing.", show_default=False)
    ] = None,
    category: Annotated[ConcernCategory | None, typer.Option("--category", show_default=False)] = None,
    category_other: Annotated[str | None, typer.Option("--category-other", show_default=False)] = None,
    summary: Annotated[
        str | None,
        typer.Option("--summary", help="The allegation in a paragraph; - reads it from stdin.", show_default=False),
    ] = None,
    breaches: Annotated[
        list[str] | None, typer.Option("--breaches", help="Replaces what is breached (repeatable).", show_default=False)
    ] = None,
    file: FileOption = None,
) -> None:
    """Replace fields of an item (the options of its add-* command); prints its id."""
    from casefile.case.model import Role, Source
    from casefile.case.operations import edit_item
    from casefile.cli._shared import date_or_none
    from casefile.cli.add import affected_people

    given: dict[str, Any] = {
        "title": title,
        "date": date_or_none(date),
        "description": read_text_option(description),
        "sources": tuple(Source(url=url) for url in source) if source is not None else None,
        "actors": tuple(actor) if actor is not None else None,
        "tags": tuple(tag) if tag is not None else None,
        "concerns": tuple(concern) if concern is not None else None,
        "private_notes": read_text_option(private_note),
        "affected": (
            affected_people(affected, public_affected) if affected is not None or public_affected is not None else None
        ),
        "to": to,
        "subject": subject,
        "text": read_text_option(text),
        "deadline": date_or_none(deadline),
        "channel": channel,
        "by": tuple(by) if by is not None else None,
        "name": name,
        "short_name": short_name,
        "article": article,
        "country": country,
        "kind": kind,
        "representative": representative,
        "representative_title": representative_title,
        "email": email,
        "role": None if lead is None else (Role.LEAD if lead else Role.SIGNATORY),
        "category": category,
        "category_other": category_other,
        "summary": read_text_option(summary),
        "breaches": tuple(breaches) if breaches is not None else None,
    }
    changes = {key: value for key, value in given.items() if value is not None}
    if not changes:
        raise typer.BadParameter(_("give at least one field to change, e.g. --title. See --help."))
    if "sources" in changes:
        changes["sources"] = _keep_known_sources(file, item_id, changes["sources"])
    updated = commit(location(file).path, lambda case: edit_item(case, item_id, changes))
    typer.echo(updated.id)


def _keep_known_sources(file: Any, item_id: str, sources: tuple[Any, ...]) -> tuple[Any, ...]:
    """Keep the titles and publishers already recorded for URLs that stay."""
    from casefile.case.model import Event
    from casefile.case.operations import find_item

    item = find_item(load_case(file).case, item_id)
    if not isinstance(item, Event):
        return sources
    known = {existing.url: existing for existing in item.sources}
    return tuple(known.get(source.url, source) for source in sources)


def remove(
    item_id: IdArgument,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    file: FileOption = None,
) -> None:
    """Remove an item. Its id is retired, never given to another item."""
    from casefile.case.operations import find_item, remove_item
    from casefile.errors import NeedsConfirmation

    path = location(file).path
    if not yes:
        if not _shared.stdin_is_terminal():
            raise NeedsConfirmation(_("not removing without confirmation: run it on a terminal, or add --yes."))
        item = find_item(load_case(file).case, item_id)
        if not typer.confirm(_("Remove {id}?").format(id=item.id), err=True):
            say(_("Nothing removed."))
            raise typer.Exit(1)
    updated = commit(path, lambda case: remove_item(case, item_id))
    say(_("Removed {id}.").format(id=updated.id))


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("list")(list_items)
    app.command("show")(show)
    app.command("edit")(edit)
    app.command("remove")(remove)
