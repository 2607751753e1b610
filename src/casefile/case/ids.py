"""Readable, stable item ids, and finding items by a unique id prefix.

Ids come from the item's date and title (``2017-02-11-citizen-lab-report``) or a signatory's
short name (``articulo-19``), so two people adding different items on two branches get
different ids without talking to each other. Titles in any script give ASCII words,
transliterated by Unidecode (``Обыск в офисе`` -> ``obysk-v-ofise``); a title with no letters
or digits at all gets a short digest of its text instead, so two such items still differ. A clash
inside one case gets a numeric suffix; ids of removed items are retired and never given out again.
Ids are made once: an item keeps its id whatever later versions of these rules would give.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar

from casefile.errors import AmbiguousId, ItemNotFound
from casefile.i18n import N_, _

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_MAX_SLUG_WORDS = 6
_MAX_TITLE_WORDS = 4
_MAX_SLUG_CHARS = 48
# Short words that make ids longer without making them easier to tell apart (en, es, fr).
_STOP_WORDS = frozenset(
    {
        *("a", "an", "and", "the", "of", "on", "in", "to", "for", "by", "with", "at", "from"),
        *("el", "la", "los", "las", "de", "del", "y", "en", "por", "para", "con", "al", "un", "una"),
        *("le", "les", "des", "du", "et", "au", "aux", "pour", "par", "sur", "une"),
        # What an apostrophe leaves of an elided word: "d'accès à l'information" -> "acces-information".
        *("d", "l", "qu", "s", "n", "c", "j"),
    }
)
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def to_ascii(text: str) -> str:
    """The text in ASCII letters: accents dropped, other scripts transliterated ("Обыск" -> "Obysk")."""
    if text.isascii():
        return text
    from unidecode import unidecode

    return unidecode(unicodedata.normalize("NFC", text))


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: "Artículo 19" -> "articulo-19"."""
    ascii_text = to_ascii(text).lower()
    words = [word for word in _NOT_SLUG.split(ascii_text) if word][: _MAX_SLUG_WORDS + 3]
    slug = "-".join(words)
    if len(slug) > _MAX_SLUG_CHARS:
        slug = slug[:_MAX_SLUG_CHARS].rsplit("-", 1)[0]
    return slug


def as_id(typed: str) -> str:
    """What an id typed as people write it stands for: "Artículo 19" -> "articulo-19" (case, accents, spaces)."""
    return _NOT_SLUG.sub("-", to_ascii(typed).lower()).strip("-")


def date_prefix(date_text: str) -> str:
    """The id prefix for a date: its start, without EDTF qualifiers ("2016-05~/.." -> "2016-05")."""
    start = date_text.split("/", 1)[0]
    digits = start.rstrip("~?%")
    return "" if digits == ".." else digits


def digest_words(text: str) -> str:
    """Six hex digits of the text's SHA-256: a stand-in for a title with no letters or digits."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:6]


def new_id(stem: str, taken: Iterable[str], *, fallback: str = "item") -> str:
    """A fresh id from ``stem``, with ``-2``, ``-3``... added when the stem is already taken."""
    base = slugify(stem) or (f"{fallback}-{digest_words(stem)}" if stem.strip() else fallback)
    taken_set = set(taken)
    if base not in taken_set:
        return base
    suffix = 2
    while f"{base}-{suffix}" in taken_set:
        suffix += 1
    return f"{base}-{suffix}"


def title_words(title: str) -> str:
    """The first few meaningful words of a title, as a slug; a digest of a title without words."""
    words = slugify(title).split("-")
    meaningful = [word for word in words if word not in _STOP_WORDS] or words
    return "-".join(meaningful[:_MAX_TITLE_WORDS]) or (digest_words(title) if title.strip() else "")


def dated_id(date_text: str, title: str, taken: Iterable[str], *, fallback: str) -> str:
    """An id for a dated item: its date, then the first meaningful words of its title."""
    return new_id(f"{date_prefix(date_text)} {title_words(title)}", taken, fallback=fallback)


class HasId(Protocol):
    """Anything with an ``id``."""

    @property
    def id(self) -> str: ...


ItemT = TypeVar("ItemT", bound=HasId)


#: The kinds of item a message may name (what ``find_by_prefix`` is told it looks for).
KIND_WORDS = (N_("item"), N_("event"), N_("demand"), N_("signatory"), N_("concern"))


#: What ``casefile list`` calls each kind (an item of any kind: its four kinds, as its usage line gives them).
_LISTED = {"event": "events", "demand": "demands", "signatory": "signatories", "concern": "concerns"}
_ANY_KIND = "events|demands|signatories|concerns"


def find_by_prefix(items: Sequence[ItemT], prefix: str, *, what: str = "item") -> ItemT:
    """The item whose id is ``prefix`` or the only one that starts with it.

    An id typed as its name is written ("Artículo 19", "artículo-19", "CIDAC") is read as the id
    would write it (``articulo-19``, ``cidac``) when nothing matches it as it is.
    """
    for item in items:
        if item.id == prefix:
            return item
    matches = [item for item in items if item.id.startswith(prefix)] if prefix else []
    typed = as_id(prefix)
    if not matches and typed and typed != prefix:  # "Artículo 19" for articulo-19
        matches = [item for item in items if item.id == typed] or [item for item in items if item.id.startswith(typed)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise ItemNotFound(
            _("no {what} has the id {prefix!r}. `{command}` lists the ids.").format(
                what=_(what),
                prefix=prefix,
                command=f"casefile list {_LISTED.get(what, _ANY_KIND)}",
            )
        )
    shown = ", ".join(sorted(item.id for item in matches)[:10])
    if len(matches) > 10:
        raise AmbiguousId(
            _("{prefix!r} matches {count} ids: {shown} and {more} more. Type more of the id.").format(
                prefix=prefix, count=len(matches), shown=shown, more=len(matches) - 10
            )
        )
    raise AmbiguousId(
        _("{prefix!r} matches {count} ids: {shown}. Type more of the id.").format(
            prefix=prefix, count=len(matches), shown=shown
        )
    )
