"""Messages in the user's language (es, fr) from the locale or `casefile config language`; English otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from casefile.cli import messages
from tests.conftest import Run


@pytest.fixture(autouse=True)
def english_afterwards() -> object:
    yield None
    messages.setup("en")  # the next test starts in English whatever this one chose


def test_spanish_locale_gives_spanish_help(run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "es_MX.UTF-8")
    output = run("--help").output
    for word in ("─ Caso ─", "─ Registros ─", "─ Carta ─", "─ Pruebas ─", "─ Seguimiento ─", "Opciones"):
        assert word in output, word
    assert "Añade un hecho con fecha y sus fuentes" in output
    assert "Ejemplo:" in run("add-event", "--help").output


def test_lc_all_wins_over_lang_and_french_errors(run: Run, case_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    monkeypatch.setenv("LC_ALL", "fr_FR.UTF-8")
    result = run("show", "nada", code=2)
    assert result.stderr.startswith("casefile : erreur : ")
    assert "Traceback" not in result.stderr
    assert "Liste les faits, demandes" in run("list", "--help").output


def test_english_and_unknown_locales_stay_english(run: Run, case_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for locale in ("C.UTF-8", "de_DE.UTF-8", "en_GB.UTF-8", "POSIX"):
        monkeypatch.setenv("LANG", locale)
        assert "─ Records ─" in run("--help").output, locale
        assert run("show", "nada", code=2).stderr.startswith("casefile: error: ")


def test_config_language_overrides_the_locale_and_auto_gives_it_back(
    run: Run, case_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    assert run("config", "language").stdout.strip() == "es"
    said = run("config", "language", "fr")
    assert "casefile vous parle désormais en fr" in said.stderr
    assert "─ Dossier ─" in run("--help").output
    assert run("config", "language").stdout.strip() == "fr"
    assert "(fixée avec `casefile config language`)" in run("config", "language").stderr
    run("config", "language", "auto")
    assert "─ Caso ─" in run("--help").output
    assert "'de' no es uno de" in run("config", "language", "de", code=2).stderr


def test_the_letter_keeps_the_case_language(run: Run, case_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A Spanish-speaking user drafting an English case gets Spanish messages and an English letter."""
    monkeypatch.setenv("LANG", "es_MX.UTF-8")
    run("add-signatory", "--name", "Fundar", "--lead")
    created = run("add-event", "--date", "2017-02-11", "--title", "Citizen Lab report")
    assert created.stdout.strip() == "2017-02-11-citizen-lab-report"
    letter = run("draft-complaint", "--as-of", "2017-05-23").stdout
    assert "Dear" in letter or "Steering Committee" in letter
    assert "Estimado" not in letter
    assert run("edit-case", "--title", "Vigilancia").stderr.strip() == "Caso actualizado."
