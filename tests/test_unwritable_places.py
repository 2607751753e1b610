"""A change to a case that casefile may not make: the case's folder cannot be written in, or the
case file is read-only or another user's. Each is refused in one line, and nothing is replaced."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import DATA, Run


@pytest.fixture
def fixture_file(isolated: Path) -> Path:
    path = isolated / "casefile.toml"
    shutil.copy(DATA / "fixture.toml", path)
    return path


def files_in(folder: Path) -> dict[str, bytes]:
    """Each file's bytes (the lock file's: its name only, its holder's note changes)."""
    return {
        path.name: b"" if path.suffix == ".lock" else path.read_bytes()
        for path in sorted(folder.iterdir())
        if path.is_file()
    }


@pytest.fixture
def read_only_folder(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The working folder, made read-only (chmod 0500): for root, whom a folder's mode does not stop,
    the system's refusal to make a file there is what root meets on a read-only disk."""
    if os.geteuid() != 0:
        isolated.chmod(0o500)
        yield isolated
        isolated.chmod(0o700)
        return
    real_open = os.open

    def refusing_open(path: str | os.PathLike[str], flags: int, *args: int, **kwargs: int) -> int:
        name = os.fsdecode(path)
        if flags & os.O_CREAT and Path(name).parent == isolated and not os.path.exists(name):
            raise PermissionError(13, "Permission denied", name)
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing_open)
    yield isolated


@pytest.mark.parametrize("locked_before", [False, True], ids=["first change", "lock file there"])
def test_a_change_in_a_read_only_folder_says_the_folder_cannot_be_written_in(
    run: Run, fixture_file: Path, isolated: Path, request: pytest.FixtureRequest, locked_before: bool
) -> None:
    """It said "Permission denied: .../casefile.toml.lock" (or the temporary file's name): a file
    the user never made, and no word of the case."""
    if locked_before:
        run("edit-case", "--title", "Before")
    before = files_in(isolated)
    request.getfixturevalue("read_only_folder")
    (line,) = run("add-event", "--date", "2019", "--title", "X", code=2).stderr.splitlines()
    assert line == (
        f"casefile: error: casefile cannot write in the folder {isolated} (Permission denied), so it cannot "
        f"change {fixture_file}. Make the folder writable, or work on a copy of the file elsewhere. Nothing "
        "was written."
    )
    assert files_in(isolated) == before


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("es_ES.UTF-8", "casefile no puede escribir en la carpeta {folder} (Permiso denegado), así que no puede"),
        ("fr_FR.UTF-8", "casefile ne peut pas écrire dans le dossier {folder} (Permission refusée)"),
    ],
)
def test_the_read_only_folder_is_named_in_the_users_language(
    run: Run,
    fixture_file: Path,
    read_only_folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    language: str,
    said: str,
) -> None:
    monkeypatch.setenv("LC_ALL", language)
    (line,) = run("edit-case", "--title", "Y", code=2).stderr.splitlines()
    assert said.format(folder=read_only_folder) in line


def kept(path: Path) -> tuple[int, ...]:
    """What replacing ``path`` changes: its inode, mode, owner, size and time of change."""
    status = os.stat(path)
    return status.st_ino, status.st_mode, status.st_uid, status.st_size, status.st_mtime_ns


def made_unwritable(path: Path, how: str) -> None:
    """``path`` made read-only (chmod 0400), or given to another user (tests run as root)."""
    if how == "read-only":
        path.chmod(0o400)
    else:
        os.chown(path, 65534, 65534)


def refusal_of(path: Path, how: str) -> str:
    if how == "read-only":
        return (
            f"casefile: error: {path} is read-only (mode 0400): casefile does not write over a file made "
            f"read-only. To change it, make it writable first: chmod u+w {path}. Nothing was changed."
        )
    return (
        f"casefile: error: {path} belongs to another user (nobody): a change would replace it with a file of "
        "yours, which they could no longer read. Run casefile as that user, or work on a copy. Nothing was changed."
    )


