"""After the draft: set-letter-date, sign-off, diff-since, reminders, filing, stages (``status`` is in status.py)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Annotated

import typer

from casefile.case.model import Case, Filing, Language, Stage
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
from casefile.cli.messages import _, ngettext

if TYPE_CHECKING:
    from casefile.letter.templatetrust import UserTemplates
    from casefile.storage.store import Loaded

LanguageOption = Annotated[
    Language | None,
    typer.Option("--language", help="Language of the letter (default: the case's).", show_default=False),
]


def current_letter(loaded: Loaded, language: Language, templates: UserTemplates | None = None) -> str:
    """The letter as drafted now: the case's letter date (or today), the case's trusted templates."""
    return "".join(_current_letter_pieces(loaded, language, templates))


def _current_letter_pieces(loaded: Loaded, language: Language, templates: UserTemplates | None) -> list[str]:
    from casefile.letter.render import draft_letter_pieces
    from casefile.workflow.followup import letter_date_for

    case = loaded.case
    if templates is None:
        templates = letter_templates(loaded.path)
    return draft_letter_pieces(case, language=language.value, as_of=letter_date_for(case, None), templates=templates)


def current_digests(loaded: Loaded, templates: UserTemplates | None = None) -> dict[Language, str]:
    """The digest of the current letter in each language someone approved (and the case's)."""
    from casefile.workflow.followup import letter_digest

    if templates is None:
        templates = letter_templates(loaded.path)
    languages = {loaded.case.language, *(approval.language for approval in loaded.case.approvals)}
    # Hashed piece by piece: a large letter is never joined into one text only to be hashed.
    return {
        language: letter_digest(_current_letter_pieces(loaded, language, templates)) for language in sorted(languages)
    }


def set_letter_date(
    day: Annotated[str, typer.Argument(help="The date the letter carries, YYYY-MM-DD.")],
    file: FileOption = None,
) -> None:
    """Fix the letter's date, so its text and digest stay the same from day to day."""
    from casefile.case.dates import parse_day
    from casefile.workflow.followup import set_letter_date as apply

    parsed = parse_day(day)
    commit(location(file).path, lambda case: (apply(case, parsed), None))
    from casefile.cli.messages import said_day

    say(_("The letter is dated {day}.").format(day=said_day(parsed)))


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
    from casefile.cli.messages import said_day

    say(
        _("{signatory} approved the letter in {language} dated {date}.").format(
            signatory=result.signatory,
            language=_(LANGUAGE_NAMES[chosen.value]),
            date=said_day(loaded.case.letter_date),
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
    scripts = wants_json(json)  # --json keeps its English headers, a promise to scripts
    diff = list(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=(
                "approved by {signatory} on {date}" if scripts else _("approved by {signatory} on {date}")
            ).format(signatory=approval.signatory, date=approval.date),
            tofile="current letter" if scripts else _("current letter"),
        )
    )
    if scripts:
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
                message=_("{id} already has a response: check that a reminder is still needed.").format(id=demand.id)
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
    if not demand.channel:
        hint = _("Once sent, record it: casefile record-reminder {id} --date YYYY-MM-DD --channel email")
        say(hint.format(id=demand.id))
        return
    import re
    import shlex

    # The way the demand went, in the words it was recorded with: "--channel letter", not "email";
    # quoted for the shell only when it must be ("'in person'", not "'réunion'").
    channel = demand.channel if re.fullmatch(r"[\w@%+=:,./-]+", demand.channel) else shlex.quote(demand.channel)
    hint = _("Once sent, record it: casefile record-reminder {id} --date YYYY-MM-DD --channel {channel}")
    say(hint.format(id=demand.id, channel=channel))


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
    from casefile.workflow.followup import record_filing as apply

    filing = Filing(date=parse_date(date), channel=channel, to=to)
    commit(location(file).path, lambda case: (apply(case, filing), None))
    from casefile.cli.messages import how_sent, said_day

    say(
        _("Filed on {date}{how} to {to}. Follow the review with `casefile status`.").format(
            date=said_day(filing.date), how=how_sent(channel), to=to
        )
    )
    _warn_if_filed_unready(load_case(file).case, filing)


def _warn_if_filed_unready(case: Case, filing: Filing) -> None:
    """The filing is a fact and is recorded; but a letter ``check`` finds errors in (no signatory,
    an unresolved merge conflict...) was probably sent by mistake, and the user should know now.
    ``case`` is the whole case as read again (a change works on the items it touches only)."""
    from casefile.letter.checks import check as run_checks
    from casefile.letter.findings import Severity
    from casefile.workflow.followup import letter_day

    day = letter_day(case) or filing.date.last_day() or datetime.date.today()
    errors = sum(finding.severity is Severity.ERROR for finding in run_checks(case, today=day))
    if errors:
        say(
            ngettext(
                "casefile: warning: the letter had {count} error when filed (`casefile check` shows it); the "
                "filing is recorded all the same.",
                "casefile: warning: the letter had {count} errors when filed (`casefile check` shows them); the "
                "filing is recorded all the same.",
                errors,
            ).format(count=errors)
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
    from casefile.cli.messages import said_day, said_word

    say(_("Recorded: {stage} on {date}.").format(stage=said_word("stage", stage.value), date=said_day(record.date)))


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("set-letter-date")(set_letter_date)
    app.command("sign-off")(sign_off)
    app.command("diff-since")(diff_since)
    app.command("draft-reminder")(draft_reminder)
    app.command("record-reminder")(record_reminder)
    app.command("record-filing")(record_filing)
    app.command("record-stage")(record_stage)
