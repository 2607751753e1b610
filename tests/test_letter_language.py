"""The letter read as a translator reads it: sentences drafted for small cases, in each language."""

from __future__ import annotations

import dataclasses
import datetime

import pytest

from casefile.case.dates import parse_date
from casefile.case.model import Case, Event
from casefile.letter.render import draft_letter
from casefile.storage.store import load
from tests.conftest import DATA

AS_OF = datetime.date(2018, 7, 16)


def base_case() -> Case:
    return load(DATA / "fixture.toml").case


def draft(case: Case, language: str) -> str:
    return draft_letter(case, language=language, as_of=AS_OF)


@pytest.mark.parametrize(
    ("language", "written"),
    [
        ("en", "- **1\u20133 February 2017**: Raids"),
        ("es", "- **Del 1 al 3 de febrero de 2017**: Raids"),
        ("fr", "- **Du 1er au 3 février 2017**"),
    ],
)
def test_days_of_one_month_name_the_month_once(language: str, written: str) -> None:
    event = Event(id="raids", date=parse_date("2017-02-01/2017-02-03"), title="Raids")
    case = dataclasses.replace(base_case(), events=(event,), concerns=(), demands=())
    assert written in draft(case, language)
