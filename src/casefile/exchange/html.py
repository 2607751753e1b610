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
from collections.abc import Callable, Iterator, Sequence

from casefile.exchange.officebase import LetterSource, NoteCitations, Progress
from casefile.letter.letterdoc import Heading, LineBreak, Link, ListItem, Paragraph, Rule, Runs, Text, plain_text

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
        self.notes = NoteCitations(source.notes)
        self.citations: dict[int, int] = {}  # note -> how many times cited so far

    def runs(self, runs: Runs, *, in_note: bool = False) -> str:
        parts = []
        for run in runs:
            if isinstance(run, Text):
                text = html.escape(run.text, quote=False)
                if run.italic:
                    text = f"<em>{text}</em>"
                if run.bold:
                    text = f"<strong>{text}</strong>"
                parts.append(text)
            elif isinstance(run, LineBreak):
                parts.append("<br>\n")
            elif isinstance(run, Link):
                url = html.escape(run.url)
                parts.append(f'<a href="{url}">{url}</a>')
            elif in_note or run.number not in self.notes.defined:
                parts.append(f"[^{run.number}]")  # as Markdown shows it
            else:
                parts.append(self.note_mark(run.number))
        return "".join(parts)

    def note_mark(self, number: int) -> str:
        self.notes.first(number)
        count = self.citations.get(number, 0)
        self.citations[number] = count + 1
        ident = f"fnref{number}" if count == 0 else f"fnref{number}:{count}"
        return f'<sup class="footnote-ref"><a href="#fn{number}" id="{ident}">{number}</a></sup>'

    def body(self) -> Iterator[str]:
        open_list: tuple[int, str] | None = None
        for block in self.source.blocks("Writing HTML"):
            if open_list is not None and not (isinstance(block, ListItem) and block.list_id == open_list[0]):
                yield f"</{open_list[1]}>\n"
                open_list = None
            if isinstance(block, Paragraph):
                yield f"<p>{self.runs(block.runs)}</p>\n"
            elif isinstance(block, ListItem):
                if open_list is None:
                    tag = "ul" if block.number is None else "ol"
                    open_list = (block.list_id, tag)
                    start = f' start="{block.number}"' if block.number not in (None, 1) else ""
                    yield f"<{tag}{start}>\n"
                paragraphs = [self.runs(runs) for runs in block.paragraphs]
                inner = paragraphs[0] if len(paragraphs) == 1 else "".join(f"<p>{text}</p>" for text in paragraphs)
                yield f"<li>{inner}</li>\n"
            elif isinstance(block, Heading):
                level = min(block.level, 6)
                annex = level == 2 and plain_text(block.runs) == self.source.annex_heading
                attributes = ' class="annex" id="annex"' if annex else ""
                yield f"<h{level}{attributes}>{self.runs(block.runs)}</h{level}>\n"
            elif isinstance(block, Rule):
                yield "<hr>\n"
        if open_list is not None:
            yield f"</{open_list[1]}>\n"

    def notes_section(self, heading: str) -> Iterator[str]:
        if not self.notes.cited:
            return
        yield f'<section class="footnotes">\n<h2 class="notes" id="notes">{html.escape(heading)}</h2>\n'
        yield '<ol class="footnotes-list">\n'
        expected = 1
        for number in self.notes.cited:
            value = "" if number == expected else f' value="{number}"'
            expected = number + 1
            count = self.citations[number]
            backrefs = [_backref(number, index, count) for index in range(count)]
            text = self.runs(self.source.notes[number], in_note=True)
            yield f'<li id="fn{number}" class="footnote-item"{value}><p>{text}{"".join(backrefs)}</p>\n</li>\n'
        yield "</ol>\n</section>\n"


def _backref(number: int, index: int, count: int) -> str:
    """A link back to a citation; a note cited several times gets one per citation: ↩ a b c."""
    target = f"fnref{number}" if index == 0 else f"fnref{number}:{index}"
    arrow = "\u21a9\ufe0e"  # ↩ as text, not as an emoji
    if count < 2:
        label = arrow
    else:
        letter = chr(ord("a") + index) if index < 26 else str(index + 1)
        label = f"{arrow} {letter}" if index == 0 else letter
    return f' <a href="#{target}" class="footnote-backref">{label}</a>'


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


def _figure(svg: str) -> str:
    """The timeline inline, without its XML declaration; it loads nothing, as the page may not."""
    if not svg:
        return ""
    inline = svg.split("?>", 1)[1].lstrip() if svg.startswith("<?xml") else svg
    return f'<figure class="timeline">\n{inline}</figure>\n'


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
    figure: str | Callable[[], str] = "",
    progress: Progress | None = None,
) -> Iterator[str]:
    """:func:`letter_page` in pieces, which a large letter's page is never joined from.

    ``figure`` may be a function that makes it: it is then made once the letter is written, so a
    large case's figure and letter are not both held while the letter is made.
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
    yield from _body_pieces(source, messages["heading.notes"])
    yield "</main>\n"
    yield _figure(figure() if callable(figure) else figure)
    yield "</body>\n</html>\n"
