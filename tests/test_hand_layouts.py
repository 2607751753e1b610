"""Layouts casefile does not write, by hand: what the store reads and writes equals what a full parse gives.

The index keeps where each ``[[name]]`` item is; items written another way (an inline array in the
head, ``events = [...]``) are not there, so such a file must never be read or spliced from it.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from casefile.case import codec, operations
from casefile.case.dates import parse_date
from casefile.case.migrations import migrate
from casefile.case.model import Case
from casefile.storage import store

HEAD = 'schema_version = 2\n{arrays}\n\n[case]\ntitle = "T"\ncountry = "MX"\n'
INLINE_EVENTS = (
    'events = [{id = "2017-01-11-a", date = "2017-01-11", title = "Inline A"}, '
    '{id = "2017-01-12-b", date = "2017-01-12", title = "Inline B"}]'
)
LATER_DEMAND = '\n[[demands]]\nid = "2017-03-01-d"\ndate = "2017-03-01"\nto = "SFP"\nsubject = "Investigar"\n'
LATER_EVENT = '\n[[events]]\nid = "2017-03-01-e"\ndate = "2017-03-01"\ntitle = "Hecho"\n'


def parsed(path: Path) -> Case:
    return codec.decode(migrate(tomllib.loads(path.read_text(encoding="utf-8"))))


@pytest.mark.parametrize(
    "text",
    [
        HEAD.format(arrays=INLINE_EVENTS),
        HEAD.format(arrays=INLINE_EVENTS) + LATER_DEMAND,
        HEAD.format(arrays="events = []"),
        HEAD.format(arrays="signatories = []\ndemands = []") + LATER_EVENT,
    ],
)
def test_arrays_written_inline_in_the_head_are_read_and_kept(isolated: Path, text: str) -> None:
    path = isolated / "casefile.toml"
    path.write_text(text, encoding="utf-8")
    for _ in range(2):  # the parse, then what the cache keeps
        assert store.load(path).case == parsed(path)
    store.update(path, lambda case: operations.add_event(case, date=parse_date("2017-02"), title="Nuevo"))
    store.update(path, lambda case: operations.add_signatory(case, name="Artículo 19"))
    after = parsed(path)  # the file still parses, with every item
    before = codec.decode(tomllib.loads(text))
    assert {event.title for event in after.events} == {"Nuevo", *(event.title for event in before.events)}
    assert after.demands == before.demands
    assert len(after.signatories) == 1
    for _ in range(2):
        assert store.load(path).case == after


def test_a_hand_edit_while_a_change_reads_every_item_is_kept_and_the_file_not_garbled(isolated: Path) -> None:
    """A change that looks into many items reads the file again (the whole case); if an editor saved
    it meanwhile, the change is made to that version, spliced into its own bytes."""
    path = isolated / "casefile.toml"
    store.create(path, Case(title="T", country="MX"))
    for number in range(12):
        date = parse_date(f"2017-{1 + number % 12:02d}")
        store.update(path, lambda case, d=date, n=number: operations.add_event(case, date=d, title=f"Hecho {n}"))
    store.load(path)  # the index of this version is kept
    edited = path.read_text(encoding="utf-8").replace(
        "\n[[events]]\n", '\n[[events]]\nid = "2001-a-mano"\ndate = "2001"\ntitle = "A mano"\n\n[[events]]\n', 1
    )
    calls: list[int] = []

    def retitle_last(case: Case) -> tuple[Case, Any]:
        if not calls:
            path.write_text(edited, encoding="utf-8")  # an editor saves while the change runs
        calls.append(1)
        titles = [event.title for event in case.events]  # looks into every event
        last = case.events[-1]
        return operations.edit_item(case, last.id, {"title": f"{titles[0]} y los demás"})

    store.update(path, retitle_last)
    after = parsed(path)  # still a case file
    assert [event.title for event in after.events][:-1] == [event.title for event in parsed_text(edited).events][:-1]
    assert after.events[-1].title == "A mano y los demás"
    assert store.load(path).case == after


def parsed_text(text: str) -> Case:
    return codec.decode(migrate(tomllib.loads(text)))


@pytest.mark.parametrize(
    "inline",
    [
        'notes = [{text = "a later version\'s records"}, {text = "kept as they are"}]',
        'approvals = [{signatory = "org-a", digest = "sha256:00", language = "en", date = "2024-01-01"}]',
    ],
)
def test_arrays_of_tables_written_inline_in_the_head_outlive_a_change_of_the_head(isolated: Path, inline: str) -> None:
    """Other arrays of tables (sign-offs, a later version's keys) go after the items in casefile's
    layout: written inline in the head, a rewritten head would leave them out."""
    path = isolated / "casefile.toml"
    path.write_text(HEAD.format(arrays=inline) + '\n[[signatories]]\nid = "org-a"\nname = "Org A"\n' + LATER_EVENT)
    before = parsed(path)
    assert store.load(path).case == before  # the index of this file is kept
    store.update(path, lambda case: (operations.edit_case(case, {"title": "Otro título"}), None))
    after = parsed(path)
    assert (after.title, after.approvals, after.extra) == ("Otro título", before.approvals, before.extra)
    assert store.load(path).case == after


def test_a_hand_edit_saved_while_a_change_runs_is_not_written_over(isolated: Path) -> None:
    """The file is replaced only if it is still the version the change was made to; else the change
    is made again to the new version (an editor or a git pull does not take casefile's lock)."""
    path = isolated / "casefile.toml"
    store.create(path, Case(title="T", country="MX"))
    store.update(path, lambda case: operations.add_event(case, date=parse_date("2017-05"), title="Primero"))
    store.load(path)
    edited = path.read_text(encoding="utf-8") + '\n[[events]]\nid = "2001-a-mano"\ndate = "2001"\ntitle = "A mano"\n'
    calls: list[int] = []

    def add(case: Case) -> tuple[Case, Any]:
        if not calls:
            path.write_text(edited, encoding="utf-8")  # an editor saves while the change runs
        calls.append(1)
        return operations.add_event(case, date=parse_date("2018"), title="Nuevo")

    store.update(path, add)
    assert sorted(event.title for event in parsed(path).events) == ["A mano", "Nuevo", "Primero"]
    assert store.load(path).case == parsed(path)


def test_a_file_saved_with_windows_line_ends_keeps_them_through_a_change(run: Any, isolated: Path) -> None:
    """Notepad, or git with core.autocrlf, gives the case CR LF line ends: an item added, edited or
    removed, or a change of the case's own fields, keeps every line end CR LF (no file of mixed line ends)."""
    case_file = isolated / "casefile.toml"
    later = '\n[[events]]\nid = "2017-05-01-f"\ndate = "2017-05-01"\ntitle = "F"\n'
    text = HEAD.format(arrays="") + LATER_EVENT + later
    case_file.write_bytes(text.replace("\n", "\r\n").encode())
    run("add-event", "--date", "2017-04", "--title", "Added", "--tag", "a", "--tag", "b", "--description", "Two\nlines")
    run("edit", "2017-03-01-e", "--title", "Edited")
    run("remove", "2017-05-01-f", "--yes")
    run("edit-case", "--title", "Case")
    data = case_file.read_bytes()
    assert data.count(b"\n") == data.count(b"\r\n") and b"\r\n\r\n\r\n" not in data, data
    assert [event.title for event in store.load(case_file).case.events] == ["Edited", "Added"]
    assert store.load(case_file).case.events[1].description == "Two\nlines"
