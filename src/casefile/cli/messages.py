"""Messages in the user's language: gettext catalogues for the command line (English, Spanish, French).

The language comes from ``casefile config language`` when it is set, else from the locale
(``LC_ALL``, then ``LC_MESSAGES``, then ``LANG``, as POSIX orders them); English otherwise. It is
only the language casefile speaks to the user in: the letter's language stays the case's
setting. Catalogues are extracted with Babel (``pybabel extract``) from the command line's
``_()`` calls and its help texts, and shipped compiled (``locale/LANG/LC_MESSAGES/casefile.mo``).

Click's own words (``Usage:``, ``Options:``, "Missing option"...) are in the same catalogue:
click asks gettext's default domain, which this module points at casefile's catalogue.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from casefile import i18n
from casefile.i18n import N_

__all__ = ["N_", "_", "ngettext", "setup", "user_language"]

LANGUAGES = ("en", "es", "fr")
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "casefile"
_current: dict[str, Any] = {}


def config_path() -> Path:
    """The user's settings file for casefile (``config.toml`` in the user config folder)."""
    from platformdirs import user_config_path

    return user_config_path("casefile", appauthor=False) / "config.toml"


def configured_language() -> str | None:
    """The language set with ``casefile config language``, if any."""
    path = config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    import tomllib

    try:
        value = tomllib.loads(text).get("language")
    except tomllib.TOMLDecodeError:
        return None
    return value if value in LANGUAGES else None


def locale_language(environ: Mapping[str, str]) -> str:
    """The language the locale asks for: the first of LC_ALL, LC_MESSAGES, LANG that is set."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            code = value.split(".", 1)[0].split("@", 1)[0].split("_", 1)[0].lower()
            return code if code in LANGUAGES else "en"
    return "en"


def user_language(environ: Mapping[str, str] | None = None) -> str:
    """The language to speak to the user in."""
    return configured_language() or locale_language(os.environ if environ is None else environ)


def setup(language: str | None = None) -> str:
    """Choose the language for this run (and click's words too); returns it."""
    import gettext

    chosen = language or user_language()
    if chosen == "en":
        translation: Any = gettext.NullTranslations()
    else:
        translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=[chosen], fallback=True)
    _current["translation"] = translation
    _current["language"] = chosen
    i18n.install(translation)  # the core's messages (its errors) in the same language
    # click's words go through gettext's module-level functions (the default domain).
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN if chosen != "en" else "messages")
    # gettext.gettext reads the language from the environment; put back what was there before.
    if "saved_language" not in _current:
        _current["saved_language"] = os.environ.get("LANGUAGE")
    if chosen != "en":
        os.environ["LANGUAGE"] = chosen
    elif _current["saved_language"] is None:
        os.environ.pop("LANGUAGE", None)
    else:
        os.environ["LANGUAGE"] = _current["saved_language"]
    return chosen


#: Words shown from values rather than literals, and typer's headings (so that they are extracted).
WORDS = (
    *(N_("events"), N_("demands"), N_("signatories"), N_("concerns")),
    N_("Example:"),
)


def current_language() -> str:
    """The language chosen for this run (en, es or fr)."""
    if "translation" not in _current:
        setup()
    return str(_current["language"])


def _(message: str) -> str:
    """``message`` in the user's language (itself when there is no translation)."""
    if "translation" not in _current:
        setup()
    return i18n._(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for ``count``, in the user's language."""
    if "translation" not in _current:
        setup()
    return i18n.ngettext(singular, plural, count)


def said_error(error: Any) -> str:
    """A :class:`~casefile.errors.CasefileError`'s message, its places joined as the user's language
    joins them: a case file's problems read "dossier.toml : ligne 8 : events[1].date : …" in French
    (the core, which speaks no language of its own, joins them in English)."""
    from casefile.errors import CaseFileInvalid

    if not isinstance(error, CaseFileInvalid) or not error.problems:
        return str(error.message)
    joined = _("{place}: {message}")
    return "\n".join(
        joined.format(
            place=error.path,
            message=joined.format(place=problem.place, message=problem.message) if problem.place else problem.message,
        )
        for problem in error.problems
    )


def said_day(day: Any) -> str:
    """A day (a date, or its text) as the user's language writes it: "15 June 2025", "1er juin 2025".

    Text that is no single day (a hand-edited "2025-06") is given back as it is.
    """
    import datetime

    from casefile.case.datewords import write_day, write_day_text

    if isinstance(day, datetime.date):
        return write_day(day, current_language())
    return write_day_text(str(day), current_language())


def said_word(section: str, value: str) -> str:
    """A demand's status or a review's stage (``section`` "status" or "stage") as the letter's catalogue
    of the user's language names it ("sin respuesta", "accusé de réception"); English keeps the word
    people type (``partial``, ``government-response``)."""
    from casefile.letter.catalogue import catalogue

    language = current_language()
    if language == "en":
        return value
    return catalogue(language).get(f"{section}.{value}", value)


def how_sent(channel: str) -> str:
    """How something was sent, as the letter of the user's language says it after its verb
    (" par courriel", " by email", " por correo electrónico"; " par fax-modem" for one it does not know)."""
    from casefile.letter.catalogue import catalogue
    from casefile.letter.grammar import channel_key

    if not channel:
        return ""
    key = channel_key(channel)
    words = catalogue(current_language())
    return words[f"channel.{key}"] if key is not None else words["channel.other"].format(channel=channel)


def translate_root(group: Any) -> None:
    """The root command's own help and options in the user's language (not its sub-commands)."""
    if _current.get("language", "en") == "en":
        return
    for thing in (group, *group.params):  # each once: its help may be called for after __init__ too
        if getattr(thing, "help", None) and not getattr(thing, "casefile_translated", False):
            thing.help = _(thing.help)
            thing.casefile_translated = True


def translate_command(command: Any) -> None:
    """The command's help, options' help and example in the user's language."""
    if _current.get("language", "en") == "en":
        return
    for sub in getattr(command, "commands", {}).values():
        translate_command(sub)
    if command.help:
        command.help = _(command.help)
    if command.short_help:
        command.short_help = _(command.short_help)
    for param in command.params:
        if getattr(param, "help", None):
            param.help = _(param.help)


def save_language(language: str | None) -> None:
    """Keep the chosen language in the user's settings (None: follow the locale)."""
    from casefile.storage.files import write_atomic

    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    text = "" if language is None else f'language = "{language}"\n'
    write_atomic(path, text, backup=False)
