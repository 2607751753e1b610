"""DOCX and ODT: the Markdown letter's notes exactly, its metadata, the coalition's letterhead."""

from __future__ import annotations

import dataclasses
import io
import posixpath
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from casefile.letter.render import draft_letter
from tests.conftest import Run
from tests.test_export import AS_OF, HOSTILE, export, fixture_case, hostile_case

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def fixture_file(isolated: Path) -> Path:
    from tests.conftest import DATA

    path = isolated / "casefile.toml"
    shutil.copy(DATA / "fixture.toml", path)
    return path


def markdown_citations(language: str = "en") -> list[int]:
    """The note numbers the Markdown letter cites, in order (definitions left out)."""
    letter = draft_letter(fixture_case(), language=language, as_of=AS_OF)
    return [int(number) for number in re.findall(r"\[\^(\d+)\](?!:)", letter)]


def members(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name).decode("utf-8", "replace") for name in package.namelist()}


def docx_citations(body: str) -> list[int]:
    """Note numbers in the order the document cites them: first citations and NOTEREF fields."""
    pattern = r'<w:footnoteReference(?: w:customMarkFollows="1")? w:id="(\d+)"/>|NOTEREF _CasefileNote(\d+) '
    return [int(first or again) for first, again in re.findall(pattern, body)]


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_docx_has_the_letters_notes_numbered_the_same(language: str) -> None:
    import docx

    data = export(fixture_case(), "docx", language=language)
    parts = members(data)
    notes = re.findall(r'<w:footnote w:id="(\d+)">(.*?)</w:footnote>', parts["word/footnotes.xml"], flags=re.DOTALL)
    cited = markdown_citations(language)
    assert [int(number) for number, _ in notes] == sorted(set(cited)) == [1, 2, 3, 4, 5]
    assert docx_citations(parts["word/document.xml"]) == cited  # 14 citations of 5 notes, in the same order
    assert parts["word/document.xml"].count("<w:footnoteReference ") == 5
    # The notes are numbered automatically, 1 to 5, in the order of first citation: the same numbers.
    assert "customMarkFollows" not in parts["word/document.xml"]
    assert any("Bitter Sweet" in text for _, text in notes)
    document = docx.Document(io.BytesIO(data))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style is not None]
    annex = {"en": "Annex", "es": "Anexo", "fr": "Annexe"}[language]
    assert ("Heading 2", annex) in headings
    if language == "en":
        assert ("Heading 3", "A. Chronology of events and demands") in headings
        assert not [text for _, text in headings if "Index of sources" in text]  # sources are the notes, given once
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    for signatory in fixture_case().signatories:
        assert signatory.name in text
    # The annex starts a page, and only the annex.
    assert parts["word/document.xml"].count("<w:pageBreakBefore/>") == 1


def test_docx_metadata_holds_the_letters_title_date_and_language() -> None:
    import docx

    case = dataclasses.replace(fixture_case(), title="Vigilancia de defensores de la salud")
    properties = docx.Document(io.BytesIO(export(case, "docx", language="es"))).core_properties
    assert properties.title == "Vigilancia de defensores de la salud"
    assert properties.language == "es"
    assert properties.created is not None and properties.created.date() == AS_OF
    assert properties.modified is not None and properties.modified.date() == AS_OF


@pytest.mark.parametrize("export_format", ["docx", "odt"])
def test_same_case_and_date_give_the_same_bytes(run: Run, fixture_file: Path, export_format: str) -> None:
    run("export", "--format", export_format, "-o", f"a.{export_format}", "--as-of", "2018-07-16")
    run("export", "--format", export_format, "-o", f"b.{export_format}", "--as-of", "2018-07-16")
    first, second = (fixture_file.parent / f"{name}.{export_format}" for name in "ab")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as package:
        assert {info.date_time[:3] for info in package.infolist()} == {(2018, 7, 16)}


