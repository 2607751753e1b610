"""The letter's Markdown read back as blocks and runs, for the HTML, DOCX, ODT and PDF writers.

casefile writes the letter in a small part of Markdown: ATX headings, paragraphs with hard
line breaks, bullet and numbered lists whose items go on in indented lines, ``**bold**``,
footnote marks ``[^n]`` with one-line definitions ``[^n]: text``, autolinks ``<https://...>``
and backslash escapes, which is how user text arrives (:mod:`casefile.letter.markdown`
escapes every character that could mean something). Reading that part back here, rather
than handing the letter to pandoc, lets every writer keep the letter's own note numbers: a
note cited twice is one note, cited twice. Anything else a hand-edited template writes
comes through as plain text, never as markup.

Blocks are made one at a time (:func:`blocks`), so a 100,000-event letter is never held as a
tree; the notes (:class:`NoteTexts`) are found first, in one quick pass over the lines, and
each note's text is read when a writer asks for it. Here the lines are sorted into blocks;
:mod:`casefile.letter.runs` reads a block's text into runs. The HTML writer takes the blocks
with their lines (:func:`source_blocks`) and writes the common lines' HTML straight from them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import NamedTuple

from casefile.letter.runs import LineBreak, Link, NoteMark, Runs, Text, inline_runs, paragraph_runs, plain_text

# The runs are read in casefile.letter.runs; the writers take them from here, with the blocks.
__all__ = [
    "Block",
    "Heading",
    "ItemRun",
    "LineBreak",
    "Link",
    "ListItem",
    "NoteMark",
    "NoteTexts",
    "Paragraph",
    "Rule",
    "Runs",
    "SourceBlock",
    "Text",
    "blocks",
    "plain_text",
    "source_blocks",
    "source_blocks_and_runs",
]


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


# The same blocks before their text is read (a writer may read the lines its own way).
class HeadingSource(NamedTuple):
    level: int
    text: str


class ParagraphSource(NamedTuple):
    lines: Sequence[str]


class ListItemSource(NamedTuple):
    list_id: int
    number: int | None
    paragraphs: tuple[Sequence[str], ...]


SourceBlock = HeadingSource | ParagraphSource | ListItemSource | Rule


class ItemRun(NamedTuple):
    """Bullet items of the common shape, one after another in the list ``list_id`` whose item came
    just before (see :func:`source_blocks_and_runs`): ``lines`` are their lines.

    Each item is a line ``- **text**text`` with note marks ``[^n]`` at its end, then lines of text
    indented by two spaces; no text holds a Markdown mark but note marks (no ``\\ * _ < ` &``, and
    ``[`` only after the bold text), and no line has whitespace at its ends but a hard break's two
    spaces, so a writer can turn them into its own markup a line at a time, without reading them.
    """

    list_id: int
    lines: Sequence[str]


_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+|$)(.*?)(?:[ \t]+#+)?[ \t]*$")
_NOTE_DEFINITION = re.compile(r"^ {0,3}\[\^(\d+)\]:[ \t]?(.*)$")
# The same, for each line of a text of lines that start with "[^" or " [".
_NOTE_DEFINITIONS = re.compile(r"^ ?\[\^(\d+)\]:[ \t]?(.*)$", re.MULTILINE)
_BULLET = re.compile(r"^ {0,3}[-*+][ \t]+(.*)$")
_ORDERED = re.compile(r"^ {0,3}(\d{1,9})[.)][ \t]+(.*)$")
_RULE = re.compile(r"^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
_QUOTE = re.compile(r"^ {0,3}>[ \t]?")


class NoteTexts(Mapping[int, Runs]):
    """Each note's text by its number, from the ``[^n]: text`` lines (the first of a number wins).

    The definitions are found in one quick pass; a note's text is read into runs only when a
    writer asks for it, so the 20,000 notes of a large letter are never all held as runs.
    """

    def __init__(self, lines: Iterable[str]) -> None:
        self._texts: dict[int, str] = {}
        # The lines that may be definitions, read by one pattern together (a letter has thousands).
        candidates = "\n".join([line for line in lines if line.startswith(("[^", " ["))])
        for number, text in _NOTE_DEFINITIONS.findall(candidates):
            self._texts.setdefault(int(number), text)

    def source(self, number: int) -> str:
        """The note's text as the Markdown has it (one line)."""
        return self._texts[number]

    def __getitem__(self, number: int) -> Runs:
        return inline_runs(self._texts[number].strip())

    def __contains__(self, number: object) -> bool:
        return number in self._texts

    def __iter__(self) -> Iterator[int]:
        return iter(self._texts)

    def __len__(self) -> int:
        return len(self._texts)


def blocks(lines: Iterable[str]) -> Iterator[Block]:
    """The letter's blocks in order, note definitions left out (see :class:`NoteTexts`)."""
    for block in source_blocks(lines):
        if type(block) is ListItemSource:
            yield ListItem(block.list_id, block.number, tuple(paragraph_runs(lines) for lines in block.paragraphs))
        elif type(block) is ParagraphSource:
            yield Paragraph(paragraph_runs(block.lines))
        elif type(block) is HeadingSource:
            yield Heading(block.level, inline_runs(block.text))
        else:
            yield Rule()


def source_blocks(lines: Iterable[str]) -> Iterator[SourceBlock]:
    """:func:`blocks` with their text unread."""
    reader = _BlockReader()
    for raw in lines:
        line = raw.rstrip("\r")
        item = reader.item
        if item is not None and line.startswith("  ") and not line.isspace() and _goes_on(line):
            # An item's next line (most lines of a letter's lists), as reader.line reads it.
            if reader.blank_before:
                item[1].append([])
                reader.blank_before = False
            item[1][-1].append(_item_line(line))
            continue
        done = reader.line(line)
        if done:
            yield from done
    yield from reader.close()


# An item's first line: bold text and text without a Markdown mark (a class of literal characters
# only: with \s in it, a pattern reads a letter four times slower), then note marks, and no space
# at its end but a hard break's two (a writer would have to strip it).
_PLAIN_CHARACTERS = r"[^\n\r\\*_\[<`&]"
_FIRST_LINE = rf"- \*\*{_PLAIN_CHARACTERS}+\*\*{_PLAIN_CHARACTERS}*(?:\[\^\d+\])*(?<!\s)(?:  )?\n"
# A line that goes on with it: two spaces, a character that cannot start an item (a marker, a
# number) nor be stripped, any text (read at the speed of `.`; what it may not hold is looked for
# apart, see _item_run), no space at its end but a hard break's two.
_NEXT_LINE = r"  (?![-+\d\s]).*(?<!\s)(?:  )?\n"
_ITEM_RUN = re.compile(rf"(?:{_FIRST_LINE}(?:{_NEXT_LINE})*){{2,}}")
# What a line that goes on may not hold: Markdown marks (but note marks, read as a writer reads them).
_NOT_PLAIN = ("\\", "_", "<", "`", "&")
_STARRED_NEXT_LINE = re.compile(r"\n  [^\n*]*\*")
# Note definitions, one after another, as _BlockReader.line reads each (the notes are read apart):
# a line with more spaces before it is text, not a note.
_NOTE_RUN = re.compile(r"(?: ?\[\^\d+\]:[^\n]*\n)+")
#: How many lines are looked at for a run at once (a longer run is read in several).
RUN_WINDOW = 400


