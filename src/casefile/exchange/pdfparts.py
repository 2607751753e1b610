"""A long letter typeset in parts, whose pages are then put together into one PDF.

Typst lays out a whole document in memory, and keeps what it laid out until its process ends:
a 10,000-event letter (about 900 pages, 20,000 footnotes) took 20 s and 3.9 GiB at once, and a
100,000-event one did not finish in 6 GiB. So a letter longer than :data:`PART_SIZE` characters
of markup is typeset a part at a time, each in a child process of its own (which gives its
memory back when it ends), and the parts' pages are joined with pikepdf (qpdf).

The pages read as if the letter had been typeset at once. Each block (paragraph, heading, list
item) carries invisible markers, and Typst says on which page each block starts and ends. The
part's last page is dropped when a block goes on there from an earlier page, or when the part
stopped in the middle of it: the blocks from that page on start the next part, at the top of a
new page, as they would have. Page numbers go on from part to part; every footnote keeps the
letter's own number (Typst's footnote counter is set where needed), and a note cited again in
a later part is referred to by its number, raised, as the footnote's own mark is.

A joined PDF has no tagged structure (Typst's tags describe one document), so its parts are
typeset without tags; a letter of one part is the same single PDF as before. The same letter
gives the same bytes: Typst's output depends only on its input, and pikepdf writes no time or
random identifier.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from casefile.errors import MissingExtra, TemplateError
from casefile.exchange.officebase import LetterSource
from casefile.i18n import _
from casefile.letter.letterdoc import Block, Heading, ListItem, Paragraph

#: Characters of markup in one part: about 400 events with their notes, 250 MiB for Typst.
PART_SIZE = 250_000
INSTALL_HINT = "pip install 'casefile[office]'"

# Run in a child process: typeset one part read from stdin, never on disk; write the length of
# the JSON saying where each block starts and ends, a newline, that JSON, then the PDF's bytes.
# Typst's query needs its input as a file: the part goes to a private folder in memory (/dev/shm)
# where there is one, else the part is typeset twice from memory (compile, then query).
_CHILD = """
import os, shutil, sys, tempfile, typst
markup = sys.stdin.buffer.read()
folder = None
try:
    if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK):
        folder = tempfile.mkdtemp(prefix=f"casefile-pdf-{os.getpid()}-", dir="/dev/shm")
        path = os.path.join(folder, "part.typ")
        with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as file:
            file.write(markup)
        compiler = typst.Compiler(input=path, root=folder, ignore_system_fonts=True)
        data = compiler.compile(format="pdf", pdf_tags=False)
        pages = compiler.query("<cf-pages>", field="value", one=True)
    else:
        data = typst.compile(markup, format="pdf", pdf_tags=False, ignore_system_fonts=True)
        pages = typst.query(markup, "<cf-pages>", field="value", one=True, ignore_system_fonts=True)
except Exception as error:
    sys.stderr.write(str(error))
    sys.exit(3)
finally:
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
pages = pages.encode()
sys.stdout.buffer.write(b"%d\\n" % len(pages) + pages + data)
"""
#: Where a part's child process keeps the part while Typst reads it (``casefile-pdf-PID-...``).
MEMORY_FOLDER = "/dev/shm"


def remove_stale_parts(folder: str = MEMORY_FOLDER) -> None:
    """Remove the parts a child left in ``folder`` when it was killed (``kill -9``): letter text,
    in memory until the machine restarts. Only this user's, and only those whose process is gone."""
    import shutil

    try:
        names = [name for name in os.listdir(folder) if name.startswith("casefile-pdf-")]
    except OSError:
        return
    for name in names:
        path = os.path.join(folder, name)
        try:
            if os.lstat(path).st_uid != os.getuid():
                continue
            os.kill(int(name.split("-")[2]), 0)  # raises when no such process is left
        except ProcessLookupError:
            shutil.rmtree(path, ignore_errors=True)  # never follows a link
        except (OSError, ValueError, IndexError):
            continue  # another's, alive, or not named by a process


# Where each marked block starts and ends, and each footnote's text: (block or note, page) pairs.
_PAGES = (
    "#context [#metadata(("
    "query(<cf-start>).map(m => (m.value, m.location().page())), "
    "query(<cf-end>).map(m => (m.value, m.location().page())), "
    "query(<cf-note>).map(m => (m.value, m.location().page()))"
    "))<cf-pages>]\n"
)


