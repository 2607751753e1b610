"""The letter's fixed sentences read as a careful translator reads them, for cases a coordinator
builds at the command line: who signs (organisations, people or both), how to reach them, and
how the notes of a concern are listed."""

from __future__ import annotations

import json
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


ORGANISATIONS_AND_A_PERSON = (("Fundar", "cso"), ("Artículo 19", "cso"), ("Luis Hernández", "individual"))
PEOPLE = (("Ana Ruiz", "individual"), ("Luis Hernández", "individual"), ("Inés Castro", "individual"))


@pytest.mark.parametrize(
    ("language", "signatories", "sentences"),
    [
        (
            "en",
            ORGANISATIONS_AND_A_PERSON,
            (
                "The undersigned organisations and individuals respectfully ask the Steering Committee",
                "The filers include organisations that are or have been involved in OGP in Mexico, a category of "
                "filers the Response Policy accepts.\n",
                "The signatories have recorded no formal demand to the authorities of Mexico.",
                "4. Keep the signatories informed at each stage of the review.",
            ),
        ),
        (
            "es",
            ORGANISATIONS_AND_A_PERSON,
            (
                "Las personas y organizaciones firmantes solicitamos respetuosamente al Comité Directivo",
                "Entre quienes presentan la carta hay organizaciones que participan o han participado en OGP en "
                "México, categoría de solicitantes que admite la Política de Respuesta.\n",
                "Las personas y organizaciones firmantes no han registrado ninguna solicitud formal a las "
                "autoridades de México.",
                "4. Mantenga informadas a las personas y organizaciones firmantes en cada etapa del examen.",
            ),
        ),
        (
            "fr",
            ORGANISATIONS_AND_A_PERSON,
            (
                "Les organisations et personnes signataires demandent respectueusement au Comité directeur",
                "Parmi les signataires figurent des organisations qui participent ou ont participé au processus de "
                "l'OGP au Mexique, catégorie de requérants que la Politique de réponse admet.\n",
                "Les signataires n'ont enregistré aucune demande formelle adressée aux autorités du Mexique.",
                "4. Tenir les signataires informés à chaque étape de l'examen.",
            ),
        ),
        (
            "en",
            PEOPLE,
            (
                "The undersigned individuals respectfully ask the Steering Committee",
                "This letter is signed in a personal capacity only; the Response Policy accepts filings from "
                "organisations that are or have been involved in OGP in Mexico",
                "The signatories have recorded no formal demand to the authorities of Mexico.",
                "4. Keep the signatories informed at each stage of the review.",
            ),
        ),
        (
            "es",
            PEOPLE,
            (
                "Las personas firmantes solicitamos respetuosamente al Comité Directivo",
                "Esta carta está firmada solo a título individual; la Política de Respuesta admite como "
                "solicitantes a organizaciones que participan o han participado en OGP en México",
                "Las personas firmantes no han registrado ninguna solicitud formal a las autoridades de México.",
                "4. Mantenga informadas a las personas firmantes en cada etapa del examen.",
            ),
        ),
        (
            "fr",
            PEOPLE,
            (
                "Les personnes signataires demandent respectueusement au Comité directeur",
                "Cette lettre est signée uniquement à titre individuel\u00a0; la Politique de réponse admet comme "
                "requérants des organisations qui participent ou ont participé au processus de l'OGP au Mexique",
                "Les signataires n'ont enregistré aucune demande formelle adressée aux autorités du Mexique.",
                "4. Tenir les signataires informés à chaque étape de l'examen.",
            ),
        ),
    ],
)
def test_signatories_who_are_people_are_not_called_organisations(
    run: Run, language: str, signatories: tuple[tuple[str, str], ...], sentences: tuple[str, ...]
) -> None:
    new_case(run, *signatories, contact=("--filer-category", "involved-entity"))
    letter = draft(run, language)
    for sentence in sentences:
        assert sentence in letter
    for wrong in ("organisations respectfully ask", "Las organizaciones firmantes", "Les organisations signataires"):
        assert wrong not in letter


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "Fundar is an organisation that is or has been involved in OGP in Mexico, a category of filers"),
        ("es", "Fundar es una organización que participa o ha participado en OGP en México, categoría de solicitantes"),
        ("fr", "Fundar est une organisation qui participe ou a participé au processus de l'OGP au Mexique, catégorie"),
    ],
)
def test_one_organisation_is_not_spoken_of_as_several(run: Run, language: str, sentence: str) -> None:
    # It was "The filers are organisations ...; none of them files as an individual".
    new_case(run, ("Fundar", "cso"), contact=("--filer-category", "involved-entity"))
    assert sentence in draft(run, language)


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "The filers include an organisation that is or has been involved in OGP in Mexico, a category"),
        ("es", "Entre quienes presentan la carta hay una organización que participa o ha participado en OGP en México"),
        ("fr", "Parmi les signataires figure une organisation qui participe ou a participé au processus de l'OGP"),
    ],
)
def test_one_organisation_among_people(run: Run, language: str, sentence: str) -> None:
    new_case(run, ("Fundar", "cso"), *PEOPLE, contact=("--filer-category", "involved-entity"))
    assert sentence in draft(run, language)


