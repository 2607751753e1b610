"""The grammar of the sentences the letter assembles: joins, counts and capitals.

A catalogue sentence is fixed text with values put in (``de {country}``). Where the fixed text
meets a value, each language has rules a translator applies without thinking: Spanish contracts
``de el`` to ``del``, French elides ``de Artículo`` to ``d'Artículo`` and contracts ``de le``
to ``du``; a value that starts a sentence starts with a capital. :func:`assemble` applies them
at the joins only, so the user's own text is never rewritten. The rules' words are data, in
``locales/grammar.toml``.
"""

from __future__ import annotations

import functools
import re
import string
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from casefile.letter.markdown import Markdown

_DATA = Path(__file__).parent / "locales" / "grammar.toml"
_FORMATTER = string.Formatter()
# Markup and opening punctuation that may come before a value's first letter.
_LEADING = "*_[(«“\"'¿¡ "
_SENTENCE_END = re.compile(r"(?:^|[.!?…])[\s*_»”\")\]]*$")


class Verbatim(str):
    """A value put into a sentence exactly as it is: file names, digests, addresses."""

    __slots__ = ()


class Listed(Markdown):
    """Pieces of Markdown run together with "and": "A, B and C".

    Where it follows a preposition the language repeats before each piece (French ``de``: "une
    demande d'ASJ et d'Inés Castro"), :func:`assemble` writes the preposition before each.
    """

    pieces: tuple[str, ...]
    word: str

    def __new__(cls, pieces: Sequence[str], word: str) -> Listed:
        listed = super().__new__(cls, _run_together(pieces, word))
        listed.pieces = tuple(pieces)
        listed.word = word
        return listed


def _run_together(pieces: Sequence[str], word: str) -> str:
    return ", ".join(pieces[:-1]) + f" {word} " + pieces[-1] if len(pieces) > 1 else "".join(pieces)


def _each_after(language: str, before: str, value: Listed) -> str:
    """``value``, with the preposition that ends ``before`` said again before each later piece if the language does."""
    match = re.search(r"(?:^|(?<=[\s(]))(\w+) $", before)
    if match is None or match.group(1).casefold() not in rules(language).get("repeated", ()):
        return value
    again = match.group(1).casefold() + " "
    later = ["".join(join(language, again, piece)) for piece in value.pieces[1:]]
    return _run_together([value.pieces[0], *later], value.word)


@functools.cache
def rules(language: str) -> Mapping[str, Any]:
    """The grammar data of one language (empty for a language with none)."""
    data: dict[str, dict[str, Any]] = tomllib.loads(_DATA.read_text(encoding="utf-8"))
    return data.get(language, {})


@functools.cache
def _channels() -> Mapping[str, str]:
    from casefile.case.countries import fold

    data = tomllib.loads(_DATA.read_text(encoding="utf-8"))
    return {fold(typed): key for typed, key in data["channels"].items()}


def channel_key(channel: str) -> str | None:
    """The catalogue key (``email``, ``letter``...) of a way of sending people typed, or None."""
    from casefile.case.countries import fold

    return _channels().get(fold(channel))


def _first_letter(text: str) -> int:
    """The index of the first character of ``text`` that is not leading markup, or -1."""
    for index, char in enumerate(text):
        if char not in _LEADING:
            return index
    return -1


def capitalise(text: str) -> str:
    """``text`` with its first letter in capitals (after any markup): ``De 2016 a…``, ``L'Azerbaïdjan``."""
    index = _first_letter(text)
    if index < 0 or not text[index].islower():
        return text
    return text[:index] + text[index].upper() + text[index + 1 :]


def starts_sentence(before: str) -> bool:
    """Whether a value put after ``before`` begins a sentence (nothing before it, or . ! ?)."""
    return _SENTENCE_END.search(before) is not None


