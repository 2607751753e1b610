"""The letter as an editable word-processor document (DOCX or ODT), made by pandoc.

pandoc comes with the optional ``office`` extra (``pip install 'casefile[office]'``, which
installs ``pypandoc-binary``). It reads the letter's Markdown as CommonMark with footnotes,
the same reading the HTML export uses, with raw HTML off, so headings become real headings
and footnotes real footnotes while user text stays text. The annex starts on a new page.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from casefile.errors import MissingExtra, TemplateError

FORMATS = ("docx", "odt")
#: How pandoc reads the letter: CommonMark, footnotes, no raw HTML; raw blocks only for page breaks.
PANDOC_INPUT = "commonmark+footnotes+raw_attribute-raw_html"
_PAGE_BREAK = {
    "docx": '```{=openxml}\n<w:p><w:r><w:br w:type="page"/></w:r></w:p>\n```',
    "odt": '```{=opendocument}\n<text:p text:style-name="Pagebreak"/>\n```',
}
INSTALL_HINT = "pip install 'casefile[office]'"
# pandoc's default ODT template has no "Pagebreak" paragraph style: add one to the document.
_ODT_PAGE_BREAK_STYLE = (
    b'<style:style style:name="Pagebreak" style:family="paragraph">'
    b'<style:paragraph-properties fo:break-after="page"/></style:style>'
)


def _with_annex_page_break(markdown_text: str, *, target: str, annex_heading: str) -> str:
    heading = f"## {annex_heading}"
    lines = markdown_text.split("\n")
    if heading not in lines:
        return markdown_text
    index = lines.index(heading)
    return "\n".join([*lines[:index], _PAGE_BREAK[target], "", *lines[index:]])


def _odt_with_page_break_style(data: bytes) -> bytes:
    """The ODT file with the paragraph style its page break uses (the zip's order kept, mimetype first)."""
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "content.xml" and b'style:name="Pagebreak"' not in content:
                if b"<office:automatic-styles/>" in content:
                    content = content.replace(
                        b"<office:automatic-styles/>",
                        b"<office:automatic-styles>" + _ODT_PAGE_BREAK_STYLE + b"</office:automatic-styles>",
                        1,
                    )
                else:
                    content = content.replace(
                        b"<office:automatic-styles>", b"<office:automatic-styles>" + _ODT_PAGE_BREAK_STYLE, 1
                    )
            target.writestr(info, content)
    return output.getvalue()


def _pypandoc() -> Any:
    try:
        import pypandoc
    except ImportError:
        raise MissingExtra(f"DOCX and ODT exports need pandoc: install the office extra, {INSTALL_HINT}") from None
    return pypandoc


def letter_document(markdown_text: str, *, target: str, language: str) -> bytes:
    """The letter's Markdown as a ``docx`` or ``odt`` file's bytes.

    Raises:
        MissingExtra: pypandoc (the ``office`` extra) is not installed, or pandoc cannot run.
    """
    from casefile.render import catalogue

    if target not in FORMATS:
        raise ValueError(f"not an office format: {target!r}")
    pypandoc = _pypandoc()
    text = _with_annex_page_break(markdown_text, target=target, annex_heading=catalogue(language)["heading.annex"])
    with tempfile.TemporaryDirectory(prefix="casefile-") as folder:
        output = Path(folder) / f"letter.{target}"
        try:
            pypandoc.convert_text(
                text,
                target,
                format=PANDOC_INPUT,
                outputfile=str(output),
                extra_args=[f"--metadata=lang:{language}"],
                sandbox=True,
            )
        except OSError as error:
            raise MissingExtra(
                f"pandoc could not be run ({error}); reinstall the office extra: {INSTALL_HINT}"
            ) from None
        except RuntimeError as error:
            message = " ".join(str(error).split())
            raise TemplateError(f"pandoc could not write the {target.upper()} file: {message}") from None
        data = output.read_bytes()
    return _odt_with_page_break_style(data) if target == "odt" else data
