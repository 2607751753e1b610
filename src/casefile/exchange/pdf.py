"""The letter as an A4 PDF, typeset by Typst (the ``typst`` package, in the ``office`` extra).

casefile writes the letter's Typst markup itself, from the same blocks as DOCX and ODT: each
note of the Markdown letter is one footnote at its first citation, and a later citation refers
to it (``#footnote(<note3>)``), so the PDF shows the letter's own note numbers. Every character
of text that Typst could read as markup is escaped, so user text stays text; nothing is
imported and only the fonts inside Typst are used (no system fonts), which makes the same
letter give the same bytes on any machine. Typst's Libertinus Serif covers Latin, Greek and
Cyrillic.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from typing import Any

from casefile.errors import MissingExtra, TemplateError
from casefile.exchange.officebase import LetterSource, NoteCitations
from casefile.i18n import _
from casefile.letter.letterdoc import (
    Block,
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

INSTALL_HINT = "pip install 'casefile[office]'"
# Everything Typst markup gives a meaning to, what could continue an embedded call (. ( [), and quotes
# (which Typst would make typographic: the letter shows the characters typed).
_MARKUP = re.compile(r"""([\\#*_`$<>@\[\]=\-+/~.()"'])""")
_STRING = re.compile(r'(["\\])')
_PREAMBLE = """#set page(paper: "a4", margin: (x: 2.2cm, top: 2.5cm, bottom: 2.5cm), numbering: "1")
#set text(size: 10.5pt, lang: "{language}")
#set par(spacing: 0.9em, leading: 0.6em)
#show heading: set block(above: 1.5em, below: 0.8em)
#show heading.where(level: 2): set text(size: 13pt)
#show heading.where(level: 3): set text(size: 11.5pt)
#show link: set text(fill: rgb("#1f4e8c"))
#set footnote.entry(gap: 0.45em)
#let item(marker, body) = par(hanging-indent: 1.3em)[#box(width: 1.3em)[#marker]#body]
"""


def _text(text: str) -> str:
    return _MARKUP.sub(r"\\\1", text) if _MARKUP.search(text) else text


def _string(text: str) -> str:
    return '"' + _STRING.sub(r"\\\1", text) + '"'


class _Writer:
    """Typst markup of the letter's blocks, from the first block given on.

    ``earlier`` are notes whose footnote is in a part of the letter typeset before (see
    :mod:`casefile.exchange.pdfparts`): a citation of one is its number, raised, as the footnote's
    own mark is. ``marked`` puts invisible markers at each block's start and end, which tell on
    what page each block begins and ends.
    """

    def __init__(self, source: LetterSource, *, earlier: AbstractSet[int] = frozenset(), marked: bool = False) -> None:
        self.source = source
        self.notes = NoteCitations(source.notes)
        self.earlier = earlier  # not copied: a long letter's parts share it
        self.marked = marked
        self.counter = 0  # Typst's footnote counter so far

    def runs(self, runs: Runs, *, in_note: bool = False) -> str:
        parts = []
        previous: object = None
        for run in runs:
            if isinstance(run, NoteMark) and isinstance(previous, NoteMark):
                parts.append("#super[,]")  # ¹,² rather than ¹² (twelve)
            previous = run
            if isinstance(run, Text):
                text = _text(run.text)
                if run.italic:
                    text = f"#emph[{text}]"
                if run.bold:
                    text = f"#strong[{text}]"
                parts.append(text)
            elif isinstance(run, LineBreak):
                parts.append("#linebreak()")
            elif isinstance(run, Link):
                parts.append(f"#link({_string(run.url)})[{_text(run.url)}]")
            else:
                parts.append(self.note_mark(run.number, in_note=in_note))
        # Text after a call cannot continue it: its ( [ and . are escaped.
        return "".join(parts)

    def note_mark(self, number: int, *, in_note: bool) -> str:
        if number not in self.notes.defined or in_note:
            return _text(f"[^{number}]")
        if number in self.earlier:
            return f"#super[{number}]"
        first, _ = self.notes.first(number)
        if not first:
            return f"#footnote(<note{number}>)"
        # Typst numbers footnotes by counting them: where that count would not give the
        # letter's own number, the counter is set first.
        counter = "" if number == self.counter + 1 else f"#counter(footnote).update({number - 1})"
        self.counter = number
        text = self.runs(self.source.notes[number], in_note=True)
        if self.marked:  # where the footnote's text begins and ends
            marker = f"#box[#metadata({number})<cf-note>]"
            text = f"{marker}{text}{marker}"
        return f"{counter}#footnote[{text}]<note{number}>"

    def head(self, *, first_page: int = 1) -> str:
        """The document's metadata and styles, and the number of its first page."""
        source = self.source
        date = source.date
        counter = f"#counter(page).update({first_page})\n" if first_page > 1 else ""
        return (
            f"#set document(title: {_string(source.title)}, "
            f"date: datetime(year: {date.year}, month: {date.month}, day: {date.day}))\n"
            + _PREAMBLE.replace("{language}", source.language)
            + counter
        )

    def block(self, block: Block, index: int = 0) -> str:
        """One block's markup; ``index`` names its markers, when the writer sets them."""
        start = end = ""
        if self.marked:  # in boxes: a marker then has the place of its line, even at a page's end
            start, end = f"#box[#metadata({index})<cf-start>]", f"#box[#metadata({index})<cf-end>]"
        if isinstance(block, ListItem):
            # An item is a paragraph with a hanging indent, not a Typst list: Typst lays out a
            # list as one block, so a list of thousands of events (with notes) takes minutes.
            marker = "•" if block.number is None else f"{block.number}\\."
            content = " #linebreak() ".join(self.runs(runs) for runs in block.paragraphs)
            return f"#item[{marker}][{start}{content}{end}]\n\n"
        if isinstance(block, Paragraph):
            return f"{start}{self.runs(block.runs)}{end}\n\n"
        if isinstance(block, Heading):
            level = min(block.level, 6)
            pagebreak = ""
            if level == 2 and plain_text(block.runs) == self.source.annex_heading:
                pagebreak = "#pagebreak(weak: true)\n"
            return f"{pagebreak}#heading(level: {level})[{start}{self.runs(block.runs)}{end}]\n\n"
        return "#line(length: 100%)\n\n" if isinstance(block, Rule) else ""

    def markup(self) -> Iterator[str]:
        yield self.head()
        for block in self.source.blocks("Preparing the PDF"):
            yield self.block(block)


def typst_markup(source: LetterSource) -> str:
    """The letter as Typst markup (what :func:`write_pdf` typesets, when it takes one part)."""
    return "".join(_Writer(source).markup())


def _typst() -> Any:
    try:
        import typst
    except ImportError:
        raise MissingExtra(
            _("PDF export needs Typst: install the office extra, {install_hint}").format(install_hint=INSTALL_HINT)
        ) from None
    return typst


def write_pdf(source: LetterSource) -> bytes:
    """The letter as the bytes of a PDF file.

    A letter of up to :data:`casefile.exchange.pdfparts.PART_SIZE` characters of markup is
    typeset at once; a longer one in parts (see :mod:`casefile.exchange.pdfparts`), whose pages
    are then put together.

    Raises:
        MissingExtra: the ``typst`` package (the ``office`` extra) is not installed.
        TemplateError: Typst could not typeset the letter.
    """
    from casefile.exchange.pdfparts import PART_SIZE, write_in_parts

    typst = _typst()
    blocks = source.blocks("Typesetting the PDF")
    writer = _Writer(source)
    pieces = [writer.head()]
    size = 0
    taken: list[Block] = []
    for block in blocks:
        taken.append(block)
        pieces.append(writer.block(block))
        size += len(pieces[-1])
        if size > PART_SIZE:
            return write_in_parts(source, itertools.chain(taken, blocks))
    markup = "".join(pieces).encode("utf-8")
    if source.progress is not None:
        source.progress("Typesetting the PDF", 0, 0)
    try:
        data: bytes = typst.compile(markup, format="pdf", ignore_system_fonts=True)
    except Exception as error:  # typst raises its own error types, and RuntimeError
        message = typst_message(error)
        raise TemplateError(_("Typst could not typeset the letter: {message}").format(message=message)) from None
    return data


def typst_message(error: BaseException | str) -> str:
    """What Typst said, on one line and not too long."""
    return " ".join(str(error).split())[:300]
