"""The commands people run most import nothing heavy: start-up time is most of what they cost.

Deterministic, no timing: each command runs in a fresh Python (as the ``casefile`` script does)
and reports which modules it imported.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_concurrency import child_env

HEAVY = ("pydantic", "jinja2", "rich.table", "tomlkit", "babel")

# Runs the app as the console script does, then writes the names of the imported modules.
PROBE = """
import json, sys
from casefile.cli import app
report, args = sys.argv[1], sys.argv[2:]
try:
    app(args, prog_name="casefile")
except SystemExit as exit:
    code = exit.code
else:
    code = 0
with open(report, "w") as handle:
    json.dump({"code": code, "modules": sorted(sys.modules)}, handle)
"""


def imported(tmp_path: Path, *args: str) -> list[str]:
    report = tmp_path / "modules.json"
    subprocess.run(
        [sys.executable, "-c", PROBE, str(report), *args],
        check=True,
        capture_output=True,
        env=child_env(tmp_path),
        cwd=tmp_path,
    )
    result = json.loads(report.read_text())
    assert result["code"] in (0, None), result["code"]
    return list(result["modules"])


def heavy(modules: list[str]) -> list[str]:
    return [name for name in modules if any(name == top or name.startswith(top + ".") for top in HEAVY)]


@pytest.fixture
def case_path(tmp_path: Path) -> Path:
    path = tmp_path / "casefile.toml"
    subprocess.run(
        [sys.executable, "-m", "casefile", "init", "--title", "T", "--country", "Mexico", "-f", str(path)],
        check=True,
        capture_output=True,
        env=child_env(tmp_path),
    )
    return path


@pytest.mark.parametrize("warm", [False, True], ids=["first command", "cache matches"])
def test_where_and_add_event_import_nothing_heavy(tmp_path: Path, case_path: Path, warm: bool) -> None:
    if warm:
        imported(tmp_path, "list", "events", "-f", str(case_path))
    add = ["add-event", "--date", "2017-02-11", "--title", "Report", "--source", "https://example.org/r"]
    for command in (["where"], add):
        modules = imported(tmp_path, *command, "-f", str(case_path))
        assert heavy(modules) == [], command
        # Nor anything else that only other commands need.
        assert not [name for name in modules if name.startswith(("casefile.letter.render", "rich", "markdown_it"))]
    assert "2017-02-11-report" in case_path.read_text()


def test_list_events_json_imports_nothing_heavy(tmp_path: Path, case_path: Path) -> None:
    imported(tmp_path, "add-event", "--date", "2017", "--title", "Report", "-f", str(case_path))
    assert heavy(imported(tmp_path, "list", "events", "--json", "-f", str(case_path))) == []


def test_the_probe_sees_heavy_imports(tmp_path: Path, case_path: Path) -> None:
    """The check above can fail: a command that renders the letter does import Jinja2."""
    imported(tmp_path, "add-signatory", "--name", "Fundar", "--lead", "-f", str(case_path))
    output = tmp_path / "letter.md"
    modules = imported(
        tmp_path, "draft-complaint", "--as-of", "2017-05-23", "--output", str(output), "-f", str(case_path)
    )
    assert "jinja2" in heavy(modules)


def test_the_rooms_import_one_way() -> None:
    """import-linter's contracts (pyproject.toml), run by the test suite too, not only by CI."""
    pytest.importorskip("importlinter")
    from importlinter.cli import lint_imports

    assert lint_imports(config_filename=str(Path(__file__).resolve().parent.parent / "pyproject.toml")) == 0
