"""Is the letter ready to send? Small pure rules, each returning findings; none of them raises.

Every rule takes the case and the day of the check and returns a list of :class:`Finding`,
so ``casefile check`` reports every problem at once, each with the item it is about and a
sentence saying how to fix it. Where the research behind casefile found no official rule
(the Letter of Concern Requirements were not available), findings say so and ask the user to
verify against the current Response Policy procedures instead of inventing a rule.
"""

from __future__ import annotations

import datetime

from casefile.case.model import Case, ConcernCategory, Role, SignatoryKind
from casefile.i18n import N_
from casefile.letter.findings import Country, Day, Finding, Rule, Severity, error, info, made_finding, warning
from casefile.letter.routing import routing_procedural_review, routing_rapid_response
from casefile.letter.sourcechecks import answered_before_asked, ogp_joined_impossible, source_not_archived
from casefile.letter.textchecks import dates_after_letter, missing_translations, private_data_in_public_text

VERIFY = "verify against the current Response Policy procedures"
ADDRESSEES_MAX_AGE_DAYS = 180


def no_signatories(case: Case, today: datetime.date) -> list[Finding]:
    """A letter needs someone to file it."""
    if case.signatories:
        return []
    return [
        error(
            "no-signatories",
            "",
            N_("The case has no signatories. Add one with `casefile add-signatory --name NAME --lead`."),
        )
    ]


def no_lead(case: Case, today: datetime.date) -> list[Finding]:
    """One signatory leads the filing and is named first."""
    if not case.signatories or any(signatory.role is Role.LEAD for signatory in case.signatories):
        return []
    first = case.signatories[0].id
    return [
        error(
            "no-lead",
            "",
            N_("No signatory leads the filing. Mark one with `casefile edit {first} --lead`."),
            first=first,
        )
    ]


def duplicate_signatories(case: Case, today: datetime.date) -> list[Finding]:
    """Each signatory signs once: the same name twice (after a hand edit, an import or a merge) is an error."""
    from casefile.case.names import duplicates

    return [
        error(
            "duplicate-signatory",
            later.id,
            N_(
                "{id} ({name}) and {id2} ({name2}) look like the same signatory: the letter would list "
                "it twice. Remove one (`casefile remove {id}`, after moving its demands to {id2} with "
                "`casefile edit DEMAND_ID --by ...`), or, if they are different, add `distinct_from = "
                '["{id2}"]` to {id} in the case file.'
            ),
            id=later.id,
            name=later.name,
            id2=earlier.id,
            name2=earlier.name,
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
            N_(
                "Every signatory is an individual, and individuals acting on their own behalf cannot "
                "file under the Response Policy. Add an organisation that is or was involved in OGP in "
                "the country (`casefile add-signatory --kind cso`)."
            ),
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
            N_(
                "The eligible-filer category is not set. Set it with `casefile edit-case "
                "--filer-category involved-entity` (or sc-member, multilateral), and verify against the "
                "current Response Policy procedures."
            ),
        )
    ]


def concern_without_event(case: Case, today: datetime.date) -> list[Finding]:
    """Each concern stands on dated facts."""
    linked = {concern_id for event in case.events for concern_id in event.concerns}
    return [
        error(
            "concern-without-event",
            concern.id,
            N_("The concern has no event. Link one with `casefile edit EVENT_ID --concern {id}`."),
            id=concern.id,
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
            N_(
                "The concern names no Open Government Declaration commitment or OGP value. Add one with "
                '`casefile edit {id} --breaches "OGD: support civic participation"`.'
            ),
            id=concern.id,
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
            N_(
                'The concern\'s category is "other" with no text. Explain it with `casefile edit {id} '
                "--category-other TEXT`, or choose one of the four Response Policy categories."
            ),
            id=concern.id,
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
            N_(
                "The event has no source, so the letter cannot footnote it. Add one with `casefile edit "
                "{id} --source URL`."
            ),
            id=event.id,
        )
        for event in case.events
        if not event.sources
    ]


def demand_incomplete(case: Case, today: datetime.date) -> list[Finding]:
    """A demand shows when it was sent and to whom."""
    findings = []
    for demand in case.demands:
        if not demand.to.strip():
            findings.append(
                error(
                    "demand-incomplete",
                    demand.id,
                    N_("The demand has no recipient. Set it with `casefile edit {id} --to NAME`."),
                    id=demand.id,
                )
            )
        if demand.date.first_day() is None:
            findings.append(
                error(
                    "demand-incomplete",
                    demand.id,
                    N_("The demand has no start date. Set it with `casefile edit {id} --date YYYY-MM-DD`."),
                    id=demand.id,
                )
            )
    return findings


