"""Checks of what the letter will say: private data in public text, facts after the letter's date,
texts with no version in the letter's language, and joins a careful translator would not write.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from casefile.case.model import Case
from casefile.i18n import N_
from casefile.letter.findings import Day, Finding, Name, Phrase, info, warning

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w/.-])\+?\(?\d[\d ().-]{7,}\d(?![\w/-])")
_NOT_PHONE = re.compile(r"\d{4}-\d{2}(-\d{2})?|\d{4}\s*[-/]\s*\d{4}")


#: What every phone match holds (the pattern without its look-arounds): a plain scan, no look-behind per position.
_DIGIT_RUN = re.compile(r"\d[\d ().-]{7,}\d")
_DIGIT = re.compile(r"\d")
_ASCII_DIGITS = "0123456789"


def _has_digit(text: str) -> bool:
    """Whether ``text`` holds a decimal digit (what ``\\d`` matches).

    Up to U+00FF the only such digits are 0-9, which ``in`` finds at memchr speed; a text with
    characters beyond that is scanned by the regular expression.
    """
    if not text.isascii():
        try:
            text.encode("latin-1")
        except UnicodeEncodeError:
            return _DIGIT.search(text) is not None
    return any(digit in text for digit in _ASCII_DIGITS)


def _has_phone(text: str) -> bool:
    """A run of 8+ digits with phone punctuation that is not a date or a range of years."""
    if not _has_digit(text) or _DIGIT_RUN.search(text) is None:
        return False
    for match in _PHONE.finditer(text):
        found = match.group(0)
        digits = sum(char.isdigit() for char in found)
        if digits >= 8 and not _NOT_PHONE.fullmatch(found.strip()):
            return True
    return False


def _public_texts(case: Case) -> list[tuple[str, str, str]]:
    """(item id, field, text) for every text the letter prints, in any language."""
    from casefile.case.translations import translation_texts

    def translated(item_id: str, owner: Any, prefix: str = "") -> list[tuple[str, str, str]]:
        if owner.translations is None:  # most items: no call at all
            return []
        return [(item_id, f"{prefix}{name} ({language})", text) for language, name, text in translation_texts(owner)]

    texts = [("", "request", case.request), *translated("", case)]
    for event in case.events:
        texts += ((event.id, "title", event.title), (event.id, "description", event.description))
        if event.translations is not None:
            texts += translated(event.id, event)
    for demand in case.demands:
        texts += ((demand.id, "subject", demand.subject), (demand.id, "text", demand.text))
        texts += translated(demand.id, demand)
        for response in demand.responses:
            texts.append((demand.id, "responses.summary", response.summary))
            texts += translated(demand.id, response, "responses.")
    for concern in case.concerns:
        texts += ((concern.id, "title", concern.title), (concern.id, "summary", concern.summary))
        texts += translated(concern.id, concern)
    return texts


#: Texts looked at together: joined, a few hundred kilobytes that stay in the processor's cache
#: while they are searched for each character.
_CHUNK = 256


def _candidates(texts: list[str]) -> tuple[set[int], set[int]]:
    """The places in ``texts`` of the texts holding an "@", and of those holding a decimal digit
    (what ``\\d`` matches).

    Most texts of a large case hold neither: ``str.find`` (memchr) rules out a few hundred texts
    at a time, joined; only a group that holds one is looked at text by text.
    """
    with_at: set[int] = set()
    with_digit: set[int] = set()
    for first in range(0, len(texts), _CHUNK):
        group = texts[first : first + _CHUNK]
        joined = "".join(group)
        if "@" in joined:
            with_at.update(first + place for place, text in enumerate(group) if "@" in text)
        if not joined.isascii():
            try:
                joined.encode("latin-1")
            except UnicodeEncodeError:  # digits of other scripts may be there: ask each text
                with_digit.update(first + place for place, text in enumerate(group) if _has_digit(text))
                continue
        # Up to U+00FF the only decimal digits are 0-9.
        if any(digit in joined for digit in _ASCII_DIGITS):
            with_digit.update(
                first + place for place, text in enumerate(group) if any(digit in text for digit in _ASCII_DIGITS)
            )
    return with_at, with_digit


def private_data_in_public_text(case: Case, today: datetime.date) -> list[Finding]:
    """An email address or phone number in public text is probably private data."""
    public = _public_texts(case)
    # Only texts holding an "@" or a digit can hold an email or a phone number (the email pattern
    # would backtrack over every word of any other text, the phone pattern look behind every character).
    with_at, with_digit = _candidates([text for _, _, text in public])
    findings = []
    for place in sorted(with_at | with_digit):
        item_id, field, text = public[place]
        for kind, found in (
            (N_("an email address"), place in with_at and _EMAIL.search(text) is not None),
            (N_("a phone number"), place in with_digit and _has_phone(text)),
        ):
            if found:
                findings.append(
                    warning(
                        "private-data",
                        item_id,
                        N_(
                            "The {field} holds {kind}, which the letter would publish. Move it to a private note "
                            "or the signatory's email."
                        ),
                        field=field,
                        kind=Phrase(kind),
                    )
                )
    return findings


_WHAT = {
    "event": N_("The event"),
    "demand": N_("The demand"),
    "response": N_("A response to the demand"),
    "reminder": N_("A reminder"),
}


def dates_after_letter(case: Case, today: datetime.date) -> list[Finding]:
    """The letter states facts as of its date: what came later is left out, what may have is flagged.

    ``today`` is the letter's date. Run on the whole case (the other rules see only the facts
    the letter keeps).
    """
    from casefile.case.bounds import Side, out_of_bounds

    findings = []
    for found in out_of_bounds(case, today):
        what, day = _WHAT[found.what], today.isoformat()
        if found.side is Side.AFTER:
            left_out = {
                "response": N_("the letter leaves it out and counts the demand as unanswered on its date"),
                "reminder": N_("the letter leaves it out"),
            }.get(found.what, N_("the letter leaves it out, with its sources"))
            message = N_(
                "{what} is dated {date}, after the letter's date ({day}): {left_out}. To include it, "
                "date the letter later (`--as-of YYYY-MM-DD`, or `casefile set-letter-date YYYY-MM-DD`)."
            )
            findings.append(
                warning(
                    "after-letter-date",
                    found.item_id,
                    message,
                    what=Phrase(what),
                    date=found.date,
                    day=Day(day),
                    left_out=Phrase(left_out),
                )
            )
        else:
            message = N_(
                "{what} is dated {date}, which may fall before or after the letter's date ({day}); "
                "the letter keeps it. If it came later, give its exact date with `casefile edit {id} "
                "--date YYYY-MM-DD`."
            )
            findings.append(
                warning(
                    "uncertain-letter-date",
                    found.item_id,
                    message,
                    what=Phrase(what),
                    date=found.date,
                    day=Day(day),
                    id=found.item_id,
                )
            )
    return findings


def articles_missing(case: Case, language: str, today: datetime.date) -> list[Finding]:
    """The names the letter puts in a sentence without the article they need there (see below)."""
    return [
        *recipients_without_article(case, language),
        *action_plan_without_article(case, language),
        *signatories_without_article(case, language, today),
    ]


def recipients_without_article(case: Case, language: str) -> list[Finding]:
    """A public body the letter names after a preposition with no article: "sent to Ministry of...".

    The letter writes a demand's recipient as it is typed ("se envió a {to}", "{to} respondió"),
    so the article must be in the text; the fix gives it where the body's noun tells which.
    """
    from casefile.case.translations import text_in
    from casefile.letter.grammar import bare_acronym, missing_article

    findings = []
    for demand in case.demands:
        texts = text_in(demand, language) if language != case.language.value else None
        translated: str = texts.to if texts is not None else ""
        name = translated or demand.to
        article = missing_article(language, name)
        option = f"translate {demand.id} --language {language} --to" if translated else f"edit {demand.id} --to"
        if article is None:  # "SFP", "INAI": Spanish and French say "la SFP", "l'INAI"; which, only the user knows
            if bare_acronym(language, name):
                fix = f'casefile {option} "... {name}"'
                findings.append(info("recipient-acronym", demand.id, _BARE_ACRONYM, to=Name(name), fix=fix))
            continue
        written = f"{article}{name}" if article.endswith("'") else f"{article or '...'} {name}"
        fix = f'casefile {option} "{written}"'
        findings.append(warning("recipient-article", demand.id, _NO_ARTICLE, to=Name(name), fix=fix))
    return findings


_BARE_ACRONYM = N_(
    'The recipient "{to}" is an acronym with no article, and the letter puts it after a preposition ("sent to '
    '{to}"). If a sentence gives it one, write it with it: `{fix}`.'
)


def action_plan_without_article(case: Case, language: str) -> list[Finding]:
    """The action plan written with no article after "during": "surgieron durante Tercer Plan de Acción".

    The letter writes it as it is typed, so the article must be in the text; the fix gives it
    where the plan's noun tells which (``el`` for ``Plan``), in the case's language with
    ``edit-case`` and in another with ``translate case``.
    """
    from casefile.case.translations import text_in
    from casefile.letter.grammar import missing_article

    own = language == case.language.value
    translated: str = "" if own else getattr(text_in(case, language), "action_plan", "") or ""
    name = case.action_plan if own else translated  # an original in another language: missing-translation
    article = missing_article(language, name, "plans") if name else None
    if article is None:
        return []
    written = f"{article}{name}" if article.endswith("'") else f"{article or '...'} {name}"
    option = f"translate case --language {language} --action-plan" if translated else "edit-case --action-plan"
    fix = f'casefile {option} "{written}"'
    return [warning("action-plan-article", "", _NO_PLAN_ARTICLE, plan=name, fix=fix)]


_NO_PLAN_ARTICLE = N_(
    'The action plan "{plan}" is written without its article, and the letter puts it after a preposition '
    '("during {plan}"). Write it as it reads there: `{fix}`.'
)


def signatories_without_article(case: Case, language: str, today: datetime.date) -> list[Finding]:
    """An organisation the letter names in a sentence with no article: "encabezadas por Centro Nicaragüense...".

    Those named are the lead, a signatory alone, and the senders of demands not said to be sent
    by "all the signatory organisations" (as the letter of ``today`` says it). Their article is a
    field of its own (the signature list gives the name without it), so the fix sets it, in the
    case's language with ``edit`` and in another with ``translate``; whether the name takes one
    is told by :func:`missing_article` from the language's small table of organisation nouns.
    """
    from casefile.case.model import Role, SignatoryKind
    from casefile.case.translations import text_in
    from casefile.letter.grammar import missing_article
    from casefile.letter.letter import demand_outcome

    told = (demand_outcome(demand, case, today, language) for demand in case.demands)
    senders = {sender for outcome in told if not outcome.all_of for sender in outcome.demand.by}
    findings = []
    for signatory in case.signatories:
        named = signatory.role is Role.LEAD or len(case.signatories) == 1 or signatory.id in senders
        if not named or signatory.kind is SignatoryKind.INDIVIDUAL:
            continue
        own = language == case.language.value
        texts = None if own else text_in(signatory, language)
        if (signatory.article if own else texts is not None and texts.article) or not signatory.name:
            continue
        name = getattr(texts, "name", "") or signatory.name
        short_name = getattr(texts, "short_name", "") or signatory.short_name
        lacking = [missing_article(language, text, "organisations") for text in (name, short_name) if text]
        article = next((found for found in lacking if found is not None), None)
        if article is None:
            continue
        option = "edit {id}" if own else "translate {id} --language {language}"
        fix = f"casefile {option.format(id=signatory.id, language=language)} --article {article or '...'}"
        leads = signatory.role is Role.LEAD or len(case.signatories) == 1  # else named as a demand's sender
        message = _NO_SIGNATORY_ARTICLE if leads else _NO_SENDER_ARTICLE
        findings.append(info("signatory-article", signatory.id, message, name=Name(name), fix=fix))
    return findings


_NO_SIGNATORY_ARTICLE = N_(
    'The signatory "{name}" has no article, and the letter names it in sentences ("led by {name}"). If its name '
    "takes one there, give it (the signature list leaves it out): `{fix}`."
)


_NO_SENDER_ARTICLE = N_(
    'The signatory "{name}" has no article, and the letter names it in sentences ("a demand from {name}"). If its '
    "name takes one there, give it (the signature list leaves it out): `{fix}`."
)


_NO_ARTICLE = N_(
    'The recipient "{to}" is written without its article, and the letter puts it after a preposition '
    '("sent to {to}"). Write it as it reads there: `{fix}`.'
)


#: Who lacks a translation, as a finding names them.
_OWNERS = {
    "the case": N_("The case"),
    "event": N_("The event"),
    "demand": N_("The demand"),
    "concern": N_("The concern"),
    "signatory": N_("The signatory"),
}


def missing_translations(case: Case, language: str) -> list[Finding]:
    """A letter in another language than the case's uses the original where a text has no version in it."""
    from casefile.case.translations import LANGUAGE_NAMES, missing_translations, option_name

    name = LANGUAGE_NAMES[language]
    findings = []
    for item_id, what, missing in missing_translations(case, language):
        options = " ".join(f"{option_name(field)} ..." for field in missing)
        values = {"name": Phrase(name), "texts": ", ".join(missing), "language": language, "options": options}
        if what.startswith("response "):
            number = what.split()[1]
            message = N_(
                "The demand's response {number} has no {name} version of: {texts}; the {name} letter gives the "
                "original there. Add it with `casefile translate {id} --response {number} --language {language} "
                "{options}`."
            )
            values.update(number=number, id=item_id)
        else:
            message = N_(
                "{owner} has no {name} version of: {texts}; the {name} letter gives the original "
                "there. Add it with `casefile translate {target} --language {language} {options}`."
            )
            values.update(owner=Phrase(_OWNERS.get(what, f"The {what}")), target=item_id)
        findings.append(warning("missing-translation", item_id, message, **values))
    return findings


_GRAMMAR_ADVICE = {
    "contraction": N_('Spanish contracts "a el" and "de el" to "al" and "del"'),
    "elision": N_("French elides before a vowel or a mute h (d', l', qu', n', s')"),
    "count-in-digits": N_("write counts up to ten in words"),
    "lowercase-start": N_("start a sentence, list item or table cell with a capital"),
    "english-word": N_(
        "this English word comes from the case file: translate it or word it so it reads in this language"
    ),
}


def letter_grammar(letter: str, language: str) -> list[Finding]:
    """Warnings for the joins in the drafted ``letter`` that a careful translator would not write.

    casefile's own sentences pass this lint, so what it finds comes from the case file's texts.
    """
    from casefile.letter.lint import lint_letter

    return [
        warning(
            "letter-grammar",
            "",
            N_("line {line}, column {column} of the {language} letter: “{excerpt}”: {advice}."),
            line=hit.line,
            column=hit.column,
            language=language,
            excerpt=hit.excerpt,
            advice=Phrase(_GRAMMAR_ADVICE[hit.rule]),
        )
        for hit in lint_letter(letter, language)
    ]
