"""``timeline``: events and demands in one chronological table."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import typer

from casefile.cli._shared import (
    AsOfOption,
    FileOption,
    JsonOption,
    as_of_day,
    console,
    location,
    print_json,
    wants_json,
)

if TYPE_CHECKING:
    from casefile.storage.store import Loaded


def timeline(json: JsonOption = False, as_of: AsOfOption = None, file: FileOption = None) -> None:
    """Show events and demands in one chronological table; unanswered demands show their days waiting.

    On a terminal (or with FORCE_COLOR set): a table. Piped or redirected: one line per row,
    tab-separated (date, what, id, status), which scripts read and which a 100,000-event case
    prints in a moment.
    """
    import datetime

    from casefile.storage.derived import code_key, derived

    # The rows are kept in the cache for the case file's bytes, the day and casefile's code: a
    # large case's timeline is then printed without reading the case.
    day_key = as_of if as_of is not None else f"today {datetime.date.today()}"
    title, chronology = derived(location(file).path, "timeline", f"as-of {day_key} code {code_key()}", _rows(as_of))
    day = as_of_day(as_of)
    if wants_json(json):
        print_json(
            {
                "title": title,
                "as_of": day.isoformat(),
                "rows": [
                    {
                        "date": date,
                        "kind": kind,
                        "id": id,
                        "what": what,
                        "status": status,
                        "days_unanswered": waiting,
                        "days_unanswered_known": known,
                    }
                    for date, what, id, kind, status, waiting, known in chronology
                ],
            }
        )
        return
    # FORCE_COLOR asks for terminal output anywhere, as rich understands it.
    if not (sys.stdout.isatty() or os.environ.get("FORCE_COLOR")):
        from casefile.terminal import shown_table

        # A tab, line break or control character in a title is shown escaped: one row, one line.
        lines = shown_table([(date, what, id, status) for date, what, id, _, status, _, _ in chronology])
        sys.stdout.buffer.write(lines.encode("utf-8", "replace"))
        sys.stdout.flush()
        return
    from rich.table import Table
    from rich.text import Text

    from casefile.terminal import shown

    # Text, not markup: a title holding "[link=...]" or "[red]" is shown as typed; controls escaped.
    table = Table(title=Text(shown(title)), show_lines=False)
    from casefile.cli.messages import _

    table.add_column(_("Date"))
    table.add_column(_("What"))
    table.add_column(_("Id"), style="dim", overflow="fold")  # ids are typed back: never cut them
    table.add_column(_("Status"))
    days = _days_shown({row[0] for row in chronology})
    for date, what, id, kind, status, waiting, _known in chronology:
        style = "bold red" if waiting is not None else None
        cells = (Text(shown(str(cell))) for cell in (days[date], _what_shown(what, kind), id, _status_shown(status)))
        table.add_row(*cells, style=style)
    # rich decides colour: only on a terminal, never with NO_COLOR or --no-color.
    console().print(table)


def _days_shown(dates: set[str]) -> dict[str, str]:
    """Each date as the table shows it to people, in their language: "11 de febrero de 2017", "Hacia mayo
    de 2016" (piped rows and --json keep it as typed)."""
    from casefile.case.dates import parse_date
    from casefile.case.datewords import write_date
    from casefile.cli.messages import current_language
    from casefile.errors import InvalidDate
    from casefile.letter.grammar import capitalise

    language, written = current_language(), {}
    for date in dates:
        try:
            written[date] = capitalise(write_date(parse_date(date), language))
        except InvalidDate:  # the cache keeps what the case said
            written[date] = date
    return written


def _what_shown(what: str, kind: str) -> str:
    """A demand's row as the table shows it to people: "Solicitud al Secretariado..." (piped rows keep it as it is)."""
    if kind != "demand" or not what.startswith("Demand to "):
        return what
    from casefile.cli.messages import _, current_language
    from casefile.letter.grammar import assemble

    # The row says "Demand to {to}: {subject}": French puts a no-break space before the colon.
    recipient, colon, subject = what[10:].partition(": ")
    if not colon:
        return assemble(
            current_language(), _("Demand to {recipient_and_subject}"), {"recipient_and_subject": what[10:]}
        )
    return assemble(
        current_language(), _("Demand to {recipient}: {subject}"), {"recipient": recipient, "subject": subject}
    )


def _status_shown(status: str) -> str:
    """A demand's status as the table shows it to people (``--json`` and piped rows keep it as it is)."""
    import re

    from casefile.cli.messages import ngettext, said_word

    match = re.fullmatch(r"(?P<status>[a-z-]+), (?P<at_least>at least )?(?P<days>[0-9]+) days without answer", status)
    if match is None:
        return said_word("status", status) if re.fullmatch(r"[a-z-]+", status) else status

    days = int(match["days"])
    # As `list demands` says it: "sin respuesta (23 días)", "sans réponse (au moins 12 jours)".
    if match["at_least"]:  # sent in a period over by then ("2019"): a lower bound
        words = ngettext("(at least {count} day)", "(at least {count} days)", days)
    else:
        words = ngettext("({count} day)", "({count} days)", days)
    return said_word("status", match["status"]) + " " + words.format(count=days)


def _rows(as_of: str | None) -> Callable[[Loaded], tuple[str, list[Any]]]:
    """What the timeline shows of a case: its title, and each row as a list (what the cache keeps)."""

    def make(loaded: Loaded) -> tuple[str, list[Any]]:
        from casefile.case.timeline import rows

        chronology = rows(loaded.case, as_of=as_of_day(as_of))
        return loaded.case.title, [
            [row.date, row.what, row.id, row.kind, row.status, row.waiting_days, row.waiting_known]
            for row in chronology
        ]

    return make


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("timeline")(timeline)
