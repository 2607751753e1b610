"""``export``: the letter as Markdown, HTML, DOCX or ODT, and the case as JSON, TimelineJS or CSV."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from casefile.case.model import Language
from casefile.cli import messages
from casefile.cli._shared import (
    AsOfOption,
    FileOption,
    TemplatesOption,
    letter_templates,
    load_case,
    location,
    refuse_own_file,
    say,
)
from casefile.cli.messages import _
from casefile.exchange import ExportFormat, Items

if TYPE_CHECKING:
    from casefile.case.model import Case
    from casefile.letter.templatetrust import UserTemplates
    from casefile.storage.store import Loaded


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

    output = None if output is not None and str(output) == "-" else output  # -o -: stdout
    if export_format is ExportFormat.JSON_SCHEMA:
        from casefile.exchange.jsonformat import schema_text

        data, left = schema_text().encode("utf-8"), []  # needs no case file
    else:
        path = location(file).path
        if output is not None:
            refuse_own_file(output, path)
        chosen = None  # only a letter loads templates
        if export_format in LETTER_FORMATS:
            chosen = letter_templates(path, template=template, templates=templates)
        elif template is not None or templates is not None:
            raise InvalidValue(
                _("--template applies to the letter (markdown, html, docx, odt, pdf), not to {format}.").format(
                    format=export_format.value
                )
            )

        def make(loaded: Loaded) -> bytes | list[Any]:
            from casefile.cli.progress import progress_bar

            with progress_bar() as progress:
                made = export_case(
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
            # A redacted export is kept with the names the redaction could not reach, to warn of them again.
            return [made, redaction_left(loaded.case, include_private=include_private)] if redact else made

        # An export is kept in the cache for the case file's bytes and everything else it depends
        # on, as status is: the same export again is read back, the case not even parsed.
        options = (
            f"format {export_format.value} language {language.value if language else ''} as-of {as_of or ''} "
            f"private {include_private} redact {redact} items {items.value if items else ''}"
        )
        key = kept_key(
            options,
            templates=chosen,
            extra=[reference_doc] if reference_doc is not None else [],
            typst=export_format is ExportFormat.PDF,
        )
        kept: object = None
        if key is not None:
            from casefile.storage.derived import derived

            kept = derived(path, f"export-{export_format.value}", key, make)
        # Nothing kept, or not in the shape this code keeps: made from the case.
        made: Any = kept if _in_shape(kept, redact=redact) else make(load_case(file))
        data, left = (made[0], made[1]) if redact else (made, [])
    if output is not None:
        from casefile.exchange.exports import save

        save(output, data, case=path)
        say(_("Wrote {path}.").format(path=output))
        if include_private:
            warn_if_committable(output)
    elif export_format in BINARY_FORMATS:
        if sys.stdout.isatty():
            raise InvalidValue(
                _("{format} is a binary file: give --output FILE.{format}.").format(format=export_format.value)
            )
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        typer.echo(data.decode("utf-8"), nl=False)
    warn_names_left(left)
    if export_format in LETTER_FORMATS:
        from casefile.letter.render import drafting_notes

        for note in drafting_notes(messages.current_language()):
            say(_("casefile: note: {message}").format(message=note))


def _in_shape(kept: object, *, redact: bool) -> bool:
    """Whether a kept export is in the shape ``make`` gives: the bytes, and with ``redact`` the names left."""
    if not redact:
        return type(kept) is bytes
    return type(kept) is list and len(kept) == 2 and type(kept[0]) is bytes and type(kept[1]) is list


def redaction_left(case: Case, *, include_private: bool) -> list[list[str]]:
    """Where the redacted document still holds a name the redaction removed (see
    :mod:`casefile.workflow.redaction`), as lists of texts (what the cache keeps)."""
    import dataclasses

    from casefile.workflow.privacy import public_case
    from casefile.workflow.redaction import names_left

    redacted = public_case(case, include_private=include_private, redact=True)
    return [list(dataclasses.astuple(left)) for left in names_left(case, redacted)]


def warn_names_left(left: list[list[str]]) -> None:
    """One warning on stderr for each text of a redacted document that still holds a removed name."""
    for _kind, item, field, whose, of in left:
        whom = {
            "contact": _("the contact person"),
            "representative": _("the representative of {id}").format(id=of),
            "signatory": _("the signatory {id}").format(id=of),
        }.get(whose, _("a person affected by {id}").format(id=of))
        say(
            _(
                "casefile: warning: {item} ({field}) still holds the name of {whom}, which --redact leaves out; "
                "the redacted output may show it. Reword that text before publishing it."
            ).format(item=item or _("the case"), field=field, whom=whom)
        )


def warn_if_committable(output: Path) -> None:
    """Say so when a file of private data was written inside a git work tree, where `git add -A`
    (or a desktop app's "commit all") would take it to every clone."""
    from casefile.exchange.exports import is_stream
    from casefile.storage.files import resolved
    from casefile.storage.linkguard import git_work_tree

    root = None if is_stream(output) else git_work_tree(resolved(output).parent)
    if root is not None:
        say(
            _(
                "casefile: note: {path} holds private data and is inside the git work tree {root}: `git add -A` "
                "would commit it. Move it out, or list it in .gitignore."
            ).format(path=output, root=root)
        )


def kept_key(options: str, *, templates: UserTemplates | None, extra: list[Path], typst: bool = False) -> str | None:
    """What names everything an export depends on beside the case file's bytes (see
    :func:`casefile.storage.derived.derived`): the options, today's date (the default letter date
    and the calendar's), the templates, the ``extra`` files' bytes (a reference document), the
    language spoken to the user, casefile's code and, when ``typst`` (a PDF, which Typst typesets),
    Typst's version. None when a file cannot be read: the export then says what is wrong."""
    import datetime
    import hashlib

    from casefile.cli.messages import user_language
    from casefile.letter.templatetrust import digest
    from casefile.storage.derived import code_key

    files = []
    for item in extra:
        try:
            files.append(hashlib.sha256(item.read_bytes()).hexdigest())
        except OSError:
            return None
    chosen = f"{digest(templates.texts)} {templates.start}" if templates is not None else ""
    return (
        f"{options} today {datetime.date.today()} templates {chosen} files {files} messages {user_language()} "
        f"typst {_typst_version() if typst else ''} code {code_key()}"
    )


def _typst_version() -> str:
    """The installed Typst's version, or "" (importlib.metadata costs tens of ms: only a PDF asks)."""
    import importlib.metadata

    try:
        return importlib.metadata.version("typst")
    except importlib.metadata.PackageNotFoundError:
        return ""


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("export")(export)
