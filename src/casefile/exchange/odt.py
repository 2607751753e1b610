"""The letter as an OpenDocument text (ODT), written directly from its blocks.

Each note of the Markdown letter is one ODF footnote, at its first citation; a later citation
of the same note is a note reference (``text:note-ref``) showing the same number. Headings,
lists and notes use LibreOffice's named styles, so a reference document's styles apply.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from casefile.exchange.odt_parts import AUTOMATIC_STYLES, MIMETYPE, NAMESPACES, STYLES, manifest, meta
from casefile.exchange.officebase import LetterSource, NoteCitations, write_member, xml_text, zip_entry
from casefile.exchange.reference import OdtReference
from casefile.letter.letterdoc import (
    Heading,
    LineBreak,
    Link,
    ListItem,
    NoteMark,
    Paragraph,
    Rule,
    Runs,
    Text,
    plain_text,
)

_STYLE_OF = {(True, False): "B", (False, True): "I", (True, True): "BI"}


class _Writer:
    def __init__(self, source: LetterSource) -> None:
        self.source = source
        self.notes = NoteCitations(source.notes)

    def runs(self, runs: Runs, *, in_note: bool = False) -> str:
        parts = []
        previous: object = None
        for run in runs:
            if isinstance(run, NoteMark) and isinstance(previous, NoteMark):
                parts.append('<text:span text:style-name="Footnote_20_anchor">,</text:span>')  # ¹,² not ¹²
            previous = run
            if isinstance(run, Text):
                text = xml_text(run.text)
                style = _STYLE_OF.get((run.bold, run.italic))
                parts.append(f'<text:span text:style-name="{style}">{text}</text:span>' if style else text)
            elif isinstance(run, LineBreak):
                parts.append("<text:line-break/>")
            elif isinstance(run, Link):
                url = xml_text(run.url)
                parts.append(
                    f'<text:a xlink:type="simple" xlink:href="{url}" text:style-name="Internet_20_link">{url}</text:a>'
                )
            else:
                parts.append(self.note_mark(run.number, in_note=in_note))
        return "".join(parts)

    def note_mark(self, number: int, *, in_note: bool) -> str:
        if number not in self.notes.defined or in_note:
            return f"[^{number}]"  # as Markdown shows it
        first, automatic = self.notes.first(number)
        if not first:
            return (
                '<text:span text:style-name="Footnote_20_anchor"><text:note-ref text:note-class="footnote" '
                f'text:reference-format="text" text:ref-name="note{number}">{number}</text:note-ref></text:span>'
            )
        label = "" if automatic else f' text:label="{number}"'
        body = self.runs(self.source.notes[number], in_note=True)
        return (
            f'<text:note text:id="note{number}" text:note-class="footnote">'
            f"<text:note-citation{label}>{number}</text:note-citation>"
            f'<text:note-body><text:p text:style-name="Footnote">{body}</text:p></text:note-body></text:note>'
        )

    def content(self) -> Iterator[str]:
        yield f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {NAMESPACES}>'
        yield f"{AUTOMATIC_STYLES}<office:body><office:text>"
        open_list: int | None = None
        for block in self.source.blocks("Writing ODT"):
            if open_list is not None and not (isinstance(block, ListItem) and block.list_id == open_list):
                yield "</text:list>"
                open_list = None
            if isinstance(block, Paragraph):
                yield f'<text:p text:style-name="Text_20_body">{self.runs(block.runs)}</text:p>'
            elif isinstance(block, ListItem):
                start = ""
                if open_list is None:
                    open_list = block.list_id
                    style = "Bullets" if block.number is None else "Numbers"
                    yield f'<text:list text:style-name="{style}">'
                    if block.number is not None and block.number != 1:
                        start = f' text:start-value="{block.number}"'
                paragraphs = "".join(
                    f'<text:p text:style-name="List_20_Contents">{self.runs(runs)}</text:p>'
                    for runs in block.paragraphs or ((),)
                )
                yield f"<text:list-item{start}>{paragraphs}</text:list-item>"
            elif isinstance(block, Heading):
                level = min(block.level, 6)
                annex = level == 2 and plain_text(block.runs) == self.source.annex_heading
                style = "Annex" if annex else f"Heading_20_{level}"
                text = self.runs(block.runs)
                yield f'<text:h text:style-name="{style}" text:outline-level="{level}">{text}</text:h>'
            elif isinstance(block, Rule):
                yield '<text:p text:style-name="Text_20_body">―――</text:p>'
        if open_list is not None:
            yield "</text:list>"
        yield "</office:text></office:body></office:document-content>"


def write_odt(source: LetterSource, reference: OdtReference | None = None) -> bytes:
    """The letter as the bytes of an ``.odt`` file."""
    day = source.date
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as package:
        # The media type first and uncompressed, as ODF requires.
        package.writestr(zip_entry("mimetype", day, stored=True), MIMETYPE)
        write_member(package, zip_entry("content.xml", day), _Writer(source).content())
        pictures = reference.pictures if reference is not None else {}
        entries = reference.manifest_entries if reference is not None else {}
        write_member(package, zip_entry("styles.xml", day), [reference.styles if reference is not None else STYLES])
        write_member(package, zip_entry("meta.xml", day), [meta(source.title, source.language, day)])
        for name in sorted(pictures):
            with package.open(zip_entry(name, day), "w") as handle:
                handle.write(pictures[name])
        kinds = [(name, entries.get(name) or "application/octet-stream") for name in pictures]
        write_member(package, zip_entry("META-INF/manifest.xml", day), [manifest(kinds)])
    return output.getvalue()
