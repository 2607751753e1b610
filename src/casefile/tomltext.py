"""The case file as TOML text: writing it in casefile's layout, and reading it with clear messages.

Writing: one ``[[array]]`` table per item, never an inline array (:func:`document_text`), and
multi-line strings unless some text holds a Windows line end (:func:`dumps`). Reading: a
syntax error names the file, line and column (:func:`parse_document`); whether the text has
comments, which a rewrite cannot keep (:func:`has_toml_comments`); and the line of the item a
validation problem is about (:func:`locate_problems`).

tomllib and tomli_w are imported only when used, so a command that takes the case from the
parse cache never loads them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casefile.errors import CaseFileSyntax, Problem
from casefile.files import sidecar

if TYPE_CHECKING:
    from casefile.model import Case


def has_crlf(value: object) -> bool:
    """Whether any text in a TOML value holds a Windows line end (CR LF)."""
    if isinstance(value, str):
        return "\r\n" in value
    if isinstance(value, dict):
        return any(has_crlf(item) for item in value.values())
    if isinstance(value, list):
        return any(has_crlf(item) for item in value)
    return False


def dumps(case: Case) -> str:
    """The case file's text for ``case``.

    Texts with several lines are written as multi-line strings, unless some text holds a
    Windows line end (CR LF): tomli_w turns that into LF in a multi-line string, so then every
    string is written on one line with escapes, which keeps the text exactly.
    """
    return encoded(case)[1]


def encoded(case: Case) -> tuple[dict[str, Any], str]:
    """The case's TOML document and the text :func:`dumps` writes for it."""
    from casefile.codec import encode

    document = encode(case)
    return document, document_text(document, multiline_strings=not has_crlf(document))


def is_array_of_tables(value: Any) -> bool:
    """Whether ``value`` is written as ``[[name]]`` tables: a list of tables, not empty."""
    return isinstance(value, list) and bool(value) and all(isinstance(entry, dict) for entry in value)


def item_text(array: str, table: Mapping[str, Any], *, multiline_strings: bool = True) -> str:
    """One item as its own ``[[array]]`` table (nested tables follow under it)."""
    import tomli_w

    text = tomli_w.dumps({array: table}, multiline_strings=multiline_strings)
    header = f"[{array}]\n"
    if not text.startswith(header):  # a table with no keys at all
        return f"[[{array}]]\n"
    return f"[[{array}]]\n{text[len(header) :]}"


def document_text(document: Mapping[str, Any], *, multiline_strings: bool = True) -> str:
    """TOML text with one ``[[array]]`` table per item, never an inline array of items.

    tomli_w writes a whole array inline when every table is short, so adding one long item
    would rewrite the lines of all the others; one table per item keeps diffs (and merges)
    to the lines of the item that changed.
    """
    import tomli_w

    head = {key: value for key, value in document.items() if not is_array_of_tables(value)}
    parts = [tomli_w.dumps(head, multiline_strings=multiline_strings)]
    for key, value in document.items():
        if is_array_of_tables(value):
            parts.extend(item_text(key, table, multiline_strings=multiline_strings) for table in value)
    return "\n".join(part.rstrip("\n") + "\n" for part in parts if part.strip())


def has_toml_comments(text: str) -> bool:
    """Whether any ``#`` in the text starts a comment (not inside a string)."""
    if "#" not in text:
        return False
    quote: str | None = None
    index = 0
    length = len(text)
    while index < length:
        char = text[index]
        if quote is None:
            if char == "#":
                return True
            for opener in ('"""', "'''", '"', "'"):
                if text.startswith(opener, index):
                    quote = opener
                    index += len(opener) - 1
                    break
        elif quote in ('"', '"""') and char == "\\":
            index += 1
        elif text.startswith(quote, index):
            index += len(quote) - 1
            # A multi-line string may end in one or two quotes of its own: """say "hi"""" ends at the last.
            extra = 0
            while len(quote) == 3 and extra < 2 and text.startswith(quote[0], index + 1):
                index += 1
                extra += 1
            quote = None
        elif char == "\n" and len(quote) == 1:
            quote = None
        index += 1
    return False


def parse_document(text: str, path: Path) -> dict[str, Any]:
    """Parse TOML text, turning a syntax error into a message with the file, line and column."""
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CaseFileSyntax(
            f"{path}: not valid TOML: {error}. Nothing was changed; fix that line by hand "
            f"(the previous version, if any, is {sidecar(path, '.bak')})."
        ) from None


_ARRAY_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*([A-Za-z0-9_-]+)[ \t]*\]\]", re.MULTILINE)
_PLACE = re.compile(r"^([a-z_]+)\[(\d+)\]")


def locate_problems(text: str, problems: tuple[Problem, ...]) -> list[Problem]:
    """Add the line of each item's ``[[header]]`` to problem places such as ``events[3].date``."""
    header_lines: dict[str, list[int]] = {}
    for match in _ARRAY_HEADER.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        header_lines.setdefault(match.group(1), []).append(line)
    located = []
    for problem in problems:
        place = _PLACE.match(problem.place)
        lines = header_lines.get(place.group(1), []) if place else []
        index = int(place.group(2)) - 1 if place else -1
        if 0 <= index < len(lines):
            located.append(Problem(f"line {lines[index]}: {problem.place}", problem.message))
        else:
            located.append(problem)
    return located