HOW = [
    "read-only",
    pytest.param(
        "another user's",
        marks=pytest.mark.skipif(os.geteuid() != 0, reason="giving a file away needs root"),
    ),
]


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize(
    "command",
    [
        ("translate", "2016-obesity-commitment-work", "--language", "en", "--title", "Obesity commitment"),
        ("sign-off", "articulo-19"),
        ("scrub", "case", "--field", "request"),
        ("scrub", "2016-obesity-commitment-work", "--field", "description"),
    ],
    ids=["translate", "sign-off", "scrub case", "scrub item"],
)
def test_a_case_file_made_read_only_or_another_users_is_not_replaced(
    run: Run, fixture_file: Path, isolated: Path, command: tuple[str, ...], how: str
) -> None:
    run("set-letter-date", "2018-07-16")
    path = fixture_file.resolve()
    made_unwritable(fixture_file, how)
    before = files_in(isolated), kept(fixture_file)
    (line,) = run(*command, "-f", str(path), code=2).stderr.splitlines()
    assert line == refusal_of(path, how)
    assert (files_in(isolated), kept(fixture_file)) == before


@pytest.fixture
def sealed(run: Run, isolated: Path) -> tuple[Path, str]:
    """An encrypted case (`casefile keygen`, `casefile init --encrypt-to`), and another person's key."""
    mine = run("keygen").stdout.strip()
    theirs = run("keygen", "-o", str(isolated.parent / "theirs.txt")).stdout.strip()
    run("init", "--title", "T", "--country", "Mexico", "--encrypt-to", mine)
    return isolated / "casefile.toml.age", theirs


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("which", ["case", "recipients file"])
@pytest.mark.parametrize("command", ["add", "remove", "accept"])
def test_recipients_do_not_replace_a_read_only_or_another_users_file(
    run: Run, sealed: tuple[Path, str], isolated: Path, command: str, which: str, how: str
) -> None:
    """`recipients add/remove/accept` encrypted the case again over a file made read-only (0400 became
    0600) or another user's (made the writer's, which its owner could no longer read)."""
    case, theirs = sealed
    listed = case.with_name(case.name + ".recipients")
    if command == "remove":
        run("recipients", "add", theirs)
    elif command == "accept":  # as a git pull adds a key
        listed.write_text(listed.read_text(encoding="utf-8") + f"{theirs}\n", encoding="utf-8")
    target = case if which == "case" else listed
    made_unwritable(target, how)
    before = files_in(isolated), kept(case), kept(listed)
    args = {"add": ("add", theirs), "remove": ("remove", theirs), "accept": ("accept", "--yes")}[command]
    (line,) = run("recipients", *args, code=2).stderr.splitlines()
    assert line == refusal_of(target, how)
    assert (files_in(isolated), kept(case), kept(listed)) == before


@pytest.mark.parametrize("how", HOW)
def test_the_merge_driver_does_not_replace_a_read_only_or_another_users_file(
    run: Run, fixture_file: Path, isolated: Path, how: str
) -> None:
    """Git gives the merge driver a copy of its own (%A); one named by hand was replaced whatever its mode or owner."""
    for name in ("base", "ours", "theirs"):
        shutil.copy(fixture_file, isolated / f"{name}.toml")
    run("add-event", "--date", "2019", "--title", "Ours", "-f", "ours.toml")
    run("add-event", "--date", "2019", "--title", "Theirs", "-f", "theirs.toml")
    ours = isolated / "ours.toml"
    made_unwritable(ours, how)
    before = files_in(isolated), kept(ours)
    (line,) = run("merge-driver", "base.toml", "ours.toml", "theirs.toml", "casefile.toml", code=2).stderr.splitlines()
    assert line == refusal_of(Path("ours.toml"), how)
    assert (files_in(isolated), kept(ours)) == before
