"""scrub leaves no copy of the value in the case file, even in the letters signatories approved."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import Run


@pytest.fixture
def demo(run: Run, isolated: Path) -> Path:
    """The demo case in ./casefile-demo, its letter approved by Fundar; returns its case file."""
    run("demo", "--as-of", "2018-07-16")
    case = isolated / "casefile-demo" / "casefile.toml"
    run("edit-case", "--contact-email", "maria.perez@example.org", "-f", str(case))
    run("sign-off", "fundar", "--date", "2018-07-16", "-f", str(case))
    return case


def _holding(folder: Path, value: bytes) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file() and value in path.read_bytes()]


def test_scrub_removes_the_value_from_the_letters_signatories_approved(run: Run, demo: Path) -> None:
    assert demo in _holding(demo.parent, b"maria.perez")  # in the contact and in the approved letter
    result = run("scrub", "case", "--field", "contact.email", "-f", str(demo))
    assert _holding(demo.parent, b"maria.perez") == []
    assert "diff-since" in result.stderr  # it says what no longer works, and why
    said = run("diff-since", "fundar", "-f", str(demo), code=2).stderr
    assert "is not kept in the case file" in said and "maria.perez" not in said
    # The approval itself stays: Fundar approved a letter that has changed since.
    states = json.loads(run("status", "--json", "--as-of", "2018-07-16", "-f", str(demo)).stdout)
    fundar = next(state for state in states["sign_off"] if state["signatory"] == "fundar")
    assert fundar["state"] == "out-of-date"


def test_a_private_field_scrubbed_keeps_the_approved_letters(run: Run, demo: Path) -> None:
    """A private note is never in the letter: what the signatories approved stays, and diff-since works."""
    run("edit", "2017-02-11", "--private-note", "the informant", "-f", str(demo))
    result = run("scrub", "2017-02-11", "--field", "private_notes", "-f", str(demo))
    assert "diff-since" not in result.stderr
    assert _holding(demo.parent, b"informant") == []
    run("diff-since", "fundar", "-f", str(demo))


def test_scrub_says_that_git_history_may_hold_the_value(run: Run, demo: Path) -> None:
    assert "git history" not in run("scrub", "case", "--field", "contact.email", "-f", str(demo)).stderr
    subprocess.run(["git", "init", "-q", str(demo.parent)], check=True)
    said = run("scrub", "case", "--field", "request", "-f", str(demo)).stderr
    assert "git history" in said


def test_scrub_leaves_no_cache_of_the_case_under_a_name_it_had_before(run: Run, isolated: Path) -> None:
    """A case moved to another folder (then changed) left its old parse cache, with the value, for 30 days."""
    import shutil

    old = isolated / "Desktop"
    old.mkdir()
    run("init", "--title", "T", "--country", "Mexico", "-f", str(old / "casefile.toml"))
    run(
        "add-event",
        "--date",
        "2017",
        "--title",
        "T",
        "--private-note",
        "the informant",
        "-f",
        str(old / "casefile.toml"),
    )
    run("list", "events", "--json", "-f", str(old / "casefile.toml"))  # kept in the cache
    new = isolated / "cases"
    shutil.move(old, new)
    run("add-event", "--date", "2018", "--title", "U", "-f", str(new / "casefile.toml"))
    cache = isolated.parent / "home" / "xdg_cache_home"
    assert _holding(cache, b"informant")
    run("scrub", "2017-t", "--field", "private_notes", "-f", str(new / "casefile.toml"))
    assert _holding(cache, b"informant") == [] and _holding(new, b"informant") == []
