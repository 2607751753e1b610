"""Letter templates are sandboxed, and a templates/ folder beside a case is used only once trusted.

The attacker here is another organisation whose ``git pull`` brings a ``templates/`` folder:
nothing it holds may run code, read a file or change the letter until the user trusts it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import DATA, Run

#: Each payload would create PWNED (or print a secret file) if it ran as Python.
PAYLOADS = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.system('touch PWNED') }}",
    "{{ joiner.__init__.__globals__.os.popen('touch PWNED').read() }}",
    "{{ namespace.__init__.__globals__.os.system('touch PWNED') }}",
    "{{ lipsum.__globals__['os'].system('touch PWNED') }}",
    "{{ lipsum|attr('__globals__') }}",
    "{% import 'os' as os %}{{ os.system('touch PWNED') }}",
    "{% from 'os' import system %}{{ system('touch PWNED') }}",
    "{{ self._TemplateReference__context.cycler.__init__.__globals__.os.system('touch PWNED') }}",
    "{{ self.__init__.__globals__.__builtins__.open('/etc/passwd').read() }}",
    "{{ t.__call__.__globals__ }}",
    "{{ event_list.__globals__['__builtins__']['__import__']('os').system('touch PWNED') }}",
    "{{ letter.__class__.__init__.__globals__ }}",
    "{{ letter.case.__class__ }}",
    "{{ '{0.__class__.__mro__}'.format(letter) }}",
    "{{ '{0.__init__.__globals__}'.format(t) }}",
    "{{ '{0.case.__class__}'.format_map({'0': letter}) }}",
    "{{ ('%s' ~ ''.__class__)|safe }}",
    "{% include '/etc/passwd' %}",
    "{% include '../../../../../../etc/passwd' %}",
    "{% extends '/etc/passwd' %}",
    "{{ letter.case.events.append(1) }}{{ letter.case.events.pop() }}",
    "{% set d = {} %}{{ d.update({'a': 1}) }}",
    "{{ range(10**9)|list }}",
    "{{ 'x' * 10**10 }}",
    "{{ 10 ** (10 ** 10) }}",
    "{{ event_list(42) }}",
    "{{ 1 / 0 }}",
    "{% if %}",
]


@pytest.fixture
def case(tmp_path: Path, run: Run) -> Path:
    path = tmp_path / "case" / "casefile.toml"
    path.parent.mkdir()
    shutil.copy(DATA / "fixture.toml", path)
    run("set-letter-date", "2018-07-16", "-f", str(path))
    return path


def _templates(case: Path, text: str, name: str = "letter.en.md.j2") -> Path:
    folder = case.parent / "templates"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def _assert_harmless(run: Run, case: Path, *args: str) -> None:
    result = run(*args, "-f", str(case), code=2)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("casefile: error: "), result.stderr
    assert "Traceback" not in result.stderr
    assert not (case.parent / "PWNED").exists() and not Path("PWNED").exists()
    assert "root:" not in result.stdout


@pytest.mark.parametrize("payload", PAYLOADS)
def test_malicious_templates_run_no_code(run: Run, case: Path, payload: str) -> None:
    folder = _templates(case, payload)
    run("template", "trust", str(folder))  # even a trusted template stays in the sandbox
    _assert_harmless(run, case, "draft-complaint")
    _assert_harmless(run, case, "export", "--format", "html", "--templates", str(folder))
    (folder / "reminder.md.j2").write_text(payload, encoding="utf-8")
    run("template", "trust", str(folder))
    _assert_harmless(run, case, "draft-reminder", "2017-02-16")


GADGETS = st.sampled_from(
    [
        "''",
        "letter",
        "t",
        "cycler",
        "joiner",
        "namespace",
        "lipsum",
        "self",
        "range",
        "event_list",
        "letter.case",
        "letter.case.events",
    ]
)
STEPS = st.sampled_from(
    [
        ".__class__",
        ".__mro__[1]",
        ".__subclasses__()",
        ".__init__",
        ".__globals__",
        "['os']",
        ".os",
        ".system('touch PWNED')",
        ".__builtins__",
        "._TemplateReference__context",
        "|attr('__globals__')",
        "|attr('__class__')",
        ".format",
        ".mro()",
        "('{0.__class__}')",
    ]
)


@given(start=GADGETS, steps=st.lists(STEPS, min_size=1, max_size=6))
def test_random_gadget_chains_never_run_code(run: Run, case: Path, start: str, steps: list[str]) -> None:
    template = case.parent / "chain.md.j2"
    template.write_text("{{ " + start + "".join(steps) + " }}\n", encoding="utf-8")
    result = run("draft-complaint", "-f", str(case), "--template", str(template), code=None)
    assert result.exit_code in (0, 2), result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) <= 3
    assert not (case.parent / "PWNED").exists() and not Path("PWNED").exists()
    # A method's name may print (``{{ ''.format }}``); a class, a module or globals never.
    for forbidden in ("<class", "<module", "__builtins__", "__globals__"):
        assert forbidden not in result.stdout, result.stdout


def test_untrusted_templates_beside_the_case_are_ignored_with_one_line(run: Run, case: Path) -> None:
    builtin = run("draft-complaint", "-f", str(case)).stdout
    folder = _templates(case, "HIJACKED {{ country }}\n")
    result = run("draft-complaint", "-f", str(case))
    assert result.stdout == builtin
    notes = [line for line in result.stderr.splitlines() if "were not used" in line]
    assert len(notes) == 1
    assert str(folder.resolve()) in notes[0] and "not trusted" in notes[0]
    assert f"casefile template trust {folder.resolve()}" in notes[0]
    # Every command that renders the letter says it, once, and uses the built-in templates.
    for args in (["export", "--format", "markdown"], ["sign-off", "articulo"], ["status"], ["diff-since", "articulo"]):
        result = run(*args, "-f", str(case), code=None)
        assert "HIJACKED" not in result.stdout
        assert sum("were not used" in line for line in result.stderr.splitlines()) == 1, (args, result.stderr)
    status = json.loads(run("status", "--json", "-f", str(case)).stdout)
    assert all(entry["state"] == "approved" for entry in status["sign_off"] if entry["signatory"] == "articulo-19")


def test_status_never_runs_untrusted_templates(run: Run, case: Path) -> None:
    run("sign-off", "articulo", "-f", str(case))
    _templates(case, "{{ cycler.__init__.__globals__.os.system('touch PWNED') }}")
    result = run("status", "-f", str(case), "--as-of", "2018-07-20")
    assert "not trusted" in result.stderr
    assert not (case.parent / "PWNED").exists()
    assert "OUT OF DATE" not in result.stdout  # the digest is the built-in letter's, as signed


def test_trust_is_recorded_outside_the_case_and_lapses_on_change(run: Run, case: Path, isolated: Path) -> None:
    folder = _templates(case, "Only {{ country }}\n")
    said = run("template", "trust", str(folder)).stderr
    assert "Trusted 1 template in" in said and "letter.en.md.j2" in said
    assert run("draft-complaint", "-f", str(case)).stdout == "Only Mexico\n"
    config = isolated.parent / "home" / "xdg_config_home" / "casefile"
    record = json.loads((config / "trusted-templates.json").read_text())
    assert list(record["folders"]) == [str(folder.resolve())]
    assert not [path for path in case.parent.rglob("*") if "trust" in path.name]
    # A git pull changes a template: trust lapses until the user looks again.
    (folder / "letter.en.md.j2").write_text("Changed {{ country }}\n", encoding="utf-8")
    result = run("draft-complaint", "-f", str(case))
    assert "Changed" not in result.stdout and "changed since you trusted them on" in result.stderr
    # A new template added beside it lapses it too.
    run("template", "trust", str(folder))
    assert run("draft-complaint", "-f", str(case)).stdout == "Changed Mexico\n"
    (folder / "letter.md.j2").write_text("{% block x %}{% endblock %}", encoding="utf-8")
    assert "changed since" in run("draft-complaint", "-f", str(case)).stderr
    run("template", "untrust", str(folder))
    assert "not trusted" in run("draft-complaint", "-f", str(case)).stderr


def test_trust_follows_the_resolved_path(run: Run, case: Path, tmp_path: Path) -> None:
    folder = _templates(case, "Only {{ country }}\n")
    (tmp_path / "alias").symlink_to(case.parent)
    run("template", "trust", str(tmp_path / "alias" / "templates"))
    assert run("draft-complaint", "-f", str(case)).stdout == "Only Mexico\n"
    # The same templates in another folder are another folder: not trusted.
    other = tmp_path / "other"
    shutil.copytree(case.parent, other)
    assert "not trusted" in run("draft-complaint", "-f", str(other / "casefile.toml")).stderr
    assert folder.is_dir()


def test_templates_option_uses_a_folder_for_one_command(run: Run, case: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "letter.en.md.j2").write_text("Mine {{ country }}\n", encoding="utf-8")
    assert run("draft-complaint", "-f", str(case), "--templates", str(mine)).stdout == "Mine Mexico\n"
    assert "Mine" not in run("draft-complaint", "-f", str(case)).stdout


def test_a_symlink_in_a_templates_folder_is_never_read(run: Run, case: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET\n", encoding="utf-8")
    folder = case.parent / "templates"
    folder.mkdir()
    (folder / "letter.en.md.j2").symlink_to(secret)
    result = run("template", "trust", str(folder), code=2)
    assert "symbolic link" in result.stderr
    result = run("draft-complaint", "-f", str(case))
    assert "TOP SECRET" not in result.stdout and "symbolic link" in result.stderr


def test_commands_that_print_no_letter_read_no_template(run: Run, case: Path) -> None:
    folder = _templates(case, "{% if %}broken")
    run("template", "trust", str(folder))
    (folder / "letter.en.md.j2").write_bytes(b"\xff\xfe not even UTF-8")
    for args in (["list", "events"], ["show", "2017-02-16"], ["timeline"], ["where"], ["verify"]):
        result = run(*args, "-f", str(case), code=None)
        assert result.exit_code in (0, 1)
        assert "template" not in result.stderr, (args, result.stderr)
    assert "template" not in run("export", "--format", "json", "-f", str(case)).stderr
    result = run("export", "--format", "json", "--templates", str(folder), "-f", str(case), code=2)
    assert "--template applies to the letter" in result.stderr


def test_trust_needs_templates(run: Run, case: Path) -> None:
    assert "holds no templates" in run("template", "trust", str(case.parent), code=2).stderr
    _templates(case, "x")
    assert f"did you mean {case.parent / 'templates'}" in run("template", "trust", str(case.parent), code=2).stderr
    assert "was not trusted" in run("template", "untrust", str(case.parent)).stderr


def test_a_fifo_among_the_templates_never_blocks(run: Run, case: Path) -> None:
    import os

    folder = _templates(case, "Only {{ letter.case.country }}\n")
    run("template", "trust", str(folder))
    (folder / "letter.en.md.j2").unlink()
    os.mkfifo(folder / "letter.en.md.j2")
    result = run("status", "-f", str(case))  # would wait for ever if the FIFO were opened for reading
    assert "were not used" in result.stderr and "not a regular file" in result.stderr
    assert "not a regular file" in run("template", "trust", str(folder), code=2).stderr
