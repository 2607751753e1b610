"""Merging case files: the pure three-way merge, conflicts and resolve, and real git merges.

The first part calls :mod:`casefile.collab.merge` and :mod:`casefile.collab.conflicts` on versions made with the
model; the second runs real ``git`` in temporary repositories, with the driver ``casefile git-setup``
registers.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

from casefile.case import operations
from casefile.case.dates import parse_date
from casefile.case.model import Case, ConcernCategory, Response, ResponseStatus, Role, Source
from casefile.collab.conflicts import Conflict, conflicts_in, parse_value, require_no_conflicts, resolve
from casefile.collab.merge import MergeResult, merge_texts
from casefile.collab.mergerules import merge_sets
from casefile.errors import CannotMerge, InvalidValue, ItemInUse, ItemNotFound, UnresolvedConflicts
from casefile.storage import store, tomltext
from casefile.storage.files import write_atomic
from tests.conftest import Run
from tests.test_codec import cases

CITIZEN_LAB = "https://citizenlab.org/2017/02/bittersweet-nso-mexico-spyware/"
EVENT = "2017-02-11-citizen-lab-report-spyware"
DEMAND = "2017-02-16-investigate-surveillance"
CONCERN = "illegal-surveillance-health-advocates"


def sample() -> Case:
    """A small case: a lead signatory, a concern, an event that supports it, a demand."""
    case = Case(title="Surveillance of health advocates", country="Mexico", ogp_joined=2011)
    case, _ = operations.add_signatory(case, name="Fundar", role=Role.LEAD)
    case, _ = operations.add_concern(
        case,
        title="Illegal surveillance of health advocates",
        category=ConcernCategory.FUNDAMENTAL_FREEDOMS,
        breaches=("Open Government Declaration: support civic participation",),
    )
    case, _ = operations.add_event(
        case,
        date=parse_date("2017-02-11"),
        title="Citizen Lab report on spyware",
        sources=(Source(url=CITIZEN_LAB),),
        tags=("surveillance",),
        concerns=(CONCERN,),
    )
    case, _ = operations.add_demand(
        case,
        date=parse_date("2017-02-16"),
        to="Tripartite Technical Secretariat",
        subject="Investigate the surveillance",
    )
    return case


def edit(case: Case, item_id: str, **changes: Any) -> Case:
    return operations.edit_item(case, item_id, changes)[0]


def add(case: Case, date: str, title: str, **fields: Any) -> Case:
    return operations.add_event(case, date=parse_date(date), title=title, **fields)[0]


def merge(base: Case | None, ours: Case, theirs: Case) -> MergeResult:
    return merge_texts("" if base is None else tomltext.dumps(base), tomltext.dumps(ours), tomltext.dumps(theirs))


def event(case: Case, item_id: str = EVENT) -> Any:
    return operations.find_item(case, item_id)


# --- the merge, item by item and field by field -------------------------------------------------


def test_items_added_on_both_sides_are_kept() -> None:
    base = sample()
    ours = add(base, "2017-03-01", "Ours")
    theirs = add(base, "2017-01-05", "Theirs")
    result = merge(base, ours, theirs)
    assert result.conflicts == ()
    assert [e.id for e in result.case.events] == ["2017-01-05-theirs", EVENT, "2017-03-01-ours"]
    assert result.text == tomltext.dumps(result.case)


def test_identical_sides_merge_to_the_same_text() -> None:
    base = sample()
    ours = add(base, "2017-03-01", "Ours")
    assert merge(base, ours, ours).text == tomltext.dumps(ours)
    assert merge(base, base, base).text == tomltext.dumps(base)


def test_changes_to_different_fields_of_one_item_both_apply() -> None:
    base = sample()
    ours = edit(base, EVENT, title="Citizen Lab: spyware against soda-tax advocates")
    theirs = edit(base, EVENT, description="Researchers found NSO's Pegasus.", date=parse_date("2017-02-12"))
    result = merge(base, ours, theirs)
    assert result.conflicts == ()
    merged = event(result.case)
    assert merged.title == "Citizen Lab: spyware against soda-tax advocates"
    assert merged.description == "Researchers found NSO's Pegasus."
    assert merged.date.text == "2017-02-12"


def test_a_field_changed_on_one_side_takes_that_change_even_back_to_its_default() -> None:
    base = edit(sample(), EVENT, description="Old text")
    theirs = edit(base, EVENT, description="")
    result = merge(base, base, theirs)
    assert event(result.case).description == ""


def test_the_same_field_changed_differently_is_a_conflict_recorded_in_the_file() -> None:
    base = sample()
    ours = edit(base, EVENT, title="Ours")
    theirs = edit(base, EVENT, title="Theirs")
    result = merge(base, ours, theirs)
    assert result.conflicts == (
        Conflict(
            item=EVENT,
            array="events",
            field="title",
            values={"base": "Citizen Lab report on spyware", "ours": "Ours", "theirs": "Theirs"},
        ),
    )
    assert event(result.case).title == "Ours"
    document = tomllib.loads(result.text)
    assert document["conflicts"] == [
        {
            "item": EVENT,
            "array": "events",
            "field": "title",
            "base": "Citizen Lab report on spyware",
            "ours": "Ours",
            "theirs": "Theirs",
        }
    ]
    # The recorded file loads, and keeps its conflicts through any other change.
    case = store.load(write(result.text)).case
    assert conflicts_in(case) == result.conflicts
    again = tomltext.dumps(add(case, "2018", "Later"))
    assert "[[conflicts]]" in again


def write(text: str, name: str = "casefile.toml") -> Path:
    path = Path(name)
    path.write_text(text, encoding="utf-8")
    return path


def test_an_item_removed_on_one_side_and_unchanged_on_the_other_is_removed() -> None:
    base = add(sample(), "2017-03-01", "Extra")
    ours, _ = operations.remove_item(base, "2017-03-01")
    theirs = add(base, "2017-04-01", "Theirs")
    result = merge(base, ours, theirs)
    assert result.conflicts == ()
    assert [e.id for e in result.case.events] == [EVENT, "2017-04-01-theirs"]
    assert "2017-03-01-extra" in result.case.retired_ids
    # ...whichever side removed it.
    assert [e.id for e in merge(base, theirs, ours).case.events] == [EVENT, "2017-04-01-theirs"]


def test_an_item_removed_on_one_side_and_changed_on_the_other_is_a_conflict_and_kept() -> None:
    base = add(sample(), "2017-03-01", "Extra")
    ours, _ = operations.remove_item(base, "2017-03-01")
    theirs = edit(base, "2017-03-01", description="More detail")
    result = merge(base, ours, theirs)
    (conflict,) = result.conflicts
    assert (conflict.item, conflict.field, conflict.deleted, conflict.kept()) == (
        "2017-03-01-extra",
        "*",
        "ours",
        "theirs",
    )
    assert event(result.case, "2017-03-01").description == "More detail"
    # Taking the side that removed it removes it; taking the other keeps it.
    removed, _, done = resolve(result.case, "2017-03-01", field_name="*", take="ours")
    assert done == "removed it"
    assert "2017-03-01-extra" not in {e.id for e in removed.events}
    assert "2017-03-01-extra" in removed.retired_ids
    assert conflicts_in(removed) == ()
    kept, _, done = resolve(result.case, "2017-03-01", field_name=None, take="theirs")
    assert done == "kept it"
    assert event(kept, "2017-03-01").description == "More detail"
    assert "2017-03-01-extra" not in kept.retired_ids
    with pytest.raises(InvalidValue, match="--take ours or --take theirs"):
        resolve(result.case, "2017-03-01", field_name="*", take="Something")


def test_an_item_one_side_removed_is_kept_when_the_other_side_starts_using_it() -> None:
    base = sample()
    base, _ = operations.add_concern(base, title="Unused concern", category=ConcernCategory.CIVIC_SPACE)
    ours, _ = operations.remove_item(base, "unused")
    theirs = add(base, "2017-05-01", "New event", concerns=("unused",))
    result = merge(base, ours, theirs)
    assert [c.id for c in result.case.concerns] == [CONCERN, "unused-concern"]
    (conflict,) = result.conflicts
    assert (conflict.item, conflict.deleted) == ("unused-concern", "ours")
    with pytest.raises(ItemInUse, match="2017-05-01-new-event"):
        resolve(result.case, "unused", field_name="*", take="ours")


def test_lists_merge_as_sets_in_ours_order_then_theirs_additions() -> None:
    base = edit(sample(), EVENT, tags=("surveillance", "spyware", "health"))
    ours = edit(base, EVENT, tags=("surveillance", "health", "nso"))  # removed spyware, added nso
    theirs = edit(base, EVENT, tags=("soda-tax", "surveillance", "spyware", "health"))  # added soda-tax
    assert event(merge(base, ours, theirs).case).tags == ("surveillance", "health", "nso", "soda-tax")
    assert merge_sets(["a", "b"], ["a", "b", "c"], ["b", "d"]) == ["b", "c", "d"]


def test_sources_merge_by_url_and_field_by_field() -> None:
    base = sample()
    second = "https://example.org/second"
    ours = edit(base, EVENT, sources=(Source(url=CITIZEN_LAB, title="Bitter Sweet"), Source(url=second)))
    theirs = edit(base, EVENT, sources=(Source(url=CITIZEN_LAB, archived_url="https://web.archive.org/x"),))
    result = merge(base, ours, theirs)
    assert result.conflicts == ()
    assert event(result.case).sources == (
        Source(url=CITIZEN_LAB, title="Bitter Sweet", archived_url="https://web.archive.org/x"),
        Source(url=second),
    )


def test_a_source_changed_differently_on_both_sides_makes_the_sources_field_conflict() -> None:
    base = sample()
    ours = edit(base, EVENT, sources=(Source(url=CITIZEN_LAB, title="Ours"),))
    theirs = edit(base, EVENT, sources=(Source(url=CITIZEN_LAB, title="Theirs"),))
    (conflict,) = merge(base, ours, theirs).conflicts
    assert conflict.field == "sources"
    assert conflict.value("theirs") == [{"url": CITIZEN_LAB, "title": "Theirs"}]


def test_responses_recorded_on_both_sides_are_both_kept() -> None:
    base = sample()
    ours, _ = operations.respond(
        base, DEMAND, Response(date=parse_date("2017-03-01"), status=ResponseStatus.PARTIAL, summary="Some")
    )
    theirs, _ = operations.respond(
        base, DEMAND, Response(date=parse_date("2017-04-01"), status=ResponseStatus.REFUSED, summary="No")
    )
    result = merge(base, ours, theirs)
    assert result.conflicts == ()
    demand = operations.find_item(result.case, DEMAND)
    assert [r.summary for r in demand.responses] == ["Some", "No"]


def test_case_fields_merge_field_by_field_and_conflict_by_dotted_name() -> None:
    base = sample()
    ours = operations.edit_case(base, {"contact_name": "María", "request": "Review Mexico's participation"})
    theirs = operations.edit_case(base, {"contact_name": "Ana", "contact_email": "ana@example.org"})
    result = merge(base, ours, theirs)
    assert result.case.request == "Review Mexico's participation"
    assert result.case.contact.email == "ana@example.org"
    (conflict,) = result.conflicts
    assert (conflict.item, conflict.field, conflict.array) == ("case", "contact.name", "")
    settled, _, _ = resolve(result.case, "case", field_name="contact.name", take="theirs")
    assert settled.contact.name == "Ana"
    assert settled.contact.email == "ana@example.org"


def test_signatories_keep_the_case_order_with_each_sides_additions() -> None:
    base = sample()
    ours, _ = operations.add_signatory(base, name="Artículo 19")
    theirs, _ = operations.add_signatory(base, name="R3D")
    theirs, _ = operations.add_signatory(theirs, name="SocialTIC")
    result = merge(base, ours, theirs)
    assert [s.id for s in result.case.signatories] == ["fundar", "articulo-19", "r3d", "socialtic"]


def test_unknown_keys_survive_and_merge() -> None:
    base = dataclasses.replace(sample(), extra={"notes": {"owner": "Ana"}, "case": {"region": "Americas"}})
    base = dataclasses.replace(
        base, events=tuple(dataclasses.replace(e, extra={"verified_by": "Ana"}) for e in base.events)
    )
    ours = dataclasses.replace(base, extra={"notes": {"owner": "Ana", "phase": 2}, "case": {"region": "Americas"}})
    theirs = dataclasses.replace(
        base,
        extra={"notes": {"owner": "Ana"}, "case": {"region": "Latin America"}, "added": [1, 2]},
        events=tuple(dataclasses.replace(e, extra={"verified_by": "Luis"}) for e in base.events),
    )
    result = merge(base, ours, theirs)
    assert result.conflicts == ()
    assert result.case.extra == {
        "notes": {"owner": "Ana", "phase": 2},
        "added": [1, 2],
        "case": {"region": "Latin America"},
    }
    assert event(result.case).extra == {"verified_by": "Luis"}


def test_unknown_top_level_keys_changed_on_both_sides_conflict_as_the_file() -> None:
    base = dataclasses.replace(sample(), extra={"owner": "Ana"})
    result = merge(
        base, dataclasses.replace(base, extra={"owner": "Luis"}), dataclasses.replace(base, extra={"owner": "Eva"})
    )
    (conflict,) = result.conflicts
    assert (conflict.item, conflict.field) == ("file", "owner")
    settled, _, _ = resolve(result.case, "file", field_name="owner", take="Zoe")
    assert settled.extra == {"owner": "Zoe"}


def test_retired_ids_stay_retired_from_either_side() -> None:
    base = add(add(sample(), "2018", "One"), "2019", "Two")
    ours, _ = operations.remove_item(base, "2018")
    theirs, _ = operations.remove_item(base, "2019")
    result = merge(base, ours, theirs)
    assert result.case.retired_ids == ("2018-one", "2019-two")
    assert [e.id for e in result.case.events] == [EVENT]


def test_without_a_common_ancestor_the_sides_merge_as_two_additions() -> None:
    ours = sample()
    theirs = add(edit(sample(), EVENT, title="Other title"), "2018", "Theirs")
    result = merge(None, ours, theirs)
    assert [e.id for e in result.case.events] == [EVENT, "2018-theirs"]
    assert [c.field for c in result.conflicts] == ["title"]


def test_a_malformed_side_cannot_be_merged() -> None:
    good = tomltext.dumps(sample())
    with pytest.raises(CannotMerge, match=r"THEIRS: not valid TOML"):
        merge_texts(good, good, "[case\n")
    with pytest.raises(CannotMerge, match=r"OURS.*events\[1\]\.date"):
        merge_texts(good, good.replace('date = "2017-02-11"', 'date = "2017-02-30"'), good)
    with pytest.raises(CannotMerge, match="BASE"):
        merge_texts('schema_version = 99\n[case]\ntitle = "T"\ncountry = "C"\n', good, good)


def test_conflicts_already_in_a_version_are_kept_until_a_side_settles_them() -> None:
    base = sample()
    conflicted = merge(base, edit(base, EVENT, title="A"), edit(base, EVENT, title="B")).case
    # A later merge where neither side settled it keeps it, without reporting it again.
    later = merge(conflicted, add(conflicted, "2018", "One"), add(conflicted, "2019", "Two"))
    assert later.conflicts == ()
    assert len(conflicts_in(later.case)) == 1
    # One side settled it: it is settled.
    settled, _, _ = resolve(conflicted, EVENT, field_name="title", take="B")
    merged = merge(conflicted, add(conflicted, "2018", "One"), settled)
    assert conflicts_in(merged.case) == ()
    assert event(merged.case).title == "B"


@given(cases(), cases())
def test_a_change_on_one_side_only_is_taken_whole(base: Case, changed: Case) -> None:
    expected = tomltext.dumps(changed)
    assert merge(base, changed, base).text == expected
    assert merge(base, base, changed).text == expected
    assert merge(base, changed, changed).text == expected


@given(cases())
def test_merging_a_case_with_itself_changes_nothing(case: Case) -> None:
    text = tomltext.dumps(case)
    assert merge_texts(text, text, text).text == text
    assert merge_texts("", text, text).text == text


# --- resolve ------------------------------------------------------------------------------------


@pytest.fixture
def conflicted() -> Case:
    base = sample()
    ours = edit(base, EVENT, title="Ours", date=parse_date("2017-02-12"), tags=("a",))
    theirs = edit(base, EVENT, title="Theirs", date=parse_date("2017-02-13"), tags=("b", "surveillance"))
    result = merge(base, ours, theirs)
    assert [c.field for c in result.conflicts] == ["date", "title"]
    return result.case


def test_resolve_takes_ours_theirs_base_or_a_typed_value(conflicted: Case) -> None:
    case, conflict, _ = resolve(conflicted, "2017-02", field_name="title", take="theirs")
    assert conflict.field == "title"
    assert event(case).title == "Theirs"
    assert [c.field for c in conflicts_in(case)] == ["date"]
    case, _, _ = resolve(case, EVENT, field_name=None, take="2017-02~")
    assert event(case).date.text == "2017-02~"
    assert conflicts_in(case) == ()
    assert "conflicts" not in case.extra
    base_case, _, _ = resolve(conflicted, EVENT, field_name="date", take="base")
    assert event(base_case).date.text == "2017-02-11"


def test_resolve_refuses_a_value_the_field_cannot_hold_and_changes_nothing(conflicted: Case) -> None:
    with pytest.raises(InvalidValue, match="February 2017 has no day 30"):
        resolve(conflicted, EVENT, field_name="date", take="2017-02-30")
    with pytest.raises(InvalidValue, match="choose one with --field"):
        resolve(conflicted, EVENT, field_name=None, take="ours")
    with pytest.raises(InvalidValue, match="its conflicts are on: date, title"):
        resolve(conflicted, EVENT, field_name="description", take="ours")
    with pytest.raises(ItemNotFound):
        resolve(conflicted, "fundar", field_name=None, take="ours")


def test_resolve_reads_lists_and_tables_as_toml() -> None:
    base = sample()
    case = merge(
        base,
        edit(base, EVENT, sources=(Source(url=CITIZEN_LAB, title="Ours"),)),
        edit(base, EVENT, sources=(Source(url=CITIZEN_LAB, title="Theirs"),)),
    ).case
    settled, _, _ = resolve(case, EVENT, field_name="sources", take=f'[{{url = "{CITIZEN_LAB}", title = "Both"}}]')
    assert event(settled).sources == (Source(url=CITIZEN_LAB, title="Both"),)
    assert parse_value("Navy", tuple[str, ...]) == ["Navy"]
    assert parse_value('["Army", "Navy"]', tuple[str, ...]) == ["Army", "Navy"]
    assert parse_value("2011", int | None) == 2011
    assert parse_value("2011", str) == "2011"


def test_drafting_refuses_while_conflicts_remain(conflicted: Case) -> None:
    with pytest.raises(UnresolvedConflicts, match="2 unresolved merge conflict"):
        require_no_conflicts(conflicted)
    require_no_conflicts(sample())


# --- the commands -------------------------------------------------------------------------------


def test_conflicts_check_resolve_and_draft_from_the_command_line(run: Run, conflicted: Case) -> None:
    write(tomltext.dumps(conflicted))
    listed = run("conflicts")
    assert listed.stdout.splitlines()[:5] == [
        f"{EVENT}: date changed on both sides",
        '  base:   "2017-02-11"',
        '  ours:   "2017-02-12"',
        '  theirs: "2017-02-13"',
        f"  settle: casefile resolve {EVENT} --field date --take ours|theirs|VALUE",
    ]
    assert "2 conflicts." in listed.stderr
    records = json.loads(run("conflicts", "--json").stdout)
    assert [(r["item"], r["field"], r["ours"], r["theirs"]) for r in records] == [
        (EVENT, "date", "2017-02-12", "2017-02-13"),
        (EVENT, "title", "Ours", "Theirs"),
    ]
    checked = run("check", "--json", code=1)
    assert [f["item"] for f in json.loads(checked.stdout)["findings"] if f["rule"] == "unresolved-conflict"] == [
        EVENT,
        EVENT,
    ]
    drafted = run("draft-complaint", code=2)
    assert "unresolved merge conflict" in drafted.stderr
    run("resolve", "2017-02-1", "--field", "title", "--take", "theirs")
    wrong = run("resolve", EVENT, "--field", "date", "--take", "2017-02-30", code=2)
    assert "February 2017 has no day 30" in wrong.stderr
    done = run("resolve", EVENT, "--field", "date", "--take", "ours")
    assert "0 conflicts left" in done.stderr
    assert "No conflicts." in run("conflicts").stderr
    assert json.loads(run("conflicts", "--json").stdout) == []
    assert "[[conflicts]]" not in Path("casefile.toml").read_text(encoding="utf-8")
    assert event(store.load(Path("casefile.toml")).case).title == "Theirs"


def test_merge_driver_writes_ours_and_exits_0_or_1(run: Run) -> None:
    base = sample()
    paths = [write(tomltext.dumps(case), name) for case, name in ((base, "base"), (base, "ours"), (base, "theirs"))]
    write(tomltext.dumps(add(base, "2018", "Ours")), "ours")
    write(tomltext.dumps(add(base, "2019", "Theirs")), "theirs")
    clean = run("merge-driver", *map(str, paths), "casefile.toml")
    assert clean.stdout == ""
    assert "casefile.toml: merged" in clean.stderr
    assert [e.id for e in store.load(paths[1]).case.events] == [EVENT, "2018-ours", "2019-theirs"]
    assert not Path("ours.bak").exists()
    write(tomltext.dumps(edit(base, EVENT, title="A")), "ours")
    write(tomltext.dumps(edit(base, EVENT, title="B")), "theirs")
    conflicted = run("merge-driver", *map(str, paths), code=1)
    assert "1 conflict " in conflicted.stderr
    assert len(conflicts_in(store.load(paths[1]).case)) == 1


@pytest.mark.parametrize("broken", ["base", "ours", "theirs"])
def test_merge_driver_leaves_every_file_untouched_when_a_side_is_malformed(run: Run, broken: str) -> None:
    base = sample()
    texts = {
        "base": tomltext.dumps(base),
        "ours": tomltext.dumps(add(base, "2018", "O")),
        "theirs": tomltext.dumps(base),
    }
    texts[broken] = texts[broken].replace('title = "Surveillance', 'title = 3 #"')
    paths = [write(texts[name], name) for name in ("base", "ours", "theirs")]
    before = {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in paths}
    result = run("merge-driver", *map(str, paths), "casefile.toml", code=2)
    assert f"casefile.toml ({broken})" in result.stderr
    assert "nothing was written" in result.stderr
    assert {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in paths} == before
    assert sorted(p.name for p in Path().iterdir()) == ["base", "ours", "theirs"]


def test_merge_driver_refuses_a_missing_file(run: Run) -> None:
    write(tomltext.dumps(sample()), "ours")
    result = run("merge-driver", "missing", "ours", "ours", code=2)
    assert "(base)" in result.stderr


# --- real git ---------------------------------------------------------------------------------

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo: Path, *args: str, code: int | None = 0) -> subprocess.CompletedProcess[str]:
    """Run git in ``repo``, away from the machine's and the user's git configuration."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_TERMINAL_PROMPT="0", LC_ALL="C")
    result = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=False)
    if code is not None:
        assert result.returncode == code, (args, result.stdout, result.stderr)
    return result


