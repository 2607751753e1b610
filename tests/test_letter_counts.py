"""The background names the commitments and values the letter concerns: one is said in the
singular, several in the plural, in each language."""

from __future__ import annotations

import dataclasses
import datetime

import pytest

from casefile.case.model import Case, Concern, ConcernCategory
from casefile.letter.render import draft_letter
from casefile.storage.store import load
from tests.conftest import DATA

AS_OF = datetime.date(2018, 7, 16)


def letter(language: str, breaches: tuple[str, ...]) -> str:
    concern = Concern(
        id="closures", title="Closures", category=ConcernCategory.CIVIC_SPACE, summary="S.", breaches=breaches
    )
    case: Case = dataclasses.replace(load(DATA / "fixture.toml").case, concerns=(concern,), events=())
    return draft_letter(case, language=language, as_of=AS_OF)


@pytest.mark.parametrize(
    ("language", "one", "several"),
    [
        ("en", "the following commitment or value: Open", "the following commitments and values: Open"),
        (
            "es",
            "se refiere al siguiente compromiso o valor: Open",
            "se refiere a los siguientes compromisos y valores: Open",
        ),
        (
            "fr",
            "porte sur un engagement ou une valeur\u00a0: Open",
            "porte sur les engagements et valeurs suivants\u00a0: Open",
        ),
    ],
)
def test_one_commitment_is_said_in_the_singular(language: str, one: str, several: str) -> None:
    single = letter(language, ("Open Government Declaration",))
    plural = letter(language, ("Open Government Declaration", "OGP value: participation"))
    assert one in single
    assert several not in single
    assert several in plural
    assert one not in plural