def events_before_joining(case: Case, today: datetime.date) -> list[Finding]:
    """Events from before the country joined OGP are probably not OGP's business."""
    if case.ogp_joined is None:
        return []
    message = N_(
        "The event is dated before the country joined OGP ({country}, {ogp_joined}). Keep it only "
        "as background, or correct its date."
    )
    values = (("country", Country(case.country)), ("ogp_joined", case.ogp_joined))
    findings = []
    before: dict[str, bool] = {}  # by date text: a large case's dates repeat
    for event in case.events:
        earlier = before.get(event.date.text)
        if earlier is None:
            last = event.date.last_day()
            earlier = before[event.date.text] = last is not None and last.year < case.ogp_joined
        if earlier:
            findings.append(made_finding(Severity.WARNING, "before-joining", event.id, None, message, values))
    return findings


def addressees_not_verified(case: Case, today: datetime.date) -> list[Finding]:
    """The Steering Committee's co-chairs change; names must be checked before sending."""
    if not case.addressees:
        return [
            info(
                "addressees",
                "",
                N_(
                    "The letter is addressed to the Lead Co-Chairs without names. To name them, check the "
                    "current co-chairs and run `casefile edit-case --addressee NAME ... "
                    "--addressees-verified YYYY-MM-DD`."
                ),
            )
        ]
    verified = case.addressees_verified.last_day() if case.addressees_verified else None
    if verified is not None and (today - verified).days <= ADDRESSEES_MAX_AGE_DAYS:
        return []
    if case.addressees_verified:
        return [
            warning(
                "addressees",
                "",
                N_(
                    "The addressee names were last checked on {date}. Check the current Steering Committee "
                    "co-chairs and run `casefile edit-case --addressees-verified {today}`."
                ),
                date=Day(case.addressees_verified.text),
                today=today.isoformat(),
            )
        ]
    return [
        warning(
            "addressees",
            "",
            N_(
                "The addressee names were never marked as checked. Check the current Steering Committee "
                "co-chairs and run `casefile edit-case --addressees-verified {today}`."
            ),
            today=today.isoformat(),
        )
    ]


def demand_senders_unknown(case: Case, today: datetime.date) -> list[Finding]:
    """A demand with no sender reads as sent by "the signatories"; say who if known."""
    return [
        info(
            "demand-senders",
            demand.id,
            N_("The demand names no sender. Add them with `casefile edit {id} --by ID`."),
            id=demand.id,
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
            N_(
                "The Letter of Concern Requirements (Annex 1 of the Procedures and Protocols) were not "
                "available when casefile was written: verify against the current Response Policy "
                "procedures before sending."
            ),
        )
    ]


def unresolved_conflicts(case: Case, today: datetime.date) -> list[Finding]:
    """A git merge left conflicts in the file: settle them before anything is sent."""
    from casefile.collab.conflicts import conflicts_in
    from casefile.errors import CasefileError

    try:
        conflicts = conflicts_in(case)
    except CasefileError as unreadable:
        return [
            error(
                "unresolved-conflict",
                "",
                N_("The case file's conflict records cannot be read: {unreadable}"),
                unreadable=unreadable,
            )
        ]
    from casefile.collab.conflicts import WHOLE_ITEM

    found = []
    for conflict in conflicts:
        whole = conflict.field == WHOLE_ITEM
        if whole:
            values = {"deleted": conflict.deleted, "kept": conflict.kept(), "settle": conflict.settle_command()}
        else:  # the command in the sentence, its VALUE in the user's language (JSON: settle_command's)
            values = {"field": conflict.field, "item": conflict.item}
        message = _REMOVED_AND_CHANGED if whole else _CHANGED_TWICE
        found.append(error("unresolved-conflict", conflict.item, message, **values))
    return found


_REMOVED_AND_CHANGED = N_(
    "A merge left a conflict: removed by {deleted}, changed by {kept}. "
    "See it with `casefile conflicts` and settle it with `{settle}`."
)
_CHANGED_TWICE = N_(
    "A merge left a conflict: {field} changed on both sides. See it with `casefile conflicts` and settle it "
    "with `casefile resolve {item} --field {field} --take ours|theirs|VALUE`."
)


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
    answered_before_asked,
    ogp_joined_impossible,
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
    from casefile.letter.textchecks import articles_missing

    facts = letter_facts(case, today)
    findings = dates_after_letter(case, today)
    findings += [finding for rule in (*RULES, *extra) for finding in rule(facts, today)]
    if language is not None:
        findings += missing_translations(facts, language)
    findings += articles_missing(facts, language or facts.language.value, today)
    # Errors, then warnings, then information, each in the order found (what a stable sort gives).
    return [finding for severity in Severity for finding in findings if finding.severity is severity]
