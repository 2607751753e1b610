"""A grammar lint for drafted letters: joins a careful translator would never write.

It reads the Markdown letter line by line and reports, with their place:

- ``contraction`` (es): ``a el`` and ``de el`` left uncontracted (``al``, ``del``);
- ``elision`` (fr): ``de``, ``le``, ``la``, ``que``, ``ne``, ``se``... before a vowel or mute h;
- ``count-in-digits``: a count up to ten in digits before an organisation or person noun;
- ``lowercase-start``: a paragraph, sentence, list item or table cell starting in lowercase;
- ``english-word`` (es, fr): a fixed English word of the templates (``letter``, ``email``,
  ``note``...) or a country's English name (``Mexico``).

Proper names and titles are quoted as they are, in whatever language: the signatory and contact
sections, the addressees and the notes (sources) are not read for elision or English words.
casefile's own sentences pass this lint (the golden letters are tested with it); what it finds in
a drafted letter comes from the user's text, which ``check --language`` then points out.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import NamedTuple

from casefile.letter.grammar import rules, vowel_sound

_CODE_OR_LINK = re.compile(r"`[^`]*`|<[^>\s]+>|\[\^\d+\]|\]\([^)]*\)|https?://\S+")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+\.)\s+(?:\*\*|__|\*|_)?(?P<letter>\w)")
_SENTENCE = re.compile(r"(?P<before>\S*)[.!?](?:\*\*|\*|_|»|”|\))*\s+(?:\*\*|\*|_|«|“|\()*(?P<letter>\w)")
_PARAGRAPH = re.compile(r"^(?:\*\*|__|\*|_|«\s?|“)*(?P<letter>\w)")
# Abbreviations after which a lowercase word does not start a sentence.
_ABBREVIATIONS = frozenset({"e.g", "i.e", "etc", "cf", "vs", "p", "pp", "ej", "núm", "art", "arts", "no", "n.º"})
_COUNT_NOUNS = {
    "en": r"organi[sz]ations?|people|persons?|individuals?|signator(?:y|ies)",
    "es": r"organizaci(?:ón|ones)|personas?|firmantes?",
    "fr": r"organisations?|personnes?|signataires?",
}
# English words of the templates, where an es or fr letter would show them: a way of sending
# after a preposition ("por letter"), note marks ("notes 1, 2", es); and English headings.
_CHANNELS = r"letter|email|e-mail|meeting|phone|fax|post"
_PREPOSITIONS = {"es": r"por|de|en|a|del|al", "fr": r"par|de|en|à|au|aux|du|des|lors d'une"}


class LintHit(NamedTuple):
    """One join a careful translator would not write."""

    line: int  # 1-based
    column: int  # 1-based
    rule: str
    excerpt: str


def _sections_not_read(language: str) -> frozenset[str]:
    """Headings of the sections that hold only names and titles (signatories, contact, sources)."""
    from casefile.letter.catalogue import catalogue

    messages = catalogue(language)
    return frozenset(messages[f"heading.{key}"] for key in ("signatories", "individuals", "contact", "sources"))


@functools.cache
def _english_joins(language: str) -> re.Pattern[str]:
    """An English template word where a sentence in ``language`` put it: after one of its prepositions
    (``por letter``, ``en Mexico``), in parentheses or after a dash (``(Mexico)``), or as note marks."""
    from casefile.case.countries import names

    english, own = names("en"), names(language)
    countries = sorted(
        {name for code, name in english.items() if name != own.get(code) and name not in own.values()},
        key=len,
        reverse=True,
    )
    country = "|".join(map(re.escape, countries))
    joins = [
        rf"\b(?:{_PREPOSITIONS[language]})\s+(?:{_CHANNELS}|{country})(?![\w'’-])",
        rf"(?:\(|–\s)(?:{country})(?=\)|\*|$)",
    ]
    if language == "es":
        joins.append(r"\bnotes?\s+\d")
    return re.compile("|".join(joins))


@functools.cache
def _english_headings(language: str) -> frozenset[str]:
    """The English letter's headings that ``language``'s letter never has (``Background``)."""
    from casefile.letter.catalogue import catalogue

    def headings(language: str) -> set[str]:
        return {text for key, text in catalogue(language).items() if key.startswith("heading.") and "{" not in text}

    return frozenset(headings("en") - headings(language)) if language != "en" else frozenset()


def _blank_out(line: str) -> str:
    """``line`` with code, addresses and note marks replaced by spaces (columns kept)."""
    return _CODE_OR_LINK.sub(lambda match: " " * len(match.group()), line)


def lint_letter(text: str, language: str) -> list[LintHit]:
    """Every join in ``text`` (a Markdown letter in ``language``) a careful translator would not write."""
    return sorted(_lint(text, language))


def _lint(text: str, language: str) -> Iterator[LintHit]:
    not_read = _sections_not_read(language)
    names_only = True  # the addressees, before the first heading
    previous = ""
    counts = re.compile(r"\b(?:[0-9]|10)\s+(?:" + _COUNT_NOUNS[language] + r")\b")
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw.startswith("#"):
            heading = raw.lstrip("#").strip()
            names_only = heading in not_read
            if heading in _english_headings(language):
                yield LintHit(number, 1, "english-word", raw)
            previous = raw
            continue
        note = raw.startswith("[^")
        line = _blank_out(re.sub(r"^\[\^\d+\]:", lambda match: " " * len(match.group()), raw))

        def hit(column: int, rule: str, raw: str = raw, number: int = number) -> LintHit:
            start = max(0, column - 20)
            return LintHit(number, column + 1, rule, raw[start : column + 25].strip())

        for match in counts.finditer(line):
            yield hit(match.start(), "count-in-digits")
        yield from (hit(column, "lowercase-start") for column in _lowercase_starts(line, previous, note))
        previous = raw
        if names_only or note:
            continue
        if language == "es":
            for match in re.finditer(r"\b(?:[aA]|[dD]e) el\b", line):
                yield hit(match.start(), "contraction")
        if language == "fr":
            yield from (hit(column, "elision") for column in _missing_elisions(line))
        if language in ("es", "fr"):
            for match in _english_joins(language).finditer(line):
                yield hit(match.start(), "english-word")


def _lowercase_starts(line: str, previous: str, note: bool) -> Iterator[int]:
    """Columns where a paragraph, list item, table cell or sentence starts with a lowercase letter."""
    stripped = line.strip()
    if not stripped:
        return
    item = _LIST_ITEM.match(line)
    if item is not None:
        yield from _if_lower(item, "letter")
    elif stripped.startswith("|"):
        if not re.fullmatch(r"[|:\-\s]+", stripped):
            for cell in re.finditer(r"\|\s*(?P<letter>\w)", line):
                yield from _if_lower(cell, "letter")
    elif not previous.strip() and not note and not line.startswith(" "):
        yield from _if_lower(_PARAGRAPH.match(line), "letter")
    for sentence in _SENTENCE.finditer(line):
        before = sentence.group("before").rstrip(".").casefold()
        if before in _ABBREVIATIONS or len(before) == 1 or "." in before:
            continue  # "e.g. the", "A.C. y", "p. ej."
        yield from _if_lower(sentence, "letter")


def _if_lower(match: re.Match[str] | None, group: str) -> Iterator[int]:
    if match is not None and match.group(group).islower():
        yield match.start(group)


def _missing_elisions(line: str) -> Iterator[int]:
    data = rules("fr")
    words = "|".join(data["elided"])
    for match in re.finditer(r"(?<![\w'’-])(?:" + words + r"|si) (?P<next>[\w]+)", line, flags=re.IGNORECASE):
        word = match.group(0).split(" ")[0].casefold()
        following = match.group("next").casefold()
        if word == "si":
            if following in ("il", "ils"):
                yield match.start()
            continue
        if vowel_sound(following, "fr"):
            yield match.start()
