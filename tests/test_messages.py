"""Messages in the user's language (es, fr) from the locale or `casefile config language`; English otherwise."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from casefile.cli import messages
from tests.conftest import DATA, GOLDEN, Run
from tests.test_concurrency import child_env


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
    assert result.stderr.startswith("casefile\u00a0: erreur\u00a0: ")
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


def _spanish_then_french(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    for locale in ("es_ES.UTF-8", "fr_FR.UTF-8"):
        monkeypatch.setenv("LANG", locale)
        yield locale[:2]


def test_a_missing_case_file_is_one_french_line_on_stderr(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    result = run("-f", "missing.toml", "list", "events", code=2)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert lines[0].startswith("casefile\u00a0: erreur\u00a0: pas de fichier de dossier à ")
    assert "Créez-en un avec `casefile init --title TITRE --country PAYS`" in lines[0]


def test_click_words_and_core_errors_speak_the_users_language(
    run: Run, case_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "es_MX.UTF-8")
    missing = run("add-event", "--title", "x", code=2).stderr
    # One line, as every error: what is wrong, then where help is.
    assert missing == "casefile: error: Falta la opción '--date'. Pruebe 'casefile add-event -h' para ver la ayuda.\n"
    assert "No existe la orden 'lits'. ¿Quiso decir 'list'" in run("lits", code=2).stderr
    bad_date = run("add-event", "--date", "2017-02-30", "--title", "x", code=2).stderr
    assert bad_date == (
        "casefile: error: «2017-02-30» no es una fecha que casefile entienda: febrero de 2017 no tiene día 30; "
        "use AAAA, AAAA-MM o AAAA-MM-DD, p. ej. 2017-02-11 (añada ~ si es aproximada, ? si es incierta, "
        "y / para un intervalo como 2016-05/2017-02)\n"
    )
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    assert run("list", "events", "--bogus", code=2).stderr == (
        "casefile\u00a0: erreur\u00a0: Option inconnue\u00a0: --bogus. "
        "Essayez «\u00a0casefile list -h\u00a0» pour obtenir de l'aide.\n"
    )
    unknown = run("show", "nada", code=2).stderr
    assert unknown.startswith("casefile\u00a0: erreur\u00a0: identifiant 'nada' introuvable (élément).")
    extra = run("list", "events", "de", "trop", code=2).stderr
    assert extra.startswith("casefile\u00a0: erreur\u00a0: Trop d'arguments (en trop\u00a0: de trop).")


def test_help_of_a_command_is_translated_to_the_last_option(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    help_text = run("add-event", "--help").output
    for words in (
        "Utilisation\u00a0: casefile add-event [OPTIONS]",
        "Ajoute un fait daté, avec ses sources",
        "Date EDTF\u00a0: 2017, 2017-02",
        "[obligatoire]",
        "Une étiquette (répétable).",
        "Affiche ce message et quitte.",
        "Exemple\u00a0:",
    ):
        assert words in help_text, words
    assert "(repeatable)" not in help_text and "Show this message" not in help_text
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    root = run("--help").output
    assert "─ Importar y exportar ─" in root and "Muestra la versión y sale." in root


def test_json_is_the_same_in_every_language(run: Run, case_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--json keys and values are a promise to scripts: the user's language never changes them."""
    run("add-signatory", "--name", "Fundar", "--lead")
    run("add-demand", "--date", "2017-02-16", "--to", "SESNA", "--subject", "Investigate", "--by", "fundar")
    run("add-event", "--date", "2017-02-11", "--title", "Citizen Lab report", "--tag", "surveillance")
    commands = (
        ("list", "events", "--json"),
        ("list", "demands", "--json"),
        ("show", "2017-02-11", "--json"),
        ("status", "--json", "--as-of", "2017-05-23"),
        ("check", "--json", "--as-of", "2017-05-23"),
        ("timeline", "--json", "--as-of", "2017-05-23"),
        ("where", "--json"),
        ("conflicts", "--json"),
    )
    english = [run(*command, code=None).stdout for command in commands]
    for language in _spanish_then_french(monkeypatch):
        assert [run(*command, code=None).stdout for command in commands] == english, language


