"""How a demand reached its recipient, as the letter says it: a thing handed over at a meeting
was presented, not sent ("se presentó … en una reunión", "présentée … lors d'une réunion"), a
thing given in person was delivered ("se entregó en mano", "remise en main propre").
"""

from __future__ import annotations

import pytest

from tests.conftest import Run

_TO = {"en": "the Ministry of the Interior", "es": "el Ministerio del Interior", "fr": "le ministère de l'Intérieur"}


def _letter(run: Run, language: str, channel: str) -> str:
    run("init", "--title", "Ley", "--country", "Nicaragua", "--language", language, "--ogp-joined", "2012")
    run("add-signatory", "--name", "Centro Nicaragüense de Derechos Humanos", "--short-name", "CENIDH", "--lead")
    run("add-demand", "--date", "2022-04-05", "--to", _TO[language], "--subject", "X", "--channel", channel)
    return " ".join(run("draft-complaint", "--as-of", "2022-05-01").stdout.split())


@pytest.mark.parametrize(
    ("language", "channel", "sentence"),
    [
        ("en", "email", "was sent to the Ministry of the Interior by email, with the subject “X”."),
        ("en", "letter", "was sent to the Ministry of the Interior by letter, with the subject"),
        ("en", "post", "was sent to the Ministry of the Interior by post, with the subject"),
        ("en", "fax", "was sent to the Ministry of the Interior by fax, with the subject"),
        (
            "en",
            "meeting",
            "was presented to the Ministry of the Interior at a meeting, with the subject “X”.",
        ),
        ("en", "in-person", "was delivered to the Ministry of the Interior in person, with the subject"),
        ("en", "hand-delivered", "was delivered to the Ministry of the Interior by hand, with the subject"),
        ("en", "phone", "was made to the Ministry of the Interior by telephone, with the subject"),
        ("en", "online-form", "was submitted to the Ministry of the Interior through an online form, with the subject"),
        ("en", "portal", "was submitted to the Ministry of the Interior through an online portal, with the subject"),
        ("en", "WhatsApp", "was sent to the Ministry of the Interior by WhatsApp, with the subject"),
        ("es", "email", "se envió por correo electrónico al Ministerio del Interior una"),
        ("es", "carta", "se envió por carta al Ministerio del Interior una solicitud"),
        ("es", "correo postal", "se envió por correo postal al Ministerio del Interior una solicitud"),
        ("es", "fax", "se envió por fax al Ministerio del Interior una solicitud"),
        ("es", "reunión", "se presentó en una reunión al Ministerio del Interior una solicitud"),
        ("es", "en persona", "se entregó en persona al Ministerio del Interior una solicitud"),
        ("es", "en mano", "se entregó en mano al Ministerio del Interior una solicitud"),
        ("es", "teléfono", "se planteó por teléfono al Ministerio del Interior una solicitud"),
        ("es", "online-form", "se presentó mediante un formulario en línea al Ministerio del Interior una solicitud"),
        ("es", "plataforma", "se presentó a través de un portal en línea al Ministerio del Interior una solicitud"),
        ("es", "WhatsApp", "se envió por WhatsApp al Ministerio del Interior una solicitud"),
        ("fr", "courriel", "a été adressée au ministère de l'Intérieur par courriel,"),
        ("fr", "lettre", "a été adressée au ministère de l'Intérieur par lettre,"),
        ("fr", "courrier", "a été adressée au ministère de l'Intérieur par voie postale,"),
        ("fr", "réunion", "a été présentée au ministère de l'Intérieur lors d'une réunion,"),
        ("fr", "en personne", "a été remise au ministère de l'Intérieur en personne,"),
        ("fr", "en main propre", "a été remise au ministère de l'Intérieur en main propre,"),
        ("fr", "téléphone", "a été adressée au ministère de l'Intérieur par téléphone,"),
        ("fr", "portail", "a été soumise au ministère de l'Intérieur par l'intermédiaire d'un portail en ligne,"),
        ("fr", "online-form", "a été soumise au ministère de l'Intérieur au moyen d'un formulaire en ligne,"),
    ],
)
def test_each_way_of_sending_has_its_verb(run: Run, language: str, channel: str, sentence: str) -> None:
    assert sentence.replace("\u00a0", " ") in _letter(run, language, channel).replace("\u00a0", " ")


