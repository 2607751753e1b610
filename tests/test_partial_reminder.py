"""A reminder about a demand that got a partial answer says so: when it came and what it said,
then renews the request for what remains unanswered, instead of repeating it as if nothing came.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import DATA, Run

DEMAND = "2020-06-meeting-publish-comments"


@pytest.fixture
def case(tmp_path: Path) -> Path:
    """The United States case: the Secretariat answered the June 2020 demand in part on 2 July 2020."""
    path = tmp_path / "case.toml"
    shutil.copy(DATA / "us.toml", path)
    return path


def _reminder(run: Run, case: Path, *options: str) -> str:
    text = run("draft-reminder", DEMAND, "--as-of", "2020-08-03", "-f", str(case), *options).stdout
    return str(text).replace("\u00a0", " ")


@pytest.mark.parametrize(
    ("language", "acknowledged", "renewed"),
    [
        (
            "en",
            "with the subject “Publish the comments received”. On 2 July 2020, you sent us a partial answer. "
            "In substance: The Secretariat published a summary of the comments.",
            "We therefore renew our request in so far as it remains unanswered:",
        ),
        (
            "es",
            "con el asunto «la publicación de los comentarios recibidos». El 2 de julio de 2020, nos hicieron "
            "llegar una respuesta parcial. En sustancia: La Secretaría publicó un resumen de los comentarios.",
            "Por ello, reiteramos nuestra solicitud en la parte que sigue sin respuesta:",
        ),
        (
            "fr",
            "ayant pour objet : « la publication des commentaires reçus ». Le 2 juillet 2020, vous nous avez "
            "adressé une réponse partielle. En substance : Le Secrétariat a publié un résumé des commentaires.",
            "Nous renouvelons donc notre demande pour ce qui reste sans réponse :",
        ),
    ],
)
def test_a_reminder_acknowledges_the_partial_answer_and_renews_what_remains(
    run: Run, case: Path, language: str, acknowledged: str, renewed: str
) -> None:
    text = _reminder(run, case, "--language", language)
    assert acknowledged in text
    assert f"\n\n{renewed}\n\n" in text
    repeated = ("We therefore repeat our request", "Por ello, reiteramos nuestra solicitud:", "donc notre demande :")
    assert not any(sentence in text for sentence in repeated)


def test_a_partial_answer_with_no_summary_is_acknowledged_by_its_date(run: Run, case: Path) -> None:
    text = case.read_text(encoding="utf-8")
    case.write_text(text.replace('summary = "The Secretariat published a summary of the comments."\n', ""))
    reminder = _reminder(run, case)
    assert "“Publish the comments received”. On 2 July 2020, you sent us a partial answer.\n" in reminder
    assert "In substance" not in reminder


def test_an_unanswered_demand_is_still_repeated_as_it_was(run: Run, case: Path) -> None:
    text = run("draft-reminder", "2020-02", "--as-of", "2020-08-03", "-f", str(case)).stdout
    assert "partial answer" not in text
    assert "\n\nWe therefore repeat our request:\n\n" in text
