"""Click's own words in the user's language: the usage line and the errors of parsing.

Typer's copy of click writes ``Usage:``, ``Try '... --help' for help.``, ``Error:`` and its
parsing errors ("Missing option", "No such option"...) as English f-strings, not through
gettext. casefile's group hands its contexts a formatter that translates the usage line, and
re-phrases each parsing error from its parts (which parameter, which value) with the
catalogue's sentences. Typer's own words ("Options", "No such command"...) go through gettext
already (see :func:`casefile.cli.messages.setup`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import IO, Any

from typer._click.core import Context
from typer._click.exceptions import BadParameter, MissingParameter, NoSuchOption, UsageError
from typer._click.formatting import HelpFormatter
from typer._click.utils import _escape_control_characters, echo

from casefile.i18n import N_, _

#: Click's sentences casefile shows, as English text pattern → catalogue sentence.
_SENTENCES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        # typer's click writes "argument(s)", click "argument" or "arguments"; the words are
        # given back as one string, so their count is not known: the sentence does without it.
        re.compile(r"Got unexpected extra argument(?:s|\(s\))? \((?P<arguments>.*)\)", re.S),
        N_("Too many arguments (extra: {arguments})"),
    ),
    (re.compile(r"Option (?P<option>'[^']*') requires an argument\."), N_("Option {option} requires an argument.")),
    (
        re.compile(r"Option (?P<option>'[^']*') requires (?P<count>\d+) arguments\."),
        N_("Option {option} requires {count} arguments."),
    ),
    (re.compile(r"Option (?P<option>'[^']*') does not take a value\."), N_("Option {option} does not take a value.")),
    (re.compile(r"(?P<value>.*) is not one of (?P<choices>.*)\.", re.S), N_("{value} is not one of {choices}.")),
    (re.compile(r"(?P<value>.*) is not a valid (?P<kind>[a-z ]+)\.", re.S), N_("{value} is not a valid {kind}.")),
    (
        re.compile(r"(?P<value>.*) is not in the range (?P<range>.*)\.", re.S),
        N_("{value} is not in the range {range}."),
    ),
    (
        re.compile(r"(?P<value>.*) does not match the formats (?P<formats>.*)\.", re.S),
        N_("{value} does not match the formats {formats}."),
    ),
    (
        re.compile(r"(?P<message>.*)\. Did you mean (?P<suggestions>.*)\?", re.S),
        N_("{message}. Did you mean {suggestions}?"),
    ),
)

#: Click's and typer's words that are not sentences of an error (typer asks gettext for them).
WORDS = (
    *(N_("Usage: "), N_("Show this message and exit."), N_("Aborted!"), N_("Missing command.")),
    *(N_("No such command {name!r}."), N_("default: {default}"), N_("required"), N_("env var: {var}")),
    *(N_("(dynamic)"), N_("Arguments"), N_("Options"), N_("Commands")),
    # typer's options of the root command, translated with the root's help (messages.translate_root)
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
)


#: Click's names of a kind of value (its types' ``name``), as a sentence says them.
_KINDS = {
    "integer": N_("whole number"),
    "int": N_("whole number"),
    "integer range": N_("whole number"),
    "int range": N_("whole number"),
    "float": N_("number"),
    "float range": N_("number"),
}


def sentence(message: str) -> str:
    """One of click's sentences in the user's language (itself when it is not one of click's)."""
    for pattern, template in _SENTENCES:
        match = pattern.fullmatch(message)
        if match:
            found = match.groupdict()
            if found.get("kind") in _KINDS:
                found["kind"] = _(_KINDS[found["kind"]])
            return _(template).format(**found)
    return message


#: The placeholders of click's usage line (translators: keep the brackets and the dots).
_USAGE_WORDS = (N_("[OPTIONS]"), N_("COMMAND [ARGS]..."))
#: The names of the commands' arguments, as help and the usage line show them (translators: one word,
#: no spaces; underscores allowed).
_ARGUMENT_NAMES = (
    N_("item_id"),
    N_("demand_id"),
    N_("event_id"),
    N_("signatory_id"),
    N_("day"),
    N_("files"),
    N_("kind"),
    N_("source"),
    N_("stage"),
    N_("url"),
    N_("folder"),
    N_("paths"),
)
#: What an option's value is, as help shows it after the option (translators: keep the angle brackets).
_VALUE_WORDS = (N_("<str>"), N_("<path>"), N_("<file>"), N_("<directory>"), N_("<int>"), N_("<int range>"))


def _values(option: str) -> str:
    """An option as help shows it (``--date <str>``), its kind of value in the user's language."""
    for word in _VALUE_WORDS:
        if word in option:
            option = option.replace(word, _(word))
    return option


def _argument(first: str) -> str:
    """An argument as help lists it, its name in the user's language: ``id_elemento``, ``tipo:<events|...>``."""
    name, colon, choices = first.partition(":")
    return _(name) + colon + choices if name in _ARGUMENT_NAMES else first


class TranslatedFormatter(HelpFormatter):
    """Click's help formatter, with its usage prefix and the help option in the user's language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        for placeholder in _USAGE_WORDS:
            args = args.replace(placeholder, _(placeholder))
        for name in _ARGUMENT_NAMES:  # {item_id}, [folder], {kind}:<...>
            args = re.sub(rf"(?<=[{{\[]){name}(?=[}}\]:])", _(name), args)
        super().write_usage(prog, args, _("Usage: ") if prefix is None else prefix)

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        shown = [
            (
                _values(_argument(first)),
                _(second) if second == "Show this message and exit." else second,
            )
            for first, second in rows
        ]
        super().write_dl(shown, col_max, col_spacing)


class CasefileContext(Context):
    """A click context whose help speaks the user's language."""

    formatter_class = TranslatedFormatter


def _hint(error: BadParameter) -> str:
    hint: Any = error.param_hint
    if hint is None and error.param is not None:
        hint = error.param.get_error_hint(error.ctx)  # type: ignore[arg-type]
    if isinstance(hint, (tuple, list)):
        return " / ".join(repr(part) for part in hint)
    return str(hint) if hint else ""


def _missing(error: MissingParameter) -> str:
    name = _hint(error)
    kind = error.param_type or (error.param.param_type_name if error.param is not None else "parameter")
    if kind == "argument":
        bare = name.strip("'")
        if bare in _ARGUMENT_NAMES:
            name = f"'{_(bare)}'"
        text = _("Missing argument {name}.").format(name=name)
    elif kind == "option":
        text = _("Missing option {name}.").format(name=name)
    else:
        text = _("Missing parameter {name}.").format(name=name)
    if error.message:
        text = f"{text} {sentence(error.message)}"
    if error.param is not None:
        extra = error.param.type.get_missing_message(param=error.param, ctx=error.ctx) or ""
        if extra.startswith("Choose from:"):
            choices = [choice.strip().rstrip(",") for choice in extra.split("\n\t")[1:]]
            extra = _("Choose from: {choices}.").format(choices=", ".join(choices))
        if extra:
            text = f"{text} {extra}"
    return text


def phrased(error: UsageError) -> str:
    """The error's message (without ``Error:``) in the user's language."""
    if isinstance(error, MissingParameter):
        return _missing(error)
    if isinstance(error, NoSuchOption):
        if not error.message.startswith("No such option: "):
            return sentence(error.message)
        text = _("No such option: {option}").format(option=_escape_control_characters(error.option_name))
        if error.possibilities:
            text += " " + _("(Possible options: {options})").format(options=", ".join(sorted(error.possibilities)))
        return text
    if isinstance(error, BadParameter):
        name = _hint(error)
        if not name:
            return _("Invalid value: {message}").format(message=sentence(error.message))
        return _("Invalid value for {name}: {message}").format(name=name, message=sentence(error.message))
    return sentence(error.message)


class TranslatedUsageError(UsageError):
    """A parsing error of click's, shown as click shows it but in the user's language."""

    def __init__(self, error: UsageError) -> None:
        super().__init__(phrased(error), error.ctx)
        self.exit_code = error.exit_code

    def show(self, file: IO[Any] | None = None) -> None:
        """One line, as every error of casefile: what is wrong, then where help is."""
        from typer._click._compat import get_text_stderr

        file = file or get_text_stderr()
        message = self.format_message()
        if not message.endswith((".", "?", "!")):
            message += "."
        if self.ctx is not None and self.ctx.command.get_help_option(self.ctx) is not None:
            hint = _("Try '{command} {option}' for help.").format(
                command=self.ctx.command_path, option=self.ctx.help_option_names[0]
            )
            message = f"{message} {hint}"
        line = _("casefile: error: {message}").format(message=message)
        echo(line, file=file, color=self.ctx.color if self.ctx is not None else None)
