"""Commands that add items: add-event, add-demand, add-signatory, add-concern, respond.

Each prints the new id alone on stdout, so scripts can do ``id=$(casefile add-event ...)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from casefile.case.model import ConcernCategory, ResponseStatus, SignatoryKind
from casefile.cli._shared import FileOption, location, print_notices, read_text_option

DateOption = Annotated[
    str, typer.Option("--date", help="EDTF date: 2017, 2017-02, 2017-02-11, 2017~, 2016-05/2017-02.")
]
Repeated = list[str] | None


def _commit(file: Path | None, operation: Any, **fields: Any) -> None:
    """Apply ``operation`` under the lock, save, print the new id.

    An add-* operation reads no event or demand (only the case's fields, its signatories, its
    concerns and the ids in use), so :func:`casefile.storage.store.update` runs it without building
    the events of a large case.
    """
    from casefile.storage.store import update

    updated = update(location(file).path, lambda case: operation(case, **fields))
    print_notices(updated.notices)
    typer.echo(updated.result.id)


def _sources(urls: Repeated) -> tuple[Any, ...]:
    from casefile.case.model import Source

    return tuple(Source(url=url) for url in urls or ())


def affected_people(private: Repeated, public: Repeated) -> tuple[Any, ...]:
    """People from ``--affected`` (private) and ``--public-affected`` options, "NAME:role" each."""
    from casefile.case.model import Affected

    def person(text: str, *, is_public: bool) -> Affected:
        name, _colon, role = text.partition(":")
        if not name.strip():
            from casefile.cli.messages import _
            from casefile.errors import InvalidValue

            raise InvalidValue(
                _('{text} has no name: write "NAME:role", e.g. "Ana Ruiz:a journalist".').format(text=repr(text))
            )
        return Affected(name=name.strip(), role=role.strip(), public=is_public)

    return (
        *(person(text, is_public=False) for text in private or ()),
        *(person(text, is_public=True) for text in public or ()),
    )


def add_event(
    date: DateOption,
    title: Annotated[str, typer.Option("--title", help="What happened, in a line.")],
    description: Annotated[str, typer.Option("--description", help="Details; - reads them from stdin.")] = "",
    source: Annotated[
        Repeated, typer.Option("--source", help="URL of a source (repeatable).", show_default=False)
    ] = None,
    actor: Annotated[
        Repeated, typer.Option("--actor", help="A government body involved (repeatable).", show_default=False)
    ] = None,
    tag: Annotated[Repeated, typer.Option("--tag", help="A tag (repeatable).", show_default=False)] = None,
    concern: Annotated[
        Repeated,
        typer.Option("--concern", help="Id of a concern this event supports (repeatable).", show_default=False),
    ] = None,
    private_note: Annotated[
        str,
        typer.Option(
            "--private-note",
            help="A note kept private: never exported; - reads it from stdin (then not in your shell's history).",
        ),
    ] = "",
    affected: Annotated[
        Repeated,
        typer.Option(
            "--affected", help='A person affected, "NAME:role"; named only by role in the letter.', show_default=False
        ),
    ] = None,
    public_affected: Annotated[
        Repeated,
        typer.Option("--public-affected", help='A person affected who may be named, "NAME:role".', show_default=False),
    ] = None,
    file: FileOption = None,
) -> None:
    """Add a dated event, with its sources; prints the new id."""
    from casefile.case.dates import parse_date
    from casefile.case.operations import add_event as operation

    _commit(
        file,
        operation,
        date=parse_date(date),
        title=title,
        description=read_text_option(description) or "",
        sources=_sources(source),
        actors=tuple(actor or ()),
        tags=tuple(tag or ()),
        concerns=tuple(concern or ()),
        private_notes=read_text_option(private_note) or "",
        affected=affected_people(affected, public_affected),
    )


def add_demand(
    date: DateOption,
    to: Annotated[
        str,
        typer.Option(
            "--to",
            help='Who the demand was sent to, as a sentence names it: with its article ("the Ministry of the '
            'Interior").',
        ),
    ],
    subject: Annotated[str, typer.Option("--subject", help="What it asked, in a line.")],
    text: Annotated[str, typer.Option("--text", help="The demand's text; - reads it from stdin.")] = "",
    deadline: Annotated[
        str | None, typer.Option("--deadline", help="Date an answer was asked for.", show_default=False)
    ] = None,
    channel: Annotated[str, typer.Option("--channel", help="How it was sent (email, letter, meeting...).")] = "",
    by: Annotated[
        Repeated, typer.Option("--by", help="Id of a signatory who sent it (repeatable).", show_default=False)
    ] = None,
    file: FileOption = None,
) -> None:
    """Add a demand sent to an authority; prints the new id."""
    from casefile.case.dates import parse_date
    from casefile.case.operations import add_demand as operation
    from casefile.cli._shared import date_or_none

    _commit(
        file,
        operation,
        date=parse_date(date),
        to=to,
        subject=subject,
        text=read_text_option(text) or "",
        deadline=date_or_none(deadline),
        channel=channel,
        by=tuple(by or ()),
    )


def respond(
    demand_id: Annotated[str, typer.Argument(help="The demand's id (or a unique prefix).")],
    date: DateOption,
    status: Annotated[ResponseStatus, typer.Option("--status", help="What the response amounted to.")],
    summary: Annotated[str, typer.Option("--summary", help="What the response said; - reads it from stdin.")] = "",
    file: FileOption = None,
) -> None:
    """Record a response to a demand; prints the demand's id."""
    from casefile.case.dates import parse_date
    from casefile.case.model import Response
    from casefile.case.operations import respond as operation

    response = Response(date=parse_date(date), status=status, summary=read_text_option(summary) or "")
    _commit(file, lambda case: operation(case, demand_id, response))


