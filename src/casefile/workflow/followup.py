"""After the draft: sign-off by each signatory, reminders, the filing and the OGP review.

Pure functions over a Case. An approval records the SHA-256 of the exact letter a signatory
saw; since the letter's date is part of the case (``set-letter-date``), the same case gives
the same digest on any day, and any change to the text makes earlier approvals out of date.

Planning dates come from past Response Policy cases (Mexico 2018: acknowledged within days,
found eligible after 39 days, government reply about three months later, report after about
nine months, resolution after about seventeen). OGP publishes no official time limits, so
they are observations to plan with, not rules.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from casefile.case.ids import find_by_prefix
from casefile.case.model import (
    Approval,
    ApprovedText,
    Case,
    Demand,
    DemandStatus,
    Filing,
    Language,
    Reminder,
    Stage,
    StageRecord,
)
from casefile.errors import InvalidValue
from casefile.i18n import _


def letter_digest(text: str | Iterable[str]) -> str:
    """The digest that identifies one exact text of the letter (given whole or as pieces)."""
    digest = LetterDigest()
    for _piece in digest.encoded([text] if isinstance(text, str) else text):
        pass
    return str(digest)


class LetterDigest:
    """:func:`letter_digest`, worked out from the letter's bytes while they are written.

    A large letter is then encoded once, for writing and hashing both.
    """

    def __init__(self) -> None:
        self._hash = hashlib.sha256()

    def encoded(self, pieces: Iterable[str]) -> Iterator[bytes]:
        """The UTF-8 bytes of each piece, hashed as they are handed out."""
        for piece in pieces:
            data = piece.encode("utf-8")
            self._hash.update(data)
            yield data

    def __str__(self) -> str:
        return "sha256:" + self._hash.hexdigest()


def set_letter_date(case: Case, day: datetime.date) -> Case:
    """Fix the letter's date, so its text (and digest) no longer depends on the day."""
    from casefile.case.dates import parse_date

    return dataclasses.replace(case, letter_date=parse_date(day.isoformat()))


def letter_day(case: Case) -> datetime.date | None:
    """The letter's fixed date, if one was set."""
    return case.letter_date.first_day() if case.letter_date is not None else None


def letter_date_for(case: Case, as_of: datetime.date | None) -> datetime.date:
    """The date a letter carries: the one asked for, else the case's fixed date, else today."""
    return as_of or letter_day(case) or datetime.date.today()


def sign_off(
    case: Case, signatory_prefix: str, *, text: str, language: Language, day: datetime.date
) -> tuple[Case, Approval]:
    """Record that a signatory approved ``text``; keep the text for ``diff-since``."""
    from casefile.case.dates import parse_date

    signatory = find_by_prefix(case.signatories, signatory_prefix, what="signatory")
    approval = Approval(
        signatory=signatory.id, digest=letter_digest(text), language=language, date=parse_date(day.isoformat())
    )
    texts = case.approved_texts
    if all(kept.digest != approval.digest for kept in texts):
        texts = (*texts, ApprovedText(digest=approval.digest, text=text))
    return dataclasses.replace(case, approvals=(*case.approvals, approval), approved_texts=texts), approval


def latest_approvals(case: Case) -> dict[str, Approval]:
    """Each signatory's most recent approval (the last one recorded)."""
    latest: dict[str, Approval] = {}
    for approval in case.approvals:
        latest[approval.signatory] = approval
    return latest


@dataclass(frozen=True, slots=True, kw_only=True)
class SignOffState:
    """Where one signatory stands on the current text."""

    signatory: str
    name: str
    approval: Approval | None
    current: bool

    @property
    def state(self) -> str:
        """``approved``, ``out-of-date`` or ``pending``."""
        if self.approval is None:
            return "pending"
        return "approved" if self.current else "out-of-date"


def sign_off_states(case: Case, current_digests: Mapping[Language, str]) -> list[SignOffState]:
    """Every signatory, with their latest approval and whether it is of the current text."""
    latest = latest_approvals(case)
    states = []
    for signatory in case.signatories:
        approval = latest.get(signatory.id)
        current = approval is not None and current_digests.get(approval.language) == approval.digest
        states.append(SignOffState(signatory=signatory.id, name=signatory.name, approval=approval, current=current))
    return states


def approved_text(case: Case, signatory_prefix: str) -> tuple[Approval, str]:
    """The text a signatory last approved."""
    signatory = find_by_prefix(case.signatories, signatory_prefix, what="signatory")
    approval = latest_approvals(case).get(signatory.id)
    if approval is None:
        raise InvalidValue(
            _("{id} has not approved any text yet. Record it with `casefile sign-off {id}`.").format(id=signatory.id)
        )
    for kept in case.approved_texts:
        if kept.digest == approval.digest:
            return approval, kept.text
    raise InvalidValue(
        _("the text {id} approved ({digest}) is not kept in the case file.").format(
            id=signatory.id, digest=approval.digest
        )
    )


