"""What a check finds: one thing to fix or consider, with its severity, rule and item.

Also the findings made from facts outside the case: approvals of an earlier text, loose file modes.

Rules return findings and never raise, so ``casefile check`` lists every problem at once.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from casefile.case.model import Case
from casefile.i18n import N_, _, translating


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
    #: The catalogue's sentence the message is made from, and its values (see :meth:`shown`).
    template: str = ""
    values: tuple[tuple[str, Any], ...] = ()
    #: The message as it was written, if it was (else made from the template when asked for).
    written: str | None = field(default=None, repr=False, compare=False)

    @property
    def message(self) -> str:
        """In English, as ``check --json`` gives it (a stable promise to scripts).

        Made when asked for: ``status`` only counts a large case's findings, never reads them.
        """
        if self.written is not None:
            return self.written
        if not self.values:
            return self.template
        return self.template.format(**{name: _english_value(value) for name, value in self.values})

    def shown(self) -> str:
        """The message in the user's language, for people (the command line's translation)."""
        if not self.template or not translating():
            return self.message
        if not self.values:
            return _(self.template)
        values = {name: _shown_value(value) for name, value in self.values}
        if any(isinstance(value, Name) for _name, value in self.values):
            from casefile.i18n import language
            from casefile.letter.grammar import Verbatim, assemble

            kept = {name: value if isinstance(value, Name) else Verbatim(value) for name, value in values.items()}
            return assemble(language(), _(self.template), kept)
        return _(self.template).format(**values)


class Phrase(str):
    """A value of a finding that is itself a sentence of the catalogue (translated when shown)."""

    __slots__ = ()


class Name(str):
    """A value of a finding that is a name a quoted sentence puts after a word ("a demand from {name}"):
    people read it joined as their language joins it ("une demande d'Association…", "al Secretariado")."""

    __slots__ = ()


class Day(str):
    """A value of a finding that is a day, in ISO (``check --json``); people read it in their
    language ("1er juin 2025"). Text that is no single day is shown as it is."""

    __slots__ = ()


class Country(str):
    """A value of a finding that is the case's country as it holds it (a code such as ``MX``, or an
    old free-text name): its name is shown, in English in ``check --json``, else in the user's language."""

    __slots__ = ()


#: The kinds of value a finding shows in the user's language (kept by name in ``check``'s cache).
SHOWN_KINDS = (Phrase, Name, Day, Country)


def _english_value(value: Any) -> Any:
    if isinstance(value, Country):
        from casefile.case.countries import country_name

        return country_name(str(value), "en")
    return value


def _shown_value(value: Any) -> Any:
    if isinstance(value, Phrase):
        return _(value)
    if isinstance(value, Day):
        from casefile.case.datewords import write_day_text
        from casefile.i18n import language

        return write_day_text(str(value), language())
    if isinstance(value, Country):
        from casefile.case.countries import country_name
        from casefile.i18n import language

        return country_name(str(value), language())
    return value


#: The severities as ``check`` prints them for people.
SEVERITY_WORDS = (N_("error"), N_("warning"), N_("info"))

Rule = Callable[[Case, datetime.date], list[Finding]]


_new = object.__new__
# The slots' own setters: what the frozen dataclass's __init__ calls, without its keyword arguments
# (a large case has a hundred thousand findings: much of their cost was Finding.__init__).
_SET_SEVERITY, _SET_RULE, _SET_ITEM_ID, _SET_WRITTEN, _SET_TEMPLATE, _SET_VALUES = (
    vars(Finding)[name].__set__ for name in ("severity", "rule", "item_id", "written", "template", "values")
)


def made_finding(
    severity: Severity,
    rule: str,
    item_id: str,
    message: str | None,
    template: str,
    values: tuple[tuple[str, Any], ...],
) -> Finding:
    """``Finding(...)``, field by field (a large case has a hundred thousand findings).

    ``message`` None: made from ``template`` and ``values`` when asked for.
    """
    finding = _new(Finding)
    _SET_SEVERITY(finding, severity)
    _SET_RULE(finding, rule)
    _SET_ITEM_ID(finding, item_id)
    _SET_WRITTEN(finding, message)
    _SET_TEMPLATE(finding, template)
    _SET_VALUES(finding, values)
    return finding


def _finding(severity: Severity, rule: str, item_id: str, template: str, values: dict[str, Any]) -> Finding:
    """A finding whose message is ``template`` (marked with N_) with ``values``, in English."""
    return made_finding(severity, rule, item_id, None, template, tuple(values.items()))


def error(rule: str, item_id: str, template: str, /, **values: Any) -> Finding:
    return _finding(Severity.ERROR, rule, item_id, template, values)


def warning(rule: str, item_id: str, template: str, /, **values: Any) -> Finding:
    return _finding(Severity.WARNING, rule, item_id, template, values)


def info(rule: str, item_id: str, template: str, /, **values: Any) -> Finding:
    return _finding(Severity.INFO, rule, item_id, template, values)


def approvals_out_of_date(states: list[Any]) -> list[Finding]:
    """Nobody signs a text they did not see: an approval of an earlier text is an error.

    ``states`` are :class:`casefile.workflow.followup.SignOffState` values, worked out by the caller
    (it needs the drafted letter, which the rules here do not render).
    """
    return [
        error(
            "approval-out-of-date",
            state.signatory,
            N_(
                "{name} approved an earlier text of the letter on {date}. Show them the changes "
                "(`casefile diff-since {signatory}`) and record their approval again (`casefile sign-off "
                "{signatory}`)."
            ),
            name=state.name,
            date=Day(state.approval.date),
            signatory=state.signatory,
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
            N_("{path} can be read by other users of this computer (mode {mode:04o}). Run `chmod {value} {path}`."),
            path=path,
            mode=mode,
            value="700" if mode & 0o100 else "600",
        )
        for path, mode in loose
    ]


def unaccepted_recipients(source: str, keys: list[str]) -> list[Finding]:
    """Keys the recipients file of an encrypted case lists that the user has not accepted (a git pull
    may have added them): no new version can be written until they are accepted or removed."""
    if not keys:
        return []
    return [
        warning(
            "recipients-not-accepted",
            "",
            N_(
                "{source} lists keys you have not accepted ({keys}); a git pull may have added them. No new "
                "version of the case is written until you check who holds them and run `casefile recipients "
                "accept`, or `casefile recipients remove KEY`."
            ),
            source=source,
            keys=", ".join(keys),
        )
    ]
