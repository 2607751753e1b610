"""The fixed parts of casefile's DOCX files: package, styles, numbering, settings, properties.

The styles are Word's built-in ones (Normal, Body Text, Heading 1–6, List Paragraph, Footnote
Text, Footnote Reference, Hyperlink) under their usual ids, so a reference document's styles
of the same names take their place. Pages are A4.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from casefile.exchange.officebase import xml_text

_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
DOCUMENT_NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)
_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml"
#: Parts casefile writes itself, with or without a reference document.
OWN_OVERRIDES = {
    "/word/document.xml": f"{_MAIN}.document.main+xml",
    "/word/footnotes.xml": f"{_MAIN}.footnotes+xml",
    "/word/numbering.xml": f"{_MAIN}.numbering+xml",
    "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
    "/docProps/app.xml": "application/vnd.openxmlformats-officedocument.extended-properties+xml",
}
DEFAULTS = {
    "rels": "application/vnd.openxmlformats-package.relationships+xml",
    "xml": "application/xml",
}


def content_types(defaults: dict[str, str], overrides: dict[str, str]) -> str:
    parts = [f'<Default Extension="{xml_text(e)}" ContentType="{xml_text(k)}"/>' for e, k in defaults.items()]
    parts += [f'<Override PartName="{xml_text(n)}" ContentType="{xml_text(k)}"/>' for n, k in overrides.items()]
    return f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">{"".join(parts)}</Types>'


CONTENT_TYPES = content_types(
    DEFAULTS,
    {
        **OWN_OVERRIDES,
        "/word/styles.xml": f"{_MAIN}.styles+xml",
        "/word/settings.xml": f"{_MAIN}.settings+xml",
    },
)

PACKAGE_RELS = (
    f'{_XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
    'core-properties" Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)


def relationships(entries: Sequence[tuple[str, str, str, bool]]) -> str:
    """A relationships part: (id, type, target, external?) each."""
    parts = []
    for ident, kind, target, external in entries:
        mode = ' TargetMode="External"' if external else ""
        attributes = f'Id="{xml_text(ident)}" Type="{xml_text(kind)}" Target="{xml_text(target)}"{mode}'
        parts.append(f"<Relationship {attributes}/>")
    return (
        f'{_XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{''.join(parts)}</Relationships>"
    )


def core_properties(title: str, language: str, day: datetime.date) -> str:
    moment = f"{day.isoformat()}T00:00:00Z"
    return (
        f"{_XML}<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{xml_text(title)}</dc:title><dc:language>{xml_text(language)}</dc:language>"
        "<dc:creator>casefile</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{moment}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{moment}</dcterms:modified>'
        "</cp:coreProperties>"
    )


def app_properties() -> str:
    return (
        f'{_XML}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>casefile</Application></Properties>"
    )


#: A4, 2 cm margins left and right, 2.5 cm top and bottom.
SECTION = (
    '<w:sectPr><w:footnotePr><w:numFmt w:val="decimal"/></w:footnotePr>'
    '<w:pgSz w:w="11906" w:h="16838"/>'
    '<w:pgMar w:top="1418" w:right="1134" w:bottom="1418" w:left="1134" w:header="709" w:footer="709" w:gutter="0"/>'
    "</w:sectPr>"
)

SETTINGS = (
    f"{_XML}<w:settings {DOCUMENT_NAMESPACES}>"
    '<w:defaultTabStop w:val="709"/><w:characterSpacingControl w:val="doNotCompress"/>'
    '<w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'
    "</w:settings>"
)

FOOTNOTE_SEPARATORS = (
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
    "</w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>"
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
    'w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
)


def _heading_style(level: int) -> str:
    size = {1: 32, 2: 28, 3: 24}.get(level, 22)
    return (
        f'<w:style w:type="paragraph" w:styleId="Heading{level}"><w:name w:val="heading {level}"/>'
        '<w:basedOn w:val="Normal"/><w:next w:val="BodyText"/><w:uiPriority w:val="9"/><w:qFormat/>'
        f'<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="{360 if level <= 2 else 240}" w:after="120"/>'
        f'<w:outlineLvl w:val="{level - 1}"/></w:pPr><w:rPr><w:b/><w:sz w:val="{size}"/></w:rPr></w:style>'
    )


#: The styles casefile's documents use, by style id, as ``<w:style>`` elements.
STYLE_DEFINITIONS = {
    "Normal": '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>'
    "</w:style>",
    "BodyText": '<w:style w:type="paragraph" w:styleId="BodyText"><w:name w:val="Body Text"/>'
    '<w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:after="140"/></w:pPr></w:style>',
    **{f"Heading{level}": _heading_style(level) for level in range(1, 7)},
    "ListParagraph": '<w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/>'
    '<w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:after="80"/><w:ind w:left="720"/></w:pPr>'
    "</w:style>",
    "FootnoteText": '<w:style w:type="paragraph" w:styleId="FootnoteText"><w:name w:val="footnote text"/>'
    '<w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    '<w:rPr><w:sz w:val="18"/></w:rPr></w:style>',
    "DefaultParagraphFont": '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
    '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>',
    "FootnoteReference": '<w:style w:type="character" w:styleId="FootnoteReference">'
    '<w:name w:val="footnote reference"/><w:basedOn w:val="DefaultParagraphFont"/>'
    '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>',
    "Hyperlink": '<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/>'
    '<w:basedOn w:val="DefaultParagraphFont"/><w:rPr><w:color w:val="1F4E8C"/><w:u w:val="single"/></w:rPr>'
    "</w:style>",
}

STYLES = (
    f"{_XML}<w:styles {DOCUMENT_NAMESPACES}>"
    "<w:docDefaults><w:rPrDefault><w:rPr>"
    '<w:rFonts w:ascii="Liberation Sans" w:hAnsi="Liberation Sans" w:eastAsia="Liberation Sans" '
    'w:cs="Liberation Sans"/>'
    '<w:sz w:val="22"/><w:szCs w:val="22"/></w:rPr></w:rPrDefault>'
    '<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault>'
    f"</w:docDefaults>{''.join(STYLE_DEFINITIONS.values())}</w:styles>"
)


def numbering(ordered_starts: Sequence[int]) -> str:
    """Bullets (numId 1) and one numbered list per entry of ``ordered_starts`` (numId 2...), each restarting."""
    bullet = (
        '<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="singleLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/>'
        '<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum>'
    )
    decimal = (
        '<w:abstractNum w:abstractNumId="1"><w:multiLevelType w:val="singleLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/>'
        '<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum>'
    )
    numbers = ['<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>']
    for index, start in enumerate(ordered_starts, start=2):
        numbers.append(
            f'<w:num w:numId="{index}"><w:abstractNumId w:val="1"/>'
            f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride></w:num>'
        )
    return f"{_XML}<w:numbering {DOCUMENT_NAMESPACES}>{bullet}{decimal}{''.join(numbers)}</w:numbering>"
