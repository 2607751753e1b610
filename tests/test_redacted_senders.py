"""A redacted letter withholds individuals' names, never the fact that they sent a demand."""

from __future__ import annotations

import pytest

from tests.conftest import Run


def _case(run: Run, language: str) -> None:
    run("init", "--title", "Leyes", "--country", "Honduras", "--language", language, "--ogp-joined", "2011")
    for name in ("ASJ", "Red de Transparencia", "Fundación Democracia"):
        run("add-signatory", "--name", name, *(["--lead"] if name == "ASJ" else []))
    run("add-signatory", "--name", "Inés Castro", "--kind", "individual")
    run("add-signatory", "--name", "Luis Pineda", "--kind", "individual")


def _demands(run: Run, language: str) -> list[str]:
    letter = run("draft-complaint", "--redact", "--as-of", "2022-06-01").stdout
    assert "Inés" not in letter and "Luis" not in letter
    return [line for line in letter.splitlines() if line.startswith("- ") and not line.startswith("- **")]


@pytest.mark.parametrize(
    ("language", "one", "two", "with_all"),
    [
        (
            "en",
            "a demand from ASJ and a signatory whose name is withheld was sent",
            "a demand from two signatories whose names are withheld was sent",
            "a demand from all the signatory organisations and a signatory whose name is withheld was sent",
        ),
        (
            "es",
            "una solicitud de ASJ y una persona firmante cuyo nombre se reserva con el asunto",
            "una solicitud de dos personas firmantes cuyos nombres se reservan con el asunto",
            "una solicitud de todas las organizaciones firmantes y una persona firmante cuyo nombre se reserva "
            "con el asunto",
        ),
        (
            "fr",
            "une demande d'ASJ et d'une personne signataire dont le nom n'est pas communiqué a été adressée",
            "une demande de deux personnes signataires dont les noms ne sont pas communiqués a été adressée",
            "une demande de l'ensemble des organisations signataires et d'une personne signataire dont le nom n'est "
            "pas communiqué a été adressée",
        ),
    ],
)
def test_senders_whose_names_are_withheld_are_still_counted(
    run: Run, language: str, one: str, two: str, with_all: str
) -> None:
    _case(run, language)
    run("add-demand", "--date", "2022-03-01", "--to", "X", "--subject", "X", "--by", "asj", "--by", "ines-castro")
    run("add-demand", "--date", "2022-03-02", "--to", "Y", "--subject", "Y", "--by", "ines", "--by", "luis")
    everyone = ["--by", "asj", "--by", "red", "--by", "fundacion", "--by", "ines"]
    run("add-demand", "--date", "2022-03-03", "--to", "Z", "--subject", "Z", *everyone)
    lines = _demands(run, language)
    assert len(lines) == 3
    assert one in lines[0]
    assert two in lines[1]
    assert with_all in lines[2]
    named = run("draft-complaint", "--as-of", "2022-06-01").stdout  # unredacted: the names, as before
    assert "Inés Castro" in named and "withheld" not in named and "reserva" not in named
