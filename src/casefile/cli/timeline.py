"""``timeline``: events and demands in one chronological table."""

from __future__ import annotations

import os
import sys

import typer

from casefile.cli._shared import (
    AsOfOption,
    FileOption,
    JsonOption,
    as_of_day,
    console,
    load_case,
    print_json,
    wants_json,
)


def timeline(json: JsonOption = False, as_of: AsOfOption = None, file: FileOption = None) -> None:
    """Show events and demands in one chronological table; unanswered demands show their days waiting.

    On a terminal (or with FORCE_COLOR set): a table. Piped or redirected: one line per row,
    tab-separated (date, what, id, status), which scripts read and which a 100,000-event case
    prints in a moment.
    """
    from casefile.case.timeline import rows

    case = load_case(file).case
    day = as_of_day(as_of)
    if wants_json(json):
        print_json(
            {
                "title": case.title,
                "as_of": day.isoformat(),
                "rows": [
                    {
                        "date": row.date,
                        "kind": row.kind,
                        "id": row.id,
                        "what": row.what,
                        "status": row.status,
                        "days_unanswered": row.waiting_days,
                    }
                    for row in rows(case, as_of=day)
                ],
            }
        )
        return
    chronology = rows(case, as_of=day)
    # FORCE_COLOR asks for terminal output anywhere, as rich understands it.
    if not (sys.stdout.isatty() or os.environ.get("FORCE_COLOR")):
        from casefile.terminal import shown_table

        # A tab, line break or control character in a title is shown escaped: one row, one line.
        lines = shown_table([(row.date, row.what, row.id, row.status) for row in chronology])
        sys.stdout.buffer.write(lines.encode("utf-8", "replace"))
        sys.stdout.flush()
        return
    from rich.table import Table
    from rich.text import Text

    from casefile.terminal import shown

    # Text, not markup: a title holding "[link=...]" or "[red]" is shown as typed; controls escaped.
    table = Table(title=Text(shown(case.title)), show_lines=False)
    from casefile.cli.messages import _

    table.add_column(_("Date"), no_wrap=True)
    table.add_column(_("What"))
    table.add_column(_("Id"), style="dim", overflow="fold")  # ids are typed back: never cut them
    table.add_column(_("Status"))
    for row in chronology:
        style = "bold red" if row.waiting_days is not None else None
        cells = (Text(shown(str(cell))) for cell in (row.date, row.what, row.id, _status_shown(row.status)))
        table.add_row(*cells, style=style)
    # rich decides colour: only on a terminal, never with NO_COLOR or --no-color.
    console().print(table)


def _status_shown(status: str) -> str:
    """A demand's status as the table shows it to people (``--json`` and piped rows keep it as it is)."""
    import re

    match = re.fullmatch(r"(?P<status>[a-z-]+), (?P<days>[0-9]+) days without answer", status)
    if match is None:
        return status
    from casefile.cli.messages import ngettext

    days = int(match["days"])
    return ngettext("{status}, {count} days without answer", "{status}, {count} days without answer", days).format(
        status=match["status"], count=days
    )


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("timeline")(timeline)
