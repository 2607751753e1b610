"""The ``casefile`` command: typer wiring only. Each module registers one group of commands.

Only typer is imported at start-up; every command imports what it needs when it runs, so
``casefile where`` does not pay for rich, Jinja2 or the TOML writer. Typer turns a function into
a click command by reading its signature and type hints, which costs about a millisecond per
command; the group does it only for the command that runs (and for all of them in ``--help``).
"""

# ruff: noqa: E402 (the imports after the SIGINT handler, which is set before typer's)
from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Any


def _interrupted_at_start(_signal: int, _frame: Any) -> None:
    os._exit(130)  # Ctrl-C while the command line is imported: as after it, no traceback


try:  # until this module is imported (the command, run by typer, turns Ctrl-C into exit status 130 itself)
    _handler_before_start: Any = signal.signal(signal.SIGINT, _interrupted_at_start)
except ValueError:  # imported outside the main thread
    _handler_before_start = None

import typer  # after the handler: importing it is most of start-up
from typer._click.exceptions import ClickException, UsageError
from typer.core import TyperGroup

from casefile import __version__
from casefile.cli._shared import FileOption, JsonOption, NoColorOption
from casefile.errors import CasefileError


class UserError(ClickException):
    """A :class:`CasefileError` on its way to the terminal: one line per problem, no traceback."""

    def __init__(self, error: CasefileError | OSError) -> None:
        if isinstance(error, CasefileError):
            from casefile.cli.messages import said_error

            message, self.exit_code = said_error(error), int(error.exit_code)
        else:
            from casefile.cli.messages import _
            from casefile.i18n import system_error

            said = system_error(error)
            filename = error.filename
            message = _("{place}: {message}").format(place=said, message=filename) if filename else said
            self.exit_code = 2
        super().__init__(message)

    def show(self, file: Any = None) -> None:
        """Print ``casefile: error: ...`` on stderr, once per line of the message (lines are
        split at newlines only; other control characters, from user text, are shown escaped),
        in the user's language."""
        from casefile.cli.messages import _
        from casefile.terminal import shown

        for line in self.message.rstrip("\n").split("\n"):
            typer.echo(_("casefile: error: {message}").format(message=shown(line)), err=True)


class _LazyCommands(dict[str, Any]):
    """The group's commands by name, each made into a click command the first time it is used."""

    def __init__(self, registry: typer.Typer, made: dict[str, Any], settings: dict[str, Any]) -> None:
        import typer.main

        super().__init__(made)
        self._pending: dict[str, Any] = {}
        for info in registry.registered_commands:
            assert info.callback is not None
            self._pending[info.name or typer.main.get_command_name(info.callback.__name__)] = info
        for group in registry.registered_groups:
            assert group.name, "casefile's sub-groups have names"
            self._pending[group.name] = group
        for name in self._pending:
            dict.__setitem__(self, name, None)
        self._settings = settings

    def _made(self, name: str) -> Any:
        command = dict.get(self, name)
        if command is None and name in self._pending:
            import typer.main

            info = self._pending.pop(name)
            if isinstance(info, typer.models.CommandInfo):
                command = typer.main.get_command_from_info(
                    info,
                    pretty_exceptions_short=self._settings["pretty_exceptions_short"],
                    rich_markup_mode=self._settings["rich_markup_mode"],
                )
            else:
                command = typer.main.get_group_from_info(info, **self._settings)
            _accept_no_color(command)
            _speak_the_user_language(command)
            from casefile.cli.completion import add_completion
            from casefile.cli.helptext import add_example

            add_example(name, command)
            add_completion(command)
            from casefile.cli.messages import translate_command

            translate_command(command)
            dict.__setitem__(self, name, command)
        return command

    def __getitem__(self, name: str) -> Any:
        if name not in self:
            raise KeyError(name)
        return self._made(name)

    def get(self, name: str, default: Any = None) -> Any:
        return self._made(name) if name in self else default

    def values(self) -> list[Any]:  # type: ignore[override]
        return [self._made(name) for name in self]

    def items(self) -> list[tuple[str, Any]]:  # type: ignore[override]
        return [(name, self._made(name)) for name in self]


def _speak_the_user_language(command: Any) -> None:
    """The command's usage line and help option in the user's language (see clickwords)."""
    from casefile.cli.clickwords import CasefileContext

    command.context_class = CasefileContext
    for sub in getattr(command, "commands", {}).values():
        _speak_the_user_language(sub)


def _set_no_color(ctx: Any, param: Any, value: bool) -> None:
    from casefile.cli._shared import GLOBAL

    GLOBAL.no_color = GLOBAL.no_color or value


def _accept_no_color(command: Any) -> None:
    """Let ``--no-color`` come after the command name too, on every command."""
    from typer.core import TyperOption as Option

    for sub in getattr(command, "commands", {}).values():
        _accept_no_color(sub)
    if not any(param.name == "no_color" for param in command.params):
        command.params.append(
            Option(
                param_decls=["--no-color"],
                is_flag=True,
                default=False,
                expose_value=False,
                is_eager=True,
                callback=_set_no_color,
                help="No colours, whatever the terminal says.",
            )
        )


#: Options of the whole program that may also be given after the command's name.
_GLOBAL_OPTIONS = ("--identity", "-i")