@pytest.mark.parametrize(
    ("language", "channel", "sentence"),
    [
        (
            "en",
            "meeting",
            "On 5 April 2022, a demand was presented to you at a meeting on behalf of the CENIDH,"
            " with the subject “X”.",
        ),
        (
            "en",
            "email",
            "On 5 April 2022, a demand was sent to you by email on behalf of the CENIDH, with the subject “X”.",
        ),
        (
            "es",
            "reunión",
            "El 5 de abril de 2022, se les presentó en una reunión una solicitud en nombre del CENIDH con",
        ),
        ("es", "en mano", "El 5 de abril de 2022, se les entregó en mano una solicitud en nombre del CENIDH con"),
        ("fr", "réunion", "Le 5 avril 2022, une demande vous a été présentée lors d'une réunion au nom du CENIDH,"),
        ("fr", "courriel", "Le 5 avril 2022, une demande vous a été adressée par courriel au nom du CENIDH,"),
    ],
)
def test_a_reminder_says_how_the_demand_reached_its_recipient(
    run: Run, language: str, channel: str, sentence: str
) -> None:
    """It said "les enviamos", "vous a été adressée", "was sent to you" of a demand handed over at a meeting."""
    _letter(run, language, channel)
    run("edit", "cenidh", "--article", {"en": "the", "es": "el", "fr": "le"}[language])
    run("edit", "2022-04-05-x", "--by", "cenidh")
    reminder = " ".join(run("draft-reminder", "2022-04-05-x", "--as-of", "2022-05-01").stdout.split())
    assert sentence in reminder.replace("\u00a0", " ")


@pytest.mark.parametrize(
    ("language", "sentence", "reminded"),
    [
        (
            "en",
            "a demand from the CENIDH was sent",
            "a demand was sent to you on behalf of the CENIDH, with the subject “X”.",
        ),
        ("es", "se envió al Ministerio del Interior una solicitud del CENIDH", "una solicitud en nombre del CENIDH"),
        ("fr", "une demande du CENIDH a été adressée", "vous a été adressée au nom du CENIDH"),
    ],
)
def test_a_demand_of_the_only_signatory_organisation_is_its_own(
    run: Run, language: str, sentence: str, reminded: str
) -> None:
    """Sent by no one named, it was "from the signatories", "de la coalición": one organisation is no coalition."""
    run("init", "--title", "Ley", "--country", "Nicaragua", "--language", language, "--ogp-joined", "2012")
    run("add-signatory", "--name", "Centro Nicaragüense de Derechos Humanos", "--short-name", "CENIDH", "--lead")
    run("edit", "cenidh", "--article", {"en": "the", "es": "el", "fr": "le"}[language])
    run("add-demand", "--date", "2022-04-05", "--to", _TO[language], "--subject", "X")
    letter = " ".join(run("draft-complaint", "--as-of", "2022-05-01").stdout.split())
    assert sentence in letter
    reminder = " ".join(run("draft-reminder", "2022-04-05-x", "--as-of", "2022-05-01").stdout.split())
    assert reminded in reminder


@pytest.mark.parametrize(
    ("language", "channel", "hint"),
    [
        ("en", "letter", "record-reminder 2022-04-05-x --date YYYY-MM-DD --channel letter"),
        ("en", "in person", "record-reminder 2022-04-05-x --date YYYY-MM-DD --channel 'in person'"),
        ("es", "carta", "record-reminder 2022-04-05-x --date AAAA-MM-DD --channel carta"),
        ("fr", "réunion", "record-reminder 2022-04-05-x --date AAAA-MM-JJ --channel réunion"),
    ],
)
def test_the_reminder_hint_names_the_way_the_demand_went(
    run: Run, language: str, channel: str, hint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It said "--channel email" (es) and "--channel courriel" (fr) of a demand sent by letter."""
    _letter(run, language, channel)
    monkeypatch.setenv("LANG", {"en": "C.UTF-8", "es": "es_MX.UTF-8", "fr": "fr_FR.UTF-8"}[language])
    assert hint in run("draft-reminder", "2022-04-05-x", "--as-of", "2022-05-01").stderr


@pytest.mark.parametrize(
    ("language", "hint"), [("en", "--channel email"), ("es", "--channel email"), ("fr", "--channel courriel")]
)
def test_the_reminder_hint_of_a_demand_sent_no_known_way(
    run: Run, language: str, hint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("init", "--title", "Ley", "--country", "Nicaragua", "--language", language, "--ogp-joined", "2012")
    run("add-demand", "--date", "2022-04-05", "--to", _TO[language], "--subject", "X")
    monkeypatch.setenv("LANG", {"en": "C.UTF-8", "es": "es_MX.UTF-8", "fr": "fr_FR.UTF-8"}[language])
    assert run("draft-reminder", "2022-04-05-x", "--as-of", "2022-05-01").stderr.rstrip().endswith(hint)