def vowel_sound(text: str, language: str) -> bool:
    """French: whether ``text`` begins with a vowel or a mute h (so ``de`` becomes ``d'``).

    Not before ``onze``, ``oui``, ``huit``, whose first sound is treated as a consonant.
    """
    index = _first_letter(text)
    if index < 0:
        return False
    word = text[index:].casefold()
    if word.startswith(("onze", "oui", "ouate")):
        return False
    data = rules(language)
    if word[0] == "y":  # "d'Yvelines", but "de Yémen": y before a vowel is a consonant
        return len(word) > 1 and word[1] not in data["vowels"]
    if word[0] == "h":
        return word.startswith(tuple(data["mute_h"]))
    return word[0] in data["vowels"]


def _same_case(word: str, model: str) -> str:
    """``word`` capitalised like ``model`` (``De`` -> ``Del``)."""
    return word[:1].upper() + word[1:] if model[:1].isupper() else word


def _name_article(data: Mapping[str, Any], article: str, value: str) -> bool:
    """Whether ``value`` begins with ``article`` as part of a body's name that the language contracts
    ("Les Amis de la Terre", "Le Défenseur des droits": "des Amis", "au Défenseur"). Spanish keeps it
    ("de El Salvador"); a person's name is never contracted ("de Le Goff"): "Le" only before one of
    the nouns of a public body or an organisation."""
    if not data.get("name_article_contracts") or not value.startswith(article.capitalize() + " "):
        return False
    following = value[len(article) + 1 :].split(" ", 1)[0].casefold()
    return article == "les" or following in data.get("institutions", {}) or following in data.get("organisations", {})


def join(language: str, before: str, value: str) -> tuple[str, str]:
    """The fixed text and the value as they join in ``language`` (``de `` + ``el Perú`` -> ``del Perú``)."""
    if isinstance(value, Verbatim):
        return before, value
    data = rules(language)
    contractions: Mapping[str, str] = data.get("contractions", {})
    if contractions:
        match = re.search(r"(?:^|(?<=[\s(]))(\w+) $", before)
        if match is not None:
            word = match.group(1)
            for pair, contracted in contractions.items():
                first, article = pair.split(" ")
                if word.casefold() == first and (
                    value.startswith(article + " ") or _name_article(data, article, value)
                ):
                    return before[: match.start(1)] + _same_case(contracted, word) + " ", value[len(article) + 1 :]
    elided = data.get("elided", ())
    if elided and vowel_sound(value, language):
        match = re.search(r"(?:^|(?<=[\s(]))(\w+) $", before)
        if match is not None and match.group(1).casefold() in elided:
            return before[: match.end(1) - 1] + "'", value
    return before, value


def missing_article(language: str, name: str, nouns: str = "institutions") -> str | None:
    """The article a name lacks (``la`` for ``Secretaría de Gobernación``), or None.

    A name needs one when one of its words before any ``(`` or ``,`` is one of the language's
    ``nouns`` (``institutions``: a public body's; ``plans``: an action plan's; ``organisations``:
    a signatory's, where a language that puts its noun first, ``noun_first``, looks at the first
    word only); it has its
    article when its first word is a determiner (``the``, ``la``, ``l'``). Names of people are
    never asked for one. The article is the noun's when the name begins with it (or the
    language's only one, English "the"), else the empty string: one is missing, and the user
    knows which. A recipient is typed with its article, so French elides it (``l'Assemblée``);
    a signatory's is a field of its own, given as the noun's gender has it (``la`` for
    ``Association``: the letter elides it).
    """
    data = rules(language)
    table: Mapping[str, str] = data.get(nouns, {})
    words = re.findall(r"\w+", re.split(r"[(,]", name, maxsplit=1)[0].casefold())
    if not words or words[0] in data.get("determiners", ()):
        return None
    if not any(word in table for word in (words[:1] if nouns == "organisations" and data.get("noun_first") else words)):
        return None
    only = set(table.values())  # English: every body takes "the"
    # A plan's noun comes after its ordinal ("Tercer Plan", "troisième Plan"): its article is the noun's.
    head = words[0] if nouns != "plans" else next(word for word in words if word in table)
    article = table.get(head) or (only.pop() if len(only) == 1 else "")
    if article in data.get("elided", ()) and nouns != "organisations" and vowel_sound(name, language):
        return article[:-1] + "'"  # French "le", "la" before a vowel: "l'Assemblée"
    return article


