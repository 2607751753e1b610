"""Commands that write the letter: draft-complaint, and template export for editing it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from casefile.case.model import Language
from casefile.cli import messages
from casefile.cli._shared import (
    AsOfOption,
    FileOption,
    TemplatesOption,
    as_of_day,
    letter_templates,
    location,
    refuse_own_file,
    say,
)
from casefile.cli.messages import _, ngettext

if TYPE_CHECKING:
    from casefile.storage.store import Loaded

template_app = typer.Typer(help="Work with the letter's templates.", no_args_is_help=True, rich_markup_mode=None)


def draft_complaint(
    language: Annotated[
        Language | None,
        typer.Option("--language", help="Language of the letter (default: the case's).", show_default=False),
    ] = None,
    as_of: AsOfOption = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the letter to this file instead of stdout.", show_default=False),
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option("--template", help="A template to use instead of the built-in one.", show_default=False),
    ] = None,
    templates: TemplatesOption = None,
    redact: Annotated[
        bool, typer.Option("--redact", help="Leave out every person's name: a version safe to publish.")
    ] = False,
    file: FileOption = None,
) -> None:
    """Write the Response Policy letter of concern as Markdown (with footnotes)."""
    from casefile.cli.export import kept_key, redaction_left, warn_names_left
    from casefile.collab.conflicts import require_no_conflicts
    from casefile.letter.render import draft_letter_pieces, drafting_notes
    from casefile.storage.derived import derived
    from casefile.workflow.followup import LetterDigest, letter_date_for

    output = None if output is not None and str(output) == "-" else output  # -o -: stdout
    path = location(file).path
    if output is not None:
        refuse_own_file(output, path)
    chosen = letter_templates(path, template=template, templates=templates)

    def make(loaded: Loaded) -> list[Any]:
        case = loaded.case
        require_no_conflicts(case)
        day = letter_date_for(case, as_of_day(as_of) if as_of is not None else None)
        pieces = draft_letter_pieces(
            case, language=(language or case.language).value, as_of=day, templates=chosen, redact=redact
        )
        digest = LetterDigest()  # the letter is encoded once, for keeping and hashing both
        letter = b"".join(digest.encoded(pieces))
        return [letter, str(digest), redaction_left(case, include_private=False) if redact else []]

    # The letter is kept in the cache for the case file's bytes and everything else it depends on
    # (see casefile.cli.export.kept_key): the same letter again is read back, the case not parsed.
    options = f"draft-complaint language {language.value if language else ''} as-of {as_of or ''} redact {redact}"
    key = kept_key(options, templates=chosen, extra=[])
    kept = derived(path, "draft-complaint", key, make) if key is not None else None
    if not (type(kept) is list and len(kept) == 3 and type(kept[0]) is bytes and type(kept[1]) is str):
        from casefile.storage.store import load

        kept = make(load(path))  # nothing kept, or not in the shape this code keeps
    data, digest, left = kept
    if output is None:
        typer.echo(data, nl=False)
    else:
        from casefile.exchange.exports import save

        save(output, data, case=path)
        say(_("Wrote {path}.").format(path=output))
    warn_names_left(left)
    for note in drafting_notes(messages.current_language()):
        say(_("casefile: note: {message}").format(message=note))
    say(_("casefile: letter digest {digest}").format(digest=digest))


def export(folder: Annotated[Path, typer.Argument(help="Folder to write the templates into.")]) -> None:
    """Write the built-in letter templates into FOLDER for editing.

    Put edited templates in a `templates/` folder beside the case file and trust it with
    `casefile template trust`, or pass them with `--templates DIR` or `--template PATH`.
    """
    from casefile.letter.render import export_templates

    for path in export_templates(folder):
        typer.echo(str(path))


def trust(
    folder: Annotated[Path, typer.Argument(help="The templates folder (usually templates/ beside the case).")],
) -> None:
    """Let casefile use the templates in FOLDER, as they are now, for the case beside it.

    Read them first: a template decides what the letter says. The trust is kept in your config
    folder, never in the case's, and lapses when any template in FOLDER changes (a git pull).
    """
    import datetime

    from casefile.letter.templatetrust import trust as record

    trusted = record(folder, today=datetime.date.today())
    say(
        ngettext(
            "Trusted {count} template in {folder} ({names}), as it is now "
            "({digest}). A change to it needs `casefile template trust` again.",
            "Trusted {count} templates in {folder} ({names}), as they are now "
            "({digest}). A change to any of them needs `casefile template trust` again.",
            len(trusted.names),
        ).format(count=len(trusted.names), folder=trusted.folder, names=", ".join(trusted.names), digest=trusted.digest)
    )


def untrust(folder: Annotated[Path, typer.Argument(help="A folder trusted with `casefile template trust`.")]) -> None:
    """Stop using the templates in FOLDER: letters are written with the built-in ones again."""
    from casefile.letter.templatetrust import untrust as forget

    if forget(folder):
        say(_("{folder} is no longer trusted: its templates will be ignored.").format(folder=folder.resolve()))
    else:
        say(_("{folder} was not trusted; nothing changed.").format(folder=folder.resolve()))


template_app.command("export")(export)
template_app.command("trust")(trust)
template_app.command("untrust")(untrust)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("draft-complaint")(draft_complaint)
    app.add_typer(template_app, name="template")
