"""What casefile will read: one place for the limits on every input file, and the helpers that apply them.

Case files, JSON and CSV imports and the merge driver's three versions are all read through
:func:`read_limited` and :func:`utf8_text`, so a device, a FIFO, a folder, an oversized file or
text that is not UTF-8 ends in one message naming the file, at once and without reading it all.
Parsed data nested deeper than :data:`MAX_NESTING` is refused with :func:`check_nesting`; a parser
that runs out of stack on such text is caught by :func:`parsing`.

The README's "Limits" section documents these numbers: change both together.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from casefile.errors import CasefileError, UnreadableInput
from casefile.i18n import N_, _, system_error

#: The files a message may name (translated where the message is made).
FILE_WORDS = (N_("file"), N_("case file"))

#: The largest file casefile reads (a case of 100,000 events is about 95 MB of TOML).
MAX_FILE_BYTES = 128 * 1024 * 1024
#: The most text an option given as ``-`` reads from standard input.
MAX_STDIN_BYTES = 16 * 1024 * 1024
#: How deep tables and lists may nest (a case file needs 5 levels; unknown keys get the rest).
MAX_NESTING = 64

_CHUNK = 1 << 20
_MIB = 1024 * 1024


def _size(count: int) -> str:
    return f"{count / _MIB:.0f} MiB" if count >= _MIB else f"{count} bytes"


def read_limited(
    path: Path, *, limit: int = MAX_FILE_BYTES, error: type[CasefileError] = UnreadableInput, what: str = "file"
) -> bytes:
    """The bytes of the regular file at ``path`` (a symbolic link to one is followed).

    The file's kind and size are checked before it is opened, and it is opened without blocking,
    so a FIFO, a device or a folder is refused without waiting or reading.

    Raises:
        ``error`` (default :class:`UnreadableInput`): missing, not a regular file, too large, unreadable.
    """
    try:
        status = os.stat(path)
    except FileNotFoundError:
        raise error(_("{path}: no such {what}.").format(path=path, what=_(what))) from None
    except PermissionError:
        raise error(_("{path}: cannot read the {what}: permission denied.").format(path=path, what=_(what))) from None
    except OSError as problem:
        raise error(
            _("{path}: cannot read the {what}: {value}.").format(path=path, what=_(what), value=system_error(problem))
        ) from None
    check_kind(path, status, limit, error, what)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags)
    except PermissionError:
        raise error(_("{path}: cannot read the {what}: permission denied.").format(path=path, what=_(what))) from None
    except OSError as problem:
        raise error(
            _("{path}: cannot read the {what}: {value}.").format(path=path, what=_(what), value=system_error(problem))
        ) from None
    with open(descriptor, "rb", buffering=0, closefd=True) as handle:
        status = os.fstat(descriptor)
        check_kind(path, status, limit, error, what)  # replaced between stat and open?
        pieces = []
        total = 0
        # A regular file is read in one call (no copies to join), one byte more to see it has not grown.
        while chunk := handle.read(min(max(_CHUNK, status.st_size + 1 - total), limit + 1 - total) or 1):
            pieces.append(chunk)
            total += len(chunk)
            if total > limit:
                raise error(
                    _("{path}: the {what} is larger than {size}, the most casefile reads.").format(
                        path=path, what=_(what), size=_size(limit)
                    )
                )
    return b"".join(pieces)


def check_kind(path: Path, status: os.stat_result, limit: int, error: type[CasefileError], what: str) -> None:
    if stat.S_ISDIR(status.st_mode):
        raise error(_("{path} is a folder, not a {what}.").format(path=path, what=_(what)))
    if not stat.S_ISREG(status.st_mode):
        raise error(
            _("{path} is not a regular file (a device, FIFO or socket): casefile reads only regular files.").format(
                path=path
            )
        )
    if status.st_size > limit:
        raise error(
            _("{path}: the {what} is {size}, larger than {size2}, the most casefile reads.").format(
                path=path, what=_(what), size=_size(status.st_size), size2=_size(limit)
            )
        )


def utf8_text(data: bytes, path: object, *, error: type[CasefileError] = UnreadableInput, bom: bool = False) -> str:
    """``data`` decoded as UTF-8 (a byte-order mark is dropped when ``bom``), or an error naming the
    line and byte of the first byte that is not UTF-8.

    A large input is checked piece by piece first, so a bad byte at its end costs no full copy.
    """
    if len(data) > 8 * _CHUNK:
        view = memoryview(data)
        start = 0
        while start < len(data):
            end = min(start + _CHUNK, len(data))
            while end < len(data) and end > start and 0x80 <= data[end] < 0xC0:
                end -= 1  # end each piece before a character, not inside one
            try:
                codecs.utf_8_decode(view[start:end], "strict", True)
            except UnicodeDecodeError as problem:
                raise _not_utf8(data, start + problem.start, path, error) from None
            start = end if end > start else start + _CHUNK
    try:
        return data.decode("utf-8-sig" if bom else "utf-8")
    except UnicodeDecodeError as problem:
        offset = 3 if bom and data.startswith(codecs.BOM_UTF8) else 0
        raise _not_utf8(data, problem.start + offset, path, error) from None


def _not_utf8(data: bytes, position: int, path: object, error: type[CasefileError]) -> CasefileError:
    return error(not_utf8_message(data, position, path))


def not_utf8_message(data: bytes, position: int, path: object) -> str:
    """What to say of a file that is not UTF-8 at byte ``position`` (counted from 0): the encoding it
    is in when that shows (UTF-16 or UTF-32, as Notepad and Excel save "Unicode"), else the line and
    byte, and in either case how to fix it."""
    encoding = other_encoding(data)
    if encoding is not None:
        return _(
            "{path} is saved as {encoding}, not as UTF-8, the only encoding casefile reads. Open it in a text "
            "editor and save it as UTF-8 (in Notepad: Save as, Encoding: UTF-8). Nothing was changed."
        ).format(path=path, encoding=encoding)
    line = data.count(b"\n", 0, position) + 1
    return _(
        "{path}: line {line} (byte {byte}): not UTF-8 text; the file seems saved in another encoding (Latin-1 "
        "or Windows-1252, say). Open it in a text editor and save it as UTF-8. Nothing was changed."
    ).format(path=path, line=line, byte=position + 1)


def other_encoding(data: bytes) -> str | None:
    """``"UTF-16"`` or ``"UTF-32"`` when ``data`` shows it is in one of them (a byte-order mark, or the
    zero bytes they put in text that is mostly ASCII, which UTF-8 text never holds); else None."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "UTF-32"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "UTF-16"
    head = data[:512]
    zeros = head.count(0)
    if zeros * 5 > len(head) * 3:  # three bytes of four
        return "UTF-32"
    return "UTF-16" if zeros * 5 > len(head) else None  # one byte of two


