"""User text made safe for a terminal: control characters shown, never obeyed.

A title holding a newline would add a forged row to ``list``; an escape sequence could rewrite
the screen; a right-to-left override (U+202E) reorders what is shown. Every text a person reads
on a terminal or in plain or tab-separated output (``list``, ``show``, ``timeline``,
``conflicts``, ``status``, ``check``, ``verify``, ``where``, messages on stderr) goes through
:func:`shown`, which writes such characters as escapes: ``\\n``, ``\\r``, ``\\t``, ``\\x1b``,
``\\u202e``. The case file, exports and ``--json`` keep the text exactly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import chain

_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(code: int) -> str:
    char = chr(code)
    if char in _SHORT:
        return _SHORT[char]
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


#: C0 controls, DEL, C1 controls, the line and paragraph separators, and the bidirectional
#: embeddings, overrides and isolates (and marks), which reorder the text around them.
CONTROLS = (
    *range(0x00, 0x20),
    0x7F,
    *range(0x80, 0xA0),
    0x2028,
    0x2029,
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
    0x200E,
    0x200F,
    0x061C,
)
_TABLE = {code: _escape(code) for code in CONTROLS}
_FOUND = re.compile("[" + "".join(re.escape(chr(code)) for code in CONTROLS) + "]")


def shown(text: str) -> str:
    """``text`` with every control character written as an escape, so it stays on one line and
    changes nothing on the terminal."""
    return text.translate(_TABLE) if _FOUND.search(text) else text


def shown_fields(*fields: object) -> str:
    """Fields as one tab-separated line, each field :func:`shown` (a tab in a field is escaped)."""
    return "\t".join(shown(str(field)) for field in fields)


def shown_table(rows: Sequence[Sequence[str]]) -> str:
    """Rows as lines of tab-separated fields, each line ending in a newline and each field :func:`shown`.

    Every control character is unprintable, so when all the text of a large table is printable
    (one scan in C) its fields are joined as they are.
    """
    if "".join(chain.from_iterable(rows)).isprintable():
        return "".join(["\t".join(row) + "\n" for row in rows])
    return "".join([shown_fields(*row) + "\n" for row in rows])
