"""Where a case may belong instead of the Response Policy: Procedural Review, the Rapid Response Protocol.

Two rules of ``check`` that only inform (the research found no official routing rule): each says
which other OGP mechanism may fit and asks the user to verify against the current procedures.
"""

from __future__ import annotations

import datetime
import re

from casefile.case.model import Case, ConcernCategory
from casefile.i18n import N_
from casefile.letter.findings import Finding, info

#: Events within this many days of the check count as recent.
RECENT_DAYS = 30

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
            N_(
                "Every concern looks like a process failure (action plan, co-creation, repository). "
                "Those are handled by OGP's Procedural Review rather than the Response Policy; verify "
                "against the current Response Policy procedures."
            ),
        )
    ]


def routing_rapid_response(case: Case, today: datetime.date) -> list[Finding]:
    """Acute, urgent situations have the Rapid Response Protocol."""
    urgent_tags: dict[tuple[str, ...], bool] = {}  # by tags: a large case's events share a few
    first_urgent = None
    for event in case.events:
        if event.tags:
            urgent = urgent_tags.get(event.tags)
            if urgent is None:
                urgent = urgent_tags[event.tags] = not _URGENT_TAGS.isdisjoint(map(str.lower, event.tags))
            if urgent:
                first_urgent = event
                break
    if first_urgent is not None:
        item = first_urgent.id
    else:  # a case whose every event is recent, one of them tagged, looks urgent too
        recent_dates: dict[str, bool] = {}  # by date text: a large case's dates repeat
        for event in case.events:
            is_recent = recent_dates.get(event.date.text)
            if is_recent is None:
                last = event.date.last_day()
                is_recent = recent_dates[event.date.text] = last is not None and 0 <= (today - last).days <= RECENT_DAYS
            if not is_recent:
                return []
        if not any(event.tags for event in case.events):
            return []
        item = case.events[0].id
    return [
        info(
            "route-rapid-response",
            item,
            N_(
                "The case looks acute and urgent. OGP's Rapid Response Protocol is meant for such "
                "situations and may act faster than the Response Policy; verify against the current "
                "Response Policy procedures."
            ),
        )
    ]
