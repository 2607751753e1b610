"""The letter's fixed sentences read as a careful translator reads them, for cases a coordinator
builds at the command line: who signs (organisations, people or both), how to reach them, and
how the notes of a concern are listed."""

from __future__ import annotations

import re

import pytest

from tests.conftest import Run

AS_OF = "2018-07-16"


def new_case(run: Run, *signatories: tuple[str, str], contact: tuple[str, ...] = ()) -> None:
    """A Mexico case signed by ``(name, kind)`` pairs, with ``contact`` the options of `edit-case`."""
    run("init", "--title", "Surveillance of health advocates", "--country", "Mexico", "--ogp-joined", "2011")
    for name, kind in signatories:
        run("add-signatory", "--name", name, "--kind", kind)
    if contact:
        run("edit-case", *contact)


def draft(run: Run, language: str) -> str:
    return str(run("draft-complaint", "--language", language, "--as-of", AS_OF).stdout)


def section(letter: str, heading: str) -> str:
    """The text of one ``## heading`` section of the letter, without its heading."""
    match = re.search(rf"^## {re.escape(heading)}\n\n(.*?)(?=^## )", letter, re.DOTALL | re.MULTILINE)
    assert match is not None, heading
    return match.group(1).strip()


CONTACT = {"en": "Contact", "es": "Contacto", "fr": "Contact"}
CLOSING = {
    "en": "Respectfully,",
    "es": "Atentamente,",
    "fr": "Veuillez agréer l'expression de notre haute considération.",
}
NO_CONTACT = {
    "en": "For any matter related to this letter, please reply to the email address from which it was sent.",
    "es": (
        "Para cualquier asunto relacionado con esta carta, puede responder a la dirección de correo "
        "electrónico desde la que se envió."
    ),
    "fr": (
        "Pour toute question relative à cette lettre, veuillez répondre à l'adresse électronique depuis "
        "laquelle elle a été envoyée."
    ),
}


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_with_no_contact_the_letter_says_to_reply_to_the_address_it_came_from(run: Run, language: str) -> None:
    # The letter never shows a signatory's address (it is private): it must not point to one.
    new_case(run, ("Fundar", "cso"), ("Luis Hernández", "individual"))
    run("add-signatory", "--name", "Artículo 19", "--email", "private@articulo19.example.org")
    letter = draft(run, language)
    assert section(letter, CONTACT[language]) == f"{NO_CONTACT[language]}\n\n{CLOSING[language]}"
    assert "private@articulo19.example.org" not in letter


@pytest.mark.parametrize(
    ("language", "intro"),
    [
        ("en", "For any matter related to this letter, please contact:"),
        ("es", "Para cualquier asunto relacionado con esta carta, puede contactarse con:"),
        ("fr", "Pour toute question relative à cette lettre, veuillez contacter\u00a0:"),
    ],
)
def test_a_contact_given_only_as_an_email_address_is_shown(run: Run, language: str, intro: str) -> None:
    new_case(run, ("Fundar", "cso"), contact=("--contact-email", "carta@fundar.example.org"))
    letter = draft(run, language)
    assert section(letter, CONTACT[language]) == f"{intro}\n\ncarta\\@fundar.example.org\n\n{CLOSING[language]}"
