"""What a letter or an export does to the file named by --output: a symbolic link is written
through (its target replaced atomically, the link kept), but never to the case's own files or out
of the git repository it sits in; temporary files an export killed mid-write left are removed by
the next export to that file, never one a live writer still uses."""

from __future__ import annotations

import fcntl
import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import DATA, Run

LETTER = ["export", "--format", "markdown", "--as-of", "2018-07-16"]
COMMANDS = [LETTER, ["export", "--format", "json"], ["draft-complaint", "--as-of", "2018-07-16"]]


@pytest.fixture
def fixture_file(isolated: Path) -> Path:
    path = isolated / "casefile.toml"
    shutil.copy(DATA / "fixture.toml", path)
    return path


def files_in(folder: Path) -> dict[str, bytes | str]:
    """Each entry's bytes (a link: where it points), so a test sees any change."""
    return {
        path.name: os.readlink(path) if path.is_symlink() else path.read_bytes()
        for path in sorted(folder.iterdir())
        if path.is_symlink() or path.is_file()
    }


@pytest.mark.parametrize("command", COMMANDS, ids=["markdown", "json", "draft-complaint"])
def test_an_output_that_is_a_symbolic_link_is_written_through_and_stays_a_link(
    run: Run, fixture_file: Path, isolated: Path, command: list[str]
) -> None:
    """`-o letter.md` where letter.md links to the coalition's shared folder replaced the link with
    a plain file: the shared copy stayed old and the link was gone."""
    expected = run(*command).stdout.encode("utf-8")
    shared = isolated / "shared"
    shared.mkdir()
    (shared / "letter.md").write_text("last week's letter\n")
    link = isolated / "letter.md"
    link.symlink_to(Path("shared") / "letter.md")
    result = run(*command, "-o", "letter.md")
    assert "Wrote letter.md." in result.stderr
    assert link.is_symlink() and os.readlink(link) == str(Path("shared") / "letter.md")
    assert (shared / "letter.md").read_bytes() == expected
    assert [path.name for path in shared.iterdir()] == ["letter.md"]  # no temporary file left
    assert not [path for path in isolated.iterdir() if path.name.endswith(".tmp")]


def test_a_link_to_a_file_not_there_yet_makes_it(run: Run, fixture_file: Path, isolated: Path) -> None:
    (isolated / "out").mkdir()
    (isolated / "letter.md").symlink_to(Path("out") / "letter.md")
    run(*LETTER, "-o", "letter.md")
    assert (isolated / "letter.md").is_symlink()
    assert (isolated / "out" / "letter.md").read_text(encoding="utf-8").endswith("federal>\n")
    (isolated / "gone.md").symlink_to(Path("nowhere") / "letter.md")
    said = run(*LETTER, "-o", "gone.md", code=2).stderr
    assert said == f"casefile: error: cannot write gone.md: there is no folder {isolated / 'nowhere'}.\n"


@pytest.mark.parametrize("command", COMMANDS, ids=["markdown", "json", "draft-complaint"])
@pytest.mark.parametrize("own", ["casefile.toml", "casefile.toml.bak", "casefile.toml.lock", "evidence/copy"])
def test_a_link_to_the_case_or_one_of_its_own_files_is_refused(
    run: Run, fixture_file: Path, isolated: Path, command: list[str], own: str
) -> None:
    run("edit-case", "--title", "The last change")  # a .bak and a lock
    (isolated / "evidence").mkdir()
    (isolated / "evidence" / "copy").write_bytes(b"%PDF evidence")
    (isolated / "letters").mkdir()
    link = isolated / "letters" / "letter.md"
    link.symlink_to(Path("..") / own)
    before = files_in(isolated), files_in(isolated / "evidence")
    said = run(*command, "-o", str(link), code=2).stderr
    assert said == f"casefile: error: {link} is the case file or one of its own files; choose another name.\n"
    assert (files_in(isolated), files_in(isolated / "evidence")) == before


