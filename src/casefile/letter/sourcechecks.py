"""Rules on a case's evidence and dates: web sources without an archived copy, a response dated
before its demand, a year of joining OGP that cannot be (kept apart from checks.py, which would
pass 400 lines)."""

from __future__ import annotations

import datetime

from casefile.case.model import Case
from casefile.i18n import N_
from casefile.letter.findings import Country, Day, Finding, Severity, error, made_finding


def source_not_archived(case: Case, today: datetime.date) -> list[Finding]:
    """Links die, and reviewers read them years later: web sources need an archived copy."""
    findings = []
    web = ("http://", "https://")
    for event in case.events:
        # url[:8].lower() starts as url.lower() does (lower-casing never shortens a character).
        missing = [
            s.url
            for s in event.sources
            if not s.archived_url and (s.url.startswith(web) or s.url[:8].lower().startswith(web))
        ]
        if missing:  # made field by field: a large case has one for nearly every event
            values = (("count", len(missing)), ("missing", ", ".join(missing)), ("id", event.id))
            template = _NOT_ARCHIVED[len(missing) == 1]  # one source, or several
            findings.append(made_finding(Severity.WARNING, _NOT_ARCHIVED_RULE, event.id, None, template, values))
    return findings


_NOT_ARCHIVED_RULE = "source-not-archived"
_NOT_ARCHIVED = {
    True: N_(
        "A web source has no archived copy ({missing}). Save the page in a web archive, then run "
        "`casefile set-source {id} URL --archived-url ARCHIVE_URL`."
    ),
    False: N_(
        "{count} web sources have no archived copy ({missing}). Save each page in a web archive, then run "
        "`casefile set-source {id} URL --archived-url ARCHIVE_URL` for each."
    ),
}


def answered_before_asked(case: Case, today: datetime.date) -> list[Finding]:
    """A response dated before its demand was sent (a hand edit, or the demand's date edited since):
    the letter would say it was answered before it was asked."""
    from casefile.case.operations import answered_before_sent

    message = N_(
        "A response is dated {date}, before the demand was sent ({sent}): the letter would say it was "
        "answered before it was asked. Check both dates: `casefile edit {id} --date YYYY-MM-DD` corrects "
        "the demand's, and a response's is corrected in the case file."
    )
    return [
        error(
            "answered-before-asked",
            demand.id,
            message,
            date=Day(response.date.text),
            sent=Day(demand.date.text),
            id=demand.id,
        )
        for demand in case.demands
        for response in demand.responses
        if answered_before_sent(demand, response)
    ]


#: OGP was launched in September 2011, with eight founding governments: no one joined before.
OGP_FOUNDED = 2011


def ogp_joined_impossible(case: Case, today: datetime.date) -> list[Finding]:
    """The year of joining is a fact the letter states: one before OGP existed, or after the
    letter's date (a typo, or a hand edit), would be stated as it is."""
    joined = case.ogp_joined
    if joined is None:
        return []
    if joined < OGP_FOUNDED:
        message = N_(
            "The case says the country joined OGP in {year} ({country}), but OGP was founded in 2011: the "
            "letter would state that year as a fact. Correct it with `casefile edit-case --ogp-joined YEAR`."
        )
    elif joined > today.year:
        message = N_(
            "The case says the country joined OGP in {year} ({country}), after the letter's date ({date}): "
            "the letter would state that year as a fact. Correct it with `casefile edit-case --ogp-joined YEAR`."
        )
    else:
        return []
    return [error("ogp-joined", "", message, country=Country(case.country), year=joined, date=Day(today.isoformat()))]
