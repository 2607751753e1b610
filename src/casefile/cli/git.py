"""Working together with git: git-setup, merge-driver, conflicts, resolve."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from casefile.cli._shared import (
    FileOption,
    JsonOption,
    load_case,
    location,
    print_json,
    print_notices,
    say,
    wants_json,
)
from casefile.cli.messages import _, ngettext


def git_setup(file: FileOption = None) -> None:
    """Make git merge the case file with casefile (.gitattributes, git config, .gitignore); safe to rerun."""
    from casefile.collab.gitsetup import set_up

    report = set_up(location(file).path)
    if not report.done:
        say(
            _("{file} in {folder} is already set up for merging with casefile.").format(
                file=report.relative, folder=report.root
            )
        )
        return
    say(_("Set up {file} in {folder} for merging with casefile:").format(file=report.relative, folder=report.root))
    for step in report.done:
        say(f"  - {step}")
    say(_("Commit .gitattributes and .gitignore. Each clone runs `casefile git-setup` once: git config is not shared."))


def merge_driver(
    base: Annotated[Path, typer.Argument(help="The common ancestor (git's %O).", metavar="BASE")],
    ours: Annotated[Path, typer.Argument(help="Our version, replaced by the result (git's %A).", metavar="OURS")],
    theirs: Annotated[Path, typer.Argument(help="Their version (git's %B).", metavar="THEIRS")],
    path: Annotated[
        str | None, typer.Argument(help="The case file's path, for messages (git's %P).", metavar="PATH")
    ] = None,
) -> None:
    """Merge three versions of a case file for git: exit 0 merged, 1 conflicts recorded, 2 unreadable input,
    3 encrypted and no identity here opens it."""
    from casefile.collab.gitcrypt import NO_KEY_TO_MERGE, read_version, seal_merged
    from casefile.collab.merge import merge_texts
    from casefile.errors import BadKey, CannotMerge, CasefileError, IdentityNeeded, WrongKey
    from casefile.storage.files import require_writable, write_atomic

    name = path or str(ours)
    require_writable(ours)  # git's copy is the user's own; one named by hand may not be (chmod 0400, a colleague's)
    texts, sealed = [], []
    for role, version in (("base", base), ("ours", ours), ("theirs", theirs)):
        try:
            text, was_sealed = read_version(version, Path(name))
        except (IdentityNeeded, WrongKey, BadKey) as error:
            say(
                _(
                    "casefile: {name} is encrypted and cannot be merged here: {error} Git keeps our version as the "
                    "conflict; once you have a key, `git checkout -m {name}` merges it again."
                ).format(name=name, error=error)
            )
            raise typer.Exit(NO_KEY_TO_MERGE) from None
        except CasefileError as error:
            raise CannotMerge(
                _("{name} ({role}): {error} Nothing was written.").format(name=name, role=role, error=error)
            ) from None
        texts.append(text)
        sealed.append(was_sealed)
    base_text, ours_text, theirs_text = texts
    result = merge_texts(
        base_text, ours_text, theirs_text, labels=(f"{name} (base)", f"{name} (ours)", f"{name} (theirs)")
    )
    if any(sealed):
        # Decrypted only in memory; encrypted again to both sides' accepted recipients before it is written.
        if result.text != ours_text or not sealed[1]:
            merged = seal_merged(result.text, Path(name))
            write_atomic(ours, [merged.data], backup=False)
            if merged.yours_kept:
                say(
                    _(
                        "casefile: {name}: the other side removed your own key; the merged case stays encrypted "
                        "to it, so that you can open it. List it again with `casefile recipients add KEY`, or "
                        "ask whoever removed it."
                    ).format(name=name)
                )
            if merged.left_out:
                count = len(merged.left_out)
                say(
                    ngettext(
                        "casefile: {name}: the merged case is not encrypted to {count} key you have not accepted "
                        "(the other side may have added it); check who holds it, then run "
                        "`casefile recipients accept`.",
                        "casefile: {name}: the merged case is not encrypted to {count} keys you have not accepted "
                        "(the other side may have added them); check who holds them, then run "
                        "`casefile recipients accept`.",
                        count,
                    ).format(name=name, count=count)
                )
    elif result.text != ours_text:
        write_atomic(ours, result.text, backup=False)
    if result.conflicts:
        count = len(result.conflicts)
        say(
            ngettext(
                "casefile: {name}: {count} conflict recorded in the file. "
                "See it with `casefile conflicts`, settle it with `casefile resolve`, then `git add` the file.",
                "casefile: {name}: {count} conflicts recorded in the file. "
                "List them with `casefile conflicts`, settle each with `casefile resolve`, then `git add` the file.",
                count,
            ).format(name=name, count=count)
        )
        raise typer.Exit(1)
    say(_("casefile: {name}: merged item by item.").format(name=name))


def _plain(value: Any) -> Any:
    """A TOML value as JSON-ready data."""
    if isinstance(value, dict):
        return {key: _plain(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [_plain(inner) for inner in value]
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return value


def _shown(value: Any) -> str:
    import json

    from casefile.collab.conflicts import ABSENT

    if value is ABSENT:
        return "(not set)"
    return json.dumps(_plain(value), ensure_ascii=False)


def conflicts(json: JsonOption = False, file: FileOption = None) -> None:
    """List the conflicts a git merge left in the case file, with each side's value."""
    from casefile.collab.conflicts import SIDES, WHOLE_ITEM, conflicts_in

    found = conflicts_in(load_case(file).case)
    if wants_json(json):
        print_json(
            [
                {
                    "item": conflict.item,
                    "array": conflict.array or None,
                    "field": conflict.field,
                    "deleted": conflict.deleted or None,
                    **{side: _plain(conflict.values.get(side)) for side in SIDES},
                }
                for conflict in found
            ]
        )
        return
    if not found:
        say(_("No conflicts."))
        return
    from casefile.terminal import shown

    for conflict in found:
        typer.echo(shown(conflict.describe()))
        command = conflict.settle_command()
        if conflict.field != WHOLE_ITEM:
            for side in SIDES:
                if side != "base" or side in conflict.values:
                    typer.echo(shown(f"  {side + ':':<7} {_shown(conflict.value(side))}"))
            command = _("casefile resolve {item} --field {field} --take ours|theirs|VALUE")
            command = command.format(item=conflict.item, field=conflict.field)
        typer.echo(shown("  " + _("settle: {command}").format(command=command)))
    say(ngettext("{count} conflict.", "{count} conflicts.", len(found)).format(count=len(found)))


