"""The words casefile says to a person, in the language the command line chose.

The core marks what a user reads (mostly the messages of the errors it raises) with ``_()`` and
``ngettext()``; this module translates them with whatever translation the command line
installed, and returns them unchanged otherwise (a library caller gets English). It sits beside
``errors.py``, outside the rooms, so every room may use it; it imports nothing of the command
line. Placeholders are named (``"{path} ...".format(path=...)``) so that a translator may
reorder the sentence.
"""

from __future__ import annotations

import gettext
from typing import Protocol


class Translation(Protocol):
    """What casefile needs of a :class:`gettext.NullTranslations`."""

    def gettext(self, message: str, /) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int, /) -> str: ...


_installed: list[Translation] = [gettext.NullTranslations()]


def install(translation: Translation) -> None:
    """Speak through ``translation`` from now on (the command line calls this once per run)."""
    _installed[0] = translation


def translating() -> bool:
    """Whether a translation is installed (English needs no lookups)."""
    return type(_installed[0]) is not gettext.NullTranslations


def language() -> str:
    """The code of the language the messages are in (en when no translation is installed)."""
    if not translating():
        return "en"
    info: dict[str, str] = getattr(_installed[0], "info", dict)()
    return str(info.get("language", "en"))[:2]


def _(message: str) -> str:
    """``message`` in the user's language (itself when there is no translation)."""
    return _installed[0].gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for ``count``, in the user's language."""
    return _installed[0].ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Mark a text for the catalogue where it is defined; translate it with ``_()`` where it is shown."""
    return message


#: The system's words for the errors a user meets most (Python gives them in English).
_SYSTEM_ERRORS = (
    *(N_("No such file or directory"), N_("Permission denied"), N_("Is a directory"), N_("Not a directory")),
    *(N_("File exists"), N_("No space left on device"), N_("Read-only file system"), N_("Directory not empty")),
    *(N_("File name too long"), N_("Too many levels of symbolic links"), N_("Operation not permitted")),
)


def system_error(error: OSError) -> str:
    """What went wrong with a file, as the system says it, in the user's language when the catalogue has it."""
    return _(error.strerror) if error.strerror else str(error)
