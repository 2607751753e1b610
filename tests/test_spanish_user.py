"""A coordinator of a Mexican coalition builds the case of 2017 in Spanish, as they would type it.

Each test is something that case showed to fail a Spanish-speaking user: ids typed with their
accents, the joins of the command line's own sentences, what `check` says and the letter's words.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Run

SIGNATORIES = [
    ("Artículo 19, Oficina para México y Centroamérica", "Artículo 19", "", "--lead"),
    ("Centro de Investigación para el Desarrollo, A. C.", "CIDAC", "el", ""),
    ("Contraloría Ciudadana para la Rendición de Cuentas A.C.", "Contraloría Ciudadana", "la", ""),
    ("Fundar, Centro de Análisis e Investigación A.C.", "Fundar", "", ""),
    ("Red en Defensa de los Derechos Digitales", "R3D", "la", ""),
]


@pytest.fixture
def caso(run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The case as a Spanish speaker writes it, the command line speaking Spanish."""
    monkeypatch.setenv("LANG", "es_MX.UTF-8")
    run("init", "--title", "Vigilancia ilegal de defensores de la salud", "--country", "México", "--language", "es")
    for name, short, article, lead in SIGNATORIES:
        options = ["--short-name", short, "--country", "México"] + (["--article", article] if article else [])
        run("add-signatory", "--name", name, *options, *([lead] if lead else []))
    run("add-signatory", "--name", "Luis Manuel Encarnación", "--kind", "individual", "--country", "México")
    run(
        "add-concern",
        "--title",
        "Vigilancia ilegal con Pegasus contra defensores de la salud pública",
        "--category",
        "fundamental-freedoms",
        "--breaches",
        "Declaración de Gobierno Abierto: apoyar la participación ciudadana",
    )
    run(
        "add-event",
        "--date",
        "2017-02-11",
        "--title",
        "Citizen Lab publica el informe «Bitter Sweet»",
        "--concern",
        "vigilancia",
        "--source",
        "https://citizenlab.org/2017/02/bittersweet-nso-mexico-spyware/",
    )
    run(
        "add-demand",
        "--date",
        "2017-02-16",
        "--to",
        "el Secretariado Técnico Tripartita",
        "--subject",
        "Investigar la vigilancia ilegal",
        "--by",
        "articulo",
        "--by",
        "fundar",
    )
    run("edit-case", "--filer-category", "involved-entity")
    run("set-letter-date", "2017-05-23")
    return isolated / "casefile.toml"


@pytest.mark.parametrize("typed", ["artículo-19", "Artículo 19", "ARTICULO", "Artículo"])
def test_an_id_typed_with_its_accents_or_capitals_finds_the_item(caso: Path, run: Run, typed: str) -> None:
    assert "id: articulo-19" in run("show", typed).stdout


def test_a_signatory_named_with_its_accent_can_send_a_demand(caso: Path, run: Run) -> None:
    new = run(
        "add-demand",
        "--date",
        "2017-03",
        "--to",
        "la Secretaría de la Función Pública",
        "--subject",
        "Pronunciarse",
        "--by",
        "Contraloría",
        "--by",
        "Artículo 19",
    ).stdout.strip()
    assert "by: contraloria-ciudadana, articulo-19" in run("show", new).stdout


def test_an_accented_prefix_of_two_ids_lists_both(caso: Path, run: Run) -> None:
    run("add-signatory", "--name", "Artículo 20", "--country", "México")
    result = run("show", "Artículo", code=2)
    assert "'Artículo' coincide con 2 ids: articulo-19, articulo-20." in result.stderr


def test_list_names_a_demands_recipient_as_spanish_joins_it(caso: Path, run: Run) -> None:
    listed = run("list", "demands").stdout
    assert "\tal Secretariado Técnico Tripartita: Investigar la vigilancia ilegal\n" in listed
    assert "a el " not in listed