def _global_options_first(args: list[str]) -> list[str]:
    """``args`` with the global options (and their values) moved before the command's name."""
    moved: list[str] = []
    rest: list[str] = []
    position = 0
    while position < len(args):
        arg = args[position]
        if arg == "--":
            rest.extend(args[position:])
            break
        if arg in _GLOBAL_OPTIONS and position + 1 < len(args):
            moved.extend(args[position : position + 2])
            position += 2
            continue
        if arg.startswith("--identity="):
            moved.append(arg)
        else:
            rest.append(arg)
        position += 1
    return moved + rest


#: Where the command modules register their commands (see _LazyCommands).
_registry = typer.Typer()


class CasefileGroup(TyperGroup):
    """Turns the core's errors into user messages, for the real CLI and CliRunner alike."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        from casefile.cli.messages import setup, translate_root

        setup()  # the user's language, for this run
        translate_root(self)
        settings = {
            "pretty_exceptions_short": app.pretty_exceptions_short,
            "rich_markup_mode": app.rich_markup_mode,
            "suggest_commands": app.suggest_commands,
        }
        self.commands = _LazyCommands(_registry, dict(self.commands), settings)
        from casefile.cli.clickwords import CasefileContext

        self.context_class = CasefileContext

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except UsageError as error:
            raise _in_user_language(error) from None

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        for number, arg in enumerate(args, start=1):
            try:
                arg.encode("utf-8")
            except UnicodeEncodeError as error:  # bytes that are not UTF-8 reach Python as surrogates
                from casefile.cli.messages import _
                from casefile.errors import InvalidValue

                raise UserError(
                    InvalidValue(
                        _("argument {number} is not UTF-8 text (byte {byte} of it).").format(
                            number=number, byte=error.start + 1
                        )
                    )
                ) from None
        return super().parse_args(ctx, _global_options_first(args))

    def format_help(self, ctx: Any, formatter: Any) -> None:
        from casefile.cli.messages import translate_root

        translate_root(self)  # again: typer adds its completion options after __init__
        super().format_help(ctx, formatter)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The commands in panels by what they are for (Case, Records, Letter...)."""
        from casefile.cli.helptext import write_panels

        commands = [(name, self.get_command(ctx, name)) for name in self.list_commands(ctx)]
        write_panels(formatter, [(name, command) for name, command in commands if command and not command.hidden])

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (CasefileError, OSError) as error:
            if isinstance(error, BrokenPipeError):
                raise
            raise UserError(error) from None
        except UsageError as error:
            raise _in_user_language(error) from None


def _in_user_language(error: UsageError) -> UsageError:
    """Click's parsing error as click shows it, in the user's language (help requests pass as they are)."""
    from typer._click.exceptions import NoArgsIsHelpError

    from casefile.cli.clickwords import TranslatedUsageError

    if isinstance(error, (NoArgsIsHelpError, TranslatedUsageError)):
        return error
    return TranslatedUsageError(error)


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
    file: FileOption = None,
    json: JsonOption = False,
    no_color: NoColorOption = False,
    identity: Path | None = typer.Option(  # noqa: B008 (typer's way, like --version above)
        None,
        "--identity",
        "-i",
        help="The age identity that opens an encrypted case (default: $CASEFILE_IDENTITY, else `casefile keygen`'s).",
        show_default=False,
        dir_okay=False,
    ),
) -> None:
    """Keep a coalition's case history in one TOML file and write its letter of concern."""
    from casefile.cli._shared import GLOBAL
    from casefile.cli.keys import set_up
    from casefile.cli.progress import progress_bar
    from casefile.storage import reading

    GLOBAL.file, GLOBAL.json, GLOBAL.no_color = file, json, no_color
    set_up(identity)
    reading.progress_bar = progress_bar  # a bar on the first reading of a large case


def _register() -> None:
    from casefile.cli import (
        add,
        case,
        check,
        evidence,
        export,
        followup,
        git,
        items,
        keys,
        letter,
        status,
        timeline,
        transfer,
    )

    for module in (case, add, items, timeline, letter, check, evidence, followup, status, git, keys, export, transfer):
        module.register(_registry)
    from casefile.cli import translate

    translate.register(_registry)
    from casefile.cli import config

    config.register(_registry)


_register()
if _handler_before_start is not None:
    signal.signal(signal.SIGINT, _handler_before_start)


def main() -> None:
    """Entry point of the ``casefile`` script."""
    import gc

    # One command builds up to a few million objects and frees them at exit, none of them in a
    # reference cycle worth collecting: the cycle collector would only walk them, again and again.
    gc.disable()
    _open_standard_streams()
    try:
        app(prog_name="casefile")
    except SystemExit as exit:
        _leave(exit.code)
    _leave(0)


def _open_standard_streams() -> None:
    """Make a standard stream the caller closed (``<&-``, ``>&-``: Python leaves it None) read or
    write /dev/null, as git does: nothing to read, output that goes nowhere, and no file casefile
    opens later gets its number (a child process would write into it)."""
    for number, name in enumerate(("stdin", "stdout", "stderr")):
        if getattr(sys, name) is None:
            opened = os.open(os.devnull, os.O_RDONLY if number == 0 else os.O_WRONLY)
            if opened != number:
                os.dup2(opened, number)
                os.close(opened)
            setattr(sys, name, open(number, "r" if number == 0 else "w", encoding="utf-8", closefd=False))  # noqa: SIM115


def _leave(code: int | str | None) -> None:
    """Exit without tearing the interpreter down, which takes longer than most commands.

    Output is flushed and functions registered with :mod:`atexit` run, as at a normal exit;
    only the freeing of every module and object is skipped.
    """
    import atexit
    import os

    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    try:
        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:
        sys.exit(code)  # let Python report it as it would have
    os._exit(code or 0)
