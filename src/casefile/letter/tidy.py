"""The letter's last touch: blank lines collapsed, headings set apart, one newline at the end."""

from __future__ import annotations

from collections.abc import Iterable


def tidy(text: str) -> str:
    """Collapse runs of blank lines, give headings blank lines around them, end with one newline.

    Only casefile's own lines can start with ``#``: user text is escaped.
    """
    return tidy_lines([text])


def split_lines(pieces: Iterable[str]) -> Iterable[str]:
    """The lines of ``"".join(pieces)``, as ``str.splitlines`` gives them, without joining them all."""
    carry = ""
    buffer: list[str] = []
    size = 0
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size >= 1 << 16:
            lines = (carry + "".join(buffer)).splitlines(keepends=True)
            # The last line may go on in the next piece (even after a \r, if a \n follows).
            carry = lines.pop() if lines else ""
            yield from "".join(lines).splitlines()
            buffer, size = [], 0
    yield from (carry + "".join(buffer)).splitlines()


def tidy_lines(pieces: Iterable[str]) -> str:
    """:func:`tidy` of the text made of ``pieces``.

    The tidied lines are joined in blocks as they come, and the text is stripped by stripping
    its first and last lines: a large letter is joined once, never held as a list of lines.
    """
    blocks: list[str] = []
    pending: list[str] = []  # the last lines, not yet in a block
    last: str | None = None  # the last line kept, as the rules see it (not yet stripped)
    for raw in split_lines(pieces):
        line = raw if raw.endswith("  ") and raw.strip() else raw.rstrip()
        if line.startswith("#") and last:
            pending.append(last := "")
        if line and last is not None and last.startswith("#"):
            pending.append(last := "")
        if not line and not last:
            continue
        # The text is stripped at the end: the first line it keeps loses its leading spaces.
        pending.append(line if last is not None else line.lstrip())
        last = line
        if len(pending) >= 4096:
            blocks.append("\n".join(pending[:-2]) + "\n")
            del pending[:-2]  # the rules never keep two blank lines in a row
    while pending and not pending[-1]:
        pending.pop()
    if not pending and not blocks:
        return "\n"
    if pending:
        pending[-1] = pending[-1].rstrip()
    blocks.append("\n".join(pending))
    blocks.append("\n")
    return "".join(blocks)
