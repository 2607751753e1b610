"""Evidence and private data: attach, verify, set-source, scrub."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from casefile.cli._shared import (
    FileOption,
    JsonOption,
    commit,
    date_or_none,
    load_case,
    location,
    print_json,
    print_notices,
    say,
    wants_json,
)


def attach(
    event_id: Annotated[str, typer.Argument(help="The event's id (or a unique prefix).")],
    files: Annotated[list[Path], typer.Argument(help="Files to keep as evidence for the event.", exists=False)],
    link: Annotated[bool, typer.Option("--link", help="Record where the files are instead of copying them.")] = False,
    file: FileOption = None,
) -> None:
    """Attach evidence files to an event: hash them and keep a copy in evidence/ beside the case."""
    from casefile import evidence
    from casefile.ids import find_by_prefix
    from casefile.operations import replace_item

    path = location(file).path
    prepared = evidence.prepare(files, case_path=path, link=link, today=datetime.date.today())

    def change(case: Any) -> Any:
        event = find_by_prefix(case.events, event_id, what="event")
        updated, added, skipped = evidence.add_attachments(event, prepared)
        evidence.store_copies(item for item in prepared if item.attachment in added)
        return replace_item(case, event, updated), (event.id, added, skipped)

    result = commit(path, change)
    attached_to, added, skipped = result
    for attachment in added:
        typer.echo(f"{attachment.sha256}  {attachment.name}")
    for attachment in skipped:
        say(f"{attachment.name} is already attached to {attached_to} (same SHA-256); not added again.")


def verify(json: JsonOption = False, file: FileOption = None) -> None:
    """Hash every attached file again; list missing or altered ones (exit 1 if any)."""
    from casefile import evidence

    loaded = load_case(file)
    checks = list(evidence.verify(loaded.case, loaded.path))
    if wants_json(json):
        print_json(
            [
                {
                    "event": check.event_id,
                    "name": check.attachment.name,
                    "sha256": check.attachment.sha256,
                    "path": str(check.location),
                    "state": check.state,
                }
                for check in checks
            ]
        )
    else:
        for check in checks:
            typer.echo(f"{check.state}\t{check.event_id}\t{check.attachment.name}\t{check.location}")
        bad = sum(check.state != "ok" for check in checks)
        say(f"{len(checks)} file(s) checked, {bad} missing or altered.")
    raise typer.Exit(1 if any(check.state != "ok" for check in checks) else 0)


def set_source(
    event_id: Annotated[str, typer.Argument(help="The event's id (or a unique prefix).")],
    url: Annotated[str, typer.Argument(help="The source's URL (added to the event if it is not there yet).")],
    title: Annotated[str | None, typer.Option("--title", show_default=False)] = None,
    publisher: Annotated[str | None, typer.Option("--publisher", show_default=False)] = None,
    date: Annotated[str | None, typer.Option("--date", help="When it was published.", show_default=False)] = None,
    archived_url: Annotated[
        str | None, typer.Option("--archived-url", help="A web-archive copy of the page.", show_default=False)
    ] = None,
    accessed: Annotated[str | None, typer.Option("--accessed", help="When you saw it.", show_default=False)] = None,
    file: FileOption = None,
) -> None:
    """Add a source to an event, or set its title, publisher, date, archived copy or access date."""
    from dataclasses import replace

    from casefile.ids import find_by_prefix
    from casefile.model import Source
    from casefile.operations import replace_item

    given = {
        "title": title,
        "publisher": publisher,
        "date": date_or_none(date),
        "archived_url": archived_url,
        "accessed": date_or_none(accessed),
    }
    changes: dict[str, Any] = {key: value for key, value in given.items() if value is not None}

    def change(case: Any) -> Any:
        event = find_by_prefix(case.events, event_id, what="event")
        sources = list(event.sources)
        index = next((i for i, source in enumerate(sources) if source.url == url), None)
        if index is None:
            sources.append(Source(url=url, **changes))
        else:
            sources[index] = replace(sources[index], **changes)
        updated = replace(event, sources=tuple(sources))
        return replace_item(case, event, updated), updated

    result = commit(location(file).path, change)
    typer.echo(result.id)


def scrub(
    item_id: Annotated[str, typer.Argument(help="The item's id (or a unique prefix).")],
    field: Annotated[str, typer.Option("--field", help="The field to empty, e.g. private_notes or email.")],
    file: FileOption = None,
) -> None:
    """Remove a value from the case file and from its backups, for data that must not be kept."""
    from casefile.operations import scrub_field
    from casefile.store import scrub_copies, update

    path = location(file).path
    result = update(path, lambda case: scrub_field(case, item_id, field))
    print_notices(result.notices)
    scrub_copies(path)
    say(f"Removed {field} of {result.result.id} from {path} and its backups.")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("attach")(attach)
    app.command("verify")(verify)
    app.command("set-source")(set_source)
    app.command("scrub")(scrub)
