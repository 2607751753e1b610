"""The paths a change takes: a write reads the index and the items it looks into, never the whole case.

Timing-independent: the tests count what the store did (a full parse, a whole reading, the items
read from their bytes), not how long it took. After every step, what the store loads equals what
a full parse of the file (tomllib, then the codec) gives.
"""

from __future__ import annotations

import shutil
import tomllib
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casefile.case import codec, operations
from casefile.case.dates import parse_date
from casefile.case.migrations import migrate
from casefile.case.model import Case, ConcernCategory, Response, ResponseStatus, Source
from casefile.errors import CasefileError
from casefile.storage import cache, files, reading, store, tomltext
from tests.test_codec import TRICKY_TEXTS

HOSTILE = st.one_of(
    st.sampled_from(TRICKY_TEXTS),
    st.sampled_from(["[[events]]", '[[demands]]\nid = "x"', "# a comment?", '"""\n[case]\n"""', "\u202e\u200b"]),
    st.text(st.characters(codec="utf-8"), max_size=30),
)
DATES = st.sampled_from(["1990-01-01", "2010-05", "2017-02-11", "2030-12-31", "2019", "2019-03", "2016~", "2016/2017"])


def parsed(path: Path) -> Case:
    """The case in the file, parsed in full by tomllib and decoded, without the store."""
    return codec.decode(migrate(tomllib.loads(path.read_text(encoding="utf-8"))))


