"""A coalition's own document (``--reference-doc``) whose styles, page and letterhead the letter takes.

From a DOCX: its styles, theme, fonts, settings, headers and footers (with their images) and
its page setup (the last section of its body); the letter's text, notes, numbering and
properties are casefile's, and what Word keeps out of sight (custom XML, document variables,
building blocks, a mail merge's source, an attached template, macros) is left out, as is every
part only its body used (a picture, an embedded object): only what its kept parts lead to is
taken. From an ODT: its styles.xml (named styles, page layouts, master pages with headers and
footers) and the pictures that file uses (not those of its body). Styles the letter needs that
the reference lacks are added, so every heading still is a heading.

A file that is missing, not a zip, of the other format, damaged, or that unpacks to more than
:data:`MAX_UNPACKED` bytes is refused with one sentence (exit status 2), before anything is
written.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from casefile.errors import InvalidValue
from casefile.i18n import _

MAX_UNPACKED = 64 * 1024 * 1024
#: The relationships of the reference's document the letter takes: its look and its letterhead (the
#: section's headers and footers). Not its notes, comments, custom XML, building blocks, macros, nor
#: what its body shows (pictures, links, objects), which would go into the letter unseen.
_RELATIONSHIP_TYPES_KEPT = (
    *("/styles", "/stylesWithEffects", "/settings", "/webSettings", "/fontTable", "/theme"),
    *("/header", "/footer"),
)
_PARTS_KEPT_OUT = re.compile(
    r"^(\[Content_Types\]\.xml|_rels/\.rels|docProps/.*|word/document\.xml|word/footnotes\.xml|word/endnotes\.xml"
    r"|word/numbering\.xml|word/comments.*|word/people\.xml|customXml/.*|word/glossary/.*|word/vbaProject.*"
    r"|word/_rels/(document|footnotes|endnotes|comments.*|settings|vbaProject)\.xml\.rels)$"
)
#: What a reference's settings may hold that names people or reaches out: document variables, a
#: mail merge's data source (a contacts sheet), a template attached from a server.
_SETTINGS_KEPT_OUT = re.compile(
    r"<w:(docVars|mailMerge)\b[^>]*/>|<w:(docVars|mailMerge)\b.*?</w:\2>|<w:attachedTemplate\b[^>]*/>", re.DOTALL
)
_NAMESPACE = re.compile(r'\sxmlns:(\w+)="([^"]*)"')
_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass(frozen=True, slots=True)
class DocxReference:
    """What the letter takes from a reference DOCX."""

    parts: dict[str, str | bytes]
    relationships: list[tuple[str, str, str, bool]]
    section: str
    namespaces: str
    defaults: dict[str, str]
    overrides: dict[str, str]

    def content_types(self) -> str:
        from casefile.exchange.docx_parts import OWN_OVERRIDES, content_types

        kept = {name: kind for name, kind in self.overrides.items() if name.lstrip("/") in self.parts}
        return content_types(self.defaults, {**kept, **OWN_OVERRIDES})


def _refuse(path: Path, reason: str) -> InvalidValue:
    return InvalidValue(
        _("--reference-doc {path}: {reason}; give a .docx or .odt saved by a word processor.").format(
            path=path, reason=reason
        )
    )


def _open(path: Path, suffix: str) -> tuple[zipfile.ZipFile, dict[str, bytes]]:
    if not path.is_file():
        raise InvalidValue(_("--reference-doc {path}: there is no such file.").format(path=path))
    try:
        package = zipfile.ZipFile(path)
        infos = package.infolist()
        if sum(info.file_size for info in infos) > MAX_UNPACKED:
            raise _refuse(path, _("it unpacks to more than {size} MiB").format(size=MAX_UNPACKED // (1024 * 1024)))
        members = {info.filename: package.read(info) for info in infos if not info.is_dir()}
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, ValueError) as error:
        raise _refuse(
            path, _("it is not a {suffix} file (not a zip package: {error})").format(suffix=suffix, error=error)
        ) from None
    return package, members


def _parse(path: Path, name: str, data: bytes) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise _refuse(path, _("its {name} is damaged ({error})").format(name=name, error=error)) from None


def read_docx_reference(path: Path) -> DocxReference:
    """The parts of a reference DOCX the letter takes (see the module's description)."""
    from casefile.exchange.docx_parts import STYLE_DEFINITIONS

    _archive, members = _open(path, ".docx")
    if "content.xml" in members and "word/document.xml" not in members:
        raise InvalidValue(
            _("--reference-doc {path}: it is an OpenDocument text: use --format odt, or give a .docx.").format(
                path=path
            )
        )
    for required in ("[Content_Types].xml", "word/document.xml", "word/styles.xml"):
        if required not in members:
            raise _refuse(path, _("it is not a .docx file (it has no {required})").format(required=required))
    types = _parse(path, "[Content_Types].xml", members["[Content_Types].xml"])
    document_text = members["word/document.xml"].decode("utf-8", "replace")
    _parse(path, "word/document.xml", members["word/document.xml"])
    styles = members["word/styles.xml"]
    style_tree = _parse(path, "word/styles.xml", styles)
    style_id_key = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}styleId"
    have = {element.get(style_id_key) for element in style_tree}
    missing = "".join(xml for style_id, xml in STYLE_DEFINITIONS.items() if style_id not in have)
    styles_text = styles.decode("utf-8")
    if missing:
        closing = styles_text.rfind("</w:styles>")
        if closing < 0:
            raise _refuse(path, _("its word/styles.xml is not a Word styles part"))
        styles_text = styles_text[:closing] + missing + styles_text[closing:]
    relationships: list[tuple[str, str, str, bool]] = []
    if "word/_rels/document.xml.rels" in members:
        for element in _parse(path, "word/_rels/document.xml.rels", members["word/_rels/document.xml.rels"]):
            kind = element.get("Type", "")
            if kind.endswith(_RELATIONSHIP_TYPES_KEPT) and element.get("TargetMode") != "External":
                relationships.append((element.get("Id", ""), kind, element.get("Target", ""), False))
    reached = _reached(path, members, [posixpath.join("word", target) for _id, _kind, target, _ext in relationships])
    parts: dict[str, str | bytes] = {
        name: data for name, data in members.items() if name in reached and not _PARTS_KEPT_OUT.match(name)
    }
    parts["word/styles.xml"] = styles_text
    if "word/settings.xml" in members:
        parts["word/settings.xml"] = _SETTINGS_KEPT_OUT.sub("", members["word/settings.xml"].decode("utf-8", "replace"))
    sections = list(re.finditer(r"<w:sectPr[\s>].*?</w:sectPr>", document_text, flags=re.DOTALL))
    from casefile.exchange.docx_parts import SECTION

    section = sections[-1].group() if sections else SECTION
    root = document_text[: document_text.find(">", document_text.find("<w:document")) + 1]
    namespaces = "".join(
        f' xmlns:{prefix}="{uri}"' for prefix, uri in _NAMESPACE.findall(root) if prefix not in ("w", "r")
    )
    defaults = {
        element.get("Extension", ""): element.get("ContentType", "")
        for element in types
        if element.tag == f"{_TYPES}Default"
    }
    overrides = {
        element.get("PartName", ""): element.get("ContentType", "")
        for element in types
        if element.tag == f"{_TYPES}Override"
    }
    defaults.setdefault("rels", "application/vnd.openxmlformats-package.relationships+xml")
    defaults.setdefault("xml", "application/xml")
    return DocxReference(parts, relationships, section, namespaces, defaults, overrides)


