"""A progress bar on stderr for the commands that may run over a second: import, verify, export,
and the first reading of a large case.

Drawn only when stderr is a terminal: piped or redirected, a command prints nothing extra, and
rich (about 100 ms to import) is not even imported. The core reports through a plain callback,
``progress(stage, done, total)`` (total 0: not known), and never imports rich itself.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator

from casefile.cli.messages import N_, _

#: The stages the core reports (in English), so that the bar names them in the user's language.
STAGE_WORDS = (
    *(N_("Drafting the letter"), N_("Writing the letter"), N_("Writing DOCX"), N_("Writing HTML")),
    *(N_("Writing ODT"), N_("Preparing the PDF"), N_("Typesetting the PDF"), N_("Checking the evidence files")),
    *(N_("Importing rows"), N_("Importing the case"), N_("Reading the case")),
)

#: ``progress(stage, done, total)``: how far a long command is (total 0: not known).
Progress = Callable[[str, int, int], None]

#: The bar on screen, if any: rich draws one live display at a time, so a bar asked for inside
#: another (a case read for the first time while an import shows its bar) reports into it.
_shown: list[Progress] = []


@contextlib.contextmanager
def progress_bar() -> Iterator[Progress | None]:
    """A rich progress bar on stderr while a long command runs, only when stderr is a terminal.

    Otherwise the callback is None and nothing is drawn. Each new stage ends the one before; the
    bar is transient: it goes once the command is done, leaving the terminal as it was.
    """
    if _shown or not sys.stderr.isatty():
        yield _shown[-1] if _shown else None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

    tasks: dict[str, TaskID] = {}
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                for task in tasks.values():  # the stages before are over
                    bar.update(task, total=1, completed=1)
                tasks[stage] = bar.add_task(_(stage), total=total or None)
            bar.update(tasks[stage], completed=done, total=total or None)

        _shown.append(report)
        try:
            yield report
        finally:
            _shown.pop()


def stage(progress: Progress | None, name: str) -> None:
    """Start a stage whose length is not known (the bar then moves to and fro)."""
    if progress is not None:
        progress(name, 0, 0)
