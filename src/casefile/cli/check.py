"""``check`` and ``demo``: is the letter ready, and a complete example to learn from."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from casefile.case.model import Language
from casefile.cli._shared import (
    AsOfOption,
    FileOption,
    JsonOption,
    as_of_day,
    location,
    print_json,
    say,
    wants_json,
)
from casefile.cli.messages import _, ngettext

if TYPE_CHECKING:
    from casefile.letter.findings import Finding


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
        # "[rule] item: message"; French sets a no-break space before the colon.
        joined = _("{place}: {message}")
        lines = [
            f"{labels[f.severity]} "
            + (
                joined.format(place=f"[{f.rule}] {f.item_id}", message=f.shown())
                if f.item_id
                else f"[{f.rule}] {f.shown()}"
            )
            for f in findings
        ]
        if not "".join(lines).isprintable():  # control characters (from user text) are shown escaped
            lines = [shown(line) for line in lines]
        if lines:
            typer.echo("\n".join(lines))
        warnings = sum(finding.severity is Severity.WARNING for finding in findings)
        counts = finding_counts(errors, warnings)
        say(_("{counts}. Ready to draft.").format(counts=counts) if errors == 0 else f"{counts}.")
    return 1 if errors else 0


def finding_counts(errors: int, warnings: int) -> str:
    """``0 errors, 1 warning``: each count with its noun in the singular or plural its language says."""
    return _("{errors}, {warnings}").format(
        errors=ngettext("{count} error", "{count} errors", errors).format(count=errors),
        warnings=ngettext("{count} warning", "{count} warnings", warnings).format(count=warnings),
    )


def _unaccepted_recipients(path: Path) -> list[Finding]:
    """For an encrypted case, the keys its recipients file lists that the user has not accepted: like
    the files' modes, looked at every time (the record is the user's, not the case's)."""
    from casefile.storage.locate import ENCRYPTED_SUFFIX

    if not path.name.endswith(ENCRYPTED_SUFFIX):  # a plain case imports nothing more for this
        return []
    from casefile.errors import CasefileError
    from casefile.letter.findings import unaccepted_recipients
    from casefile.storage.encrypting import recipients_to_accept
    from casefile.storage.encryption import recipients_path
    from casefile.storage.recipienttrust import shortened

    try:
        found = recipients_to_accept(path)
    except CasefileError:  # no recipients file, or a link refused: what reading the case says
        return []
    return unaccepted_recipients(str(recipients_path(path)), [shortened(line) for line in found.new])


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
    import datetime

    from casefile.cli.messages import user_language
    from casefile.errors import TemplateError
    from casefile.letter.findings import loose_permissions
    from casefile.letter.templatetrust import choose, digest
    from casefile.storage.derived import code_key, derived
    from casefile.workflow.evidence import loose_permissions as find_loose

    path = location(file).path
    # What the rules find is kept in the cache for the case file's bytes and every other input:
    # the days (--as-of, today), --language, the templates a letter would use (for the digests
    # approvals are checked against, and the grammar lint), the messages' language and the code.
    ignored = None
    try:
        chosen = choose(case_dir=path.parent)
        ignored, templates = chosen.ignored, f"{digest(chosen.texts)} {chosen.ignored}"
    except TemplateError as error:  # said when a letter is drafted, as before
        templates = f"unreadable: {error}"
    key = (
        f"as-of {as_of} today {datetime.date.today()} language {language} templates {templates} "
        f"messages {user_language()} code {code_key()}"
    )
    made: list[bool] = []
    name = f"check-{language.value}" if language is not None else "check"
    notes, found, grammar = derived(path, name, key, _findings(as_of, language, made))
    if not made and ignored:  # kept: say of the templates what choosing them said when it was made
        for _times in range(notes):
            say(_("casefile: note: {message}").format(message=ignored))
    findings = _rebuilt(found)
    findings += loose_permissions([(str(path), mode) for path, mode in find_loose(path)])
    findings += _unaccepted_recipients(path)
    findings += _rebuilt(grammar)
    raise typer.Exit(_report(findings, wants_json(json)))


