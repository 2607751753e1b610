"""Every export of a case, in one place: ``casefile export --format FORMAT``.

Each format starts from :func:`casefile.workflow.privacy.public_case`, so private fields (notes,
signatories' emails, evidence paths, names of people not marked public) leave the case file
only with ``include_private``, and ``redact`` removes every person's name. The letter formats
(Markdown, HTML, DOCX, ODT) are the letter ``draft-complaint`` writes, which never holds private
data; the data formats (JSON, TimelineJS, CSV) show what the case holds.
"""

from __future__ import annotations

import datetime
import functools
import gc
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from casefile.case.model import Case
from casefile.errors import InvalidValue, NotWritable
from casefile.exchange import ExportFormat, Items
from casefile.i18n import _

if TYPE_CHECKING:
    from casefile.letter.templatetrust import UserTemplates

#: ``progress(stage, done, total)`` (see :mod:`casefile.exchange.officebase`).
Progress = Callable[[str, int, int], None]

__all__ = ["BINARY_FORMATS", "LETTER_FORMATS", "ExportFormat", "export_case", "is_stream", "save"]

LETTER_FORMATS = frozenset(
    {ExportFormat.MARKDOWN, ExportFormat.HTML, ExportFormat.DOCX, ExportFormat.ODT, ExportFormat.PDF}
)
BINARY_FORMATS = frozenset({ExportFormat.DOCX, ExportFormat.ODT, ExportFormat.PDF})
#: The usual file name ending of each format.
SUFFIXES = {
    ExportFormat.MARKDOWN: ".md",
    ExportFormat.HTML: ".html",
    ExportFormat.DOCX: ".docx",
    ExportFormat.ODT: ".odt",
    ExportFormat.PDF: ".pdf",
    ExportFormat.JSON: ".json",
    ExportFormat.JSON_SCHEMA: ".schema.json",
    ExportFormat.TIMELINE: ".timeline.json",
    ExportFormat.ICS: ".ics",
    ExportFormat.CSV: ".csv",
    ExportFormat.SVG: ".svg",
}


def export_case(
    case: Case,
    export_format: ExportFormat,
    *,
    language: str | None = None,
    as_of: datetime.date | None = None,
    include_private: bool = False,
    redact: bool = False,
    items: str | None = None,
    templates: UserTemplates | None = None,
    reference_doc: Path | None = None,
    progress: Progress | None = None,
) -> bytes:
    """The case in ``export_format``, as the bytes of the file.

    ``progress(stage, done, total)`` is told how a long letter export goes (the CLI draws it).

    Raises:
        InvalidValue: options that do not fit the format (``--items`` outside CSV, private data
            in a letter).
        MissingExtra: PDF without the ``office`` extra.
    """
    from casefile.collab.conflicts import require_no_conflicts
    from casefile.workflow.followup import letter_date_for
    from casefile.workflow.privacy import public_case

    if export_format is ExportFormat.JSON_SCHEMA:
        from casefile.exchange.jsonformat import schema_text

        return schema_text().encode("utf-8")
    if include_private and export_format in LETTER_FORMATS:
        raise InvalidValue(
            _(
                "--include-private does not apply to --format {value}: the letter never shows private "
                "data. It applies to json, timeline and csv."
            ).format(value=export_format.value)
        )
    if export_format is not ExportFormat.CSV and items is not None:
        raise InvalidValue(_("--items applies to --format csv only, not to {value}.").format(value=export_format.value))
    if templates is not None and export_format not in LETTER_FORMATS:
        raise InvalidValue(
            _("--template applies to the letter (markdown, html, docx, odt, pdf), not to {value}.").format(
                value=export_format.value
            )
        )
    if reference_doc is not None and export_format not in (ExportFormat.DOCX, ExportFormat.ODT):
        raise InvalidValue(
            _("--reference-doc applies to docx and odt, not to {value}.").format(value=export_format.value)
        )
    require_no_conflicts(case)
    public = public_case(case, include_private=include_private, redact=redact)
    chosen_language = language or case.language.value
    day = letter_date_for(case, as_of)
    if export_format in LETTER_FORMATS:
        return _letter(
            public,
            export_format,
            language=chosen_language,
            day=day,
            redact=redact,
            templates=templates,
            reference_doc=reference_doc,
            progress=progress,
        )
    if export_format is ExportFormat.JSON:
        from casefile.exchange.jsonformat import export_json_pieces

        return _encoded(export_json_pieces(public, includes_private=include_private, redacted=redact))
    if export_format is ExportFormat.ICS:
        from casefile.case.translations import localized
        from casefile.exchange.ics import render_ics

        # Planning dates are counted from today (or --as-of), not from the letter's date; its texts
        # in the calendar's language where the case has them, as in the letter.
        shown = localized(public, chosen_language)
        day = as_of or datetime.date.today()
        return render_ics(shown, as_of=day, language=chosen_language, original=public).encode("utf-8")
    if export_format is ExportFormat.TIMELINE:
        from casefile.case.translations import localized
        from casefile.exchange.timelinejs import export_timeline_pieces

        # Its texts in the timeline's language where the case has them, as in the letter.
        shown = localized(public, chosen_language)
        return _encoded(export_timeline_pieces(shown, language=chosen_language, as_of=day))
    if export_format is ExportFormat.SVG:
        from casefile.case.translations import localized
        from casefile.exchange.svg import timeline_svg

        return timeline_svg(localized(public, chosen_language), day=day, language=chosen_language).encode("utf-8")
    if items is None:  # the whole case, one sheet
        from casefile.exchange.casecsv import export_case_csv
        from casefile.exchange.jsonformat import case_document

        document = case_document(public, includes_private=include_private, redacted=redact)
        return export_case_csv(document).encode("utf-8")
    from casefile.exchange.csvformat import export_csv

    return export_csv(public, Items(items)).encode("utf-8")