@pytest.mark.parametrize("command", COMMANDS, ids=["markdown", "json", "draft-complaint"])
def test_a_link_out_of_the_git_repository_is_not_written_through(
    run: Run, fixture_file: Path, isolated: Path, command: list[str]
) -> None:
    """A git pull can replace the coalition's letter.md with a link to any file of the user's
    (~/.bashrc, another coalition's case): the next export wrote the letter there."""
    elsewhere = isolated.parent / "elsewhere"
    elsewhere.mkdir()
    victim = elsewhere / "notes.txt"
    victim.write_text("the user's own file\n")
    repo = isolated / "repo"
    (repo / ".git").mkdir(parents=True)
    case = shutil.copy(fixture_file, repo / "casefile.toml")  # a git pull of the case's repository plants it
    planted = repo / "letter.md"
    planted.symlink_to(victim)
    (line,) = run(*command, "-f", str(case), "-o", str(planted), code=2).stderr.splitlines()
    assert line == (
        f"casefile: error: {planted} is a symbolic link to {victim}, outside the git repository {repo}: a git "
        "pull can put such a link there, and casefile does not write through it. To write there on purpose, "
        f"give --output {victim}. Nothing was written."
    )
    assert victim.read_text() == "the user's own file\n" and planted.is_symlink()
    run(*command, "-f", str(case), "-o", str(victim))  # named itself, it is written
    assert victim.read_text() != "the user's own file\n"
    inside = repo / "letters"
    inside.mkdir()
    (repo / "current.md").symlink_to(Path("letters") / "letter.md")  # within the repository: followed
    run(*command, "-f", str(case), "-o", str(repo / "current.md"))
    assert (inside / "letter.md").read_bytes() == victim.read_bytes()


@pytest.mark.parametrize("command", COMMANDS, ids=["markdown", "json", "draft-complaint"])
def test_a_folder_link_out_of_the_git_repository_is_not_written_through(
    run: Run, fixture_file: Path, isolated: Path, command: list[str]
) -> None:
    """A git pull can plant a folder link (letters -> ~): only the last part of --output's path was
    checked, so `-o repo/letters/letter.md` wrote ~/letter.md."""
    elsewhere = isolated.parent / "elsewhere"
    elsewhere.mkdir()
    repo = isolated / "repo"
    (repo / ".git").mkdir(parents=True)
    case = shutil.copy(fixture_file, repo / "casefile.toml")  # a git pull of the case's repository plants it
    planted = repo / "letters"
    planted.symlink_to(elsewhere)
    for output in (planted / "letter.md", planted / "new" / ".." / "letter.md", planted / "sub" / "letter.md"):
        (elsewhere / "sub").mkdir(exist_ok=True)
        (line,) = run(*command, "-f", str(case), "-o", str(output), code=2).stderr.splitlines()
        real = elsewhere / output.relative_to(planted)
        assert line == (
            f"casefile: error: {planted} is a symbolic link to the folder {elsewhere}, outside the git repository "
            f"{repo}: a git pull can put such a link there, and casefile does not write through it. To write "
            f"there on purpose, give --output {os.path.realpath(real)}. Nothing was written."
        )
        assert files_in(elsewhere) == {} and files_in(elsewhere / "sub") == {}
    run(*command, "-f", str(case), "-o", str(elsewhere / "letter.md"))  # the real path: written
    assert (elsewhere / "letter.md").stat().st_size > 0
    (repo / "drafts").mkdir()
    (repo / "current").symlink_to("drafts")  # a folder link within the repository: followed
    run(*command, "-f", str(case), "-o", str(repo / "current" / "letter.md"))
    assert (repo / "drafts" / "letter.md").read_bytes() == (elsewhere / "letter.md").read_bytes()
    outside = isolated / "mine"  # a folder link outside any git repository: the user's own, followed
    outside.symlink_to(elsewhere)
    run(*command, "-f", str(case), "-o", str(outside / "sub" / "letter.md"))
    assert (elsewhere / "sub" / "letter.md").read_bytes() == (elsewhere / "letter.md").read_bytes()


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("es_ES.UTF-8", "es un enlace simbólico a la carpeta"),
        ("fr_FR.UTF-8", "est un lien symbolique vers le dossier"),
    ],
)
def test_the_folder_link_refusal_is_in_the_users_language(
    run: Run, fixture_file: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch, language: str, said: str
) -> None:
    monkeypatch.setenv("LC_ALL", language)
    repo = isolated / "repo"
    (repo / ".git").mkdir(parents=True)
    case = shutil.copy(fixture_file, repo / "casefile.toml")  # a git pull of the case's repository plants it
    (repo / "letters").symlink_to(isolated.parent)
    (line,) = run(*LETTER, "-f", str(case), "-o", str(repo / "letters" / "l.md"), code=2).stderr.splitlines()
    assert said in line and str(isolated.parent / "l.md") in line
    assert not (isolated.parent / "l.md").exists()