def change(path: Path, edit_case: Callable[[Case], Case]) -> None:
    """Change the case file in-process, as a command would (locked, atomic)."""
    store.update(path, lambda case: (edit_case(case), None))


def add_many(prefix: str, count: int, day_parity: int) -> Callable[[Case], Case]:
    """``count`` events on interleaved days, so that a line-based merge would collide."""

    def edit_case(case: Case) -> Case:
        for number in range(count):
            month, day = 1 + number // 14, 1 + 2 * (number % 14) + day_parity
            case = add(
                case,
                f"2018-{month:02d}-{day:02d}",
                f"{prefix} event number {number}",
                sources=(Source(url=f"https://example.org/{prefix}/{number}"),),
                tags=(prefix,),
            )
        return case

    return edit_case


@pytest.fixture
def repo(isolated: Path, run: Run) -> Path:
    """A git repository with the sample case committed on ``main`` and the driver set up."""
    folder = isolated / "repo"
    folder.mkdir()
    git(folder, "init", "-q", "-b", "main")
    git(folder, "config", "user.name", "Casefile Test")
    git(folder, "config", "user.email", "test@example.org")
    store.create(folder / "casefile.toml", sample())
    setup = run("git-setup", "-f", str(folder / "casefile.toml"))
    assert "merge=casefile" in setup.stderr
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "The case")
    return folder


