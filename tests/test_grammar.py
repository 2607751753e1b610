"""The grammar of assembled sentences: joins, counts, capitals, countries with their articles."""

from __future__ import annotations

import pytest

from casefile.case.model import ConcernCategory, DemandStatus, FilerCategory, SignatoryKind, Stage
from casefile.letter.catalogue import catalogue
from casefile.letter.countrynames import country_phrases, french_article
from casefile.letter.grammar import Count, Verbatim, assemble, capitalise, channel_key, plural_category
from casefile.letter.render import LANGUAGES


@pytest.mark.parametrize(
    ("message", "value", "written"),
    [
        ("Gobierno de {x}", "el Reino Unido", "Gobierno del Reino Unido"),
        ("se envió a {x}", "el Secretariado Técnico", "se envió al Secretariado Técnico"),
        ("Gobierno de {x}", "El Salvador", "Gobierno de El Salvador"),  # the article is part of the name
        ("la elección de {x}", "Artículo 19", "la elección de Artículo 19"),
        ("{x} se incorporó", "el Reino Unido", "El Reino Unido se incorporó"),
        ("Hola. {x}", "hacia febrero de 2020", "Hola. Hacia febrero de 2020"),
        ("fecha: {x}", "hacia febrero de 2020", "fecha: hacia febrero de 2020"),  # not after a colon
    ],
)
def test_spanish_joins(message: str, value: str, written: str) -> None:
    assert assemble("es", message, {"x": value}) == written


@pytest.mark.parametrize(
    ("message", "value", "written"),
    [
        ("sous la conduite de {x}", "Artículo 19", "sous la conduite d'Artículo 19"),
        ("le Gouvernement de {x}", "le Mexique", "le Gouvernement du Mexique"),
        ("le Gouvernement de {x}", "les États-Unis", "le Gouvernement des États-Unis"),
        ("le Gouvernement de {x}", "la Hongrie", "le Gouvernement de la Hongrie"),
        ("le Gouvernement de {x}", "l'Azerbaïdjan", "le Gouvernement de l'Azerbaïdjan"),
        ("le Gouvernement de {x}", "Israël", "le Gouvernement d'Israël"),
        ("le Gouvernement de {x}", "Haïti", "le Gouvernement d'Haïti"),  # mute h
        ("le Gouvernement de {x}", "Honduras", "le Gouvernement de Honduras"),  # aspirated h
        ("une demande de {x}", "Héctor Pineda", "une demande d'Héctor Pineda"),  # mute h
        ("une demande de {x}", "Hector Dupont", "une demande d'Hector Dupont"),
        ("une demande de {x}", "Hermine Ouattara", "une demande d'Hermine Ouattara"),  # mute h
        ("au nom de {x}", "Hervé Kouamé", "au nom d'Hervé Kouamé"),
        ("au nom de {x}", "Hélène Diallo", "au nom d'Hélène Diallo"),
        ("au nom de {x}", "Henri Konan", "au nom de Henri Konan"),  # aspirated in formal writing
        ("au nom de {x}", "Human Rights Watch", "au nom de Human Rights Watch"),
        ("adressée à {x}", "le ministère", "adressée au ministère"),
        ("adressée à {x}", "les autorités", "adressée aux autorités"),
        ("il dit que {x}", "il viendra", "il dit qu'il viendra"),
        ("au nom de {x}", "huit organisations", "au nom de huit organisations"),
        ("au nom de {x}", "onze personnes", "au nom de onze personnes"),
        ("{x} a rejoint", "le Mexique", "Le Mexique a rejoint"),
        ("Fichier : {x}", Verbatim("evidence.pdf"), "Fichier : evidence.pdf"),
    ],
)
def test_french_joins(message: str, value: str, written: str) -> None:
    assert assemble("fr", message, {"x": value}) == written


def test_the_users_own_text_is_never_rewritten_inside() -> None:
    value = "lo que dijo a el director de el área"
    assert assemble("es", "Resumen: {x}", {"x": value}) == f"Resumen: {value}"


def test_capitalise_skips_markup() -> None:
    assert capitalise("**vers février 2020**") == "**Vers février 2020**"
    assert capitalise("l'Azerbaïdjan") == "L'Azerbaïdjan"
    assert capitalise("2020") == "2020"


