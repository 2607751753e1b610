"""``status``: the case at a glance (readiness, sign-off, filing, review stages, what comes next)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

import typer

from casefile.cli._shared import (
    AsOfOption,
    FileOption,
    JsonOption,
    as_of_day,
    letter_templates,
    location,
    print_json,
    wants_json,
)
from casefile.cli.followup import current_digests
from casefile.cli.messages import _, ngettext

if TYPE_CHECKING:
    from casefile.letter.templatetrust import UserTemplates
    from casefile.storage.store import Loaded


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
            # "deadline" is its last day; "deadline_given" as the case gives it ("2024-10?").
            {
                "kind": item.kind,
                "id": item.id,
                "deadline": item.deadline.isoformat(),
                "deadline_given": item.given,
                "what": item.what,
            }
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
    from casefile.cli.messages import said_word

    stage = match["after"].replace(" ", "-")
    after = (
        _("the filing")
        if match["after"] == "filing"
        else _("the stage “{stage}”").format(stage=said_word("stage", stage))
    )
    return _("past cases took about {weeks} weeks from {after}; an observation, not an OGP rule").format(
        weeks=match["weeks"], after=after
    )


def _overdue_what(kind: str, what: str) -> str:
    """What an overdue item is, in the user's words: a demand "a la SFP: …", "à la SFP : …"."""
    recipient, colon, subject = what.partition(": ")
    if kind != "demand" or not colon:
        return what
    from casefile.cli.messages import current_language
    from casefile.letter.grammar import Verbatim, assemble

    return assemble(
        current_language(), _("to {recipient}: {subject}"), {"recipient": recipient, "subject": Verbatim(subject)}
    )


def _deadline_shown(item: dict[str, Any]) -> str:
    """An overdue item's deadline as the case gives it: "deadline October 2024", not its last day
    ("31 October 2024"); one not known for sure is a probable deadline ("probable deadline October 2024")."""
    from casefile.case.dates import parse_date
    from casefile.case.datewords import is_uncertain, write_date
    from casefile.cli.messages import current_language, said_day
    from casefile.errors import InvalidDate

    try:
        given = parse_date(item.get("deadline_given") or "")
    except InvalidDate:  # a cached status from before it was given
        return _("deadline {date}").format(date=said_day(item["deadline"]))
    written = write_date(given, current_language(), probable=False)
    if is_uncertain(given):
        return _("probable deadline {date}").format(date=written)
    return _("deadline {date}").format(date=written)


def _status_text(data: dict[str, Any]) -> str:
    from casefile.case.countries import country_name
    from casefile.cli.messages import current_language

    lines = [f"{data['case']['title']} ({country_name(data['case']['country'], current_language())})"]
    readiness = data["readiness"]
    verdict = _("ready") if readiness["errors"] == 0 else _("not ready")
    from casefile.cli.check import finding_counts
    from casefile.cli.messages import how_sent, said_day, said_word

    counts = finding_counts(readiness["errors"], readiness["warnings"])
    lines.append(_("Readiness: {verdict} ({counts}; see casefile check)").format(verdict=verdict, counts=counts))
    letter = data["letter"]
    digests = ", ".join(f"{language} {digest[:19]}…" for language, digest in letter["digests"].items())
    dated = (
        _("dated {date}").format(date=said_day(letter["date"]))
        if letter["fixed"]
        else _("no fixed date (casefile set-letter-date)")
    )
    lines.append(_("Letter: {dated}; {digests}").format(dated=dated, digests=digests))
    approved = sum(entry["state"] == "approved" for entry in data["sign_off"])
    if not data["sign_off"]:  # "0 of 0 approved" says nothing a coordinator can act on
        lines.append(_("Sign-off: no signatories yet (casefile add-signatory)"))
    else:
        lines.append(
            ngettext(  # English says "1 of 3 approved" and "2 of 3 approved"; Spanish and French agree the verb
                "Sign-off: {approved} of {count} approved the current text",
                "Sign-off: {approved} of {count} approved the current text",
                approved,
            ).format(approved=approved, count=len(data["sign_off"]))
        )
    width = max((len(entry["signatory"]) for entry in data["sign_off"]), default=0)
    for entry in data["sign_off"]:
        if entry["state"] == "approved":
            detail = _("approved on {date} ({language}, {digest}…)").format(
                date=said_day(entry["approved_on"]), language=entry["language"], digest=entry["digest"][:19]
            )
        elif entry["state"] == "out-of-date":
            detail = _("OUT OF DATE: approved an earlier text on {date} ({command})").format(
                date=said_day(entry["approved_on"]), command=f"casefile diff-since {entry['signatory']}"
            )
        else:
            detail = _("pending")
        lines.append(f"  {entry['signatory']:<{width}}  {detail}")
    filing = data["filing"]
    lines.append(
        _("Filing: {date}{how} to {to}").format(
            date=said_day(filing["date"]), how=how_sent(filing["channel"]), to=filing["to"]
        )
        if filing
        else _("Filing: not filed yet")
    )
    for stage in data["stages"]:
        deadline = " " + _("(deadline {date})").format(date=said_day(stage["deadline"])) if stage["deadline"] else ""
        note = f": {stage['note']}" if stage["note"] else ""
        lines.append(f"  {said_day(stage['date'])}  {said_word('stage', stage['stage'])}{deadline}{note}")
    for step in data["next"]:
        late = " — " + _("later than usual") if step["overdue"] else ""
        expected = _("Next expected: {stage} around {date} ({basis})").format(
            stage=said_word("stage", step["stage"]), date=said_day(step["planned"]), basis=_basis_shown(step["basis"])
        )
        lines.append(expected + late)
    if data["overdue"]:
        lines.append(_("Overdue:"))
        for item in data["overdue"]:
            deadline = _deadline_shown(item)
            kind = _("demand") if item["kind"] == "demand" else said_word("stage", item["kind"])
            what = _overdue_what(item["kind"], item["what"])
            line = _("{kind} {id}: {deadline}").format(kind=kind, id=item["id"], deadline=deadline)
            lines.append(f"  {line}" + (f" ({what})" if what else ""))
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
    app.command("status")(status)