def test_the_timeline_table_says_solicitud_al_not_demand_to(
    caso: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    table = run("timeline", "--no-color").stdout
    assert "Solicitud al Secretariado Técnico Tripartita: Investigar la vigilancia ilegal" in table
    assert "Demand to" not in table
    monkeypatch.delenv("FORCE_COLOR")
    piped = run("timeline").stdout  # scripts read piped rows: as they always were
    assert "\tDemand to el Secretariado Técnico Tripartita: Investigar la vigilancia ilegal\t" in piped


def test_check_asks_for_the_action_plans_article_and_the_letter_then_reads_well(caso: Path, run: Run) -> None:
    run("edit-case", "--action-plan", "Tercer Plan de Acción 2016-2018")
    shown = run("check").stdout
    assert (
        "aviso: [action-plan-article] El plan de acción «Tercer Plan de Acción 2016-2018» está escrito sin su "
        "artículo, y la carta lo pone tras una preposición («surgieron durante Tercer Plan de Acción 2016-2018»). "
        'Escríbalo como debe leerse allí: `casefile edit-case --action-plan "el Tercer Plan de Acción 2016-2018"`.'
    ) in shown
    run("edit-case", "--action-plan", "el Tercer Plan de Acción 2016-2018")
    assert "action-plan-article" not in run("check").stdout
    letter = run("draft-complaint").stdout
    assert "Las preocupaciones que siguen surgieron durante el Tercer Plan de Acción 2016-2018." in letter


@pytest.mark.parametrize(
    ("language", "plan", "fix"),
    [
        ("fr", "troisième Plan d'action national", 'translate case --language fr --action-plan "le troisième Plan'),
        ("en", "Third National Action Plan", 'translate case --language en --action-plan "the Third National'),
    ],
)
def test_a_translated_action_plan_without_article_is_found_in_its_language(
    caso: Path, run: Run, language: str, plan: str, fix: str
) -> None:
    run("edit-case", "--action-plan", "el Tercer Plan de Acción 2016-2018")
    assert "action-plan-article" not in run("check", "--language", language).stdout  # missing-translation says it
    run("translate", "case", "--language", language, "--action-plan", plan)
    assert fix in run("check", "--language", language).stdout


def test_check_and_status_count_in_spanish_words_not_with_parentheses(caso: Path, run: Run) -> None:
    run("add-event", "--date", "2017-03", "--title", "Periodistas denuncian ataques similares", "--concern", "vig")
    summary = run("check", code=1).stderr
    assert summary == "1 error, 1 aviso.\n"  # no source; the other event's source has no archived copy
    assert "(1 error, 1 aviso; véase casefile check)" in run("status").stdout
    run("set-source", "2017-03", "https://r3d.mx/2017/06/19/gobierno-espia/")
    assert run("check").stderr == "0 errores, 2 avisos. Lista para redactar.\n"


def test_the_article_hint_for_a_demands_sender_quotes_the_sentence_that_names_it(caso: Path, run: Run) -> None:
    run("add-signatory", "--name", "Observatorio Nacional Ciudadano", "--country", "México")
    run("add-demand", "--date", "2017-03", "--to", "la Secretaría de la Función Pública", "--subject", "Pronunciarse",
        "--by", "observatorio")  # fmt: skip
    shown = run("check").stdout
    assert (
        "info: [signatory-article] observatorio-nacional-ciudadano: El firmante «Observatorio Nacional Ciudadano» "
        "no tiene artículo, y la carta lo nombra en frases («una solicitud de Observatorio Nacional Ciudadano»)."
    ) in shown
    assert "encabezadas por Observatorio" not in shown  # it leads nothing


def test_what_was_written_is_said_in_spanish(caso: Path, run: Run) -> None:
    assert run("draft-complaint", "--output", "carta.md").stderr.startswith("Se escribió carta.md.\n")
    assert run("export", "--format", "docx", "--output", "carta.docx").stderr.startswith("Se escribió carta.docx.\n")


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("16/02/2017", "el año va primero, como en 2017-02-16; use AAAA"),
        ("16-02-2017", "el año va primero, como en 2017-02-16; use AAAA"),
        ("11/02/2017", "el año va primero, como en 2017-02-11 (si 11 es el día) o 2017-11-02 (si es el mes); use"),
        ("2017/02/16", "escríbala con guiones, como en 2017-02-16; use AAAA"),
    ],
)
def test_a_date_written_by_hand_is_refused_with_how_casefile_writes_it(
    caso: Path, run: Run, typed: str, said: str
) -> None:
    refused = run("add-event", "--date", typed, "--title", "Citizen Lab publica el informe", code=2).stderr
    assert refused.startswith(f"casefile: error: «{typed}» no es una fecha que casefile entienda: {said}")


