"""A redacted letter lists the evidence files by their digest, never by the names they were given."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Run


def test_a_redacted_export_gives_no_evidence_file_name_or_path(run: Run, isolated: Path) -> None:
    run("init", "--title", "Leyes", "--country", "Honduras", "--ogp-joined", "2011")
    run("add-signatory", "--name", "ASJ", "--lead")
    run("add-event", "--date", "2022-01-10", "--title", "Raid")
    statement = isolated / "Declaración de Inés Castro.pdf"
    statement.write_bytes(b"%PDF-1.4 statement")
    run("attach", "2022-01-10", str(statement))
    video = isolated / "ines-castro" / "raid.mp4"
    video.parent.mkdir()
    video.write_bytes(b"video")
    run("attach", "2022-01-10", str(video), "--link")
    letter = run("draft-complaint", "--redact", "--as-of", "2022-06-01").stdout
    assert "Inés" not in letter and "ines" not in letter
    digest = json.loads(run("show", "2022-01-10", "--json").stdout)["attachments"][0]["sha256"]
    assert f"{digest[:12]}.pdf (application/pdf, 18 bytes)" in letter  # still listed, with its digest
    for export_format in ("json", "csv", "timeline", "html"):
        for private in ([], ["--include-private"]) if export_format != "html" else ([],):
            text = run("export", "--format", export_format, "--redact", *private).stdout
            assert "ines" not in text.casefold() and "inés" not in text.casefold(), (export_format, private)
    assert "Declaración de Inés Castro.pdf" in run("draft-complaint", "--as-of", "2022-06-01").stdout