def _reached(path: Path, members: dict[str, bytes], names: list[str]) -> set[str]:
    """The parts ``names`` are, and every part their relationships lead to (a header's logo), with
    those relationships; a part nothing kept leads to is not taken."""
    reached: set[str] = set()
    while names:
        name = posixpath.normpath(names.pop()).lstrip("/")
        if name in reached or name not in members:
            continue
        reached.add(name)
        folder, base = posixpath.split(name)
        rels = posixpath.join(folder, "_rels", f"{base}.rels")
        if rels in members and not _PARTS_KEPT_OUT.match(rels):
            reached.add(rels)
            for element in _parse(path, rels, members[rels]):
                if element.get("TargetMode") != "External":
                    target = element.get("Target", "")
                    names.append(target if target.startswith("/") else posixpath.join(folder, target))
    return reached


@dataclass(frozen=True, slots=True)
class OdtReference:
    """What the letter takes from a reference ODT: its styles.xml and the pictures it uses."""

    styles: str
    pictures: dict[str, bytes]
    manifest_entries: dict[str, str]


def read_odt_reference(path: Path) -> OdtReference:
    """The styles of a reference ODT, with the letter's own styles added where it has none."""
    from casefile.exchange.odt_parts import NAMED_STYLES

    _archive, members = _open(path, ".odt")
    mimetype = members.get("mimetype", b"").strip()
    if mimetype != b"application/vnd.oasis.opendocument.text" or "styles.xml" not in members:
        if "word/document.xml" in members:
            raise InvalidValue(
                _("--reference-doc {path}: it is a Word document: use --format docx, or give an .odt.").format(
                    path=path
                )
            )
        raise _refuse(path, _("it is not an .odt text document"))
    style_tree = _parse(path, "styles.xml", members["styles.xml"])
    name_key = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}name"
    have = {element.get(name_key) for element in style_tree.iter()}
    styles_text = members["styles.xml"].decode("utf-8")
    missing = "".join(xml for name, xml in NAMED_STYLES.items() if name not in have)
    if missing:
        closing = styles_text.find("</office:styles>")
        if closing < 0:
            closing = styles_text.find("<office:automatic-styles")
            missing = f"<office:styles>{missing}</office:styles>"
        if closing < 0:
            raise _refuse(path, _("its styles.xml has no styles"))
        styles_text = styles_text[:closing] + missing + styles_text[closing:]
    # Only the pictures its styles use (a letterhead's logo): one its body shows would go in unseen.
    linked = set(re.findall(r"""href=["'](?:\./)?(Pictures/[^"']+)["']""", styles_text))
    used = {name for name in members if name in linked}
    manifest: dict[str, str] = {}
    if "META-INF/manifest.xml" in members:
        manifest_tree = _parse(path, "META-INF/manifest.xml", members["META-INF/manifest.xml"])
        key = "{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}"
        for entry in manifest_tree:
            name = entry.get(f"{key}full-path", "")
            if name.startswith("Pictures/") and name in used:
                manifest[name] = entry.get(f"{key}media-type", "")
    pictures = {name: data for name, data in members.items() if name in used}
    return OdtReference(styles_text, pictures, manifest)