def resolve(
    item_id: Annotated[str, typer.Argument(help="The item with the conflict (its id or a unique prefix), or `case`.")],
    take: Annotated[
        str,
        typer.Option(
            "--take",
            help='ours, theirs, base, or the value to give the field (lists and numbers as TOML: \'["a", "b"]\').',
        ),
    ],
    field: Annotated[
        str | None,
        typer.Option(
            "--field",
            help="The conflicting field (needed when the item has several); * for a removed item.",
            show_default=False,
        ),
    ] = None,
    file: FileOption = None,
) -> None:
    """Settle one merge conflict by taking our value, theirs, or a new one."""
    from casefile.collab.conflicts import resolve as settle
    from casefile.storage.store import update

    def change(case: Any) -> tuple[Any, Any]:
        new_case, conflict, done = settle(case, item_id, field_name=field, take=take)
        return new_case, (conflict, done)

    updated = update(location(file).path, change)
    print_notices(updated.notices)
    conflict, done = updated.result
    from casefile.collab.conflicts import conflicts_in

    left = len(conflicts_in(updated.case))
    what = (
        conflict.item
        if conflict.field == "*"
        else _("{field} of {item}").format(field=conflict.field, item=conflict.item)
    )
    say(
        ngettext(
            "Settled {what}: {done}. {count} conflict left.",
            "Settled {what}: {done}. {count} conflicts left.",
            left,
        ).format(what=what, done=done, count=left)
    )


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("git-setup")(git_setup)
    app.command("merge-driver")(merge_driver)
    app.command("conflicts")(conflicts)
    app.command("resolve")(resolve)
