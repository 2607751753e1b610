"""The writer lock is never held on a lock file another command removed (two terminals)."""

from __future__ import annotations

import fcntl
import os
import threading
import time
from pathlib import Path

import pytest

from casefile.errors import LockTimeout
from casefile.storage.lock import locked
from tests.conftest import Run


def test_a_lock_taken_on_a_removed_lock_file_is_taken_again(tmp_path: Path) -> None:
    # Terminal A holds the lock of a case it could not read, so removes the lock file it made when it
    # gives up; terminal B, waiting on that file, must not then hold a lock no one else can see.
    case = tmp_path / "casefile.toml"
    case.write_text("", encoding="utf-8")
    lock_path = tmp_path / "casefile.toml.lock"
    first = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(first, fcntl.LOCK_EX)
    held = threading.Event()
    release = threading.Event()

    def terminal_b() -> None:
        with locked(case, timeout=5):
            held.set()
            release.wait(5)

    waiting = threading.Thread(target=terminal_b)
    waiting.start()
    time.sleep(0.1)  # B has opened the lock file and waits on it
    os.unlink(lock_path)  # A removes the lock file it made, then lets go
    os.close(first)
    assert held.wait(5)
    try:
        with pytest.raises(LockTimeout), locked(case, timeout=0.3):  # terminal C
            pass
    finally:
        release.set()
        waiting.join()


def test_a_change_leaves_the_temporary_files_of_another_case_whose_name_begins_with_its_own(
    run: Run, case_file: Path
) -> None:
    # casefile.toml and casefile.toml.2019.toml, two cases in one folder, changed from two terminals:
    # the first one's change removed the file the second was writing (under its own lock) as its own.
    other = case_file.parent / "casefile.toml.2019.toml"
    other.write_bytes(case_file.read_bytes())
    writing = [
        case_file.parent / ".casefile.toml.2019.toml.0123456789ab.tmp",
        case_file.parent / "casefile.toml.2019.toml.bak.tmp",
    ]
    for temp in writing:
        temp.write_text("the other case, being written\n")
    left = case_file.parent / ".casefile.toml.ba9876543210.tmp"  # this case's own, a killed change left
    left.write_text("half a case\n")
    run("add-event", "--date", "2019-01-02", "--title", "X")
    assert all(temp.exists() for temp in writing)
    assert not left.exists()
