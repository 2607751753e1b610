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
