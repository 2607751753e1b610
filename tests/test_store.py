"""The store: atomic owner-only writes, full validation on load, migration, and keeping what it does not know.

Most tests go through the CLI (``add-event`` writes, ``list`` reads) and then look at the files
on disk; a few call :mod:`casefile.storage.store` directly to break a write halfway.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import tomllib
from pathlib import Path
from typing import Any

import pytest

from casefile.case.dates import parse_date
from casefile.case.migrations import SCHEMA_VERSION
from casefile.case.model import Case, Event
from casefile.case.operations import add_event
from casefile.errors import LockTimeout
from casefile.storage import files, lock, store, tomltext
from tests.conftest import Run


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def temp_files(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(".tmp"))


def header_line(text: str, header: str, number: int) -> int:
    """The line of the ``number``-th (1-based) ``header`` line in ``text``."""
    lines = [index for index, line in enumerate(text.splitlines(), start=1) if line.strip() == header]
    return lines[number - 1]


def errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("casefile: error: ")]


def add_x(case: Case) -> tuple[Case, Event]:
    return add_event(case, date=parse_date("2017"), title="X")


# --- atomic, owner-only writes ----------------------------------------------------------------


def test_bak_holds_the_previous_version(run: Run, case_file: Path) -> None:
    created = case_file.read_bytes()
    run("add-event", "--date", "2017-02-11", "--title", "First", "-f", str(case_file))
    assert files.sidecar(case_file, ".bak").read_bytes() == created
    first = case_file.read_bytes()
    run("add-event", "--date", "2017-02-12", "--title", "Second", "-f", str(case_file))
    assert files.sidecar(case_file, ".bak").read_bytes() == first


def test_case_file_bak_and_lock_are_owner_only(run: Run, case_file: Path) -> None:
    run("add-event", "--date", "2017-02-11", "--title", "First", "-f", str(case_file))
    assert mode(case_file) == 0o600
    assert mode(files.sidecar(case_file, ".bak")) == 0o600
    assert mode(files.sidecar(case_file, ".lock")) == 0o600


def test_no_temporary_files_are_left(run: Run, case_file: Path) -> None:
    for day in ("11", "12", "13"):
        run("add-event", "--date", f"2017-02-{day}", "--title", "Event", "-f", str(case_file))
    assert temp_files(case_file.parent) == []
    assert sorted(path.name for path in case_file.parent.iterdir()) == [
        "casefile.toml",
        "casefile.toml.bak",
        "casefile.toml.lock",
    ]


def test_hand_written_readable_file_and_its_bak_become_owner_only(run: Run, isolated: Path) -> None:
    path = isolated / "casefile.toml"
    path.write_text('schema_version = 1\n[case]\ntitle = "T"\ncountry = "Mexico"\n')
    path.chmod(0o644)
    run("add-event", "--date", "2017", "--title", "Event", "-f", str(path))
    assert mode(path) == 0o600
    assert mode(files.sidecar(path, ".bak")) == 0o600


def test_unchanged_case_is_not_rewritten(case_file: Path) -> None:
    before = case_file.read_bytes()
    store.update(case_file, lambda case: (case, None))
    assert case_file.read_bytes() == before
    assert not files.sidecar(case_file, ".bak").exists()


def test_failed_rename_leaves_the_old_file_and_no_temp(case_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = case_file.read_bytes()
    real_replace = os.replace

    def replace(source: str | Path, target: str | Path) -> None:
        if Path(target) == case_file:
            raise OSError(errno.EIO, "simulated crash before the rename")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OSError, match="simulated crash"):
        store.update(case_file, add_x)
    assert case_file.read_bytes() == before
    assert temp_files(case_file.parent) == []


def test_failed_temp_write_leaves_the_old_file_and_no_temp(case_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = case_file.read_bytes()

    def fsync(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, "simulated full disk")

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(OSError, match="full disk"):
        store.update(case_file, add_x)
    assert case_file.read_bytes() == before
    assert temp_files(case_file.parent) == []


def test_a_full_disk_is_said_with_the_file_it_stopped_and_changes_nothing(
    run: Run, case_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = case_file.read_bytes()

    def fsync(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))  # as the system raises it: no file name

    monkeypatch.setattr(os, "fsync", fsync)
    (line,) = run("add-event", "--date", "2017", "--title", "X", code=2).stderr.splitlines()
    assert line == f"casefile: error: {os.strerror(errno.ENOSPC)}: {case_file}"
    assert case_file.read_bytes() == before
    assert temp_files(case_file.parent) == []


def test_lock_times_out_while_another_writer_holds_it(case_file: Path) -> None:
    with (
        lock.locked(case_file),
        pytest.raises(LockTimeout, match="another casefile command"),
        lock.locked(case_file, timeout=0.05),
    ):
        pass  # pragma: no cover - never reached


def saved_meanwhile(monkeypatch: pytest.MonkeyPatch, path: Path, times: int) -> list[bytes]:
    """Make an editor save ``path`` (a new title, atomically) right after each of the first ``times``
    readings a change makes; the versions it saved, in order."""
    versions: list[bytes] = []

    class Reading(store.Reading):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            if len(versions) < times:
                title = f"Saved by an editor {len(versions) + 1}" + "!" * len(versions)  # a new size each time
                text = re.sub(r'(?m)^title = ".*"$', f'title = "{title}"', path.read_text(encoding="utf-8"), count=1)
                versions.append(text.encode("utf-8"))
                files.write_atomic(path, text, backup=False)

    monkeypatch.setattr(store, "Reading", Reading)
    return versions


def test_a_change_to_a_file_that_keeps_changing_is_given_up_and_nothing_is_lost(
    run: Run, case_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editor or a sync tool takes no lock: a change made again and again to the versions it
    saves is given up, never saved over the last of them."""
    versions = saved_meanwhile(monkeypatch, case_file, times=1000)
    result = run("add-event", "--date", "2017", "--title", "Not saved", code=2)
    assert len(versions) == store.MOST_READINGS
    assert case_file.read_bytes() == versions[-1]  # the other program's last version, whole
    (line,) = result.stderr.splitlines()  # one line, no traceback
    assert line.startswith("casefile: error: ") and case_file.name in line
    assert "kept changing" in line and "nothing was changed" in line and "Try again" in line


