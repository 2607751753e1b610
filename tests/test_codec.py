"""The codec round-trips every valid case: Case -> TOML text -> Case gives the same case back.

The strategies build cases from the model: texts with unicode, quotes, newlines and ``#``;
every form of EDTF date casefile accepts; references between items that point at items that
exist; and unknown keys in every table, which must come back unchanged.
"""

from __future__ import annotations

import dataclasses
import datetime
import marshal
import tomllib
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casefile.case import codec, fastdecode
from casefile.case.dates import EdtfDate, parse_date
from casefile.case.migrations import migrate
from casefile.case.model import (
    Case,
    Concern,
    ConcernCategory,
    Contact,
    Demand,
    Event,
    FilerCategory,
    Language,
    Response,
    ResponseStatus,
    Role,
    Signatory,
    SignatoryKind,
    Source,
)
from casefile.errors import CaseFileInvalid
from casefile.storage import cacherows, tomltext

Draw = Callable[[st.SearchStrategy[Any]], Any]

TRICKY_TEXTS = (
    "",
    "#",
    "# not a comment",
    'say "hi"',
    '"""',
    "'''",
    "it's",
    "C:\\path\\",
    "two\nlines",
    "ends with a newline\n",
    "\nstarts with one",
    "windows\r\nline end",
    "lone\rreturn",
    'a"""\n"""b',
    "tab\tand\x7fcontrol\x00",
    "[[events]]\nid = 'x'",
    "Artículo 19 — «derechos» 日本語 🙂",
)
TEXT = st.one_of(
    st.text(st.characters(codec="utf-8"), max_size=25),
    st.sampled_from(TRICKY_TEXTS),
    st.lists(st.sampled_from(TRICKY_TEXTS), max_size=3).map("".join),
)
TEXTS = st.lists(TEXT, max_size=3).map(tuple)
ID = st.from_regex(r"[a-z0-9][a-z0-9-]{0,20}", fullmatch=True)

# Unknown keys start with "x" plus a character no model field has, so they never clash with one.
EXTRA_KEY = st.builds(lambda sep, rest: "x" + sep + rest, st.sampled_from(["-", " ", ".", "é"]), TEXT)
EXTRA_VALUE = st.one_of(
    TEXT,
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.lists(TEXT, max_size=3),
    st.lists(st.integers(min_value=-1000, max_value=1000), max_size=3),
)
EXTRA = st.dictionaries(EXTRA_KEY, EXTRA_VALUE, max_size=2)


