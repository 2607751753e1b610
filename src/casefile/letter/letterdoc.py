"""The letter's Markdown read back as blocks and runs, for the DOCX, ODT and PDF writers.

casefile writes the letter in a small part of Markdown: ATX headings, paragraphs with hard
line breaks, bullet and numbered lists whose items go on in indented lines, ``**bold**``,
footnote marks ``[^n]`` with one-line definitions ``[^n]: text``, autolinks ``<https://...>``
and backslash escapes, which is how user text arrives (:mod:`casefile.letter.markdown`
escapes every character that could mean something). Reading that part back here, rather
than handing the letter to pandoc, lets every writer keep the letter's own note numbers: a
note cited twice is one note, cited twice. Anything else a hand-edited template writes
comes through as plain text, never as markup.

Blocks are made one at a time (:func:`blocks`), so a 100,000-event letter is never held as a
tree; the note texts (:func:`note_texts`) are read first, in one pass over the lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple


class Text(NamedTuple):
    """A run of text; ``bold`` and ``italic`` as the Markdown marks them."""

    text: str
    bold: bool = False
    italic: bool = False


class NoteMark(NamedTuple):
    """A footnote mark: the note's number in the Markdown letter."""

    number: int


class Link(NamedTuple):
    """A web address shown as itself."""

    url: str


class LineBreak(NamedTuple):
    """A hard line break inside a paragraph."""


Inline = Text | NoteMark | Link | LineBreak
Runs = tuple[Inline, ...]


class Heading(NamedTuple):
    level: int
    runs: Runs


class Paragraph(NamedTuple):
    runs: Runs


class ListItem(NamedTuple):
    """One item of a list: ``number`` is None in a bullet list; ``list_id`` tells lists apart."""

    list_id: int
    number: int | None
    paragraphs: tuple[Runs, ...]


class Rule(NamedTuple):
    """A thematic break (``---``)."""


Block = Heading | Paragraph | ListItem | Rule

