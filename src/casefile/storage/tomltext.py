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
from collections.abc import Callable, Container, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from casefile.errors import CaseFileSyntax, Problem
from casefile.i18n import _
from casefile.storage.files import sidecar

if TYPE_CHECKING:
    from casefile.case.model import Case


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
    from casefile.case.codec import encode

    document = encode(case)
    return document_text(document, multiline_strings=not has_crlf(document))


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


from casefile.storage.limits import MAX_NESTING, not_utf8_message, other_encoding  # noqa: E402  (shared with the importers and the merge driver)

#: A line that may be an item's ``[[name]]`` header (UTF-8 never puts ASCII bytes inside a character).
_ITEM_HEADER = re.compile(rb"\n\[\[([A-Za-z0-9_-]+)\]\][ \t]*(?=\r?\n)")


#: Header-looking lines inside one item's strings tried one by one before doubling.
_STEPS = 64


class _NotAlone(Exception):
    """A piece of the file that is not valid TOML on its own (raised and caught here)."""


class Part(NamedTuple):
    """One item's table in the file: its array, where its bytes start and end (the blank lines after
    it too), and their :func:`item_digest`."""

    name: str
    start: int
    end: int
    digest: bytes


def item_digest(piece: bytes | memoryview, new: Callable[[bytes | memoryview], Any] | None = None) -> bytes:
    """The first 16 bytes of the SHA-256 of an item's bytes, without the line ends after it.

    Blank lines between items move when a neighbour is spliced in, so they are left out: what is
    hashed is exactly the item's table. ``new``: the SHA-256 to use (default: the one
    :func:`casefile.storage.cache.sha256` chooses for a piece this size).
    """
    end = len(piece)
    while end and piece[end - 1] == 10:  # LF, or CR LF: only whole line ends (a lone CR is not TOML)
        end -= 2 if end > 1 and piece[end - 2] == 13 else 1
    if new is None:
        from casefile.storage import cache

        new = cache.sha256
    digest: bytes = new(piece[:end]).digest()[:16]
    return digest