def branch(repo: Path, name: str, edit_case: Callable[[Case], Case], *, start: str = "main") -> None:
    git(repo, "checkout", "-q", "-b", name, start)
    change(repo / "casefile.toml", edit_case)
    git(repo, "commit", "-q", "-am", name)


def load(repo: Path) -> Case:
    return store.load(repo / "casefile.toml").case


@needs_git
def test_git_setup_registers_the_driver_once(repo: Path, run: Run) -> None:
    assert (repo / ".gitattributes").read_text(encoding="utf-8") == "casefile.toml merge=casefile\n"
    driver = git(repo, "config", "--get", "merge.casefile.driver").stdout.strip()
    assert driver.endswith(" -m casefile merge-driver %O %A %B %P")
    assert git(repo, "config", "--get", "merge.casefile.name").stdout.strip() == "casefile merge driver"
    assert git(repo, "check-attr", "merge", "casefile.toml").stdout.strip() == "casefile.toml: merge: casefile"
    for name in ("casefile.toml.bak", "casefile.toml.lock", "casefile.toml.with-comments.bak", ".casefile.toml.x.tmp"):
        assert git(repo, "check-ignore", name).stdout.strip() == name
    assert git(repo, "check-ignore", "casefile.toml", code=1).stdout == ""
    files = {name: (repo / name).read_bytes() for name in (".gitattributes", ".gitignore", ".git/config")}
    again = run("git-setup", "-f", str(repo / "casefile.toml"))
    assert "already set up" in again.stderr
    assert {name: (repo / name).read_bytes() for name in files} == files
    assert git(repo, "status", "--porcelain").stdout == ""


