"""Is the letter ready to send? Small pure rules, each returning findings; none of them raises.

Every rule takes the case and the day of the check and returns a list of :class:`Finding`,
so ``casefile check`` reports every problem at once, each with the item it is about and a
sentence saying how to fix it. Where the research behind casefile found no official rule
(the Letter of Concern Requirements were not available), findings say so and ask the user to
verify against the current Response Policy procedures instead of inventing a rule.
"""

from __future__ import annotations

import datetime
import re

from casefile.case.model import Case, ConcernCategory, Role, SignatoryKind
from casefile.letter.findings import Finding, Rule, Severity, error, info, warning
from casefile.letter.textchecks import dates_after_letter, missing_translations, private_data_in_public_text

VERIFY = "verify against the current Response Policy procedures"
ADDRESSEES_MAX_AGE_DAYS = 180
RECENT_DAYS = 30


def no_signatories(case: Case, today: datetime.date) -> list[Finding]:
    """A letter needs someone to file it."""
    if case.signatories:
        return []
    return [
        error(
            "no-signatories",
            "",
            "The case has no signatories. Add one with `casefile add-signatory --name NAME --lead`.",
        )
    ]


def no_lead(case: Case, today: datetime.date) -> list[Finding]:
    """One signatory leads the filing and is named first."""
    if not case.signatories or any(signatory.role is Role.LEAD for signatory in case.signatories):
        return []
    first = case.signatories[0].id
    return [error("no-lead", "", f"No signatory leads the filing. Mark one with `casefile edit {first} --lead`.")]


def duplicate_signatories(case: Case, today: datetime.date) -> list[Finding]:
    """Each signatory signs once: the same name twice (after a hand edit, an import or a merge) is an error."""
    from casefile.case.names import duplicates

    return [
        error(
            "duplicate-signatory",
            later.id,
            f"{later.id} ({later.name}) and {earlier.id} ({earlier.name}) look like the same signatory: the "
            f"letter would list it twice. Remove one (`casefile remove {later.id}`, after moving its demands "
            f"to {earlier.id} with `casefile edit DEMAND_ID --by ...`), or, if they are different, add "
            f'`distinct_from = ["{earlier.id}"]` to {later.id} in the case file.',
        )
        for earlier, later in duplicates(case.signatories)
    ]


def only_individuals(case: Case, today: datetime.date) -> list[Finding]:
    """An individual acting on their own behalf is not an eligible filer."""
    if not case.signatories or any(s.kind is not SignatoryKind.INDIVIDUAL for s in case.signatories):
        return []
    return [
        error(
            "only-individuals",
            "",
            "Every signatory is an individual, and individuals acting on their own behalf cannot file under "
            "the Response Policy. Add an organisation that is or was involved in OGP in the country "
            "(`casefile add-signatory --kind cso`).",
        )
    ]


def filer_category_missing(case: Case, today: datetime.date) -> list[Finding]:
    """The letter states which eligible-filer category the coalition falls in."""
    if case.filer_category is not None:
        return []
    return [
        warning(
            "filer-category",
            "",
            "The eligible-filer category is not set. Set it with `casefile edit-case --filer-category "
            f"involved-entity` (or sc-member, multilateral), and {VERIFY}.",
        )
    ]


def concern_without_event(case: Case, today: datetime.date) -> list[Finding]:
    """Each concern stands on dated facts."""
    linked = {concern_id for event in case.events for concern_id in event.concerns}
    return [
        error(
            "concern-without-event",
            concern.id,
            f"The concern has no event. Link one with `casefile edit EVENT_ID --concern {concern.id}`.",
        )
        for concern in case.concerns
        if concern.id not in linked
    ]


def concern_without_breach(case: Case, today: datetime.date) -> list[Finding]:
    """Reviewers test relevance to the Open Government Declaration: name what is breached."""
    return [
        error(
            "concern-without-breach",
            concern.id,
            "The concern names no Open Government Declaration commitment or OGP value. Add one with "
            f'`casefile edit {concern.id} --breaches "OGD: support civic participation"`.',
        )
        for concern in case.concerns
        if not concern.breaches
    ]


