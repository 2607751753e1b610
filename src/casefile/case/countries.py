"""Countries as ISO 3166-1 alpha-2 codes, and their names in English, Spanish and French.

The names come from CLDR through Babel, imported only here and only when a name is needed (it
costs about 50 ms). ``countries.toml`` beside this module adds what CLDR lacks: other names
people type (``UK``, ``Turkey``) and, for the letter, the articles and prepositions each
language puts before a country's name (see :mod:`casefile.letter.countrynames`).
"""

from __future__ import annotations

import functools
import tomllib
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from casefile.errors import InvalidValue
from casefile.i18n import _
from casefile.i18n import language as messages_language

LANGUAGES = ("en", "es", "fr")
DATA_FILE = Path(__file__).with_name("countries.toml")
# CLDR territories that are not ISO 3166-1 countries: unknown region, EU, eurozone, UN,
# pseudo-locales, and parts of countries CLDR lists apart (Canary Islands, Ceuta, Clipperton...).
_NOT_COUNTRIES = frozenset({"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB", "IC", "EA", "DG", "CP", "AC", "TA"})


class UnknownCountry(InvalidValue):
    """A country name or code casefile cannot match to an ISO 3166-1 country."""


@functools.cache
def country_data() -> Mapping[str, Any]:
    """The project's data file: aliases, OGP members and per-language articles."""
    return tomllib.loads(DATA_FILE.read_text(encoding="utf-8"))


def fold(text: str) -> str:
    """``text`` for matching, without case, accents, punctuation or repeated spaces.

    ``Côte d’Ivoire`` -> ``cote d ivoire``.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(char if char.isalnum() else " " for char in decomposed if not unicodedata.combining(char))
    return " ".join(letters.split())


def formal(name: str, language: str) -> str:
    """A CLDR name as a formal letter writes it: English CLDR abbreviates ``&`` and ``St.``.

    Its apostrophe is the letter's own, the typewriter one (``Côte d'Ivoire``, as ``l'OGP`` and
    ``d'agir``): CLDR's curly one beside them read as two typefaces in one letter.
    """
    name = name.replace("\u2019", "'")
    if language == "en":
        name = name.replace(" & ", " and ")
        if name.startswith("St. "):
            name = "Saint " + name.removeprefix("St. ")
    return name


@functools.cache
def names(language: str) -> Mapping[str, str]:
    """Every country's name in ``language``, by code, as a letter writes it."""
    from babel import Locale

    territories = Locale.parse(language).territories
    return {
        code: formal(name, language)
        for code, name in territories.items()
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    }


@functools.cache
def _index() -> Mapping[str, str]:
    """Folded names (CLDR in every language, as CLDR writes them and formally) and aliases -> code."""
    from babel import Locale

    index: dict[str, str] = {}
    for language in LANGUAGES:
        for code, name in Locale.parse(language).territories.items():
            if code in names(language):
                index.setdefault(fold(name), code)
                index.setdefault(fold(formal(name, language)), code)
    for alias, code in country_data()["aliases"].items():
        index.setdefault(fold(alias), code)
    return index


def find_country(text: str, language: str = "en") -> str | None:
    """The alpha-2 code ``text`` names (a code in any case, or a name in en/es/fr), or None.

    A code is looked up among ``language``'s names only: a letter in French reads no other
    language's data unless the case holds a name instead of a code.
    """
    stripped = text.strip()
    if len(stripped) == 2 and stripped.isascii() and stripped.isalpha() and stripped.upper() in names(language):
        return stripped.upper()
    return _index().get(fold(stripped))


def country_code(text: str) -> str:
    """The alpha-2 code of the country ``text`` names.

    Raises:
        UnknownCountry: no country has that code or name; the message names the closest ones.
    """
    code = find_country(text)
    if code is not None:
        return code
    raise UnknownCountry(
        _("{text!r} is not a country casefile knows. {suggestion}").format(
            text=text.strip(), suggestion=_suggestion(text)
        )
    )


def _suggestion(text: str) -> str:
    import difflib

    index = _index()
    close = difflib.get_close_matches(fold(text), list(index), n=8, cutoff=0.6)
    codes = list(dict.fromkeys(index[name] for name in close))[:3]
    if not codes:
        return _("Give its ISO 3166-1 code (e.g. MX) or its name in English, Spanish or French.")
    shown = names(messages_language())
    offered = ", ".join(f"{shown[code]} ({code})" for code in codes)
    return _("Did you mean {countries}? A two-letter ISO 3166-1 code (e.g. MX) works too.").format(countries=offered)


def country_name(value: str, language: str) -> str:
    """The name of the country ``value`` holds (a code, or an old free-text name) in ``language``.

    Text that names no known country is the user's own words and is given back as it is.
    """
    code = find_country(value, language) if value else None
    return names(language)[code] if code is not None else value
