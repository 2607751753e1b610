"""One paragraph of the letter's Markdown as runs: text (bold, italic), note marks, links, breaks.

The letter's inline Markdown is small (see :mod:`casefile.letter.letterdoc`): ``**bold**``,
``*italic*``, note marks ``[^n]``, autolinks ``<https://...>``, backslash escapes and a few
entities; anything else is text. Most lines of a letter have one of two shapes: an optional
``**bold**`` date, plain text, then note marks (a fact's first line, a sentence citing notes),
or plain text before an autolink (a note's text). :func:`line_shape` reads those with one
pattern; any other line is read token by token, and the two readings agree (tests check it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
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

# An autolink: a web or mail address between angle brackets, its scheme in any case, as the letter
# writes them (casefile.letter.markdown.SAFE_URL) and CommonMark reads them: <HTTPS://...>.
_AUTOLINK = r"<((?i:https?|ftp)://[^\s<>]*|(?i:mailto):[^\s<>]*)>"
# What makes a run more than plain text: an escape, an emphasis mark, a note mark, an autolink,
# code, an entity (each token of _TOKEN starts with one of them).
_MARKUP = "\\*_[<`&"
_TOKEN = re.compile(
    r"\\([!-/:-@\[-`{-~])"  # an escaped ASCII punctuation character
    r"|(\*\*|__)"  # bold on or off
    r"|(\*|_)"  # italic on or off
    r"|\[\^(\d+)\]"  # a note mark
    rf"|{_AUTOLINK}"  # an autolink
    r"|`([^`]+)`"  # code, shown as text
)
# Text holding none of them, so no token inside it.
_PLAIN = f"[^{re.escape(_MARKUP)}]*"
# The common shapes: [**bold**] plain, then an autolink or note marks (none, one or several).
_SHAPE = re.compile(rf"(?:\*\*({_PLAIN})\*\*)?({_PLAIN})(?:{_AUTOLINK}|((?:\[\^\d+\])*))")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&nbsp;": "\u00a0"}
_ENTITY = re.compile("|".join(map(re.escape, _ENTITIES)))

#: How the lines of a paragraph are joined: a hard break, or a space.
BREAK = LineBreak()
SPACE = Text(" ")


def inline_runs(text: str) -> Runs:
    """One paragraph's Markdown (line breaks as ``\\n``, hard ones after two spaces) as runs."""
    if "\n" in text:
        return paragraph_runs(text.split("\n"))
    return tuple(_line_runs(text.strip()))


def line_piece(line: str, last: bool) -> tuple[str, Inline | None]:
    """A paragraph's line as its text and what joins it to the next line (None for the last one):
    a hard break after two spaces or a backslash, else a space."""
    if last:
        return line.strip(), None
    if line.endswith("\\"):
        return line[:-1].strip(), SPACE if line.endswith("\\\\") else BREAK
    return line.strip(), BREAK if line.endswith("  ") else SPACE


def paragraph_runs(lines: Sequence[str]) -> Runs:
    """The runs of a paragraph's lines (as :func:`inline_runs` of the lines joined by ``\\n``)."""
    runs: list[Inline] = []
    last = len(lines) - 1
    for index, line in enumerate(lines):
        piece, after = line_piece(line, index == last)
        _extend(runs, _line_runs(piece))
        if after is not None:
            _extend(runs, [after])
    return tuple(runs)


def line_shape(text: str) -> tuple[str, str, str, str] | None:
    """A line's text as ``(bold, plain, url, marks)`` when it has a common shape (see the module's
    documentation; ``url`` or ``marks`` is empty, marks are read by :func:`mark_numbers`), else None."""
    if not _has_markup(text):
        return "", text, "", ""
    shape = _SHAPE.fullmatch(text)
    if shape is None:
        return None
    strong, plain, url, marks = shape.groups("")
    return strong, plain, url, marks


def mark_numbers(marks: str) -> list[int]:
    """The numbers of note marks ``[^1][^2]`` (as :func:`line_shape` found them)."""
    return [int(number) for number in marks[2:-1].split("][^")] if marks else []


def _has_markup(text: str) -> bool:
    """Whether ``text`` holds a character of ``_MARKUP`` (five times quicker than a pattern's search)."""
    return "\\" in text or "*" in text or "_" in text or "[" in text or "<" in text or "`" in text or "&" in text


def _line_runs(text: str) -> list[Inline]:
    """One line's runs, merged (see :func:`_merged`)."""
    shape = line_shape(text)
    if shape is None:
        return _tokens_runs(text)
    strong, plain, url, marks = shape
    runs: list[Inline] = [Text(strong, True)] if strong else []
    if plain:
        runs.append(Text(plain))
    if url:
        runs.append(Link(url))
    elif marks:
        runs.extend([NoteMark(number) for number in mark_numbers(marks)])
    return runs


def _tokens_runs(text: str) -> list[Inline]:
    """Any line's runs, token by token (what :func:`line_shape` must agree with)."""
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
    return _merged(runs)


def _word_on_both_sides(text: str, start: int, end: int) -> bool:
    return start > 0 and end < len(text) and text[start - 1].isalnum() and text[end].isalnum()


def _entities(text: str) -> str:
    return _ENTITY.sub(lambda match: _ENTITIES[match.group()], text) if "&" in text else text


def _merged(runs: Sequence[Inline]) -> list[Inline]:
    """Neighbouring text runs of the same style as one run, empty ones left out."""
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
    return merged


def _extend(runs: list[Inline], more: list[Inline]) -> None:
    """``runs`` followed by ``more``, both merged: only where they meet may two runs merge."""
    if not more:
        return
    first = more[0]
    if runs and type(first) is Text:
        previous = runs[-1]
        if type(previous) is Text and previous.bold == first.bold and previous.italic == first.italic:
            runs[-1] = Text(previous.text + first.text, first.bold, first.italic)
            runs.extend(more[1:])
            return
    runs.extend(more)


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
