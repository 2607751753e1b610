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
