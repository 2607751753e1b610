"""Texts in more than one language: `translate`, the case file, show, the letter, check, merge, JSON."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from casefile.case.codec import decode, encode
from casefile.case.translations import localized
from casefile.exchange.jsonformat import export_json, import_json
from casefile.storage.store import load
from tests.conftest import DATA, Run

AS_OF = "2018-07-16"


@pytest.fixture
def spanish_case(run: Run, isolated: Path) -> Path:
    """A case a Spanish-speaking coordinator writes in Spanish, to send in English and French too."""
    path = isolated / "casefile.toml"
    run(
        "init",
        "--title",
        "Espionaje a defensores de la salud",
        "--country",
        "Mexico",
        "--language",
        "es",
        "-f",
        str(path),
    )
    run("add-signatory", "--name", "Artículo 19", "--lead", "--representative", "Ana Ruiz")
    run("edit", "articulo-19", "--representative-title", "Directora regional")
    run("add-signatory", "--name", "Fundar, Centro de Análisis e Investigación", "--short-name", "Fundar")
    run(
        "add-concern",
        "--title",
        "Espionaje ilegal de defensores de la salud",
        "--category",
        "fundamental-freedoms",
        "--summary",
        "Se usó software espía contra investigadores.",
        "--breaches",
        "Declaración de Gobierno Abierto: apoyar la participación cívica",
    )
    run(
        "add-event",
        "--date",
        "2017-02-11",
        "--title",
        "Citizen Lab documenta ataques con software espía",
        "--description",
        "Tres defensores de un impuesto recibieron mensajes infectados.",
        "--actor",
        "Oficinas del gobierno federal",
        "--source",
        "https://citizenlab.org/2017/02/bittersweet-nso-mexico-spyware/",
        "--concern",
        "espionaje",
    )
    run(
        "add-demand",
        "--date",
        "2017-02-16",
        "--to",
        "Secretariado Técnico Tripartito",
        "--subject",
        "una investigación exhaustiva del espionaje",
        "--by",
        "articulo",
    )
    run(
        "respond",
        "2017-02-16",
        "--date",
        "2017-03-01",
        "--status",
        "partial",
        "--summary",
        "El INAI dijo que lo revisaría.",
    )
    run(
        "edit-case",
        "--request",
        "Pedimos que se revise la conducta del Gobierno.",
        "--filer-category",
        "involved-entity",
    )
    return path


def translate_to_french(run: Run) -> None:
    run(
        "translate",
        "2017-02-11",
        "--language",
        "fr",
        "--title",
        "Citizen Lab documente des attaques par logiciel espion",
        "--description",
        "Trois défenseurs d'une taxe ont reçu des messages piégés.",
        "--actor",
        "Services du gouvernement fédéral",
    )
    run(
        "translate",
        "espionaje",
        "--language",
        "fr",
        "--title",
        "Espionnage illégal de défenseurs de la santé",
        "--summary",
        "Un logiciel espion a été utilisé contre des chercheurs.",
        "--breaches",
        "Déclaration pour un gouvernement ouvert : soutenir la participation civique",
    )
    run(
        "translate",
        "2017-02-16",
        "--language",
        "fr",
        "--to",
        "Secrétariat technique tripartite",
        "--subject",
        "une enquête approfondie sur l'espionnage",
    )
    run(
        "translate",
        "2017-02-16",
        "--response",
        "1",
        "--language",
        "fr",
        "--summary",
        "L'INAI a dit qu'il examinerait la question.",
    )
    run("translate", "articulo", "--language", "fr", "--representative-title", "Directrice régionale")
    run(
        "translate",
        "case",
        "--language",
        "fr",
        "--title",
        "Espionnage de défenseurs de la santé",
        "--request",
        "Nous demandons que la conduite du Gouvernement soit examinée.",
    )


def test_translations_are_kept_in_a_shape_people_edit_by_hand(run: Run, spanish_case: Path) -> None:
    assert run(
        "translate", "2017-02-11", "--language", "fr", "--title", "Citizen Lab documente des attaques"
    ).stdout == ("2017-02-11-citizen-lab-documenta-ataques\n")
    text = spanish_case.read_text(encoding="utf-8")
    assert '[events.translations.fr]\ntitle = "Citizen Lab documente des attaques"\n' in text
    # Edited by hand: another language, added as a table of its own.
    text = text.replace(
        "[events.translations.fr]\n",
        '[events.translations.en]\ntitle = "Citizen Lab documents spyware attacks"\n\n[events.translations.fr]\n',
    )
    spanish_case.write_text(text, encoding="utf-8")
    event = load(spanish_case).case.events[0]
    assert event.translations is not None
    assert event.translations.en is not None and event.translations.en.title == "Citizen Lab documents spyware attacks"
    assert event.translations.fr is not None and event.translations.fr.title == "Citizen Lab documente des attaques"
    # The codec gives back what it read.
    case = load(spanish_case).case
    assert decode(encode(case)) == case


def test_show_gives_the_translations(run: Run, spanish_case: Path) -> None:
    translate_to_french(run)
    shown = run("show", "2017-02-11").stdout
    assert "translations:\n  fr:\n    title: Citizen Lab documente des attaques par logiciel espion\n" in shown
    assert "    actors: Services du gouvernement fédéral" in shown
    record = json.loads(run("show", "2017-02-11", "--json").stdout)
    assert record["translations"]["fr"]["description"] == "Trois défenseurs d'une taxe ont reçu des messages piégés."
    assert record["translations"]["en"] is None
    demand = json.loads(run("show", "2017-02-16", "--json").stdout)
    assert demand["responses"][0]["translations"]["fr"]["summary"] == "L'INAI a dit qu'il examinerait la question."
    assert "summary (fr): L'INAI a dit" in run("show", "2017-02-16").stdout
    case = run("show", "case").stdout
    assert "title: Espionaje a defensores de la salud\n" in case
    assert "translations:\n  fr:\n    title: Espionnage de défenseurs de la santé\n" in case
    assert json.loads(run("show", "case", "--json").stdout)["translations"]["fr"]["request"].startswith(
        "Nous demandons"
    )


def test_the_letter_uses_the_languages_text_and_the_original_otherwise(run: Run, spanish_case: Path) -> None:
    translate_to_french(run)
    french = run("draft-complaint", "--language", "fr", "--as-of", AS_OF).stdout
    for translated in (
        "Citizen Lab documente des attaques par logiciel espion",
        "Trois défenseurs d'une taxe ont reçu des messages piégés.",
        "Services du gouvernement fédéral",
        "Espionnage illégal de défenseurs de la santé",
        "Un logiciel espion a été utilisé contre des chercheurs.",
        "soutenir la participation civique",
        "Secrétariat technique tripartite",
        "une enquête approfondie sur l'espionnage",
        "L'INAI a dit qu'il examinerait la question.",
        "Directrice régionale",
        "Nous demandons que la conduite du Gouvernement soit examinée.",
    ):
        assert translated in french, translated
    for original in ("Citizen Lab documenta", "Secretariado", "Directora", "Pedimos"):
        assert original not in french
    # No English version: the English letter gives the Spanish originals.
    english = run("draft-complaint", "--language", "en", "--as-of", AS_OF).stdout
    assert "Citizen Lab documenta ataques con software espía" in english and "Directora regional" in english
    # The Spanish letter is the original.
    spanish = run("draft-complaint", "--as-of", AS_OF).stdout
    assert "Citizen Lab documenta ataques" in spanish and "Citizen Lab documente" not in spanish


def test_a_reminder_in_a_language_uses_its_texts(run: Run, spanish_case: Path) -> None:
    run("add-demand", "--date", "2017-04-20", "--to", "Secretaría de la Función Pública", "--subject", "las actas")
    run(
        "translate",
        "2017-04-20",
        "--language",
        "fr",
        "--to",
        "ministère de la Fonction publique",
        "--subject",
        "les procès-verbaux",
    )
    reminder = run("draft-reminder", "2017-04-20", "--language", "fr", "--as-of", AS_OF).stdout
    assert "les procès-verbaux" in reminder and "ministère de la Fonction publique" in reminder
    assert "las actas" not in reminder


def test_check_language_warns_item_by_item_about_texts_without_a_version(run: Run, spanish_case: Path) -> None:
    report = json.loads(run("check", "--json", "--language", "fr", "--as-of", AS_OF).stdout)
    missing = {f["item"]: f for f in report["findings"] if f["rule"] == "missing-translation"}
    assert set(missing) == {
        "case",
        "espionaje-ilegal-defensores-salud",
        "2017-02-11-citizen-lab-documenta-ataques",
        "2017-02-16-investigacion-exhaustiva-espionaje",
        "articulo-19",
    }
    assert all(f["severity"] == "warning" for f in missing.values())
    event = missing["2017-02-11-citizen-lab-documenta-ataques"]["message"]
    assert "French" in event and "title, description, actors" in event and "casefile translate" in event
    assert "response 1" in missing["2017-02-16-investigacion-exhaustiva-espionaje"]["message"]
    translate_to_french(run)
    report = json.loads(run("check", "--json", "--language", "fr", "--as-of", AS_OF).stdout)
    assert not [f for f in report["findings"] if f["rule"] == "missing-translation"]
    # Half a translation is still reported, naming what is missing.
    run("translate", "2017-02-11", "--language", "fr", "--description", "")
    report = json.loads(run("check", "--json", "--language", "fr", "--as-of", AS_OF).stdout)
    [finding] = [f for f in report["findings"] if f["rule"] == "missing-translation"]
    assert finding["item"] == "2017-02-11-citizen-lab-documenta-ataques" and ": description" in finding["message"]
    # The case's own language needs no translation; without --language, nothing is said.
    for options in ((), ("--language", "es")):
        report = json.loads(run("check", "--json", "--as-of", AS_OF, *options).stdout)
        assert not [f for f in report["findings"] if f["rule"] == "missing-translation"]


def test_translate_refuses_what_does_not_fit(run: Run, spanish_case: Path) -> None:
    message = run("translate", "2017-02-11", "--language", "fr", "--subject", "x", code=2).stderr
    assert "--subject does not apply to an event" in message and "--title" in message
    assert "written in Spanish" in run("translate", "2017-02-11", "--language", "es", "--title", "x", code=2).stderr
    assert "at least one text" in run("translate", "2017-02-11", "--language", "fr", code=2).stderr
    assert (
        "has 1 response"
        in run("translate", "2017-02-16", "--response", "2", "--language", "fr", "--summary", "x", code=2).stderr
    )
    assert (
        "--response applies to a demand"
        in run("translate", "2017-02-11", "--response", "1", "--language", "fr", "--summary", "x", code=2).stderr
    )
    for result in (run("translate", "nothing", "--language", "fr", "--title", "x", code=2),):
        assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1


def test_remove_and_empty_texts_remove_translations(run: Run, spanish_case: Path) -> None:
    translate_to_french(run)
    run("translate", "articulo", "--language", "fr", "--remove")
    assert load(spanish_case).case.signatories[0].translations is None
    run("translate", "2017-02-11", "--language", "en", "--title", "Citizen Lab documents spyware attacks")
    run("translate", "2017-02-11", "--language", "fr", "--remove")
    event = load(spanish_case).case.events[0]
    assert event.translations is not None and event.translations.fr is None and event.translations.en is not None
    run("translate", "2017-02-11", "--language", "en", "--title", "")
    assert load(spanish_case).case.events[0].translations is None
    assert "translations" not in spanish_case.read_text(encoding="utf-8").split("[[events]]")[1].split("[[demands]]")[0]


def test_translations_survive_json_export_and_import(run: Run, spanish_case: Path) -> None:
    translate_to_french(run)
    case = load(spanish_case).case
    exported = export_json(case, includes_private=True, redacted=False)
    assert json.loads(exported)["events"][0]["translations"]["fr"]["actors"] == ["Services du gouvernement fédéral"]
    assert import_json(exported, source="case.json").case == case
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(run("export", "--format", "json-schema").stdout)
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(json.loads(exported)))
    assert not errors, errors[0]
    # The timeline in French gives the French texts too.
    timeline = run("export", "--format", "timeline", "--language", "fr").stdout
    assert "Citizen Lab documente des attaques" in timeline and "Citizen Lab documenta" not in timeline


def test_a_redacted_letter_does_not_name_an_individual_in_any_language(run: Run, spanish_case: Path) -> None:
    run("add-signatory", "--name", "Luis Hernández", "--kind", "individual")
    run("translate", "luis", "--language", "fr", "--name", "Louis Hernandez")
    letter = run("draft-complaint", "--language", "fr", "--redact", "--as-of", AS_OF).stdout
    assert "Louis" not in letter and "Luis" not in letter


def test_localized_keeps_untranslated_items_as_they_are() -> None:
    case = load(DATA / "fixture.toml").case  # only its demands' recipients have a French version
    french = localized(case, "fr")
    assert (french.events, french.concerns, french.signatories) == (case.events, case.concerns, case.signatories)
    assert all(new is old for new, old in zip(french.events, case.events, strict=True))
    assert french.demands[0].to == "le Secrétariat technique tripartite (SFP et INAI)"
    untranslated = dataclasses.replace(
        case, demands=tuple(dataclasses.replace(demand, translations=None) for demand in case.demands)
    )
    assert localized(untranslated, "fr") is untranslated


def git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True, text=True).stdout


def test_the_merge_driver_merges_translations_field_by_field(run: Run, spanish_case: Path, isolated: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    git(isolated, "init", "-q", "-b", "main")
    git(isolated, "config", "user.email", "t@example.org")
    git(isolated, "config", "user.name", "T")
    run("git-setup")
    run("translate", "2017-02-11", "--language", "fr", "--title", "Titre")
    git(isolated, "add", "-A")
    git(isolated, "commit", "-q", "-m", "base")
    git(isolated, "checkout", "-q", "-b", "other")
    run("translate", "2017-02-11", "--language", "fr", "--description", "Description en français")
    git(isolated, "commit", "-q", "-am", "fr description")
    git(isolated, "checkout", "-q", "main")
    run("translate", "2017-02-11", "--language", "en", "--title", "Title")
    run("translate", "2017-02-11", "--language", "fr", "--title", "Titre corrigé")
    git(isolated, "commit", "-q", "-am", "en title")
    git(isolated, "merge", "-q", "--no-edit", "other")
    translations = load(spanish_case).case.events[0].translations
    assert translations is not None and translations.fr is not None and translations.en is not None
    assert (translations.fr.title, translations.fr.description) == ("Titre corrigé", "Description en français")
    assert translations.en.title == "Title"


def test_exports_name_the_letter_in_its_language(run: Run, isolated: Path) -> None:
    """A Spanish DOCX is titled in Spanish, and the French page's title and timeline figure are French."""
    import re
    import zipfile

    run("demo")
    case_file = str(isolated / "casefile-demo" / "casefile.toml")
    docx = isolated / "letter.es.docx"
    run("export", "--format", "docx", "--language", "es", "-o", str(docx), "-f", case_file)
    core = zipfile.ZipFile(docx).read("docProps/core.xml").decode()
    assert "<dc:title>Vigilancia ilegal de participantes de OGP en México</dc:title>" in core
    page = run("export", "--format", "html", "--language", "fr", "-f", case_file).stdout
    titles = re.findall(r"<title>([^<]*)</title>", page)
    assert titles[0] == "Surveillance illégale de participants à l&#x27;OGP au Mexique"
    assert any("Des journalistes et d&#x27;autres organisations" in title for title in titles)
    assert not any("Journalists and other organisations" in title for title in titles)
