"""Tests for casefile.case.dates: the EDTF subset, its ordering and how it is written in letters."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casefile.case.dates import (
    DatePoint,
    EdtfDate,
    format_date,
    format_day,
    parse_date,
    parse_day,
)
from casefile.case.datewords import write_date
from casefile.case.kinds import DaysKnown
from casefile.errors import CasefileError, InvalidDate

LANGUAGES = ("en", "es", "fr")
EXAMPLE = "e.g. 2017-02-11"
DASH = "\u2013"  # en dash


# --- accepted forms ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "year", "month", "day"),
    [
        ("2017", 2017, None, None),
        ("2017-02", 2017, 2, None),
        ("2017-02-11", 2017, 2, 11),
        ("0001", 1, None, None),
        ("9999-12-31", 9999, 12, 31),
    ],
)
def test_single_dates_at_each_precision(text: str, year: int, month: int | None, day: int | None) -> None:
    date = parse_date(text)
    assert date.start == DatePoint(year=year, month=month, day=day)
    assert date.end is date.start
    assert not date.is_interval
    assert date.text == text
    assert str(date) == text


@pytest.mark.parametrize(
    ("suffix", "approximate", "uncertain"),
    [("", False, False), ("~", True, False), ("?", False, True), ("%", True, True)],
)
@pytest.mark.parametrize("base", ["2017", "2017-02", "2017-02-11"])
def test_qualifiers(base: str, suffix: str, approximate: bool, uncertain: bool) -> None:
    date = parse_date(base + suffix)
    assert date.start is not None
    assert date.start.approximate is approximate
    assert date.start.uncertain is uncertain
    assert date.text == base + suffix


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2016-05/2017-02", DatePoint(year=2016, month=5), DatePoint(year=2017, month=2)),
        ("2016/..", DatePoint(year=2016), None),
        ("../2017-03~", None, DatePoint(year=2017, month=3, approximate=True)),
        (
            "2016-05-01?/2017%",
            DatePoint(year=2016, month=5, day=1, uncertain=True),
            DatePoint(year=2017, approximate=True, uncertain=True),
        ),
        # Ends may overlap: only a start after the end is refused.
        ("2017/2017-03", DatePoint(year=2017), DatePoint(year=2017, month=3)),
        ("2017-03/2017", DatePoint(year=2017, month=3), DatePoint(year=2017)),
        (
            "2017-02-11/2017-02-11",
            DatePoint(year=2017, month=2, day=11),
            DatePoint(year=2017, month=2, day=11),
        ),
    ],
)
def test_intervals(text: str, start: DatePoint | None, end: DatePoint | None) -> None:
    date = parse_date(text)
    assert date.is_interval
    assert date.start == start
    assert date.end == end
    assert date.text == text


def test_leap_day() -> None:
    date = parse_date("2020-02-29")
    assert date.first_day() == date.last_day() == datetime.date(2020, 2, 29)
    assert parse_date("2000-02-29").first_day() == datetime.date(2000, 2, 29)
    assert parse_day("2020-02-29") == datetime.date(2020, 2, 29)


def test_text_preserved_exactly_after_stripping() -> None:
    assert parse_date("  2016-05~/..\n").text == "2016-05~/.."
    assert parse_date("\t2017-02-11%").text == "2017-02-11%"


def test_equal_text_gives_equal_hashable_dates() -> None:
    first = parse_date("2016-05/2017-02")
    second = parse_date(" 2016-05/2017-02 ")
    assert first == second
    assert hash(first) == hash(second)
    assert {first: "x"}[second] == "x"
    assert parse_date("2017") != parse_date("2017~")


def test_dataclasses_are_frozen() -> None:
    date = parse_date("2017")
    with pytest.raises(AttributeError):
        date.text = "2018"  # type: ignore[misc]


# --- refused forms ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2017-13",
        "2017-00",
        "2017-02-30",
        "2017-02-00",
        "2019-02-29",
        "1900-02-29",
        "2017-04-31",
        "17-02-11",
        "2017/02/11",
        "",
        "   ",
        "../..",
        "2018/2017",
        "2017-03/2017-02-28",
        "2017-02-11T10:00",
        "2017~~",
        "2017~?",
        "~2017",
        "-2017",
        "0000",
        "2017-2",
        "2017-02-1",
        "20170",
        "2017-21",  # EDTF season
        "201X",
        "2017-XX",
        "2016-05 / 2017-02",
        "2016/",
        "/2017",
        "2016/../2017",
        "../",
        "..",
        "..~/2017",
        "{2016,2017}",
        "[2016..2017]",
        "٢٠١٧",  # Arabic-Indic digits: not 0-9
        "\uff12\uff10\uff11\uff17",  # full-width digits
        "2017-02-11\n2018",
    ],
)
def test_refused(text: str) -> None:
    with pytest.raises(InvalidDate) as caught:
        parse_date(text)
    message = str(caught.value)
    assert EXAMPLE in message
    assert f'"{text.strip()}"' in message
    assert isinstance(caught.value, CasefileError)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2017-13-01", "there is no month 13"),
        ("2019-02-29", "February 2019 has no day 29"),
        ("2018/2017", "the range starts after it ends"),
        ("../..", "at least one known end"),
        ("", "empty"),
    ],
)
def test_refusal_says_what_was_wrong(text: str, reason: str) -> None:
    with pytest.raises(InvalidDate, match=reason):
        parse_date(text)


def test_generic_refusal_message() -> None:
    with pytest.raises(InvalidDate) as caught:
        parse_date("2017-02-11T10:00")
    assert str(caught.value) == (
        '"2017-02-11T10:00" is not a date casefile understands: use YYYY, YYYY-MM or '
        "YYYY-MM-DD, e.g. 2017-02-11 (add ~ for approximate, ? for uncertain, and / for a "
        "range such as 2016-05/2017-02)"
    )


# --- parse_day --------------------------------------------------------------------------------


def test_parse_day() -> None:
    assert parse_day("2017-02-11") == datetime.date(2017, 2, 11)
    assert parse_day(" 2017-02-11 ") == datetime.date(2017, 2, 11)


@pytest.mark.parametrize("text", ["2017", "2017-02", "2017-02-11~", "2017-02-30", "2016/2017", "", "11/02/2017"])
def test_parse_day_refuses_anything_but_a_full_day(text: str) -> None:
    with pytest.raises(InvalidDate, match=EXAMPLE):
        parse_day(text)


# --- days covered -----------------------------------------------------------------------------


def test_first_and_last_day_of_a_month() -> None:
    date = parse_date("2016-02")
    assert date.first_day() == datetime.date(2016, 2, 1)
    assert date.last_day() == datetime.date(2016, 2, 29)
    assert parse_date("2017-02").last_day() == datetime.date(2017, 2, 28)
    assert parse_date("2017-04").last_day() == datetime.date(2017, 4, 30)


def test_first_and_last_day_of_a_year_and_intervals() -> None:
    assert parse_date("2017~").first_day() == datetime.date(2017, 1, 1)
    assert parse_date("2017~").last_day() == datetime.date(2017, 12, 31)
    interval = parse_date("2016-05/2017-02")
    assert interval.first_day() == datetime.date(2016, 5, 1)
    assert interval.last_day() == datetime.date(2017, 2, 28)
    assert parse_date("2016/..").last_day() is None
    assert parse_date("../2017").first_day() is None
    assert parse_date("../2017").last_day() == datetime.date(2017, 12, 31)


def test_date_point_refuses_impossible_parts() -> None:
    with pytest.raises(ValueError, match="February 2017 has no day 30"):
        DatePoint(year=2017, month=2, day=30)
    with pytest.raises(ValueError, match="a day needs a month"):
        DatePoint(year=2017, day=3)
    with pytest.raises(TypeError):
        DatePoint(2017)  # type: ignore[call-arg]


# --- ordering ---------------------------------------------------------------------------------


def _sorted(texts: list[str]) -> list[str]:
    return [d.text for d in sorted((parse_date(t) for t in texts), key=EdtfDate.sort_key)]


def test_sort_order_year_month_day() -> None:
    texts = ["2017-02-11", "2017", "2017-02", "2016-12~", "2017-02-01"]
    assert _sorted(texts) == ["2016-12~", "2017", "2017-02", "2017-02-01", "2017-02-11"]


def test_sort_order_of_intervals() -> None:
    texts = ["2017/..", "2016-05/2017-02", "../2016", "2016-05", "2016-05/2016-09", "../2015"]
    assert _sorted(texts) == [
        "../2015",
        "../2016",
        "2016-05",
        "2016-05/2016-09",
        "2016-05/2017-02",
        "2017/..",
    ]


def test_sort_key_is_total_for_different_texts() -> None:
    texts = ["2017", "2017~", "2017?", "2017%", "2017/2017", "2017/..", "2017-01"]
    keys = {parse_date(t).sort_key() for t in texts}
    assert len(keys) == len(texts)


# --- writing out ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "en", "es", "fr"),
    [
        ("2017-02-11", "11 February 2017", "11 de febrero de 2017", "11 février 2017"),
        ("2017-02", "February 2017", "febrero de 2017", "février 2017"),
        ("2017", "2017", "2017", "2017"),
        ("2017-02-01", "1 February 2017", "1 de febrero de 2017", "1er février 2017"),
        ("2016~", "around 2016", "hacia 2016", "vers 2016"),
        ("2017-02~", "around February 2017", "hacia febrero de 2017", "vers février 2017"),
        (
            "2017-02-11~",
            "around 11 February 2017",
            "hacia el 11 de febrero de 2017",
            "vers le 11 février 2017",
        ),
        (
            "2017-02-11?",
            "probably on 11 February 2017",
            "probablemente el 11 de febrero de 2017",
            "probablement le 11 février 2017",
        ),
        (
            "2016%",
            "probably around 2016",
            "probablemente hacia 2016",
            "probablement vers 2016",
        ),
        ("2019?", "probably in 2019", "probablemente en 2019", "probablement en 2019"),
        ("2019-03?", "probably in March 2019", "probablemente en marzo de 2019", "probablement en mars 2019"),
        (
            "2016-05/2017-02",
            f"May 2016 {DASH} February 2017",
            "de mayo de 2016 a febrero de 2017",
            "de mai 2016 à février 2017",
        ),
        ("2016/2017", f"2016 {DASH} 2017", "de 2016 a 2017", "de 2016 à 2017"),
        (
            "2016-04/2017-02",
            f"April 2016 {DASH} February 2017",
            "de abril de 2016 a febrero de 2017",
            "d'avril 2016 à février 2017",
        ),
        (
            "2017-02-01/2017-03-03",
            f"1 February {DASH} 3 March 2017",
            "del 1 de febrero al 3 de marzo de 2017",
            "du 1er février au 3 mars 2017",
        ),
        # Days of one month name the month and year once.
        (
            "2017-02-01/2017-02-03",
            f"1{DASH}3 February 2017",
            "del 1 al 3 de febrero de 2017",
            "du 1er au 3 février 2017",
        ),
        (
            "2017-02-10~/2017-02-12",
            "from around 10 February 2017 to 12 February 2017",
            "desde aproximadamente el 10 de febrero de 2017 hasta el 12 de febrero de 2017",
            "depuis le 10 février 2017 environ jusqu'au 12 février 2017",
        ),
        # A year shared by both ends is written once, unless the start is only approximate.
        ("2017-02/2017-05", f"February {DASH} May 2017", "de febrero a mayo de 2017", "de février à mai 2017"),
        (
            "2017-02~/2017-05",
            "from around February 2017 to May 2017",
            "desde aproximadamente febrero de 2017 hasta mayo de 2017",
            "depuis février 2017 environ jusqu'en mai 2017",
        ),
        ("2016-05/..", "since May 2016", "desde mayo de 2016", "depuis mai 2016"),
        (
            "2016-05-11/..",
            "since 11 May 2016",
            "desde el 11 de mayo de 2016",
            "depuis le 11 mai 2016",
        ),
        ("../2017-02", "until February 2017", "hasta febrero de 2017", "jusqu'en février 2017"),
        ("../2017", "until 2017", "hasta 2017", "jusqu'en 2017"),
        (
            "../2017-02-11",
            "until 11 February 2017",
            "hasta el 11 de febrero de 2017",
            "jusqu'au 11 février 2017",
        ),
        (
            "2016-05~/..",
            "since around May 2016",
            "desde aproximadamente mayo de 2016",
            "depuis mai 2016 environ",
        ),
        (
            "2016-08~/2017?",
            "probably from around August 2016 to 2017",
            "probablemente desde aproximadamente agosto de 2016 hasta 2017",
            "probablement depuis août 2016 environ jusqu'en 2017",
        ),
        (
            "2019-03?/2019-05",
            f"probably March {DASH} May 2019",
            "probablemente de marzo a mayo de 2019",
            "probablement de mars à mai 2019",
        ),
    ],
)
def test_format_date(text: str, en: str, es: str, fr: str) -> None:
    date = parse_date(text)
    assert format_date(date, "en") == en
    assert format_date(date, "es") == es
    assert format_date(date, "fr") == fr


@pytest.mark.parametrize(
    ("text", "en", "es", "fr"),
    [
        ("2019-03/2019-05", "between March and May 2019", "entre marzo y mayo de 2019", "entre mars et mai 2019"),
        (
            "2016-04/2017-02",
            "between April 2016 and February 2017",
            "entre abril de 2016 y febrero de 2017",
            "entre avril 2016 et février 2017",
        ),
        (
            "2017-02-01/2017-02-03",
            "between 1 and 3 February 2017",
            "entre el 1 y el 3 de febrero de 2017",
            "entre le 1er et le 3 février 2017",
        ),
        (
            "2017-02-01/2017-03-03",
            "between 1 February and 3 March 2017",
            "entre el 1 de febrero y el 3 de marzo de 2017",
            "entre le 1er février et le 3 mars 2017",
        ),
        (
            "2019-03?/2019-05",
            "probably between March and May 2019",
            "probablemente entre marzo y mayo de 2019",
            "probablement entre mars et mai 2019",
        ),
        ("2016-05/..", "since May 2016", "desde mayo de 2016", "depuis mai 2016"),
        ("2019~", "around 2019", "hacia 2019", "vers 2019"),
        (
            "2016~/2017-05",
            "between around 2016 and May 2017",
            "entre aproximadamente 2016 y mayo de 2017",
            "entre 2016 environ et mai 2017",
        ),
    ],
)
def test_a_range_said_as_the_time_something_was_done_once(text: str, en: str, es: str, fr: str) -> None:
    date = parse_date(text)
    assert [write_date(date, language, between=True) for language in ("en", "es", "fr")] == [en, es, fr]


@pytest.mark.parametrize(
    ("text", "es"),
    [
        ("2016~/2017-05", "desde aproximadamente 2016 hasta mayo de 2017"),
        ("2017-02/2017-05~", "desde febrero hasta aproximadamente mayo de 2017"),
        ("2017-02-01/2017-02-03~", "desde el 1 de febrero hasta aproximadamente el 3 de febrero de 2017"),
        ("../2017-05~", "hasta aproximadamente mayo de 2017"),
    ],
)
def test_spanish_says_about_after_the_preposition_of_a_range(text: str, es: str) -> None:
    """It said "de 2016 aproximadamente a mayo de 2017", "desde mayo de 2016 aproximadamente"."""
    assert format_date(parse_date(text), "es") == es


@pytest.mark.parametrize(
    ("text", "en", "fr"),
    [
        ("2016~/2017-05", "from around 2016 to May 2017", "depuis 2016 environ jusqu'en mai 2017"),
        ("2017-02/2017-05~", "from February to around May 2017", "depuis février jusqu'en mai 2017 environ"),
        (
            "2017-02-01/2017-02-03~",
            "from 1 February to around 3 February 2017",
            "depuis le 1er février jusqu'au 3 février 2017 environ",
        ),
    ],
)
def test_a_period_with_an_approximate_end_is_said_from_one_end_to_the_other(text: str, en: str, fr: str) -> None:
    """It said "Around 2016 – May 2017", "De 2016 environ à mai 2017", as Spanish said "De 2016 aproximadamente a…"."""
    date = parse_date(text)
    assert (format_date(date, "en"), format_date(date, "fr")) == (en, fr)


def test_format_date_uses_en_dash_with_spaces() -> None:
    assert f" {DASH} " in format_date(parse_date("2016-05/2017-02"), "en")


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "1 December 2017"), ("es", "1 de diciembre de 2017"), ("fr", "1er décembre 2017")],
)
def test_format_day(language: str, expected: str) -> None:
    assert format_day(datetime.date(2017, 12, 1), language) == expected
    assert format_day(datetime.date(2017, 12, 1), language) == format_date(parse_date("2017-12-01"), language)


@pytest.mark.parametrize("language", ["de", "", "EN"])
def test_unknown_language_is_a_programming_error(language: str) -> None:
    with pytest.raises(ValueError, match="unknown language"):
        format_date(parse_date("2017"), language)
    with pytest.raises(ValueError, match="unknown language"):
        format_day(datetime.date(2017, 1, 1), language)


# --- properties -------------------------------------------------------------------------------

_QUALIFIERS = st.sampled_from(["", "~", "?", "%"])


@st.composite
def _point_texts(draw: st.DrawFn) -> str:
    day = draw(st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31)))
    precision = draw(st.sampled_from(["year", "month", "day"]))
    text = {
        "year": f"{day.year:04d}",
        "month": f"{day.year:04d}-{day.month:02d}",
        "day": day.isoformat(),
    }[precision]
    return text + draw(_QUALIFIERS)


@st.composite
def _date_texts(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["single", "closed", "open start", "open end"]))
    if kind == "single":
        return draw(_point_texts())
    if kind == "open start":
        return "../" + draw(_point_texts())
    if kind == "open end":
        return draw(_point_texts()) + "/.."
    first, second = draw(_point_texts()), draw(_point_texts())
    # Put the ends in order so the range is valid.
    if parse_date(first).sort_key() > parse_date(second).sort_key():
        first, second = second, first
    return f"{first}/{second}"


@given(_date_texts())
def test_valid_dates_round_trip_and_always_format(text: str) -> None:
    date = parse_date(text)
    assert date.text == text
    assert parse_date(text) == date
    assert parse_date(f"  {text}\n") == date
    for language in LANGUAGES:
        written = format_date(date, language)
        assert written
        assert written == written.strip()
    first, last = date.first_day(), date.last_day()
    if first is not None and last is not None:
        assert first <= last


@given(_point_texts(), _point_texts())
def test_sort_key_agrees_with_first_day(first_text: str, second_text: str) -> None:
    first, second = parse_date(first_text), parse_date(second_text)
    first_day, second_day = first.first_day(), second.first_day()
    assert first_day is not None
    assert second_day is not None
    if first_day < second_day:
        assert first.sort_key() < second.sort_key()


@given(st.dates(min_value=datetime.date(1, 1, 1)))
def test_full_days_parse_and_format_like_dates(day: datetime.date) -> None:
    text = day.isoformat()
    assert parse_day(text) == day
    date = parse_date(text)
    assert date.first_day() == date.last_day() == day
    for language in LANGUAGES:
        assert format_day(day, language) == format_date(date, language)


@given(st.text(max_size=30))
def test_arbitrary_text_parses_or_raises_invalid_date(text: str) -> None:
    try:
        date = parse_date(text)
    except InvalidDate as error:
        message = str(error)
    else:
        assert date.text == text.strip()
        return
    assert EXAMPLE in message


@pytest.mark.parametrize("text", ["2017", "2017-02", "2017-02-11", "2016-05~", "2017?", "2017-02-11%"])
def test_a_parsed_date_is_the_date_its_constructor_makes(text: str) -> None:
    """parse_date skips the constructors' second check: what it makes must still be the same value."""
    parsed = parse_date(text)
    point = parsed.start
    assert point is not None
    made_point = DatePoint(
        year=point.year, month=point.month, day=point.day, approximate=point.approximate, uncertain=point.uncertain
    )
    made = EdtfDate(text=text, start=made_point, end=made_point, is_interval=False)
    assert parsed == made and hash(parsed) == hash(made) and repr(parsed) == repr(made)
    assert parsed.end is parsed.start and not parsed.is_interval


