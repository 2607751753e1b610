"""Which items ``list`` shows: filters by tag, date range, concern, signatory and text, all ANDed.

Dates compare by the EDTF rules of :mod:`casefile.case.dates`: a partial date stands for its whole
period and a range for its whole span, so an item is kept when its period overlaps the
``--from``/``--to`` range (``2017`` is kept by ``--from 2017-06``; ``2017-02-11`` is not kept by
``--from 2017-03``). An open end (``..``) reaches as far as it needs. Text matches ignore case and
accents (``informe`` finds ``INFORMÉ``).
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from casefile.case.dates import EdtfDate
from casefile.case.model import Concern, Demand, Event, Signatory
from casefile.errors import InvalidValue
from casefile.i18n import N_, _

#: Which filters apply to which kind of item (what ``list`` names them).
APPLIES = {
    "tag": (Event,),
    "date": (Event, Demand),
    "concern": (Event, Concern),
    "signatory": (Demand, Signatory),
    "text": (Event, Demand, Signatory, Concern),
}
_OPTION = {"tag": "--tag", "date": "--from/--to", "concern": "--concern", "signatory": "--signatory", "text": "--text"}
_KIND = {Event: N_("events"), Demand: N_("demands"), Signatory: N_("signatories"), Concern: N_("concerns")}
#: The item types by the name ``list`` gives them.
ITEM_TYPES = {name: kind for kind, name in _KIND.items()}


def fold(text: str) -> str:
    """Text for matching: case and accents ignored ("Informé" -> "informe")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def _strings(value: Any) -> Iterator[str]:
    """Every piece of text inside a model value (titles, names, sources, notes...)."""
    import dataclasses

    if isinstance(value, str):
        yield value
    elif isinstance(value, EdtfDate):
        yield value.text
    elif isinstance(value, tuple | list):
        for entry in value:
            yield from _strings(entry)
    elif isinstance(value, dict):
        for entry in value.values():
            yield from _strings(entry)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _strings(getattr(value, field.name))


@dataclass(frozen=True, slots=True, kw_only=True)
class ItemFilter:
    """What an item must have to be listed; an empty filter keeps everything.

    ``concerns`` and ``signatories`` are full ids; ``tags`` and ``text`` are kept as given.
    """

    tags: tuple[str, ...] = ()
    start: EdtfDate | None = None
    end: EdtfDate | None = None
    concerns: tuple[str, ...] = ()
    signatories: tuple[str, ...] = ()
    text: str = ""

    def given(self) -> list[str]:
        """The filters in use, by name."""
        used = {
            "tag": bool(self.tags),
            "date": self.start is not None or self.end is not None,
            "concern": bool(self.concerns),
            "signatory": bool(self.signatories),
            "text": bool(self.text),
        }
        return [name for name, is_used in used.items() if is_used]

    def require_applies_to(self, kind: type) -> None:
        """Refuse a filter that means nothing for this kind of item (``--tag`` on signatories)."""
        for name in self.given():
            if kind not in APPLIES[name]:
                names = [_(_KIND[applies]) for applies in APPLIES[name]]
                kinds = (
                    names[0]
                    if len(names) == 1
                    else _("{first} and {second}").format(first=", ".join(names[:-1]), second=names[-1])
                )
                raise InvalidValue(
                    _("{option} filters {kinds}, not {kind}.").format(
                        option=_OPTION[name], kinds=kinds, kind=_(_KIND[kind])
                    )
                )

    def keeps(self, item: Any) -> bool:
        """Whether the item passes every filter given."""
        if self.tags:
            tags = {fold(tag) for tag in item.tags}
            if not all(fold(tag) in tags for tag in self.tags):
                return False
        if (self.start is not None or self.end is not None) and not self._in_range(item.date):
            return False
        if self.concerns:
            have = {item.id} if isinstance(item, Concern) else set(item.concerns)
            if not all(concern in have for concern in self.concerns):
                return False
        if self.signatories:
            have = {item.id} if isinstance(item, Signatory) else set(item.by)
            if not all(signatory in have for signatory in self.signatories):
                return False
        if self.text:
            wanted = fold(self.text)
            return any(wanted in fold(text) for text in _strings(item))
        return True

    def _in_range(self, date: EdtfDate) -> bool:
        first, last = date.first_day(), date.last_day()
        lowest, highest = datetime.date.min, datetime.date.max
        from_day = self.start.first_day() if self.start is not None else None
        to_day = self.end.last_day() if self.end is not None else None
        if from_day is not None and (last or highest) < from_day:
            return False
        return not (to_day is not None and (first or lowest) > to_day)