def source_blocks_and_runs(
    lines: Sequence[str], report: Callable[[int], None] | None = None
) -> Iterator[SourceBlock | ItemRun]:
    """:func:`source_blocks`, but the common bullet items after a list's first come as
    :class:`ItemRun` (most lines of a letter: its facts and its chronology), found with one pattern
    over a window of lines instead of line by line. ``report(lines_read)`` is told every 2,000 lines.

    A run starts where an item of a bullet list is open and the next line starts another item of
    the common shape: that line ends the open item, as :meth:`_BlockReader.line` would. The run's
    last item is left to the reader, as lines after the window (or a lazy line) may go on with it;
    every other item is ended by the next one's first line, so the run holds exactly their lines.
    """
    reader = _BlockReader()
    index, count, next_report = 0, len(lines), 0
    # Lines to look at for a run, looks in a row that found none, items to pass before looking again.
    window, misses, skip = RUN_WINDOW, 0, 0
    while index < count:
        if report is not None and index >= next_report:
            report(index)
            next_report = index + 2000
        line = lines[index].rstrip("\r")
        index += 1
        item = reader.item
        if item is not None:
            if line.startswith("  ") and not line.isspace() and _goes_on(line):  # as in source_blocks
                if reader.blank_before:
                    item[1].append([])
                    reader.blank_before = False
                item[1][-1].append(_item_line(line))
                continue
            if line.startswith("- **") and reader.list_kind is False and not skip:
                size = _item_run(lines, index - 1, window)
                # Where items are not common (a hostile text in each), look at fewer lines, less often:
                # looking costs as much as reading a few items line by line.
                window = min(RUN_WINDOW, 2 * size + 16)
                misses = 0 if size else min(2 * misses + 1, 64)
                skip = misses
                if size:
                    yield from reader.close()
                    yield ItemRun(reader.list_id, lines[index - 1 : index - 1 + size])
                    reader.blank_before = False
                    index += size - 1
                    continue
            elif skip and line.startswith("- "):
                skip -= 1
        elif line.startswith("[^"):
            notes = _NOTE_RUN.match("\n".join(lines[index - 1 : index - 1 + RUN_WINDOW]) + "\n")
            if notes is not None:  # the first ends what was open; the others change nothing
                yield from reader.line(line) or ()
                index += notes.group().count("\n") - 1
                continue
        done = reader.line(line)
        if done:
            yield from done
    yield from reader.close()
    if report is not None:
        report(count)