FOUR_PEOPLE = (*PEOPLE, ("María Gómez", "individual"))
THREE_ORGANISATIONS_TWO_PEOPLE = (
    ("Fundar", "cso"),
    ("Artículo 19", "cso"),
    ("SocialTIC", "cso"),
    ("Luis Hernández", "individual"),
    ("Ana Ruiz", "individual"),
)


@pytest.mark.parametrize(
    ("language", "signatories", "by", "written"),
    [
        ("en", ORGANISATIONS_AND_A_PERSON, "all", "a demand from all the signatories was sent"),
        (
            "es",
            ORGANISATIONS_AND_A_PERSON,
            "all",
            "una solicitud de todas las personas y organizaciones firmantes con el asunto",
        ),
        (
            "fr",
            ORGANISATIONS_AND_A_PERSON,
            "all",
            "une demande de l'ensemble des organisations et personnes signataires",
        ),
        ("en", PEOPLE, "all", "a demand from all the individual signatories was sent"),
        ("es", PEOPLE, "all", "una solicitud de todas las personas firmantes con el asunto"),
        ("fr", PEOPLE, "all", "une demande de l'ensemble des personnes signataires a été"),
        # Three of four people: named, not "all the signatory organisations" (there are none).
        ("en", FOUR_PEOPLE, "3", "a demand from Ana Ruiz, Luis Hernández and Inés Castro was sent"),
        ("es", FOUR_PEOPLE, "3", "una solicitud de Ana Ruiz, Luis Hernández e Inés Castro con el asunto"),
        ("fr", FOUR_PEOPLE, "3", "une demande d'Ana Ruiz, de Luis Hernández et d'Inés Castro a été"),
        # Every organisation and one of the two people.
        ("en", THREE_ORGANISATIONS_TWO_PEOPLE, "4", "a demand from all the signatory organisations and Luis Hernández"),
        (
            "es",
            THREE_ORGANISATIONS_TWO_PEOPLE,
            "4",
            "una solicitud de todas las organizaciones firmantes y Luis Hernández",
        ),
        (
            "fr",
            THREE_ORGANISATIONS_TWO_PEOPLE,
            "4",
            "une demande de l'ensemble des organisations signataires et de Luis Hernández",
        ),
    ],
)
def test_a_demand_sent_by_all_names_them_as_who_they_are(
    run: Run, language: str, signatories: tuple[tuple[str, str], ...], by: str, written: str
) -> None:
    new_case(run, *signatories)
    senders = [item["id"] for item in json.loads(run("--json", "list", "signatories").stdout)]
    senders = senders if by == "all" else senders[: int(by)]
    options = [option for sender in senders for option in ("--by", sender)]
    run("add-demand", "--date", "2017-02-16", "--to", "SFP", "--subject", "Investigate", *options)
    assert written in draft(run, language)


@pytest.mark.parametrize(
    ("language", "three", "two"),
    [
        ("en", "Evidence: notes 1, 2 and 3.", "Evidence: notes 4 and 5."),
        ("es", "Pruebas: notas 1, 2 y 3.", "Pruebas: notas 4 y 5."),
        ("fr", "Preuves\u00a0: notes 1, 2 et 3.", "Preuves\u00a0: notes 4 et 5."),
    ],
)
def test_the_notes_of_a_concern_are_listed_with_and(run: Run, language: str, three: str, two: str) -> None:
    new_case(run, ("Fundar", "cso"))
    sources = [option for n in (1, 2, 3) for option in ("--source", f"https://news.example.org/{n}")]
    run("add-event", "--date", "2017-02-11", "--title", "Spyware found", "--tag", "surveillance", *sources)
    sources = [option for n in (4, 5) for option in ("--source", f"https://news.example.org/{n}")]
    run("add-event", "--date", "2017-05-23", "--title", "Coalition leaves", "--tag", "withdrawal", *sources)
    letter = draft(run, language)
    assert three in letter
    assert two in letter


