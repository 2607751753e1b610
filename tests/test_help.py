"""``--help``: commands in panels, one example at the end of every command's help, and still fast."""

from __future__ import annotations

import shlex
from pathlib import Path

import typer.main
from typer.testing import CliRunner

from casefile.cli import app
from casefile.cli.helptext import EXAMPLES, OTHERS, PANELS
from tests.conftest import Run
from tests.test_docs import commands
from tests.test_imports import imported


def test_help_groups_every_command_in_one_panel() -> None:
    output = CliRunner().invoke(app, ["--help"]).output
    for title in PANELS:
        assert f"─ {title} ─" in output
    assert OTHERS not in output  # every command has its panel
    body = output.split("─ Case ─", 1)[1]
    group = typer.main.get_command(app)
    shown = {name.split()[0] for name in commands()} - {
        name
        for name, command in group.commands.items()
        if command.hidden  # type: ignore[attr-defined]
    }
    for name in shown:
        assert sum(line.startswith(f"│ {name} ") for line in body.splitlines()) == 1, name
    panel_of = {name: title for title, names in PANELS.items() for name in names}
    assert panel_of["add-event"] == "Records" and panel_of["export"] == "Data in and out"


def test_every_command_help_ends_with_an_example_that_parses() -> None:
    group = typer.main.get_command(app)
    runner = CliRunner()
    for name in commands():
        output = runner.invoke(app, [*name.split(), "--help"]).output.rstrip().splitlines()
        assert output[-2].strip() == "Example:", name
        example = output[-1].strip()
        assert example == EXAMPLES[name], name
        args = shlex.split(example)
        args = args[: args.index(">")] if ">" in args else args  # the shell's redirection
        assert args[: 1 + len(name.split())] == ["casefile", *name.split()], name
        # The example's options and arguments exist: click parses them without complaint.
        command = group
        for part in name.split():
            command = command.commands[part]  # type: ignore[attr-defined]
        try:
            command.make_context(name, args[1 + len(name.split()) :])
        except Exception as error:
            raise AssertionError(f"{name}: {error}") from error


def test_help_is_plain_text_and_imports_nothing_heavy(tmp_path: Path) -> None:
    modules = imported(tmp_path, "--help")
    assert not [name for name in modules if name.startswith(("rich", "jinja2", "casefile.letter.render"))]


def test_the_add_demand_example_names_its_recipient_as_its_help_asks(run: Run, case_file: Path) -> None:
    """Its help asks for the recipient "with its article"; its example gave none, and check warned of it."""
    run("add-signatory", "--name", "Artículo 19", "--short-name", "articulo-19")
    run(*shlex.split(EXAMPLES["add-demand"])[1:])
    assert "recipient-article" not in run("check", "--as-of", "2017-05-23", code=None).stdout
