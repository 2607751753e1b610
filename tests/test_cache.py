"""The parse cache and the fast paths give exactly what a full parse of the file gives.

The cache (``casefile.storage.cache``) stands in for parsing only while the file is byte for byte the
one it was made from; ``add-*`` writes the new item's table into the file at its place instead
of rewriting it; ``list events --json`` keeps each record. Every test here compares those with
a plain parse of the file, which never uses the cache.
"""

from __future__ import annotations

import datetime
import json
import os
import stat
import tomllib
import uuid
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casefile.case import codec, operations
from casefile.case.dates import parse_date
from casefile.case.migrations import migrate
from casefile.case.model import Case, ConcernCategory, Response, ResponseStatus, Source
from casefile.case.views import item_record
from casefile.cli.items import events_json
from casefile.storage import cache, store, tomltext
from casefile.storage.derived import derived
from tests.conftest import Run
from tests.test_codec import TEXT, cases, edtf_dates


def parsed(path: Path) -> Case:
    """The case in the file, parsed and decoded in full, without the store or its cache."""
    return codec.decode(migrate(tomllib.loads(path.read_text(encoding="utf-8"))))


def records_json(case: Case) -> bytes:
    """What ``list events --json`` printed before the cache existed."""
    events = sorted(case.events, key=lambda event: (event.date.sort_key(), event.id))
    day = datetime.date.today()
    return json.dumps([item_record(event, as_of=day) for event in events], ensure_ascii=False, indent=2).encode()


def cache_folder(path: Path) -> Path:
    return cache.folder_for(path)


def assert_fast_paths_agree(path: Path) -> None:
    """The cached load, the file's layout and the cached records all match a full parse."""
    truth = parsed(path)
    assert store.load(path).case == truth
    assert events_json(path) == records_json(truth)
    # Values worked out per event and kept per body line up with the case's events.
    for _ in range(2):  # made, then read back
        ids = derived(path, "ids-1", "key", lambda loaded: [event.id for event in loaded.case.events])
        assert ids == [event.id for event in truth.events]
    # Items written into the file at their place read back as a rewrite would write them...
    text = path.read_text(encoding="utf-8")
    assert tomllib.loads(text) == tomllib.loads(tomltext.dumps(truth))
    # ...and the places the cache keeps are the ones a reading of the bytes finds.
    data = path.read_bytes()
    entry = cache.read_entry(cache_folder(path), "index", cache.sha256(data).digest())
    _, parts, _ = tomltext.parse_case(data, path)
    if entry is not None:
        assert [(part.name, part.start) for part in parts or []] == list(zip(*entry["layout"][:2], strict=True))


def add_event(run: Run, date: str, title: str, *extra: str) -> str:
    return str(run("add-event", "--date", date, "--title", title, *extra).stdout.strip())


# --- where the cache is, and who can read it ---------------------------------------------------


def test_cache_root_is_platformdirs_user_cache_folder() -> None:
    from platformdirs import user_cache_path

    assert cache.cache_root() == user_cache_path("casefile", appauthor=False)


def test_cache_is_in_the_user_cache_folder_and_owner_only(run: Run, case_file: Path, isolated: Path) -> None:
    add_event(run, "2017-02-11", "First")
    folder = cache_folder(case_file)
    xdg_cache = Path(os.environ["XDG_CACHE_HOME"])
    assert folder.is_relative_to(xdg_cache)
    assert sorted(path.name for path in isolated.iterdir()) == [
        "casefile.toml",
        "casefile.toml.bak",
        "casefile.toml.lock",
    ]
    files = list(folder.iterdir())
    assert any(path.name == "index" for path in files)
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    for path in (folder, folder.parent, folder.parent.parent):
        assert stat.S_IMODE(path.stat().st_mode) == 0o700, path


def test_deleting_the_cache_changes_nothing(run: Run, case_file: Path) -> None:
    for day in ("11", "12", "13"):
        add_event(run, f"2017-02-{day}", f"Event {day}", "--source", f"https://example.org/{day}")
    with_cache = [run("list", "events", "--json").stdout, run("timeline", "--as-of", "2017-05-23").stdout]
    cache.cache_root().joinpath("cases").rename(cache.cache_root() / "gone")
    without = [run("list", "events", "--json").stdout, run("timeline", "--as-of", "2017-05-23").stdout]
    assert with_cache == without