@pytest.mark.parametrize(
    ("language", "count", "feminine", "written"),
    [
        ("es", 3, True, "tres"),
        ("fr", 3, True, "trois"),
        ("en", 3, False, "three"),
        ("es", 1, True, "una"),
        ("es", 1, False, "un"),
        ("fr", 1, True, "une"),
        ("en", 10, False, "ten"),
        ("en", 11, False, "11"),
        ("en", 3578, False, "3,578"),
        ("es", 515, False, "515"),
    ],
)
def test_counts_are_words_up_to_ten(language: str, count: int, feminine: bool, written: str) -> None:
    assert format(Count(count, language), "f" if feminine else "") == written


def test_plural_categories_come_from_cldr() -> None:
    assert plural_category("en", 1) == "one"
    assert plural_category("en", 0) == "other"
    assert plural_category("fr", 0) == "one"  # "zéro jour s'est écoulé"
    assert plural_category("es", 0) == "other"


@pytest.mark.parametrize(
    ("code", "language", "country", "in_country"),
    [
        ("MX", "fr", "le Mexique", "au Mexique"),
        ("US", "fr", "les États-Unis", "aux États-Unis"),
        ("HU", "fr", "la Hongrie", "en Hongrie"),
        ("AZ", "fr", "l'Azerbaïdjan", "en Azerbaïdjan"),
        ("IL", "fr", "Israël", "en Israël"),
        ("MT", "fr", "Malte", "à Malte"),
        ("SV", "fr", "le Salvador", "au Salvador"),
        ("PH", "fr", "les Philippines", "aux Philippines"),
        ("US", "en", "the United States", "in the United States"),
        ("PH", "en", "the Philippines", "in the Philippines"),
        ("NL", "en", "the Netherlands", "in the Netherlands"),
        ("MX", "en", "Mexico", "in Mexico"),
        ("SV", "es", "El Salvador", "en El Salvador"),
        ("US", "es", "Estados Unidos", "en Estados Unidos"),
        ("GB", "es", "el Reino Unido", "en el Reino Unido"),
        ("MX", "es", "México", "en México"),
    ],
)
def test_country_phrases(code: str, language: str, country: str, in_country: str) -> None:
    phrases = country_phrases(code, language)
    assert (phrases.country, phrases.in_country) == (country, in_country)


@pytest.mark.parametrize(
    ("name", "article"),
    [
        ("Cambodge", "le"),
        ("Mozambique", "le"),
        ("Zimbabwe", "le"),
        ("Belgique", "la"),
        ("Corée du Nord", "la"),
        ("Japon", "le"),
        ("Inde", "l'"),
        ("Iran", "l'"),
        ("Cuba", ""),
        ("Maldives", "les"),
    ],
)
def test_the_french_rule_for_countries_not_listed(name: str, article: str) -> None:
    assert french_article(name) == article


def test_every_member_sentence_joins_right_in_french() -> None:
    for code in ("MX", "US", "AZ", "IL", "HU", "PH", "TT"):
        phrases = country_phrases(code, "fr")
        sentence = assemble("fr", "Le Gouvernement de {country}", {"country": phrases.country})
        assert " de le " not in sentence and " de les " not in sentence and " de I" not in sentence


def test_catalogues_translate_every_fixed_value() -> None:
    enums = {
        "category": ConcernCategory,
        "filers": FilerCategory,
        "status": DemandStatus,
        "stage": Stage,
        "kind": SignatoryKind,
    }
    for language in LANGUAGES:
        messages = catalogue(language)
        for section, enum in enums.items():
            for member in enum:
                assert f"{section}.{member.value}" in messages, (language, section, member)
        for channel in ("email", "letter", "meeting", "phone", "post", "in-person"):
            assert f"channel.{channel}" in messages
        assert all(f"number.{word}" in messages for word in ("zero", "one", "one_f", "ten"))


@pytest.mark.parametrize(("typed", "key"), [("E-mail", "email"), ("Carta", "letter"), ("réunion", "meeting")])
def test_channels_typed_in_any_language(typed: str, key: str) -> None:
    assert channel_key(typed) == key
    assert channel_key("Twitter") is None