def aged(path: Path, text: str = "half a letter") -> Path:
    """A temporary file as a writer killed a minute ago left it."""
    path.write_text(text)
    past = time.time() - 60
    os.utime(path, (past, past))
    return path


def test_temporary_files_a_killed_export_left_are_removed_by_the_next_export_to_that_file(
    run: Run, fixture_file: Path, isolated: Path
) -> None:
    """Each export killed mid-write (kill -9, a closed laptop lid's lost battery) left its
    `.letter.md.XXXXXXXX.tmp`, part of the letter, there for good."""
    stale = [aged(isolated / f".letter.md.{name}.tmp") for name in ("abcd1234", "k_9x0zqq")]
    kept = {
        "fresh": isolated / ".letter.md.newer123.tmp",  # made a moment ago: its writer may not hold it yet
        "case's": aged(isolated / ".letter.md.0123456789ab.tmp"),  # a case file's writer's name
        "other file's": aged(isolated / ".other.md.abcd1234.tmp"),
    }
    kept["fresh"].write_text("just made")
    run(*LETTER, "-o", "letter.md")
    assert not [path for path in stale if path.exists()]
    assert all(path.exists() for path in kept.values())


def test_a_temporary_file_a_live_export_writes_is_never_removed(run: Run, fixture_file: Path, isolated: Path) -> None:
    """Another export to the same file, still writing (it holds its temporary file's lock), keeps it."""
    live = aged(isolated / ".letter.md.live1234.tmp")
    descriptor = os.open(live, os.O_RDWR)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)  # as a writer in another terminal holds it
        run(*LETTER, "-o", "letter.md")
        assert live.exists()
    finally:
        os.close(descriptor)
    run(*LETTER, "-o", "letter.md")
    assert not live.exists()


def test_a_writer_killed_with_sigkill_leaves_a_file_the_next_export_removes(
    run: Run, fixture_file: Path, isolated: Path
) -> None:
    """The real thing: a process that made its temporary file as an export does, then was killed."""
    code = (
        "import sys, pathlib, time; from casefile.storage.tempfiles import held_temp; "
        "held_temp(pathlib.Path(sys.argv[1]), prefix='.letter.md.'); print('made', flush=True); time.sleep(60)"
    )
    writer = subprocess.Popen([sys.executable, "-c", code, str(isolated)], stdout=subprocess.PIPE, text=True)
    assert writer.stdout is not None and writer.stdout.readline() == "made\n"
    (temp,) = isolated.glob(".letter.md.*.tmp")
    past = time.time() - 60
    os.utime(temp, (past, past))
    run(*LETTER, "-o", "letter.md")
    assert temp.exists()  # its writer is alive
    writer.kill()
    writer.wait()
    run(*LETTER, "-o", "letter.md")
    assert not temp.exists()


@pytest.mark.parametrize(
    "command",
    [
        ("add-event", "--date", "2019", "--title", "X"),
        ("edit-case", "--title", "Y"),
        ("scrub", "case", "--field", "request"),
        ("import", "export.json", "--replace"),
        ("encrypt",),  # which deletes the plain file once encrypted
    ],
)
def test_a_case_file_made_read_only_is_not_written_over(
    run: Run, fixture_file: Path, isolated: Path, command: tuple[str, ...]
) -> None:
    """`chmod 0400 casefile.toml` was ignored: a write renames a new file over it, which needs only the
    folder's permission, and the new file was writable again (0600)."""
    (isolated / "export.json").write_text(run("export", "--format", "json").stdout, encoding="utf-8")
    if command == ("encrypt",):
        run("keygen")
    fixture_file.chmod(0o400)
    before = files_in(isolated)
    (line,) = run(*command, code=2).stderr.splitlines()
    assert line == (
        "casefile: error: casefile.toml is read-only (mode 0400): casefile does not write over a file made "
        "read-only. To change it, make it writable first: chmod u+w casefile.toml. Nothing was changed."
    ) or line.startswith(f"casefile: error: {fixture_file} is read-only (mode 0400)")
    assert files_in(isolated) == before and stat.S_IMODE(fixture_file.stat().st_mode) == 0o400
    run("list", "events")  # reading it is fine


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a file away needs root")
def test_a_case_file_of_another_user_is_not_made_ones_own(run: Run, fixture_file: Path, isolated: Path) -> None:
    """In a folder both can write, a change replaced a colleague's case file with one of the
    writer's, mode 0600: its owner could no longer read it (as root, `sudo casefile ...`, the same)."""
    os.chown(fixture_file, 65534, 65534)
    before = files_in(isolated)
    (line,) = run("add-event", "--date", "2019", "--title", "X", code=2).stderr.splitlines()
    assert line.startswith("casefile: error: ") and " belongs to another user (" in line
    assert line.endswith("Run casefile as that user, or work on a copy. Nothing was changed.")
    assert files_in(isolated) == before and fixture_file.stat().st_uid == 65534


