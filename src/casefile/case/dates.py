"""Dates as coalitions write them: a small EDTF (level 0-1) subset, parsed and written out.

Accepted: ``YYYY``, ``YYYY-MM`` and ``YYYY-MM-DD``, each optionally followed by one qualifier
(``~`` approximate, ``?`` uncertain, ``%`` both), and ranges ``A/B`` where either end (not both)
may be ``..`` for "open". Nothing else: no times, seasons, negative years or ``X`` digits.

The text the user typed is kept exactly (after stripping surrounding whitespace) so a case file
round-trips unchanged; the parsed parts are only used to sort, compare, count days and write
letters. Only ``re``, ``datetime``, ``dataclasses`` and the kinds (an enum) are imported, because
every CLI call imports this.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from casefile.case.kinds import DaysKnown
from casefile.errors import InvalidDate
from casefile.i18n import N_, _

__all__ = [
    "DatePoint",
    "EdtfDate",
    "Elapsed",
    "format_date",
    "format_day",
    "parse_date",
    "parse_day",
]

# [0-9], not \d: \d also matches other scripts' digits, which int() would then accept.
_POINT = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?([~?%])?")
_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_OPEN = ".."

_HINT = N_(
    "use YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2017-02-11 "
    "(add ~ for approximate, ? for uncertain, and / for a range such as 2016-05/2017-02)"
)
_DAY_HINT = N_("use YYYY-MM-DD, e.g. 2017-02-11")
#: The months as an error message names them (in the user's language; the letter has its own words).
_MONTH_WORDS = (
    *(N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June")),
    *(N_("July"), N_("August"), N_("September"), N_("October"), N_("November"), N_("December")),
)


ENGLISH_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if _is_leap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _problem(year: int, month: int | None, day: int | None) -> str | None:
    """Why these parts are not a real date, or None when they are."""
    if year < 1:
        # datetime.date cannot hold year 0, and no case reaches back that far.
        return _("year {year:04d} is not accepted").format(year=year)
    if month is None:
        return _("a day needs a month") if day is not None else None
    if not 1 <= month <= 12:
        return _("there is no month {month:02d}").format(month=month)
    if day is not None and not 1 <= day <= _days_in_month(year, month):
        return _("{month} {year} has no day {day:02d}").format(month=_(_MONTH_WORDS[month - 1]), year=year, day=day)
    return None


@dataclass(frozen=True, slots=True, kw_only=True)
class DatePoint:
    """One date at year, month or day precision, possibly approximate and/or uncertain."""

    year: int
    month: int | None = None
    day: int | None = None
    approximate: bool = False
    uncertain: bool = False

    def __post_init__(self) -> None:
        # Built in code, not from user text, so a bad one is a programming error.
        problem = _problem(self.year, self.month, self.day)
        if problem is not None:
            raise ValueError(f"invalid DatePoint: {problem}")

    def first_day(self) -> datetime.date:
        """The earliest day this point may denote."""
        return datetime.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> datetime.date:
        """The latest day this point may denote."""
        if self.month is None:
            return datetime.date(self.year, 12, 31)
        if self.day is None:
            return datetime.date(self.year, self.month, _days_in_month(self.year, self.month))
        return datetime.date(self.year, self.month, self.day)

    def _position(self) -> tuple[int, int, int]:
        # 0 for a missing part puts "2017" before "2017-01" before "2017-01-01".
        return (self.year, self.month or 0, self.day or 0)


@dataclass(frozen=True, slots=True, kw_only=True)
class Elapsed:
    """Days from a date to a day, and how well they are known.

    Attributes:
        days: counted from the latest day the date allows, or from its first day when the latest
            is after the day counted to (an open-ended range, a month not over); never below 0.
        known: EXACT for a date of one day; AT_LEAST for a period over before the day counted to
            (it may have begun earlier); None otherwise: ``days`` is then a guess, never a count
            to show anyone.
    """

    days: int
    known: DaysKnown | None


@dataclass(frozen=True, slots=True, kw_only=True)
class EdtfDate:
    """A date or range exactly as the user wrote it, with its parsed ends.

    For a single date ``end is start``; an open end (``..``) is None.
    """

    text: str
    start: DatePoint | None
    end: DatePoint | None
    is_interval: bool

    def __str__(self) -> str:
        return self.text

    def sort_key(self) -> tuple[int, ...]:
        """A chronological key: open start first, then by start, then by end."""
        start = self.start
        end = self.end
        if end is start and start is not None:  # one date, not a range: most dates, made quickly
            year, month, day = start.year, start.month or 0, start.day or 0
            approximate, uncertain = int(start.approximate), int(start.uncertain)
            return (1, year, month, day, 0, year, month, day, 0, approximate, uncertain, approximate, uncertain)
        start_key = (0, 0, 0, 0) if start is None else (1, *start._position())
        # A closed end sorts before an open one starting at the same point.
        end_key = (1, 0, 0, 0) if end is None else (0, *end._position())
        # Qualifiers only break ties, so equal keys mean equal dates.
        flags = (
            int(self.is_interval),
            int(start is not None and start.approximate),
            int(start is not None and start.uncertain),
            int(end is not None and end.approximate),
            int(end is not None and end.uncertain),
        )
        return (*start_key, *end_key, *flags)

    def first_day(self) -> datetime.date | None:
        """The earliest day of the start, or None when the start is open."""
        return None if self.start is None else self.start.first_day()

    def last_day(self) -> datetime.date | None:
        """The latest day of the end, or None when the end is open."""
        return None if self.end is None else self.end.last_day()

    def elapsed(self, day: datetime.date) -> Elapsed:
        """Days from this date to ``day`` (see :class:`Elapsed`): exact only from one known day."""
        first, last = self.first_day(), self.last_day()
        sent = last if last is not None and last <= day else first or last
        assert sent is not None  # a range has at least one known end
        if first is not None and first == last:  # one day: "2017-02-16", "2017-02-16~"
            known: DaysKnown | None = DaysKnown.EXACT
        elif last is not None and last < day:  # "2019" counted to 12 January 2020: 12 days or more
            known = DaysKnown.AT_LEAST
        else:  # "2020-01" counted to 12 January 2020, "2019-03/..": any number of days up to a bound
            known = None
        return Elapsed(days=max(0, (day - sent).days), known=known)


_new = object.__new__
# The slots' own setters: what the frozen dataclasses' __init__ calls for each field.
_set_year, _set_month, _set_day, _set_approximate, _set_uncertain = (
    vars(DatePoint)[name].__set__ for name in ("year", "month", "day", "approximate", "uncertain")
)
_set_text, _set_start, _set_end, _set_is_interval = (
    vars(EdtfDate)[name].__set__ for name in ("text", "start", "end", "is_interval")
)


# A day written as people write it by hand, day or month first: 16/02/2017, 02-16-2017, 16.02.2017.
_HANDWRITTEN = re.compile(r"([0-9]{1,2})([/.-])([0-9]{1,2})\2([0-9]{4})")
_SLASHED = re.compile(r"([0-9]{4})([/.])([0-9]{1,2})\2([0-9]{1,2})")


def _year_first(text: str) -> str | None:
    """For a day written as by hand ("16/02/2017", "2017/02/16"), how casefile writes it ("2017-02-16")."""
    match = _HANDWRITTEN.fullmatch(text)
    slashed = _SLASHED.fullmatch(text)
    if slashed is not None:  # 2017/02/16: the order is right, the marks are not
        year, month, day = int(slashed[1]), int(slashed[3]), int(slashed[4])
        if _problem(year, month, day) is None:
            return _("write it with hyphens, as in {date}").format(date=f"{year:04d}-{month:02d}-{day:02d}")
    if match is None:
        return None
    first, second, year = int(match[1]), int(match[3]), int(match[4])
    day_first = None if _problem(year, second, first) else f"{year:04d}-{second:02d}-{first:02d}"
    month_first = None if _problem(year, first, second) else f"{year:04d}-{first:02d}-{second:02d}"
    if day_first and month_first and day_first != month_first:
        return _(
            "the year comes first, as in {day_first} (if {first} is the day) or {month_first} (if it is the month)"
        ).format(day_first=day_first, first=first, month_first=month_first)
    written = day_first or month_first
    return None if written is None else _("the year comes first, as in {date}").format(date=written)


def _refuse(text: str, reason: str | None = None) -> InvalidDate:
    reason = reason or _year_first(text)
    if reason:
        return InvalidDate(
            _('"{text}" is not a date casefile understands: {reason}; {hint}').format(
                text=text, reason=reason, hint=_(_HINT)
            )
        )
    return InvalidDate(_('"{text}" is not a date casefile understands: {hint}').format(text=text, hint=_(_HINT)))


def _parse_point(part: str, text: str) -> DatePoint:
    match = _POINT.fullmatch(part)
    if match is None:
        raise _refuse(text, _("the date is empty") if not text else None)
    year_text, month_text, day_text, qualifier = match.groups()
    year = int(year_text)
    month = None if month_text is None else int(month_text)
    day = None if day_text is None else int(day_text)
    problem = _problem(year, month, day)
    if problem is not None:
        raise _refuse(text, problem)
    # Checked just above: made without DatePoint.__init__, which would check it again. Parsing
    # dates is a good part of reading a large case, and most of it was making these objects.
    point = _new(DatePoint)
    _set_year(point, year)
    _set_month(point, month)
    _set_day(point, day)
    _set_approximate(point, qualifier in ("~", "%"))
    _set_uncertain(point, qualifier in ("?", "%"))
    return point


def parse_date(text: str) -> EdtfDate:
    """Parse a date or range in casefile's EDTF subset; raise InvalidDate otherwise."""
    text = text.strip()
    if "/" not in text:
        point = _parse_point(text, text)
        single = _new(EdtfDate)  # as EdtfDate(text=text, start=point, end=point, is_interval=False)
        _set_text(single, text)
        _set_start(single, point)
        _set_end(single, point)
        _set_is_interval(single, False)
        return single
    parts = text.split("/")
    if len(parts) != 2:
        raise _refuse(text)
    first, second = parts
    if first == _OPEN and second == _OPEN:
        raise _refuse(text, _("a range needs at least one known end"))
    start = None if first == _OPEN else _parse_point(first, text)
    end = None if second == _OPEN else _parse_point(second, text)
    # Overlapping ends are fine ("2017/2017-03"); only a range that cannot hold a day is not.
    if start is not None and end is not None and start.first_day() > end.last_day():
        raise _refuse(text, _("the range starts after it ends"))
    return EdtfDate(text=text, start=start, end=end, is_interval=True)


def parse_day(text: str) -> datetime.date:
    """Parse one full day, ``YYYY-MM-DD`` with no qualifier; raise InvalidDate otherwise."""
    text = text.strip()
    match = _DAY.fullmatch(text)
    problem = None
    if match is not None:
        year, month, day = (int(group) for group in match.groups())
        problem = _problem(year, month, day)
        if problem is None:
            return datetime.date(year, month, day)
    if problem:
        raise InvalidDate(
            _('"{text}" is not a full day casefile understands: {reason}; {hint}').format(
                text=text, reason=problem, hint=_(_DAY_HINT)
            )
        )
    raise InvalidDate(_('"{text}" is not a full day casefile understands: {hint}').format(text=text, hint=_(_DAY_HINT)))


def format_date(date: EdtfDate, language: str) -> str:
    """Write a date or range for a letter in ``language`` ("en", "es" or "fr")."""
    from casefile.case.datewords import write_date

    return write_date(date, language)


def format_day(day: datetime.date, language: str) -> str:
    """Write one full day, as ``format_date`` writes a full date."""
    from casefile.case.datewords import write_day

    return write_day(day, language)
