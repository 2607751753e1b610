"""``timeline``: events and demands in one chronological table."""

from __future__ import annotations

import typer

from casefile.cli._shared import AsOfOption, FileOption, as_of_day, load_case


def timeline(as_of: AsOfOption = None, file: FileOption = None) -> None:
    """Show events and demands in one chronological table; unanswered demands show their days waiting."""
    from rich.console import Console
    from rich.table import Table

    from casefile.timeline import rows

    case = load_case(file).case
    day = as_of_day(as_of)
    table = Table(title=case.title, show_lines=False)
    table.add_column("Date", no_wrap=True)
    table.add_column("What")
    table.add_column("Id", style="dim", overflow="fold")  # ids are typed back: never cut them
    table.add_column("Status")
    for row in rows(case, as_of=day):
        style = "bold red" if row.waiting_days is not None else None
        table.add_row(row.date, row.what, row.id, row.status, style=style)
    # rich decides colour: only on a terminal, and never with NO_COLOR set.
    Console().print(table)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("timeline")(timeline)
