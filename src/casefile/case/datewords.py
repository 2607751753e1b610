"""Dates in the words of a letter: "11 February 2017", "hacia febrero de 2020", "jusqu'au 3 mai 2019".

Kept apart from :mod:`casefile.case.dates`, which every command imports: only letters, reminders and
exports need the wording of the three languages.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from casefile.case.dates import ENGLISH_MONTHS, DatePoint, EdtfDate

_EN_DASH = "\u2013"  # escaped: it looks just like a hyphen in an editor

_MONTHS_ES = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)
_MONTHS_FR = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


# eq/repr are never used on these three constants; skipping them keeps the import cheaper.
@dataclass(frozen=True, slots=True, kw_only=True, eq=False, repr=False)
class _Wording:
    """How one language writes dates. Prefixes carry their own trailing space or apostrophe.

    The ``*_day`` variants are used before a full day, which es and fr write with an article
    ("desde el 11 de febrero", "jusqu'au 11 février").
    """

    months: tuple[str, ...]
    around: str
    around_day: str
    approx_in_range_before: str  # en: "since around May 2016"
    approx_in_range_after: str  # es/fr: "desde mayo de 2016 aproximadamente"
    # An uncertain date is said as a translator says it, before it: "probablemente en 2019".
    probably: str  # before a range or an approximate date: "probably around May 2016"
    probably_in: str  # before a year or month: "probablemente en marzo de 2019"
    probably_on: str  # before a day: "probablement le 3 mai 2019"
    since: str
    since_day: str
    until: str
    until_day: str
    range_from: str
    range_from_day: str
    range_from_vowel: str  # fr elides: "d'avril 2016"
    range_to: str
    range_to_day: str
    # A range as the time something was done once: "between March and May 2019", "entre el 1 y el 3…".
    between: str
    between_day: str
    between_and: str
    between_and_day: str
    # A period with an approximate end is said from one end to the other ("from around 2016 to May
    # 2017", "depuis 2016 environ jusqu'en mai 2017"), not with the dash or "de … à" of exact ends.
    span_from: str
    span_from_day: str
    span_to: str
    span_to_day: str
    # es: "about" goes after the preposition of a range ("desde aproximadamente el 10 de febrero");
    # other languages put it around the date.
    about_after_preposition: str = ""


_WORDING = {
    "en": _Wording(
        months=ENGLISH_MONTHS,
        around="around ",
        around_day="around ",
        approx_in_range_before="around ",
        approx_in_range_after="",
        probably="probably ",
        probably_in="probably in ",
        probably_on="probably on ",
        since="since ",
        since_day="since ",
        until="until ",
        until_day="until ",
        range_from="",
        range_from_day="",
        range_from_vowel="",
        range_to=_EN_DASH,
        range_to_day=_EN_DASH,
        between="between ",
        between_day="between ",
        between_and="and",
        between_and_day="and",
        span_from="from ",
        span_from_day="from ",
        span_to="to",
        span_to_day="to",
    ),
    "es": _Wording(
        months=_MONTHS_ES,
        around="hacia ",
        around_day="hacia el ",
        approx_in_range_before="",
        approx_in_range_after="",
        probably="probablemente ",
        probably_in="probablemente en ",
        probably_on="probablemente el ",
        since="desde ",
        since_day="desde el ",
        until="hasta ",
        until_day="hasta el ",
        range_from="de ",
        range_from_day="del ",
        range_from_vowel="de ",
        range_to="a",
        range_to_day="al",
        between="entre ",
        between_day="entre el ",
        between_and="y",
        between_and_day="y el",
        span_from="desde ",
        span_from_day="desde el ",
        span_to="hasta",
        span_to_day="hasta el",
        about_after_preposition="aproximadamente",
    ),
    "fr": _Wording(
        months=_MONTHS_FR,
        around="vers ",
        around_day="vers le ",
        approx_in_range_before="",
        approx_in_range_after=" environ",
        probably="probablement ",
        probably_in="probablement en ",
        probably_on="probablement le ",
        since="depuis ",
        since_day="depuis le ",
        until="jusqu'en ",
        until_day="jusqu'au ",
        range_from="de ",
        range_from_day="du ",
        range_from_vowel="d'",
        range_to="à",
        range_to_day="au",
        between="entre ",
        between_day="entre le ",
        between_and="et",
        between_and_day="et le",
        span_from="depuis ",
        span_from_day="depuis le ",
        span_to="jusqu'en",
        span_to_day="jusqu'au",
    ),
}


def _wording(language: str) -> _Wording:
    try:
        return _WORDING[language]
    except KeyError:
        # Languages come from the model, not from users: an unknown one is a bug.
        expected = "expected 'en', 'es' or 'fr'"
        raise ValueError(f"unknown language {language!r}: {expected}") from None


def _bare(
    year: int, month: int | None, day: int | None, language: str, months: tuple[str, ...], *, with_year: bool = True
) -> str:
    """The date without qualifiers: "11 February 2017", "febrero de 2017", "1er février 2017".

    Without its year ("11 February", "febrero") when a range ends in the same year.
    """
    if month is None:
        return str(year)
    name = months[month - 1]
    if language == "es":
        month_year = f"{name} de {year}" if with_year else name
        return month_year if day is None else f"{day} de {month_year}"
    month_year = f"{name} {year}" if with_year else name
    if day is None:
        return month_year
    day_text = "1er" if language == "fr" and day == 1 else str(day)
    return f"{day_text} {month_year}"


def _alone(point: DatePoint, language: str, wording: _Wording, *, probable: bool = True) -> str:
    text = _bare(point.year, point.month, point.day, language, wording.months)
    if point.approximate:
        text = (wording.around_day if point.day is not None else wording.around) + text
        return wording.probably + text if point.uncertain and probable else text
    if point.uncertain and probable:
        return (wording.probably_on if point.day is not None else wording.probably_in) + text
    return text


def _in_range(point: DatePoint, language: str, wording: _Wording, *, with_year: bool = True) -> str:
    text = _bare(point.year, point.month, point.day, language, wording.months, with_year=with_year)
    if point.approximate:
        # "desde hacia mayo" reads badly, so es/fr move "about" after the date.
        text = wording.approx_in_range_before + text + wording.approx_in_range_after
    return text


def _about(words: str, point: DatePoint, wording: _Wording) -> str:
    """es: ``words`` ("desde el ", "y") with "aproximadamente" after their preposition when ``point`` is approximate."""
    if not (point.approximate and wording.about_after_preposition):
        return words
    first, *rest = words.split(" ")
    return " ".join([first, wording.about_after_preposition, *rest])


def _range_from(point: DatePoint, wording: _Wording) -> str:
    if point.day is not None:
        return wording.range_from_day
    # In a range es/fr put "about" after the date, so the month name always follows "de".
    if point.month is not None and wording.months[point.month - 1][0] in "aeiou":
        return wording.range_from_vowel
    return wording.range_from


def _same_month(start: DatePoint, end: DatePoint) -> bool:
    """Whether a range runs between two exact days of the same month."""
    if start.day is None or end.day is None or start.approximate or end.approximate:
        return False
    return (start.year, start.month) == (end.year, end.month)


def write_date(date: EdtfDate, language: str, *, between: bool = False, probable: bool = True) -> str:
    """Write a date or range for a letter in ``language`` ("en", "es" or "fr").

    An uncertain date is said probable ("probably in 2019", "probablemente el 3 de mayo de 2019"),
    unless not ``probable``: the sentence says it then ("plazo probable: 2019"); a range,
    ``between``, as the time within which something was done once ("between March and May 2019",
    "entre marzo y mayo de 2019"), else as a period ("March – May 2019", "de marzo a…").
    """
    wording = _wording(language)
    start, end = date.start, date.end
    if not date.is_interval:
        if start is None:  # pragma: no cover - parse_date never builds this
            raise ValueError("a single date needs a start")
        return _alone(start, language, wording, probable=probable)
    text = _range(start, end, language, wording, between=between)
    return wording.probably + text if probable and is_uncertain(date) else text


def is_uncertain(date: EdtfDate) -> bool:
    """Whether one end of ``date`` is uncertain ("2019?", "2019-03?/2019-05")."""
    return any(point is not None and point.uncertain for point in (date.start, date.end))


def _range(start: DatePoint | None, end: DatePoint | None, language: str, wording: _Wording, *, between: bool) -> str:
    if start is None:
        if end is None:  # pragma: no cover - parse_date refuses "../.."
            raise ValueError("a range needs at least one known end")
        until = wording.until_day if end.day is not None else wording.until
        return _about(until, end, wording) + _in_range(end, language, wording)
    if end is None:
        since = wording.since_day if start.day is not None else wording.since
        return _about(since, start, wording) + _in_range(start, language, wording)
    # A period with an approximate end: "desde aproximadamente 2016 hasta mayo de 2017".
    about = (start.approximate or end.approximate) and not between
    if between:
        to = wording.between_and_day if end.day is not None else wording.between_and
    elif about:
        to = wording.span_to_day if end.day is not None else wording.span_to
    else:
        to = wording.range_to_day if end.day is not None else wording.range_to
    to = _about(to, end, wording)
    if _same_month(start, end):
        # Days of one month name it once: "1–3 February 2017", "del 1 al 3 de febrero de 2017".
        first = "1er" if language == "fr" and start.day == 1 else str(start.day)
        if between:
            return f"{wording.between_day}{first} {to} " + _in_range(end, language, wording)
        if language == "en":
            return first + _EN_DASH + _in_range(end, language, wording)
        return wording.range_from_day + first + f" {to} " + _in_range(end, language, wording)
    # A careful writer names a shared year once: "February – May 2017", "de febrero a mayo de 2017".
    same_year = start.year == end.year and start.month is not None and end.month is not None
    with_year = not (same_year and not start.approximate)
    if between:
        opening = wording.between_day if start.day is not None else wording.between
    elif about:
        opening = wording.span_from_day if start.day is not None else wording.span_from
    else:
        opening = _range_from(start, wording)
    opening = _about(opening, start, wording)
    first = _in_range(start, language, wording, with_year=with_year)
    return opening + first + f" {to} " + _in_range(end, language, wording)


def write_day(day: datetime.date, language: str) -> str:
    """Write one full day, as ``write_date`` writes a full date."""
    wording = _wording(language)
    return _bare(day.year, day.month, day.day, language, wording.months)


def write_day_text(text: str, language: str) -> str:
    """``text`` as ``language`` writes a day when it is one ("2025-06-01"), else as it is ("2025-06")."""
    try:
        return write_day(datetime.date.fromisoformat(text), language)
    except ValueError:
        return text