@needs_git
def test_git_setup_for_a_case_file_in_a_subfolder_of_an_existing_setup(repo: Path, run: Run) -> None:
    (repo / ".gitattributes").write_text("*.png binary", encoding="utf-8")  # no final newline
    store.create(repo / "cases" / "other case.toml", sample())
    run("git-setup", "-f", str(repo / "cases" / "other case.toml"))
    assert (repo / ".gitattributes").read_text(encoding="utf-8") == (
        '*.png binary\n"cases/other case.toml" merge=casefile\n'
    )
    attr = git(repo, "check-attr", "merge", "cases/other case.toml").stdout
    assert attr.strip() == "cases/other case.toml: merge: casefile"
    assert git(repo, "check-ignore", "cases/other case.toml.lock").returncode == 0


def test_git_setup_outside_a_repository_says_so(run: Run, case_file: Path) -> None:
    result = run("git-setup", code=2)
    assert "is not inside a git repository" in result.stderr


@needs_git
def test_two_branches_adding_50_events_each_merge_with_all_100(repo: Path, run: Run) -> None:
    branch(repo, "ana", add_many("ana", 50, 0))
    branch(repo, "luis", add_many("luis", 50, 1))
    git(repo, "checkout", "-q", "ana")
    merged = git(repo, "merge", "--no-edit", "luis")
    assert "casefile.toml: merged" in merged.stderr
    case = load(repo)
    assert len(case.events) == 101
    assert sum("ana" in e.tags for e in case.events) == sum("luis" in e.tags for e in case.events) == 50
    text = (repo / "casefile.toml").read_text(encoding="utf-8")
    assert text == tomltext.dumps(case)  # canonical: the next save changes nothing
    assert git(repo, "status", "--porcelain").stdout == ""
    assert json.loads(run("conflicts", "--json", "-f", str(repo / "casefile.toml")).stdout) == []