def nesting(value: object, *, limit: int = MAX_NESTING) -> int:
    """How deep lists and tables nest in ``value`` (a scalar is 0), counted up to ``limit + 1``."""
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        current, depth = stack.pop()
        if isinstance(current, dict):
            children: Iterable[object] = current.values()
        elif isinstance(current, list | tuple):
            children = current
        else:
            continue
        depth += 1
        deepest = max(deepest, depth)
        if deepest > limit:
            break
        stack.extend((child, depth) for child in children)
    return deepest


def check_nesting(
    value: object, path: object, *, limit: int = MAX_NESTING, error: type[CasefileError] = UnreadableInput
) -> None:
    """Refuse data whose lists and tables nest deeper than ``limit``."""
    if nesting(value, limit=limit) > limit:
        raise error(
            _("{path}: lists and tables nest more than {limit} deep; casefile reads no deeper.").format(
                path=path, limit=limit
            )
        )


@contextlib.contextmanager
def parsing(path: object, *, limit: int = MAX_NESTING, error: type[CasefileError] = UnreadableInput) -> Iterator[None]:
    """Turn a parser running out of stack (text nested thousands deep) into one message."""
    try:
        yield
    except RecursionError:
        raise error(
            _("{path}: lists and tables nest more than {limit} deep; casefile reads no deeper.").format(
                path=path, limit=limit
            )
        ) from None
    except MemoryError:
        raise error(_("{path}: the file needs more memory than casefile can give it.").format(path=path)) from None
    except ValueError as problem:
        if type(problem) is not ValueError:  # a parser's own error (JSONDecodeError...): the caller's
            raise
        # Python refuses to read a whole number of more than 4,300 digits (its own limit).
        raise error(
            _("{path}: a number of more than 4,300 digits; casefile reads no longer ones.").format(path=path)
        ) from None


_TOML_KEY = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')"""
#: A dotted key of more than MAX_NESTING parts (``a.b.c...``): tomllib takes time and memory that
#: grow with the square of its length (100,000 parts: minutes and gigabytes), so it is found first.
_LONG_DOTTED_KEY = re.compile(rf"\.(?:[ \t]*{_TOML_KEY}[ \t]*\.){{{MAX_NESTING - 1}}}")


def check_toml_keys(text: str, path: object, *, error: type[CasefileError] = UnreadableInput) -> None:
    """Refuse TOML text with a dotted key of more than :data:`MAX_NESTING` parts, before parsing it.

    (The check looks at the text, not at the TOML: a string holding 64 dotted words is refused too.)
    """
    found = _LONG_DOTTED_KEY.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        raise error(
            _("{path}: line {line}: a dotted key of more than {max_nesting} parts; casefile reads no deeper.").format(
                path=path, line=line, max_nesting=MAX_NESTING
            )
        )
