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