@needs_git
def test_without_the_driver_the_same_merge_conflicts_line_by_line(repo: Path) -> None:
    (repo / ".gitattributes").unlink()
    git(repo, "commit", "-q", "-am", "No driver")
    branch(repo, "ana", add_many("ana", 5, 0))
    branch(repo, "luis", add_many("luis", 5, 1))
    git(repo, "checkout", "-q", "ana")
    assert "CONFLICT (content)" in git(repo, "merge", "--no-edit", "luis", code=1).stdout


@needs_git
def test_edits_to_different_fields_of_one_event_merge(repo: Path) -> None:
    branch(repo, "ana", lambda case: edit(case, EVENT, title="Citizen Lab: spyware against health advocates"))
    branch(repo, "luis", lambda case: edit(case, EVENT, description="NSO's Pegasus.", tags=("surveillance", "nso")))
    git(repo, "checkout", "-q", "ana")
    git(repo, "merge", "--no-edit", "luis")
    merged = event(load(repo))
    assert (merged.title, merged.description, merged.tags) == (
        "Citizen Lab: spyware against health advocates",
        "NSO's Pegasus.",
        ("surveillance", "nso"),
    )


@needs_git
def test_same_field_on_both_sides_stops_the_merge_until_resolved_then_merges_stay_clean(repo: Path, run: Run) -> None:
    case_file = str(repo / "casefile.toml")
    branch(repo, "ana", lambda case: edit(case, EVENT, title="Ana's title", description="Ana"))
    branch(repo, "luis", lambda case: edit(case, EVENT, title="Luis's title"))
    git(repo, "checkout", "-q", "ana")
    stopped = git(repo, "merge", "--no-edit", "luis", code=1)
    assert "CONFLICT (content): Merge conflict in casefile.toml" in stopped.stdout
    assert "1 conflict recorded" in stopped.stderr
    assert git(repo, "diff", "--name-only", "--diff-filter=U").stdout.split() == ["casefile.toml"]
    listed = run("conflicts", "-f", case_file).stdout
    assert f"{EVENT}: title changed on both sides" in listed
    assert "<<<<<<<" not in (repo / "casefile.toml").read_text(encoding="utf-8")
    run("check", "-f", case_file, code=1)
    run("resolve", EVENT, "--field", "title", "--take", "theirs", "-f", case_file)
    assert event(load(repo)).title == "Luis's title"
    assert event(load(repo)).description == "Ana"
    git(repo, "add", "casefile.toml")
    git(repo, "commit", "-q", "--no-edit")
    # A third branch, started before all this, merges on top without conflict.
    branch(repo, "eva", add_many("eva", 3, 0), start="main")
    branch(repo, "eva2", lambda case: edit(case, EVENT, actors=("Army",)), start="eva")
    git(repo, "checkout", "-q", "ana")
    git(repo, "merge", "--no-edit", "eva2")
    case = load(repo)
    assert conflicts_in(case) == ()
    assert (event(case).title, event(case).actors, len(case.events)) == ("Luis's title", ("Army",), 4)
    assert git(repo, "status", "--porcelain").stdout == ""


