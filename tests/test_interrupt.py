"""Ctrl-C (SIGINT) at any moment of a command: exit status 130, no traceback, no half-written file.

Each test runs ``casefile`` in a child process that sends itself SIGINT at a chosen moment (an
import, the writing of the new version), so the moment is the same on every run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from casefile.storage import store
from tests.test_concurrency import child_env

# Runs casefile with the given arguments, sending itself SIGINT when WHEN happens.
CHILD = """
import builtins, os, runpy, signal, sys

when, args = sys.argv[1], sys.argv[2:]
if when == "import":  # casefile's command line imports typer before anything else of its own
    real_import = builtins.__import__

    def importing(name, *rest, **options):
        if name == "typer":
            os.kill(os.getpid(), signal.SIGINT)
        return real_import(name, *rest, **options)

    builtins.__import__ = importing
else:  # as the writing of the case file's new version begins
    from casefile.storage import files

    def writing(path, pieces, *, durable=True):
        def interrupted():
            for number, piece in enumerate(pieces):
                if number == 0 and path.name == "casefile.toml":
                    os.kill(os.getpid(), signal.SIGINT)
                yield piece

        return written_temp(path, interrupted(), durable=durable)

    written_temp, files._written_temp = files._written_temp, writing
sys.argv = ["casefile", *args]
runpy.run_module("casefile", run_name="__main__")
"""


def interrupted(tmp_path: Path, when: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CHILD, when, *args],
        capture_output=True,
        text=True,
        env=child_env(tmp_path),
        timeout=60,
        check=False,
    )


def test_ctrl_c_while_casefile_starts_gives_no_traceback(tmp_path: Path) -> None:
    result = interrupted(tmp_path, "import", "where")
    assert result.returncode == 130, result.stderr
    assert "Traceback" not in result.stderr and "KeyboardInterrupt" not in result.stderr


def test_ctrl_c_while_the_new_version_is_written_leaves_the_old_one_whole(case_file: Path, tmp_path: Path) -> None:
    before = case_file.read_bytes()
    result = interrupted(tmp_path, "write", "add-event", "--date", "2017", "--title", "Interrupted")
    assert result.returncode == 130, result.stderr
    assert "Traceback" not in result.stderr
    assert case_file.read_bytes() == before
    assert sorted(path.name for path in case_file.parent.iterdir() if path.name.endswith(".tmp")) == []


def closed(tmp_path: Path, stream: int, *args: str) -> subprocess.CompletedProcess[str]:
    """casefile run with its standard input (0) or output (1) closed, as `<&-` or `>&-` in a shell."""
    return subprocess.run(
        [sys.executable, "-m", "casefile", *args],
        capture_output=True,
        preexec_fn=lambda: os.close(stream),
        text=True,
        env=child_env(tmp_path),
        timeout=60,
        check=False,
    )


def test_commands_run_with_standard_input_or_output_closed_give_no_traceback(case_file: Path, tmp_path: Path) -> None:
    # `<&-`: there is nothing to read (an empty text) and no one to answer a question.
    assert closed(tmp_path, 0, "add-event", "--date", "2017", "--title", "Read", "--description", "-").returncode == 0
    result = closed(tmp_path, 0, "remove", "2017-read")
    assert result.returncode == 2 and result.stderr.startswith("casefile: error: not removing without confirmation")
    # `>&-`: what would be printed goes nowhere, as with git; the command still does its work.
    for command in (["timeline"], ["list", "events"], ["add-event", "--date", "2018", "--title", "Unseen"]):
        result = closed(tmp_path, 1, *command)
        assert result.returncode == 0 and result.stderr == "", result.stderr
    assert [event.title for event in store.load(case_file).case.events] == ["Read", "Unseen"]
