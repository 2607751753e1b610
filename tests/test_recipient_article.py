"""A demand's recipient as the letter names it: "sent to the Ministry", "se envió al Ministerio",
"adressée au ministère". The name is written as the user typed it, so `check` asks for the article
a public body's name lacks, and the letter contracts and capitalises it where it joins a sentence.
"""

from __future__ import annotations

import pytest

from casefile.letter.grammar import missing_article
from tests.conftest import Run


@pytest.mark.parametrize(
    ("language", "name", "article"),
    [
        ("en", "Ministry of Health", "the"),
        ("en", "Tripartite Technical Secretariat (SFP and INAI)", "the"),
        ("en", "the Ministry of Health", None),
        ("en", "Daniel Ortega", None),
        ("en", "Fundar, Centro de Análisis e Investigación", None),
        ("es", "Secretaría de Gobernación", "la"),
        ("es", "Ministerio del Interior", "el"),
        ("es", "Primera Sala de la Corte", ""),  # a body, but which article is the user's to say
        ("es", "la Fiscalía General", None),
        ("es", "Artículo 19", None),
        ("fr", "Assemblée nationale", "l'"),
        ("fr", "ministère de l'Intérieur", "le"),
        ("fr", "Commission nationale", "la"),
        ("fr", "l'Assemblée nationale", None),
        ("fr", "CENIDH", None),
    ],
)
def test_a_public_body_named_without_its_article(language: str, name: str, article: str | None) -> None:
    assert missing_article(language, name) == article


def _case(run: Run, language: str, to: str) -> str:
    run("init", "--title", "Ley", "--country", "Nicaragua", "--language", language, "--ogp-joined", "2012")
    run("add-signatory", "--name", "Centro Nicaragüense de Derechos Humanos", "--short-name", "CENIDH", "--lead")
    demand: str = run("add-demand", "--date", "2022-04-05", "--to", to, "--subject", "X", "--by", "cenidh").stdout
    return demand.strip()


@pytest.mark.parametrize(
    ("language", "to", "fixed", "sentence", "answer"),
    [
        (
            "es",
            "Ministerio del Interior",
            "el Ministerio del Interior",
            "se envió al Ministerio del Interior",
            "El Ministerio del Interior respondió el 3 de mayo de 2022.",
        ),
        (
            "es",
            "Secretaría de Gobernación",
            "la Secretaría de Gobernación",
            "se envió a la Secretaría de Gobernación",
            "La Secretaría de Gobernación respondió el 3 de mayo de 2022.",
        ),
        (
            "fr",
            "ministère de l'Intérieur",
            "le ministère de l'Intérieur",
            "a été adressée au ministère de l'Intérieur",
            "Le ministère de l'Intérieur a répondu le 3 mai 2022.",
        ),
        (
            "fr",
            "Assemblée nationale",
            "l'Assemblée nationale",
            "a été adressée à l'Assemblée nationale",
            "L'Assemblée nationale a répondu le 3 mai 2022.",
        ),
        (
            "en",
            "Ministry of the Interior",
            "the Ministry of the Interior",
            "was sent to the Ministry of the Interior",
            "The Ministry of the Interior answered on 3 May 2022.",
        ),
    ],
)
def test_check_asks_for_the_article_and_the_letter_joins_it(
    run: Run, language: str, to: str, fixed: str, sentence: str, answer: str
) -> None:
    demand = _case(run, language, to)
    found = run("check", "--json").stdout
    assert "recipient-article" in found
    assert f'casefile edit {demand} --to \\"{fixed}\\"' in found

    run("edit", demand, "--to", fixed)
    assert "recipient-article" not in run("check", "--json").stdout
    run("respond", demand, "--date", "2022-05-03", "--status", "answered")
    letter = run("draft-complaint", "--as-of", "2022-06-01").stdout
    assert sentence in letter
    assert answer in letter


def test_a_person_or_organisation_is_never_asked_for_an_article(run: Run) -> None:
    _case(run, "es", "Daniel Ortega")
    run("add-demand", "--date", "2022-05-01", "--to", "Artículo 19", "--subject", "Y")
    assert "recipient-article" not in run("check", "--json").stdout


def test_a_letter_in_another_language_asks_for_the_translation(run: Run) -> None:
    demand = _case(run, "en", "the Ministry of Health")
    run("translate", demand, "--language", "fr", "--to", "ministère de la Santé")
    assert "recipient-article" not in run("check", "--json").stdout
    found = run("check", "--json", "--language", "fr").stdout
    assert f'casefile translate {demand} --language fr --to \\"le ministère de la Santé\\"' in found


def test_the_finding_is_said_in_the_users_language(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    _case(run, "es", "Secretaría de Gobernación")
    monkeypatch.setenv("LANG", "es_MX.UTF-8")
    said = run("check").stdout + run("check").stderr
    assert "El destinatario «Secretaría de Gobernación» está escrito sin su artículo" in said
    assert '--to "la Secretaría de Gobernación"' in said
