"""The letter as a document to edit or send: DOCX, ODT (written by casefile) and PDF (typeset by Typst).

All three are made from the Markdown letter's blocks (:mod:`casefile.letter.letterdoc`), so
they hold exactly its text and its notes, numbered as in the Markdown; their metadata holds
the letter's title, date and language, and the same letter gives the same bytes.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from pathlib import Path

from casefile.errors import InvalidValue
from casefile.exchange.officebase import Progress
from casefile.i18n import _

FORMATS = ("docx", "odt", "pdf")
INSTALL_HINT = "pip install 'casefile[office]'"


def letter_document(
    markdown_text: str | Sequence[str],
    *,
    target: str,
    language: str,
    title: str,
    date: datetime.date,
    reference_doc: Path | None = None,
    progress: Progress | None = None,
) -> bytes:
    """The letter's Markdown as a ``docx``, ``odt`` or ``pdf`` file's bytes.

    Raises:
        InvalidValue: a reference document that is missing or not of the target's format.
        MissingExtra: PDF without the ``typst`` package (the ``office`` extra).
    """
    from casefile.exchange.officebase import LetterSource
    from casefile.letter.catalogue import catalogue

    if target not in FORMATS:
        raise ValueError(f"not an office format: {target!r}")
    if reference_doc is not None and target == "pdf":
        raise InvalidValue(_("--reference-doc applies to docx and odt, not to pdf."))
    # The reference is read first: a bad one stops the export before any work.
    if target == "docx":
        from casefile.exchange.reference import read_docx_reference

        docx_reference = read_docx_reference(reference_doc) if reference_doc is not None else None
    elif target == "odt":
        from casefile.exchange.reference import read_odt_reference

        odt_reference = read_odt_reference(reference_doc) if reference_doc is not None else None
    source = LetterSource.of(
        markdown_text,
        title=title,
        date=date,
        language=language,
        annex_heading=catalogue(language)["heading.annex"],
        progress=progress,
    )
    if target == "docx":
        from casefile.exchange.docx import write_docx

        return write_docx(source, docx_reference)
    if target == "odt":
        from casefile.exchange.odt import write_odt

        return write_odt(source, odt_reference)
    from casefile.exchange.pdf import write_pdf

    return write_pdf(source)
