"""``translate``: an item's texts (or the case's) in another language, for the letter in that language."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from casefile.case.model import Language
from casefile.cli._shared import FileOption, commit, location, read_text_option

Text = Annotated[str | None, typer.Option(show_default=False)]
Texts = Annotated[list[str] | None, typer.Option(show_default=False)]


def translate(
    item_id: Annotated[str, typer.Argument(help="The item's id (or a unique prefix), or `case` for the case.")],
    language: Annotated[Language, typer.Option("--language", help="The language of the texts given.")],
    title: Annotated[str | None, typer.Option("--title", help="Event, concern or case.", show_default=False)] = None,
    description: Annotated[
        str | None, typer.Option("--description", help="Event; - reads it from stdin.", show_default=False)
    ] = None,
    actor: Annotated[
        list[str] | None,
        typer.Option("--actor", help="Event: the government bodies, all of them (repeatable).", show_default=False),
    ] = None,
    to: Annotated[
        str | None,
        typer.Option(
            "--to",
            help="Demand: its recipient, with its article (la Secretaría..., le ministère...).",
            show_default=False,
        ),
    ] = None,
    subject: Annotated[str | None, typer.Option("--subject", help="Demand.", show_default=False)] = None,
    text: Annotated[
        str | None, typer.Option("--text", help="Demand; - reads it from stdin.", show_default=False)
    ] = None,
    summary: Annotated[
        str | None,
        typer.Option("--summary", help="Concern, or a response (with --response); - reads stdin.", show_default=False),
    ] = None,
    category_other: Annotated[
        str | None, typer.Option("--category-other", help="Concern of category other.", show_default=False)
    ] = None,
    breaches: Annotated[
        list[str] | None,
        typer.Option("--breaches", help="Concern: what is breached, all of it (repeatable).", show_default=False),
    ] = None,
    name: Annotated[
        str | None, typer.Option("--name", help="Signatory: the organisation's name there.", show_default=False)
    ] = None,
    short_name: Annotated[str | None, typer.Option("--short-name", help="Signatory.", show_default=False)] = None,
    article: Annotated[
        str | None,
        typer.Option("--article", help="Signatory: its name's article there (le, la, l'...).", show_default=False),
    ] = None,
    representative_title: Annotated[
        str | None, typer.Option("--representative-title", help="Signatory: the position.", show_default=False)
    ] = None,
    request: Annotated[
        str | None, typer.Option("--request", help="The case; - reads it from stdin.", show_default=False)
    ] = None,
    action_plan: Annotated[str | None, typer.Option("--action-plan", help="The case.", show_default=False)] = None,
    response: Annotated[
        int | None,
        typer.Option("--response", help="Translate the demand's Nth response (1 = the first).", show_default=False),
    ] = None,
    remove: Annotated[bool, typer.Option("--remove", help="Remove the translation into this language.")] = False,
    file: FileOption = None,
) -> None:
    """Give an item's texts in another language; prints its id.

    The letter in that language uses them, and the original where there is none. An empty text
    ("") removes one translated text; --remove removes them all.
    """
    from casefile.case.translations import translate as operation

    given: dict[str, Any] = {
        "title": title,
        "description": read_text_option(description),
        "actors": tuple(actor) if actor is not None else None,
        "to": to,
        "subject": subject,
        "text": read_text_option(text),
        "summary": read_text_option(summary),
        "category_other": category_other,
        "breaches": tuple(breaches) if breaches is not None else None,
        "name": name,
        "short_name": short_name,
        "article": article,
        "representative_title": representative_title,
        "request": read_text_option(request),
        "action_plan": action_plan,
    }
    changes = {key: value for key, value in given.items() if value is not None}
    translated = commit(
        location(file).path,
        lambda case: operation(case, item_id, language, changes, response=response, remove=remove),
    )
    typer.echo(translated)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("translate")(translate)