def add_signatory(
    name: Annotated[str, typer.Option("--name", help="Full name of the organisation or person.")],
    short_name: Annotated[str, typer.Option("--short-name", help="Short name; the id is made from it.")] = "",
    article: Annotated[
        str,
        typer.Option(
            "--article",
            help='The article its name takes in a sentence, in the case\'s language ("el", "la", "the", "le", '
            '"l\'"); none in the signature list.',
        ),
    ] = "",
    country: Annotated[
        str, typer.Option("--country", help="Where it is based; the signature list gives it after the name.")
    ] = "",
    kind: Annotated[
        SignatoryKind,
        typer.Option(
            "--kind",
            help=(
                "What it is: cso (a civil-society organisation), network, individual (a person signing in their "
                "own name), sc-member (of OGP's Steering Committee) or multilateral (an OGP multilateral partner)."
            ),
        ),
    ] = SignatoryKind.CSO,
    representative: Annotated[str, typer.Option("--representative", help="Who signs for the organisation.")] = "",
    representative_title: Annotated[str, typer.Option("--representative-title", help="Their position.")] = "",
    email: Annotated[str, typer.Option("--email", help="Private contact address; never exported.")] = "",
    lead: Annotated[bool, typer.Option("--lead", help="This signatory leads the filing.")] = False,
    allow_duplicate: Annotated[
        bool,
        typer.Option("--allow-duplicate", help="Add it even though a signatory has the same name (a different one)."),
    ] = False,
    file: FileOption = None,
) -> None:
    """Add a signatory organisation or person; prints the new id.

    A name already given to a signatory (in any case, with or without accents and punctuation)
    is refused, unless --allow-duplicate says it is someone else.
    """
    from casefile.case.model import Role
    from casefile.case.operations import add_signatory as operation

    _commit(
        file,
        operation,
        name=name,
        short_name=short_name,
        article=article,
        country=country,
        kind=kind,
        representative=representative,
        representative_title=representative_title,
        email=email,
        role=Role.LEAD if lead else Role.SIGNATORY,
        allow_duplicate=allow_duplicate,
    )


def add_concern(
    title: Annotated[str, typer.Option("--title", help="The allegation, in a line.")],
    category: Annotated[ConcernCategory, typer.Option("--category", help="The Response Policy category.")],
    summary: Annotated[
        str, typer.Option("--summary", help="The allegation in a paragraph; - reads it from stdin.")
    ] = "",
    category_other: Annotated[
        str, typer.Option("--category-other", help="The category in words, with --category other.")
    ] = "",
    breaches: Annotated[
        Repeated,
        typer.Option("--breaches", help="A commitment or OGP value breached (repeatable).", show_default=False),
    ] = None,
    file: FileOption = None,
) -> None:
    """Add a concern (a numbered allegation of the letter); prints the new id."""
    from casefile.case.operations import add_concern as operation

    _commit(
        file,
        operation,
        title=title,
        category=category,
        summary=read_text_option(summary) or "",
        category_other=category_other,
        breaches=tuple(breaches or ()),
    )


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("add-event")(add_event)
    app.command("add-demand")(add_demand)
    app.command("add-signatory")(add_signatory)
    app.command("add-concern")(add_concern)
    app.command("respond")(respond)