@needs_git
def test_deleted_versus_edited_is_a_conflict(repo: Path, run: Run) -> None:
    case_file = str(repo / "casefile.toml")
    branch(repo, "ana", lambda case: operations.remove_item(case, DEMAND)[0])
    branch(repo, "luis", lambda case: edit(case, DEMAND, channel="email"))
    git(repo, "checkout", "-q", "ana")
    git(repo, "merge", "--no-edit", "luis", code=1)
    records = json.loads(run("conflicts", "--json", "-f", case_file).stdout)
    assert [(r["item"], r["field"], r["deleted"]) for r in records] == [(DEMAND, "*", "ours")]
    assert operations.find_item(load(repo), DEMAND).channel == "email"  # kept meanwhile
    run("resolve", DEMAND, "--field", "*", "--take", "ours", "-f", case_file)
    assert DEMAND not in {d.id for d in load(repo).demands}
    git(repo, "commit", "-q", "-am", "Merged")
    assert git(repo, "status", "--porcelain").stdout == ""


# --- stable, minimal diffs ----------------------------------------------------------------------


def diff_lines(repo: Path) -> tuple[list[str], list[str]]:
    """Lines added and removed in the working tree, as ``git diff`` shows them."""
    diff = git(repo, "diff", "-U0", "--no-color").stdout.splitlines()
    added = [line[1:] for line in diff if line.startswith("+") and not line.startswith("+++")]
    removed = [line[1:] for line in diff if line.startswith("-") and not line.startswith("---")]
    return added, removed