def test_docx_and_odt_keep_hostile_text_as_text() -> None:
    import docx

    document = docx.Document(io.BytesIO(export(hostile_case(), "docx")))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    for hostile in HOSTILE:
        assert hostile in text
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name.startswith("Heading")]
    assert not [heading for heading in headings if "Not a heading" in heading]
    content = members(export(hostile_case(), "odt"))["content.xml"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content and "<script" not in content
    assert "javascript:" not in " ".join(re.findall(r'xlink:href="([^"]*)"', content))


def test_control_characters_do_not_break_the_xml() -> None:
    from xml.etree import ElementTree

    case = fixture_case()
    event = dataclasses.replace(case.events[0], title="Bell\x07 and form feed\x0c here")
    case = dataclasses.replace(case, events=(event, *case.events[1:]))
    for export_format in ("docx", "odt"):
        for name, text in members(export(case, export_format)).items():
            if name.endswith((".xml", ".rels")):
                ElementTree.fromstring(text)  # raises if not well-formed


def odt_citations(content: str) -> list[int]:
    pattern = r'<text:note text:id="note(\d+)"|<text:note-ref [^>]*text:ref-name="note(\d+)"'
    return [int(first or again) for first, again in re.findall(pattern, content)]


def test_odt_has_the_letters_notes_headings_metadata_and_a_page_break() -> None:
    data = export(fixture_case(), "odt", language="fr")
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.namelist()[0] == "mimetype"
        assert package.infolist()[0].compress_type == zipfile.ZIP_STORED
        assert package.read("mimetype") == b"application/vnd.oasis.opendocument.text"
    parts = members(data)
    content = parts["content.xml"]
    assert content.count("<text:note ") == 5
    assert odt_citations(content) == markdown_citations("fr")
    assert '<text:h text:style-name="Annex" text:outline-level="2">Annexe</text:h>' in content
    assert 'style:name="Annex"' in content and 'fo:break-before="page"' in content
    assert "Luis Hernández" in content
    meta = parts["meta.xml"]
    assert f"<dc:title>{fixture_case().title}</dc:title>" in meta
    assert "<dc:language>fr</dc:language>" in meta and "<dc:date>2018-07-16T00:00:00</dc:date>" in meta


# Reference documents -------------------------------------------------------------------------------


def reference_docx(path: Path) -> Path:
    """A coalition's letterhead, made as Word would: a header, a blue Heading 2, narrow margins."""
    import docx
    from docx.shared import Cm, RGBColor

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "COALICIÓN POR LA TRANSPARENCIA — membrete"
    document.sections[0].left_margin = Cm(3.3)
    document.styles["Heading 2"].font.color.rgb = RGBColor(0x12, 0x34, 0x56)
    document.add_paragraph("This body text is not copied.")
    document.save(str(path))
    return path


def test_reference_docx_gives_its_styles_page_and_letterhead(run: Run, fixture_file: Path, isolated: Path) -> None:
    import docx

    reference = reference_docx(isolated / "membrete.docx")
    run("export", "--format", "docx", "-o", "letter.docx", "--reference-doc", str(reference), "--as-of", "2018-07-16")
    document = docx.Document(str(isolated / "letter.docx"))
    assert document.sections[0].header.paragraphs[0].text == "COALICIÓN POR LA TRANSPARENCIA — membrete"
    assert round(document.sections[0].left_margin.cm, 1) == 3.3
    assert document.styles["Heading 2"].font.color.rgb == docx.shared.RGBColor(0x12, 0x34, 0x56)
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "This body text is not copied." not in text
    assert "Who files this letter" in text
    parts = members((isolated / "letter.docx").read_bytes())
    assert docx_citations(parts["word/document.xml"]) == markdown_citations()
    assert 'w:styleId="FootnoteText"' in parts["word/styles.xml"]  # added where the reference had none
    # Every part a relationship names is in the package.
    for name, rels in parts.items():
        if name.endswith(".rels"):
            folder = name.replace("_rels/", "").removesuffix(".rels").rsplit("/", 1)[0] if "/" in name else ""
            for target, mode in re.findall(r'Target="([^"]+)"( TargetMode="External")?', rels):
                if not mode and name != "_rels/.rels":
                    assert posixpath.normpath(f"{folder}/{target}").lstrip("/") in parts, (name, target)


def with_hidden_names(reference: Path) -> Path:
    """The reference as an office's Word saves it: SharePoint's properties in customXml, document
    variables and a mail merge's data source in its settings, an attached template on a server."""
    parts = {name: data.encode("utf-8") for name, data in members(reference.read_bytes()).items()}
    parts["customXml/item1.xml"] = b'<?xml version="1.0"?><properties><Author>Rosa Quintero</Author></properties>'
    parts["customXml/_rels/item1.xml.rels"] = (
        b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>'
    )
    custom = (
        '<Relationship Id="rIdCustomXml1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/customXml" Target="../customXml/item1.xml"/></Relationships>'
    )
    rels = "word/_rels/document.xml.rels"
    parts[rels] = parts[rels].decode().replace("</Relationships>", custom).encode()
    hidden = (
        '<w:attachedTemplate r:id="rIdTemplate"/><w:mailMerge><w:mainDocumentType w:val="formLetters"/>'
        '<w:dataSource r:id="rIdSource"/></w:mailMerge>'
        '<w:docVars><w:docVar w:name="owner" w:val="Rosa Quintero"/></w:docVars>'
    )
    settings = parts["word/settings.xml"].decode()
    opening = re.search(r"<w:settings[^>]*>", settings)
    assert opening is not None
    parts["word/settings.xml"] = (settings[: opening.end()] + hidden + settings[opening.end() :]).encode()
    relationship = '<Relationship Id="{}" Type="{}" Target="{}" TargetMode="External"/>'
    kinds = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    parts["word/_rels/settings.xml.rels"] = (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + relationship.format("rIdTemplate", kinds + "attachedTemplate", "https://intranet.example/rosa-quintero.dotx")
        + relationship.format("rIdSource", kinds + "mailMergeSource", "file:///C:/Users/rquintero/contactos.xlsx")
        + "</Relationships>"
    ).encode()
    with zipfile.ZipFile(reference, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return reference


def test_a_redacted_letter_takes_no_hidden_name_from_the_reference(
    run: Run, fixture_file: Path, isolated: Path
) -> None:
    """Only the reference's styles, page and letterhead are taken: not what Word keeps out of sight
    (who wrote it, document variables, a mail merge's contacts, a template fetched from a server)."""
    import docx

    reference = with_hidden_names(reference_docx(isolated / "membrete.docx"))
    run("export", "--format", "docx", "-o", "letter.docx", "--redact", "--reference-doc", str(reference))
    parts = members((isolated / "letter.docx").read_bytes())
    for name, text in parts.items():
        assert "quintero" not in text.casefold(), name
    document = docx.Document(str(isolated / "letter.docx"))  # still a document Word opens
    assert document.sections[0].header.paragraphs[0].text == "COALICIÓN POR LA TRANSPARENCIA — membrete"
    for name, rels in parts.items():
        if name.endswith(".rels") and name != "_rels/.rels":
            folder = name.replace("_rels/", "").removesuffix(".rels").rsplit("/", 1)[0] if "/" in name else ""
            for target, mode in re.findall(r'Target="([^"]+)"( TargetMode="External")?', rels):
                assert mode or posixpath.normpath(f"{folder}/{target}").lstrip("/") in parts, (name, target)
    assert 'r:id="' not in parts["word/settings.xml"]  # no relationship left without its target


def tiny_png(tag: bytes) -> bytes:
    """A 1x1 PNG, with ``tag`` after its end (where a viewer never looks and a search does)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
    return (
        b"\x89PNG\r\n\x1a\n" + header + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b"") + tag
    )


def test_the_letter_takes_no_picture_from_the_references_body(run: Run, fixture_file: Path, isolated: Path) -> None:
    """A picture in the reference's body (a scanned signed page, a photograph) went into every letter,
    unseen: only its letterhead's pictures are taken."""
    import docx
    from docx.shared import Cm

    document = docx.Document()
    document.sections[0].header.paragraphs[0].add_run().add_picture(io.BytesIO(tiny_png(b"LOGO")), width=Cm(1))
    document.add_paragraph("This body text is not copied.")
    document.add_picture(io.BytesIO(tiny_png(b"SCANNED ID OF ROSA QUINTERO")), width=Cm(1))
    document.save(str(isolated / "membrete.docx"))
    run("export", "--format", "docx", "-o", "letter.docx", "--reference-doc", str(isolated / "membrete.docx"))
    with zipfile.ZipFile(isolated / "letter.docx") as package:
        everything = b"".join(package.read(name) for name in package.namelist())
    assert b"ROSA QUINTERO" not in everything
    assert b"LOGO" in everything
    assert len(docx.Document(str(isolated / "letter.docx")).sections[0].header.part.package.image_parts) == 1


def reference_odt(path: Path) -> Path:
    """An ODT whose master page has a letterhead and whose Heading 2 is green."""
    parts = members(export(fixture_case(), "odt"))
    styles = parts["styles.xml"].replace(
        '<style:master-page style:name="Standard" style:page-layout-name="A4"/>',
        '<style:master-page style:name="Standard" style:page-layout-name="A4"><style:header>'
        "<text:p>COALITION LETTERHEAD</text:p></style:header></style:master-page>",
    )
    styles = re.sub(
        r'(<style:style style:name="Heading_20_2".*?<style:text-properties)',
        r'\1 fo:color="#00aa00"',
        styles,
        count=1,
        flags=re.DOTALL,
    )
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("mimetype", parts["mimetype"], compress_type=zipfile.ZIP_STORED)
        for name in ("content.xml", "meta.xml", "META-INF/manifest.xml"):
            package.writestr(name, parts[name])
        package.writestr("styles.xml", styles)
    return path


def test_the_letter_takes_no_picture_from_the_reference_odts_body(run: Run, fixture_file: Path, isolated: Path) -> None:
    """As for DOCX: only the pictures its styles use (a letterhead's logo) are taken."""
    reference = reference_odt(isolated / "letterhead.odt")
    parts = members(reference.read_bytes())
    frame = (
        '<draw:frame xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
        'xmlns:xlink="http://www.w3.org/1999/xlink"><draw:image xlink:href="Pictures/{}.png"/></draw:frame>'
    )
    logo = frame.format("logo")
    styles = parts["styles.xml"].replace("<text:p>COALITION LETTERHEAD</text:p>", f"<text:p>{logo}</text:p>")
    body = frame.format("scan")
    content = parts["content.xml"].replace("</office:text>", f"<text:p>{body}</text:p></office:text>")
    with zipfile.ZipFile(reference, "w") as package:
        package.writestr("mimetype", parts["mimetype"], compress_type=zipfile.ZIP_STORED)
        for name, text in (("content.xml", content), ("meta.xml", parts["meta.xml"]), ("styles.xml", styles)):
            package.writestr(name, text)
        package.writestr("META-INF/manifest.xml", parts["META-INF/manifest.xml"])
        package.writestr("Pictures/logo.png", tiny_png(b"LOGO"))
        package.writestr("Pictures/scan.png", tiny_png(b"SCANNED ID OF ROSA QUINTERO"))
    run("export", "--format", "odt", "-o", "letter.odt", "--reference-doc", str(reference))
    with zipfile.ZipFile(isolated / "letter.odt") as package:
        names = package.namelist()
        everything = b"".join(package.read(name) for name in names)
    assert b"ROSA QUINTERO" not in everything and "Pictures/scan.png" not in names
    assert b"LOGO" in everything


def test_reference_odt_gives_its_styles_and_letterhead(run: Run, fixture_file: Path, isolated: Path) -> None:
    reference = reference_odt(isolated / "letterhead.odt")
    run("export", "--format", "odt", "-o", "letter.odt", "--reference-doc", str(reference), "--as-of", "2018-07-16")
    parts = members((isolated / "letter.odt").read_bytes())
    assert "COALITION LETTERHEAD" in parts["styles.xml"] and 'fo:color="#00aa00"' in parts["styles.xml"]
    assert odt_citations(parts["content.xml"]) == markdown_citations()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.docx", None, "there is no such file"),
        ("notes.docx", b"just some text", "is not a .docx file (not a zip package"),
        ("letterhead.odt", "odt", "it is an OpenDocument text: use --format odt"),
        ("broken.docx", "broken", "its word/styles.xml is damaged"),
    ],
)
def test_a_bad_reference_docx_exits_2_and_writes_nothing(
    run: Run, fixture_file: Path, isolated: Path, name: str, content: bytes | str | None, message: str
) -> None:
    path = isolated / name
    if content == "odt":
        reference_odt(path)
    elif content == "broken":
        reference_docx(path)
        with zipfile.ZipFile(path) as package:
            kept = {info.filename: package.read(info) for info in package.infolist()}
        kept["word/styles.xml"] = kept["word/styles.xml"][:200]
        with zipfile.ZipFile(path, "w") as package:
            for member, data in kept.items():
                package.writestr(member, data)
    elif isinstance(content, bytes):
        path.write_bytes(content)
    result = run("export", "--format", "docx", "-o", "letter.docx", "--reference-doc", str(path), code=2)
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("casefile: error: --reference-doc ")
    assert message in result.stderr
    assert not (isolated / "letter.docx").exists()
    assert not [entry for entry in isolated.iterdir() if entry.name.startswith(".letter")]