@pytest.mark.parametrize("text", ["2017", "2017-02", "2017-02-11", "2016-05~", "2017?", "2017-02-11%"])
def test_the_sort_key_of_one_date_is_that_of_a_range_from_it_to_itself(text: str) -> None:
    single = parse_date(text)
    point = single.start
    as_range = EdtfDate(text=f"{text}/{text}", start=point, end=DatePoint(**_fields(point)), is_interval=False)
    assert as_range.end is not as_range.start  # so sort_key takes its general path
    assert single.sort_key() == as_range.sort_key()


def _fields(point: DatePoint | None) -> dict[str, Any]:
    assert point is not None
    return {name: getattr(point, name) for name in ("year", "month", "day", "approximate", "uncertain")}


# --- days from a date, and how well they are known -----------------------------------------------

TWELFTH = datetime.date(2020, 1, 12)


@pytest.mark.parametrize(
    ("text", "days", "known"),
    [
        ("2019-12-20", 23, DaysKnown.EXACT),  # one known day
        ("2019-12-20~", 23, DaysKnown.EXACT),  # around one day, as the letter counts it
        ("2019-12-20/2019-12-20", 23, DaysKnown.EXACT),  # a range of one day is that day
        ("2020-01-12", 0, DaysKnown.EXACT),
        ("2019", 12, DaysKnown.AT_LEAST),  # sent by 31 December 2019: 12 days or more
        ("2019-12", 12, DaysKnown.AT_LEAST),
        ("2019-02/2019-05", 226, DaysKnown.AT_LEAST),
        ("../2019-12", 12, DaysKnown.AT_LEAST),
        ("2020-01", 11, None),  # sent on any day from 1 to 12 January (or later): not known
        ("2019/2020", 376, None),  # a period not over
        ("2019-03/..", 317, None),  # open-ended: sent on 1 March 2019 or any day since
        ("2020-01-01/2020-01-12", 0, None),  # its last day is the day counted to
    ],
)
def test_days_elapsed_are_exact_only_from_one_known_day(text: str, days: int, known: DaysKnown | None) -> None:
    elapsed = parse_date(text).elapsed(TWELFTH)
    assert (elapsed.days, elapsed.known) == (days, known)