class Paths:
    """What the store did since the last :meth:`taken`: full parses, whole readings, items read alone."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.counts = {"parse": 0, "whole": 0, "filled": 0}

        def counting(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
            def wrapper(reading: Any, *args: Any) -> Any:
                result = original(reading, *args)
                if name != "filled" or result is True:
                    self.counts[name] += 1
                return result

            return wrapper

        monkeypatch.setattr(store.Reading, "_parse", counting("parse", store.Reading._parse))
        monkeypatch.setattr(store.Reading, "read_whole", counting("whole", store.Reading.read_whole))
        monkeypatch.setattr(store.Reading, "fill", counting("filled", store.Reading.fill))

    def taken(self) -> dict[str, int]:
        counts, self.counts = self.counts, {name: 0 for name in self.counts}
        return counts


@pytest.fixture
def paths(monkeypatch: pytest.MonkeyPatch) -> Paths:
    return Paths(monkeypatch)


@pytest.fixture
def warm(isolated: Path) -> Iterator[Path]:
    """A case of 30 events, 3 demands, a concern and a signatory, read once so its index is cached."""
    path = isolated / f"{uuid.uuid4().hex}.toml"
    store.create(path, Case(title="Vigilancia de periodistas", country="MX"))
    store.update(path, lambda case: operations.add_concern(case, title="Espionaje", category=ConcernCategory.OTHER))
    store.update(path, lambda case: operations.add_signatory(case, name="Artículo 19"))
    for number in range(30):
        date = parse_date(f"20{10 + number % 10}-0{1 + number % 9}")
        store.update(path, lambda case, n=number, d=date: operations.add_event(case, date=d, title=f"Hecho {n}"))
    for number in range(3):
        date = parse_date(f"2018-0{number + 1}")
        store.update(path, lambda case, d=date: operations.add_demand(case, date=d, to="SFP", subject="Investigar"))
    store.load(path)
    yield path


def _add_event(text: str, date: str) -> Callable[[Case], tuple[Case, Any]]:
    def change(case: Case) -> tuple[Case, Any]:
        concerns = tuple(concern.id for concern in case.concerns)
        return operations.add_event(
            case,
            date=parse_date(date),
            title=text.strip() or "untitled",
            description=text,
            sources=(Source(url="https://example.org/a#b"),),
            concerns=concerns,
            private_notes=text,
        )

    return change


@given(text=HOSTILE, date=DATES)
def test_a_write_reads_only_the_items_it_touches_whatever_the_texts_hold(
    warm: Path, paths: Paths, text: str, date: str
) -> None:
    paths.taken()
    event = store.update(warm, _add_event(text, date)).result
    assert paths.taken() == {"parse": 0, "whole": 0, "filled": 0}
    store.update(warm, lambda case: operations.edit_item(case, event.id, {"description": text + "\n# not a comment"}))
    assert paths.taken() == {"parse": 0, "whole": 0, "filled": 1}
    demand = parsed(warm).demands[1].id
    response = Response(date=parse_date("2019"), status=ResponseStatus.PARTIAL, summary=text)
    store.update(warm, lambda case: operations.respond(case, demand, response))
    assert paths.taken() == {"parse": 0, "whole": 0, "filled": 1}
    store.update(warm, lambda case: operations.remove_item(case, event.id))
    assert paths.taken() == {"parse": 0, "whole": 0, "filled": 1}
    assert store.load(warm).case == parsed(warm)
    assert paths.taken()["parse"] == 0  # the whole case, read from the cached rows


def test_a_change_that_looks_into_every_item_gets_them_all(warm: Path, paths: Paths) -> None:
    def retitle_all(case: Case) -> tuple[Case, int]:
        events = tuple(operations.dataclasses.replace(event, title=event.title + "!") for event in case.events)
        return operations.dataclasses.replace(case, events=events), len(events)

    paths.taken()
    assert store.update(warm, retitle_all).result == 30
    assert paths.taken()["whole"] == 1
    assert [event.title for event in parsed(warm).events] == [event.title for event in store.load(warm).case.events]
    assert all(event.title.endswith("!") for event in parsed(warm).events)


def test_the_result_of_a_change_is_whole(warm: Path) -> None:
    first = parsed(warm).events[0]
    removed = store.update(warm, lambda case: operations.remove_item(case, first.id)).result
    assert removed == first  # read from its bytes: every field is there


def test_the_case_after_an_update_is_whole(warm: Path) -> None:
    updated = store.update(warm, lambda case: (operations.edit_case(case, {"request": "Revisar"}), None))
    assert updated.case == parsed(warm)


# --- random sequences, with changes made outside casefile ----------------------------------------------

STEP = st.one_of(
    st.tuples(st.just("add"), HOSTILE, DATES),
    st.tuples(st.just("edit"), HOSTILE, st.integers(0, 99)),
    st.tuples(st.just("redate"), DATES, st.integers(0, 99)),
    st.tuples(st.just("respond"), HOSTILE, st.integers(0, 99)),
    st.tuples(st.just("remove"), st.just(""), st.integers(0, 99)),
    st.tuples(st.just("retitle by hand"), HOSTILE, st.integers(0, 99)),
    st.tuples(st.just("append by hand"), HOSTILE, DATES),
    st.tuples(st.just("insert by hand"), HOSTILE, st.tuples(DATES, st.integers(0, 99))),
    st.tuples(st.just("remove by hand"), st.just(""), st.integers(0, 99)),
    st.tuples(st.just("comment by hand"), HOSTILE, st.integers(0, 99)),
    st.tuples(st.just("schema 1 by hand"), st.just(""), st.just(0)),
    st.tuples(st.just("touch"), st.just(""), st.just(0)),
    st.tuples(st.just("delete the cache"), st.just(""), st.just(0)),
    st.tuples(st.just("damage the cache"), st.just(""), st.integers(0, 10**6)),
)


def _step(path: Path, kind: str, text: str, what: Any) -> None:
    case = parsed(path)
    events, demands = case.events, case.demands
    if kind == "add":
        store.update(path, _add_event(text, what))
    elif kind == "edit" and events:
        event_id = events[what % len(events)].id
        store.update(path, lambda c: operations.edit_item(c, event_id, {"title": text.strip() or "t"}))
    elif kind == "redate" and events:
        event_id = events[what % len(events)].id
        store.update(path, lambda c: operations.edit_item(c, event_id, {"date": parse_date(text)}))
    elif kind == "respond" and demands:
        demand_id = demands[what % len(demands)].id
        response = Response(date=parse_date("2024"), status=ResponseStatus.PARTIAL, summary=text)
        store.update(path, lambda c: operations.respond(c, demand_id, response))
    elif kind == "remove" and events:
        event_id = events[what % len(events)].id
        store.update(path, lambda c: operations.remove_item(c, event_id))
    elif kind == "retitle by hand" and events:
        data = path.read_text(encoding="utf-8")
        old = tomltext.document_text({"title": events[what % len(events)].title}).strip()
        new = tomltext.document_text({"title": text.strip() or "by hand"}).strip()
        path.write_text(data.replace(old, new, 1), encoding="utf-8")
    elif kind == "append by hand":
        table = {"id": f"hand-{uuid.uuid4().hex[:8]}", "date": what, "title": "by hand", "description": text}
        path.write_text(path.read_text(encoding="utf-8") + "\n" + tomltext.item_text("events", table))
    elif kind in ("insert by hand", "remove by hand", "comment by hand"):
        _edit_by_hand(path, kind, text, what)
    elif kind == "schema 1 by hand":  # an older file (a git pull of an old branch): migrated on reading
        path.write_text(path.read_text(encoding="utf-8").replace("schema_version = 2", "schema_version = 1", 1))
    elif kind == "touch":
        path.touch()
    elif kind == "delete the cache":
        shutil.rmtree(cache.cache_root(), ignore_errors=True)
    elif kind == "damage the cache":
        for entry in sorted(cache.cache_root().rglob("*")):
            if entry.is_file() and entry.stat().st_size:
                data = bytearray(entry.read_bytes())
                data[what % len(data)] ^= 0x55
                entry.write_bytes(bytes(data))


def _edit_by_hand(path: Path, kind: str, text: str, what: Any) -> None:
    """An event's bytes inserted, removed or commented in the middle of the file, as an editor would."""
    data = path.read_bytes()
    _, parts, _ = tomltext.parse_case(data, path)
    events = [part for part in parts or [] if part.name == "events"]
    if not events:
        return
    if kind == "insert by hand":
        date, number = what
        table = {"id": f"hand-{uuid.uuid4().hex[:8]}", "date": date, "title": "by hand", "description": text}
        added = tomltext.item_text("events", table, multiline_strings="\r\n" not in text).encode() + b"\n"
        at = events[number % len(events)].start
        path.write_bytes(data[:at] + added + data[at:])
    elif kind == "remove by hand":
        part = events[what % len(events)]
        path.write_bytes(data[: part.start] + data[part.end :])
    else:
        at = events[what % len(events)].start
        comment = "".join(char for char in text if char.isprintable())  # what TOML allows in a comment
        path.write_bytes(data[:at] + f"# {comment}\n".encode() + data[at:])


