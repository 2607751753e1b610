"""Real processes on one case file: the lock serialises writers, and a killed writer loses nothing.

These start ``python -m casefile`` and small Python children, with their XDG folders inside the
test's own folder, so they never touch a real user's files.
"""

from __future__ import annotations

import dataclasses
import os
import random
import signal
import subprocess
import sys
import threading
import time
import tomllib
from pathlib import Path

from casefile.case.dates import parse_date
from casefile.case.model import Case, Event, Source
from casefile.storage import files, store

WRITERS = 20
ADD_EVENT = (sys.executable, "-m", "casefile", "add-event", "--date", "2017-02-11")
KILLS = 6

# Adds one event per update, forever, and says so after each one.
CHILD = """
import os, sys
from pathlib import Path
from casefile.storage import store
from casefile.case.dates import parse_date
from casefile.case.operations import add_event

path = Path(sys.argv[1])
for n in range(1, 1_000_000):
    title = f"Child {os.getpid()} write {n}"
    store.update(path, lambda case: add_event(case, date=parse_date("2018-01-01"), title=title))
    print("wrote", flush=True)
"""


def child_env(tmp_path: Path) -> dict[str, str]:
    """This environment, with every XDG folder inside the test's folder and no $CASEFILE_FILE."""
    env = {name: value for name, value in os.environ.items() if name != "CASEFILE_FILE"}
    for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        env[name] = str(tmp_path / "home" / name.lower())
    env["HOME"] = str(tmp_path / "home")
    return env


def add_many(path: Path, count: int) -> None:
    """Give the case ``count`` events, with sources and text, so that a write takes a while."""

    def change(case: Case) -> tuple[Case, None]:
        events = tuple(
            Event(
                id=f"seed-{number}",
                date=parse_date(f"{2000 + number % 20}-{number % 12 + 1:02d}"),
                title=f"Seeded event number {number}",
                description="What happened,\nin two lines.",
                sources=(Source(url=f"https://example.org/{number}", title="A source"),),
            )
            for number in range(count)
        )
        return dataclasses.replace(case, events=case.events + events), None

    store.update(path, change)


def event_ids(path: Path) -> set[str]:
    return {event.id for event in store.load(path).case.events}


def test_lock_serialises_concurrent_writers(case_file: Path, tmp_path: Path) -> None:
    add_many(case_file, 200)
    before = event_ids(case_file)
    title = store.load(case_file).case.title
    writers = [
        subprocess.Popen(
            [*ADD_EVENT, "--title", f"Event {number}", "-f", str(case_file)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=child_env(tmp_path),
        )
        for number in range(WRITERS)
    ]
    counts_seen = []
    while any(writer.poll() is None for writer in writers):
        # A reader takes no lock: it must still always see a whole file.
        document = tomllib.loads(case_file.read_text())
        assert document.get("case", {}).get("title") == title, "a reader saw a partial file"
        counts_seen.append(len(document["events"]))
    results = [writer.communicate(timeout=60) for writer in writers]
    assert [writer.returncode for writer in writers] == [0] * WRITERS, [stderr for _, stderr in results]
    printed = {stdout.strip() for stdout, _ in results}
    assert len(printed) == WRITERS
    assert event_ids(case_file) == before | printed
    assert counts_seen, "the reader never ran while writers were running"
    assert counts_seen == sorted(counts_seen), "a reader saw events disappear"


def test_killed_writer_leaves_a_loadable_file(case_file: Path, tmp_path: Path) -> None:
    add_many(case_file, 3000)
    ids = event_ids(case_file)
    rng = random.Random()
    for _ in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(case_file)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=child_env(tmp_path),
        )
        watchdog = threading.Timer(60, child.kill)
        watchdog.start()
        try:
            # Wait for one whole write, then kill at a random point of a later one.
            assert child.stdout is not None
            first = child.stdout.readline()
            delay = rng.uniform(0.0, 0.3)
            time.sleep(delay)
            child.send_signal(signal.SIGKILL)
            _, stderr = child.communicate()
        finally:
            watchdog.cancel()
        assert first == "wrote\n", stderr
        after = event_ids(case_file)  # loads and validates the whole file
        assert ids < after, f"events lost after a kill {delay:.3f} s after a write"
        ids = after
        store.load(files.sidecar(case_file, ".bak"))  # the backup is a whole file too
