"""The letter as a Word document (DOCX, Office Open XML), written directly from its blocks.

Each note of the Markdown letter is one Word footnote, at its first citation; a later citation
of the same note is a NOTEREF field showing the same number, formatted as a footnote mark (a
cross-reference Word and LibreOffice keep up to date). Headings use Word's built-in heading
styles and lists real numbering, so the coalition's own styles (``--reference-doc``) apply.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from casefile.exchange.docx_parts import (
    CONTENT_TYPES,
    DOCUMENT_NAMESPACES,
    FOOTNOTE_SEPARATORS,
    PACKAGE_RELS,
    SECTION,
    SETTINGS,
    STYLES,
    app_properties,
    core_properties,
    numbering,
    relationships,
)
from casefile.exchange.officebase import LetterSource, NoteCitations, write_member, xml_text, zip_entry
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

_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_NOTE_MARK = '<w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
_NOTE_SEPARATOR = f"<w:r>{_NOTE_MARK}<w:t>,</w:t></w:r>"


class _Links:
    """The hyperlinks of one part, each address given one relationship id."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.ids: dict[str, str] = {}

    def __call__(self, url: str) -> str:
        known = self.ids.get(url)
        if known is None:
            known = self.ids[url] = f"{self.prefix}{len(self.ids) + 1}"
        return known

    def relationships(self) -> list[tuple[str, str, str, bool]]:
        return [(ident, _HYPERLINK, url, True) for url, ident in self.ids.items()]


class _Writer:
    def __init__(self, source: LetterSource) -> None:
        self.source = source
        self.notes = NoteCitations(source.notes)
        self.body_links = _Links("rIdLink")
        self.note_links = _Links("rIdNoteLink")
        self.ordered_lists: list[int] = []  # the first number of each numbered list, in order
        self._list_numbers: dict[int, int] = {}  # list id -> numId

    def runs(self, runs: Runs, links: _Links, *, in_note: bool = False) -> str:
        parts = []
        previous: object = None
        for run in runs:
            if isinstance(run, NoteMark) and isinstance(previous, NoteMark):
                parts.append(_NOTE_SEPARATOR)  # ¹,² rather than ¹² (twelve)
            previous = run
            if isinstance(run, Text):
                style = ""
                if run.bold or run.italic:
                    style = "<w:rPr>" + ("<w:b/>" if run.bold else "") + ("<w:i/>" if run.italic else "") + "</w:rPr>"
                parts.append(f'<w:r>{style}<w:t xml:space="preserve">{xml_text(run.text)}</w:t></w:r>')
            elif isinstance(run, LineBreak):
                parts.append("<w:r><w:br/></w:r>")
            elif isinstance(run, Link):
                parts.append(
                    f'<w:hyperlink r:id="{links(run.url)}"><w:r><w:rPr><w:rStyle w:val="Hyperlink"/></w:rPr>'
                    f'<w:t xml:space="preserve">{xml_text(run.url)}</w:t></w:r></w:hyperlink>'
                )
            else:
                parts.append(self.note_mark(run.number, in_note=in_note))
        return "".join(parts)

    def note_mark(self, number: int, *, in_note: bool) -> str:
        if number not in self.notes.defined or in_note:
            return f'<w:r><w:t xml:space="preserve">[^{number}]</w:t></w:r>'  # as Markdown shows it
        first, automatic = self.notes.first(number)
        if first:
            custom = "" if automatic else ' w:customMarkFollows="1"'
            mark = "" if automatic else f"<w:r>{_NOTE_MARK}<w:t>{number}</w:t></w:r>"
            return (
                f'<w:bookmarkStart w:id="{number}" w:name="_CasefileNote{number}"/>'
                f'<w:r>{_NOTE_MARK}<w:footnoteReference{custom} w:id="{number}"/></w:r>{mark}'
                f'<w:bookmarkEnd w:id="{number}"/>'
            )
        return (
            f'<w:r>{_NOTE_MARK}<w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r>{_NOTE_MARK}<w:instrText xml:space="preserve"> NOTEREF _CasefileNote{number} \\f \\h '
            "</w:instrText></w:r>"
            f'<w:r>{_NOTE_MARK}<w:fldChar w:fldCharType="separate"/></w:r>'
            f"<w:r>{_NOTE_MARK}<w:t>{number}</w:t></w:r>"
            f'<w:r>{_NOTE_MARK}<w:fldChar w:fldCharType="end"/></w:r>'
        )

    def body(self, section: str, namespaces: str = "") -> Iterator[str]:
        yield f"{_XML}<w:document {DOCUMENT_NAMESPACES}{namespaces}><w:body>"
        links = self.body_links
        for block in self.source.blocks("Writing DOCX"):
            if isinstance(block, Paragraph):
                yield f'<w:p><w:pPr><w:pStyle w:val="BodyText"/></w:pPr>{self.runs(block.runs, links)}</w:p>'
            elif isinstance(block, ListItem):
                yield self.list_item(block)
            elif isinstance(block, Heading):
                level = min(block.level, 6)
                annex = level == 2 and plain_text(block.runs) == self.source.annex_heading
                page_break = "<w:pageBreakBefore/>" if annex else ""
                text = self.runs(block.runs, links)
                yield f'<w:p><w:pPr><w:pStyle w:val="Heading{level}"/>{page_break}</w:pPr>{text}</w:p>'
            elif isinstance(block, Rule):
                yield (
                    '<w:p><w:pPr><w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="auto"/>'
                    "</w:pBdr></w:pPr></w:p>"
                )
        yield f"{section}</w:body></w:document>"

    def list_item(self, item: ListItem) -> str:
        number_id = self._list_numbers.get(item.list_id)
        if number_id is None:
            if item.number is None:
                number_id = 1  # every bullet list shares one definition
            else:
                self.ordered_lists.append(item.number)
                number_id = len(self.ordered_lists) + 1
            self._list_numbers[item.list_id] = number_id
        parts = []
        for index, runs in enumerate(item.paragraphs or ((),)):
            if index == 0:
                numbering_xml, indent = f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{number_id}"/></w:numPr>', ""
            else:
                numbering_xml, indent = "", '<w:ind w:left="720"/>'
            text = self.runs(runs, self.body_links)
            parts.append(f'<w:p><w:pPr><w:pStyle w:val="ListParagraph"/>{numbering_xml}{indent}</w:pPr>{text}</w:p>')
        return "".join(parts)

    def footnotes(self) -> Iterator[str]:
        yield f"{_XML}<w:footnotes {DOCUMENT_NAMESPACES}>"
        yield FOOTNOTE_SEPARATORS
        automatic = 0
        for number in self.notes.cited:
            if number == automatic + 1:
                automatic = number
                mark = f"<w:r>{_NOTE_MARK}<w:footnoteRef/></w:r>"
            else:
                mark = f"<w:r>{_NOTE_MARK}<w:t>{number}</w:t></w:r>"
            text = self.runs(self.source.notes[number], self.note_links, in_note=True)
            yield (
                f'<w:footnote w:id="{number}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>{mark}'
                f'<w:r><w:t xml:space="preserve"> </w:t></w:r>{text}</w:p></w:footnote>'
            )
        yield "</w:footnotes>"


