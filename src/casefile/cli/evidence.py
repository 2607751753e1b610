"""Evidence and private data: attach, verify, set-source, scrub."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

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
from casefile.cli.messages import _

if TYPE_CHECKING:
    from casefile.case.model import Case, Item


def attach(
    event_id: Annotated[str, typer.Argument(help="The event's id (or a unique prefix).")],
    files: Annotated[list[Path], typer.Argument(help="Files to keep as evidence for the event.", exists=False)],
    link: Annotated[
        bool,
        typer.Option("--link", help="Record where the files are instead of copying them (verify FILE checks them)."),
    ] = False,
    follow_symlinks: Annotated[
        bool,
        typer.Option("--follow-symlinks", help="Attach the file a symbolic link points to (a copy, never the link)."),
    ] = False,
    file: FileOption = None,
) -> None:
    """Attach evidence files to an event: hash them and keep a copy in evidence/ beside the case."""
    from casefile.case.ids import find_by_prefix
    from casefile.case.operations import replace_item
    from casefile.terminal import shown
    from casefile.workflow import evidence

    path = location(file).path
    prepared = evidence.prepare(
        files, case_path=path, link=link, today=datetime.date.today(), follow_symlinks=follow_symlinks
    )

    def change(case: Any) -> Any:
        event = find_by_prefix(case.events, event_id, what="event")
        updated, added, skipped = evidence.add_attachments(event, prepared)
        evidence.store_copies(item for item in prepared if item.attachment in added)
        return replace_item(case, event, updated), (event.id, added, skipped)

    try:
        attached_to, added, skipped = commit(path, change)
    finally:
        evidence.discard(prepared)  # the copies not stored: already attached, or the command failed
    for attachment in added:
        typer.echo(f"{attachment.sha256}  {shown(attachment.name)}")
    for attachment in skipped:
        say(
            _("{name} is already attached to {event} (same SHA-256); not added again.").format(
                name=attachment.name, event=attached_to
            )
        )


def verify(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Linked files (attach --link) to check too; nothing outside evidence/ is read otherwise."),
    ] = None,
    json: JsonOption = False,
    file: FileOption = None,
) -> None:
    """Hash every file in the evidence folder again; list missing or altered ones (exit 1 if any).

    A case file may name any path: only files inside the case's evidence/ folder are read, and
    a linked file only when you give its path here. An attachment naming a path outside the
    folder is reported (state "outside", exit 1), never read.
    """
    from casefile.cli.progress import progress_bar
    from casefile.terminal import shown_fields
    from casefile.workflow import evidence

    with progress_bar() as progress:
        loaded = load_case(file)
        checks = list(evidence.verify(loaded.case, loaded.path, paths or (), progress))
    if wants_json(json):
        print_json(
            [
                {
                    "event": check.event_id,
                    "name": check.attachment.name,
                    "sha256": check.attachment.sha256,
                    "path": str(check.location),
                    "state": check.state,
                    "problem": check.problem or None,
                }
                for check in checks
            ]
        )
    else:
        for check in checks:
            fields = [check.state, check.event_id, check.attachment.name, check.location]
            typer.echo(shown_fields(*fields, *([check.said or check.problem] if check.problem else [])))
        bad = sum(check.state not in ("ok", "not-checked") for check in checks)
        unchecked = sum(check.state == "not-checked" for check in checks)
        from casefile.cli.messages import ngettext

        checked = len(checks) - unchecked
        counts = {
            "checked": ngettext("{count} file checked", "{count} files checked", checked).format(count=checked),
            "bad": ngettext(
                "{count} missing, altered or outside the evidence folder",
                "{count} missing, altered or outside the evidence folder",
                bad,
            ).format(count=bad),
            "unchecked": ngettext(
                "{count} linked file not checked (give its path to check it)",
                "{count} linked files not checked (give their paths to check them)",
                unchecked,
            ).format(count=unchecked),
        }
        say((_("{checked}, {bad}, {unchecked}.") if unchecked else _("{checked}, {bad}.")).format(**counts))
    _say_plain_copies(loaded.path)
    raise typer.Exit(1 if any(check.state not in ("ok", "not-checked") for check in checks) else 0)


def _say_plain_copies(path: Path) -> None:
    """Tell the user of an encrypted case whose evidence folder still holds copies in plain text."""
    from casefile.storage.encryption import is_encrypted_path
    from casefile.storage.sealedcopies import evidence_folder, has_plain_copies

    if is_encrypted_path(path) and has_plain_copies(path):
        message = _(
            "{folder} holds copies in plain text (attached before casefile encrypted evidence): `casefile "
            "encrypt` encrypts them, as the case is, and deletes them."
        )
        say(_("casefile: note: {message}").format(message=message.format(folder=evidence_folder(path))))


def say_sealed(sealed: tuple[Path, ...]) -> None:
    """Say which evidence copies ``encrypt`` encrypted (the plain ones it deleted are listed after)."""
    from casefile.cli.messages import ngettext

    if sealed:
        message = ngettext(
            "Encrypted {count} evidence copy, as the case is: {path}",
            "Encrypted {count} evidence copies, as the case is, in {path}",
            len(sealed),
        )
        say(message.format(count=len(sealed), path=sealed[0] if len(sealed) == 1 else sealed[0].parent))


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

    from casefile.case.ids import find_by_prefix
    from casefile.case.model import Source
    from casefile.case.operations import replace_item

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
    item_id: Annotated[
        str, typer.Argument(help="The item's id (or a unique prefix), or case for the case's own fields.")
    ],
    field: Annotated[
        str, typer.Option("--field", help="The field to empty, e.g. private_notes, email or contact.email.")
    ],
    file: FileOption = None,
) -> None:
    """Remove a value from the case file and from its backups, for data that must not be kept.

    `scrub case --field F` empties one of the case's own fields: contact (or contact.name,
    contact.organisation, contact.email), request, action_plan or addressees.
    """
    from casefile.case.operations import scrub_case_field, scrub_field
    from casefile.storage.store import update
    from casefile.workflow.scrub import scrub_copies

    path = location(file).path
    approved: list[bool] = []  # whether the letters signatories approved went too

    def scrub_case(case: Case) -> tuple[Case, None]:
        scrubbed = scrub_case_field(case, field)
        approved.append(len(scrubbed.approved_texts) < len(case.approved_texts))
        return scrubbed, None

    def scrub_item(case: Case) -> tuple[Case, Item]:
        scrubbed, item = scrub_field(case, item_id, field)
        approved.append(len(scrubbed.approved_texts) < len(case.approved_texts))
        return scrubbed, item

    if item_id == "case":
        case_update = update(path, scrub_case)
        notices, scrubbed = case_update.notices, "case"
    else:
        item_update = update(path, scrub_item)
        notices, scrubbed = item_update.notices, item_update.result.id
    print_notices(notices)
    scrub_copies(path)
    say(_("Removed {field} of {id} from {path} and its backups.").format(field=field, id=scrubbed, path=path))
    if approved and approved[-1]:
        say(
            _(
                "casefile: note: the texts of the letter that signatories approved were removed too (they may quote "
                "the value): their approvals stay, and `casefile diff-since` can no longer show what changed since."
            )
        )
    _say_git_keeps(path)


def _say_git_keeps(path: Path) -> None:
    """Tell the user when the case is in a git work tree: the commits made before may hold the value."""
    from casefile.storage.files import resolved
    from casefile.storage.linkguard import git_work_tree

    if git_work_tree(resolved(path).parent) is not None:
        say(
            _(
                "casefile: note: git history may still hold the value, in the commits made before (and in every "
                "clone of them): scrub cannot reach it."
            )
        )


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("attach")(attach)
    app.command("verify")(verify)
    app.command("set-source")(set_source)
    app.command("scrub")(scrub)