def parse_case(
    data: bytes,
    path: Path,
    known: Container[bytes] = (),
    *,
    known_comments: bool = True,
    joined: dict[bytes, int] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[dict[str, Any], list[Part] | None, bool]:
    """The document in ``data``, the part of the bytes each item came from, and whether it has comments.

    Each item's table is parsed on its own, from its ``[[name]]`` header line to the next
    one, and the document is the head (what comes before the first item) with the items
    appended in order: for a valid file that is what parsing it whole gives, because a piece
    that parses on its own ends outside any string, so the next one starts at a real header.
    A header-looking line inside a multi-line string makes a piece fail to parse: it is
    joined with the next. The parts are None when the layout is not one casefile writes
    (a table after the items, an item that is not alone in its piece, an array of items or of
    tables in the head such as ``events = [...]``): the file is then
    parsed whole, and a rewrite gives it casefile's layout.

    An item whose bytes hash to a digest in ``known`` (an earlier version's items) is not parsed
    and not in the document, only in the parts: the same bytes parse to the same table, and were
    the shortest piece that parses alone then as now. ``known_comments``: whether such items may
    hold comments. ``joined``: for the items that span several header-looking lines (a description
    holding ``[[events]]``), the digest of their first piece and how many pieces they span; the
    ones found are added. ``progress(done, total)`` is told how many bytes were read.
    """
    import hashlib
    import itertools

    from casefile.case.codec import ARRAYS

    headers = list(_ITEM_HEADER.finditer(data))
    starts, names = [match.start() + 1 for match in headers], [match[1].decode() for match in headers]
    if data.startswith(b"[["):
        starts.insert(0, 0)
        names.insert(0, "")  # not a header the pattern found: such an item is parsed
    bounds = [0, *starts, len(data)]  # the head, then each header-looking line, then the end
    index, head = _next_piece(data, bounds, 0, path)
    if head is not None and any(key in ARRAYS or is_array_of_tables(value) for key, value in head.items()):
        head = None  # tables written inline in the head (``events = [...]``): no part holds them
    document = dict(head) if head is not None else {}
    comments = has_comments(data, 0, bounds[index])
    parts: list[Part] = []
    view, new = memoryview(data), hashlib.sha256 if len(data) >= 1 << 20 else None  # see cache.sha256
    joined = {} if joined is None else joined
    # After an outside change most pieces are known items: their digests are taken all at once.
    firsts = [item_digest(view[start:end], new) for start, end in itertools.pairwise(bounds[1:])] if known else []
    while head is not None and index < len(bounds) - 1:
        start = bounds[index]
        if progress is not None and len(parts) % 1000 == 0:
            progress(start, len(data))
        end, digest = index + 1, firsts[index - 1] if firsts else None
        if digest in joined:  # an item over several header-looking lines is known by its first piece
            end = index + joined[digest]
            digest = item_digest(view[start : bounds[end]], new) if end < len(bounds) else None
        if digest is not None and digest in known and names[index - 1]:
            name, reading = names[index - 1], known_comments
        else:
            end, piece = _next_piece(data, bounds, index, path)
            name = _one_item(piece) if piece is not None else None
            if piece is None or name is None:
                break
            digest, reading = item_digest(view[start : bounds[end]], new), True
            if digest not in known:
                document.setdefault(name, []).append(piece[name][0])
            if end > index + 1:
                joined[item_digest(view[start : bounds[index + 1]], new)] = end - index
        if name in head:
            break
        parts.append(Part(name, start, bounds[end], digest))
        comments = comments or (reading and has_comments(data, start, bounds[end]))
        index = end
    else:
        if head is not None:
            return document, parts, comments
    # A layout casefile does not write: read the file whole.
    text = utf8_text(data, path)
    return parse_document(text, path), None, has_toml_comments(text)


def _next_piece(data: bytes, bounds: list[int], index: int, path: Path) -> tuple[int, dict[str, Any] | None]:
    """The shortest piece from the header ``index`` to a later one that parses on its own, and its end.

    A header-looking line inside a multi-line string makes the pieces that end inside that
    string fail: the next ends are tried one by one (then, past :data:`_STEPS`, by doubling, which
    may take in the next item too; the caller then reads the file whole). A piece that fails even
    when it runs to the end of the file means the file is not valid TOML: the error is reported
    for the first piece.
    """
    last = len(bounds) - 1
    end, step = index + 1, 1
    while True:
        end = min(end, last)
        try:
            return end, _loads(data, bounds[index], bounds[end], path, report=False)
        except _NotAlone:
            if end == last:
                _loads(data, bounds[index], bounds[index + 1], path)  # raises with the message
                return last, None  # pragma: no cover - the piece parses alone after all
        if end - index >= _STEPS:
            step *= 2
        end += step


def _one_item(piece: dict[str, Any]) -> str | None:
    """The array name of a piece that holds exactly one item's table, else None."""
    if len(piece) != 1:
        return None
    ((name, value),) = piece.items()
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], dict):
        return str(name)
    return None


def commented(data: bytes, starts: list[int]) -> bool:
    """Whether the file ``data``, whose items start at ``starts``, has comments (its parts one by one)."""
    import itertools

    return any(has_comments(data, start, end) for start, end in itertools.pairwise([0, *starts, len(data)]))


def has_comments(data: bytes, start: int, end: int) -> bool:
    """Whether ``data[start:end]`` (a part of the file: the head, or an item) has comments."""
    return data.find(b"#", start, end) != -1 and has_toml_comments(data[start:end].decode("utf-8", "replace"))


