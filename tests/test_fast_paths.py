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
from casefile.storage import cache, reading, store, tomltext
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


@given(steps=st.lists(STEP, min_size=1, max_size=8))
def test_what_the_fast_paths_load_is_what_a_full_parse_gives(warm: Path, steps: list[tuple[str, str, Any]]) -> None:
    for kind, text, what in steps:
        _step(warm, kind, text, what)
        truth = parsed(warm)  # the file still parses
        assert store.load(warm).case == truth
        assert store.load(warm).case == truth  # from the cache this time


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
