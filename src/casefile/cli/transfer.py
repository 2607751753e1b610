"""``import``: a whole case from a JSON export, or new events, demands or signatories from CSV."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from casefile.cli._shared import FileOption, commit, location, say
from casefile.cli.messages import _, ngettext
from casefile.exchange import Items

if TYPE_CHECKING:
    from casefile.exchange.csvformat import ImportResult


def _import_json(source: Path, target: Path, *, dry_run: bool, replace: bool) -> None:
    from casefile.exchange.jsonformat import import_json
    from casefile.storage.files import sidecar
    from casefile.storage.limits import read_limited
    from casefile.storage.store import create

    data = read_limited(source)
    if source.suffix.lower() == ".csv":  # a whole-case sheet: the JSON export laid out in rows
        from casefile.exchange.casecsv import document_from_csv
        from casefile.exchange.jsonformat import dumps

        data = dumps(document_from_csv(data, source=str(source))).encode("utf-8")
    imported = import_json(data, source=str(source))
    case = imported.case

    counts = _("{events}, {demands}, {signatories}, {concerns}").format(
        events=ngettext("{count} event", "{count} events", len(case.events)).format(count=len(case.events)),
        demands=ngettext("{count} demand", "{count} demands", len(case.demands)).format(count=len(case.demands)),
        signatories=ngettext("{count} signatory", "{count} signatories", len(case.signatories)).format(
            count=len(case.signatories)
        ),
        concerns=ngettext("{count} concern", "{count} concerns", len(case.concerns)).format(count=len(case.concerns)),
    )
    if not replace and target.exists():
        from casefile.errors import CaseFileExists

        raise CaseFileExists(
            _(
                "{target} already exists. Import into a new case file with --file NEW.toml, or give --replace to "
                "replace this case with the one in {source} (the current version is then kept as {backup})."
            ).format(target=target, source=source, backup=sidecar(target, ".bak"))
        )
    if dry_run:
        say(
            _("{source} holds a valid case: {counts}. Nothing was written (--dry-run).").format(
                source=source, counts=counts
            )
        )
    elif target.exists():
        commit(target, lambda _old: (case, None))
        say(
            _("Replaced {target} with the case in {source}: {counts}. The previous version is {backup}.").format(
                target=target, source=source, counts=counts, backup=sidecar(target, ".bak")
            )
        )
    else:
        create(target, case)
        say(_("Created {target} from {source}: {counts}.").format(target=target, source=source, counts=counts))
    if not imported.includes_private:
        say(
            _(
                "casefile: note: {source} was exported without private data: private notes, signatories' emails, "
                "evidence paths and the names of people not marked public are empty in this case, and the texts "
                "of the letter signatories approved and the ids of removed items are not there."
            ).format(source=source)
        )
    if imported.redacted:
        say(_("casefile: note: {source} was redacted: people's names are empty in this case.").format(source=source))


def _report(result: ImportResult, items: Items, *, source: Path, target: Path, dry_run: bool) -> None:
    for item in result.added:
        typer.echo(item.id)
    for problem in result.problems:
        say(_("casefile: warning: {source}: {problem} (row skipped)").format(source=source, problem=problem))
    if result.already_present:
        numbers = ", ".join(str(row.number) for row in result.already_present)
        count = len(result.already_present)
        say(
            ngettext(
                "{count} row gives an id the case already has among its {items} (row {numbers}): left out.",
                "{count} rows give ids the case already has among its {items} (rows {numbers}): left out.",
                count,
            ).format(count=count, items=_(items.value), numbers=numbers)
        )
    count = len(result.added)
    say(_imported(items, count, dry_run=dry_run).format(count=count, source=source, target=target))


def _imported(items: Items, count: int, *, dry_run: bool) -> str:
    """What import did (or would do), each kind of item named in the singular or plural of ``count``."""
    if dry_run:
        if items is Items.EVENTS:
            return ngettext(
                "Would import {count} event from {source} into {target}. Nothing was written (--dry-run).",
                "Would import {count} events from {source} into {target}. Nothing was written (--dry-run).",
                count,
            )
        if items is Items.DEMANDS:
            return ngettext(
                "Would import {count} demand from {source} into {target}. Nothing was written (--dry-run).",
                "Would import {count} demands from {source} into {target}. Nothing was written (--dry-run).",
                count,
            )
        return ngettext(
            "Would import {count} signatory from {source} into {target}. Nothing was written (--dry-run).",
            "Would import {count} signatories from {source} into {target}. Nothing was written (--dry-run).",
            count,
        )
    if items is Items.EVENTS:
        return ngettext(
            "Imported {count} event from {source} into {target}.",
            "Imported {count} events from {source} into {target}.",
            count,
        )
    if items is Items.DEMANDS:
        return ngettext(
            "Imported {count} demand from {source} into {target}.",
            "Imported {count} demands from {source} into {target}.",
            count,
        )
    return ngettext(
        "Imported {count} signatory from {source} into {target}.",
        "Imported {count} signatories from {source} into {target}.",
        count,
    )


def _rejection(result: ImportResult, source: Path) -> str:
    # French sets a no-break space before the colon: "s.csv : ligne 2 : …".
    joined = _("{place}: {message}")
    lines = [joined.format(place=source, message=problem) for problem in result.problems]
    count = len(result.problems)
    lines.append(
        ngettext(
            "nothing was imported: {count} row cannot be. Fix it, or give --skip-invalid to import the other rows.",
            "nothing was imported: {count} rows cannot be. Fix them, or give --skip-invalid to import the other rows.",
            count,
        ).format(count=count)
    )
    return "\n".join(lines)


def _import_csv(source: Path, target: Path, items: Items, *, dry_run: bool, skip_invalid: bool) -> None:
    from casefile.case.model import Case
    from casefile.errors import ImportRejected
    from casefile.exchange.csvformat import import_rows, read_rows
    from casefile.storage.limits import read_limited
    from casefile.storage.store import load

    rows = read_rows(read_limited(source), items, source=str(source))

    def change(case: Case) -> tuple[Case, ImportResult]:
        result = import_rows(case, rows, items)
        if result.problems and not skip_invalid:
            raise ImportRejected(_rejection(result, source))
        return result.case, result

    if dry_run:
        result = change(load(target).case)[1]
    else:
        updated = commit(target, change)
        result = updated
    _report(result, items, source=source, target=target, dry_run=dry_run)


def import_file(
    source: Annotated[
        Path,
        typer.Argument(
            help="A JSON export (FILE.json), a whole-case CSV sheet (FILE.csv) or, with --items, a CSV of new items.",
            show_default=False,
        ),
    ],
    items: Annotated[
        Items | None,
        typer.Option("--items", help="The CSV file holds these items (it is then read as CSV).", show_default=False),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check everything; write nothing.")] = False,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="CSV: import the good rows even when some rows are bad.")
    ] = False,
    replace: Annotated[
        bool, typer.Option("--replace", help="JSON: replace the existing case file (its old version is kept).")
    ] = False,
    file: FileOption = None,
) -> None:
    """Import a whole case from a JSON export or CSV sheet, or new items from a CSV file (--items).

    A JSON export or a whole-case CSV sheet (`export --format csv` without --items) becomes a new
    case file (--file NEW.toml), or replaces the existing one with --replace. CSV rows given with
    --items are added to the case as the add-* commands add items; with any bad row nothing is
    written unless --skip-invalid is given.
    """
    from casefile.errors import InvalidValue

    target = location(file).path
    if items is not None:
        if replace:
            raise InvalidValue(_("--replace applies to a JSON export; CSV rows are added to the case."))
        from casefile.cli.progress import progress_bar, stage

        with progress_bar() as progress:
            stage(progress, "Importing rows")
            _import_csv(source, target, items, dry_run=dry_run, skip_invalid=skip_invalid)
        return
    if source.suffix.lower() not in (".json", ".csv"):
        raise InvalidValue(
            _(
                "{source}: casefile imports a JSON export (FILE.json), a whole-case CSV sheet (FILE.csv) or, with "
                "--items events|demands|signatories, new items from a CSV file."
            ).format(source=source)
        )
    if skip_invalid:
        raise InvalidValue(
            _("--skip-invalid applies to CSV rows added with --items; a whole case is imported whole or not at all.")
        )
    from casefile.cli.progress import progress_bar, stage

    with progress_bar() as progress:
        stage(progress, "Importing the case")
        _import_json(source, target, dry_run=dry_run, replace=replace)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("import")(import_file)
