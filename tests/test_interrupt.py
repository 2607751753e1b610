"""Ctrl-C (SIGINT) at any moment of a command: exit status 130, no traceback, no half-written file.

Each test runs ``casefile`` in a child process that sends itself SIGINT at a chosen moment (an
import, the writing of the new version), so the moment is the same on every run.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