def test_caches_unused_for_a_month_are_deleted(run: Run, case_file: Path, isolated: Path) -> None:
    add_event(run, "2017-02-11", "Report")
    old = cache_folder(case_file)
    long_ago = 1_000_000_000  # 2001
    for entry in old.iterdir():
        os.utime(entry, (long_ago, long_ago))
    os.utime(old, (long_ago, long_ago))
    other = isolated / "other.toml"
    run("init", "--title", "Other", "--country", "Mexico", "-f", str(other))
    run("list", "events", "-f", str(other))
    assert cache_folder(other).is_dir()
    assert not old.exists()
    assert "2017-02-11-report" in run("list", "events").stdout  # and it is simply made again


# --- the cache is never trusted when stale ---------------------------------------------------------


def test_an_edit_that_keeps_size_and_mtime_is_seen(run: Run, case_file: Path) -> None:
    add_event(run, "2017-02-11", "Report by Citizen Lab")
    assert "Report by Citizen Lab" in run("list", "events").stdout  # cached now
    status = case_file.stat()
    text = case_file.read_text(encoding="utf-8")
    case_file.write_text(text.replace("Report by Citizen Lab", "Report by Citizen Lub"), encoding="utf-8")
    os.utime(case_file, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert (case_file.stat().st_size, case_file.stat().st_mtime_ns) == (status.st_size, status.st_mtime_ns)
    assert "Report by Citizen Lub" in run("list", "events").stdout
    assert store.load(case_file).case == parsed(case_file)


def test_an_edit_that_breaks_the_file_is_reported_though_the_cache_holds_the_old_one(run: Run, case_file: Path) -> None:
    add_event(run, "2017-02-11", "Report")
    case_file.write_text(case_file.read_text().replace('date = "2017-02-11"', 'date = "2017-02-30"'))
    result = run("list", "events", code=2)
    assert "February 2017 has no day 30" in result.stderr


def entry_matches(path: Path) -> bool:
    """Whether the cache holds a verified entry for the file's bytes as they are now."""
    digest = cache.sha256(path.read_bytes()).digest()
    return cache.read_entry(cache_folder(path), "index", digest) is not None


@pytest.mark.parametrize("damage", ["garbage", "truncate", "flip payload", "flip header", "foreign", "empty"])
def test_a_damaged_cache_is_ignored_and_rewritten(run: Run, case_file: Path, damage: str) -> None:
    add_event(run, "2017-02-11", "Report", "--source", "https://example.org/r")
    run("list", "events")
    entry = cache_folder(case_file) / "index"
    data = entry.read_bytes()
    if damage == "garbage":
        entry.write_bytes(b"not marshal at all")
    elif damage == "truncate":
        entry.write_bytes(data[: len(data) // 2])
    elif damage == "flip payload":
        entry.write_bytes(data[:-10] + bytes([data[-10] ^ 1]) + data[-9:])
    elif damage == "flip header":
        entry.write_bytes(data[:3] + bytes([data[3] ^ 0x20]) + data[4:])
    elif damage == "foreign":  # a verified entry, made for other bytes
        cache.write_entry(entry.parent, "index", b"x" * 32, cache.loads(data[len(cache.MAGIC) + 64 :])[1])
    else:
        entry.write_bytes(b"")
    assert store.load(case_file).case == parsed(case_file)
    assert "2017-02-11-report" in run("list", "events").stdout
    assert entry_matches(case_file)  # made again


def test_a_warm_reading_reads_the_index_once(run: Run, case_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    add_event(run, "2017-02-11", "Report")
    store.load(case_file)  # the index of these bytes is kept
    opened: list[str] = []
    real = cache._open_entry
    monkeypatch.setattr(cache, "_open_entry", lambda folder, name: opened.append(name) or real(folder, name))
    assert store.load(case_file).case == parsed(case_file)
    assert opened == ["index"]


def test_every_write_leaves_a_cache_that_matches_the_file(run: Run, case_file: Path) -> None:
    add_event(run, "2017-02-11", "Report")
    assert entry_matches(case_file)
    run("edit", "2017-02-11-report", "--title", "Report by Citizen Lab")
    assert entry_matches(case_file)
    run("add-demand", "--date", "2017-02-16", "--to", "Secretariat", "--subject", "Investigate")
    assert entry_matches(case_file)
    run("respond", "2017-02-16", "--date", "2017-03", "--status", "refused")
    assert entry_matches(case_file)
    run("remove", "2017-02-11", "--yes")
    assert entry_matches(case_file)
    assert_fast_paths_agree(case_file)


def test_a_new_casefile_version_does_not_use_an_old_cache(
    run: Run, case_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_event(run, "2017-02-11", "Report")
    assert entry_matches(case_file)
    monkeypatch.setattr(cache, "code_stamp", lambda: ["another casefile"])
    assert not entry_matches(case_file)
    assert store.load(case_file).case == parsed(case_file)


# --- items written into the file are seen by every command -----------------------------------------


def test_an_added_item_is_visible_to_every_command(run: Run, case_file: Path) -> None:
    run("add-signatory", "--name", "Fundar", "--lead")
    run("add-concern", "--title", "Surveillance", "--category", "civic-space", "--breaches", "Declaration")
    add_event(run, "2017-03", "Later event", "--source", "https://example.org/later")
    rules = [finding["rule"] for finding in json.loads(run("check", "--json", code=None).stdout)["findings"]]
    assert "concern-without-event" in rules  # and the cache now matches the file
    new = add_event(run, "2017-02-11", "Spyware report", "--source", "https://example.org/spy", "--concern", "surv")
    assert new == "2017-02-11-spyware-report"
    assert [line.split("\t")[0] for line in run("list", "events").stdout.splitlines()] == [new, "2017-03-later-event"]
    records = json.loads(run("list", "events", "--json").stdout)
    assert [record["id"] for record in records] == [new, "2017-03-later-event"]
    assert "Spyware report" in run("show", new).stdout
    assert "Spyware report" in run("timeline", "--as-of", "2017-05-23").stdout
    rules = [finding["rule"] for finding in json.loads(run("check", "--json", code=None).stdout)["findings"]]
    assert "concern-without-event" not in rules
    letter = run("draft-complaint", "--as-of", "2017-05-23").stdout
    assert letter.index("Spyware report") < letter.index("Later event")
    assert "https://example.org/spy" in letter
    assert_fast_paths_agree(case_file)


def test_an_item_is_written_at_its_place_without_rewriting_the_rest(run: Run, case_file: Path) -> None:
    add_event(run, "2016", "Earlier")
    add_event(run, "2018", "Later")
    run("add-demand", "--date", "2017-06", "--to", "Secretariat", "--subject", "Answer")
    before = case_file.read_text(encoding="utf-8")
    add_event(run, "2017", "Between", "--description", "Two\nlines")
    after = case_file.read_text(encoding="utf-8")
    block = after[after.index('[[events]]\nid = "2017-between"') :]
    block = block[: block.index("\n\n[[") + 2]
    assert after.replace(block, "", 1) == before
    assert after == tomltext.dumps(parsed(case_file))


def test_a_file_with_an_inline_array_of_events_is_rewritten(run: Run, isolated: Path) -> None:
    path = isolated / "casefile.toml"
    path.write_text(
        'schema_version = 1\nevents = [{ id = "2016-old", date = "2016", title = "Old" }]\n'
        '[case]\ntitle = "T"\ncountry = "M"\n'
    )
    run("list", "events", "-f", str(path))  # cached, with events = [...] at the top
    run("add-event", "--date", "2017", "--title", "New", "-f", str(path))
    assert [event.id for event in parsed(path).events] == ["2016-old", "2017-new"]
    assert path.read_text() == tomltext.dumps(parsed(path))


def test_a_text_that_looks_like_a_header_does_not_misplace_items(run: Run, case_file: Path) -> None:
    add_event(run, "2017-03", "Tricky", "--description", "one\n[[events]]\nid = 'fake'\n[[demands]]")
    add_event(run, "2017-02", "Earlier")
    add_event(run, "2017-04", "Later")
    assert [event.id for event in parsed(case_file).events] == ["2017-02-earlier", "2017-03-tricky", "2017-04-later"]
    assert_fast_paths_agree(case_file)


def test_add_falls_back_to_a_full_update_for_other_changes(case_file: Path) -> None:
    store.update(case_file, lambda case: operations.add_event(case, date=parse_date("2017"), title="One"))
    store.load(case_file)  # the cache matches: add may give the change the case without its events

    def retitle(case: Case) -> tuple[Case, str]:
        return operations.edit_case(case, {"title": "Renamed"}), "done"

    assert store.update(case_file, retitle).result == "done"
    assert parsed(case_file).title == "Renamed"
    assert [event.title for event in parsed(case_file).events] == ["One"]
    assert_fast_paths_agree(case_file)


def test_a_cold_cache_still_writes_the_item_at_its_place(run: Run, case_file: Path) -> None:
    add_event(run, "2017-02-11", "First")
    for path in cache.cache_root().rglob("head"):
        path.unlink()
    add_event(run, "2017-01", "Second")
    assert_fast_paths_agree(case_file)


# --- the fast paths, against a full parse, on any valid case ------------------------------------------

ADDITION = st.tuples(
    st.sampled_from(["event", "demand", "signatory", "concern", "respond", "remove"]),
    TEXT.filter(lambda text: text.strip() != ""),
    edtf_dates(),
)


def apply(path: Path, kind: str, text: str, date: Any) -> None:
    case = parsed(path)
    if kind == "event":
        concerns = tuple(concern.id for concern in case.concerns[:1])
        sources = (Source(url=f"https://example.org/{len(text)}"),)

        def change(case: Case) -> tuple[Case, Any]:
            return operations.add_event(
                case, date=date, title=text, description=text, concerns=concerns, sources=sources
            )

    elif kind == "demand":
        senders = tuple(signatory.id for signatory in case.signatories[:1])

        def change(case: Case) -> tuple[Case, Any]:
            return operations.add_demand(case, date=date, to=text, subject=text, text=text, by=senders)

    elif kind == "signatory":

        def change(case: Case) -> tuple[Case, Any]:
            return operations.add_signatory(case, name=text, allow_duplicate=True)  # random names may repeat

    elif kind == "concern":

        def change(case: Case) -> tuple[Case, Any]:
            return operations.add_concern(case, title=text, category=ConcernCategory.OTHER)

    elif kind == "respond" and case.demands:
        demand = case.demands[0]
        demand_id = demand.id
        # A response dated before its demand was sent is refused (operations.respond): one is dated
        # as its demand instead.
        sent, answered = demand.date.first_day(), date.last_day()
        when = demand.date if sent is not None and answered is not None and answered < sent else date
        response = Response(date=when, status=ResponseStatus.PARTIAL, summary=text)
        store.update(path, lambda case: operations.respond(case, demand_id, response))
        return
    elif kind == "remove" and case.events:
        event_id = case.events[-1].id
        store.update(path, lambda case: operations.remove_item(case, event_id))
        return
    else:
        return
    store.update(path, change)


@given(case=cases(), additions=st.lists(ADDITION, max_size=5), warm=st.booleans())
def test_fast_paths_give_what_a_full_parse_gives(
    isolated: Path, case: Case, additions: list[tuple[str, str, Any]], warm: bool
) -> None:
    path = isolated / f"{uuid.uuid4().hex}.toml"
    store.create(path, case)
    if warm:
        store.load(path)
    for kind, text, date in additions:
        apply(path, kind, text, date)
        assert_fast_paths_agree(path)


# --- readers and writers at once -------------------------------------------------------------------


def test_readers_see_whole_cases_while_writers_add(case_file: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.test_concurrency import add_many, child_env

    add_many(case_file, 300)
    ADD = (sys.executable, "-m", "casefile", "add-event")
    writers = [
        subprocess.Popen(
            [*ADD, "--date", f"2017-0{1 + n % 9}", "--title", f"W {n}", "-f", str(case_file)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**child_env(tmp_path), "XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"]},  # the same cache
        )
        for n in range(8)
    ]
    counts = []
    while any(writer.poll() is None for writer in writers):
        counts.append(len(store.load(case_file).case.events))
        counts.append(len(json.loads(events_json(case_file))))
    assert [writer.wait(timeout=60) for writer in writers] == [0] * len(writers)
    assert counts == sorted(counts), "a reader saw events disappear"
    assert len(parsed(case_file).events) == 308
    assert_fast_paths_agree(case_file)


def test_dates_and_times_in_unknown_keys_are_listed_as_text(run: Run, case_file: Path) -> None:
    add_event(run, "2017-02-11", "Report")
    text = case_file.read_text(encoding="utf-8").replace(
        'title = "Report"', 'title = "Report"\nx-seen = 2017-02-11T10:00:00\nx-times = [10:30:00]'
    )
    case_file.write_text(text, encoding="utf-8")
    for _ in range(2):  # parsed, then from the cache
        (record,) = json.loads(run("list", "events", "--json").stdout)
        assert record["x-seen"] == "2017-02-11T10:00:00" and record["x-times"] == ["10:30:00"]


def test_nothing_is_kept_from_a_case_read_before_a_scrub(
    run: Run, case_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = add_event(run, "2017", "T", "--description", "the informant's address")
    run("list", "events")  # the cache is made
    reading = store.Reading(case_file, store.case_bytes(case_file))  # a draft that has read the case...
    run("scrub", event, "--field", "description")  # ...while the value is scrubbed
    monkeypatch.setattr(store, "Reading", lambda path, io: reading)
    derived(case_file, "ids-1", "key", lambda loaded: [event.description for event in loaded.case.events])
    for path in cache.cache_root().rglob("*"):
        assert not path.is_file() or b"informant" not in path.read_bytes(), path
