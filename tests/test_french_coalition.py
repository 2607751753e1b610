"""A coalition of Côte d'Ivoire writes its case in French, as its coordinator types it at the
command line, and the letter and messages are read as a careful French translator reads them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Run

LETTER_DATE = "2025-06-15"


def french_case(run: Run) -> None:
    """The case as a French-speaking coordinator builds it: apostrophes typed both ways."""
    run("init", "--title", "Financement des associations", "--country", "Côte d’Ivoire", "--language", "fr")
    run("edit-case", "--ogp-joined", "2015", "--filer-category", "involved-entity")
    run("add-signatory", "--name", "Ligue ivoirienne des droits de l'homme", "--short-name", "LIDHO", "--country", "CI")
    run("edit", "lidho", "--article", "la", "--lead")
    run("add-signatory", "--name", "Observatoire ivoirien des droits de l’homme", "--short-name", "OIDH")
    run("edit", "oidh", "--article", "le")
    run("add-signatory", "--name", "Hermine Ouattara", "--kind", "individual")
    run("add-signatory", "--name", "Éric Yapo", "--kind", "individual")
    run(
        "add-concern",
        "--title",
        "Une loi qui restreint le financement étranger des associations",
        "--category",
        "civic-space",
        "--breaches",
        "Déclaration pour un gouvernement ouvert : soutenir la participation civique",
    )
    run(
        "add-event",
        "--date",
        "2023",
        "--title",
        "Le gouvernement annonce une réforme du régime des associations",
        "--source",
        "https://www.gouv.ci/actualite/reforme-associations",
        "--concern",
        "loi",
        "--actor",
        "le ministère de l'Intérieur et de la Sécurité",
    )
    run(
        "add-event",
        "--date",
        "2024-06-01",
        "--title",
        "L’Assemblée nationale adopte la loi n° 2024-512",
        "--source",
        "https://www.assemblee-nationale.ci/loi-2024-512",
        "--concern",
        "loi",
        "--actor",
        "l'Assemblée nationale",
        "--actor",
        "la commission des lois",
    )
    run(
        "add-demand",
        "--date",
        "2024-02-01",
        "--to",
        "le ministère de l'Économie et des Finances",
        "--subject",
        "Communiquer la liste des subventions versées aux associations",
        "--by",
        "lidho",
        "--channel",
        "courrier",
    )
    run(
        "add-demand",
        "--date",
        "2025-01-20",
        "--to",
        "l’Autorité de régulation des télécommunications",
        "--subject",
        "Enquêter sur l'usage du logiciel espion",
        "--by",
        "oidh",
        "--by",
        "hermine",
        "--by",
        "eric",
    )
    run("record-reminder", "2024-02-01", "--date", "2024-05-02")
    run("set-letter-date", LETTER_DATE)


@pytest.fixture
def letter(run: Run, isolated: Path) -> str:
    french_case(run)
    return str(run("draft-complaint").stdout)


def test_one_public_body_involved_is_spoken_of_in_the_singular(letter: str) -> None:
    assert "Organisme public impliqué\u00a0: le ministère de l'Intérieur et de la Sécurité." in letter
    assert "Organismes publics impliqués\u00a0: l'Assemblée nationale\u00a0; la commission des lois." in letter
    assert "Organismes publics impliqués\u00a0: le ministère" not in letter


def test_a_reminder_sent_once_is_one_reminder_sent_on_its_day(run: Run, isolated: Path) -> None:
    french_case(run)
    reminder = run("draft-reminder", "2024-02-01", "--as-of", LETTER_DATE).stdout
    assert "Un rappel a déjà été envoyé le 2 mai 2024." in reminder
    run("record-reminder", "2024-02-01", "--date", "2024-09")
    reminder = run("draft-reminder", "2024-02-01", "--as-of", LETTER_DATE).stdout
    assert "Des rappels ont déjà été envoyés le 2 mai 2024 et en septembre 2024." in reminder


def test_a_first_name_with_a_mute_h_is_elided(letter: str) -> None:
    assert "une demande de l'OIDH, d'Hermine Ouattara et d'Éric Yapo a été adressée" in letter


def test_the_list_and_the_timeline_table_contract_the_recipient_in_french(
    run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    french_case(run)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    listed = run("list", "demands", "--as-of", LETTER_DATE).stdout
    assert "\tau ministère de l'Économie et des Finances\u00a0: Communiquer la liste" in listed
    assert "à le ministère" not in listed
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "250")
    table = run("timeline", "--as-of", LETTER_DATE).stdout
    assert "Demande au ministère de l'Économie et des Finances\u00a0: Communiquer" in table
    assert "Demand to" not in table
    monkeypatch.delenv("FORCE_COLOR")
    piped = run("timeline", "--as-of", LETTER_DATE).stdout
    assert "\tDemand to le ministère de l'Économie et des Finances: Communiquer" in piped  # scripts read these


def test_ids_leave_out_what_an_apostrophe_leaves_of_an_elided_word(run: Run, isolated: Path) -> None:
    run("init", "--title", "Accès à l'information", "--country", "CI", "--language", "fr")
    concern = run(
        "add-concern",
        "--title",
        "Des demandes d'accès à l'information restées sans réponse",
        "--category",
        "access-to-information",
    ).stdout.strip()
    assert concern == "demandes-acces-information-restees"
    event = run("add-event", "--date", "2024-06-01", "--title", "L’Assemblée nationale adopte la loi").stdout.strip()
    assert event == "2024-06-01-assemblee-nationale-adopte-loi"


def test_check_names_every_unarchived_source_and_counts_as_french_does(
    run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    french_case(run)
    run(
        "add-event",
        "--date",
        "2025-01-10",
        "--title",
        "Un rapport révèle l'usage d'un logiciel espion contre des militants",
        "--source",
        "https://citizenlab.ca/2025/01/cote-divoire-spyware/",
        "--source",
        "https://www.rfi.fr/fr/afrique/20250110-cote-ivoire-logiciel-espion",
        "--concern",
        "loi",
    )
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    checked = run("check")
    assert (
        "2 sources web n'ont pas de copie archivée (https://citizenlab.ca/2025/01/cote-divoire-spyware/, "
        "https://www.rfi.fr/fr/afrique/20250110-cote-ivoire-logiciel-espion). Enregistrez chaque page"
    ) in checked.stdout
    assert (
        "Une source web n'a pas de copie archivée (https://www.gouv.ci/actualite/reforme-associations)."
        in checked.stdout
    )
    assert "source(s)" not in checked.stdout
    assert checked.stderr.endswith("0 erreur, 3 avertissements. La lettre peut être rédigée.\n")
    # The letter is ready, not the "préparation": "Préparation : prête : 0 erreur" read oddly.
    assert "Préparation\u00a0: la lettre est prête (0 erreur, 3 avertissements, casefile check)" in run("status").stdout


def test_a_demands_subject_is_quoted_after_the_colon(run: Run, isolated: Path) -> None:
    # A coordinator types the subject as an infinitive with its capital ("Communiquer..."): after
    # a colon in the middle of a sentence, French quotes it rather than start a sentence there.
    french_case(run)
    letter = run("draft-complaint").stdout
    assert (
        "Le 1er février 2024, une demande de la LIDHO a été adressée au ministère de l'Économie et des Finances "
        "par voie postale, ayant pour objet\u00a0: «\u00a0Communiquer la liste des subventions versées aux "
        "associations\u00a0»."
    ) in letter
    assert "portant sur" not in letter
    reminder = run("draft-reminder", "2024-02-01", "--as-of", LETTER_DATE).stdout
    quoted = "«\u00a0Communiquer la liste des subventions versées aux associations\u00a0»."
    assert f"ayant pour objet\u00a0: {quoted}" in reminder


def test_check_asks_for_the_article_of_an_action_plan_typed_without_one(
    run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    french_case(run)
    run("edit-case", "--action-plan", "deuxième plan d’action national 2020-2022")
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    fix = '`casefile edit-case --action-plan "le deuxième plan d’action national 2020-2022"`'
    assert (
        "avertissement\u00a0: [action-plan-article] Le plan d'action «\u00a0deuxième plan d’action national "
        "2020-2022\u00a0» est écrit sans son article"
    ) in run("check").stdout
    assert fix in run("check").stdout
    run("edit-case", "--action-plan", "le deuxième plan d’action national 2020-2022")
    assert "action-plan-article" not in run("check").stdout
    assert "apparues pendant le deuxième plan d’action national 2020-2022." in run("draft-complaint").stdout


def test_the_country_is_written_with_the_letters_own_apostrophe(letter: str) -> None:
    # CLDR writes "Côte d’Ivoire"; the letter's own words write "l'OGP", "d'agir".
    assert "à l'égard du Gouvernement de la Côte d'Ivoire." in letter
    assert "## Démarches entreprises en Côte d'Ivoire" in letter
    assert "**Ligue ivoirienne des droits de l'homme** (Côte d'Ivoire)" in letter
    assert "Côte d’Ivoire" not in letter


def test_messages_write_the_letters_date_the_french_way(
    run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    french_case(run)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    assert run("set-letter-date", "2025-06-01").stderr == "La lettre est datée du 1er juin 2025.\n"
    signed = run("sign-off", "lidho", "--date", "2025-06-02").stderr
    assert signed == "lidho a approuvé la lettre en français datée du 1er juin 2025.\n"
    status = run("status").stdout
    assert "Lettre\u00a0: datée du 1er juin 2025\u00a0;" in status
    assert "  lidho             a approuvé le 2 juin 2025 (fr, sha256:" in status


def test_the_chronology_quotes_a_demands_subject_as_the_letter_does(letter: str) -> None:
    assert (
        "- **1er février 2024**\u00a0: Demande adressée au ministère de l'Économie et des Finances\u00a0: "
        "«\u00a0Communiquer la liste des subventions versées aux associations\u00a0»\n"
    ) in letter


def test_a_response_dated_before_its_demand_was_sent_is_refused(
    run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The letter said "Le ministère a répondu le 1er juillet 2024" of a demand sent in August 2024.
    french_case(run)
    run("add-demand", "--date", "2024-08", "--to", "le ministère de l'Intérieur", "--subject", "Publier les critères")
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    refused = run("respond", "2024-08", "--date", "2024-07-01", "--status", "answered", code=2).stderr
    assert refused == (
        "casefile\u00a0: erreur\u00a0: la réponse porte la date 2024-07-01, antérieure à l'envoi de la demande "
        "2024-08-publier-criteres (2024-08). Vérifiez les deux dates\u00a0: "
        "`casefile edit 2024-08-publier-criteres --date AAAA-MM-JJ` corrige celle de la demande.\n"
    )
    assert "a répondu" not in run("draft-complaint").stdout.split("Publier les critères")[1]
    run("respond", "2024-08", "--date", "2024-08-01", "--status", "answered")  # the same month: it may be later
    run("respond", "2024-08", "--date", "2024-07~", "--status", "partial")  # approximate: it may be right


def test_check_writes_days_the_french_way_and_json_keeps_them_iso(
    run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    french_case(run)
    run("sign-off", "lidho", "--date", "2025-06-02")
    run("add-event", "--date", "2025-06", "--title", "Une militante est convoquée", "--source", "https://rfi.fr/x")
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    for _ in range(2):  # the second from the cache
        checked = run("check", code=1).stdout
        assert "a approuvé un texte antérieur de la lettre le 2 juin 2025." in checked
        assert "qui peut tomber avant ou après la date de la lettre (15 juin 2025)" in checked
    assert "earlier text of the letter on 2025-06-02." in run("check", "--json", code=1).stdout


def test_draft_reminder_says_how_to_record_it_in_french(
    run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    french_case(run)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    said = run("draft-reminder", "2024-02-01", "--as-of", LETTER_DATE).stderr
    assert said.endswith(
        "Une fois le rappel envoyé, enregistrez-le\u00a0: casefile record-reminder "
        "2024-02-01-communiquer-liste-subventions-versees --date AAAA-MM-JJ --channel courrier\n"
    )
    # The command as written works, with the way the demand went ("courrier").
    run("record-reminder", "2024-02-01", "--date", "2025-06-16", "--channel", "courrier")


def test_the_timeline_picture_reads_as_french(run: Run, isolated: Path) -> None:
    french_case(run)
    run("respond", "2025-01-20", "--date", "2025-04-02", "--status", "answered")
    svg = run("export", "--format", "svg").stdout
    assert '<title id="timeline-title">Chronologie du dossier\u00a0: Financement des associations</title>' in svg
    assert (
        "l’Autorité de régulation des télécommunications\u00a0: Enquêter sur l&#x27;usage du logiciel espion "
        "(réponse reçue)" in svg
    )
    assert "répondue" not in svg
    assert "lettre 15 juin 2025" in svg and "sans réponse au 15 juin 2025" in svg


def test_the_timelinejs_export_joins_and_capitalises_as_the_letter_does(run: Run, isolated: Path) -> None:
    import json

    french_case(run)
    run("respond", "2025-01-20", "--date", "2025-04-02", "--status", "answered")
    slides = json.loads(run("export", "--format", "timeline").stdout)["events"]
    said = {slide["unique_id"]: slide["text"] for slide in slides}
    headline = said["2024-02-01-communiquer-liste-subventions-versees"]["headline"]
    assert headline.startswith("Demande adressée au ministère de l&#x27;Économie et des Finances")
    answered = said["2025-01-20-enqueter-usage-logiciel-espion"]["text"]
    assert "L’Autorité de régulation des télécommunications a répondu le 2 avril 2025." in answered


def test_the_letter_says_a_demand_left_unanswered_was_recalled(run: Run, isolated: Path) -> None:
    french_case(run)
    letter = run("draft-complaint").stdout
    assert (
        "Aucune réponse n'a été reçue\u00a0: 500 jours se sont écoulés au 15 juin 2025. "
        "Un rappel a été envoyé le 2 mai 2024.\n"
    ) in letter
    run("record-reminder", "2024-02-01", "--date", "2024-09")
    run("record-reminder", "2024-02-01", "--date", "2025-07-01")  # after the letter's date: left out
    letter = run("draft-complaint").stdout
    assert (
        "500 jours se sont écoulés au 15 juin 2025. Deux rappels ont été envoyés, le dernier en septembre 2024.\n"
        in letter
    )
    english = run("draft-complaint", "--language", "en").stdout
    assert "Two reminders were sent, the last in September 2024.\n" in english
    spanish = run("draft-complaint", "--language", "es").stdout
    assert "Se enviaron dos recordatorios, el último en septiembre de 2024.\n" in spanish


def test_filing_and_its_stages_are_told_in_french(run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    french_case(run)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    filed = run("record-filing", "--date", "2025-06-16").stderr
    assert filed.startswith("Déposée le 16 juin 2025 par courriel à info@opengovpartnership.org.")
    assert run("record-stage", "acknowledged", "--date", "2025-06-20").stderr == (
        "Enregistré\u00a0: accusé de réception le 20 juin 2025.\n"
    )
    run("record-stage", "eligible", "--date", "2025-07-01")
    status = run("status", "--as-of", "2025-09-01").stdout
    assert "Dépôt\u00a0: 16 juin 2025 par courriel à info@opengovpartnership.org" in status
    assert "  20 juin 2025  accusé de réception\n  1er juillet 2025  déclaration de recevabilité\n" in status
    assert "Prochaine étape attendue\u00a0: réponse du Gouvernement vers le " in status
    assert "depuis l'étape «\u00a0déclaration de recevabilité\u00a0»\u00a0; une observation" in status
    assert "depuis le dépôt\u00a0; une observation, pas une règle de l'OGP" in status
    assert "filing" not in status and "email" not in status
    assert not any(stage in status for stage in ("acknowledged", "eligible", "government-response", "2025-"))


def test_check_reports_a_response_dated_before_its_demand_whatever_moved_it(
    run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`respond` refuses such a date, but the demand's date can be edited later, or the file by hand:
    the letter would then say the ministry answered before it was asked."""
    french_case(run)
    run("respond", "2024-02-01", "--date", "2024-03-10", "--status", "partial")
    assert "answered-before-asked" not in run("check").stdout
    run("edit", "2024-02-01", "--date", "2024-04-02")  # the demand was in fact sent later
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    checked = run("check", code=1)
    assert (
        "erreur\u00a0: [answered-before-asked] 2024-02-01-communiquer-liste-subventions-versees\u00a0: "
        "Une réponse porte "
        "la date 10 mars 2024, antérieure à l'envoi de la demande (2 avril 2024)"
    ) in checked.stdout
    run("edit", "2024-02-01", "--date", "2024-04~")  # approximate: it may be right
    assert "answered-before-asked" not in run("check").stdout


def test_status_says_what_is_overdue_in_french(run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """It said "demand 2024-02-01-…: échéance 1er mars 2024 (le ministère…: …)" and "recommendation … ()"."""
    french_case(run)
    run("edit", "2024-02-01", "--deadline", "2024-03-01")
    run("record-filing", "--date", "2025-06-16")
    run("record-stage", "recommendation", "--date", "2025-07-01", "--deadline", "2025-08-01")
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    status = run("status", "--as-of", "2025-09-01").stdout
    assert (
        "  demande 2024-02-01-communiquer-liste-subventions-versees\u00a0: échéance 1er mars 2024 "
        "(au ministère de l'Économie et des Finances\u00a0: Communiquer la liste des subventions versées "
        "aux associations)\n"
    ) in status
    assert "  recommandation recommendation-1\u00a0: échéance 1er août 2025\n" in status