@needs_git
def test_adding_one_event_changes_only_that_events_lines(repo: Path) -> None:
    change(repo / "casefile.toml", add_many("ana", 10, 0))
    git(repo, "commit", "-q", "-am", "Ten events")
    before = (repo / "casefile.toml").read_text(encoding="utf-8")
    change(repo / "casefile.toml", lambda case: add(case, "2018-01-04", "One more", sources=(Source(url=CITIZEN_LAB),)))
    added, removed = diff_lines(repo)
    assert removed == []
    after = (repo / "casefile.toml").read_text(encoding="utf-8")
    start = after.index('[[events]]\nid = "2018-01-04-one-more')
    end = re.compile(r"\n\n\[\[?[a-z_]+\]\]?\n").search(after, start + 1)
    block = after[start : end.start() if end else len(after)]
    # git may show the block shifted by a line (an identical header or blank line), never more.
    assert sorted(added) == sorted([*block.splitlines(), ""])
    assert len(after.splitlines()) == len(before.splitlines()) + len(added)


@needs_git
def test_saving_an_unchanged_case_changes_nothing(repo: Path) -> None:
    from casefile.case.demo import demo_case

    path = repo / "demo.toml"
    store.create(path, demo_case())
    git(repo, "add", "demo.toml")
    git(repo, "commit", "-q", "-m", "Demo")
    write_atomic(path, tomltext.dumps(store.load(path).case))
    assert git(repo, "status", "--porcelain", "--untracked-files=no").stdout == ""
    assert git(repo, "diff").stdout == ""


