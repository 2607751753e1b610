"""init, where, edit-case, --version."""

from __future__ import annotations

import stat
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import Run


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_init_creates_owner_only_file(run: Run, isolated: Path) -> None:
    result = run(
        "init", "--title", "T", "--country", "Mexico", "--language", "es", "--ogp-joined", "2011", "-f", "c.toml"
    )
    path = isolated / "c.toml"
    assert mode(path) == 0o600
    assert result.stdout == ""
    assert "Created" in result.stderr
    document = tomllib.loads(path.read_text())
    assert document["schema_version"] == 2
    assert document["case"] == {"title": "T", "country": "MX", "language": "es", "ogp_joined": 2011}


def test_init_refuses_to_overwrite(run: Run, case_file: Path) -> None:
    before = case_file.read_bytes()
    result = run("init", "--title", "Other", "--country", "Chile", "-f", str(case_file), code=2)
    assert "already exists" in result.stderr
    assert case_file.read_bytes() == before


def test_init_without_file_creates_casefile_toml_here(
    run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = isolated / "new case"
    folder.mkdir()
    (isolated / "casefile.toml").write_text("")  # a case above does not matter: git init nests too
    monkeypatch.chdir(folder)
    result = run("init", "--title", "T", "--country", "Mexico")
    path = folder / "casefile.toml"
    assert mode(path) == 0o600
    assert f"Created {path}." in result.stderr
    assert run("where").stdout.strip() == str(path)
    again = run("init", "--title", "T", "--country", "Mexico", code=2)
    assert "already exists" in again.stderr


def test_init_honours_casefile_file(run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEFILE_FILE", str(isolated / "from-env.toml"))
    run("init", "--title", "T", "--country", "Mexico")
    assert (isolated / "from-env.toml").is_file()
    assert not (isolated / "casefile.toml").exists()


def test_init_default_flag_with_file_is_refused(run: Run, isolated: Path) -> None:
    result = run("init", "--title", "T", "--country", "Mexico", "--default", "-f", "x.toml", code=2)
    assert "--default" in result.stderr
    assert not (isolated / "x.toml").exists()


def test_init_default_case_makes_private_folders(run: Run, isolated: Path) -> None:
    result = run("init", "--title", "T", "--country", "Mexico", "--default")
    assert not (isolated / "casefile.toml").exists()
    data_home = isolated.parent / "home" / "xdg_data_home"
    path = data_home / "casefile" / "cases" / "default.toml"
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    assert mode(path.parent.parent) == 0o700
    assert f"Created {path}." in result.stderr


def test_init_rejects_unknown_language(run: Run) -> None:
    result = run("init", "--title", "T", "--country", "X", "--language", "de", code=2)
    assert "de" in result.stderr


def test_where_rules_in_order(run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run("where")
    assert result.stdout.strip().endswith("casefile/cases/default.toml")
    assert "default case" in result.stderr

    (isolated / "casefile.toml").write_text("")
    sub = isolated / "a" / "b"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    result = run("where")
    assert result.stdout.strip() == str(isolated / "casefile.toml")
    assert "found casefile.toml" in result.stderr

    monkeypatch.setenv("CASEFILE_FILE", "/tmp/env-case.toml")
    result = run("where")
    assert result.stdout.strip() == "/tmp/env-case.toml"
    assert "CASEFILE_FILE" in result.stderr

    result = run("where", "--file", "x.toml")
    assert result.stdout.strip() == "x.toml"
    assert "--file" in result.stderr


def test_edit_case_sets_fields(run: Run, case_file: Path) -> None:
    run(
        "edit-case",
        "--title",
        "New title",
        "--action-plan",
        "Third National Action Plan 2016-2018",
        "--contact-name",
        "Ana",
        "--contact-organisation",
        "Fundar",
        "--contact-email",
        "ana@example.org",
        "--language",
        "fr",
    )
    document = tomllib.loads(case_file.read_text())
    assert document["case"]["title"] == "New title"
    assert document["case"]["language"] == "fr"
    assert document["case"]["contact"] == {"name": "Ana", "organisation": "Fundar", "email": "ana@example.org"}


def test_edit_case_needs_a_field(run: Run, case_file: Path) -> None:
    result = run("edit-case", code=2)
    assert "at least one field" in result.stderr


def test_edit_case_refuses_empty_title(run: Run, case_file: Path) -> None:
    result = run("edit-case", "--title", " ", code=2)
    assert "cannot be empty" in result.stderr


def test_version(run: Run) -> None:
    from casefile import __version__

    assert run("--version").stdout.strip() == f"casefile {__version__}"


def test_python_dash_m(isolated: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "casefile", "--version"], capture_output=True, text=True, check=True)
    assert result.stdout.startswith("casefile ")


def test_missing_case_file_is_one_line_no_traceback(run: Run) -> None:
    result = run("list", "events", "-f", "nowhere.toml", code=2)
    assert result.stderr.count("\n") == 1
    assert "casefile init" in result.stderr
    assert "Traceback" not in result.stderr
