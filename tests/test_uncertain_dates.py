"""Uncertain dates and ranges as a translator writes them in the letter: "probablemente en 2016",
"vers mars 2019", and a demand sent sometime in a range "entre marzo y mayo de 2019", never a
"(fecha incierta)" put after the date; and the sentence of a response's summary ends with its stop.
"""

from __future__ import annotations

import pytest

from tests.conftest import Run

_TO = {"en": "the Ministry of the Interior", "es": "el Ministerio del Interior", "fr": "le ministère de l'Intérieur"}


def _case(run: Run, language: str) -> None:
    run("init", "--title", "Ley", "--country", "Nicaragua", "--language", language, "--ogp-joined", "2012")
    run("add-signatory", "--name", "Centro Nicaragüense de Derechos Humanos", "--short-name", "CENIDH", "--lead")
    run("add-event", "--date", "2016?", "--title", "T1", "--source", "https://example.org/1")
    run("add-event", "--date", "2019-03~", "--title", "T2", "--source", "https://example.org/2")
    run("add-demand", "--date", "2017-02?", "--to", _TO[language], "--subject", "X", "--by", "cenidh")
    run("add-demand", "--date", "2019-03/2019-05", "--to", _TO[language], "--subject", "Y", "--by", "cenidh")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "es",
            [
                "- **Probablemente en 2016**: T1",
                "- **Hacia marzo de 2019**: T2",
                "- Probablemente en febrero de 2017, se envió al Ministerio del Interior una solicitud del CENIDH",
                "- Entre marzo y mayo de 2019, se envió al Ministerio del Interior una solicitud del CENIDH",
                "- **Probablemente en febrero de 2017**: Solicitud al Ministerio del Interior: X",
            ],
        ),
        (
            "fr",
            [
                "- **Probablement en 2016** : T1",
                "- **Vers mars 2019** : T2",
                "- Probablement en février 2017, une demande du CENIDH a été adressée au ministère de l'Intérieur",
                "- Entre mars et mai 2019, une demande du CENIDH a été adressée au ministère de l'Intérieur",
            ],
        ),
        (
            "en",
            [
                "- **Probably in 2016**: T1",
                "- **Around March 2019**: T2",
                "- Probably in February 2017, a demand from the CENIDH was sent to the Ministry of the Interior",
                "- Between March and May 2019, a demand from the CENIDH was sent to the Ministry of the Interior",
            ],
        ),
    ],
)
def test_uncertain_dates_and_ranges_read_as_a_translator_writes_them(
    run: Run, language: str, expected: list[str]
) -> None:
    _case(run, language)
    article = {"en": "the", "es": "el", "fr": "le"}[language]
    run("edit", "cenidh", "--article", article)
    letter = run("draft-complaint", "--as-of", "2020-01-10").stdout.replace("\u00a0", " ")
    for line in expected:
        assert line in letter
    assert "incierta" not in letter and "incertaine" not in letter and "(uncertain)" not in letter


def test_a_reminder_of_a_demand_sent_in_a_range_says_between(run: Run) -> None:
    _case(run, "es")
    reminder = run("draft-reminder", "2019-03", "--as-of", "2020-01-10").stdout
    assert "Entre marzo y mayo de 2019, se les envió una solicitud en nombre de CENIDH" in reminder


@pytest.mark.parametrize(
    ("language", "summary", "said"),
    [
        ("es", "Dijeron que lo estudiarían", "En sustancia: Dijeron que lo estudiarían.\n"),
        ("fr", "Ils étudieront", "En substance : Ils étudieront.\n"),
        ("en", "They will look into it.", "In substance: They will look into it.\n"),
    ],
)
def test_a_response_summary_ends_its_sentence(run: Run, language: str, summary: str, said: str) -> None:
    """It ended the line without a stop when the user typed none ("En sustancia: Dijeron que lo estudiarían")."""
    _case(run, language)
    run("respond", "2019-03", "--date", "2019-06-01", "--status", "partial", "--summary", summary)
    letter = run("draft-complaint", "--as-of", "2020-01-10").stdout.replace("\u00a0", " ")
    assert said in letter