@given(_date_texts(), st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31)))
def test_days_elapsed_are_never_more_than_the_true_count_unless_unknown(text: str, day: datetime.date) -> None:
    """An exact count is the count from the date's one day; a lower bound is at most the count from
    any day the date allows (up to ``day``); the days are those casefile always gave."""
    date = parse_date(text)
    elapsed = date.elapsed(day)
    first, last = date.first_day(), date.last_day()
    sent = last if last is not None and last <= day else first or last
    assert sent is not None
    assert elapsed.days == max(0, (day - sent).days)  # what days_unanswered always was
    if elapsed.known is DaysKnown.EXACT:
        assert first == last
    elif elapsed.known is DaysKnown.AT_LEAST:
        assert last is not None and last < day and elapsed.days == (day - last).days
        earliest = first or datetime.date(1, 1, 1)
        assert all(elapsed.days <= (day - possible).days for possible in (earliest, last))
    else:
        assert first != last and (last is None or last >= day)


def test_a_demand_waits_until_it_is_answered() -> None:
    from casefile.case.model import Demand, Response, ResponseStatus

    demand = Demand(id="d", date=parse_date("2019"), to="SFP", subject="S")
    assert demand.waiting(TWELFTH) == parse_date("2019").elapsed(TWELFTH)
    assert demand.days_unanswered(TWELFTH) == 12
    answered = Demand(
        id="d",
        date=demand.date,
        to="SFP",
        subject="S",
        responses=(Response(date=parse_date("2019-12"), status=ResponseStatus.PARTIAL),),
    )
    assert answered.waiting(TWELFTH) is None and answered.days_unanswered(TWELFTH) is None
