"""The letter as one standalone HTML page, to read, print or turn into a PDF.

The letter's Markdown is read back into its blocks (:mod:`casefile.letter.letterdoc`, as for
DOCX, ODT and PDF) and written as HTML with every piece of text escaped: nothing a user typed
can become a tag, and links go only to web addresses. Notes become endnotes, numbered as in the
Markdown, with links back to each place they are cited. The page needs nothing else: styles are
inline, fonts are the reader's own, and a Content-Security-Policy forbids fetching anything.
Print styles use margins that suit both A4 and US Letter, and start the annex on a new page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator, Sequence

from casefile.exchange.officebase import LetterSource, Progress
from casefile.letter.letterdoc import (
    HeadingSource,
    ItemRun,
    ListItemSource,
    ParagraphSource,
    Rule,
    source_blocks_and_runs,
)
from casefile.letter.runs import (
    LineBreak,
    Link,
    NoteMark,
    Runs,
    Text,
    inline_runs,
    line_piece,
    line_shape,
    mark_numbers,
    paragraph_runs,
    plain_text,
)

#: Nothing may be loaded: no scripts, images, fonts, frames or connections; inline styles only.
CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'"

_STYLE = """
:root { color-scheme: light; }
html {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", "DejaVu Sans",
    Arial, sans-serif;
  font-size: 11pt;
  line-height: 1.5;
  color: #1a1a1a;
  background: #fff;
}
body { max-width: 44em; margin: 2.5em auto; padding: 0 1.25em; }
figure.timeline { margin: 2em auto; max-width: 60em; }
figure.timeline svg { width: 100%; height: auto; }
h2 { font-size: 1.3em; margin: 1.8em 0 0.6em; }
h3 { font-size: 1.08em; margin: 1.5em 0 0.5em; }
h2, h3 { line-height: 1.25; break-after: avoid; page-break-after: avoid; }
p, li { orphans: 3; widows: 3; }
li { margin: 0.3em 0; }
ul, ol { padding-left: 1.6em; }
a { color: #1f4e8c; overflow-wrap: anywhere; }
sup { line-height: 0; }
.footnote-ref a { text-decoration: none; padding: 0 0.05em; }
.footnote-ref + .footnote-ref::before { content: ","; }
hr.footnotes-sep { display: none; }
.footnotes { font-size: 0.92em; margin-top: 2em; }
.footnotes li { margin: 0.4em 0; }
.footnotes li p { margin: 0; }
.footnote-backref { text-decoration: none; }
@page { margin: 20mm 20mm 22mm; }
@media print {
  html { font-size: 10.5pt; }
  body { max-width: none; margin: 0; padding: 0; }
  a { color: inherit; text-decoration: none; }
  h2.annex { break-before: page; page-break-before: always; margin-top: 0; }
  figure.timeline { break-before: page; page-break-before: always; }
  .footnote-backref { display: none; }
}
"""


class _Writer:
    """HTML of the letter's blocks: user text escaped, links only to web addresses."""

    def __init__(self, source: LetterSource) -> None:
        self.source = source
        self.defined = frozenset(source.notes)
        # note -> how many times cited so far, in the order of their first citations (the notes' order)
        self.citations: dict[int, int] = {}

    def text(self, lines: Sequence[str], *, in_note: bool = False) -> str:
        """A paragraph's lines as HTML: as :meth:`runs` writes their runs, but straight from the
        parts of each line when every line has a common shape (most lines of a letter do)."""
        if len(lines) == 1:
            shape = line_shape(lines[0].strip())
            return self.runs(paragraph_runs(lines), in_note=in_note) if shape is None else self.shaped(shape, in_note)
        shapes = []
        last = len(lines) - 1
        for index, line in enumerate(lines):
            piece, after = line_piece(line, index == last)
            shape = line_shape(piece)
            if shape is None:  # read before any mark is written: a mark counts its citations
                return self.runs(paragraph_runs(lines), in_note=in_note)
            shapes.append((shape, "" if after is None else "<br>\n" if type(after) is LineBreak else " "))
        return "".join([self.shaped(shape, in_note) + after for shape, after in shapes])

    def shaped(self, shape: tuple[str, str, str, str], in_note: bool) -> str:
        """One line in a common shape (:func:`casefile.letter.runs.line_shape`) as HTML."""
        strong, plain, url, marks = shape
        text = f"<strong>{_escaped(strong)}</strong>{_escaped(plain)}" if strong else _escaped(plain)
        if url:
            return text + _link(url)
        if marks:
            return text + "".join([self.mark(number, in_note) for number in mark_numbers(marks)])
        return text

    def runs(self, runs: Runs, *, in_note: bool = False) -> str:
        parts = []
        for run in runs:
            if type(run) is Text:
                text = _escaped(run.text)
                if run.italic:
                    text = f"<em>{text}</em>"
                if run.bold:
                    text = f"<strong>{text}</strong>"
                parts.append(text)
            elif type(run) is NoteMark:
                parts.append(self.mark(run.number, in_note))
            elif type(run) is LineBreak:
                parts.append("<br>\n")
            elif type(run) is Link:
                parts.append(_link(run.url))
        return "".join(parts)

    def mark(self, number: int, in_note: bool) -> str:
        """A note mark: a link to the note, or ``[^n]`` as Markdown shows it (in a note, or no such note)."""
        if in_note or number not in self.defined:
            return f"[^{number}]"
        count = self.citations.get(number, 0)
        self.citations[number] = count + 1
        if count == 0:
            return f'<sup class="footnote-ref"><a href="#fn{number}" id="fnref{number}">{number}</a></sup>'
        return f'<sup class="footnote-ref"><a href="#fn{number}" id="fnref{number}:{count}">{number}</a></sup>'

    def item_run(self, lines: Sequence[str]) -> str:
        """The items of an :class:`ItemRun` as HTML, as :meth:`text` writes each one, a line at a
        time: their text holds nothing for HTML to escape but ``>``, no Markdown mark but note marks
        and no space at a line's ends but a hard break's two."""
        parts: list[str] = []
        hard_break = False
        for raw in lines:
            text = raw.replace(">", "&gt;") if ">" in raw else raw
            if text[0] == "-":  # - **bold**text[^1]: no star in the bold text, so the next ** ends it
                parts.append("</li>\n<li><strong>" if parts else "<li><strong>")
                text = text[4:].replace("**", "</strong>", 1)
            else:  # two spaces, then the text going on
                parts.append("<br>\n" if hard_break else " ")
                text = text[2:]
            hard_break = text.endswith("  ")
            parts.append(text[:-2] if hard_break else text)
        parts.append("</li>\n")
        written = "".join(parts)
        if "[^" not in written:
            return written
        pieces = _MARK.split(written)  # text, a mark's number, text, ...
        marks = []
        defined, citations = self.defined, self.citations
        for number in map(int, pieces[1::2]):  # as self.mark(number, False), for tens of thousands of marks
            if number not in defined:
                marks.append(f"[^{number}]")
                continue
            count = citations.get(number, 0)
            citations[number] = count + 1
            if count == 0:
                marks.append(f'<sup class="footnote-ref"><a href="#fn{number}" id="fnref{number}">{number}</a></sup>')
            else:
                marks.append(
                    f'<sup class="footnote-ref"><a href="#fn{number}" id="fnref{number}:{count}">{number}</a></sup>'
                )
        pieces[1::2] = marks
        return "".join(pieces)

    def body(self) -> Iterator[str]:
        open_list: tuple[int, str] | None = None
        source = self.source
        progress = source.progress
        total = len(source.lines)
        report = None if progress is None else lambda done: progress("Writing HTML", done, total)
        for block in source_blocks_and_runs(source.lines, report):
            if type(block) is ItemRun:
                yield self.item_run(block.lines)  # the items of the list its item before opened
                continue
            if open_list is not None and not (type(block) is ListItemSource and block.list_id == open_list[0]):
                yield f"</{open_list[1]}>\n"
                open_list = None
            if type(block) is ListItemSource:
                if open_list is None:
                    tag = "ul" if block.number is None else "ol"
                    open_list = (block.list_id, tag)
                    start = f' start="{block.number}"' if block.number not in (None, 1) else ""
                    yield f"<{tag}{start}>\n"
                paragraphs = [self.text(lines) for lines in block.paragraphs]
                inner = paragraphs[0] if len(paragraphs) == 1 else "".join(f"<p>{text}</p>" for text in paragraphs)
                yield f"<li>{inner}</li>\n"
            elif type(block) is ParagraphSource:
                yield f"<p>{self.text(block.lines)}</p>\n"
            elif type(block) is HeadingSource:
                level = min(block.level, 6)
                runs = inline_runs(block.text)
                annex = level == 2 and plain_text(runs) == self.source.annex_heading
                attributes = ' class="annex" id="annex"' if annex else ""
                yield f"<h{level}{attributes}>{self.runs(runs)}</h{level}>\n"
            elif type(block) is Rule:
                yield "<hr>\n"
        if open_list is not None:
            yield f"</{open_list[1]}>\n"

    def notes_section(self, heading: str) -> Iterator[str]:
        if not self.citations:
            return
        yield f'<section class="footnotes">\n<h2 class="notes" id="notes">{html.escape(heading)}</h2>\n'
        yield '<ol class="footnotes-list">\n'
        expected = 1
        source = self.source.notes.source
        written: list[str] = []  # a few hundred notes at a time
        for number, count in self.citations.items():
            value = "" if number == expected else f' value="{number}"'
            expected = number + 1
            text = source(number)
            note = _NOTE.fullmatch(text)
            if note is None:
                text = self.text((text,), in_note=True)
            else:  # as self.text writes it: the text escaped, then the link
                plain, url = note.groups()
                text = plain.replace(">", "&gt;") if ">" in plain else plain
                if url is not None:
                    text += _link(url)
            backrefs = _backrefs(number, count)
            written.append(f'<li id="fn{number}" class="footnote-item"{value}><p>{text}{backrefs}</p>\n</li>\n')
            if len(written) == 500:
                yield "".join(written)
                written.clear()
        yield "".join(written)
        yield "</ol>\n</section>\n"


_MARK = re.compile(r"\[\^(\d+)\]")
# A note's text in the common shape: text without Markdown marks or whitespace at its ends, then
# perhaps an autolink (as casefile.letter.runs reads them); the class is of literal characters only.
_NOTE = re.compile(r"(?![\s<])([^\\*_\[<`&]*)(?:<((?i:https?|ftp)://[^\s<>]*|(?i:mailto):[^\s<>]*)>|(?<=[^\s]))")


def _escaped(text: str) -> str:
    """``html.escape(text, quote=False)``, spelled out: it runs for every piece of the letter."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _link(url: str) -> str:
    if "&" in url or '"' in url or "'" in url or "<" in url or ">" in url:  # most addresses hold none
        url = html.escape(url)
    return f'<a href="{url}">{url}</a>'


_ARROW = "\u21a9\ufe0e"  # ↩ as text, not as an emoji


def _backrefs(number: int, count: int) -> str:
    """Links back to a note's citations: ↩ for one, one a citation for several: ↩ a, b, c."""
    if count < 2:
        return f' <a href="#fnref{number}" class="footnote-backref">{_ARROW}</a>'
    if count == 2:  # most notes of a letter: cited in its body and in its chronology
        first = f' <a href="#fnref{number}" class="footnote-backref">{_ARROW} a</a>'
        return f'{first} <a href="#fnref{number}:1" class="footnote-backref">b</a>'
    links = [f' <a href="#fnref{number}" class="footnote-backref">{_ARROW} a</a>']
    for index in range(1, count):
        letter = chr(ord("a") + index) if index < 26 else str(index + 1)
        links.append(f' <a href="#fnref{number}:{index}" class="footnote-backref">{letter}</a>')
    return "".join(links)


def letter_body(markdown_text: str, *, annex_heading: str, notes_heading: str, progress: Progress | None = None) -> str:
    """The letter's Markdown as HTML, the annex heading marked with ``class="annex"``."""
    import datetime

    from casefile.exchange.officebase import LetterSource

    source = LetterSource.of(
        markdown_text,
        title="",
        date=datetime.date(1970, 1, 1),  # not shown: an HTML page has no document date
        language="",
        annex_heading=annex_heading,
        progress=progress,
    )
    return "".join(_body_pieces(source, notes_heading))


def _body_pieces(source: LetterSource, notes_heading: str) -> Iterator[str]:
    writer = _Writer(source)
    yield from writer.body()
    yield from writer.notes_section(notes_heading)


def _batched(pieces: Iterable[str], size: int = 1 << 18) -> Iterator[str]:
    """``pieces`` joined into texts of about ``size`` characters: a page's pieces are each encoded
    and written by the caller, which costs more a piece than joining them; a piece may be a whole
    run of items, so they are counted by their length (the letter is still never held whole)."""
    batch: list[str] = []
    length = 0
    for piece in pieces:
        batch.append(piece)
        length += len(piece)
        if length >= size:
            yield "".join(batch)
            batch.clear()
            length = 0
    yield "".join(batch)


def _figure(svg: str) -> str:
    """The timeline inline, without its XML declaration; it loads nothing, as the page may not."""
    if not svg:
        return ""
    inline = svg.split("?>", 1)[1].lstrip() if svg.startswith("<?xml") else svg
    return f'<figure class="timeline">\n{inline}</figure>\n'


def _figure_pieces(svg: str | Iterable[str]) -> Iterator[str]:
    """:func:`_figure` of an SVG document or of its lines (:func:`casefile.exchange.svg.timeline_svg_pieces`,
    the first the XML declaration), a thousand lines a piece: a large case's figure is never held whole."""
    if isinstance(svg, str):
        yield _figure(svg)
        return
    lines = iter(svg)
    if next(lines, None) is None:
        return
    yield '<figure class="timeline">\n'
    yield from _batched(lines)
    yield "</figure>\n"


def letter_page(
    markdown_text: str, *, language: str, title: str, figure: str = "", progress: Progress | None = None
) -> str:
    """A complete HTML5 document of the letter in ``language``, with ``title`` in its head.

    ``figure``, an SVG document (the case's timeline), is shown after the letter.
    """
    return "".join(letter_page_pieces(markdown_text, language=language, title=title, figure=figure, progress=progress))


def letter_page_pieces(
    markdown_text: str | Sequence[str],
    *,
    language: str,
    title: str,
    figure: str | Callable[[], str | Iterable[str]] = "",
    progress: Progress | None = None,
) -> Iterator[str]:
    """:func:`letter_page` in pieces, which a large letter's page is never joined from.

    ``figure`` may be a function that makes it, or its lines: it is then made once the letter is
    written, so a large case's figure and letter are not both held while the letter is made.
    """
    import datetime

    from casefile.letter.catalogue import catalogue

    messages = catalogue(language)
    source = LetterSource.of(
        markdown_text,
        title="",
        date=datetime.date(1970, 1, 1),  # not shown: an HTML page has no document date
        language="",
        annex_heading=messages["heading.annex"],
        progress=progress,
    )
    yield (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(language)}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="casefile">\n'
        f"<title>{html.escape(title)}</title>\n"
        f"<style>{_STYLE}</style>\n"
        "</head>\n"
        "<body>\n"
        '<main class="letter">\n'
    )
    yield from _batched(_body_pieces(source, messages["heading.notes"]))
    # The letter's lines are not needed any more: a caller that gave them away (see
    # casefile.exchange.exports) has them freed before the figure is made.
    del source, markdown_text
    yield "</main>\n"
    yield from _figure_pieces(figure() if callable(figure) else figure)
    yield "</body>\n</html>\n"
