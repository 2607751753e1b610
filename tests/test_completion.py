"""Shell completion completes what the case holds: ids, tags, concerns, signatories; and fixed choices."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.test_concurrency import child_env


def complete(tmp_path: Path, cwd: Path, line: str) -> list[str]:
    """What bash would offer after typing ``line`` (a trailing space starts a new word)."""
    words = line.split()
    if line.endswith(" "):
        words.append("")
    env = child_env(tmp_path) | {
        "_CASEFILE_COMPLETE": "complete_bash",
        "COMP_WORDS": " ".join(words),
        "COMP_CWORD": str(len(words) - 1),
    }
    script = "import sys; sys.argv[0] = 'casefile'; from casefile.cli import app; app(prog_name='casefile')"
    result = subprocess.run(
        [sys.executable, "-c", script], check=True, env=env, cwd=cwd, capture_output=True, text=True
    )
    assert result.stderr == ""
    return result.stdout.split()


@pytest.fixture
def mexican_case(run: Run, case_file: Path) -> Path:
    run("add-signatory", "--name", "Artículo 19", "--lead")
    run("add-signatory", "--name", "Fundar")
    run("add-concern", "--title", "Vigilancia ilegal", "--category", "fundamental-freedoms")
    run("add-event", "--date", "2017-02-11", "--title", "Citizen Lab", "--tag", "vigilancia", "--tag", "pegasus")
    run("add-event", "--date", "2017-06-19", "--title", "NYT", "--tag", "prensa")
    run("add-demand", "--date", "2017-02-16", "--to", "SETP", "--subject", "Investigar", "--by", "art")
    return case_file


def test_ids_complete_after_commands_that_take_them(tmp_path: Path, mexican_case: Path) -> None:
    cwd = mexican_case.parent
    assert complete(tmp_path, cwd, "casefile show 2017-0") == [
        "2017-02-11-citizen-lab",
        "2017-06-19-nyt",
        "2017-02-16-investigar",
    ]
    assert complete(tmp_path, cwd, "casefile respond ") == ["2017-02-16-investigar"]  # demands only
    assert complete(tmp_path, cwd, "casefile attach 2017") == ["2017-02-11-citizen-lab", "2017-06-19-nyt"]
    assert complete(tmp_path, cwd, "casefile sign-off f") == ["fundar"]
    assert complete(tmp_path, cwd, "casefile remove vig") == ["vigilancia-ilegal"]


def test_tags_concerns_and_signatories_complete_after_their_options(tmp_path: Path, mexican_case: Path) -> None:
    cwd = mexican_case.parent
    assert complete(tmp_path, cwd, "casefile list events --tag ") == ["pegasus", "prensa", "vigilancia"]
    assert complete(tmp_path, cwd, "casefile add-event --tag p") == ["pegasus", "prensa"]
    assert complete(tmp_path, cwd, "casefile add-event --concern ") == ["vigilancia-ilegal"]
    assert complete(tmp_path, cwd, "casefile add-demand --by ") == ["articulo-19", "fundar"]


def test_languages_and_formats_complete(tmp_path: Path, mexican_case: Path) -> None:
    cwd = mexican_case.parent
    assert complete(tmp_path, cwd, "casefile draft-complaint --language ") == ["en", "es", "fr"]
    assert "html" in complete(tmp_path, cwd, "casefile export --format ")
    assert complete(tmp_path, cwd, "casefile list ") == ["events", "demands", "signatories", "concerns"]
    assert complete(tmp_path, cwd, "casefile config language ") == ["en", "es", "fr", "auto"]
    assert complete(tmp_path, cwd, "casefile config language e") == ["en", "es"]


def test_the_case_named_with_file_before_the_command_is_read(tmp_path: Path, mexican_case: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert complete(tmp_path, elsewhere, "casefile show f") == []
    assert complete(tmp_path, elsewhere, f"casefile -f {mexican_case} show f") == ["fundar"]
    assert complete(tmp_path, elsewhere, f"casefile show --file {mexican_case} f") == ["fundar"]


def test_a_broken_case_completes_nothing_and_says_nothing(tmp_path: Path, isolated: Path) -> None:
    (isolated / "casefile.toml").write_text("this is not toml [", encoding="utf-8")
    assert complete(tmp_path, isolated, "casefile show ") == []
