"""add-*, respond, list, show, edit, remove, timeline."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from tests.conftest import Run

CITIZEN_LAB = "https://citizenlab.org/2017/02/bittersweet-nso-mexico-spyware/"


def add_sample(run: Run) -> dict[str, str]:
    """A signatory, two events and a demand; returns their ids."""
    ids = {}
    ids["signatory"] = run(
        "add-signatory", "--name", "Artículo 19", "--country", "Mexico", "--lead", "--email", "a19@example.org"
    ).stdout.strip()
    ids["event"] = run(
        "add-event",
        "--date",
        "2017-02-11",
        "--title",
        "Citizen Lab report on spyware against health advocates",
        "--source",
        CITIZEN_LAB,
        "--actor",
        "Federal government",
        "--tag",
        "surveillance",
        "--private-note",
        "call Ana",
    ).stdout.strip()
    ids["month"] = run("add-event", "--date", "2017-02", "--title", "Attacks on journalists").stdout.strip()
    ids["demand"] = run(
        "add-demand",
        "--date",
        "2017-02-16",
        "--to",
        "Tripartite Technical Secretariat",
        "--subject",
        "Investigate the surveillance",
        "--deadline",
        "2017-03-16",
        "--channel",
        "email",
        "--by",
        "artic",
    ).stdout.strip()
    return ids


def test_add_prints_new_id_alone(run: Run, case_file: Path) -> None:
    ids = add_sample(run)
    assert ids == {
        "signatory": "articulo-19",
        "event": "2017-02-11-citizen-lab-report-spyware",
        "month": "2017-02-attacks-journalists",
        "demand": "2017-02-16-investigate-surveillance",
    }
    document = tomllib.loads(case_file.read_text())
    assert document["demands"][0]["by"] == ["articulo-19"]
    assert document["events"][1]["sources"] == [{"url": CITIZEN_LAB}]


def test_clashing_ids_get_a_suffix_and_removed_ids_are_never_reused(run: Run, case_file: Path) -> None:
    first = run("add-event", "--date", "2017-02-11", "--title", "Report").stdout.strip()
    second = run("add-event", "--date", "2017-02-11", "--title", "Report").stdout.strip()
    assert (first, second) == ("2017-02-11-report", "2017-02-11-report-2")
    run("remove", second, "--yes")
    third = run("add-event", "--date", "2017-02-11", "--title", "Report").stdout.strip()
    assert third == "2017-02-11-report-3"


def test_description_and_text_from_stdin(run: Run, case_file: Path) -> None:
    event = run(
        "add-event", "--date", "2017", "--title", "T", "--description", "-", input="line one\nline two\n"
    ).stdout.strip()
    demand = run(
        "add-demand", "--date", "2017", "--to", "X", "--subject", "S", "--text", "-", input="Dear X,\nplease.\n"
    ).stdout.strip()
    assert json.loads(run("show", event, "--json").stdout)["description"] == "line one\nline two"
    assert json.loads(run("show", demand, "--json").stdout)["text"] == "Dear X,\nplease."


def test_a_private_note_from_stdin_stays_out_of_the_command_line(run: Run, case_file: Path) -> None:
    """A note typed after `--private-note` stays in the shell's history and, while the command runs,
    in the process list other users can read; `-` reads it from standard input instead."""
    event = run("add-event", "--date", "2017", "--title", "T", "--private-note", "-", input="met J. at the café\n")
    event_id = event.stdout.strip()
    assert json.loads(run("show", event_id, "--json").stdout)["private_notes"] == "met J. at the café"
    run("edit", event_id, "--private-note", "-", input="moved abroad\n")
    assert json.loads(run("show", event_id, "--json").stdout)["private_notes"] == "moved abroad"


@pytest.mark.parametrize("bad", ["2017-13-01", "2017-02-30", "11/02/2017", "yesterday"])
def test_bad_date_is_refused_with_an_example(run: Run, case_file: Path, bad: str) -> None:
    before = case_file.read_bytes()
    result = run("add-event", "--date", bad, "--title", "T", code=2)
    assert "e.g. 2017-02-11" in result.stderr
    assert result.stdout == ""
    assert case_file.read_bytes() == before


def test_empty_title_is_refused(run: Run, case_file: Path) -> None:
    assert "cannot be empty" in run("add-event", "--date", "2017", "--title", "", code=2).stderr


def test_unknown_signatory_in_by_is_refused(run: Run, case_file: Path) -> None:
    result = run("add-demand", "--date", "2017", "--to", "X", "--subject", "S", "--by", "nobody", code=2)
    assert "no signatory has the id 'nobody'" in result.stderr


def test_list_json_carries_stored_and_derived_fields(run: Run, case_file: Path) -> None:
    ids = add_sample(run)
    events = json.loads(run("list", "events", "--json").stdout)
    assert [event["id"] for event in events] == [ids["month"], ids["event"]]  # a month sorts before its days
    assert events[1]["date"] == "2017-02-11"
    assert events[1]["sources"][0]["url"] == CITIZEN_LAB
    demands = json.loads(run("list", "demands", "--json", "--as-of", "2017-03-01").stdout)
    assert demands[0]["status"] == "unanswered"
    assert demands[0]["days_unanswered"] == 13
    demands = json.loads(run("list", "demands", "--json", "--as-of", "2017-05-23").stdout)
    assert demands[0]["status"] == "overdue"
    assert demands[0]["days_unanswered"] == 96
    signatories = json.loads(run("list", "signatories", "--json").stdout)
    assert signatories[0]["role"] == "lead"


def test_list_text(run: Run, case_file: Path) -> None:
    ids = add_sample(run)
    lines = run("list", "demands", "--as-of", "2017-05-23").stdout.splitlines()
    assert lines == [
        f"{ids['demand']}\t2017-02-16\toverdue (96 days)"
        "\tto Tripartite Technical Secretariat: Investigate the surveillance"
    ]
    assert "No concerns yet." in run("list", "concerns").stderr


def test_list_rejects_unknown_kind_and_bad_as_of(run: Run, case_file: Path) -> None:
    run("list", "things", code=2)
    assert "e.g." in run("list", "demands", "--as-of", "2017-02", code=2).stderr


def test_respond_changes_status(run: Run, case_file: Path) -> None:
    ids = add_sample(run)
    assert (
        run("respond", "2017-02-16", "--date", "2017-06-01", "--status", "partial", "--summary", "Some").stdout.strip()
        == ids["demand"]
    )
    demand = json.loads(run("show", ids["demand"], "--json").stdout)
    assert demand["status"] == "partial"
    assert demand["days_unanswered"] is None
    assert demand["responses"] == [{"date": "2017-06-01", "status": "partial", "summary": "Some", "translations": None}]
    run("respond", ids["demand"], "--date", "2017-07-01", "--status", "maybe", code=2)


def test_show_text_and_prefix_errors(run: Run, case_file: Path) -> None:
    ids = add_sample(run)
    text = run("show", "2017-02-11").stdout
    assert f"id: {ids['event']}" in text
    assert "tags: surveillance" in text
    ambiguous = run("show", "2017-02", code=2).stderr
    assert "matches 3 ids" in ambiguous and ids["month"] in ambiguous and ids["demand"] in ambiguous
    assert "no item has the id 'zzz'" in run("show", "zzz", code=2).stderr


def test_edit_replaces_fields_keeps_id(run: Run, case_file: Path) -> None:
    ids = add_sample(run)
    assert (
        run(
            "edit", ids["event"], "--title", "New title", "--date", "2017-02-12", "--tag", "a", "--tag", "b"
        ).stdout.strip()
        == ids["event"]
    )
    event = json.loads(run("show", ids["event"], "--json").stdout)
    assert (event["title"], event["date"], event["tags"]) == ("New title", "2017-02-12", ["a", "b"])
    assert event["sources"][0]["url"] == CITIZEN_LAB
    run("edit", ids["signatory"], "--no-lead", "--representative", "Ana Ruiz")
    signatory = json.loads(run("show", ids["signatory"], "--json").stdout)
    assert (signatory["role"], signatory["representative"]) == ("signatory", "Ana Ruiz")
    run("edit", ids["demand"], "--deadline", "2017-04")
    assert json.loads(run("show", ids["demand"], "--json").stdout)["deadline"] == "2017-04"


def test_edit_refuses_options_of_another_kind(run: Run, case_file: Path) -> None:
    ids = add_sample(run)
    result = run("edit", ids["event"], "--to", "Someone", code=2)
    assert "--to does not apply to a event" in result.stderr
    run("edit", ids["event"], code=2)


def test_remove_needs_yes_without_terminal(run: Run, case_file: Path) -> None:
    ids = add_sample(run)
    result = run("remove", ids["month"], code=2)
    assert "--yes" in result.stderr
    run("remove", ids["month"], "--yes")
    assert ids["month"] not in run("list", "events").stdout
    assert ids["month"] in tomllib.loads(case_file.read_text())["retired_ids"]


def test_remove_asks_on_a_terminal(run: Run, case_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from casefile.cli import _shared

    ids = add_sample(run)
    monkeypatch.setattr(_shared, "stdin_is_terminal", lambda: True)
    result = run("remove", ids["month"], input="n\n", code=1)
    assert "Nothing removed" in result.stderr
    assert ids["month"] in run("list", "events").stdout


def test_remove_refuses_signatory_named_by_a_demand(run: Run, case_file: Path) -> None:
    ids = add_sample(run)
    result = run("remove", ids["signatory"], "--yes", code=2)
    assert ids["demand"] in result.stderr
    assert ids["signatory"] in run("list", "signatories").stdout


def test_timeline_interleaves_and_marks_unanswered(run: Run, case_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    ids = add_sample(run)
    output = run("timeline", "--as-of", "2017-05-23").stdout
    assert output.index("2017-02\t") < output.index("2017-02-11\t") < output.index("2017-02-16\t")
    assert "\x1b[" not in output  # no colour when not on a terminal
    # Piped: one tab-separated line per row (date, what, id, status), the whole id.
    lines = [line.split("\t") for line in output.splitlines()]
    assert all(len(line) == 4 for line in lines), lines
    demand = next(line for line in lines if line[0] == "2017-02-16")
    assert demand[2] == ids["demand"], (demand, ids)
    assert demand[3].endswith(", 96 days without answer")
    assert ids["event"] in [line[2] for line in lines]


def test_timeline_piped_keeps_one_line_per_row(run: Run, case_file: Path) -> None:
    run("add-event", "--date", "2017-03", "--title", "A title\twith a tab", "--description", "x")
    run("edit", "2017-03", "--title", "Two\nlines\r\x1b[31mred")
    lines = run("timeline", "--as-of", "2017-05-23").stdout.splitlines()
    assert len(lines) == 1 and lines[0].count("\t") == 3 and "\x1b" not in lines[0]
    assert lines[0].startswith("2017-03\tTwo\\nlines\\r\\x1b[31mred\t")


def test_timeline_on_a_terminal_is_a_table(run: Run, case_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    from casefile.cli.timeline import timeline

    run("add-event", "--date", "2017-03", "--title", "Spyware found")

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    monkeypatch.setattr(sys, "stdout", screen)
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")
    timeline(as_of="2017-05-23", file=case_file)
    assert "┏━" in screen.getvalue() and "Spyware found" in screen.getvalue()
