"""What a check finds: one thing to fix or consider, with its severity, rule and item.

Rules return findings and never raise, so ``casefile check`` lists every problem at once.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

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