_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+|$)(.*?)(?:[ \t]+#+)?[ \t]*$")
_NOTE_DEFINITION = re.compile(r"^ {0,3}\[\^(\d+)\]:[ \t]?(.*)$")
_BULLET = re.compile(r"^ {0,3}[-*+][ \t]+(.*)$")
_ORDERED = re.compile(r"^ {0,3}(\d{1,9})[.)][ \t]+(.*)$")
_RULE = re.compile(r"^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
_QUOTE = re.compile(r"^ {0,3}>[ \t]?")
# What makes a run more than plain text: an escape, an emphasis mark, a note mark, an autolink.
_SPECIAL = re.compile(r"[\\*_\[<`&]")
_TOKEN = re.compile(
    r"\\([!-/:-@\[-`{-~])"  # an escaped ASCII punctuation character
    r"|(\*\*|__)"  # bold on or off
    r"|(\*|_)"  # italic on or off
    r"|\[\^(\d+)\]"  # a note mark
    r"|<((?:https?|ftp)://[^\s<>]*|mailto:[^\s<>]*)>"  # an autolink
    r"|`([^`]+)`"  # code, shown as text
)
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&nbsp;": "\u00a0"}
_ENTITY = re.compile("|".join(map(re.escape, _ENTITIES)))


def note_texts(lines: Iterable[str]) -> dict[int, Runs]:
    """Each note's text by its number, from the ``[^n]: text`` lines (the first of a number wins)."""
    notes: dict[int, Runs] = {}
    for line in lines:
        if line.startswith("[^") or line.startswith(" ["):
            match = _NOTE_DEFINITION.match(line)
            if match is not None:
                notes.setdefault(int(match.group(1)), inline_runs(match.group(2).strip()))
    return notes


def inline_runs(text: str) -> Runs:
    """One paragraph's Markdown (line breaks as ``\\n``, hard ones after two spaces) as runs."""
    if "\n" in text:
        runs: list[Inline] = []
        lines = text.split("\n")
        for index, line in enumerate(lines):
            last = index == len(lines) - 1
            hard = not last and (line.endswith("  ") or (line.endswith("\\") and not line.endswith("\\\\")))
            piece = line.strip() if not line.endswith("\\") or last else line[:-1].strip()
            runs.extend(_line_runs(piece))
            if not last:
                runs.append(LineBreak() if hard else Text(" "))
        return _merged(runs)
    return _merged(_line_runs(text.strip()))


def _line_runs(text: str) -> list[Inline]:
    if _SPECIAL.search(text) is None:
        return [Text(text)] if text else []
    runs: list[Inline] = []
    bold = italic = False
    position = 0
    for match in _TOKEN.finditer(text):
        if match.start() > position:
            runs.append(Text(_entities(text[position : match.start()]), bold, italic))
        position = match.end()
        escaped, strong, emphasis, note, url, code = match.groups()
        if escaped is not None:
            runs.append(Text(escaped, bold, italic))
        elif strong is not None:
            bold = not bold
        elif emphasis is not None:
            # An underscore inside a word is a character, as in CommonMark.
            inside_word = emphasis == "_" and _word_on_both_sides(text, match.start(), match.end())
            if inside_word:
                runs.append(Text("_", bold, italic))
            else:
                italic = not italic
        elif note is not None:
            runs.append(NoteMark(int(note)))
        elif url is not None:
            runs.append(Link(url))
        else:
            runs.append(Text(code, bold, italic))
    if position < len(text):
        runs.append(Text(_entities(text[position:]), bold, italic))
    return runs


def _word_on_both_sides(text: str, start: int, end: int) -> bool:
    return start > 0 and end < len(text) and text[start - 1].isalnum() and text[end].isalnum()


def _entities(text: str) -> str:
    return _ENTITY.sub(lambda match: _ENTITIES[match.group()], text) if "&" in text else text


def _merged(runs: Sequence[Inline]) -> Runs:
    """Neighbouring text runs of the same style as one run."""
    merged: list[Inline] = []
    for run in runs:
        if type(run) is Text and merged:
            previous = merged[-1]
            if type(previous) is Text and previous.bold == run.bold and previous.italic == run.italic:
                merged[-1] = Text(previous.text + run.text, run.bold, run.italic)
                continue
        if type(run) is Text and not run.text:
            continue
        merged.append(run)
    return tuple(merged)


def blocks(lines: Iterable[str]) -> Iterator[Block]:
    """The letter's blocks in order, note definitions left out (see :func:`note_texts`)."""
    reader = _BlockReader()
    for raw in lines:
        yield from reader.line(raw.rstrip("\r"))
    yield from reader.end_paragraph()
    yield from reader.end_item()


class _BlockReader:
    """Reads lines one at a time and gives each block once its last line has been read."""

    def __init__(self) -> None:
        self.paragraph: list[str] = []  # lines of the paragraph being read
        self.item: tuple[int | None, list[list[str]]] | None = None  # number and paragraphs of the current item
        self.list_id = 0
        self.list_kind: bool | None = None  # True: numbered, False: bullets, None: not in a list
        self.blank_before = False

    def end_paragraph(self) -> Iterator[Block]:
        if self.paragraph:
            yield Paragraph(inline_runs("\n".join(self.paragraph)))
            self.paragraph.clear()

    def end_item(self) -> Iterator[Block]:
        if self.item is not None:
            number, paragraphs = self.item
            texts = tuple(inline_runs("\n".join(lines)) for lines in paragraphs if lines)
            yield ListItem(self.list_id, number, texts)
            self.item = None

    def line(self, line: str) -> Iterator[Block]:
        if not line.strip():
            yield from self.end_paragraph()
            self.blank_before = True
            return
        blank_before, self.blank_before = self.blank_before, False
        item = self.item
        if item is not None and line.startswith("  ") and not _BULLET.match(line) and not _ORDERED.match(line):
            if blank_before:
                item[1].append([])
            item[1][-1].append(_item_line(line))
            return
        if line.startswith(("[^", " [")) and _NOTE_DEFINITION.match(line):
            yield from self.end_paragraph()
            yield from self.end_item()
            self.list_kind = None
            return
        heading = _HEADING.match(line) if "#" in line[:4] else None
        marker = (_BULLET.match(line) or _ORDERED.match(line)) if heading is None else None
        if not self.paragraph and item is None and _RULE.match(line):
            yield Rule()
            self.list_kind = None
        elif heading is not None:
            yield from self.end_paragraph()
            yield from self.end_item()
            self.list_kind = None
            yield Heading(len(heading.group(1)), inline_runs(heading.group(2)))
        elif marker is not None:
            yield from self.end_paragraph()
            yield from self.end_item()
            numbered = marker.re is _ORDERED
            if self.list_kind is not numbered:
                self.list_id += 1
                self.list_kind = numbered
            number = int(marker.group(1)) if numbered else None
            self.item = (number, [[marker.group(marker.lastindex or 1)]])
        elif item is not None and not blank_before:
            item[1][-1].append(_item_line(line))  # a lazy continuation
        else:
            yield from self.end_item()
            if blank_before:
                self.list_kind = None
            quote = _QUOTE.match(line)
            self.paragraph.append(line[quote.end() :] if quote is not None else line)


def _item_line(line: str) -> str:
    """A continuation line of a list item, its trailing spaces (a hard break) kept."""
    return line.lstrip() if line.endswith("  ") else line.strip()


def plain_text(runs: Runs) -> str:
    """The runs' text, note marks left out (a heading's text, a document's title)."""
    parts = []
    for run in runs:
        if type(run) is Text:
            parts.append(run.text)
        elif type(run) is Link:
            parts.append(run.url)
        elif type(run) is LineBreak:
            parts.append(" ")
    return "".join(parts).strip()
