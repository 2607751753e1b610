"""A deadline the coalition is not sure of ("2024-10?") is said as a probable deadline: "although one
was requested, probably by October 2024", "(plazo probable: octubre de 2024)", "(échéance probable :
octobre 2024)"; it said "requested by probably in October 2024", "(plazo: probablemente en…)".
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import Run

_TO = {"en": "the National Treasury", "es": "el Tesoro Nacional", "fr": "le Trésor national"}


def _case(run: Run, language: str, deadline: str, date: str = "2024-09-03") -> None:
    run("init", "--title", "Ley", "--country", "Kenya", "--language", language, "--ogp-joined", "2011")
    run("add-signatory", "--name", "Mzalendo Trust", "--short-name", "Mzalendo", "--lead")
    run("add-demand", "--date", date, "--to", _TO[language], "--subject", "X", "--deadline", deadline)


def _words(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


@pytest.mark.parametrize(
    ("language", "letter", "reminder"),
    [
        (
            "en",
            "although one was requested, probably by October 2024: 73 days have passed",
            "We had asked for an answer, probably by October 2024.",
        ),
        (
            "es",
            "aunque se pidió una (plazo probable: octubre de 2024): han transcurrido 73 días",
            "Habíamos pedido una respuesta (plazo probable: octubre de 2024).",
        ),
        (
            "fr",
            "alors qu'une réponse était demandée (échéance probable : octobre 2024) : 73 jours",
            "Une réponse était demandée (échéance probable : octobre 2024).",
        ),
    ],
)
def test_a_probable_deadline_is_said_so(run: Run, language: str, letter: str, reminder: str) -> None:
    _case(run, language, "2024-10?")
    assert letter in _words(run("draft-complaint", "--as-of", "2024-11-15").stdout)
    assert reminder in _words(run("draft-reminder", "2024-09-03-x", "--as-of", "2024-11-15").stdout)


@pytest.mark.parametrize(
    ("language", "letter"),
    [
        ("en", "as of 15 November 2024, although one was requested, probably by 3 October 2024."),
        ("es", "aunque se pidió una (plazo probable: 3 de octubre de 2024)."),
        ("fr", "alors qu'une réponse était demandée (échéance probable : 3 octobre 2024)."),
    ],
)
def test_a_probable_deadline_of_a_demand_sent_in_a_month(run: Run, language: str, letter: str) -> None:
    _case(run, language, "2024-10-03?", date="2024-09")
    assert letter in _words(run("draft-complaint", "--as-of", "2024-11-15").stdout)


def test_a_certain_deadline_is_unchanged(run: Run) -> None:
    _case(run, "en", "2024-10-01")
    assert "although one was requested by 1 October 2024: 73 days" in _words(
        run("draft-complaint", "--as-of", "2024-11-15").stdout
    )


@pytest.mark.parametrize(
    ("language", "locale", "line"),
    [
        ("en", "C.UTF-8", "demand 2024-09-03-x: probable deadline October 2024 (to the National Treasury: X)"),
        ("es", "es_MX.UTF-8", "solicitud 2024-09-03-x: plazo probable octubre de 2024 (al Tesoro Nacional: X)"),
        ("fr", "fr_FR.UTF-8", "demande 2024-09-03-x : échéance probable octobre 2024 (au Trésor national : X)"),
    ],
)
def test_status_gives_the_deadline_as_the_case_does(
    run: Run, language: str, locale: str, line: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It said "deadline 31 October 2024" of a deadline given as "2024-10?": a day nobody chose."""
    _case(run, language, "2024-10?")
    monkeypatch.setenv("LANG", locale)
    assert line in _words(run("status", "--as-of", "2024-11-15").stdout)
    monkeypatch.setenv("LANG", "C.UTF-8")
    overdue = json.loads(run("status", "--as-of", "2024-11-15", "--json").stdout)["overdue"][0]
    assert (overdue["deadline"], overdue["deadline_given"]) == ("2024-10-31", "2024-10?")


def test_status_gives_a_month_deadline_as_a_month(run: Run) -> None:
    _case(run, "en", "2024-10")
    assert "demand 2024-09-03-x: deadline October 2024 (to" in _words(run("status", "--as-of", "2024-11-15").stdout)
