"""A redacted export names no person anywhere, not even through an id made from a name or an email."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Run


def _case(run: Run) -> None:
    run("init", "--title", "Leyes", "--country", "Honduras", "--ogp-joined", "2011")
    run("add-signatory", "--name", "ASJ", "--lead", "--representative", "Rosa Quintero", "--email", "rosa.q@asj.hn")
    run("add-signatory", "--name", "Inés Castro", "--kind", "individual", "--email", "ines.castro@correo.hn")
    # A second person of the same name: the case records that the two are different people.
    run("add-signatory", "--name", "Inés Castro", "--kind", "individual", "--allow-duplicate")


@pytest.mark.parametrize("export_format", ["json", "csv"])
def test_a_redacted_export_keeps_no_id_made_from_a_name(run: Run, export_format: str) -> None:
    _case(run)
    assert "ines-castro" in run("show", "ines-castro-2").stdout  # distinct_from names the other one
    text = run("export", "--format", export_format, "--redact").stdout
    assert "ines" not in text.lower() and "castro" not in text.lower()
    if export_format == "json":
        signatories = json.loads(text)["signatories"]
        assert [s["id"] for s in signatories] == ["asj", "individual-1", "individual-2"]
        assert signatories[2]["distinct_from"] == ["individual-1"]  # still says who is someone else


@pytest.mark.parametrize("export_format", ["json", "csv", "timeline"])
def test_a_redacted_export_with_private_data_gives_no_email_of_a_person(run: Run, export_format: str) -> None:
    _case(run)
    text = run("export", "--format", export_format, "--redact", "--include-private").stdout
    for person in ("rosa", "ines", "castro"):
        assert person not in text.lower()
    assert "rosa.q@asj.hn" in run("export", "--format", export_format, "--include-private").stdout or (
        export_format == "timeline"  # the timeline shows no signatory
    )


@pytest.mark.parametrize("export_format", ["json", "csv", "timeline"])
def test_a_key_added_by_hand_to_a_person_is_not_in_a_redacted_export(
    run: Run, isolated: Path, export_format: str
) -> None:
    """A phone added by hand to the contact, a signatory, an affected person or a file record is
    kept in the case (an unknown key) and in a plain export, but a redacted one is to be published."""
    _case(run)
    run("edit-case", "--contact-name", "Rosa Quintero", "--contact-email", "rosa.q@asj.hn")
    run("add-event", "--date", "2022-03-14", "--title", "Threats", "--affected", "Inés Castro:member of the forum")
    path = isolated / "casefile.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("[case.contact]\n", '[case.contact]\nphone = "+504 9999-0001"\n', 1)
    text = text.replace("[[signatories]]\n", '[[signatories]]\nphone = "+504 9999-0002"\n', 1)
    text = text.replace('role = "member of the forum" }', 'role = "member of the forum", phone = "+504 9999-0003" }', 1)
    path.write_text(text, encoding="utf-8")
    assert text.count("+504 9999") == 3
    assert "+504 9999" in run("export", "--format", "json", "--include-private").stdout
    redacted = run("export", "--format", export_format, "--redact", "--include-private", "--as-of", "2022-09-01")
    assert "9999" not in redacted.stdout


def _names_in_free_text(run: Run) -> None:
    _case(run)
    run("edit-case", "--contact-name", "Juan Pérez", "--contact-organisation", "ASJ")
    run(
        "add-event", "--date", "2022-03-14", "--title", "Threats", "--source", "https://asj.hn/a",
        "--description", "ROSA QUINTERO reported that Juan Perez was followed.",
        "--affected", "Marta Ruiz:member of the forum",
    )  # fmt: skip
    run("add-event", "--date", "2022-04-01", "--title", "Raid on an office", "--source", "https://asj.hn/b")
    run("add-concern", "--title", "Harassment of Marta Ruiz", "--category", "civic-space")


WARNINGS = [
    "casefile: warning: 2022-03-14-threats (description) still holds the name of the contact person, which --redact "
    "leaves out; the redacted output may show it. Reword that text before publishing it.",
    "casefile: warning: 2022-03-14-threats (description) still holds the name of the representative of asj, which "
    "--redact leaves out; the redacted output may show it. Reword that text before publishing it.",
    "casefile: warning: harassment-marta-ruiz (id) still holds the name of a person affected by 2022-03-14-threats, "
    "which --redact leaves out; the redacted output may show it. Reword that text before publishing it.",
    "casefile: warning: harassment-marta-ruiz (title) still holds the name of a person affected by "
    "2022-03-14-threats, which --redact leaves out; the redacted output may show it. Reword that text before "
    "publishing it.",
]


@pytest.mark.parametrize(
    "command",
    [
        ["export", "--format", "json", "--redact"],
        ["export", "--format", "markdown", "--redact", "--as-of", "2022-09-01"],
        ["export", "--format", "csv", "--redact", "--include-private"],
        ["draft-complaint", "--redact", "--as-of", "2022-09-01"],
    ],
)
def test_a_redacted_export_warns_of_each_removed_name_still_in_free_text(run: Run, command: list[str]) -> None:
    """A person's name typed into a description or a title went out in the "safe to publish" version
    without a word: --redact removes the fields that are names, and cannot know the others."""
    _names_in_free_text(run)
    for _again in range(2):  # the second time the export is kept: it warns all the same
        result = run(*command)  # exit status unchanged
        assert [line for line in result.stderr.splitlines() if "warning" in line] == WARNINGS
    plain = run(*[word for word in command if word != "--redact"])
    assert "warning" not in plain.stderr  # nothing is redacted there: no name is "left"


def test_no_warning_when_free_text_names_no_removed_person(run: Run) -> None:
    _case(run)
    run("add-event", "--date", "2022-03-14", "--title", "Threats to ASJ", "--source", "https://asj.hn/a")
    assert "warning" not in run("export", "--format", "json", "--redact").stderr
    assert "warning" not in run("draft-complaint", "--redact").stderr


def test_the_core_returns_where_each_name_is_left_and_prints_nothing(run: Run, isolated: Path) -> None:
    from casefile.storage.store import load
    from casefile.workflow.privacy import public_case
    from casefile.workflow.redaction import NameLeft, names_left

    _names_in_free_text(run)
    case = load(isolated / "casefile.toml").case
    assert names_left(case, public_case(case, redact=True)) == [
        NameLeft("event", "2022-03-14-threats", "description", "contact", ""),
        NameLeft("event", "2022-03-14-threats", "description", "representative", "asj"),
        NameLeft("concern", "harassment-marta-ruiz", "id", "affected", "2022-03-14-threats"),
        NameLeft("concern", "harassment-marta-ruiz", "title", "affected", "2022-03-14-threats"),
    ]
