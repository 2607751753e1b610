"""The rule on web sources without an archived copy (kept apart from checks.py, which would pass 400 lines)."""

from __future__ import annotations

import datetime

from casefile.case.model import Case
from casefile.i18n import N_
from casefile.letter.findings import Finding, Severity, made_finding


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