def write_docx(source: LetterSource, reference: object | None = None) -> bytes:
    """The letter as the bytes of a ``.docx`` file (``reference``: a :class:`DocxReference`)."""
    from casefile.exchange.reference import DocxReference

    assert reference is None or isinstance(reference, DocxReference)
    writer = _Writer(source)
    day = source.date
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as package:
        section, namespaces = (reference.section, reference.namespaces) if reference is not None else (SECTION, "")
        # The body first: it decides which notes, links and lists the other parts hold.
        write_member(package, zip_entry("word/document.xml", day), writer.body(section, namespaces))
        write_member(package, zip_entry("word/footnotes.xml", day), writer.footnotes())
        parts: dict[str, str | bytes] = {
            "[Content_Types].xml": reference.content_types() if reference is not None else CONTENT_TYPES,
            "_rels/.rels": PACKAGE_RELS,
            "docProps/core.xml": core_properties(source.title, source.language, day),
            "docProps/app.xml": app_properties(),
            "word/numbering.xml": numbering(writer.ordered_lists),
            "word/_rels/footnotes.xml.rels": relationships(writer.note_links.relationships()),
        }
        own = [
            ("rIdStyles", "styles", "styles.xml"),
            ("rIdNumbering", "numbering", "numbering.xml"),
            ("rIdFootnotes", "footnotes", "footnotes.xml"),
            ("rIdSettings", "settings", "settings.xml"),
        ]
        base = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
        document_rels = [(ident, base + kind, target, False) for ident, kind, target in own]
        if reference is None:
            parts["word/styles.xml"] = STYLES
            parts["word/settings.xml"] = SETTINGS
        else:
            document_rels = [rel for rel in document_rels if rel[1].rsplit("/", 1)[1] in ("numbering", "footnotes")]
            document_rels += reference.relationships
            parts.update(reference.parts)
        parts["word/_rels/document.xml.rels"] = relationships(document_rels + writer.body_links.relationships())
        for name in sorted(parts):
            data = parts[name]
            with package.open(zip_entry(name, day), "w") as handle:
                handle.write(data.encode("utf-8") if isinstance(data, str) else data)
    return output.getvalue()