def fully(path: Path) -> reading.Loaded:
    """What a reading that parses the whole file gives (no cache read or written)."""
    io = files.case_bytes(path)
    io.cacheable = False
    return reading.Reading(path, io).loaded


@given(steps=st.lists(STEP, min_size=1, max_size=8))
def test_what_the_fast_paths_load_is_what_a_full_parse_gives(warm: Path, steps: list[tuple[str, str, Any]]) -> None:
    for kind, text, what in steps:
        _step(warm, kind, text, what)
        truth = parsed(warm)  # the file still parses
        full = fully(warm)
        assert full.case == truth
        for _ in range(2):  # the first reading after an outside change, then from the cache
            loaded = store.load(warm)
            assert (loaded.case, loaded.has_comments, loaded.migrated_from) == (
                truth,
                full.has_comments,
                full.migrated_from,
            )
        if full.migrated_from is None:  # a migrated file is not indexed until it is saved
            index = cache.read_entry(cache.folder_for(warm), reading.INDEX, cache.sha256(warm.read_bytes()).digest())
            _, parts, _ = tomltext.parse_case(warm.read_bytes(), warm)
            assert index is not None and parts is not None
            assert index["layout"][1] == [part.start for part in parts]
            assert index["layout"][-1] == [part.digest for part in parts]


BREAKING = st.sampled_from(["duplicate id", "unknown concern", "bad date", "bad toml", "schema 1 and bad date"])


@given(kind=BREAKING, number=st.integers(0, 99))
def test_an_outside_edit_that_breaks_the_case_is_reported_as_a_full_parse_reports_it(
    warm: Path, kind: str, number: int
) -> None:
    """The first reading after a hand edit reuses what did not change, but never hides a problem
    across items (an id used twice, a reference to nothing) nor changes its message."""
    original = warm.read_bytes()
    try:
        data = warm.read_text(encoding="utf-8")
        events = parsed(warm).events
        event = events[number % len(events)]
        if kind == "duplicate id":  # another event, by hand, with an id already in use
            added = tomltext.item_text("events", {"id": event.id, "date": "2015", "title": "Copia"})
            data = data.replace("\n[[demands]]", "\n" + added + "\n[[demands]]", 1)
        elif kind == "unknown concern":
            added = tomltext.item_text("events", {"id": "otro", "date": "2015", "title": "T", "concerns": ["nada"]})
            data = data.replace("\n[[demands]]", "\n" + added + "\n[[demands]]", 1)
        elif kind == "bad toml":
            data = data.replace(f'id = "{event.id}"', f'id = "{event.id}', 1)
        else:
            data = data.replace(f'id = "{event.id}"\ndate = "', f'id = "{event.id}"\ndate = "not ', 1)
            if kind == "schema 1 and bad date":
                data = data.replace("schema_version = 2", "schema_version = 1", 1)
        warm.write_text(data, encoding="utf-8")
        with pytest.raises(CasefileError) as full:
            fully(warm)
        with pytest.raises(CasefileError) as fast:
            store.load(warm)
        assert (type(fast.value), str(fast.value)) == (type(full.value), str(full.value))
    finally:
        warm.write_bytes(original)  # the next example starts from the valid case