def test_a_word_document_is_no_reference_for_odt_nor_any_for_pdf(run: Run, fixture_file: Path, isolated: Path) -> None:
    reference = reference_docx(isolated / "membrete.docx")
    result = run("export", "--format", "odt", "-o", "letter.odt", "--reference-doc", str(reference), code=2)
    assert "it is a Word document: use --format docx" in result.stderr and result.stderr.count("\n") == 1
    result = run("export", "--format", "markdown", "--reference-doc", str(reference), code=2)
    assert "--reference-doc applies to docx and odt" in result.stderr
    assert not (isolated / "letter.odt").exists()


# Progress ------------------------------------------------------------------------------------------


def test_no_progress_bar_when_stderr_is_not_a_terminal(run: Run, fixture_file: Path) -> None:
    result = run("export", "--format", "docx", "-o", "letter.docx", "--as-of", "2018-07-16")
    lines = result.stderr.splitlines()
    assert lines[0] == "Wrote letter.docx." and all(line.startswith("casefile: note: ") for line in lines[1:])
    assert "\x1b" not in result.stderr and "Writing" not in result.stderr


@pytest.mark.parametrize(("export_format", "stage"), [("docx", "Writing DOCX"), ("html", "Writing HTML")])
def test_a_progress_bar_on_a_terminal(
    fixture_file: Path, monkeypatch: pytest.MonkeyPatch, export_format: str, stage: str
) -> None:
    import sys

    from casefile.cli.export import export as export_command
    from casefile.exchange import ExportFormat

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    monkeypatch.setenv("COLUMNS", "100")
    output = fixture_file.parent / f"letter.{export_format}"
    export_command(ExportFormat(export_format), output=output, as_of="2018-07-16", file=fixture_file)
    shown = screen.getvalue()
    assert "Drafting the letter" in shown and stage in shown
    assert output.exists()
