"""Global options, and the --json of every reading command checked against outputs.schema.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from casefile.exchange import jsonformat
from tests.conftest import Run

jsonschema = pytest.importorskip("jsonschema")
referencing = pytest.importorskip("referencing")

SCHEMAS = Path(jsonformat.__file__).parent


def validator(shape: str) -> Any:
    case_schema = json.loads((SCHEMAS / "case.schema.json").read_text(encoding="utf-8"))
    outputs = json.loads((SCHEMAS / "outputs.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(outputs)
    registry = referencing.Registry().with_resources(
        [(schema["$id"], referencing.Resource.from_contents(schema)) for schema in (case_schema, outputs)]
    )
    return jsonschema.Draft202012Validator({"$ref": f"{outputs['$id']}#/$defs/{shape}"}, registry=registry)


@pytest.fixture
def full_case(run: Run, case_file: Path, isolated: Path) -> Path:
    """A Spanish-speaking coalition's case with one of everything the reading commands show."""
    run("add-signatory", "--name", "Artículo 19", "--lead")
    run("add-signatory", "--name", "Fundar, Centro de Análisis e Investigación", "--short-name", "Fundar")
    run(
        "add-concern", "--title", "Vigilancia ilegal", "--category", "fundamental-freedoms", "--breaches", "Declaración"
    )
    evidence = isolated / "informe.pdf"
    evidence.write_bytes(b"%PDF-1.4 informe")
    event = run(
        "add-event",
        "--date",
        "2017-02-11",
        "--title",
        "Citizen Lab publica «Bitter Sweet»",
        "--concern",
        "vigilancia",
        "--source",
        "https://citizenlab.org/2017/02/bittersweet-nso-mexico-spyware/",
        "--tag",
        "vigilancia",
    ).stdout.strip()
    run("attach", event, str(evidence))
    run("add-demand", "--date", "2017-02-16", "--to", "Secretariado Técnico Tripartita", "--subject", "Investigar")
    run("set-letter-date", "2017-05-23")
    run("sign-off", "fundar", "--date", "2017-05-20")
    run("edit", event, "--title", "Citizen Lab publica su informe")  # the letter changes after sign-off
    return case_file


READING = [
    ("list", ["list", "events"]),
    ("list", ["list", "demands", "--as-of", "2017-05-23"]),
    ("list", ["list", "signatories"]),
    ("list", ["list", "concerns"]),
    ("show", ["show", "2017-02-16", "--as-of", "2017-05-23"]),
    ("show", ["show", "fundar"]),
    ("show", ["show", "case"]),
    ("timeline", ["timeline", "--as-of", "2017-05-23"]),
    ("where", ["where"]),
    ("check", ["check", "--as-of", "2017-05-23"]),
    ("status", ["status", "--as-of", "2017-05-23"]),
    ("diff_since", ["diff-since", "fundar"]),
    ("conflicts", ["conflicts"]),
    ("verify", ["verify"]),
]


@pytest.mark.parametrize(("shape", "args"), READING, ids=[" ".join(args) for _, args in READING])
def test_json_before_or_after_the_command_matches_the_schema(
    run: Run, full_case: Path, shape: str, args: list[str]
) -> None:
    after = run(*args, "--json", code=None)
    before = run("--json", *args, code=None)
    assert after.exit_code in (0, 1) and after.exit_code == before.exit_code, after.stderr
    assert after.stdout == before.stdout
    data = json.loads(after.stdout)
    validator(shape).validate(data)
    assert data not in ([], {}) or shape == "conflicts"  # the fixture gives the others something to show
    if shape == "diff_since":
        assert data["changed"] is True
        assert "Citizen Lab publica su informe" in data["diff"]


def test_the_schema_catches_a_wrong_shape() -> None:
    with pytest.raises(jsonschema.ValidationError):
        validator("timeline").validate({"title": "T", "as_of": "2017-05-23", "rows": [{"date": "2017"}]})
    with pytest.raises(jsonschema.ValidationError):
        validator("show").validate({"kind": "event", "id": "x"})


def test_file_option_before_or_after_the_command_name(run: Run, isolated: Path) -> None:
    path = isolated / "otro caso.toml"
    run("-f", str(path), "init", "--title", "Caso", "--country", "Mexico")
    assert path.is_file() and not (isolated / "casefile.toml").exists()
    new = run("--file", str(path), "add-event", "--date", "2017", "--title", "Hecho").stdout.strip()
    assert run("list", "events", "-f", str(path)).stdout.startswith(new)
    assert run("-f", str(path), "list", "events").stdout.startswith(new)
    assert run("-f", "nowhere.toml", "list", "events", "-f", str(path)).stdout.startswith(new)  # after wins
    missing = run("-f", str(isolated / "nowhere.toml"), "list", "events", code=2)
    assert "nowhere.toml" in missing.stderr


def test_global_options_do_not_stick_between_runs(run: Run, case_file: Path) -> None:
    run("--json", "where")
    assert not run("where").stdout.startswith("{")


def test_no_color_in_the_environment_leaves_out_every_terminal_style(
    run: Run, case_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """NO_COLOR does what --no-color does: no colour, and no bold or dim either (as the README says)."""
    monkeypatch.setenv("FORCE_COLOR", "1")  # as on a terminal
    run("add-demand", "--date", "2017-02-16", "--to", "Secretariado", "--subject", "Investigar")
    for value, styled in (("", True), ("1", False)):
        monkeypatch.setenv("NO_COLOR", value)  # empty: not set, as no-color.org says
        shown = run("timeline", "--as-of", "2017-05-23").stdout
        assert ("\x1b[" in shown) is styled and "Investigar" in shown


def test_no_color_before_or_after_the_command_name(run: Run, case_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    run("add-demand", "--date", "2017-02-16", "--to", "Secretariado", "--subject", "Investigar")
    coloured = run("timeline", "--as-of", "2017-05-23").stdout
    assert "\x1b[" in coloured  # the check can fail: colours are on here
    for args in (["--no-color", "timeline"], ["timeline", "--no-color"]):
        plain = run(*args, "--as-of", "2017-05-23").stdout
        assert "\x1b[" not in plain and "Investigar" in plain
    assert run("add-event", "--no-color", "--date", "2017", "--title", "x").stdout.strip() == "2017-x"