def write_in_parts(source: LetterSource, blocks: Iterable[Block]) -> bytes:
    """The letter of ``blocks`` typeset a part at a time (see the module's description).

    Raises:
        MissingExtra: pikepdf (the ``office`` extra) is not installed.
        TemplateError: Typst could not typeset a part.
    """
    try:
        import pikepdf
    except ImportError:
        # pikepdf comes with Typst in the office extra: the message that says how to install it.
        message = _("PDF export needs Typst: install the office extra, {install_hint}")
        raise MissingExtra(message.format(install_hint=INSTALL_HINT)) from None

    from casefile.exchange.pdfjoin import PdfJoiner

    remove_stale_parts()

    earlier: set[int] = set()  # notes whose footnote is on a page already kept
    pages_kept = 0
    pending: list[Block] = []  # blocks read but not yet on a kept page
    remaining = iter(blocks)
    done = False
    # Nothing of the letter touches the disk before the output itself (the case may be encrypted).
    with io.BytesIO() as joined:
        output = PdfJoiner(joined)
        while pending or not done:
            markup, done = _next_part(source, pending, remaining, earlier, first_page=pages_kept + 1)
            data, places = _typeset(markup)
            with pikepdf.open(io.BytesIO(data)) as part:
                count = len(part.pages)
                first_cited: dict[int, int] = {}  # note -> the block of the part that cites it first
                for index, block in enumerate(pending):
                    for number in _cited(block, source):
                        if number not in earlier:
                            first_cited.setdefault(number, index)
                cut = None if done else _cut(places, first_cited, count)
                next_block, keep = cut if cut is not None else (len(pending), count)
                output.add(part, keep)
            # A footnote on a page kept is done, even one whose citation Typst moved on to the next page.
            earlier.update(number for number, index in first_cited.items() if index < next_block)
            earlier.update(number for number, page in places.notes.items() if page <= keep)
            del pending[:next_block]
            pages_kept += keep
        output.close()
        return joined.getvalue()


def _next_part(
    source: LetterSource, pending: list[Block], remaining: Iterator[Block], earlier: set[int], *, first_page: int
) -> tuple[str, bool]:
    """The markup of the next part: the blocks left over, then more read into ``pending`` until
    the part is long enough; and whether the letter has no blocks left to read."""
    from casefile.exchange.pdf import _Writer

    writer = _Writer(source, earlier=earlier, marked=True)
    pieces = [writer.head(first_page=first_page)]
    pieces += [writer.block(block, index) for index, block in enumerate(pending)]
    size = sum(map(len, pieces))
    done = False
    while size <= PART_SIZE:
        block = next(remaining, None)
        if block is None:
            done = True
            break
        pending.append(block)
        pieces.append(writer.block(block, len(pending) - 1))
        size += len(pieces[-1])
    pieces.append(_PAGES)
    return "".join(pieces), done


@dataclass(frozen=True, slots=True)
class _Places:
    """On what page (from 1) each block of a part starts and ends, and each footnote's text ends."""

    starts: dict[int, int]
    ends: dict[int, int]
    notes: dict[int, int]


def _typeset(markup: str) -> tuple[bytes, _Places]:
    """The part's PDF, and where its blocks and footnotes are (through pipes: no file on disk)."""
    from casefile.exchange.pdf import typst_message

    # -I: the child sees neither the environment's Python settings nor the current folder.
    child = subprocess.run(
        [sys.executable, "-I", "-c", _CHILD],
        input=markup.encode("utf-8"),
        capture_output=True,
        check=False,
        env={key: value for key, value in os.environ.items() if not key.startswith("PYTHON")},
    )
    if child.returncode != 0:
        said = child.stderr.decode("utf-8", "replace")
        message = typst_message(said)
        raise TemplateError(_("Typst could not typeset the letter: {message}").format(message=message))
    length, _newline, rest = child.stdout.partition(b"\n")
    size = int(length)
    found: Any = json.loads(rest[:size])
    data = rest[size:]
    starts = {int(block): int(page) for block, page in found[0]}
    ends = {int(block): int(page) for block, page in found[1]}
    notes: dict[int, int] = {}
    for number, page in found[2]:
        notes[int(number)] = max(notes.get(int(number), 0), int(page))
    return data, _Places(starts, ends, notes)


def _cut(places: _Places, first_cited: dict[int, int], pages: int) -> tuple[int, int] | None:
    """(the first block of the next part, the pages to keep), or None to keep the whole part.

    The cut goes before the first block on a page that no earlier block runs onto and that
    holds no footnote of a block before it: the last such page of the part, so that the next
    part starts there at the top of a page.
    """
    first_on: dict[int, int] = {}
    for index, page in sorted(places.starts.items()):
        first_on.setdefault(page, index)
    for page in range(pages, 1, -1):
        first = first_on.get(page)
        if not first:  # no block starts there, or the part's first one
            continue
        before = places.ends.get(first - 1)
        if before is None or before >= page:
            continue
        if all(first_cited.get(number, first) >= first for number, at in places.notes.items() if at >= page):
            return first, page - 1
    return None


def _cited(block: Block, source: LetterSource) -> Iterator[int]:
    """The notes a block cites (whose footnotes it holds, if it cites them first)."""
    from casefile.letter.letterdoc import NoteMark

    if isinstance(block, Heading | Paragraph):
        groups: tuple[Any, ...] = (block.runs,)
    elif isinstance(block, ListItem):
        groups = block.paragraphs
    else:
        return
    for runs in groups:
        for run in runs:
            if type(run) is NoteMark and run.number in source.notes:
                yield run.number
