"""``config``: the user's own settings (not the case's): the language casefile speaks in."""

from __future__ import annotations

from typing import Annotated

import typer

from casefile.cli._shared import say
from casefile.cli.messages import _

config_app = typer.Typer(
    help=(
        "Show or set your settings: `casefile config language es` speaks Spanish to you.\n\n"
        "The letter's language stays the case's own (`casefile edit-case --language`)."
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)


def _choices(ctx: object, param: object, incomplete: str) -> list[str]:
    """What ``config language`` takes, for shell completion."""
    return [value for value in ("en", "es", "fr", "auto") if value.startswith(incomplete)]


def language(
    value: Annotated[
        str | None,
        typer.Argument(
            help="en, es or fr; auto follows the locale (LC_ALL, LC_MESSAGES, LANG).",
            show_default=False,
            shell_complete=_choices,
        ),
    ] = None,
) -> None:
    """Show or set the language casefile speaks to you in: en, es, fr, or auto (from the locale)."""
    from casefile.cli import messages

    if value is None:
        configured = messages.configured_language()
        if configured:
            typer.echo(configured)
            say(_("Language: {language} (set with `casefile config language`).").format(language=configured))
        else:
            chosen = messages.locale_language(__import__("os").environ)
            typer.echo(chosen)
            say(
                _("Language: {language} (from the locale; set one with `casefile config language`).").format(
                    language=chosen
                )
            )
        return
    if value not in (*messages.LANGUAGES, "auto"):
        raise typer.BadParameter(_("{value} is not one of: en, es, fr, auto.").format(value=repr(value)))
    messages.save_language(None if value == "auto" else value)
    messages.setup()
    if value == "auto":
        say(_("casefile now follows the locale for its language."))
    else:
        from casefile.case.translations import LANGUAGE_NAMES

        name = _(LANGUAGE_NAMES[value])  # in the language just chosen
        say(_("casefile now speaks {language} to you. The letter's language stays the case's.").format(language=name))


config_app.command("language")(language)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.add_typer(config_app, name="config")