def record_reminder(case: Case, demand_prefix: str, reminder: Reminder) -> tuple[Case, Demand]:
    """Add a reminder sent about a demand."""
    from casefile.case.operations import replace_item

    demand = find_by_prefix(case.demands, demand_prefix, what="demand")
    updated = dataclasses.replace(demand, reminders=(*demand.reminders, reminder))
    return replace_item(case, demand, updated), updated


def record_filing(case: Case, filing: Filing) -> Case:
    """Record when and how the letter was sent to OGP."""
    return dataclasses.replace(case, filing=filing)


def record_stage(case: Case, record: StageRecord) -> Case:
    """Add a step of the review; a recommendation may carry a deadline."""
    if record.deadline is not None and record.stage is not Stage.RECOMMENDATION:
        raise InvalidValue(_("--deadline goes with a recommendation: `casefile record-stage recommendation ...`."))
    if case.filing is None:
        raise InvalidValue(_("record the filing first: `casefile record-filing --date YYYY-MM-DD`."))
    stages = sorted((*case.stages, record), key=lambda stage: stage.date.sort_key())
    return dataclasses.replace(case, stages=tuple(stages))


#: Observed intervals of past cases: (stage, what it follows, days after that).
PLANNING: tuple[tuple[Stage, str, int], ...] = (
    (Stage.ACKNOWLEDGED, "filing", 14),
    (Stage.ELIGIBLE, "filing", 42),
    (Stage.GOVERNMENT_RESPONSE, Stage.ELIGIBLE.value, 91),
    (Stage.REPORT, Stage.ELIGIBLE.value, 270),
    (Stage.RESOLUTION, "filing", 540),
)


@dataclass(frozen=True, slots=True, kw_only=True)
class PlannedStep:
    """The next step expected in the review, with a date to plan around."""

    stage: Stage
    planned: datetime.date
    basis: str
    overdue: bool
    weeks: int = 0  # what the basis says: past cases took about this many weeks ...
    after: str = ""  # ... from this stage, or "filing"


def _stage_day(case: Case, name: str) -> datetime.date | None:
    if name == "filing":
        return case.filing.date.last_day() if case.filing else None
    days = [record.date.last_day() for record in case.stages if record.stage.value == name]
    return next((day for day in days if day is not None), None)


def planned_steps(case: Case, today: datetime.date) -> list[PlannedStep]:
    """Steps not yet recorded, each with a planning date from past cases (not an OGP rule)."""
    if case.filing is None:
        return []
    done = {record.stage for record in case.stages}
    if done & {Stage.NOT_ELIGIBLE, Stage.CLOSED}:
        return []
    steps = []
    for stage, after, days in PLANNING:
        if stage in done:
            continue
        start = _stage_day(case, after)
        if start is None:
            continue
        planned = start + datetime.timedelta(days=days)
        weeks = days // 7
        basis = f"past cases took about {weeks} weeks from {after.replace('-', ' ')}; an observation, not an OGP rule"
        steps.append(
            PlannedStep(stage=stage, planned=planned, basis=basis, overdue=planned < today, weeks=weeks, after=after)
        )
    return steps


@dataclass(frozen=True, slots=True, kw_only=True)
class Overdue:
    """Something whose deadline passed without what was expected."""

    kind: str  # "demand" or "recommendation"
    id: str
    deadline: datetime.date  # its last day
    what: str
    given: str = ""  # the deadline as the case gives it ("2024-10?")


def overdue_items(case: Case, today: datetime.date) -> list[Overdue]:
    """Unanswered demands past their deadline, and recommendations past theirs."""
    items = []
    for demand in case.demands:
        deadline = demand.deadline.last_day() if demand.deadline else None
        if deadline is not None and demand.status(today) is DemandStatus.OVERDUE:
            what = f"{demand.to}: {demand.subject}"
            given = demand.deadline.text if demand.deadline else ""
            items.append(Overdue(kind="demand", id=demand.id, deadline=deadline, what=what, given=given))
    for index, record in enumerate(case.stages, start=1):
        deadline = record.deadline.last_day() if record.deadline else None
        if record.stage is Stage.RECOMMENDATION and deadline is not None and deadline < today:
            items.append(
                Overdue(
                    kind="recommendation",
                    id=f"recommendation-{index}",
                    deadline=deadline,
                    what=record.note,
                    given=record.deadline.text if record.deadline else "",
                )
            )
    return sorted(items, key=lambda item: item.deadline)
