"""After the draft: set-letter-date, sign-off, diff-since, reminders, filing, stages, status."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer

from casefile.case.model import Language, Stage
from casefile.cli._shared import (
    AsOfOption,
    FileOption,
    JsonOption,
    TemplatesOption,
    as_of_day,
    commit,
    date_or_none,
    letter_templates,
    load_case,
    location,
    print_json,
    read_text_option,
    say,
    wants_json,
)
from casefile.cli.messages import _

if TYPE_CHECKING:
    from casefile.letter.templatetrust import UserTemplates
    from casefile.storage.store import Loaded

LanguageOption = Annotated[
    Language | None,
    typer.Option("--language", help="Language of the letter (default: the case's).", show_default=False),
]


def current_letter(loaded: Loaded, language: Language, templates: UserTemplates | None = None) -> str:
    """The letter as drafted now: the case's letter date (or today), the case's trusted templates."""
    from casefile.letter.render import draft_letter
    from casefile.workflow.followup import letter_date_for

    case = loaded.case
    if templates is None:
        templates = letter_templates(loaded.path)
    return draft_letter(case, language=language.value, as_of=letter_date_for(case, None), templates=templates)


def current_digests(loaded: Loaded, templates: UserTemplates | None = None) -> dict[Language, str]:
    """The digest of the current letter in each language someone approved (and the case's)."""
    from casefile.workflow.followup import letter_digest

    if templates is None:
        templates = letter_templates(loaded.path)
    languages = {loaded.case.language, *(approval.language for approval in loaded.case.approvals)}
    return {language: letter_digest(current_letter(loaded, language, templates)) for language in sorted(languages)}


def set_letter_date(
    day: Annotated[str, typer.Argument(help="The date the letter carries, YYYY-MM-DD.")],
    file: FileOption = None,
) -> None:
    """Fix the letter's date, so its text and digest stay the same from day to day."""
    from casefile.case.dates import parse_day
    from casefile.workflow.followup import set_letter_date as apply

    parsed = parse_day(day)
    commit(location(file).path, lambda case: (apply(case, parsed), None))
    say(_("The letter is dated {day}.").format(day=parsed.isoformat()))


def sign_off(
    signatory_id: Annotated[str, typer.Argument(help="The signatory's id (or a unique prefix).")],
    date: Annotated[str | None, typer.Option("--date", help="When they approved it (default: today).")] = None,
    language: LanguageOption = None,
    file: FileOption = None,
) -> None:
    """Record that a signatory approved the current text of the letter; prints its digest."""
    from casefile.case.dates import parse_day
    from casefile.errors import InvalidValue
    from casefile.workflow.followup import sign_off as apply

    loaded = load_case(file)
    if loaded.case.letter_date is None:
        raise InvalidValue(
            _(
                "the letter has no fixed date, so its text changes every day. Set one first: "
                "`casefile set-letter-date YYYY-MM-DD`."
            )
        )
    chosen = language or loaded.case.language
    text = current_letter(loaded, chosen)
    day = parse_day(date) if date else datetime.date.today()
    result = commit(loaded.path, lambda case: apply(case, signatory_id, text=text, language=chosen, day=day))
    typer.echo(result.digest)
    from casefile.case.translations import LANGUAGE_NAMES

    say(
        _("{signatory} approved the letter in {language} dated {date}.").format(
            signatory=result.signatory, language=_(LANGUAGE_NAMES[chosen.value]), date=loaded.case.letter_date
        )
    )


def diff_since(
    signatory_id: Annotated[str, typer.Argument(help="The signatory's id (or a unique prefix).")],
    json: JsonOption = False,
    file: FileOption = None,
) -> None:
    """Show what changed in the letter since a signatory approved it (a unified diff)."""
    import difflib

    from casefile.workflow.followup import approved_text

    loaded = load_case(file)
    approval, before = approved_text(loaded.case, signatory_id)
    after = current_letter(loaded, approval.language)
    diff = list(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=f"approved by {approval.signatory} on {approval.date}",
            tofile="current letter",
        )
    )
    if wants_json(json):
        print_json(
            {
                "signatory": approval.signatory,
                "approved": approval.date.text,
                "language": approval.language.value,
                "changed": bool(diff),
                "diff": "".join(diff),
            }
        )
        return
    if not diff:
        say(
            _("No change since {signatory} approved the letter on {date}.").format(
                signatory=approval.signatory, date=approval.date
            )
        )
    from casefile.terminal import shown

    # One diff line per line of output, whatever the letter's text holds.
    typer.echo("".join(shown(line.removesuffix("\n")) + "\n" for line in diff), nl=False)