def _item_run(lines: Sequence[str], start: int, window: int) -> int:
    """How many of the ``window`` lines from ``start`` are common items (see :class:`ItemRun`), the
    last item left out: lines after the window, or a lazy line, may go on with it. 0: not two items."""
    text = "\n".join(lines[start : start + window]) + "\n"
    end = len(text)
    for mark in _NOT_PLAIN:  # the run ends before the item of a line holding one
        found = text.find(mark, 0, end)
        if found >= 0:
            end = found
    run = _ITEM_RUN.match(text, 0, end)
    if run is None:
        return 0
    end = text.rfind("\n- **", 0, run.end()) + 1  # every item before the last one that is whole
    if text.count("*", 0, end) != 4 * (text.count("\n- **", 0, end) + 1):  # a star in a line going on
        starred = _STARRED_NEXT_LINE.search(text, 0, end)
        end = text.rfind("\n- **", 0, starred.start() + 1) + 1 if starred is not None else 0
    return text.count("\n", 0, end)


def _goes_on(line: str) -> bool:
    """Whether an indented line goes on with an item rather than starting one (``  - x``, ``  2. x``)."""
    third = line[2]
    if third not in "-*+ " and not third.isdecimal():
        return True  # neither pattern can match: quicker than trying them
    return not _BULLET.match(line) and not _ORDERED.match(line)


class _BlockReader:
    """Reads lines one at a time and gives each block once its last line has been read."""

    __slots__ = ("blank_before", "item", "list_id", "list_kind", "paragraph")

    def __init__(self) -> None:
        self.paragraph: list[str] = []  # lines of the paragraph being read
        self.item: tuple[int | None, list[list[str]]] | None = None  # number and paragraphs of the current item
        self.list_id = 0
        self.list_kind: bool | None = None  # True: numbered, False: bullets, None: not in a list
        self.blank_before = False

    def close(self) -> list[SourceBlock]:
        """The paragraph or list item being read, ended."""
        done: list[SourceBlock] = []
        if self.paragraph:
            done.append(ParagraphSource(self.paragraph))
            self.paragraph = []
        if self.item is not None:
            number, paragraphs = self.item
            done.append(ListItemSource(self.list_id, number, tuple(lines for lines in paragraphs if lines)))
            self.item = None
        return done

    def line(self, line: str) -> list[SourceBlock] | None:
        """The blocks this line ends, if any."""
        if not line or line.isspace():
            self.blank_before = True
            if self.paragraph:
                done: list[SourceBlock] = [ParagraphSource(self.paragraph)]
                self.paragraph = []
                return done
            return None
        blank_before, self.blank_before = self.blank_before, False
        item = self.item
        if item is not None and line.startswith("  ") and _goes_on(line):
            if blank_before:
                item[1].append([])
            item[1][-1].append(_item_line(line))
            return None
        if line.startswith(("[^", " [")) and _NOTE_DEFINITION.match(line):
            self.list_kind = None
            return self.close()
        heading = _HEADING.match(line) if "#" in line[:4] else None
        marker = (_BULLET.match(line) or _ORDERED.match(line)) if heading is None else None
        if not self.paragraph and item is None and _RULE.match(line):
            self.list_kind = None
            return [Rule()]
        if heading is not None:
            done = self.close()
            self.list_kind = None
            done.append(HeadingSource(len(heading.group(1)), heading.group(2)))
            return done
        if marker is not None:
            done = self.close()
            numbered = marker.re is _ORDERED
            if self.list_kind is not numbered:
                self.list_id += 1
                self.list_kind = numbered
            number = int(marker.group(1)) if numbered else None
            self.item = (number, [[marker.group(marker.lastindex or 1)]])
            return done
        if item is not None and not blank_before:
            item[1][-1].append(_item_line(line))  # a lazy continuation
            return None
        if blank_before:
            self.list_kind = None
        quote = _QUOTE.match(line)
        if item is not None:
            done = self.close()  # the item; no paragraph is open beside an item
            self.paragraph.append(line[quote.end() :] if quote is not None else line)
            return done
        self.paragraph.append(line[quote.end() :] if quote is not None else line)  # the paragraph goes on
        return None


def _item_line(line: str) -> str:
    """A continuation line of a list item, its trailing spaces (a hard break) kept."""
    return line.lstrip() if line.endswith("  ") else line.strip()