def test_an_impossible_day_written_by_hand_gets_no_suggestion(caso: Path, run: Run) -> None:
    refused = run("add-event", "--date", "31/02/2017", "--title", "Un hecho", code=2).stderr
    assert "como en" not in refused and "use AAAA, AAAA-MM o AAAA-MM-DD" in refused


def test_the_reminder_says_how_to_record_it_with_the_date_as_spanish_names_its_parts(caso: Path, run: Run) -> None:
    drafted = run("draft-reminder", "2017-02-16")
    assert "Al Secretariado Técnico Tripartita:" in drafted.stdout
    assert drafted.stderr == (
        "Una vez enviado, regístrelo: casefile record-reminder 2017-02-16-investigar-vigilancia-ilegal "
        "--date AAAA-MM-DD --channel email\n"
    )


def test_no_colon_parts_the_preposition_from_the_demands_subject(caso: Path, run: Run) -> None:
    letter = run("draft-complaint").stdout
    assert (
        "- El 16 de febrero de 2017, se envió al Secretariado Técnico Tripartita una solicitud de Artículo 19 y "
        "Fundar con el asunto «Investigar la vigilancia ilegal».  \n"
    ) in letter
    assert "sobre:" not in letter
    reminder = run("draft-reminder", "2017-02-16").stdout
    assert (
        "se les envió una solicitud en nombre de Artículo 19 y Fundar con el asunto «Investigar la vigilancia"
        in reminder
    )


def test_the_timeline_picture_shows_a_refused_demand_as_refused_not_answered(caso: Path, run: Run) -> None:
    run("respond", "2017-02-16", "--date", "2017-05-02", "--status", "refused", "--summary", "Se negó.")
    picture = run("export", "--format", "svg").stdout
    assert "Investigar la vigilancia ilegal (rechazada)</title>" in picture
    assert "respondida" not in picture and "✓" not in picture


@pytest.mark.parametrize(("command", "argument"), [("list", "tipo:<events"), ("record-stage", "etapa:<acknowledged")])
def test_help_names_an_argument_with_choices_in_spanish_in_its_list_as_in_its_usage(
    run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch, command: str, argument: str
) -> None:
    monkeypatch.setenv("LANG", "es_MX.UTF-8")
    shown = run(command, "--help").stdout
    listed = shown.split("Argumentos:\n", 1)[1]
    assert listed.startswith(f"  {argument}") and "kind:" not in shown and "stage:" not in shown


def test_diff_since_and_status_speak_spanish_where_they_are_read_by_people(caso: Path, run: Run) -> None:
    run("sign-off", "fundar")
    run("edit-case", "--action-plan", "el Tercer Plan de Acción 2016-2018")
    shown = run("diff-since", "fundar").stdout
    assert shown.startswith("--- aprobada por fundar el ") and "\n+++ carta actual\n" in shown
    scripts = run("diff-since", "fundar", "--json").stdout
    assert '"diff": "--- approved by fundar on ' in scripts and "+++ current letter" in scripts
    run("record-filing", "--date", "2018-07-16")
    status = run("status", "--as-of", "2018-07-20").stdout
    assert "semanas desde la presentación; una observación, no una regla de OGP)" in status
    assert "desde filing" not in status


