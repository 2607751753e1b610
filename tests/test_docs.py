"""The README tells the truth: its walkthrough is run here, and every command is documented."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from casefile.cli import app

README = Path(__file__).parent.parent / "README.md"
WALKTHROUGH = re.compile(r"(<!-- walkthrough:start -->\n```console\n)(.*?)(```\n<!-- walkthrough:end -->)", re.DOTALL)


def commands() -> list[str]:
    """Every command and sub-command name, as typed after `casefile`."""
    import typer.main

    group = typer.main.get_command(app)
    names = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        sub = getattr(command, "commands", None)
        names += [f"{name} {sub_name}" for sub_name in sub] if sub else [name]
    return sorted(names)


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = README.read_text(encoding="utf-8")
    runner = CliRunner()
    for name in commands():
        result = runner.invoke(app, [*name.split(), "--help"])
        assert result.exit_code == 0, name
        assert "Usage:" in result.output
        assert f"casefile {name}" in readme, f"`casefile {name}` is not documented in README.md"


def run_walkthrough(block: str) -> str:
    """Run each `$ casefile ...` line of the block and write out what it printed."""
    runner = CliRunner()
    out = []
    for line in block.splitlines():
        if not line.startswith("$ casefile "):
            continue
        args = shlex.split(line.removeprefix("$ casefile "))
        result = runner.invoke(app, args)
        out.append(line)
        out.extend(text.rstrip() for text in result.output.rstrip("\n").splitlines())
        if result.exit_code:
            out.append(f"[exit status {result.exit_code}]")
    return "\n".join(out) + "\n"


def test_readme_walkthrough_output_is_real(
    isolated: Path, monkeypatch: pytest.MonkeyPatch, update_golden: bool
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    readme = README.read_text(encoding="utf-8")
    match = WALKTHROUGH.search(readme)
    assert match, "README.md has no walkthrough block"
    actual = run_walkthrough(match.group(2))
    if update_golden:
        README.write_text(readme[: match.start(2)] + actual + readme[match.end(2) :], encoding="utf-8")
        return
    assert match.group(2) == actual


ARCHITECTURE = README.parent / "docs" / "architecture.md"
ROOMS = ("case", "storage", "letter", "exchange", "collab", "workflow", "cli")


def test_architecture_names_every_module_of_the_rooms_and_only_modules_that_exist() -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    package = Path(__file__).parent.parent / "src" / "casefile"
    rooms = "|".join(ROOMS)
    named = set(re.findall(rf"\b((?:{rooms})/[a-z_]+\.py)\b", text))
    assert named, "the page names modules as room/module.py"
    missing = sorted(path for path in named if not (package / path).is_file())
    assert not missing, f"docs/architecture.md names modules that do not exist: {missing}"
    unnamed = sorted(  # cli/ has one module per group of commands, which the page names together
        str(path.relative_to(package))
        for room in ROOMS[:-1]
        for path in (package / room).glob("*.py")
        if path.name != "__init__.py" and str(path.relative_to(package)) not in named
    )
    assert not unnamed, f"docs/architecture.md does not say what these modules are: {unnamed}"
