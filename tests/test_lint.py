"""The grammar lint: quiet on every golden letter and the demo, loud on the joins it is for."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from casefile.case.demo import demo_case
from casefile.letter.lint import lint_letter
from casefile.letter.render import LANGUAGES, draft_letter
from casefile.storage.store import load
from tests.conftest import DATA, GOLDEN, Run

US_LETTER_DATE = datetime.date(2020, 8, 3)


@pytest.mark.parametrize("language", LANGUAGES)
def test_golden_letter_of_a_country_with_an_article(language: str, update_golden: bool) -> None:
    text = draft_letter(load(DATA / "us.toml").case, language=language, as_of=US_LETTER_DATE)
    golden = GOLDEN / "us" / f"letter.{language}.md"
    if update_golden:
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def people_and_organisations(run: Run) -> None:
    """A case a coordinator builds at the command line, signed by two organisations and two people,
    with no contact named: the golden letters in tests/golden/mixed/ show who signs in every sentence."""
    run("init", "--title", "Harassment of transparency advocates", "--country", "Honduras", "--ogp-joined", "2011")
    run("edit-case", "--filer-category", "involved-entity", "--action-plan", "the Fifth National Action Plan 2021–2023")
    run(
        "add-signatory", "--name", "Asociación para una Sociedad más Justa", "--short-name", "ASJ",
        "--country", "Honduras", "--lead", "--representative", "Carlos Hernández", "--representative-title", "Director",
    )  # fmt: skip
    run("add-signatory", "--name", "Red de Transparencia Hondureña", "--kind", "network", "--country", "Honduras")
    run("add-signatory", "--name", "Inés Castro", "--kind", "individual", "--email", "ines@example.org")
    run("add-signatory", "--name", "Héctor Pineda", "--kind", "individual", "--country", "Honduras")
    concern = run(
        "add-concern", "--title", "Smear campaign against members of the OGP forum", "--category", "civic-space",
        "--summary", "Officials accused civil society members of the multi-stakeholder forum of working against "
        "the country.", "--breaches", "Open Government Declaration: support civic participation",
        "--breaches", "OGP value: civic space",
    ).stdout.strip()  # fmt: skip
    run(
        "add-event", "--date", "2022-03-14", "--title", "A minister calls forum members traitors on television",
        "--concern", concern, "--source", "https://news.example.org/2022/03/14/minister",
        "--source", "https://news.example.org/2022/03/15/reaction", "--source", "https://archive.example.org/transcript",
        "--actor", "Ministry of Transparency", "--public-affected", "Inés Castro:a member of the OGP forum",
    )  # fmt: skip
    run(
        "add-event", "--date", "2022-04", "--title", "Forum members receive anonymous threats", "--concern", concern,
        "--source", "https://news.example.org/2022/04/threats", "--source", "https://rights.example.org/alert",
        "--affected", "Ana Ruiz:a journalist",
    )  # fmt: skip
    everyone = [option for signatory in ("asj", "red-de-transparencia-hondurena", "ines-castro", "hector-pineda")
                for option in ("--by", signatory)]  # fmt: skip
    run("add-demand", "--date", "2022-03-21", "--to", "the Ministry of Transparency", "--subject",
        "a public retraction", "--channel", "letter", *everyone)  # fmt: skip
    demand = run("add-demand", "--date", "2022-04-20", "--to", "the Public Prosecutor", "--subject",
        "an investigation of the threats", "--by", "asj", "--by", "ines-castro")  # fmt: skip
    run("respond", demand.stdout.strip(), "--date", "2022-05-10", "--status", "refused")


@pytest.mark.parametrize("language", LANGUAGES)
def test_golden_letter_of_organisations_and_people_with_no_contact(
    run: Run, language: str, update_golden: bool
) -> None:
    people_and_organisations(run)
    text = run("draft-complaint", "--language", language, "--as-of", "2022-09-01").stdout
    golden = GOLDEN / "mixed" / f"letter.{language}.md"
    if update_golden:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def golden_letters() -> list[Path]:
    return sorted(GOLDEN.rglob("letter.*.md"))


@pytest.mark.parametrize("path", golden_letters(), ids=lambda path: str(path.relative_to(GOLDEN)))
def test_every_golden_letter_passes_the_lint(path: Path) -> None:
    language = path.name.split(".")[1]
    assert lint_letter(path.read_text(encoding="utf-8"), language) == []


def test_there_are_golden_letters_in_every_language_for_two_countries() -> None:
    assert {path.relative_to(GOLDEN).as_posix() for path in golden_letters()} >= {
        f"{folder}letter.{language}.md" for folder in ("", "us/", "mixed/") for language in LANGUAGES
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_demo_letter_passes_the_lint(language: str) -> None:
    case = demo_case()
    text = draft_letter(case, language=language, as_of=datetime.date(2018, 7, 16))
    assert lint_letter(text, language) == []


@pytest.mark.parametrize(
    ("language", "text", "rule"),
    [
        ("es", "## Antecedentes\n\nSe envió a el Secretario la solicitud.\n", "contraction"),
        ("es", "## Antecedentes\n\nLa respuesta de el Ministerio llegó tarde.\n", "contraction"),
        ("fr", "## Contexte\n\nLe Gouvernement de Israël a rejoint l'OGP.\n", "elision"),
        ("fr", "## Contexte\n\nIl a dit que il viendrait.\n", "elision"),
        ("fr", "## Contexte\n\nLa demande a été adressée par letter.\n", "english-word"),
        ("es", "## Antecedentes\n\nLa solicitud se envió por email.\n", "english-word"),
        ("es", "## Antecedentes\n\nLas autoridades de Mexico no respondieron.\n", "english-word"),
        ("es", "## Background\n\nTexto.\n", "english-word"),
        ("es", "## Antecedentes\n\nLa firman 3 organizaciones.\n", "count-in-digits"),
        ("en", "## Background\n\nIt is signed by 3 organisations.\n", "count-in-digits"),
        ("fr", "## Contexte\n\nSignée par 4 personnes.\n", "count-in-digits"),
        ("es", "## Hechos\n\n- **hacia febrero de 2020**: algo\n", "lowercase-start"),
        ("fr", "## Faits\n\nUne phrase. une autre phrase.\n", "lowercase-start"),
        ("en", "## Facts\n\n| Date | What |\n|---|---|\n| around 2016 | Something |\n", "lowercase-start"),
        ("en", "## Facts\n\nthe paragraph starts in lowercase.\n", "lowercase-start"),
    ],
)
def test_the_lint_finds(language: str, text: str, rule: str) -> None:
    hits = lint_letter(text, language)
    assert [hit.rule for hit in hits] == [rule], hits
    assert hits[0].line >= 1 and hits[0].column >= 1


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("es", "## Antecedentes\n\nEl Gobierno de El Salvador respondió al Secretario del Ministerio.\n"),
        ("fr", "## Contexte\n\nLe Gouvernement d'Israël, de la Hongrie et du Mexique ; au nom de huit membres.\n"),
        ("fr", "## Contexte\n\nPreuves : notes 1, 2.\n"),
        ("en", "## Facts\n\nAs noted, e.g. the report. It is signed by 11 organisations.\n"),
        ("fr", "## Signataires\n\n- **Centro de Investigación para el Desarrollo** (Mexique)\n"),
        ("es", "## Antecedentes\n\nVer `de el` en <https://example.org/a-el-de-el>.\n"),
    ],
)
def test_the_lint_is_quiet_on(language: str, text: str) -> None:
    assert lint_letter(text, language) == []


def test_check_language_warns_where_the_users_text_joins_badly(run: Run, case_file: Path) -> None:
    run("add-signatory", "--name", "Artículo 19", "--lead")
    run("add-event", "--date", "2017-02", "--title", "El Gobierno no respondió a el Secretario")
    result = run("check", "--language", "es", "--as-of", "2018-07-16", code=None)
    lines = [line for line in result.stdout.splitlines() if "[letter-grammar]" in line]
    assert lines, result.stdout  # the title is in its concern and in the chronology: both places
    assert all(line.startswith("warning:") and "a el Secretario" in line and "line " in line for line in lines)
    assert "[letter-grammar]" not in run("check", "--language", "en", "--as-of", "2018-07-16", code=None).stdout
