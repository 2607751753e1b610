"""``check`` and ``demo``: is the letter ready, and a complete example to learn from."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from casefile.case.model import Language
from casefile.cli._shared import (
    AsOfOption,
    FileOption,
    JsonOption,
    as_of_day,
    load_case,
    print_json,
    say,
    wants_json,
)
from casefile.cli.messages import _


def _report(findings: list, json: bool) -> int:  # type: ignore[type-arg]
    """Print findings; the exit code is 1 when any is an error."""
    from casefile.letter.findings import Severity
    from casefile.terminal import shown

    errors = sum(finding.severity is Severity.ERROR for finding in findings)
    if json:
        print_json(
            {
                "ok": errors == 0,
                "errors": errors,
                "findings": [
                    {"severity": f.severity.value, "rule": f.rule, "item": f.item_id, "message": f.message}
                    for f in findings
                ],
            }
        )
    else:
        # One write for all lines: a large case has tens of thousands of findings.
        labels = {severity: _("{severity}:").format(severity=_(severity.value)) for severity in Severity}
        lines = [
            f"{labels[f.severity]} [{f.rule}]{f' {f.item_id}:' if f.item_id else ''} {f.shown()}" for f in findings
        ]
        if not "".join(lines).isprintable():  # control characters (from user text) are shown escaped
            lines = [shown(line) for line in lines]
        if lines:
            typer.echo("\n".join(lines))
        warnings = sum(finding.severity is Severity.WARNING for finding in findings)
        say(
            (
                _("{errors} error(s), {warnings} warning(s). Ready to draft.")
                if errors == 0
                else _("{errors} error(s), {warnings} warning(s).")
            ).format(errors=errors, warnings=warnings)
        )
    return 1 if errors else 0


def check(
    json: JsonOption = False,
    as_of: AsOfOption = None,
    language: Annotated[
        Language | None,
        typer.Option(
            "--language",
            help=(
                "Check the letter in this language too: texts with no version in it, "
                "and joins that read badly (a el, de Artículo...)."
            ),
            show_default=False,
        ),
    ] = None,
    file: FileOption = None,
) -> None:
    """Say whether the letter is ready: every problem at once, with how to fix it (exit 1 on errors)."""
    from casefile.cli.followup import current_digests
    from casefile.letter.checks import check as run_checks
    from casefile.letter.findings import approvals_out_of_date, loose_permissions
    from casefile.workflow.evidence import loose_permissions as find_loose
    from casefile.workflow.followup import letter_date_for, sign_off_states

    loaded = load_case(file)
    # The letter's date: --as-of, else the date fixed with set-letter-date, else today.
    day = letter_date_for(loaded.case, as_of_day(as_of) if as_of is not None else None)
    findings = run_checks(loaded.case, today=day, language=language.value if language is not None else None)
    if loaded.case.approvals:
        findings = approvals_out_of_date(sign_off_states(loaded.case, current_digests(loaded))) + findings
    findings += loose_permissions([(str(path), mode) for path, mode in find_loose(loaded.path)])
    if language is not None:
        findings += _letter_grammar(loaded, language.value, day)
    raise typer.Exit(_report(findings, wants_json(json)))


def _letter_grammar(loaded: Any, language: str, day: Any) -> list:  # type: ignore[type-arg]
    """The grammar lint's warnings on the letter as ``draft-complaint --language`` would draft it."""
    from casefile.cli._shared import letter_templates
    from casefile.letter.render import draft_letter
    from casefile.letter.textchecks import letter_grammar

    # The templates draft-complaint would use: a trusted templates/ folder beside the case, if any.
    templates = letter_templates(loaded.path, template=None, templates=None)
    letter = draft_letter(loaded.case, language=language, as_of=day, templates=templates)
    return letter_grammar(letter, language)


def demo(
    folder: Annotated[Path, typer.Argument(help="Folder for the example case.")] = Path("casefile-demo"),
    as_of: AsOfOption = None,
) -> None:
    """Write a complete example case (Mexico, 2017), check it and draft its letter into FOLDER."""
    from casefile.case.demo import demo_case
    from casefile.letter.checks import check as run_checks
    from casefile.letter.render import draft_letter
    from casefile.storage.files import write_atomic
    from casefile.storage.store import FILE_NAME, create, load
    from casefile.workflow.followup import letter_date_for

    path = folder / FILE_NAME
    create(path, demo_case())
    case = load(path).case
    # The demo's letter is dated the day the real one was filed (16 July 2018), unless --as-of says otherwise.
    day = letter_date_for(case, as_of_day(as_of) if as_of is not None else None)
    findings = run_checks(case, today=day)
    report = "".join(
        f"{f.severity.value}: [{f.rule}] {f.item_id + ': ' if f.item_id else ''}{f.message}\n" for f in findings
    )
    write_atomic(folder / "check.txt", report, backup=False)
    # The demo case carries its texts in every language: its letter is written in each.
    letters = []
    for language in Language:
        letter = folder / f"letter.{language.value}.md"
        write_atomic(letter, draft_letter(case, language=language.value, as_of=day), backup=False)
        letters.append(letter)
    say(_("Example case:  {path}").format(path=path))
    say(_("Check report:  {path}  ({count} finding(s))").format(path=folder / "check.txt", count=len(findings)))
    say(_("Letters:       {paths}  (dated {date})").format(paths=", ".join(map(str, letters)), date=day.isoformat()))
    say(_("Try: {command}").format(command=f"cd {folder} && casefile timeline && casefile check --language es"))


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("check")(check)
    app.command("demo")(demo)
