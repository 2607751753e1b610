"""What an export without private data leaves out of the coalition's own records: approved letters, retired ids."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Run


@pytest.mark.parametrize("export_format", ["json", "csv"])
def test_a_person_made_private_after_a_sign_off_is_not_named_by_the_approved_letter(
    run: Run, export_format: str
) -> None:
    run("init", "--title", "Leyes", "--country", "Honduras", "--ogp-joined", "2011")
    run("add-signatory", "--name", "ASJ", "--lead")
    run("add-event", "--date", "2022-01-10", "--title", "Raid", "--public-affected", "Inés Castro:journalist")
    run("set-letter-date", "2022-06-01")
    run("sign-off", "asj", "--date", "2022-06-01")
    # She is under threat now: no longer to be named.
    run("edit", "2022-01-10", "--affected", "Inés Castro:journalist")
    assert "Inés Castro" not in run("draft-complaint", "--as-of", "2022-06-01").stdout
    assert "Inés" not in run("export", "--format", export_format).stdout
    # The sign-off itself is exported; its text, with private data.
    if export_format == "json":
        exported = json.loads(run("export", "--format", "json").stdout)
        assert [approval["signatory"] for approval in exported["approvals"]] == ["asj"]
        assert exported["approved_texts"] == []
    assert "Inés Castro" in run("export", "--format", export_format, "--include-private").stdout


@pytest.mark.parametrize("export_format", ["json", "csv"])
def test_a_person_removed_from_the_case_is_not_named_by_an_id_it_kept(run: Run, export_format: str) -> None:
    """A person who withdrew (and was removed) was still named in exports by the id their name made,
    which the case keeps retired, and by their sign-off."""
    run("init", "--title", "Leyes", "--country", "Honduras", "--ogp-joined", "2011")
    run("add-signatory", "--name", "ASJ", "--lead")
    run("add-signatory", "--name", "Inés Castro", "--kind", "individual")
    run("set-letter-date", "2022-06-01")
    run("sign-off", "ines-castro", "--date", "2022-06-01")
    run("sign-off", "asj", "--date", "2022-06-01")
    run("remove", "ines-castro", "--yes")
    assert "ines" not in run("export", "--format", export_format).stdout
    assert "ines" not in run("export", "--format", export_format, "--redact", "--include-private").stdout
    if export_format == "json":
        exported = json.loads(run("export", "--format", "json").stdout)
        assert [approval["signatory"] for approval in exported["approvals"]] == ["asj"]
    assert "ines-castro" in run("export", "--format", export_format, "--include-private").stdout