def draft_reminder(
    demand_id: Annotated[str, typer.Argument(help="The demand's id (or a unique prefix).")],
    language: LanguageOption = None,
    as_of: AsOfOption = None,
    templates: TemplatesOption = None,
    file: FileOption = None,
) -> None:
    """Write a reminder to the recipient of an unanswered demand (Markdown on stdout)."""
    from casefile.case.ids import find_by_prefix
    from casefile.letter.render import draft_reminder as render
    from casefile.workflow.privacy import public_case

    loaded = load_case(file)
    case = public_case(loaded.case)
    demand = find_by_prefix(case.demands, demand_id, what="demand")
    if demand.responses:
        say(
            _("casefile: note: {message}").format(
                message=_("{id} already has a response; the reminder says how long it went unanswered.").format(
                    id=demand.id
                )
            )
        )
    text = render(
        case,
        demand,
        language=(language or case.language).value,
        as_of=as_of_day(as_of),
        templates=letter_templates(loaded.path, templates=templates),
    )
    typer.echo(text, nl=False)
    say(
        _("Once sent, record it: {command}").format(
            command=f"casefile record-reminder {demand.id} --date YYYY-MM-DD --channel email"
        )
    )


def record_reminder(
    demand_id: Annotated[str, typer.Argument(help="The demand's id (or a unique prefix).")],
    date: Annotated[str, typer.Option("--date", help="When the reminder was sent.")],
    channel: Annotated[str, typer.Option("--channel", help="How it was sent.")] = "",
    note: Annotated[str, typer.Option("--note", help="Anything to remember about it; - reads stdin.")] = "",
    file: FileOption = None,
) -> None:
    """Record that a reminder about a demand was sent; prints the demand's id."""
    from casefile.case.dates import parse_date
    from casefile.case.model import Reminder
    from casefile.workflow.followup import record_reminder as apply

    reminder = Reminder(date=parse_date(date), channel=channel, note=read_text_option(note) or "")
    result = commit(location(file).path, lambda case: apply(case, demand_id, reminder))
    typer.echo(result.id)


def record_filing(
    date: Annotated[str, typer.Option("--date", help="When the letter was sent to OGP.")],
    channel: Annotated[str, typer.Option("--channel", help="How it was sent.")] = "email",
    to: Annotated[str, typer.Option("--to", help="The address it was sent to.")] = "info@opengovpartnership.org",
    file: FileOption = None,
) -> None:
    """Record that the letter was filed with OGP."""
    from casefile.case.dates import parse_date
    from casefile.case.model import Filing
    from casefile.workflow.followup import record_filing as apply

    filing = Filing(date=parse_date(date), channel=channel, to=to)
    commit(location(file).path, lambda case: (apply(case, filing), None))
    say(
        _("Filed on {date} by {channel} to {to}. Follow the review with `casefile status`.").format(
            date=filing.date, channel=channel, to=to
        )
    )


def record_stage(
    stage: Annotated[Stage, typer.Argument(help="The step of the review.")],
    date: Annotated[str, typer.Option("--date", help="When it happened.")],
    note: Annotated[str, typer.Option("--note", help="What it said; - reads stdin.")] = "",
    source: Annotated[str, typer.Option("--source", help="Where it is documented (a URL).")] = "",
    deadline: Annotated[
        str | None, typer.Option("--deadline", help="For a recommendation: by when.", show_default=False)
    ] = None,
    file: FileOption = None,
) -> None:
    """Record a step of the OGP review (acknowledged, eligible, report, recommendation...)."""
    from casefile.case.dates import parse_date
    from casefile.case.model import StageRecord
    from casefile.workflow.followup import record_stage as apply

    record = StageRecord(
        stage=stage,
        date=parse_date(date),
        note=read_text_option(note) or "",
        source=source,
        deadline=date_or_none(deadline),
    )
    commit(location(file).path, lambda case: (apply(case, record), None))
    say(_("Recorded: {stage} on {date}.").format(stage=stage.value, date=record.date))


def _status_data(loaded: Loaded, today: datetime.date, templates: UserTemplates) -> dict[str, Any]:
    """Everything ``status`` shows, as JSON-ready data."""
    from casefile.letter.checks import check as run_checks
    from casefile.letter.findings import Severity, approvals_out_of_date
    from casefile.workflow.followup import letter_day, overdue_items, planned_steps, sign_off_states

    case = loaded.case
    digests = current_digests(loaded, templates)
    states = sign_off_states(case, digests)
    findings = run_checks(case, today=today) + approvals_out_of_date(states)
    return {
        "case": {"title": case.title, "country": case.country},
        "readiness": {
            "errors": sum(f.severity is Severity.ERROR for f in findings),
            "warnings": sum(f.severity is Severity.WARNING for f in findings),
        },
        "letter": {
            "date": case.letter_date.text if case.letter_date else None,
            "digests": {language.value: digest for language, digest in digests.items()},
            "fixed": letter_day(case) is not None,
        },
        "sign_off": [
            {
                "signatory": state.signatory,
                "name": state.name,
                "state": state.state,
                "approved_on": state.approval.date.text if state.approval else None,
                "language": state.approval.language.value if state.approval else None,
                "digest": state.approval.digest if state.approval else None,
            }
            for state in states
        ],
        "filing": (
            {"date": case.filing.date.text, "channel": case.filing.channel, "to": case.filing.to}
            if case.filing
            else None
        ),
        "stages": [
            {
                "stage": record.stage.value,
                "date": record.date.text,
                "note": record.note,
                "source": record.source,
                "deadline": record.deadline.text if record.deadline else None,
            }
            for record in case.stages
        ],
        "next": [
            {
                "stage": step.stage.value,
                "planned": step.planned.isoformat(),
                "basis": step.basis,
                "overdue": step.overdue,
            }
            for step in planned_steps(case, today)
        ],
        "overdue": [
            {"kind": item.kind, "id": item.id, "deadline": item.deadline.isoformat(), "what": item.what}
            for item in overdue_items(case, today)
        ],
    }


