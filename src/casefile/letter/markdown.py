"""Escaping user text for Markdown, so that it is always text and never structure.

A description that starts with ``#``, holds ``[^1]``, HTML tags or a line of ``---`` must come
out as those characters, not as a heading, a footnote, markup or a rule. Every ASCII character
that CommonMark or pandoc's Markdown give a meaning inline is backslash-escaped (both accept a
backslash before any ASCII punctuation), and so is anything that starts a block at the start
of a line.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from casefile.case.model import Source

_INLINE = re.compile(r"([\\`*_\[\]<>|~^$@&!{}#])")
_INLINE_CHARACTERS = frozenset("\\`*_[]<>|~^$@&!{}#")
# At a line start: headings, lists, quotes, rules, setext underlines, tables, ordered lists.
_LINE_START = re.compile(r"^([-+=:%>]|\d+[.)])")
_PLAIN_URL = r"(?:https?|ftp)://[^\s<>\"'`\\]+"
#: A plain web address, which the letter writes as an autolink (\Z: "$" would take in an address
#: ending with a line break, and the autolink would end the note's line).
SAFE_URL = re.compile(rf"^{_PLAIN_URL}\Z", re.IGNORECASE)
#: Plain web addresses, each followed by a line break (see :func:`each_matches`).
SAFE_URLS = re.compile(rf"(?:{_PLAIN_URL}\n)*", re.IGNORECASE)


class Markdown(str):
    """Text that is already Markdown (made by casefile, not typed by a user)."""

    __slots__ = ()


def _escape_line(line: str) -> str:
    return _escape_line_start(_INLINE.sub(r"\\\1", line.strip()))


def _escape_line_start(line: str) -> str:
    match = _LINE_START.match(line)
    if match:
        marker = match.group(1)
        line = (marker[:-1] + "\\" + marker[-1]) + line[len(marker) :]
    return line


# Anything that makes escaping do more than strip the text: a character to escape, or a line
# break (str.splitlines splits at each of these).
_NOT_PLAIN = re.compile(r"[\\`*_\[\]<>|~^$@&!{}#\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def escape_inline(text: str) -> Markdown:
    """User text as one Markdown line: escaped, line breaks turned into spaces."""
    if isinstance(text, Markdown):
        return text
    return Markdown(escape_text(str(text)))


def escape_text(text: str) -> str:
    """:func:`escape_inline` of a plain ``str``, as a plain ``str``.

    For the loops that write one line per event or source: it skips the checks and the copy
    into a :class:`Markdown` that escape_inline makes for each value.
    """
    first = _NOT_PLAIN.search(text)
    if first is None:
        stripped = text.strip()
        if _LINE_START.match(stripped) is None:
            return stripped  # most text only needs stripping
    elif first.group() not in _INLINE_CHARACTERS and _INLINE.search(text, first.end()) is None:
        # Only line breaks (paragraphs of a description): no line needs more than its start.
        return " ".join(_escape_line_start(line.strip()) for line in text.splitlines() if line.strip())
    return " ".join(_escape_line(line) for line in text.splitlines() if line.strip())


# escape_texts joins the texts with NUL before each and marks each line break inside them with
# SOH: neither is whitespace or a line break, so stripping and splitting lines stop at them.
# It looks for single characters (str's own search, many times faster than a regular
# expression's character class on a long text) and for patterns that start with one.
_ITEM, _BREAK = "\x00", "\x01"
_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_BACKSLASH_FIRST = "\\" + "".join(sorted(_INLINE_CHARACTERS - {"\\"}))
_AT_TEXT_START = re.compile(r"\x00(?:[-+=:%>]|\d+[.)])")
_AT_LINE_START = re.compile(r"\x01(?:[-+=:%>]|\d+[.)])")


def _escaped_start(match: re.Match[str]) -> str:
    marker = match.group()
    return marker[:-1] + "\\" + marker[-1]


def escape_texts(texts: list[str]) -> list[str]:
    """``[escape_text(text) for text in texts]``, made by a few passes over the texts joined.

    A large letter escapes tens of thousands of titles and descriptions: a pass over all of
    them costs far less than a few calls for each. Each text is stripped, each of its lines
    stripped and blank ones dropped, the lines joined with a space, every character that means
    something to Markdown escaped, then each line's start, as :func:`escape_text` does.
    """
    if len(texts) <= _AT_ONCE:
        return _escaped_together(texts)
    escaped: list[str] = []
    for start in range(0, len(texts), _AT_ONCE):
        escaped += _escaped_together(texts[start : start + _AT_ONCE])
    return escaped


#: How many texts are escaped together: a few hundred descriptions stay in the processor's
#: cache through every pass (all of a 100,000-event letter's at once would not, and cost more).
_AT_ONCE = 256


def _escaped_together(texts: list[str]) -> list[str]:
    if len(texts) < 2:
        return [escape_text(text) for text in texts]
    joined = _ITEM + _ITEM.join(map(str.strip, texts))
    if _BREAK in joined:  # a text holds SOH itself
        return [escape_text(text) for text in texts]
    if any(line_break in joined for line_break in _LINE_BREAKS):
        joined = _BREAK.join(filter(None, map(str.strip, joined.splitlines())))
    for character in _BACKSLASH_FIRST:  # the backslashes this adds are not escaped again
        if character in joined:
            joined = joined.replace(character, "\\" + character)
    joined = _AT_TEXT_START.sub(_escaped_start, joined)
    if _BREAK in joined:
        joined = _AT_LINE_START.sub(_escaped_start, joined).replace(_BREAK, " ")
    escaped = joined.split(_ITEM)[1:]
    # No pass adds or removes a NUL: one more piece than texts means a text holds NUL itself.
    return escaped if len(escaped) == len(texts) else [escape_text(text) for text in texts]


def escape_block(text: str) -> Markdown:
    """User text as Markdown paragraphs: blank lines between paragraphs are kept."""
    if isinstance(text, Markdown):
        return text
    paragraphs = re.split(r"\n\s*\n", str(text).strip())
    return Markdown("\n\n".join(escape_inline(paragraph) for paragraph in paragraphs if paragraph.strip()))


def link(url: str) -> Markdown:
    """A URL as an autolink when it is a plain web address, else as escaped text."""
    return Markdown(link_text(url))


def link_text(url: str) -> str:
    """:func:`link` as a plain ``str`` (see :func:`escape_text`)."""
    if SAFE_URL.match(url):
        return f"<{url}>"
    return escape_text(url)


def citation(parts: list[str]) -> str:
    """The parts of a note as sentences: "Title. Publisher. Date. <url>", without doubled stops ("Siempre!. ")."""
    text = ""
    for part in parts:
        if text:
            text += " " if text[-1] in ".!?" else ". "
        text += part
    text = text if text.endswith((">", ".", "!", "?")) else text + "."
    # A number alone first ("2017", a year) and its stop would start a numbered list: "2017\. ".
    return _escape_line_start(text) if text[0].isdecimal() else text


def plain_footnote_text(source: Source) -> str | None:
    """A source's footnote text when nothing in it depends on the language (no dates), else None."""
    if source.date is not None or source.archived_url or source.accessed is not None:
        return None
    parts = [escape_text(part) for part in (source.title, source.publisher) if part]
    if source.url:
        parts.append(link_text(source.url))
    return citation(parts)


def each_matches(repeated: re.Pattern[str], texts: list[str]) -> list[bool] | None:
    """Whether each text is a whole match of a pattern P, ``repeated`` being ``(?:P\\n)*``.

    One pass of the pattern over the texts joined, instead of a call for each: a large letter
    has tens of thousands of addresses, spread over a large heap, and the joined text is read
    in a row. The pattern stops at the first text that is not a match, which is passed over,
    and goes on after it. P must never match a line break; None when a text holds one.
    """
    joined = "\n".join(texts) + "\n" if texts else ""
    if joined.count("\n") != len(texts):
        return None
    matches: list[bool] = []
    at = 0
    while len(matches) < len(texts):
        end = repeated.match(joined, at).end()  # type: ignore[union-attr]  # it matches "" anywhere
        matches += [True] * joined.count("\n", at, end)
        if len(matches) < len(texts):
            at = end + len(texts[len(matches)]) + 1
            matches.append(False)
    return matches