@needs_git
def test_one_long_event_among_short_ones_changes_only_its_lines(repo: Path) -> None:
    path = repo / "casefile.toml"
    short = Case(title="T", country="Mexico")
    for number in range(3):
        short = add(short, f"2019-01-0{number + 1}", f"E{number}")
    write_atomic(path, tomltext.dumps(short))
    git(repo, "commit", "-q", "-am", "Short events")
    change(path, lambda case: add(case, "2019-02-01", "A long title " * 6, sources=(Source(url=CITIZEN_LAB),)))
    _, removed = diff_lines(repo)
    assert removed == []


def test_two_events_whose_titles_make_one_id_on_both_sides_are_both_kept() -> None:
    # Two people add different events on the same day; their Cyrillic titles transliterate to one id.
    base = sample()
    ours = add(base, "2024-03-01", "Обыск в офисе!")
    theirs = add(base, "2024-03-01", "Обыск в офисе?")
    assert [e.id for e in ours.events if e.id not in {x.id for x in base.events}] == ["2024-03-01-obysk-v-ofise"]
    result = merge(base, ours, theirs)
    assert result.conflicts == ()
    titles = {e.id: e.title for e in result.case.events}
    assert titles["2024-03-01-obysk-v-ofise"] == "Обыск в офисе!"
    assert titles["2024-03-01-obysk-v-ofise-2"] == "Обыск в офисе?"
    assert merge(base, ours, theirs).text == result.text  # the same merge, the same ids


def test_one_event_added_on_both_sides_with_the_same_title_stays_one() -> None:
    base = sample()
    both = add(base, "2024-03-01", "Обыск в офисе")
    result = merge(base, both, both)
    assert [e.id for e in result.case.events].count("2024-03-01-obysk-v-ofise") == 1
    assert len(result.case.events) == len(both.events)


def test_resolve_says_the_field_of_a_refused_value_as_french_does(
    run: Run, conflicted: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tomltext.dumps(conflicted))
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    wrong = run("resolve", EVENT, "--field", "date", "--take", "2017-02-30", code=2).stderr
    assert "'2017-02-30'\u00a0: events[1].date\u00a0: «\u00a02017-02-30\u00a0» n'est pas une date" in wrong, wrong
    monkeypatch.setenv("LANG", "C.UTF-8")
    wrong = run("resolve", EVENT, "--field", "date", "--take", "2017-02-30", code=2).stderr
    assert "'2017-02-30': events[1].date: \"2017-02-30\" is not a date" in wrong, wrong
