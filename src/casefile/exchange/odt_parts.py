"""The fixed parts of casefile's ODT files: named styles (LibreOffice's own names), A4 page, metadata."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from casefile.exchange.officebase import xml_text

_XML = '<?xml version="1.0" encoding="UTF-8"?>\n'
NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'office:version="1.3"'
)
MIMETYPE = "application/vnd.oasis.opendocument.text"
_FONT = '<style:text-properties style:font-name="Liberation Sans" fo:font-size="11pt"/>'


def _heading(level: int) -> str:
    size = {1: "16pt", 2: "14pt", 3: "12pt"}.get(level, "11pt")
    return (
        f'<style:style style:name="Heading_20_{level}" style:display-name="Heading {level}" '
        'style:family="paragraph" style:parent-style-name="Heading" style:next-style-name="Text_20_body" '
        f'style:default-outline-level="{level}" style:class="text">'
        f'<style:text-properties fo:font-size="{size}" fo:font-weight="bold"/></style:style>'
    )


#: The named styles the letter uses, by name: a reference document's styles of the same names win.
NAMED_STYLES = {
    "Standard": f'<style:style style:name="Standard" style:family="paragraph" style:class="text">{_FONT}</style:style>',
    "Text_20_body": '<style:style style:name="Text_20_body" style:display-name="Text body" '
    'style:family="paragraph" style:parent-style-name="Standard" style:class="text">'
    '<style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.25cm" fo:line-height="115%"/>'
    "</style:style>",
    "Heading": '<style:style style:name="Heading" style:family="paragraph" style:parent-style-name="Standard" '
    'style:next-style-name="Text_20_body" style:class="text"><style:paragraph-properties fo:margin-top="0.42cm" '
    'fo:margin-bottom="0.21cm" fo:keep-with-next="always"/></style:style>',
    **{f"Heading_20_{level}": _heading(level) for level in range(1, 7)},
    "List_20_Contents": '<style:style style:name="List_20_Contents" style:display-name="List Contents" '
    'style:family="paragraph" style:parent-style-name="Standard" style:class="list">'
    '<style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.14cm"/></style:style>',
    "Footnote": '<style:style style:name="Footnote" style:family="paragraph" style:parent-style-name="Standard" '
    'style:class="extra"><style:paragraph-properties fo:margin-left="0.6cm" fo:text-indent="-0.6cm"/>'
    '<style:text-properties fo:font-size="9pt"/></style:style>',
    "Footnote_20_Symbol": '<style:style style:name="Footnote_20_Symbol" style:display-name="Footnote Symbol" '
    'style:family="text"/>',
    "Footnote_20_anchor": '<style:style style:name="Footnote_20_anchor" style:display-name="Footnote anchor" '
    'style:family="text"><style:text-properties style:text-position="super 58%"/></style:style>',
    "Internet_20_link": '<style:style style:name="Internet_20_link" style:display-name="Internet link" '
    'style:family="text"><style:text-properties fo:color="#1f4e8c" style:text-underline-style="solid" '
    'style:text-underline-width="auto" style:text-underline-color="font-color"/></style:style>',
}

_NOTES_CONFIGURATION = (
    '<text:notes-configuration text:note-class="footnote" text:citation-style-name="Footnote_20_Symbol" '
    'text:citation-body-style-name="Footnote_20_anchor" style:num-format="1" text:start-value="0" '
    'text:footnotes-position="page" text:start-numbering-at="document"/>'
)

STYLES = (
    f"{_XML}<office:document-styles {NAMESPACES}>"
    "<office:font-face-decls>"
    '<style:font-face style:name="Liberation Sans" svg:font-family="\'Liberation Sans\'" '
    'style:font-family-generic="swiss" style:font-pitch="variable"/>'
    "</office:font-face-decls>"
    f"<office:styles>{''.join(NAMED_STYLES.values())}{_NOTES_CONFIGURATION}</office:styles>"
    "<office:automatic-styles>"
    '<style:page-layout style:name="A4"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" '
    'style:print-orientation="portrait" fo:margin-top="2.5cm" fo:margin-bottom="2.5cm" fo:margin-left="2cm" '
    'fo:margin-right="2cm"/></style:page-layout>'
    "</office:automatic-styles>"
    '<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="A4"/>'
    "</office:master-styles></office:document-styles>"
)

#: Styles of the letter's content: bold and italic runs, the annex's page break, the two kinds of list.
AUTOMATIC_STYLES = (
    "<office:automatic-styles>"
    '<style:style style:name="Annex" style:family="paragraph" style:parent-style-name="Heading_20_2">'
    '<style:paragraph-properties fo:break-before="page"/></style:style>'
    '<style:style style:name="B" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>'
    '<style:style style:name="I" style:family="text"><style:text-properties fo:font-style="italic"/></style:style>'
    '<style:style style:name="BI" style:family="text"><style:text-properties fo:font-weight="bold" '
    'fo:font-style="italic"/></style:style>'
    '<text:list-style style:name="Bullets"><text:list-level-style-bullet text:level="1" text:bullet-char="•">'
    '<style:list-level-properties text:list-level-position-and-space-mode="label-alignment">'
    '<style:list-level-label-alignment text:label-followed-by="listtab" text:list-tab-stop-position="1.27cm" '
    'fo:text-indent="-0.635cm" fo:margin-left="1.27cm"/></style:list-level-properties>'
    "</text:list-level-style-bullet></text:list-style>"
    '<text:list-style style:name="Numbers"><text:list-level-style-number text:level="1" style:num-suffix="." '
    'style:num-format="1"><style:list-level-properties text:list-level-position-and-space-mode="label-alignment">'
    '<style:list-level-label-alignment text:label-followed-by="listtab" text:list-tab-stop-position="1.27cm" '
    'fo:text-indent="-0.635cm" fo:margin-left="1.27cm"/></style:list-level-properties>'
    "</text:list-level-style-number></text:list-style>"
    "</office:automatic-styles>"
)


def meta(title: str, language: str, day: datetime.date) -> str:
    moment = f"{day.isoformat()}T00:00:00"
    return (
        f"{_XML}<office:document-meta {NAMESPACES}><office:meta>"
        f"<meta:generator>casefile</meta:generator><dc:title>{xml_text(title)}</dc:title>"
        f"<dc:language>{xml_text(language)}</dc:language>"
        f"<meta:creation-date>{moment}</meta:creation-date><dc:date>{moment}</dc:date>"
        "</office:meta></office:document-meta>"
    )


def manifest(extra: Iterable[tuple[str, str]] = ()) -> str:
    entries = [("/", MIMETYPE), ("content.xml", "text/xml"), ("styles.xml", "text/xml"), ("meta.xml", "text/xml")]
    entries += sorted(extra)
    lines = "".join(
        f'<manifest:file-entry manifest:full-path="{xml_text(path)}" manifest:media-type="{xml_text(kind)}"'
        + (' manifest:version="1.3"' if path == "/" else "")
        + "/>"
        for path, kind in entries
    )
    return (
        f'{_XML}<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        f'manifest:version="1.3">{lines}</manifest:manifest>'
    )
