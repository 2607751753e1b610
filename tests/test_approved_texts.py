"""The letters signatories approved are the coalition's own records: exported only with private data."""

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