def _findings(
    as_of: str | None, language: Language | None, made: list[bool]
) -> Callable[[Any], tuple[int, list[Any], list[Any]]]:
    """What ``check`` finds in a case, as the cache keeps it: how many times the letter's templates
    were chosen (each says why a folder beside the case was not used), the findings of the rules
    and approvals, and those of the grammar lint. ``made`` is told when it is worked out."""

    def make(loaded: Any) -> tuple[int, list[Any], list[Any]]:
        made.append(True)
        from casefile.cli.followup import current_digests
        from casefile.letter.checks import check as run_checks
        from casefile.letter.findings import approvals_out_of_date
        from casefile.workflow.followup import letter_date_for, sign_off_states

        # The letter's date: --as-of, else the date fixed with set-letter-date, else today.
        day = letter_date_for(loaded.case, as_of_day(as_of) if as_of is not None else None)
        findings = run_checks(loaded.case, today=day, language=language.value if language is not None else None)
        notes = 0
        if loaded.case.approvals:
            findings = approvals_out_of_date(sign_off_states(loaded.case, current_digests(loaded))) + findings
            notes += 1
        grammar = []
        if language is not None:
            grammar = _letter_grammar(loaded, language.value, day)
            notes += 1
        return notes, _kept(findings), _kept(grammar)

    return make


_PLAIN = (str, int, float, bool, type(None))


def _kept(findings: list[Any]) -> list[Any]:
    """Findings as the cache keeps them (what marshal writes): a value of another type (a date) as
    its text, which is what the message shows of it; a value shown in the user's language (a word
    of the catalogue, a day, the country) as its text too, with the name of its kind beside it."""
    from casefile.letter.findings import SHOWN_KINDS

    return [
        [
            f.severity.value,
            f.rule,
            f.item_id,
            f.message,
            f.template,
            tuple([(name, value if type(value) in _PLAIN else str(value)) for name, value in f.values]),
            tuple([(name, type(value).__name__) for name, value in f.values if type(value) in SHOWN_KINDS]),
        ]
        for f in findings
    ]


def _rebuilt(kept: list[Any]) -> list[Any]:
    from casefile.letter.findings import SHOWN_KINDS, Severity, made_finding

    severities = {severity.value: severity for severity in Severity}
    kinds = {kind.__name__: kind for kind in SHOWN_KINDS}

    def marked(values: tuple[tuple[str, Any], ...], marks: tuple[tuple[str, str], ...]) -> Any:
        kind_of = dict(marks)
        return tuple((name, kinds[kind_of[name]](value) if name in kind_of else value) for name, value in values)

    # marshal gives tuples back as tuples: the values are as they were kept.
    return [
        made_finding(
            severities[severity],
            rule,
            item_id,
            message,
            template,
            marked(values, marks) if marks else values,
        )
        for severity, rule, item_id, message, template, values, marks in kept
    ]


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
    from casefile.storage.locate import FILE_NAME
    from casefile.storage.store import create, load
    from casefile.workflow.followup import letter_date_for

    path = folder / FILE_NAME
    from casefile.storage.linkguard import refuse_planted_folder

    refuse_planted_folder(path, shown=folder)
    for name in ("check.txt", *(f"letter.{language.value}.md" for language in Language)):
        if os.path.lexists(folder / name):  # a coalition's own letter, say: never written over
            from casefile.errors import CaseFileExists

            raise CaseFileExists(
                _(
                    "{path} already exists: `casefile demo` never writes over a file. "
                    "Give it a new folder: `casefile demo FOLDER`."
                ).format(path=folder / name)
            )
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
    count = len(findings)
    report = ngettext("Check report:  {path}  ({count} finding)", "Check report:  {path}  ({count} findings)", count)
    say(report.format(path=folder / "check.txt", count=count))
    from casefile.cli.messages import said_day

    say(_("Letters:       {paths}  (dated {date})").format(paths=", ".join(map(str, letters)), date=said_day(day)))
    say(_("Try: {command}").format(command=f"cd {folder} && casefile timeline && casefile check --language es"))


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("check")(check)
    app.command("demo")(demo)
