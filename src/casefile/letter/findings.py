"""What a check finds: one thing to fix or consider, with its severity, rule and item.

Also the findings made from facts outside the case: approvals of an earlier text, loose file modes.

Rules return findings and never raise, so ``casefile check`` lists every problem at once.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from casefile.case.model import Case


class Severity(StrEnum):
    """How much a finding matters: errors stop ``check`` with exit 1."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """One thing to fix or consider before sending the letter."""

    severity: Severity
    rule: str
    item_id: str
    message: str


Rule = Callable[[Case, datetime.date], list[Finding]]


def error(rule: str, item_id: str, message: str) -> Finding:
    return Finding(severity=Severity.ERROR, rule=rule, item_id=item_id, message=message)


def warning(rule: str, item_id: str, message: str) -> Finding:
    return Finding(severity=Severity.WARNING, rule=rule, item_id=item_id, message=message)


def info(rule: str, item_id: str, message: str) -> Finding:
    return Finding(severity=Severity.INFO, rule=rule, item_id=item_id, message=message)


def approvals_out_of_date(states: list[Any]) -> list[Finding]:
    """Nobody signs a text they did not see: an approval of an earlier text is an error.

    ``states`` are :class:`casefile.workflow.followup.SignOffState` values, worked out by the caller
    (it needs the drafted letter, which the rules here do not render).
    """
    return [
        error(
            "approval-out-of-date",
            state.signatory,
            f"{state.name} approved an earlier text of the letter on {state.approval.date}. Show them the changes "
            f"(`casefile diff-since {state.signatory}`) and record their approval again (`casefile sign-off "
            f"{state.signatory}`).",
        )
        for state in states
        if state.state == "out-of-date"
    ]


def loose_permissions(loose: list[tuple[str, int]]) -> list[Finding]:
    """Files of the case (case file, backup, lock, evidence) that others can read."""
    return [
        warning(
            "permissions",
            "",
            f"{path} can be read by other users of this computer (mode {mode:04o}). Run `chmod "
            f"{'700' if mode & 0o100 else '600'} {path}`.",
        )
        for path, mode in loose
    ]