def _basis_shown(basis: str) -> str:
    """The planning basis ``status --json`` gives in English, in the user's language."""
    import re

    match = re.fullmatch(
        r"past cases took about (?P<weeks>\d+) weeks from (?P<after>.+); an observation, not an OGP rule", basis
    )
    if match is None:
        return basis
    return _("past cases took about {weeks} weeks from {after}; an observation, not an OGP rule").format(
        weeks=match["weeks"], after=match["after"]
    )


def _status_text(data: dict[str, Any]) -> str:
    lines = [f"{data['case']['title']} ({data['case']['country']})"]
    readiness = data["readiness"]
    verdict = _("ready") if readiness["errors"] == 0 else _("not ready")
    counts = _("{errors} error(s), {warnings} warning(s)").format(
        errors=readiness["errors"], warnings=readiness["warnings"]
    )
    lines.append(_("Readiness: {verdict}: {counts} (casefile check)").format(verdict=verdict, counts=counts))
    letter = data["letter"]
    digests = ", ".join(f"{language} {digest[:19]}…" for language, digest in letter["digests"].items())
    dated = (
        _("dated {date}").format(date=letter["date"])
        if letter["fixed"]
        else _("no fixed date (casefile set-letter-date)")
    )
    lines.append(_("Letter: {dated}; {digests}").format(dated=dated, digests=digests))
    approved = sum(entry["state"] == "approved" for entry in data["sign_off"])
    lines.append(
        _("Sign-off: {approved} of {count} approved the current text").format(
            approved=approved, count=len(data["sign_off"])
        )
    )
    width = max((len(entry["signatory"]) for entry in data["sign_off"]), default=0)
    for entry in data["sign_off"]:
        if entry["state"] == "approved":
            detail = _("approved on {date} ({language}, {digest}…)").format(
                date=entry["approved_on"], language=entry["language"], digest=entry["digest"][:19]
            )
        elif entry["state"] == "out-of-date":
            detail = _("OUT OF DATE: approved an earlier text on {date} ({command})").format(
                date=entry["approved_on"], command=f"casefile diff-since {entry['signatory']}"
            )
        else:
            detail = _("pending")
        lines.append(f"  {entry['signatory']:<{width}}  {detail}")
    filing = data["filing"]
    lines.append(
        _("Filing: {date} by {channel} to {to}").format(date=filing["date"], channel=filing["channel"], to=filing["to"])
        if filing
        else _("Filing: not filed yet")
    )
    for stage in data["stages"]:
        deadline = " " + _("(deadline {date})").format(date=stage["deadline"]) if stage["deadline"] else ""
        note = f": {stage['note']}" if stage["note"] else ""
        lines.append(f"  {stage['date']}  {stage['stage']}{deadline}{note}")
    for step in data["next"]:
        late = " — " + _("later than usual") if step["overdue"] else ""
        expected = _("Next expected: {stage} around {date} ({basis})").format(
            stage=step["stage"], date=step["planned"], basis=_basis_shown(step["basis"])
        )
        lines.append(expected + late)
    if data["overdue"]:
        lines.append(_("Overdue:"))
        for item in data["overdue"]:
            deadline = _("deadline {date}").format(date=item["deadline"])
            lines.append(f"  {item['kind']} {item['id']}: {deadline} ({item['what']})")
    from casefile.terminal import shown

    return "\n".join(shown(line) for line in lines)  # each line one line, whatever the case's text


def status(json: JsonOption = False, as_of: AsOfOption = None, file: FileOption = None) -> None:
    """At a glance: readiness, sign-off, filing, review stages, next step and what is overdue."""
    from casefile.cli.messages import user_language
    from casefile.letter.templatetrust import digest
    from casefile.storage.derived import code_key, derived

    day, path = as_of_day(as_of), location(file).path
    templates = letter_templates(path)
    # Drafting the letter for its digest is most of the work: what status shows is kept for the
    # case file's bytes and everything else it depends on (the days, the templates, the code,
    # the language spoken to the user).
    key = (
        f"as-of {day} today {datetime.date.today()} templates {digest(templates.texts)} {templates.start} "
        f"messages {user_language()} code {code_key()}"
    )
    data = derived(path, "status", key, lambda loaded: _status_data(loaded, day, templates))
    if wants_json(json):
        print_json(data)
    else:
        typer.echo(_status_text(data))


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("set-letter-date")(set_letter_date)
    app.command("sign-off")(sign_off)
    app.command("diff-since")(diff_since)
    app.command("draft-reminder")(draft_reminder)
    app.command("record-reminder")(record_reminder)
    app.command("record-filing")(record_filing)
    app.command("record-stage")(record_stage)
    app.command("status")(status)