def test_after_a_hand_edit_of_one_item_only_that_item_is_parsed(
    warm: Path, paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Items are parsed one by one; after a hand edit only the head, the signatories and concerns
    (short, always parsed) and the changed item are, and the events and demands are built from rows."""
    parsed_items: list[str] = []
    original = tomltext._loads

    def counting(data: bytes, start: int, end: int, path: Path, *, report: bool = True) -> dict[str, Any]:
        for name in ("events", "demands"):
            if data.startswith(f"[[{name}]]".encode(), start):
                parsed_items.append(name)
        return original(data, start, end, path, report=report)

    monkeypatch.setattr(tomltext, "_loads", counting)
    event = parsed(warm).events[17]
    data = warm.read_text(encoding="utf-8")
    warm.write_text(data.replace(f'title = "{event.title}"', 'title = "Hecho corregido a mano"', 1))
    assert [each.title for each in store.load(warm).case.events].count("Hecho corregido a mano") == 1
    assert parsed_items == ["events"]
    assert paths.taken()["parse"] == 1
    shutil.rmtree(cache.cache_root())
    parsed_items.clear()
    assert store.load(warm).case == parsed(warm)
    assert len(parsed_items) == 33  # with no earlier index, every item


def test_changed_rows_move_into_a_new_rows_entry_when_they_grow(
    warm: Path, paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reading, "MOST_INLINE_ROWS", 2)
    folder = cache.folder_for(warm)
    before = sorted(entry.name for entry in folder.glob("rows-*"))
    for number in range(4):
        store.update(warm, _add_event(f"Hecho nuevo {number}", "2015-06"))
        assert store.load(warm).case == parsed(warm)
    after = sorted(entry.name for entry in folder.glob("rows-*"))
    assert len(after) == 1 and after != before
    assert paths.taken()["parse"] == 0


def test_a_change_that_drops_one_comment_of_two_still_knows_the_file_has_comments(warm: Path) -> None:
    """Else the next full rewrite would lose the other comment without keeping a copy."""
    for number in (5, 20):
        _edit_by_hand(warm, "comment by hand", f"nota {number}", number)
    assert store.load(warm).has_comments
    data = warm.read_bytes()
    _, parts, _ = tomltext.parse_case(data, warm)
    events = [part for part in parts or [] if part.name == "events"]
    commented = next(part for part in events if b"# nota 5" in data[part.start : part.end])
    event_id = parsed(warm).events[events.index(commented)].id
    notices = store.update(warm, lambda case: operations.remove_item(case, event_id)).notices
    assert notices and "comments" in notices[0]
    assert b"# nota 20" in warm.read_bytes()
    assert fully(warm).has_comments and store.load(warm).has_comments


@pytest.mark.parametrize("text", [*TRICKY_TEXTS, "[[events]]\n[[demands]]\n[[events]]", '"""\n[case]\n"""'])
def test_hostile_texts_do_not_stop_the_reuse_after_a_hand_edit(
    warm: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    """Events whose texts hold header lines, quotes, comment-looking lines or CR LF are reused like
    any other: after a hand edit of another event, only that one is parsed. (An event that spans
    several header-looking lines, written by casefile since the file was last parsed, is parsed once
    at the next outside change, which then knows where it ends.)"""
    for date in ("2011-05", "2016-02", "2019-09"):
        store.update(warm, _add_event(text, date))
    parsed_items: list[int] = []
    original = tomltext._loads

    def counting(data: bytes, start: int, end: int, path: Path, *, report: bool = True) -> dict[str, Any]:
        if data.startswith(b"[[events]]", start) or data.startswith(b"[[demands]]", start):
            parsed_items.append(start)
        return original(data, start, end, path, report=report)

    monkeypatch.setattr(tomltext, "_loads", counting)
    events = [event for event in parsed(warm).events if event.title.startswith("Hecho")]
    for number, event in enumerate(events[:2]):
        data = warm.read_text(encoding="utf-8")
        warm.write_text(data.replace(f'title = "{event.title}"', f'title = "Corregido {number}"', 1), encoding="utf-8")
        parsed_items.clear()
        assert store.load(warm).case == parsed(warm)
    assert len(parsed_items) == 1
