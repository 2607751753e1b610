"""The ``casefile`` command: typer wiring only. Each module registers one group of commands.

Only typer is imported at start-up; every command imports what it needs when it runs, so
``casefile where`` does not pay for rich, Jinja2 or the TOML writer.
"""

from __future__ import annotations

import sys
from typing import Any

import typer
from typer._click.exceptions import ClickException
from typer.core import TyperGroup

from casefile import __version__
from casefile.errors import CasefileError


class UserError(ClickException):
    """A :class:`CasefileError` on its way to the terminal: one line per problem, no traceback."""

    def __init__(self, error: CasefileError | OSError) -> None:
        if isinstance(error, CasefileError):
            message, self.exit_code = error.message, int(error.exit_code)
        else:
            message, self.exit_code = f"{error.strerror or error}: {error.filename or ''}".rstrip(": "), 2
        super().__init__(message)

    def show(self, file: Any = None) -> None:
        """Print ``casefile: error: ...`` on stderr, once per line of the message."""
        for line in self.message.splitlines():
            typer.echo(f"casefile: error: {line}", err=True)


class CasefileGroup(TyperGroup):
    """Turns the core's errors into user messages, for the real CLI and CliRunner alike."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (CasefileError, OSError) as error:
            if isinstance(error, BrokenPipeError):
                raise
            raise UserError(error) from None


app = typer.Typer(
    name="casefile",
    cls=CasefileGroup,
    help=(
        "Keep a coalition's case history (events, demands, signatories) in one TOML file "
        "and write the OGP Response Policy letter of concern from it."
    ),
    no_args_is_help=True,
    rich_markup_mode=None,  # plain help: rich-formatted help more than doubles start-up time
    pretty_exceptions_show_locals=False,  # case files hold personal data
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"casefile {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Keep a coalition's case history in one TOML file and write its letter of concern."""


def _register() -> None:
    from casefile.cli import add, case, check, evidence, followup, items, letter, timeline

    for module in (case, add, items, timeline, letter, check, evidence, followup):
        module.register(app)


_register()


def main() -> None:
    """Entry point of the ``casefile`` script."""
    app(prog_name="casefile")
    sys.exit(0)