def test_an_output_made_read_only_is_not_written_over(run: Run, fixture_file: Path, isolated: Path) -> None:
    kept = isolated / "letter.md"
    kept.write_text("the version sent\n")
    kept.chmod(0o444)
    said = run(*LETTER, "-o", "letter.md", code=2).stderr
    assert said == "casefile: error: cannot write letter.md: it is read-only (mode 0444). Nothing was written.\n"
    assert kept.read_text() == "the version sent\n"
    assert not [path for path in isolated.iterdir() if path.name.endswith(".tmp")]


@pytest.mark.parametrize("command", COMMANDS, ids=["markdown", "json", "draft-complaint"])
def test_a_folder_link_of_another_repository_than_the_cases_is_followed(
    run: Run, fixture_file: Path, isolated: Path, command: list[str]
) -> None:
    """A home folder kept as a git work tree (dotfiles) with ~/Documents a link to another disk: `-o
    ~/Documents/letter.md` was refused, though no git pull of the case's repository put that link there."""
    home = isolated / "home"
    (home / ".git").mkdir(parents=True)
    disk = isolated / "disk" / "Documents"
    disk.mkdir(parents=True)
    (home / "Documents").symlink_to(disk)
    (home / "notes.md").symlink_to(disk / "notes.md")
    case = home / "cases" / "mexico" / "casefile.toml"
    (case.parent / ".git").mkdir(parents=True)  # the coalition's repository, cloned into the home folder
    shutil.copy(fixture_file, case)
    run(*command, "-f", str(case), "-o", str(home / "Documents" / "letter.md"))
    assert (disk / "letter.md").stat().st_size > 0 and (home / "Documents").is_symlink()
    run(*command, "-f", str(case), "-o", str(home / "notes.md"))
    assert (disk / "notes.md").read_bytes() == (disk / "letter.md").read_bytes()
    (case.parent / "letters").symlink_to(disk)  # one the case's repository holds is still refused
    run(*command, "-f", str(case), "-o", str(case.parent / "letters" / "other.md"), code=2)
    assert not (disk / "other.md").exists()


def test_the_default_case_in_a_home_folder_kept_in_git_exports_through_its_links(run: Run, isolated: Path) -> None:
    """The default case lives in the user's data folder, inside a home folder kept as a git work tree:
    that is no coalition's repository, and ~/Documents (a link to another disk) was refused."""
    home = isolated.parent / "home"
    (home / ".git").mkdir(parents=True)
    disk = isolated.parent / "disk"
    disk.mkdir()
    (home / "Documents").symlink_to(disk)
    run("init", "--default", "--title", "T", "--country", "Mexico")
    run(*LETTER, "-o", str(home / "Documents" / "letter.md"))
    assert (disk / "letter.md").stat().st_size > 0


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a file away needs root")
def test_an_output_of_another_user_is_not_made_ones_own(run: Run, fixture_file: Path, isolated: Path) -> None:
    """In a folder both can write, `-o letter.md` over a colleague's letter (mode 0664) replaced it with
    one of the writer's, mode 0600: its owner could no longer read it."""
    theirs = isolated / "letter.md"
    theirs.write_text("their letter\n")
    theirs.chmod(0o664)
    os.chown(theirs, 65534, 65534)
    (line,) = run(*LETTER, "-o", "letter.md", code=2).stderr.splitlines()
    assert line.startswith("casefile: error: cannot write letter.md: it belongs to another user (")
    assert line.endswith("Give another --output, or ask them to remove it. Nothing was written.")
    assert theirs.read_text() == "their letter\n" and theirs.stat().st_uid == 65534