@pytest.mark.parametrize("times", [1, 2])
def test_a_change_is_made_to_the_version_an_editor_saved_meanwhile(
    run: Run, case_file: Path, monkeypatch: pytest.MonkeyPatch, times: int
) -> None:
    saved_meanwhile(monkeypatch, case_file, times=times)
    run("add-event", "--date", "2017", "--title", "Saved")
    document = tomllib.loads(case_file.read_text(encoding="utf-8"))
    assert document["case"]["title"] == f"Saved by an editor {times}" + "!" * (times - 1)
    assert [event["title"] for event in document["events"]] == ["Saved"]


@pytest.mark.parametrize("how", ["in place", "replaced"])
def test_an_editor_saving_while_the_new_version_is_written_is_never_overwritten(
    run: Run, case_file: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """Writing a large case's new version takes a while: an editor that saves the file meanwhile
    (in place, or by renaming its own copy over it) keeps its version, and the change is made to it."""
    written_temp, saved = files._written_temp, []

    def saving_meanwhile(path: Path, pieces: Any, *, durable: bool = True) -> Path:
        temp = written_temp(path, pieces, durable=durable)
        if path.name == case_file.name and not saved:
            saved.append(path)
            text = re.sub(r'(?m)^title = ".*"$', 'title = "Saved by an editor"', path.read_text(encoding="utf-8"))
            if how == "in place":
                with path.open("r+", encoding="utf-8") as handle:
                    handle.write(text)
                    handle.truncate()
            else:
                files.write_atomic(path, text, backup=False)
        return temp

    monkeypatch.setattr(files, "_written_temp", saving_meanwhile)
    run("add-event", "--date", "2017", "--title", "Saved")
    document = tomllib.loads(case_file.read_text(encoding="utf-8"))
    assert document["case"]["title"] == "Saved by an editor"
    assert [event["title"] for event in document["events"]] == ["Saved"]
    assert temp_files(case_file.parent) == []


@pytest.mark.parametrize("where", [[], ["--file", "missing.toml"]])
@pytest.mark.parametrize(
    "command", [["add-event", "--date", "2017", "--title", "X"], ["edit-case", "--title", "Y"], ["remove", "x", "-y"]]
)
def test_a_change_to_no_case_says_how_to_make_one_and_leaves_no_file(
    run: Run, isolated: Path, where: list[str], command: list[str]
) -> None:
    """A first command before `casefile init` (or in the wrong folder) is the commonest mistake:
    it is told there is no case, not that a lock file could not be made, and nothing is left behind."""
    result = run(*where, *command, code=2)
    (line,) = result.stderr.splitlines()
    assert line.startswith("casefile: error: no case file at ") and "casefile init" in line, line
    assert list(isolated.iterdir()) == []


# --- load validates everything -----------------------------------------------------------------

INVALID = """\
schema_version = 1

[case]
country = "Mexico"

[[signatories]]
id = "articulo-19"
name = "Artículo 19"
kind = "ngo"

[[concerns]]
id = "surveillance"
title = "Surveillance of advocates"
category = "civic-space"

[[events]]
id = "2017-02-11-report"
date = "2017-02-11"
title = "Report"

[[events]]
id = "2017-02-30-bad-date"
date = "2017-02-30"
title = "A day February does not have"

[[events]]
id = "2017-03-no-title"
date = "2017-03"

[[events]]
id = "2017-04-unknown-concern"
date = "2017-04"
title = "Names a concern that is not there"
concerns = ["surveillance", "no-such-concern"]

[[events]]
id = "2017-02-11-report"
date = "2017-05"
title = "Same id as the first event"

[[demands]]
id = "2017-02-16-investigate"
date = "2017-02-16"
to = "Secretariat"
subject = "Investigate"
by = ["articulo-19", "nobody"]
"""


def test_a_problem_in_the_case_table_names_its_line(run: Run, isolated: Path) -> None:
    (isolated / "casefile.toml").write_text(
        'schema_version = 2\n\n[case]\ntitle = "T"\nogp_joined = 2011.5\ncontact.email = 5\n\n'
        '[[events]]\nid = "a"\ndate = "2017"\ntitle = "X"\nogp_joined = 1\n',
        encoding="utf-8",
    )
    said = sorted(line.split(": ", 4)[3:] for line in run("list", "events", code=2).stderr.splitlines())
    assert said == [
        ["line 3", "case.country: is missing"],  # no line of its own: the table's
        ["line 5", "case.ogp_joined: should be a whole number, not float"],
        ["line 6", "case.contact.email: should be text in quotes, not a whole number"],
    ]


@pytest.mark.parametrize("data", [b"", b"\n\n", b"\0" * 4096])
@pytest.mark.parametrize("command", [["list", "events"], ["add-event", "--date", "2017", "--title", "New"]])
def test_a_file_emptied_by_a_crash_points_to_its_backup(
    run: Run, case_file: Path, data: bytes, command: list[str]
) -> None:
    """A crash of the machine (or a sync tool) can leave the file empty, or as zeros: say so, and where
    the previous version is, rather than that the file needs a [case] table."""
    run("add-event", "--date", "2017", "--title", "Kept in the backup")
    case_file.write_bytes(data)
    (line,) = run(*command, code=2).stderr.splitlines()
    assert line == (
        f"casefile: error: {case_file} is empty (a crash or a sync tool may have emptied it). "
        f"Nothing was changed; the previous version, if any, is {case_file}.bak."
    )
    assert case_file.read_bytes() == data


@pytest.mark.parametrize("command", [["list", "events"], ["add-event", "--date", "2017", "--title", "New"]])
def test_invalid_file_reports_every_problem_with_its_line(run: Run, isolated: Path, command: list[str]) -> None:
    path = isolated / "casefile.toml"
    path.write_text(INVALID)
    result = run(*command, "-f", str(path), code=2)
    where = f"casefile: error: {path}: "
    expected = [
        f"{where}line {header_line(INVALID, '[case]', 1)}: case.title: is missing",
        f"{where}line {header_line(INVALID, '[[signatories]]', 1)}: signatories[1].kind: 'ngo' is not one of",
        f'{where}line {header_line(INVALID, "[[events]]", 2)}: events[2].date: "2017-02-30" is not a date',
        f"{where}line {header_line(INVALID, '[[events]]', 3)}: events[3].title: is missing",
        f"{where}line {header_line(INVALID, '[[events]]', 4)}: events[4].concerns: no concern has the id "
        "'no-such-concern'",
        f"{where}line {header_line(INVALID, '[[events]]', 5)}: events[5].id: '2017-02-11-report' is already "
        "the id of events[1]",
        # "articulo-19" exists (only its kind is wrong), so only "nobody" is reported.
        f"{where}line {header_line(INVALID, '[[demands]]', 1)}: demands[1].by: no signatory has the id 'nobody'",
    ]
    reported = errors(result.stderr)
    assert len(reported) == len(expected), reported
    for start in expected:
        assert sum(line.startswith(start) for line in reported) == 1, (start, reported)
    assert "Traceback" not in result.stdout + result.stderr
    assert path.read_text() == INVALID
    assert not files.sidecar(path, ".bak").exists()


def test_toml_syntax_error_names_file_line_and_column(run: Run, isolated: Path) -> None:
    path = isolated / "casefile.toml"
    text = 'schema_version = 1\n[case]\ntitle = "T"\ncountry = "Mexico\n'
    path.write_text(text)
    result = run("add-event", "--date", "2017", "--title", "New", "-f", str(path), code=2)
    (message,) = errors(result.stderr)
    assert str(path) in message
    assert "line 4, column 18" in message
    assert "Traceback" not in result.stdout + result.stderr
    assert path.read_text() == text


def test_non_utf8_file_is_reported_with_its_line(run: Run, isolated: Path) -> None:
    path = isolated / "casefile.toml"
    data = 'schema_version = 1\n[case]\ntitle = "Art\xedculo 19"\ncountry = "M"\n'.encode("latin-1")
    path.write_bytes(data)
    result = run("add-event", "--date", "2017", "--title", "New", "-f", str(path), code=2)
    assert errors(result.stderr) == [
        f"casefile: error: {path}: line 3 (byte 39): not UTF-8 text; the file seems saved in another encoding "
        "(Latin-1 or Windows-1252, say). Open it in a text editor and save it as UTF-8. Nothing was changed."
    ]
    assert path.read_bytes() == data


# --- schema versions and migration -------------------------------------------------------------


def test_newer_schema_is_refused(run: Run, isolated: Path) -> None:
    path = isolated / "casefile.toml"
    text = 'schema_version = 99\nfuture = "yes"\n[case]\ntitle = "T"\ncountry = "M"\n'
    path.write_text(text)
    result = run("add-event", "--date", "2017", "--title", "New", "-f", str(path), code=2)
    (message,) = errors(result.stderr)
    assert "schema version 99" in message
    assert f"reads up to version {SCHEMA_VERSION}" in message
    assert path.read_text() == text


@pytest.mark.parametrize("value", ['"1"', "1.0", "true", "[1]"])
def test_non_integer_schema_version_is_reported(run: Run, isolated: Path, value: str) -> None:
    path = isolated / "casefile.toml"
    text = f'schema_version = {value}\n[case]\ntitle = "T"\ncountry = "M"\n'
    path.write_text(text)
    result = run("add-event", "--date", "2017", "--title", "New", "-f", str(path), code=2)
    (message,) = errors(result.stderr)
    assert "schema_version: should be a whole number" in message
    assert path.read_text() == text


VERSION_0 = """\
title = "Surveillance of health advocates"
country = "Mexico"
language = "es"
request = "Please review the case."
an_unknown_key = "kept"

[contact]
name = "Ana"

[[events]]
id = "2017-02-11-report"
date = "2017-02-11"
title = "Report"
"""


def test_version_0_file_loads_without_being_rewritten(run: Run, isolated: Path) -> None:
    path = isolated / "casefile.toml"
    path.write_text(VERSION_0)
    assert "2017-02-11-report" in run("list", "events", "-f", str(path)).stdout
    loaded = store.load(path)
    assert (loaded.case.title, loaded.case.language, loaded.case.request) == (
        "Surveillance of health advocates",
        "es",
        "Please review the case.",
    )
    assert loaded.migrated_from == 0
    assert path.read_text() == VERSION_0


def test_first_write_upgrades_version_0_file(run: Run, isolated: Path) -> None:
    path = isolated / "casefile.toml"
    path.write_text(VERSION_0)
    result = run("add-event", "--date", "2017-03", "--title", "New", "-f", str(path))
    assert "upgraded from schema version 0" in result.stderr
    assert str(files.sidecar(path, ".bak")) in result.stderr
    assert files.sidecar(path, ".bak").read_text() == VERSION_0
    document = tomllib.loads(path.read_text())
    assert document["schema_version"] == SCHEMA_VERSION
    assert document["case"] == {
        "title": "Surveillance of health advocates",
        "country": "MX",
        "language": "es",
        "contact": {"name": "Ana"},
        "request": "Please review the case.",
    }
    assert document["an_unknown_key"] == "kept"
    assert [event["id"] for event in document["events"]] == ["2017-02-11-report", result.stdout.strip()]
    again = run("add-event", "--date", "2017-04", "--title", "Newer", "-f", str(path))
    assert "upgraded" not in again.stderr


# --- unknown keys and comments -------------------------------------------------------------------

UNKNOWN_KEYS = """\
schema_version = 2
future_flag = true
future_list = ["a", 2]

[case]
title = "Surveillance"
country = "MX"
board_meeting = 2017-03-01

[case.contact]
name = "Ana"
pronouns = "she/her"

[future_table]
nested = { depth = 2, items = [1, 2] }

[[signatories]]
id = "articulo-19"
name = "Artículo 19"
website = "https://articulo19.org"

[[events]]
id = "2016-01-old"
date = "2016-01"
title = "Old"
mood = "tense"

[[events.sources]]
url = "https://example.org/a"
archived = "https://web.archive.org/a"

[[demands]]
id = "2017-02-16-investigate"
date = "2017-02-16"
to = "Secretariat"
subject = "Investigate"
by = ["articulo-19"]
reference_number = 42

[[demands.responses]]
date = "2017-03-01"
status = "partial"
reference = "OF-123"
"""


def test_unknown_keys_survive_a_save(run: Run, isolated: Path) -> None:
    path = isolated / "casefile.toml"
    path.write_text(UNKNOWN_KEYS)
    new_id = run("add-event", "--date", "2017", "--title", "New", "-f", str(path)).stdout.strip()
    document = tomllib.loads(path.read_text())
    assert new_id in [event["id"] for event in document["events"]]
    document["events"] = [event for event in document["events"] if event["id"] != new_id]
    assert document == tomllib.loads(UNKNOWN_KEYS)


COMMENTED = """\
# Our case, kept by hand.
schema_version = 2

[case]
title = "Surveillance"  # a short title
country = "MX"
"""


def test_adding_and_editing_items_keeps_hand_comments_in_place(run: Run, isolated: Path) -> None:
    path = isolated / "casefile.toml"
    path.write_text(COMMENTED)
    result = run("add-event", "--date", "2017", "--title", "New", "-f", str(path))
    assert "comments" not in result.stderr
    run("edit", "2017-new", "--title", "Renamed", "-f", str(path))
    text = path.read_text()
    assert text.startswith(COMMENTED)
    assert 'title = "Renamed"' in text
    assert files.commented_copies(path) == []


def test_each_rewrite_that_drops_comments_keeps_a_new_copy(run: Run, isolated: Path) -> None:
    path = isolated / "casefile.toml"
    versions = []
    for number in range(3):
        text = COMMENTED.replace("Surveillance", f"Surveillance {number}")
        path.write_text(text)
        versions.append(text)
        result = run("edit-case", "--title", f"Case {number}", "-f", str(path))
        copies = files.commented_copies(path)
        assert len(copies) == number + 1
        assert f"kept in {copies[-1]}" in " ".join(result.stderr.split())
        assert result.stderr.count("casefile: note:") == 1
    assert sorted(copy.read_text() for copy in files.commented_copies(path)) == sorted(versions)
    assert all(mode(copy) == 0o600 for copy in files.commented_copies(path))
    assert not tomltext.has_toml_comments(path.read_text())


def test_hash_inside_strings_gives_no_comment_note(run: Run, isolated: Path) -> None:
    path = isolated / "casefile.toml"
    path.write_text(
        'schema_version = 1\n[case]\ntitle = "Case #1"\ncountry = \'#Mexico\'\nrequest = """\n# not a comment\n"""\n'
    )
    result = run("add-event", "--date", "2017", "--title", "New", "-f", str(path))
    assert "comments" not in result.stderr
    assert files.commented_copies(path) == []


@pytest.mark.parametrize(
    "text",
    [
        "# a whole-line comment\na = 1\n",
        'a = "x"  # trailing\n',
        "[table]  # after a header\n",
        "a = [\n  1,  # inside an array\n]\n",
        'a = "" # after an empty string\n',
        "a = '' # after an empty literal string\n",
        'a = "say \\"hi\\"" # after escaped quotes\n',
        'a = "ends in a backslash \\\\" # c\n',
        "a = 'C:\\path\\' # a literal string does not escape its quote\n",
        'a = """\n# inside\n""" # after a multi-line string\n',
        'a = """ends in a quote"""" # c\n',
        'a = """ends in two quotes""""" # c\n',
        "a = '''ends in a quote'''' # c\n",
    ],
)
def test_comments_are_found(text: str) -> None:
    tomllib.loads(text)  # the example is valid TOML
    assert tomltext.has_toml_comments(text)


@pytest.mark.parametrize(
    "text",
    [
        'a = "#"\n',
        "a = '#'\n",
        'a = "x # y"\n',
        '"key # x" = 1\n',
        'a = "say \\"# not\\""\n',
        'a = "\\\\"\nb = "#"\n',
        'a = """\n# not a comment\n"""\n',
        "a = '''\n# not a comment\n'''\n",
        'a = """one "two" ""three"" # four"""\n',
        'a = """line \\\n  # continued"""\n',
        "a = '''it's # here'''\n",
        'a = """ends in a quote""""\nb = "#"\n',
    ],
)
def test_hash_inside_strings_is_not_a_comment(text: str) -> None:
    tomllib.loads(text)  # the example is valid TOML
    assert not tomltext.has_toml_comments(text)


def test_a_write_removes_temp_files_left_by_a_killed_writer(run: Run, case_file: Path) -> None:
    stale = case_file.parent / f".{case_file.name}.abc123.tmp"
    stale.write_text("half a case")
    run("add-event", "--date", "2017", "--title", "After a crash")
    assert not stale.exists()
