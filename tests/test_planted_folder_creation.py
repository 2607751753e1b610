"""demo FOLDER, init -f PATH and keygen -o PATH do not create files through a folder link a git pull
planted in a repository (``letters`` -> ``~``), as export refuses to write through one."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import DATA, Run


@pytest.fixture
def planted(isolated: Path) -> tuple[Path, Path]:
    """A repository holding a case and a folder link out of it, and the folder the link leads to."""
    elsewhere = isolated.parent / "elsewhere"
    elsewhere.mkdir()
    repo = isolated / "repo"
    (repo / ".git").mkdir(parents=True)
    shutil.copy(DATA / "fixture.toml", repo / "casefile.toml")
    (repo / "letters").symlink_to(elsewhere)
    return repo, elsewhere


def refusal(link: Path, folder: Path, repo: Path, real: Path) -> str:
    return (
        f"casefile: error: {link} is a symbolic link to the folder {folder}, outside the git repository {repo}: a "
        "git pull can put such a link there, and casefile does not create files through it. To create them there "
        f"on purpose, give the real path, {real}. Nothing was written."
    )


def test_demo_into_a_planted_folder_link_is_refused(run: Run, planted: tuple[Path, Path], isolated: Path) -> None:
    repo, elsewhere = planted
    for folder in (repo / "letters", repo / "letters" / "demo"):
        (line,) = run("demo", str(folder), code=2).stderr.splitlines()
        assert line == refusal(repo / "letters", elsewhere, repo, Path(os.path.realpath(folder)))
    assert list(elsewhere.iterdir()) == []
    run("demo", str(elsewhere / "demo"))  # the real path: written
    assert (elsewhere / "demo" / "casefile.toml").is_file()
    (isolated / "mine").symlink_to(elsewhere)  # a folder link outside any repository: the user's own
    run("demo", str(isolated / "mine" / "other"))
    assert (elsewhere / "other" / "casefile.toml").is_file()


def test_init_through_a_planted_folder_link_is_refused(run: Run, planted: tuple[Path, Path]) -> None:
    repo, elsewhere = planted
    case = repo / "letters" / "casefile.toml"
    (line,) = run("init", "--title", "T", "--country", "Mexico", "-f", str(case), code=2).stderr.splitlines()
    assert line == refusal(repo / "letters", elsewhere, repo, elsewhere / "casefile.toml")
    assert list(elsewhere.iterdir()) == []


def test_keygen_through_a_planted_folder_link_is_refused(run: Run, planted: tuple[Path, Path]) -> None:
    repo, elsewhere = planted
    key = repo / "letters" / "me.txt"
    (line,) = run("keygen", "-f", str(repo / "casefile.toml"), "-o", str(key), code=2).stderr.splitlines()
    assert line == refusal(repo / "letters", elsewhere, repo, elsewhere / "me.txt")
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize(
    ("language", "said"),
    [("es_ES.UTF-8", "y casefile no crea archivos a través de él"), ("fr_FR.UTF-8", "ne crée pas de fichiers")],
)
def test_the_refusal_is_in_the_users_language(
    run: Run, planted: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, language: str, said: str
) -> None:
    monkeypatch.setenv("LC_ALL", language)
    repo, elsewhere = planted
    (line,) = run("demo", str(repo / "letters"), code=2).stderr.splitlines()
    assert said in line and str(elsewhere) in line
