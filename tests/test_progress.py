"""Progress bars: drawn on stderr when it is a terminal (a pty here), nothing extra when it is a pipe.

The commands that may run over a second (export, import, verify) draw a rich progress bar, which
goes once they are done. Piped, their stderr holds their usual lines and nothing else, and rich
is not imported at all (its import alone costs about 100 ms).
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import DATA

BAR = "━"  # what rich draws a bar with


def commands(folder: Path) -> dict[str, list[str]]:
    """Each long command, ready to run in ``folder`` (which holds a case with an attached file)."""
    return {
        "export": ["export", "--format", "html", "-o", "letter.html", "--as-of", "2018-07-16"],
        "import": ["--file", "imported.toml", "import", "case.json"],
        "verify": ["verify"],
    }


@pytest.fixture
def folder(isolated: Path) -> Path:
    """A case with one attached file, and its JSON export beside it."""
    shutil.copy(DATA / "fixture.toml", isolated / "casefile.toml")
    (isolated / "report.txt").write_text("evidence\n", encoding="utf-8")
    listed = subprocess.run(
        [sys.executable, "-m", "casefile", "list", "events", "--json"], cwd=isolated, check=True, capture_output=True
    )
    event = json.loads(listed.stdout)[0]["id"]
    for args in (["attach", event, "report.txt"], ["export", "--format", "json", "-o", "case.json"]):
        subprocess.run([sys.executable, "-m", "casefile", *args], cwd=isolated, check=True, capture_output=True)
    return isolated


def stderr_on_a_terminal(args: list[str], cwd: Path) -> tuple[int, str]:
    """Run casefile with stderr on a pty (stdout on a pipe); what the terminal was sent."""
    controller, terminal = os.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100"}
    process = subprocess.Popen(
        [sys.executable, "-m", "casefile", *args], stdout=subprocess.PIPE, stderr=terminal, cwd=cwd, env=env
    )
    os.close(terminal)
    shown = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([controller], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            shown += chunk
        elif process.poll() is not None:
            break
    process.communicate(timeout=60)
    os.close(controller)
    return process.returncode, shown.decode("utf-8", "replace")


@pytest.mark.parametrize("command", ["export", "import", "verify"])
def test_a_long_command_draws_a_bar_on_a_terminal(folder: Path, command: str) -> None:
    code, shown = stderr_on_a_terminal(commands(folder)[command], folder)
    assert code == 0, shown
    assert BAR in shown
    stage = {"export": "Drafting the letter", "import": "Importing the case", "verify": "Checking the evidence"}
    assert stage[command] in shown


@pytest.mark.parametrize("command", ["export", "import", "verify"])
def test_a_long_command_prints_nothing_extra_into_a_pipe(folder: Path, command: str) -> None:
    args = commands(folder)[command]
    # -X importtime: which modules the command imported (on stderr, before its own lines).
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "casefile", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    imported = [line for line in result.stderr.splitlines() if line.startswith("import time:")]
    said = [line for line in result.stderr.splitlines() if not line.startswith("import time:")]
    assert not any(line.split("|")[-1].strip().startswith("rich") for line in imported)
    assert BAR not in result.stderr and "\x1b" not in result.stderr
    first = {
        "export": "Wrote letter.html.",
        "import": "Created imported.toml from case.json",
        "verify": "1 file checked",
    }
    assert said and said[0].startswith(first[command]), said


# --- the first reading of a large case -----------------------------------------------------------------


@pytest.fixture
def large(isolated: Path) -> Path:
    """A generated case of 2,600 events (2.4 MB) with nothing cached, and a CSV of one new event."""
    from benchmarks.generate import case_text

    (isolated / "casefile.toml").write_text(case_text(2_600), encoding="utf-8")
    (isolated / "rows.csv").write_text("date,title\n2019-03-01,Nueva audiencia\n", encoding="utf-8")
    return isolated


def test_the_first_reading_of_a_large_case_draws_a_bar_on_a_terminal(large: Path) -> None:
    code, shown = stderr_on_a_terminal(["status", "--as-of", "2025-01-01"], large)
    assert code == 0, shown
    assert BAR in shown and "Reading the case" in shown
    code, shown = stderr_on_a_terminal(["status", "--as-of", "2025-01-01"], large)
    assert code == 0 and "Reading the case" not in shown  # read from the cache this time


def test_a_first_reading_inside_another_bar_reports_into_it(large: Path) -> None:
    """An import draws its bar, and the case it adds to is read for the first time inside it: one
    bar on screen (rich draws one at a time), both stages in it."""
    code, shown = stderr_on_a_terminal(["import", "--items", "events", "rows.csv"], large)
    assert code == 0, shown
    assert BAR in shown and "Importing rows" in shown and "Reading the case" in shown
    assert "Nueva audiencia" in (large / "casefile.toml").read_text(encoding="utf-8")


def test_the_first_reading_of_a_large_case_prints_nothing_extra_into_a_pipe(large: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "casefile", "list", "events", "--json"],
        cwd=large,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    imported = [line for line in result.stderr.splitlines() if line.startswith("import time:")]
    assert not any(line.split("|")[-1].strip().startswith("rich") for line in imported)
    assert [line for line in result.stderr.splitlines() if not line.startswith("import time:")] == []


def test_a_small_case_read_for_the_first_time_draws_no_bar(folder: Path) -> None:
    shutil.rmtree(folder / "home", ignore_errors=True)  # nothing cached
    for cache in folder.parent.rglob("casefile/cases"):
        shutil.rmtree(cache, ignore_errors=True)
    code, shown = stderr_on_a_terminal(["list", "events"], folder)
    assert code == 0 and BAR not in shown and "Reading the case" not in shown


def test_a_bar_asked_for_inside_another_is_that_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    """rich draws one live display at a time: a first reading inside an import's bar reports into it."""
    from casefile.cli import progress

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    with progress.progress_bar() as outer:
        assert outer is not None
        with progress.progress_bar() as inner:
            assert inner is outer
            inner("Reading the case", 5, 10)
    with progress.progress_bar() as again:
        assert again is not None and again is not outer  # the first one is gone
