"""Shared fixtures: every test runs in its own folder, away from the real user folders."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner, Result

from casefile.cli import app

settings.register_profile("ci", deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
settings.register_profile(
    "dev", deadline=None, max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
settings.load_profile("ci")


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh working folder and fresh XDG folders, no $CASEFILE_FILE, no colour."""
    home = tmp_path / "home"
    for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("CASEFILE_FILE", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    # Messages in English, whatever the machine's locale (tests of other languages set their own).
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("COLUMNS", "100")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    yield work
    # A test that ran the command line in Spanish or French leaves the core speaking English again.
    from casefile.cli import messages

    messages.setup("en")


Run = Callable[..., Result]


@pytest.fixture
def run() -> Run:
    """Invoke casefile with CliRunner; ``run("list", "events", input=..., code=0)``."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None, code: int | None = 0) -> Result:
        result = runner.invoke(app, list(args), input=input, catch_exceptions=False)
        if code is not None:
            assert result.exit_code == code, (result.stdout, result.stderr)
        return result

    return invoke


@pytest.fixture
def case_file(run: Run, isolated: Path) -> Path:
    """A new case file ``casefile.toml`` in the working folder."""
    run(
        "init",
        "--title",
        "Surveillance of health advocates",
        "--country",
        "Mexico",
        "--ogp-joined",
        "2011",
        "-f",
        "casefile.toml",
    )
    return isolated / "casefile.toml"


@pytest.fixture
def mexico_case(tmp_path: Path) -> Path:
    """A copy of the Mexico fixture case, alone in a folder of its own."""
    import shutil

    path = tmp_path / "case" / "casefile.toml"
    path.parent.mkdir()
    shutil.copy(DATA / "fixture.toml", path)
    return path


def pytest_configure(config: pytest.Config) -> None:
    """Before any test module is imported: casefile's parse cache goes to a folder of this run.

    Tests run in ``isolated`` folders, but a module may load a case when it is imported; that
    must not write into the real user cache either.
    """
    import os
    import tempfile

    folder = tempfile.mkdtemp(prefix="casefile-tests-cache-")
    config.stash[_CACHE_HOME] = (folder, os.environ.get("XDG_CACHE_HOME"))
    os.environ["XDG_CACHE_HOME"] = folder


def pytest_unconfigure(config: pytest.Config) -> None:
    import os
    import shutil

    if _CACHE_HOME not in config.stash:
        return
    folder, before = config.stash[_CACHE_HOME]
    shutil.rmtree(folder, ignore_errors=True)
    if before is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = before


_CACHE_HOME = pytest.StashKey[tuple[str, "str | None"]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="Rewrite the golden files from the current output.")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether golden files are to be rewritten instead of compared."""
    return bool(request.config.getoption("--update-golden"))


DATA = Path(__file__).parent / "data"
GOLDEN = Path(__file__).parent / "golden"