def bare_acronym(language: str, name: str) -> bool:
    """Whether ``name`` begins with an acronym and no article where the language gives acronyms one ("SFP")."""
    first = re.split(r"[\s(,]", name.strip(), maxsplit=1)[0]
    return (
        bool(rules(language).get("acronym_article"))
        and re.fullmatch(r"[^\W\d_]{2,10}", first) is not None
        and first.isupper()
    )


def article_form(language: str, article: str) -> str | None:
    """What an article says of the name after it, for agreement: ``m``, ``f``, ``mp``, ``fp``, ``""`` (not known).

    None when ``article`` is not one of the articles a signatory's name may take in ``language``
    (``the``; ``el``, ``la``, ``los``, ``las``; ``le``, ``la``, ``l'``, ``les``).
    """
    from casefile.case.kinds import SIGNATORY_ARTICLES

    return SIGNATORY_ARTICLES.get(language, {}).get(article)


def with_article(language: str, article: str, name: str) -> str:
    """A name as a sentence says it: ``el CENIDH``, ``l'Association...`` (``la`` elided), ``the Centre``."""
    if not article or not name:
        return name
    if article.endswith("'"):
        return article + name
    return "".join(join(language, article + " ", name))


def and_word(language: str, word: str, following: str) -> str:
    """The word for "and" before ``following``: Spanish writes ``e`` before an i sound (``Fundar e Iniciativa``)."""
    replacement = rules(language).get("and_before_i")
    if replacement is None:
        return word
    start = following[max(_first_letter(following), 0) :].casefold()
    if start.startswith(("i", "í", "hi", "hí")) and not start.startswith(("hia", "hie", "hio", "hiu")):
        return str(replacement)
    return word


def assemble(language: str, message: str, values: Mapping[str, Any]) -> str:
    """``message.format(**values)``, with each value joined to the text before it as ``language`` does.

    A value that begins a sentence is capitalised; a :class:`Verbatim` value is put in untouched.
    """
    text = ""
    for literal, field, spec, conversion in _FORMATTER.parse(message):
        text += literal
        if field is None:
            continue
        raw = values[field]
        value = _FORMATTER.convert_field(raw, conversion) if conversion else raw
        written = format(value, spec or "")
        if isinstance(raw, Verbatim):
            text += written
            continue
        if isinstance(raw, Listed) and not (conversion or spec):
            written = _each_after(language, text, raw)
        text, written = join(language, text, written)
        if starts_sentence(text):
            written = capitalise(written)
        text += written
    return text


def number_words(language: str) -> Mapping[str, str]:
    """The words for the numbers zero to ten in ``language``, from its catalogue."""
    from casefile.letter.catalogue import catalogue

    messages = catalogue(language)
    return {key.removeprefix("number."): text for key, text in messages.items() if key.startswith("number.")}


def plural_category(language: str, count: int) -> str:
    """The CLDR plural category of ``count`` in ``language`` (``one``, ``other``, ``many``...)."""
    category: str = _plural_rule(language)(count)
    return category


@functools.cache
def _plural_rule(language: str) -> Any:
    from babel import Locale

    return Locale.parse(language).plural_form


class Count:
    """A count in running text: a word up to ten (``tres``, ``trois``), digits above.

    ``{count}`` writes the masculine word, ``{count:f}`` the feminine one (``una``, ``une``).
    """

    __slots__ = ("language", "value")

    def __init__(self, value: int, language: str) -> None:
        self.value = value
        self.language = language

    def __format__(self, spec: str) -> str:
        if 0 <= self.value <= 10:
            words = number_words(self.language)
            if spec == "f" and self.value == 1:
                return words["one_f"]
            return words[_NUMBER_KEYS[self.value]]
        from babel.numbers import format_decimal

        return format_decimal(self.value, locale=self.language)

    def __str__(self) -> str:
        return format(self, "")


_NUMBER_KEYS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
