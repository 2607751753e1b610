"""``export``: the letter as Markdown, HTML, DOCX or ODT, and the case as JSON, TimelineJS or CSV."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from casefile.case.model import Language
from casefile.cli import messages
from casefile.cli._shared import AsOfOption, FileOption, TemplatesOption, letter_templates, load_case, say
from casefile.cli.messages import _
from casefile.exchange import ExportFormat, Items


def export(
    export_format: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            help=(
                "markdown, html, docx, odt or pdf: the letter; json: the whole case (json-schema: its JSON Schema); "
                "timeline: TimelineJS; svg: a picture of the timeline; csv: the whole case in one sheet, or one kind "
                "of item with --items."
            ),
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file instead of stdout.", show_default=False),
    ] = None,
    language: Annotated[
        Language | None,
        typer.Option(
            "--language", help="Language of the letter or timeline (default: the case's).", show_default=False
        ),
    ] = None,
    as_of: AsOfOption = None,
    items: Annotated[
        Items | None,
        typer.Option("--items", help="With --format csv: only these items, one row each.", show_default=False),
    ] = None,
    include_private: Annotated[
        bool,
        typer.Option(
            "--include-private",
            help="Also export private fields (notes, emails, evidence paths, private names): json, timeline, csv.",
        ),
    ] = False,
    redact: Annotated[
        bool, typer.Option("--redact", help="Leave out every person's name: a version safe to publish.")
    ] = False,
    template: Annotated[
        Path | None,
        typer.Option("--template", help="A letter template to use instead of the built-in one.", show_default=False),
    ] = None,
    templates: TemplatesOption = None,
    reference_doc: Annotated[
        Path | None,
        typer.Option(
            "--reference-doc",
            help="With docx or odt: a document whose styles, page and letterhead the letter takes.",
            show_default=False,
        ),
    ] = None,
    file: FileOption = None,
) -> None:
    """Export the letter (markdown, html, docx, odt, pdf) or the case (json, timeline, csv).

    Private fields stay out unless --include-private is given (json, timeline and csv only).
    """
    from casefile.cli._shared import as_of_day
    from casefile.errors import InvalidValue
    from casefile.exchange.exports import BINARY_FORMATS, LETTER_FORMATS, export_case

    if export_format is ExportFormat.JSON_SCHEMA:
        from casefile.exchange.jsonformat import schema_text

        data = schema_text().encode("utf-8")  # needs no case file
    else:
        loaded = load_case(file)
        chosen = None  # only a letter loads templates
        if export_format in LETTER_FORMATS:
            chosen = letter_templates(loaded.path, template=template, templates=templates)
        elif template is not None or templates is not None:
            raise InvalidValue(
                _("--template applies to the letter (markdown, html, docx, odt, pdf), not to {format}.").format(
                    format=export_format.value
                )
            )
        from casefile.cli.progress import progress_bar

        with progress_bar() as progress:
            data = export_case(
                loaded.case,
                export_format,
                language=language.value if language else None,
                as_of=as_of_day(as_of) if as_of is not None else None,
                include_private=include_private,
                redact=redact,
                items=items.value if items else None,
                templates=chosen,
                reference_doc=reference_doc,
                progress=progress,
            )
    if output is not None:
        from casefile.exchange.exports import save

        save(output, data)
        say(_("Wrote {path}.").format(path=output))
    elif export_format in BINARY_FORMATS:
        if sys.stdout.isatty():
            raise InvalidValue(
                _("{format} is a binary file: give --output FILE.{format}.").format(format=export_format.value)
            )
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        typer.echo(data.decode("utf-8"), nl=False)
    if export_format in LETTER_FORMATS:
        from casefile.letter.render import drafting_notes

        for note in drafting_notes(messages.current_language()):
            say(_("casefile: note: {message}").format(message=note))


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("export")(export)