def _letter(
    public: Case,
    export_format: ExportFormat,
    *,
    language: str,
    day: datetime.date,
    redact: bool,
    templates: UserTemplates | None,
    reference_doc: Path | None = None,
    progress: Progress | None = None,
) -> bytes:
    from casefile.letter.render import draft_letter_pieces

    if progress is not None:
        progress("Drafting the letter", 0, 0)
    if export_format is ExportFormat.MARKDOWN:
        return _encoded(draft_letter_pieces(public, language=language, as_of=day, templates=templates, redact=redact))
    # Drafting leaves reference cycles (the template environment's), which the command line's
    # disabled cycle collector would keep while the document is made: tens of MiB on a large case.
    # They are collected once it is drafted, among only what drafting made: what was there before
    # (the case, the modules) is set aside (frozen) and not looked through again.
    gc.freeze()
    try:
        pieces = draft_letter_pieces(public, language=language, as_of=day, templates=templates, redact=redact)
        # The other formats read the letter back line by line: its text is not kept beside its lines.
        markdown = _lines(pieces)
        del pieces
        gc.collect()
    finally:
        gc.unfreeze()
    if export_format is ExportFormat.HTML:
        from casefile.case.translations import localized
        from casefile.exchange.html import letter_page_pieces
        from casefile.exchange.svg import timeline_svg_pieces

        shown = localized(public, language)  # the figure speaks the letter's language too
        figure = functools.partial(timeline_svg_pieces, shown, day=day, language=language)
        title = _title(public, language)
        page = letter_page_pieces(markdown, language=language, title=title, figure=figure, progress=progress)
        del markdown  # the page holds the lines until the letter is written, then lets them go
        return _encoded(page)
    from casefile.exchange.office import letter_document

    return letter_document(
        markdown,
        target=export_format.value,
        language=language,
        title=_title(public, language),
        date=day,
        reference_doc=reference_doc,
        progress=progress,
    )


def _lines(pieces: Iterable[str]) -> list[str]:
    """``"".join(pieces).split("\\n")``, split a piece at a time: a large letter's text (over 100 MiB
    at 100,000 events) is never held whole beside its pieces and its lines."""
    lines: list[str] = []
    partial = ""  # the start of a line that goes on in the next piece
    for piece in pieces:
        parts = piece.split("\n")
        parts[0] = partial + parts[0]
        partial = parts.pop()
        lines.extend(parts)
    lines.append(partial)
    return lines


def _encoded(pieces: Iterable[str]) -> bytes:
    """The UTF-8 bytes of the text made of ``pieces``, which is never joined as text (a large export
    would then be held three times: pieces, text, bytes)."""
    # Written to one growing buffer: it grows in place, and its value is taken without a copy, where
    # joining a list of encoded pieces holds the bytes twice (measured: 21 MiB against 43 for 20 MB).
    import io

    buffer = io.BytesIO()
    for piece in pieces:
        buffer.write(piece.encode("utf-8"))
    return buffer.getvalue()


def _title(case: Case, language: str) -> str:
    """The document's title in the letter's language: the case's title translated where it is."""
    from casefile.case.translations import localized

    return localized(case, language).title or case.country


