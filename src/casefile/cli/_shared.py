"""What every command shares: the --file option, loading the case, and printing."""

from __future__ import annotations

import datetime
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from casefile.case.dates import EdtfDate
    from casefile.letter.templatetrust import UserTemplates
    from casefile.storage.locate import Location
    from casefile.storage.store import Loaded

FileOption = Annotated[
    Path | None,
    typer.Option(
        "--file",
        "-f",
        help="The case file (default: $CASEFILE_FILE, else casefile.toml here or above, else the default case).",
        show_default=False,
        # No dir_okay=False: the store refuses a folder in one line, as it does a FIFO or a device.
    ),
]
TemplatesOption = Annotated[
    Path | None,
    typer.Option(
        "--templates",
        help="A folder of letter templates to use for this command (trusted for it).",
        show_default=False,
        file_okay=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts (a stable format).")]
NoColorOption = Annotated[bool, typer.Option("--no-color", help="No colours, whatever the terminal says.")]


@dataclass
class GlobalOptions:
    """``-f/--file``, ``--json`` and ``--no-color`` given before the command name.

    The root command sets them on every run (so a test runner that invokes the app many times
    starts afresh each time); an option given after the command name wins.
    """

    file: Path | None = None
    json: bool = False
    no_color: bool = False


GLOBAL = GlobalOptions()


def wants_json(json: bool) -> bool:
    """Whether the command should print JSON: ``--json`` after or before the command name."""
    return json or GLOBAL.json


def console() -> Any:
    """A rich console for tables: styled only on a terminal; --no-color or NO_COLOR (not empty): no styles at all
    (rich alone would still write bold and dim under NO_COLOR)."""
    import os

    from rich.console import Console

    return Console(color_system=None) if GLOBAL.no_color or os.environ.get("NO_COLOR") else Console()


AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", help="Count days up to this date, YYYY-MM-DD (default: today).", show_default=False),
]


def location(file: Path | None) -> Location:
    """Where the case file is, by the documented rules."""
    from casefile.storage.locate import locate

    return locate(file if file is not None else GLOBAL.file)


def load_case(file: Path | None) -> Loaded:
    """Load the case file chosen by --file and the documented rules."""
    from casefile.storage.store import load

    return load(location(file).path)


def as_of_day(text: str | None) -> datetime.date:
    """The --as-of day, or today."""
    if text is None:
        return datetime.date.today()
    from casefile.case.dates import parse_day

    return parse_day(text)


def date_or_none(text: str | None) -> EdtfDate | None:
    """Parse an optional EDTF date option."""
    if text is None:
        return None
    from casefile.case.dates import parse_date

    return parse_date(text)


def read_text_option(value: str | None) -> str | None:
    """``-`` means: read the text from standard input (UTF-8, at most 16 MiB)."""
    if value == "-":
        from casefile.errors import InvalidValue
        from casefile.storage.limits import MAX_STDIN_BYTES, utf8_text

        stream = getattr(sys.stdin, "buffer", None)
        if stream is None:  # a test runner's text stream
            return sys.stdin.read(MAX_STDIN_BYTES).rstrip("\n")
        data = stream.read(MAX_STDIN_BYTES + 1)
        if len(data) > MAX_STDIN_BYTES:
            from casefile.cli.messages import _

            raise InvalidValue(
                _("standard input holds more than {size} MiB of text.").format(size=MAX_STDIN_BYTES // (1 << 20))
            )
        return utf8_text(data, "standard input", error=InvalidValue).rstrip("\n")
    return value


def refuse_own_file(output: Path, case: Path) -> None:
    """Refuse an --output that is the case file or one of its own files (its .bak, lock, copies kept
    with comments, evidence copies; the plain name beside an encrypted case), also through a symbolic
    link: the letter would replace the case; or a folder."""
    from casefile.cli.messages import _
    from casefile.errors import InvalidValue
    from casefile.storage.files import resolved

    case, target = resolved(case), resolved(output)  # through links: one can lead to the case's files
    own = target.parent == case.parent and target.name.startswith(case.name.removesuffix(".age"))
    if own or target.is_relative_to(case.parent / "evidence"):  # the evidence copies too
        raise InvalidValue(
            _("{path} is the case file or one of its own files; choose another name.").format(path=output)
        )
    if target.is_dir():  # else the rename of the temporary file failed, and named that file
        raise InvalidValue(_("{path} is a folder, not a {what}.").format(path=output, what=_("file")))


def stdin_is_terminal() -> bool:
    """Whether a person can answer a question on standard input."""
    return sys.stdin.isatty()


def say(message: str) -> None:
    """A message for the person at the terminal (stderr, so stdout stays for data): one line,
    control characters in it (from user text) shown escaped."""
    from casefile.terminal import shown

    typer.echo(shown(message), err=True)


def print_json(value: Any) -> None:
    """JSON on stdout, keys in a stable order, non-ASCII kept readable."""
    import json

    typer.echo(json.dumps(value, ensure_ascii=False, indent=2))


def print_utf8(pieces: list[bytes | memoryview]) -> None:
    """A line of UTF-8 text, given in pieces, on stdout as ``typer.echo`` prints it.

    Written as it is, without decoding: a case's records can be a hundred megabytes.
    """
    stdout = sys.stdout
    if getattr(stdout, "encoding", "").lower().replace("-", "") == "utf8" and hasattr(stdout, "buffer"):
        stdout.flush()
        write = stdout.buffer.write
        for piece in pieces:
            write(piece)
        write(b"\n")
        stdout.buffer.flush()
    else:
        typer.echo(b"".join(pieces).decode("utf-8"))


def commit(path: Path, change: Any) -> Any:
    """Apply ``change`` to the case at ``path`` under the lock, say what the store noticed,
    and return what the change returned."""
    from casefile.storage.store import update

    updated = update(path, change)
    print_notices(updated.notices)
    return updated.result


def print_notices(notices: tuple[str, ...]) -> None:
    """Print what the store noticed (comments dropped, file upgraded)."""
    from casefile.cli.messages import _

    for notice in notices:
        say(_("casefile: note: {message}").format(message=notice))


def letter_templates(case_path: Path, *, template: Path | None = None, templates: Path | None = None) -> UserTemplates:
    """The templates a letter is rendered with; says once why a folder beside the case was not used."""
    from casefile.letter.templatetrust import choose

    chosen = choose(template=template, templates=templates, case_dir=case_path.parent)
    if chosen.ignored:
        from casefile.cli.messages import _

        say(_("casefile: note: {message}").format(message=chosen.ignored))
    return chosen
