"""When two signatories are one: names compared as a reader compares them.

``Acción Ciudadana.``, ``Accion Ciudadana`` and ``ACCIÓN  CIUDADANA`` name the same
organisation: names are compared after folding case, accents, punctuation and spaces. A name
and a short name are both ways a signatory is named, so either may match either.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator

from casefile.case.model import Signatory


def folded(name: str) -> str:
    """``name`` without case, accents, punctuation or spaces: ``Acción Ciudadana.`` -> ``accionciudadana``."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(char for char in decomposed if char.isalnum() and not unicodedata.combining(char))


def name_keys(signatory: Signatory) -> set[str]:
    """The folded names a signatory goes by (its name and its short name), empty ones left out."""
    return {key for key in (folded(signatory.name), folded(signatory.short_name)) if key}


def same_as(new: Signatory, signatories: Iterable[Signatory]) -> list[Signatory]:
    """The signatories among ``signatories`` that ``new`` names again (not those marked distinct)."""
    keys = name_keys(new)
    return [
        other
        for other in signatories
        if other.id != new.id and keys & name_keys(other) and not _marked_distinct(new, other)
    ]


def _marked_distinct(first: Signatory, second: Signatory) -> bool:
    return second.id in first.distinct_from or first.id in second.distinct_from


def duplicates(signatories: Iterable[Signatory]) -> Iterator[tuple[Signatory, Signatory]]:
    """Each pair of signatories that name the same organisation or person, in the case's order."""
    seen: dict[str, list[Signatory]] = {}
    reported: set[tuple[str, str]] = set()
    for signatory in signatories:
        for key in sorted(name_keys(signatory)):
            for earlier in seen.get(key, []):
                pair = (earlier.id, signatory.id)
                if pair not in reported and not _marked_distinct(earlier, signatory):
                    reported.add(pair)
                    yield earlier, signatory
        for key in name_keys(signatory):
            seen.setdefault(key, []).append(signatory)