def save(path: Path, data: bytes, *, case: Path) -> None:
    """Write an export so that no reader ever sees half of it (owner-only, like the case file).

    A pipe or a device (a FIFO, ``>(age ...)``, ``/dev/stdout``) is written into as it is: never
    replaced by a file, which would leave the export on disk where the user meant it to pass.
    A symbolic link is written through, as ``cp`` does: its target gets the export (replaced
    atomically, the temporary file beside it) and the link stays a link; but not one inside the git
    work tree of ``case`` (the case file exported) that leads out of it, which a ``git pull`` can put
    where the user's letter was, nor through a folder link of that kind on the way to it (``letters``
    -> ``~``). Links of another work tree are the user's (a home folder kept in git whose
    ``~/Documents`` links to another disk), followed as any other.
    Temporary files an export to the same file left when it was killed are removed first.

    Raises:
        UntrustedLink: ``path``, or a folder on the way to it, is a link out of the case's git work
            tree; nothing was written.
        InvalidValue: the folder to write in does not exist.
        NotWritable: the file there is read-only, or the folder cannot be written in.
    """
    from casefile.storage.linkguard import case_work_tree
    from casefile.storage.tempfiles import remove_dead, replace_through_held

    if is_stream(path):
        with open(path, "wb") as stream:
            stream.write(data)
        return
    within = case_work_tree(case)  # None: no git pull of the case's plants links
    target = Path(os.path.realpath(path))  # the file itself, through any links
    if within is not None:
        _refuse_planted_links(path, target, within)
    if not target.parent.is_dir():
        raise InvalidValue(
            _("cannot write {path}: there is no folder {parent}.").format(
                path=path, parent=target.parent if os.path.islink(path) else path.parent
            )
        )
    _require_writable(path, target)
    remove_dead(_export_temps(target))
    try:
        replace_through_held(target, [data], durable=True)
    except PermissionError:
        raise NotWritable(
            _("cannot write {path}: you cannot write in the folder {parent}. Nothing was written.").format(
                path=path, parent=target.parent
            )
        ) from None


def _refuse_planted_links(path: Path, target: Path, within: Path) -> None:
    """Refuse ``path`` if it, or a folder on the way to it, is a link of the work tree ``within``
    (the case's) leading out of it: a ``git pull`` of the case can plant one."""
    from casefile.errors import UntrustedLink
    from casefile.storage.linkguard import escaping_folder, escaping_link

    escaping = escaping_link(path, within=within)
    if escaping is not None:
        raise UntrustedLink(
            _(
                "{link} is a symbolic link to {target}, outside the git repository {work_tree}: a git pull can "
                "put such a link there, and casefile does not write through it. To write there on purpose, "
                "give --output {target}. Nothing was written."
            ).format(link=path, target=escaping.target, work_tree=escaping.work_tree)
        )
    escaping = escaping_folder(path, within=within)
    if escaping is not None:
        raise UntrustedLink(
            _(
                "{link} is a symbolic link to the folder {folder}, outside the git repository {work_tree}: a git pull "
                "can put such a link there, and casefile does not write through it. To write there on purpose, "
                "give --output {target}. Nothing was written."
            ).format(link=escaping.link, folder=escaping.target, work_tree=escaping.work_tree, target=target)
        )


def _require_writable(path: Path, target: Path) -> None:
    """Refuse to replace a file made read-only, or another user's (the rename that replaces it needs
    only the folder's permission, and would make it the writer's, which its owner could not read)."""
    try:
        status = os.stat(target)
    except OSError:
        return
    mine = not hasattr(os, "geteuid") or status.st_uid == os.geteuid()
    if not mine:  # it would become the writer's, mode 0600: its owner could no longer read it
        from casefile.storage.files import owner_name

        raise NotWritable(
            _(
                "cannot write {path}: it belongs to another user ({owner}), who could no longer read it once "
                "replaced with a file of yours. Give another --output, or ask them to remove it. Nothing was written."
            ).format(path=path, owner=owner_name(status.st_uid))
        )
    if not status.st_mode & 0o200 or not os.access(target, os.W_OK):
        raise NotWritable(
            _("cannot write {path}: it is read-only (mode {mode}). Nothing was written.").format(
                path=path, mode=f"{status.st_mode & 0o7777:04o}"
            )
        )


def _export_temps(target: Path) -> list[Path]:
    """The temporary files exports to ``target`` made beside it (``.NAME.<8 characters>.tmp``, as
    :func:`tempfile.mkstemp` names them; a case file's own, with 12 hex digits, are not among them)."""
    import glob
    import re

    shape = re.compile(re.escape(f".{target.name}.") + r"[a-z0-9_]{8}\.tmp")
    return [found for found in target.parent.glob(f".{glob.escape(target.name)}.*.tmp") if shape.fullmatch(found.name)]


def is_stream(path: Path) -> bool:
    """Whether ``path`` names a pipe or a device (a FIFO, ``>(age ...)``'s ``/dev/fd/63``), or one of
    the process's open files (``/dev/stdout`` redirected to a file: replacing it would replace the link)."""
    import stat

    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    if os.path.realpath(path.parent).startswith("/proc/") or (
        os.path.islink(path) and os.readlink(path).startswith(("/proc/", "/dev/fd/"))
    ):
        return True
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)