def other_category_unexplained(case: Case, today: datetime.date) -> list[Finding]:
    """A concern outside the four named categories says what it is about."""
    return [
        warning(
            "category-other",
            concern.id,
            f'The concern\'s category is "other" with no text. Explain it with `casefile edit {concern.id} '
            "--category-other TEXT`, or choose one of the four Response Policy categories.",
        )
        for concern in case.concerns
        if concern.category is ConcernCategory.OTHER and not concern.category_other.strip()
    ]


def event_without_source(case: Case, today: datetime.date) -> list[Finding]:
    """Every claim in the letter is footnoted to a source."""
    return [
        error(
            "event-without-source",
            event.id,
            "The event has no source, so the letter cannot footnote it. "
            f"Add one with `casefile edit {event.id} --source URL`.",
        )
        for event in case.events
        if not event.sources
    ]


def source_not_archived(case: Case, today: datetime.date) -> list[Finding]:
    """Links die, and reviewers read them years later: web sources need an archived copy."""
    findings = []
    for event in case.events:
        missing = [
            s.url for s in event.sources if s.url.lower().startswith(("http://", "https://")) and not s.archived_url
        ]
        if missing:
            findings.append(
                warning(
                    "source-not-archived",
                    event.id,
                    f"{len(missing)} web source(s) have no archived copy ({missing[0]}). Save the page in a web "
                    f"archive, then run `casefile set-source {event.id} URL --archived-url ARCHIVE_URL`.",
                )
            )
    return findings


def demand_incomplete(case: Case, today: datetime.date) -> list[Finding]:
    """A demand shows when it was sent and to whom."""
    findings = []
    for demand in case.demands:
        if not demand.to.strip():
            findings.append(
                error(
                    "demand-incomplete",
                    demand.id,
                    f"The demand has no recipient. Set it with `casefile edit {demand.id} --to NAME`.",
                )
            )
        if demand.date.first_day() is None:
            findings.append(
                error(
                    "demand-incomplete",
                    demand.id,
                    f"The demand has no start date. Set it with `casefile edit {demand.id} --date YYYY-MM-DD`.",
                )
            )
    return findings


def events_before_joining(case: Case, today: datetime.date) -> list[Finding]:
    """Events from before the country joined OGP are probably not OGP's business."""
    if case.ogp_joined is None:
        return []
    message = (
        f"The event is dated before {case.country} joined OGP ({case.ogp_joined}). Keep it only as "
        "background, or correct its date."
    )
    findings = []
    before: dict[str, bool] = {}  # by date text: a large case's dates repeat
    for event in case.events:
        earlier = before.get(event.date.text)
        if earlier is None:
            last = event.date.last_day()
            earlier = before[event.date.text] = last is not None and last.year < case.ogp_joined
        if earlier:
            findings.append(warning("before-joining", event.id, message))
    return findings


def addressees_not_verified(case: Case, today: datetime.date) -> list[Finding]:
    """The Steering Committee's co-chairs change; names must be checked before sending."""
    if not case.addressees:
        return [
            info(
                "addressees",
                "",
                "The letter is addressed to the Lead Co-Chairs without names. To name them, check the current "
                "co-chairs and run `casefile edit-case --addressee NAME ... --addressees-verified YYYY-MM-DD`.",
            )
        ]
    verified = case.addressees_verified.last_day() if case.addressees_verified else None
    if verified is not None and (today - verified).days <= ADDRESSEES_MAX_AGE_DAYS:
        return []
    when = (
        f"were last checked on {case.addressees_verified}"
        if case.addressees_verified
        else "were never marked as checked"
    )
    return [
        warning(
            "addressees",
            "",
            f"The addressee names {when}. Check the current Steering Committee co-chairs and run "
            f"`casefile edit-case --addressees-verified {today.isoformat()}`.",
        )
    ]


_PROCESS_WORDS = re.compile(
    r"action plan|co-?creation|repository|dialogue forum|multi-?stakeholder forum|deadline|late|self-assessment"
    r"|plan de acci[oó]n|cocreaci[oó]n|plan d'action|co-?cr[ée]ation",
    re.IGNORECASE,
)
_URGENT_TAGS = frozenset({"urgent", "acute", "rapid-response", "urgente"})


