"""Shell completion of what the case holds: ids after ``show``, ``edit``, ``respond``..., tags after ``--tag``.

Languages, formats and other fixed choices complete by themselves (they are click choices). The
values here come from the case file, read as every command reads it (through the parse cache,
never rendering the letter); completion must never fail loudly, so a case that cannot be read
completes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

Completer = Callable[[Any, Any, str], list[Any]]


def _case(ctx: Any) -> Any:
    """The case the command line names so far (--file after or before the command), or None."""
    from casefile.cli._shared import load_case

    file: Path | None = None
    context = ctx
    while context is not None and file is None:
        file = context.params.get("file")
        context = context.parent
    try:
        return load_case(file).case
    except Exception:  # completion is a convenience: a damaged or locked case completes nothing
        return None


def _items(pairs: Callable[[Any], Iterable[tuple[str, str]]]) -> Completer:
    def complete(ctx: Any, param: Any, incomplete: str) -> list[Any]:
        from typer._click.shell_completion import CompletionItem

        case = _case(ctx)
        if case is None:
            return []
        return [
            CompletionItem(value, help=help_text[:60])
            for value, help_text in pairs(case)
            if value.startswith(incomplete)
        ]

    return complete


def _events(case: Any) -> Iterable[tuple[str, str]]:
    return ((event.id, event.title) for event in case.events)


def _demands(case: Any) -> Iterable[tuple[str, str]]:
    from casefile.cli.messages import _, current_language
    from casefile.letter.grammar import Verbatim, assemble

    said, language = _("to {recipient}: {subject}"), current_language()  # "al Secretariado", as list says it
    return (
        (demand.id, assemble(language, said, {"recipient": demand.to, "subject": Verbatim(demand.subject)}))
        for demand in case.demands
    )


def _signatories(case: Any) -> Iterable[tuple[str, str]]:
    return ((signatory.id, signatory.name) for signatory in case.signatories)


def _concerns(case: Any) -> Iterable[tuple[str, str]]:
    return ((concern.id, concern.title) for concern in case.concerns)


def _all(case: Any) -> Iterable[tuple[str, str]]:
    for pairs in (_events, _demands, _signatories, _concerns):
        yield from pairs(case)


def _tags(case: Any) -> Iterable[tuple[str, str]]:
    counts: dict[str, int] = {}
    for event in case.events:
        for tag in event.tags:
            counts[tag] = counts.get(tag, 0) + 1
    from casefile.cli.messages import ngettext

    return (
        (tag, ngettext("{count} event", "{count} events", count).format(count=count))
        for tag, count in sorted(counts.items())
    )


#: What each parameter completes, by its name in the commands' signatures.
COMPLETERS: dict[str, Completer] = {
    "item_id": _items(_all),
    "event_id": _items(_events),
    "demand_id": _items(_demands),
    "signatory_id": _items(_signatories),
    "tag": _items(_tags),
    "concern": _items(_concerns),
    "by": _items(_signatories),
    "signatory": _items(_signatories),
}


def add_completion(command: Any) -> None:
    """Give the command's id and tag parameters (and its sub-commands') their completion."""
    for sub in getattr(command, "commands", {}).values():
        add_completion(sub)
    for param in command.params:
        completer = COMPLETERS.get(param.name or "")
        if completer is not None and getattr(param, "_custom_shell_complete", None) is None:
            param._custom_shell_complete = completer
