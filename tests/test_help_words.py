"""Help read as a French or Spanish reader would: French typography, one word for one thing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import Run


def test_french_help_puts_a_space_before_its_colons(run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    help_text = run("list", "--help").stdout
    assert "Utilisation\u00a0: " in help_text and "Arguments\u00a0:" in help_text and "Options\u00a0:" in help_text
    assert "Commandes\u00a0:" in run("config", "--help").stdout
    # "dossier" is the case; a folder on disk is a "répertoire".
    assert "Un répertoire de modèles" in run("export", "--help").stdout


def test_spanish_help_says_un_firmante(run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    assert "Registra que un firmante aprobó" in run("sign-off", "--help").stdout


def test_config_language_names_the_language_it_now_speaks(run: Run, isolated: Path) -> None:
    assert "casefile ahora le habla en español." in run("config", "language", "es").stderr
    assert "casefile vous parle désormais en français." in run("config", "language", "fr").stderr
    run("config", "language", "auto")


def test_an_unknown_id_names_the_list_that_shows_the_ids(run: Run, case_file: Path) -> None:
    missing = run("respond", "nada", "--date", "2017", "--status", "refused", code=2).stderr
    assert "no demand has the id 'nada'. `casefile list demands` lists the ids." in missing
    assert "`casefile list events|demands|signatories|concerns`" in run("show", "nada", code=2).stderr


def test_french_help_never_wraps_inside_guillemets(run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A no-break space inside « »: the help never leaves a « at the end of a line or a » alone.
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    monkeypatch.setenv("COLUMNS", "80")
    for command in ("add-signatory", "add-demand"):
        help_text = run(command, "--help").stdout
        flowing = re.sub(r"[ \n]+", " ", help_text)  # the lines run on (a no-break space stays)
        assert "«\u00a0l'\u00a0»" in flowing or "«\u00a0le ministère de l'Intérieur\u00a0»" in flowing
        assert not any(line.rstrip().endswith("«") or line.strip().startswith("»") for line in help_text.splitlines())
        # Nor a colon or a semicolon at the start of a line, away from its word ("nomme\n: avec").
        assert not any(line.strip().startswith((":", ";")) for line in help_text.splitlines())
    po = Path(__file__).parents[1] / "src/casefile/locale/fr/LC_MESSAGES/casefile.po"
    translated, in_msgstr = [], False
    for line in po.read_text(encoding="utf-8").splitlines():
        in_msgstr = line.startswith("msgstr") or (in_msgstr and line.startswith('"'))
        if in_msgstr:
            translated.append(line)
    assert not [line for line in translated if "« " in line or " »" in line]
