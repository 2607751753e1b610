"""Texts of the letter worked out before its language is known, and kept in the parse cache.

A large case's letter spends much of its time escaping each event's title and description and
writing each source's footnote. None of that depends on the letter's language when a source has
no date, so :func:`prepared_texts` works it out per event, :func:`casefile.storage.store.load_with`
keeps it beside the events it was made from, and the letter uses it through :class:`Prepared`.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from casefile.case.model import Event, Source
from casefile.letter import markdown
from casefile.letter.markdown import citation, escape_text, link_text

#: What :func:`prepared_texts` gives for one event: its title and its description escaped (None
#: when escaping leaves it as it is), and for each of its sources its footnote text (True when
#: that is just "title. <url>", None when it is written with the letter's language). Most texts
#: need no escaping: keeping None and True instead keeps the cache small and quick to read.
PreparedEvent = tuple[str | None, str | None, tuple[str | bool | None, ...]]


@dataclass(frozen=True, slots=True)
class Prepared:
    """Texts of the letter's events and sources worked out earlier, by the object they belong to."""

    events: Mapping[int, tuple[Event, str, str]] = field(default_factory=dict)
    sources: Mapping[int, tuple[Source, str]] = field(default_factory=dict)

    @classmethod
    def of(cls, events: Sequence[Event], texts: Sequence[PreparedEvent]) -> Prepared:
        """``texts`` (from :func:`prepared_texts`) for ``events``, in the same order.

        Texts that do not have the shape prepared_texts gives (a damaged cache) are not used:
        the letter then works everything out itself.
        """
        by_event: dict[int, tuple[Event, str, str]] = {}
        by_source: dict[int, tuple[Source, str]] = {}
        try:
            for event, (title, description, footnotes) in zip(events, texts, strict=True):
                if not (_text_or_none(title) and _text_or_none(description)):
                    raise ValueError("not a text")
                by_event[id(event)] = (
                    event,
                    event.title if title is None else title,
                    event.description if description is None else description,
                )
                for source, footnote in zip(event.sources, footnotes, strict=True):
                    if footnote is True:
                        by_source[id(source)] = (source, _simple_footnote(source))
                    elif type(footnote) is str:
                        by_source[id(source)] = (source, footnote)
                    elif footnote is not None:
                        raise ValueError("not a footnote")
        except (TypeError, ValueError):
            return cls()
        return cls(events=by_event, sources=by_source)


def _text_or_none(value: object) -> bool:
    return value is None or type(value) is str


def prepared_texts(events: Sequence[Event]) -> list[PreparedEvent]:
    """What the letter writes of each event whatever its language, for the parse cache to keep.

    Escaping the titles, descriptions and sources of a large case is a good part of drafting its
    letter; :func:`casefile.storage.store.load_with` keeps these once per part of the file.
    """
    return [
        (
            _changed(event.title, escape_text(event.title)),
            _changed(event.description, escape_text(event.description)),
            tuple(_prepared_footnote(source) for source in event.sources),
        )
        for event in events
    ]


def _changed(text: str, escaped: str) -> str | None:
    return None if escaped == text else escaped


def _prepared_footnote(source: Source) -> str | bool | None:
    text = plain_footnote_text(source)
    return True if text is not None and text == _simple_footnote(source) else text


def _simple_footnote(source: Source) -> str:
    return f"{source.title}. <{source.url}>"


#: The code whose changes change what prepared_texts gives.
_MADE_BY = (__file__, markdown.__file__)


@functools.cache
def prepared_texts_name() -> str:
    """The name under which :func:`prepared_texts` are kept: it changes with the code that makes them."""
    import hashlib

    from casefile import __version__

    stamp: list[Any] = [__version__]
    for path in _MADE_BY:
        try:
            status = os.stat(path)
            stamp.append((status.st_mtime_ns, status.st_size))
        except OSError:  # installed without its source files: the version alone
            stamp.append(None)
    return "letter-" + hashlib.sha256(repr(stamp).encode()).hexdigest()[:16]  # family "letter": see per_event


def plain_footnote_text(source: Source) -> str | None:
    """A source's footnote text when nothing in it depends on the language (no dates), else None."""
    if source.date is not None or source.archived_url or source.accessed is not None:
        return None
    parts = [escape_text(part) for part in (source.title, source.publisher) if part]
    if source.url:
        parts.append(link_text(source.url))
    return citation(parts)
