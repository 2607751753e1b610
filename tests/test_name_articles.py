"""A name that begins with its own article, joined to a French preposition: "une demande des Amis
de la Terre", "adressée au Défenseur des droits" (never "de Les Amis", "à Le Défenseur"), while
Spanish keeps it ("de El Salvador"); and check's messages quote a name as the sentence joins it
("« une demande d'Association des Tunisiennes »", never "de Association").
"""

from __future__ import annotations

import pytest

from casefile.letter.grammar import assemble
from tests.conftest import Run


@pytest.mark.parametrize(
    ("language", "message", "value", "expected"),
    [
        ("fr", "une demande de {x}", "Les Amis de la Terre", "une demande des Amis de la Terre"),
        ("fr", "adressée à {x}", "Les Amis de la Terre", "adressée aux Amis de la Terre"),
        ("fr", "adressée à {x}", "Le Défenseur des droits", "adressée au Défenseur des droits"),
        ("fr", "une demande de {x}", "Le Collectif des familles", "une demande du Collectif des familles"),
        ("fr", "une demande de {x}", "Le Goff", "une demande de Le Goff"),  # a person's name
        ("fr", "une demande de {x}", "Le Thi Hoa", "une demande de Le Thi Hoa"),
        ("fr", "un article de {x}", "La Presse", "un article de La Presse"),
        ("fr", "{x} a répondu", "Le Défenseur des droits", "Le Défenseur des droits a répondu"),
        ("es", "una solicitud de {x}", "El Salvador Abierto", "una solicitud de El Salvador Abierto"),
        ("es", "se envió a {x}", "Los Pinos", "se envió a Los Pinos"),
    ],
)
def test_a_name_that_begins_with_its_article(language: str, message: str, value: str, expected: str) -> None:
    assert assemble(language, message, {"x": value}) == expected


def _case(run: Run) -> None:
    run("init", "--title", "Espace civique", "--country", "Tunisie", "--language", "fr", "--ogp-joined", "2014")
    run("add-signatory", "--name", "Les Amis de la Terre", "--lead")
    run("add-signatory", "--name", "Association des Tunisiennes")
    run("add-signatory", "--name", "Fondation Lumière")
    by = ("--by", "les-amis-de-la-terre", "--by", "association-des-tunisiennes")
    run("add-demand", "--date", "2019-06-01", "--to", "Le Défenseur des droits", "--subject", "Enquêter", *by)


def test_the_french_letter_contracts_the_article_a_name_begins_with(run: Run) -> None:
    _case(run)
    letter = run("draft-complaint", "--as-of", "2020-01-10").stdout.replace("\u00a0", " ")
    assert "sous la conduite des Amis de la Terre." in letter
    sent = "une demande des Amis de la Terre et d'Association des Tunisiennes a été adressée au Défenseur des droits"
    assert sent in letter
    assert "Demande adressée au Défenseur des droits : « Enquêter »" in letter
    assert "de Les" not in letter and "à Le " not in letter


def test_check_quotes_a_name_as_the_sentence_joins_it(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    _case(run)
    found = run("check", "--as-of", "2020-01-10", code=None).stdout.replace("\u00a0", " ")
    assert "(« une demande d'Association des Tunisiennes »)" in found
    assert "de Association" not in found