def test_an_english_case_drafts_the_english_golden_letter_for_a_spanish_user(
    run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(DATA / "fixture.toml", isolated / "casefile.toml")
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    result = run("draft-complaint", "--as-of", "2018-07-16")
    assert result.stdout == (GOLDEN / "letter.en.md").read_text(encoding="utf-8")
    assert "casefile: huella de la carta sha256:" in result.stderr


def test_a_real_spanish_terminal(tmp_path: Path) -> None:
    """The installed command in a fresh process, as a Spanish-speaking user starts it."""
    env = {**child_env(tmp_path), "LANG": "es_ES.UTF-8"}
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        env.pop(name, None)
    command = [sys.executable, "-m", "casefile"]
    shown = subprocess.run([*command, "--help"], env=env, cwd=tmp_path, capture_output=True, text=True, check=True)
    assert shown.stdout.startswith("Uso: casefile [OPCIONES] ORDEN [ARGUMENTOS]...")
    assert "─ Registros ─" in shown.stdout and "Muestra este mensaje y sale." in shown.stdout
    assert "Instala el autocompletado" in shown.stdout
    failed = subprocess.run(
        [*command, "-f", "nada.toml", "where", "--json"], env=env, cwd=tmp_path, capture_output=True, check=False
    )
    assert failed.returncode == 0 and b'"rule": "given with --file"' in failed.stdout
    failed = subprocess.run(
        [*command, "-f", "nada.toml", "list", "events"], env=env, cwd=tmp_path, capture_output=True, check=False
    )
    assert failed.returncode == 2
    assert failed.stderr.decode("utf-8").startswith("casefile: error: no hay archivo de caso en ")
    assert b"Traceback" not in failed.stderr and failed.stderr.count(b"\n") == 1
    env["LANG"] = "de_DE.UTF-8"
    german = subprocess.run([*command, "--help"], env=env, cwd=tmp_path, capture_output=True, text=True, check=True)
    assert german.stdout.startswith("Usage: casefile [OPTIONS] COMMAND [ARGS]...")


def test_check_speaks_french_to_people_and_english_to_scripts(
    run: Run, case_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("add-concern", "--title", "Surveillance illégale", "--category", "civic-space")
    english = run("check", "--json", "--as-of", "2017-05-23", code=1).stdout
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    shown = run("check", "--as-of", "2017-05-23", code=1)
    assert "erreur\u00a0: [no-signatories] Le dossier n'a aucun signataire." in shown.stdout
    assert "La préoccupation n'a aucun fait. Liez-en un avec `casefile edit ID_DU_FAIT --concern" in shown.stdout
    assert "erreur" in shown.stderr and "The case has no signatories" not in shown.stdout
    assert run("check", "--json", "--as-of", "2017-05-23", code=1).stdout == english
    assert '"message": "The case has no signatories.' in english


def test_the_timeline_table_and_list_speak_spanish(run: Run, case_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run("add-signatory", "--name", "Fundar", "--lead")
    run("add-demand", "--date", "2017-02-16", "--to", "SESNA", "--subject", "Investigate", "--by", "fundar")
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "160")
    table = run("timeline", "--as-of", "2017-02-26").stdout
    assert "Fecha" in table and "Qué" in table and "Estado" in table
    assert "sin respuesta (10 días)" in table and "unanswered" not in table
    assert "│ 16 de febrero de 2017 " in table and "│ 2017-02-16 " not in table  # the day as people read it
    monkeypatch.delenv("FORCE_COLOR")
    piped = run("timeline", "--as-of", "2017-02-26").stdout
    assert "unanswered, 10 days without answer" in piped  # scripts read piped rows: as they always were
    listed = run("list", "demands", "--as-of", "2017-02-26").stdout
    assert "sin respuesta (10 días)\ta SESNA: Investigate" in listed


def test_the_systems_own_words_are_translated_too(run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    said = run("template", "trust", "nada", code=2).stderr
    assert said == (
        "casefile: error: no se pueden leer las plantillas de nada: No existe el archivo o el directorio.\n"
    )


def test_an_unknown_country_is_suggested_in_the_users_language(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    said = run("init", "--title", "T", "--country", "Alemagne", code=2).stderr
    assert said.startswith(
        "casefile\u00a0: erreur\u00a0: 'Alemagne' n'est pas un pays que casefile connaît. Vouliez-vous dire "
    )
    assert "Allemagne (DE)" in said
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert "Did you mean Germany (DE)" in run("init", "--title", "T", "--country", "Alemagne", code=2).stderr


def test_check_said_again_from_the_cache_is_still_french(
    run: Run, case_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A finding's translated parts (phrases) survive the cache that keeps check's findings."""
    run("add-event", "--date", "2018-01-01", "--title", "Later", "--source", "https://example.org/later")
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    first = run("check", "--as-of", "2017-05-23", code=None).stdout
    assert "Le fait porte la date 2018-01-01, postérieure à la date de la lettre (23 mai 2017)\u00a0: " in first
    assert "la lettre ne l'inclut pas, ni ses sources." in first
    assert run("check", "--as-of", "2017-05-23", code=None).stdout == first


def test_the_kind_of_an_options_value_is_in_the_users_language(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    assert "--date <texte>" in run("add-event", "--help").output
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    assert "-f, --file <ruta>" in run("--help").output
    monkeypatch.setenv("LANG", "C")
    assert "-f, --file <path>" in run("--help").output


def test_a_value_of_the_wrong_kind_is_named_in_the_users_words(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """Click's own name of the kind ("int range") is not a word a user reads."""
    year = ("init", "--title", "T", "--country", "MX", "--ogp-joined", "abc")
    expected = {
        "fr_FR.UTF-8": "'abc' n'est pas un nombre entier valide.",
        "es_ES.UTF-8": "'abc' no es un número entero válido.",
        "C": "'abc' is not a valid whole number.",
    }
    for locale, sentence in expected.items():
        monkeypatch.setenv("LANG", locale)
        said = run(*year, code=2).stderr
        assert sentence in said and "int range" not in said, said


def test_the_arguments_names_are_in_the_users_language(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    shown = run("show", "--help").output
    assert shown.startswith("Utilisation\u00a0: casefile show [OPTIONS] {id_élément}")
    assert "\n  id_élément  " in shown
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    assert run("show", code=2).stderr.startswith("casefile: error: Falta el argumento 'id_elemento'.")
    monkeypatch.setenv("LANG", "C")
    assert run("show", "--help").output.startswith("Usage: casefile show [OPTIONS] {item_id}")


def test_a_settle_commands_value_placeholder_is_in_the_users_language_and_english_in_json(
    run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """conflicts, check and draft-complaint spell the command's VALUE alike; check --json keeps English."""
    from casefile.storage import tomltext
    from tests.test_merge import EVENT, edit, merge, sample, write

    base = sample()
    write(tomltext.dumps(merge(base, edit(base, EVENT, title="Ours"), edit(base, EVENT, title="Theirs")).case))
    english = f"casefile resolve {EVENT} --field title --take ours|theirs|VALUE"
    for locale, word in (("es_ES.UTF-8", "VALOR"), ("fr_FR.UTF-8", "VALEUR")):
        monkeypatch.setenv("LANG", locale)
        command = english.replace("VALUE", word)
        assert command in run("conflicts").stdout
        assert command in run("check", code=1).stdout
        assert f"--take ours|theirs|{word}`" in run("draft-complaint", code=2).stderr
        report = json.loads(run("check", "--json", code=1).stdout)
        (finding,) = [f for f in report["findings"] if f["rule"] == "unresolved-conflict"]
        assert finding["message"].endswith(f"`{english}`.")