def _loads(data: bytes, start: int, end: int, path: Path, *, report: bool = True) -> dict[str, Any]:
    """``data[start:end]`` parsed by the compiled reader.

    Raises:
        _NotAlone: it is not valid TOML on its own, and not ``report``.
        CaseFileSyntax: it is not UTF-8 or not valid TOML, and ``report``: the message names the
            line in the whole file.
    """
    import rtoml

    try:
        text = str(memoryview(data)[start:end], "utf-8")
    except UnicodeDecodeError:
        if report:  # the bytes before this piece were read: the first that is not UTF-8 is in it
            utf8_text(data, path)
        raise _NotAlone from None
    try:
        value: dict[str, Any] = rtoml.loads(text)
        return value
    except (rtoml.TomlParsingError, ValueError, OverflowError):
        if not report:
            raise _NotAlone from None
    return parse_document(text, path, first_line=data.count(b"\n", 0, start) + 1)


def utf8_text(data: bytes, path: Path) -> str:
    """``data`` as text, or CaseFileSyntax naming the line and byte where it is not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CaseFileSyntax(not_utf8_message(data, error.start, path)) from None


def parse_document(text: str, path: Path, *, first_line: int = 1) -> dict[str, Any]:
    """Parse TOML text, turning a syntax error into a message with the file, line and column.

    ``first_line`` is the line of the whole file that ``text`` starts at.
    """
    import tomllib

    import rtoml

    try:
        document: dict[str, Any] = rtoml.loads(text)
        return document
    except (rtoml.TomlParsingError, ValueError, OverflowError) as error:
        if "recursion" in str(error):
            raise _too_deep(path) from None
        head = text[:512].encode("utf-8", "replace")
        if first_line == 1 and other_encoding(head):  # UTF-16 without its byte-order mark, of ASCII text
            raise CaseFileSyntax(not_utf8_message(head, 0, path)) from None
        # tomllib says where and why (or reads what the compiled reader does not, like big integers).
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = re.sub(r"line (\d+)", lambda match: f"line {int(match.group(1)) + first_line - 1}", str(error))
        raise CaseFileSyntax(
            _(
                "{path}: not valid TOML: {message}. Nothing was changed; fix that line by hand (the "
                "previous version, if any, is {sidecar})."
            ).format(path=path, message=message, sidecar=sidecar(path, ".bak"))
        ) from None
    except RecursionError:
        raise _too_deep(path) from None
    except ValueError:  # Python's own limit: it reads no whole number of more than 4,300 digits
        line = text.count("\n", 0, next(re.finditer(r"[0-9_]{4301,}|$", text)).start()) + first_line
        raise CaseFileSyntax(
            _(
                "{path}: line {line}: a number of more than 4,300 digits; casefile reads no longer ones. "
                "Nothing was changed."
            ).format(path=path, line=line)
        ) from None


def _too_deep(path: Path) -> CaseFileSyntax:
    return CaseFileSyntax(
        _(
            "{path}: arrays or tables are nested too deeply (more than {max_nesting} levels). Nothing was changed."
        ).format(path=path, max_nesting=MAX_NESTING)
    )


_ARRAY_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*([A-Za-z0-9_-]+)[ \t]*\]\]", re.MULTILINE)
_PLACE = re.compile(r"^([a-z_]+)\[(\d+)\]")
_CASE, _TABLE = re.compile(r"^[ \t]*\[[ \t]*case[ \t]*\]", re.MULTILINE), re.compile(r"^[ \t]*\[", re.MULTILINE)


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
            located.append(
                Problem(_("line {line}: {place}").format(line=lines[index], place=problem.place), problem.message)
            )
        elif (case := _CASE.search(text)) and (key := re.fullmatch(r"case\.([\w-]+).*", problem.place)):
            end = table.start() if (table := _TABLE.search(text, case.end())) else len(text)  # the [case] table
            at = re.compile(rf"^[ \t]*{key[1]}[ \t]*[=.]", re.MULTILINE).search(text, case.end(), end) or case
            line = text.count(chr(10), 0, at.start()) + 1
            located.append(Problem(_("line {line}: {place}").format(line=line, place=problem.place), problem.message))
        else:
            located.append(problem)
    return located
