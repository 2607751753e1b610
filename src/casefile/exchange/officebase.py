"""What the DOCX, ODT and PDF writers share: the letter read once, XML text, fixed zip entries.

The three writers take a :class:`LetterSource`: the Markdown letter's lines with the facts
the document's metadata needs (title, date, language) and the heading before which the annex
starts a new page. Zip entries carry the letter's date as their time, so the same case and
``--as-of`` give the same bytes.
"""

from __future__ import annotations

import datetime
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from casefile.letter.letterdoc import Block, NoteTexts, SourceBlock, blocks, source_blocks

#: ``progress(stage, done, total)``: how far a long export is (total 0: not known). The CLI draws it.
Progress = Callable[[str, int, int], None]

# Characters XML 1.0 cannot hold (control characters other than tab and line breaks; lone surrogates;
# U+FFFE/U+FFFF): a description pasted from anywhere may carry them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_XML_SPECIAL = re.compile('[&<>"\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]')
_XML_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}


def xml_text(text: str) -> str:
    """``text`` for an XML element or attribute: escaped, characters XML cannot hold dropped."""
    if _XML_SPECIAL.search(text) is None:
        return text
    return _NOT_XML.sub("", text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


@dataclass(frozen=True, slots=True)
class LetterSource:
    """The Markdown letter and what a document of it needs beside its text."""

    lines: Sequence[str]
    title: str
    date: datetime.date
    language: str
    annex_heading: str
    notes: NoteTexts = field(default_factory=lambda: NoteTexts(()))
    progress: Progress | None = None

    @classmethod
    def of(
        cls,
        markdown: str | Sequence[str],
        *,
        title: str,
        date: datetime.date,
        language: str,
        annex_heading: str,
        progress: Progress | None = None,
    ) -> LetterSource:
        """``markdown``: the letter's text, or its lines."""
        lines = markdown.split("\n") if isinstance(markdown, str) else markdown
        return cls(lines, title, date, language, annex_heading, NoteTexts(lines), progress)

    def blocks(self, stage: str = "Writing the letter") -> Iterator[Block]:
        """The letter's blocks; each 2,000 lines read are reported to ``progress``, if there is one."""
        if self.progress is None:
            return blocks(self.lines)
        return blocks(_reported(self.lines, stage, self.progress))

    def source_blocks(self, stage: str = "Writing the letter") -> Iterator[SourceBlock]:
        """:meth:`blocks` with their text unread, for a writer that reads it its own way."""
        if self.progress is None:
            return source_blocks(self.lines)
        return source_blocks(_reported(self.lines, stage, self.progress))


def _reported(lines: Sequence[str], stage: str, progress: Progress) -> Iterator[str]:
    total = len(lines)
    for index, line in enumerate(lines):
        if index % 2000 == 0:
            progress(stage, index, total)
        yield line
    progress(stage, total, total)


class NoteCitations:
    """Which notes have been cited so far, so that a note cited again is referred to, not repeated.

    ``first(n)`` says whether this is the note's first citation and, if so, whether the
    document's automatic numbering gives it ``n`` (true when the letter numbers notes in the
    order they are first cited, as the built-in letter does); when it would not, the writers
    print ``n`` as the note's own mark, so every "see note n" in the text stays right.
    """

    def __init__(self, defined: Iterable[int]) -> None:
        self.defined = frozenset(defined)
        self.cited: list[int] = []
        self._seen: set[int] = set()
        self._automatic = 0

    def first(self, number: int) -> tuple[bool, bool]:
        """(first citation?, numbered automatically?)."""
        if number in self._seen:
            return False, False
        self._seen.add(number)
        self.cited.append(number)
        if number == self._automatic + 1:
            self._automatic += 1
            return True, True
        return True, False


def zip_entry(name: str, day: datetime.date, *, stored: bool = False) -> zipfile.ZipInfo:
    """A zip entry dated the letter's day (zip times start in 1980), permissions rw-r--r--."""
    moment = max(day, datetime.date(1980, 1, 1))
    info = zipfile.ZipInfo(name, date_time=(moment.year, moment.month, moment.day, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    info.create_system = 3
    info.external_attr = 0o644 << 16
    return info


def write_member(package: zipfile.ZipFile, info: zipfile.ZipInfo, pieces: Iterable[str]) -> None:
    """Write one member from text pieces, encoded as they come (a large letter is never joined)."""
    with package.open(info, "w") as handle:
        buffer: list[str] = []
        size = 0
        for piece in pieces:
            buffer.append(piece)
            size += len(piece)
            if size > 1 << 20:
                handle.write("".join(buffer).encode("utf-8"))
                buffer, size = [], 0
        handle.write("".join(buffer).encode("utf-8"))