@st.composite
def date_points(draw: Draw) -> str:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, maybe with ``~``, ``?`` or ``%``."""
    day = draw(st.dates(min_value=datetime.date(1, 1, 1)))
    precision = draw(st.sampled_from([4, 7, 10]))
    return day.isoformat()[:precision] + draw(st.sampled_from(["", "~", "?", "%"]))


@st.composite
def edtf_dates(draw: Draw) -> EdtfDate:
    """A single date, or a range whose ends are in order and at most one of them open."""
    if draw(st.booleans()):
        return parse_date(draw(date_points()))
    first, second = parse_date(draw(date_points())), parse_date(draw(date_points()))
    if first.sort_key() > second.sort_key():
        first, second = second, first
    start, end = first.text, second.text
    open_end = draw(st.sampled_from([None, "start", "end"]))
    if open_end == "start":
        start = ".."
    elif open_end == "end":
        end = ".."
    return parse_date(f"{start}/{end}")


OPTIONAL_DATE = st.none() | edtf_dates()

SOURCE = st.builds(Source, url=TEXT, title=TEXT, publisher=TEXT, date=OPTIONAL_DATE, extra=EXTRA)
RESPONSE = st.builds(Response, date=edtf_dates(), status=st.sampled_from(ResponseStatus), summary=TEXT, extra=EXTRA)


def signatories(ids: list[str]) -> st.SearchStrategy[tuple[Signatory, ...]]:
    return st.tuples(
        *(
            st.builds(
                Signatory,
                id=st.just(item_id),
                name=TEXT,
                short_name=TEXT,
                country=TEXT,
                kind=st.sampled_from(SignatoryKind),
                representative=TEXT,
                representative_title=TEXT,
                email=TEXT,
                role=st.sampled_from(Role),
                extra=EXTRA,
            )
            for item_id in ids
        )
    )


def concerns(ids: list[str]) -> st.SearchStrategy[tuple[Concern, ...]]:
    return st.tuples(
        *(
            st.builds(
                Concern,
                id=st.just(item_id),
                title=TEXT,
                category=st.sampled_from(ConcernCategory),
                summary=TEXT,
                category_other=TEXT,
                breaches=TEXTS,
                extra=EXTRA,
            )
            for item_id in ids
        )
    )


def events(ids: list[str], concern_ids: list[str]) -> st.SearchStrategy[tuple[Event, ...]]:
    refs = st.lists(st.sampled_from(concern_ids), max_size=2).map(tuple) if concern_ids else st.just(())
    return st.tuples(
        *(
            st.builds(
                Event,
                id=st.just(item_id),
                date=edtf_dates(),
                title=TEXT,
                description=TEXT,
                actors=TEXTS,
                tags=TEXTS,
                concerns=refs,
                sources=st.lists(SOURCE, max_size=2).map(tuple),
                private_notes=TEXT,
                extra=EXTRA,
            )
            for item_id in ids
        )
    )


def demands(ids: list[str], signatory_ids: list[str]) -> st.SearchStrategy[tuple[Demand, ...]]:
    refs = st.lists(st.sampled_from(signatory_ids), max_size=2).map(tuple) if signatory_ids else st.just(())
    return st.tuples(
        *(
            st.builds(
                Demand,
                id=st.just(item_id),
                date=edtf_dates(),
                to=TEXT,
                subject=TEXT,
                by=refs,
                channel=TEXT,
                text=TEXT,
                deadline=OPTIONAL_DATE,
                responses=st.lists(RESPONSE, max_size=2).map(tuple),
                extra=EXTRA,
            )
            for item_id in ids
        )
    )


@st.composite
def cases(draw: Draw) -> Case:
    """A valid case: unique ids across all kinds, and every reference names an existing item."""
    counts = [draw(st.integers(min_value=0, max_value=3)) for _ in range(4)]
    ids = draw(st.lists(ID, min_size=sum(counts), max_size=sum(counts), unique=True))
    split = [ids[sum(counts[:n]) : sum(counts[: n + 1])] for n in range(4)]
    signatory_ids, concern_ids, event_ids, demand_ids = split
    extra = draw(EXTRA)
    case_extra = draw(EXTRA)
    if case_extra:  # unknown keys of [case] are kept under extra["case"]
        extra["case"] = case_extra
    return Case(
        title=draw(TEXT),
        country=draw(TEXT),
        language=draw(st.sampled_from(Language)),
        ogp_joined=draw(st.none() | st.integers(min_value=2011, max_value=2100)),
        action_plan=draw(TEXT),
        contact=draw(st.builds(Contact, name=TEXT, organisation=TEXT, email=TEXT, extra=EXTRA)),
        request=draw(TEXT),
        addressees=draw(TEXTS),
        addressees_verified=draw(OPTIONAL_DATE),
        filer_category=draw(st.none() | st.sampled_from(FilerCategory)),
        signatories=draw(signatories(signatory_ids)),
        concerns=draw(concerns(concern_ids)),
        events=draw(events(event_ids, concern_ids)),
        demands=draw(demands(demand_ids, signatory_ids)),
        retired_ids=tuple(draw(st.lists(ID, max_size=2))),
        extra=extra,
    )


def canonical(case: Case) -> Case:
    """The case with events and demands in the order the encoder writes them."""

    def key(item: Event | Demand) -> tuple[tuple[int, ...], str]:
        return (item.date.sort_key(), item.id)

    return dataclasses.replace(
        case, events=tuple(sorted(case.events, key=key)), demands=tuple(sorted(case.demands, key=key))
    )


def read_back(text: str) -> Case:
    return codec.decode(migrate(tomllib.loads(text)))


@given(cases())
def test_round_trip_gives_the_same_case(case: Case) -> None:
    assert read_back(tomltext.dumps(case)) == canonical(case)


@given(cases())
def test_saving_an_unchanged_case_changes_nothing(case: Case) -> None:
    text = tomltext.dumps(case)
    assert tomltext.dumps(read_back(text)) == text


def test_events_and_demands_are_written_by_date_then_id() -> None:
    late = Event(id="b-late", date=parse_date("2018"), title="Late")
    early = Event(id="z-early", date=parse_date("2016-05~/2017"), title="Early")
    tie = Event(id="a-late", date=parse_date("2018"), title="Tie")
    document = tomllib.loads(tomltext.dumps(Case(title="T", country="M", events=(late, early, tie))))
    assert [event["id"] for event in document["events"]] == ["z-early", "a-late", "b-late"]


def test_crlf_in_a_text_is_kept() -> None:
    case = Case(title="T", country="M", request="first\r\nsecond\nthird")
    assert read_back(tomltext.dumps(case)).request == "first\r\nsecond\nthird"


def test_multiline_texts_stay_readable() -> None:
    text = tomltext.dumps(Case(title="T", country="M", request="first\nsecond"))
    assert 'request = """\nfirst\nsecond"""' in text


def test_bare_toml_date_reads_as_the_same_day() -> None:
    document = tomllib.loads(
        'schema_version = 1\n[case]\ntitle = "T"\ncountry = "M"\naddressees_verified = 2017-02-11\n'
    )
    assert codec.decode(document).addressees_verified == parse_date("2017-02-11")


@pytest.mark.parametrize(
    ("case_table", "place"),
    [
        ({"country": "M"}, "case.title"),
        ({"title": "T", "country": "M", "ogp_joined": "2011"}, "case.ogp_joined"),
        ({"title": "T", "country": "M", "ogp_joined": True}, "case.ogp_joined"),
        ({"title": "T", "country": "M", "language": "de"}, "case.language"),
        ({"title": "T", "country": "M", "contact": "Ana"}, "case.contact"),
        ({"title": "T", "country": "M", "addressees": ["a", 3]}, "case.addressees[2]"),
    ],
)
def test_decode_names_the_place_of_a_bad_value(case_table: dict[str, Any], place: str) -> None:
    with pytest.raises(CaseFileInvalid) as error:
        codec.decode({"schema_version": 1, "case": case_table})
    assert [problem.place for problem in error.value.problems] == [place]


def test_decode_goes_on_after_a_missing_case_table() -> None:
    document = {"schema_version": 1, "events": [{"id": "e", "date": "2017-13", "title": "T"}]}
    with pytest.raises(CaseFileInvalid) as error:
        codec.decode(document)
    assert [problem.place for problem in error.value.problems] == ["case", "events[1].date"]


def test_places_count_broken_items_too() -> None:
    """A broken item is left out, but later problems still name their own place in the file."""
    document = {
        "schema_version": 1,
        "case": {"title": "T", "country": "M"},
        "signatories": [{"id": "s", "name": "S", "kind": "ngo"}],
        "events": [
            {"id": "a", "date": "2017-02-30", "title": "Bad date"},
            {"id": "b", "date": "2017", "title": "B", "concerns": ["nothing"]},
            {"id": "b", "date": "2017", "title": "Same id"},
        ],
        "demands": [{"id": "d", "date": "2017", "to": "X", "subject": "Y", "by": ["s"]}],
    }
    with pytest.raises(CaseFileInvalid) as error:
        codec.decode(document)
    assert [problem.place for problem in error.value.problems] == [
        "signatories[1].kind",
        "events[1].date",
        "events[3].id",  # not events[2]: events[1] was left out
        "events[2].concerns",
    ]  # and no "demands[1].by" problem: signatory "s" exists, only its kind is wrong


# --- the generated fast decoders agree with the field-by-field decoder --------------------------------

MANGLED_VALUE = st.one_of(st.integers(), st.booleans(), st.just([1]), st.just({}), st.just("not a date"), TEXT)


@given(cases(), st.data())
def test_fast_decoding_builds_what_field_by_field_decoding_builds(case: Case, data: st.DataObject) -> None:
    """Item by item, on valid tables and on tables with one key removed or given a wrong value."""
    document = migrate(tomllib.loads(tomltext.dumps(case)))
    for name, cls in codec.ARRAYS.items():
        for written in document.get(name, []):
            table = dict(written)
            mangled = bool(table) and data.draw(st.booleans())
            if mangled:
                key = data.draw(st.sampled_from(sorted(table)))
                if data.draw(st.booleans()):
                    del table[key]
                else:
                    table[key] = data.draw(MANGLED_VALUE)
            problems = codec._Problems()
            slow = codec._decode_item_slowly(cls, table, name, problems)
            # The fast path for short arrays, and the code generated for long ones.
            for fast in (fastdecode.fast_item(cls, table), fastdecode.fast_decoder(cls)(table)):
                if not mangled:  # what casefile writes always takes the fast path
                    assert fast is not fastdecode.BAD
                if fast is not fastdecode.BAD:
                    assert not problems.items
                    assert fast == slow


# --- the parse cache's rows hold exactly the items the tables decode to ------------------------------


@given(cases())
def test_rows_give_back_the_items_the_tables_decode_to(case: Case) -> None:
    document = migrate(tomllib.loads(tomltext.dumps(case)))
    decoded = codec.decode(document)
    for name in ("events", "demands"):
        rows = marshal.loads(marshal.dumps(cacherows.rows_of(name, document.get(name, []))))
        items = list(getattr(decoded, name))
        # Rows are read field by field when there are few, by code generated for the class when many.
        assert [cacherows._build_item(codec.ARRAYS[name], row) for row in rows] == items
        assert [cacherows._item_builder(codec.ARRAYS[name])(row) for row in rows] == items
        assert cacherows.items_from_rows(name, rows) == items


def test_a_bare_toml_date_and_unknown_keys_survive_a_row() -> None:
    table = {"id": "e", "date": datetime.date(2017, 2, 11), "title": "T", "x-note": [1, 2], "sources": [{"url": "u"}]}
    (event,) = cacherows.items_from_rows("events", cacherows.rows_of("events", [table]))
    assert event == fastdecode.fast_item(Event, table)
    assert event.date.text == "2017-02-11" and event.extra == {"x-note": [1, 2]}


@pytest.mark.parametrize(
    "row",
    [
        (),
        ("e",),
        ("e", "2017-13-01", "T", *[None] * 9),
        ("e", None, "T", *[None] * 9),
        ("e", "2017", "T", 1, *[None] * 8),
        ("e", 20170211, "T", *[None] * 9),
        ("e", "2017", "T", None, None, "a-tag", *[None] * 6),
        ("e", "2017", "T", *[None] * 8, "not a table"),
    ],
)
@pytest.mark.parametrize("many", [False, True])
def test_a_row_that_does_not_fit_the_model_is_refused(row: tuple[Any, ...], many: bool) -> None:
    rows = [row] * (codec.GENERATE_FROM if many else 1)
    with pytest.raises(cacherows.BadRow):
        cacherows.items_from_rows("events", rows)