@pytest.mark.parametrize(
    ("language", "two_breaches", "one_breach", "one_person", "no_one_described"),
    [
        (
            "en",
            "Commitments or values breached: Transparency; Participation.",
            "Commitment or value breached: Accountability.",
            "Person affected: Simón Barquera (researcher).",
            "Person affected: name withheld.",
        ),
        (
            "es",
            "Compromisos o valores vulnerados: Transparency; Participation.",
            "Compromiso o valor vulnerado: Accountability.",
            "Persona afectada: Simón Barquera (researcher).",
            "Persona afectada: nombre reservado.",
        ),
        (
            "fr",
            "Engagements ou valeurs enfreints\u00a0: Transparency\u00a0; Participation.",
            "Engagement ou valeur enfreint\u00a0: Accountability.",
            "Personne concernée\u00a0: Simón Barquera (researcher).",
            "Personne concernée\u00a0: nom non communiqué.",
        ),
    ],
)
def test_a_label_agrees_with_the_number_of_things_it_lists(
    run: Run,
    language: str,
    two_breaches: str,
    one_breach: str,
    one_person: str,
    no_one_described: str,
) -> None:
    new_case(run, ("Fundar", "cso"))
    breaches = ("--breaches", "Transparency", "--breaches", "Participation")
    first = run("add-concern", "--title", "Spyware", "--category", "civic-space", *breaches).stdout.strip()
    second = run(
        "add-concern", "--title", "No answer", "--category", "civic-space", "--breaches", "Accountability"
    ).stdout.strip()
    run(
        "add-event", "--date", "2017-02-11", "--title", "Spyware found", "--concern", first,
        "--source", "https://news.example.org/1",
        "--public-affected", "Simón Barquera:researcher",
    )  # fmt: skip
    run(
        "add-event", "--date", "2017-03-01", "--title", "No answer", "--concern", second,
        "--source", "https://news.example.org/2", "--affected", "Ana Ruiz",
    )  # fmt: skip  # a private person with no role: neither name nor role is in the letter
    letter = draft(run, language)
    for sentence in (two_breaches, one_breach, one_person, no_one_described):
        assert sentence in letter


@pytest.mark.parametrize(
    ("language", "letter", "reminder"),
    [
        (
            "fr",
            "une demande de Fundar, d'Artículo 19 et de SocialTIC a été",
            "au nom de Fundar, d'Artículo 19 et de SocialTIC,",
        ),
        (
            "es",
            "una solicitud de Fundar, Artículo 19 y SocialTIC con el asunto",
            "en nombre de Fundar, Artículo 19 y SocialTIC con el asunto",
        ),
        (
            "en",
            "a demand from Fundar, Artículo 19 and SocialTIC was sent",
            "on behalf of Fundar, Artículo 19 and SocialTIC, with the subject",
        ),
    ],
)
def test_french_says_de_again_before_each_sender(run: Run, language: str, letter: str, reminder: str) -> None:
    new_case(
        run, ("Fundar", "cso"), ("Artículo 19", "cso"), ("SocialTIC", "cso"), ("IMCO", "cso")
    )  # IMCO did not send it
    senders = ("--by", "fundar", "--by", "articulo-19", "--by", "socialtic")
    demand = run("add-demand", "--date", "2017-02-16", "--to", "SFP", "--subject", "Investigate", *senders)
    assert letter in draft(run, language)
    written = run("draft-reminder", demand.stdout.strip(), "--language", language, "--as-of", AS_OF).stdout
    assert reminder in written


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "This letter is filed by the signatory organisation and individual listed at its end."),
        ("es", "Presentan esta carta la organización y la persona firmantes que figuran al final."),
        ("fr", "Cette lettre est déposée par l'organisation et la personne signataires dont la liste figure à la fin."),
    ],
)
def test_one_organisation_and_one_person_are_each_named_in_the_singular(run: Run, language: str, sentence: str) -> None:
    # "the two signatory organisations and individuals" reads as two of each, or as two in all of
    # several kinds: a careful translator names the one of each.
    new_case(run, ("Fundar", "cso"), ("Luis Hernández", "individual"))
    letter = draft(run, language)
    assert sentence in letter
    assert not re.search(r"\b(two|dos|deux)\b", letter.split("\n## ", 3)[2])