def routing_procedural_review(case: Case, today: datetime.date) -> list[Finding]:
    """Process failures alone belong to Procedural Review, not the Response Policy."""
    if not case.concerns or any(concern.category is not ConcernCategory.OTHER for concern in case.concerns):
        return []
    texts = " ".join(f"{c.title} {c.category_other} {c.summary}" for c in case.concerns)
    if not _PROCESS_WORDS.search(texts):
        return []
    return [
        info(
            "route-procedural-review",
            "",
            "Every concern looks like a process failure (action plan, co-creation, repository). Those are "
            f"handled by OGP's Procedural Review rather than the Response Policy; {VERIFY}.",
        )
    ]


def routing_rapid_response(case: Case, today: datetime.date) -> list[Finding]:
    """Acute, urgent situations have the Rapid Response Protocol."""
    urgent = [event for event in case.events if event.tags and not _URGENT_TAGS.isdisjoint(map(str.lower, event.tags))]
    recent_dates: dict[str, bool] = {}  # by date text: a large case's dates repeat
    recent = []
    for event in case.events:
        is_recent = recent_dates.get(event.date.text)
        if is_recent is None:
            last = event.date.last_day()
            is_recent = recent_dates[event.date.text] = last is not None and 0 <= (today - last).days <= RECENT_DAYS
        if is_recent:
            recent.append(event)
    if not urgent and not (recent and any(e.tags for e in recent) and len(recent) == len(case.events)):
        return []
    item = (urgent or recent)[0].id
    return [
        info(
            "route-rapid-response",
            item,
            "The case looks acute and urgent. OGP's Rapid Response Protocol is meant for such situations and "
            f"may act faster than the Response Policy; {VERIFY}.",
        )
    ]


def demand_senders_unknown(case: Case, today: datetime.date) -> list[Finding]:
    """A demand with no sender reads as sent by "the signatories"; say who if known."""
    return [
        info(
            "demand-senders",
            demand.id,
            f"The demand names no sender. Add them with `casefile edit {demand.id} --by ID`.",
        )
        for demand in case.demands
        if not demand.by
    ]


def annex_requirements(case: Case, today: datetime.date) -> list[Finding]:
    """The official list of what a letter must contain was not available to casefile."""
    return [
        info(
            "annex-1",
            "",
            f"The Letter of Concern Requirements (Annex 1 of the Procedures and Protocols) were not available "
            f"when casefile was written: {VERIFY} before sending.",
        )
    ]


def unresolved_conflicts(case: Case, today: datetime.date) -> list[Finding]:
    """A git merge left conflicts in the file: settle them before anything is sent."""
    from casefile.collab.conflicts import conflicts_in
    from casefile.errors import CasefileError

    try:
        conflicts = conflicts_in(case)
    except CasefileError as unreadable:
        return [error("unresolved-conflict", "", f"The case file's conflict records cannot be read: {unreadable}")]
    return [
        error(
            "unresolved-conflict",
            conflict.item,
            f"A merge left a conflict: {conflict.what()}. See it with `casefile conflicts` and settle it "
            f"with `{conflict.settle_command()}`.",
        )
        for conflict in conflicts
    ]


#: Every rule ``check`` runs, in the order their findings are listed.
RULES: tuple[Rule, ...] = (
    unresolved_conflicts,
    no_signatories,
    no_lead,
    duplicate_signatories,
    only_individuals,
    filer_category_missing,
    concern_without_event,
    concern_without_breach,
    other_category_unexplained,
    event_without_source,
    source_not_archived,
    demand_incomplete,
    demand_senders_unknown,
    events_before_joining,
    addressees_not_verified,
    private_data_in_public_text,
    routing_procedural_review,
    routing_rapid_response,
    annex_requirements,
)


def check(
    case: Case, *, today: datetime.date, extra: tuple[Rule, ...] = (), language: str | None = None
) -> list[Finding]:
    """Run every rule (and ``extra`` ones) and return all findings, errors first.

    ``today`` is the letter's date. The rules look at the facts the letter keeps on that date
    (:func:`casefile.case.bounds.letter_facts`); :func:`dates_after_letter` lists the ones it leaves out.
    With ``language``, the texts of the letter in that language with no version in it are listed too.
    """
    from casefile.case.bounds import letter_facts

    facts = letter_facts(case, today)
    findings = dates_after_letter(case, today)
    findings += [finding for rule in (*RULES, *extra) for finding in rule(facts, today)]
    if language is not None:
        findings += missing_translations(facts, language)
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    return sorted(findings, key=lambda finding: order[finding.severity])
