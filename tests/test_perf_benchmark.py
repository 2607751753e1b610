"""The benchmark's cases are what casefile itself writes, and the benchmark runs."""

from __future__ import annotations

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
