"""Terminal output cannot be forged: control characters in user text are shown escaped, one
record per line, while --json and exports keep the text exactly."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casefile.terminal import CONTROLS, shown, shown_fields
from tests.conftest import DATA, Run

HOSTILE = (
    "Raid\nforged-id\t2017\tFake row\r\x1b[2J\x1b]0;pwned\x07\x1b[31m\u202eevil\u2066x\u2069\u2028y\u2029\x85\x7f\x00"
)


def _no_controls(text: str) -> None:
    """Nothing in ``text`` but printable characters, tabs between fields and newlines between lines."""
    bad = {char for char in text if ord(char) in CONTROLS and char not in "\n\t"}
    assert not bad, sorted(map(hex, map(ord, bad)))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Línea\nDos", "Línea\\nDos"),
        ("a\rb\tc", "a\\rb\\tc"),
        ("\x1b[2J\x07\x00\x7f", "\\x1b[2J\\x07\\x00\\x7f"),
        ("\x85\x9b", "\\x85\\x9b"),
        ("\u202etxt.exe\u202c", "\\u202etxt.exe\\u202c"),
        ("\u2066\u2067\u2068\u2069\u200e\u200f\u061c", "\\u2066\\u2067\\u2068\\u2069\\u200e\\u200f\\u061c"),
        ("\u2028\u2029", "\\u2028\\u2029"),
        ("Artículo 19 — «Fundar» 🙂 مرحبا 東京 C:\\path", "Artículo 19 — «Fundar» 🙂 مرحبا 東京 C:\\path"),
    ],
)
def test_shown_escapes_controls_and_keeps_everything_else(text: str, expected: str) -> None:
    assert shown(text) == expected
    assert shown_fields("a\tb", 2017, "c\nd") == "a\\tb\t2017\tc\\nd"


@pytest.fixture
def hostile_case(run: Run, case_file: Path) -> Path:
    run("edit-case", "--title", "Case " + HOSTILE)
    run("add-event", "--date", "2017-02-11", "--title", HOSTILE, "--description", HOSTILE, "--tag", "a\x1bb")
    run("add-event", "--date", "2017-03", "--title", "Plain title")
    run("add-demand", "--date", "2017-02-16", "--to", HOSTILE, "--subject", HOSTILE)
    run("add-signatory", "--name", HOSTILE, "--short-name", "Org", "--lead")
    run("add-concern", "--title", HOSTILE, "--category", "other", "--category-other", HOSTILE)
    return case_file


@pytest.mark.parametrize(("kind", "count"), [("events", 2), ("demands", 1), ("signatories", 1), ("concerns", 1)])
def test_list_gives_one_line_per_item(run: Run, hostile_case: Path, kind: str, count: int) -> None:
    output = run("list", kind).stdout
    _no_controls(output)
    lines = output.splitlines()
    assert len(lines) == count
    assert all(line.count("\t") == lines[0].count("\t") for line in lines)
    assert "\\u202e" in output and "\\x1b[2J" in output


def test_show_timeline_status_check_conflicts_and_where_are_escaped(run: Run, hostile_case: Path) -> None:
    for args in (
        ["show", "2017-02-11"],
        ["show", "2017-02-16"],
        ["timeline"],
        ["status"],
        ["check"],
        ["conflicts"],
    ):
        result = run(*args, code=None)
        assert result.exit_code in (0, 1), (args, result.stderr)
        _no_controls(result.stdout)
        _no_controls(result.stderr)
        assert not [
            line for line in result.stdout.splitlines() if line.lstrip("│ ").startswith(("forged", "2017\tFake"))
        ]
    shown_event = run("show", "2017-02-11").stdout
    assert "title: " + shown(HOSTILE) in shown_event.splitlines()
    assert "description: " + shown(HOSTILE) in shown_event.splitlines()


def test_json_and_exports_keep_the_text_exactly(run: Run, hostile_case: Path) -> None:
    events = json.loads(run("list", "events", "--json").stdout)
    assert events[0]["title"] == HOSTILE
    event = json.loads(run("show", "2017-02-11", "--json").stdout)
    assert event["description"] == HOSTILE
    exported = json.loads(run("export", "--format", "json").stdout)
    assert exported["events"][0]["title"] == HOSTILE
    assert exported["case"]["title"] == "Case " + HOSTILE


def test_where_shows_a_hostile_path_on_one_line(run: Run, isolated: Path) -> None:
    folder = isolated / "odd\nfolder\x1b[2J"
    folder.mkdir()
    run("init", "--title", "T", "--country", "Mexico", "-f", str(folder / "casefile.toml"))
    result = run("where", "-f", str(folder / "casefile.toml"))
    assert result.stdout.count("\n") == 1 and "odd\\nfolder\\x1b[2J" in result.stdout
    _no_controls(result.stdout)


def test_errors_and_notes_are_one_line_each(run: Run, hostile_case: Path) -> None:
    result = run("show", "no\nsuch\x1b[2Jitem", code=2)
    assert len(result.stderr.splitlines()) == 1
    _no_controls(result.stderr)


def test_an_argument_that_is_not_utf8_is_refused(run: Run, case_file: Path) -> None:
    before = case_file.read_bytes()
    result = run("add-event", "--date", "2017", "--title", "Caf\udce9", code=2)
    assert result.stderr == "casefile: error: argument 5 is not UTF-8 text (byte 4 of it).\n"
    assert case_file.read_bytes() == before


def test_conflict_values_are_escaped(run: Run, tmp_path: Path) -> None:
    base = tmp_path / "base.toml"
    shutil.copy(DATA / "fixture.toml", base)
    ours, theirs = tmp_path / "ours.toml", tmp_path / "theirs.toml"
    shutil.copy(base, ours)
    shutil.copy(base, theirs)
    run("edit-case", "--title", "Ours\nforged", "-f", str(ours))
    run("edit-case", "--title", "Theirs\x1b[2J\u202e", "-f", str(theirs))
    run("merge-driver", str(base), str(ours), str(theirs), "casefile.toml", code=1)
    output = run("conflicts", "-f", str(ours)).stdout
    _no_controls(output)
    assert "Ours\\nforged" in output and "\\u202e" in output
    assert len(output.splitlines()) == 5  # what, base, ours, theirs, how to settle


TITLES = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)) | st.sampled_from([chr(code) for code in CONTROLS]),
    min_size=1,
    max_size=40,
).filter(lambda title: any(char.isalnum() for char in title))


@given(titles=st.lists(TITLES, min_size=1, max_size=4))
def test_hostile_titles_never_add_a_line_to_list(run: Run, case_file: Path, titles: list[str]) -> None:
    before = case_file.read_bytes()
    for title in titles:
        run("add-event", "--date", "2017-02-11", "--title", title, code=None)
    events = json.loads(run("list", "events", "--json").stdout)
    output = run("list", "events").stdout
    assert len(output.splitlines()) == len(events)
    assert all(line.count("\t") == 2 for line in output.splitlines())
    _no_controls(output)
    assert [line.split("\t")[2] for line in output.splitlines()] == [shown(event["title"]) for event in events]
    case_file.write_bytes(before)


def test_diff_since_shows_a_hostile_change_escaped(run: Run, tmp_path: Path) -> None:
    case = tmp_path / "case.toml"
    shutil.copy(DATA / "fixture.toml", case)
    run("set-letter-date", "2018-07-16", "-f", str(case))
    run("sign-off", "articulo", "-f", str(case))
    run("edit", "2017-02-11", "--title", "New\x1b[2J\rtitle\u202e", "-f", str(case))
    output = run("diff-since", "articulo", "-f", str(case)).stdout
    _no_controls(output)
    assert "New\\x1b" in output and "title\\u202e" in output
    assert all(line[:1] in "+- @" for line in output.splitlines())
