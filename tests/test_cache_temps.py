"""Temporary files of the parse cache that a writer killed mid-write left: the next cache write
removes them, never one a live writer still holds."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from casefile.storage import cache
from tests.conftest import Run

#: A casefile command killed (SIGKILL) as it renames its first cache file into place: its
#: temporary file is written whole, and left.
KILLED_MID_WRITE = """
import os, signal, sys
cache_folder = sys.argv[1]
real_replace = os.replace
def dying(source, target, *args, **kwargs):
    if os.path.dirname(os.fspath(source)) == cache_folder and os.fspath(source).endswith(".tmp"):
        os.kill(os.getpid(), signal.SIGKILL)
    return real_replace(source, target, *args, **kwargs)
os.replace = dying
from casefile.cli import app
app(sys.argv[2:], prog_name="casefile")
"""


def aged(path: Path) -> None:
    """As a writer killed a minute ago left it (a fresh one may be a live writer's, not yet locked)."""
    past = time.time() - 60
    os.utime(path, (past, past))


def cache_temps(folder: Path) -> list[Path]:
    return sorted(folder.glob(".*.tmp"))


def test_a_cache_file_a_killed_command_was_writing_is_removed_by_the_next_cache_write(
    run: Run, case_file: Path
) -> None:
    """Each command killed while it wrote the cache of a case left a `.index.XXXX.tmp` (megabytes of
    the case, private notes included, for a large one) in ~/.cache/casefile, for good: a case's cache
    folder in use is never pruned."""
    folder = cache.folder_for(case_file.resolve())
    for _ in range(2):
        for entry in folder.glob("[!.]*"):
            entry.unlink()  # a cold cache: the next command writes it
        argv = [sys.executable, "-c", KILLED_MID_WRITE, str(folder), "list", "events", "-f", str(case_file)]
        killed = subprocess.run(argv, capture_output=True, check=False)
        assert killed.returncode == -9, killed.stderr
    left = cache_temps(folder)
    assert len(left) == 2
    for temp in left:
        aged(temp)
    run("list", "events")  # reads the case and keeps it in the cache
    assert cache_temps(folder) == [] and (folder / "index").exists()


def test_a_cache_file_a_live_command_is_writing_is_kept(run: Run, case_file: Path) -> None:
    """Another command still writing the cache (it holds its temporary file's lock) keeps its file."""
    folder = cache.folder_for(case_file.resolve())
    run("list", "events")
    code = (
        "import sys, pathlib, time; from casefile.storage.tempfiles import held_temp; "
        "held_temp(pathlib.Path(sys.argv[1]), prefix='.index.'); print('made', flush=True); time.sleep(60)"
    )
    writer = subprocess.Popen([sys.executable, "-c", code, str(folder)], stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout is not None and writer.stdout.readline() == "made\n"
        (temp,) = cache_temps(folder)
        aged(temp)
        run("add-event", "--date", "2019", "--title", "X")  # a change: its index is written
        assert temp.exists()
    finally:
        writer.kill()
        writer.wait()
    run("add-event", "--date", "2019", "--title", "Y")
    assert cache_temps(folder) == []


def test_a_compiled_template_a_killed_command_was_writing_is_removed_by_the_next_one(run: Run, case_file: Path) -> None:
    """The compiled letter templates are kept in the same cache folder, written the same way."""
    run("export", "--format", "markdown")
    folder = cache.cache_root() / "templates"
    compiled = [entry for entry in folder.iterdir() if not entry.name.startswith(".")]
    assert compiled
    dead = folder / f".{compiled[0].name}.k9x0zqq1.tmp"
    dead.write_bytes(b"half the code")
    aged(dead)
    for entry in [*compiled, *cache.folder_for(case_file.resolve()).iterdir()]:
        entry.unlink()  # the letter is kept in the parse cache too: without it, it is made again
    command = "from casefile.cli import app; import sys; app(sys.argv[1:], prog_name='casefile')"
    argv = [sys.executable, "-c", command, "export", "--format", "markdown", "-f", str(case_file)]
    subprocess.run(argv, capture_output=True, check=True)  # a new process: it compiles them again
    assert not dead.exists() and any(not entry.name.startswith(".") for entry in folder.iterdir())