def test_the_timeline_pictures_description_gives_its_dates_as_spanish_says_them(caso: Path, run: Run) -> None:
    picture = run("export", "--format", "svg").stdout
    assert (
        '<desc id="timeline-desc">1 hecho en 1 carril por preocupación y 1 solicitud (1 sin respuesta al '
        "23 de mayo de 2017), "
        "del 11 de febrero de 2017 al 23 de mayo de 2017.</desc>"
    ) in picture


def test_show_case_gives_the_contact_as_lines_a_person_reads(caso: Path, run: Run) -> None:
    run("edit-case", "--contact-name", "María Pérez", "--contact-organisation", "Fundar")
    shown = run("show", "case").stdout
    assert "\ncontact:\n  name: María Pérez\n  organisation: Fundar\nfiler_category:" in shown
    assert "{" not in shown


def test_add_signatory_help_says_what_each_kind_is_and_what_country_is_for(
    run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "es_MX.UTF-8")
    shown = " ".join(run("add-signatory", "--help").stdout.split())  # as wrapped to any width
    assert "individual (una persona que firma a título individual)" in shown
    assert "--country <texto>" in shown and "Dónde tiene su sede; la lista de firmas lo da tras el nombre." in shown


def test_a_bad_row_of_a_spreadsheet_is_named_as_a_fila(caso: Path, run: Run, isolated: Path) -> None:
    (isolated / "hechos.csv").write_text(
        "date;title;sources\n16/02/2017;Hecho uno;https://a.example/1\n2017-03;Hecho dos;\n", encoding="utf-8"
    )
    refused = run("import", "hechos.csv", "--items", "events", "--dry-run", code=2).stderr
    assert refused.startswith("casefile: error: hechos.csv: fila 2: «16/02/2017» no es una fecha que casefile")
    assert "row" not in refused


def test_a_reference_document_that_is_not_one_is_refused_in_spanish(caso: Path, run: Run, isolated: Path) -> None:
    (isolated / "membrete.docx").write_text("no es un documento", encoding="utf-8")
    refused = run("export", "--format", "docx", "--reference-doc", "membrete.docx", "-o", "c.docx", code=2).stderr
    assert refused.startswith(
        "casefile: error: --reference-doc membrete.docx: no es un archivo .docx (no es un paquete"
    )
    assert refused.endswith("; indique un .docx o un .odt guardado con un procesador de textos.\n")


def test_a_hand_edit_gone_wrong_is_placed_by_its_linea(caso: Path, run: Run) -> None:
    text = caso.read_text(encoding="utf-8")
    caso.write_text(text.replace('article = "el"', 'article = "El"', 1), encoding="utf-8")
    refused = run("list", "events", code=2).stderr
    assert ": línea " in refused and "line " not in refused
    assert (
        "'El' no es un artículo que tome un nombre en español: use uno de estos artículos (el, la, los, las)" in refused
    )


def test_checks_fix_for_a_concern_with_nothing_breached_suggests_spanish_words_for_the_letter(
    caso: Path, run: Run
) -> None:
    run("add-concern", "--title", "Debilitamiento de los compromisos", "--category", "other")
    shown = run("check", code=1).stdout
    assert '--breaches "Declaración de Gobierno Abierto: apoyar la participación ciudadana"`.' in shown
    assert "support civic participation" not in shown
    assert "La categoría de la preocupación es «other» sin texto." in shown


def test_the_filing_is_said_sent_por_correo_electronico(caso: Path, run: Run) -> None:
    filed = run("record-filing", "--date", "2018-07-16").stderr
    assert filed.startswith("Presentada el 16 de julio de 2018 por correo electrónico a info@opengovpartnership.org.")
    shown = run("status").stdout
    assert "Presentación: 16 de julio de 2018 por correo electrónico a info@opengovpartnership.org" in shown
    run("record-filing", "--date", "2018-07-16", "--channel", "mensajería")
    assert "Presentación: 16 de julio de 2018 por mensajería a info@" in run("status").stdout


