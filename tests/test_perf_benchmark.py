"""The benchmark's cases are what casefile itself writes, and the benchmark runs."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from benchmarks import run
from benchmarks.generate import case_text

from casefile.storage import store, tomltext


@pytest.mark.parametrize("events", [0, 1, 50])
def test_generated_cases_are_canonical_case_files(isolated: Path, events: int) -> None:
    path = isolated / "casefile.toml"
    text = case_text(events)
    path.write_text(text, encoding="utf-8")
    case = store.load(path).case
    assert len(case.events) == events
    assert tomltext.dumps(case) == text  # byte for byte what casefile writes


def test_the_benchmark_runs_and_prints_its_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert run.main(["--sizes", "100", "--runs", "1"]) == 0
    out = capsys.readouterr().out
    rows = ("casefile --help", "where", "add-event, middle date", "edit", "remove", "status after a hand edit")
    for row in (*rows, "list events --json", "timeline (piped)"):
        assert row in out
    assert "python -c pass" in out


def test_a_failing_command_is_reported_and_the_run_goes_on(tmp_path: Path) -> None:
    env = run.child_environment(tmp_path / "home")
    bare: list[float] = []
    failing = run.Row("fails", 100, lambda _run: [sys.executable, "-c", "import sys; sys.exit(3)"], budget=9)
    result = run.measure(failing, 2, env, tmp_path, tmp_path / "cache", bare)
    assert result.failure is not None and "exit status 3" in result.failure
    assert run.status(result, 0.01).startswith("FAILED")
    assert "FAILED" in run.table([result], 0.01, markdown=True)


def test_a_command_cannot_take_more_than_the_memory_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(run, "MEMORY_LIMIT", [512 * run.MIB])
    env = run.child_environment(tmp_path / "home")
    greedy = run.Row("greedy", 100, lambda _run: [sys.executable, "-c", "x = bytearray(2 * 1024 ** 3)"])
    result = run.measure(greedy, 1, env, tmp_path, tmp_path / "cache", [])
    assert result.failure is not None and "MemoryError" in result.failure


def test_only_runs_the_rows_asked_for(capsys: pytest.CaptureFixture[str]) -> None:
    assert run.main(["--sizes", "100", "--runs", "1", "--only", "where"]) == 0
    out = capsys.readouterr().out
    assert "where" in out and "add-event, middle date" not in out


def test_each_hand_edit_and_git_pull_writes_bytes_never_seen_and_a_valid_case(tmp_path: Path) -> None:
    from casefile.storage.store import load

    path = tmp_path / "casefile.toml"
    path.write_text(case_text(40), encoding="utf-8")
    seen = {path.read_bytes()}
    events = len(load(path).case.events)
    for change in (run._hand_edit, run._git_pull, run._hand_edit, run._git_pull, run._git_pull):
        change(path)
        data = path.read_bytes()
        assert data not in seen  # no cache of an earlier run can answer for these bytes
        seen.add(data)
        case = load(path).case  # still a valid case
        # A pull adds two events in the middle of the timeline and takes back the previous pull's two.
        pulled = [index for index, event in enumerate(case.events) if "-pulled-" in event.id]
        if change is run._git_pull:
            assert len(case.events) == events + 2 and len(pulled) == 2
            original = case.events[pulled[0] - 1]
            for index in pulled:  # right after the event they copy, with its sources
                copy = case.events[index]
                assert copy.id.startswith(original.id + "-pulled-") and copy.title.startswith("Pulled ")
                assert copy.date == original.date and copy.sources == original.sources
