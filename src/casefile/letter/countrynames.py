"""A country as a sentence names it: with the article and the preposition of place its
language needs (``le Mexique``, ``au Mexique``; ``the United States``; ``el Reino Unido``).

Names come from CLDR (:mod:`casefile.case.countries`); articles from ``countries.toml`` for every OGP
member, and for other countries from :func:`french_article`'s rule (English and Spanish write
other countries without article).
"""

from __future__ import annotations

from typing import NamedTuple

from casefile.case.countries import country_data, country_name, find_country
from casefile.letter.grammar import rules


class CountryPhrases(NamedTuple):
    """How sentences name one country in one language."""

    name: str  # "Mexique": in a title, after a dash
    country: str  # "le Mexique": with its article, as a subject or after "de"
    in_country: str  # "au Mexique": the place where something happens


def _starts_with_vowel(name: str) -> bool:
    first = name[:1].casefold()
    mute_h = country_data()["fr_rule"]["mute_h"]
    return first in rules("fr")["vowels"] or name in mute_h


def french_article(name: str) -> str:
    """The article French puts before a country not listed in ``countries.toml``.

    ``les`` for the plural names listed; none for the islands and others listed; ``l'`` before
    a vowel or mute h; else feminine (``la``) when the name, or its head before ``du``/``de``,
    ends in -e (``la Hongrie``, ``la Corée du Sud``), except the masculine ones listed
    (``le Mexique``, ``le Cambodge``); masculine (``le``) otherwise.
    """
    rule = country_data()["fr_rule"]
    if name in rule["plural"]:
        return "les"
    if name in rule["no_article"]:
        return ""
    if _starts_with_vowel(name):
        return "l'"
    head = name.split(" du ", maxsplit=1)[0].split(" de ", maxsplit=1)[0]
    feminine = head.endswith("e") and name not in rule["masculine"]
    return "la" if feminine else "le"


def _french(name: str, facts: dict[str, str] | None) -> CountryPhrases:
    article = facts["fr"] if facts is not None else french_article(name)
    if article == "les":
        return CountryPhrases(name, f"les {name}", f"aux {name}")
    if article == "le":
        return CountryPhrases(name, f"le {name}", f"au {name}")
    if article in ("la", "l'"):
        country = f"la {name}" if article == "la" else f"l'{name}"
        return CountryPhrases(name, country, f"en {name}")
    default_in = "en" if _starts_with_vowel(name) else "à"
    place = facts.get("fr_in", default_in) if facts is not None else default_in
    return CountryPhrases(name, name, f"{place} {name}")


def country_phrases(value: str, language: str) -> CountryPhrases:
    """The phrases for the case's country (a code, or a name casefile does not know) in ``language``."""
    name = country_name(value, language)
    code = find_country(value, language) if value else None
    facts = country_data()["members"].get(code) if code is not None else None
    if code is None:  # the user's own words (a region, a city): no article is guessed
        facts = {"fr": ""}
    if language == "fr":
        return _french(name, facts)
    article = (facts or {}).get(language, "")
    country = f"{article} {name}" if article else name
    return CountryPhrases(name, country, f"{'en' if language == 'es' else 'in'} {country}")