def test_status_names_the_country_not_its_code(caso: Path, run: Run) -> None:
    assert run("status").stdout.startswith("Vigilancia ilegal de defensores de la salud (México)\n")


def test_sources_without_an_archived_copy_are_counted_and_all_named(caso: Path, run: Run) -> None:
    one = run("check").stdout
    assert (
        "aviso: [source-not-archived] 2017-02-11-citizen-lab-publica-informe: Una fuente web no tiene copia archivada "
        "(https://citizenlab.org/2017/02/bittersweet-nso-mexico-spyware/). Guarde la página"
    ) in one
    run("set-source", "2017-02-11", "https://www.nytimes.com/es/2017/02/11/espionaje/")
    two = run("check").stdout
    assert (
        "2 fuentes web no tienen copia archivada (https://citizenlab.org/2017/02/bittersweet-nso-mexico-spyware/, "
        "https://www.nytimes.com/es/2017/02/11/espionaje/). Guarde cada página"
    ) in two
    assert "(s)" not in one + two


def test_import_counts_what_it_restored_in_spanish(caso: Path, run: Run) -> None:
    run("export", "--format", "json", "--output", "caso.json")
    restored = run("import", "caso.json", "--file", "nuevo.toml").stderr
    assert "Se creó nuevo.toml a partir de caso.json: 1 hecho, 1 solicitud, 6 firmantes, 1 preocupación." in restored


def test_check_asks_whether_a_bare_acronym_recipient_takes_an_article(caso: Path, run: Run) -> None:
    run("add-demand", "--date", "2017-03", "--to", "SFP", "--subject", "Pronunciarse", "--by", "fundar")
    run("add-demand", "--date", "2017-04", "--to", "la PGR", "--subject", "Investigar", "--by", "fundar")
    shown = run("check").stdout
    assert (
        "info: [recipient-acronym] 2017-03-pronunciarse: El destinatario «SFP» es una sigla sin artículo, y la carta "
        "la pone tras una preposición («se envió a SFP»)."
    ) in shown
    assert '`casefile edit 2017-03-pronunciarse --to "... SFP"`.' in shown
    assert "«la PGR»" not in shown and "2017-04-investigar:" not in shown


def test_verify_counts_the_evidence_files_in_spanish_words(caso: Path, run: Run, isolated: Path) -> None:
    (isolated / "informe.pdf").write_bytes(b"%PDF-1.4 informe")
    run("attach", "2017-02-11", "informe.pdf")
    said = run("verify").stderr
    assert said == "1 archivo comprobado, 0 ausentes, alterados o fuera de la carpeta de pruebas.\n"


def test_edit_help_says_to_type_the_recipient_with_its_article_the_fix_check_gives(
    run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "es_MX.UTF-8")
    shown = " ".join(run("edit", "--help").stdout.split())
    assert "--to <texto> A quién se envió la solicitud, como la nombra una frase: con su artículo" in shown
    assert "--private-note <texto> Una nota privada: nunca se exporta; - la lee de la entrada estándar" in shown
    assert "--lead / --no-lead" in shown and "Este firmante encabeza la presentación." in shown
    assert "- lo lee de la entrada estándar. " not in shown.replace("; - lo lee", "")


def test_zsh_completion_describes_a_demand_as_list_does(caso: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.test_concurrency import child_env

    env = child_env(tmp_path) | {
        "_CASEFILE_COMPLETE": "complete_zsh",
        "_TYPER_COMPLETE_ARGS": "casefile respond 2017",
        "LANG": "es_MX.UTF-8",
    }
    script = "import sys; sys.argv[0] = 'casefile'; from casefile.cli import app; app(prog_name='casefile')"
    done = subprocess.run(
        [sys.executable, "-c", script], check=True, env=env, cwd=caso.parent, capture_output=True, text=True
    )
    assert '"al Secretariado Técnico Tripartita' in done.stdout, done  # the description, as list gives it
    assert "a el " not in done.stdout
