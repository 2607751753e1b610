"""Exports and the letter are kept for the case file's bytes and every other input, and made again when any changes.

Making an export of a large case is most of its time; the same export of the same bytes is read
back from the parse cache (:mod:`casefile.storage.derived`), as ``status`` is. These tests count
how often an export is made, and check that a kept one is never given for another file, option,
day, template or reference document.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from casefile.exchange import exports
from casefile.letter import render
from tests.conftest import Run


@pytest.fixture
def case(mexico_case: Path) -> Path:
    return mexico_case


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The exports and letters made (nothing is added when one was kept)."""
    formats: list[str] = []
    export_case, draft = exports.export_case, render.draft_letter_pieces

    def counted_export(case: Any, export_format: Any, **options: Any) -> bytes:
        formats.append(export_format.value)
        return export_case(case, export_format, **options)

    def counted_draft(case: Any, **options: Any) -> list[str]:
        formats.append("draft-complaint")
        return draft(case, **options)

    monkeypatch.setattr(exports, "export_case", counted_export)
    monkeypatch.setattr(render, "draft_letter_pieces", counted_draft)
    return formats


def _export(run: Run, case: Path, *args: str) -> bytes:
    out = case.parent / "out"
    run("export", *args, "-o", str(out), "-f", str(case))
    return out.read_bytes()


def test_the_same_export_is_read_back(run: Run, case: Path, made: list[str]) -> None:
    for export_format in ("json", "html", "docx", "csv", "ics"):
        first = _export(run, case, "--format", export_format, "--as-of", "2018-07-16")
        assert _export(run, case, "--format", export_format, "--as-of", "2018-07-16") == first
    # (A letter format drafts the letter as draft-complaint does, once.)
    assert made == ["json", "html", "draft-complaint", "docx", "draft-complaint", "csv", "ics"]
    letter = run("draft-complaint", "--as-of", "2018-07-16", "-f", str(case))
    again = run("draft-complaint", "--as-of", "2018-07-16", "-f", str(case))
    assert (again.stdout, again.stderr) == (letter.stdout, letter.stderr)  # the digest line too
    assert made[7:] == ["draft-complaint"]


def test_any_other_input_makes_it_again(run: Run, case: Path, made: list[str], tmp_path: Path) -> None:
    base = ["--format", "markdown", "--as-of", "2018-07-16"]
    first = _export(run, case, *base)
    assert _export(run, case, *base, "--redact") != first
    assert _export(run, case, *base, "--language", "es") != first
    assert _export(run, case, "--format", "markdown", "--as-of", "2018-07-17") != first
    template = tmp_path / "letter.md.j2"
    template.write_text("One: {{ letter.case.title }}\n", encoding="utf-8")
    assert _export(run, case, *base, "--template", str(template)).startswith(b"One:")
    template.write_text("Two: {{ letter.case.title }}\n", encoding="utf-8")
    assert _export(run, case, *base, "--template", str(template)).startswith(b"Two:")
    assert made.count("markdown") == 6
    # A change to the file, even of the same length: the new text at once.
    text = case.read_text(encoding="utf-8")
    case.write_text(text.replace("offices watering down", "offices Watering down", 1), encoding="utf-8")
    changed = _export(run, case, *base)
    assert b"offices Watering down" in changed and changed != first
    assert made.count("markdown") == 7
    # Items and private data are part of what is kept too.
    events = _export(run, case, "--format", "csv", "--items", "events")
    assert _export(run, case, "--format", "csv", "--items", "demands") != events
    assert _export(run, case, "--format", "json", "--include-private") != _export(run, case, "--format", "json")


def test_a_reference_document_is_part_of_what_is_kept(run: Run, case: Path, made: list[str], tmp_path: Path) -> None:
    reference = tmp_path / "reference.docx"
    run("export", "--format", "docx", "-o", str(reference), "-f", str(case))
    first = _export(run, case, "--format", "docx", "--reference-doc", str(reference))
    _export(run, case, "--format", "docx", "--reference-doc", str(reference))
    assert made.count("docx") == 2  # the reference itself, then the letter with it: once
    shutil.copy(reference, tmp_path / "other.docx")
    other = tmp_path / "other.docx"
    run("export", "--format", "docx", "-o", str(other), "--redact", "-f", str(case))
    _export(run, case, "--format", "docx", "--reference-doc", str(other))
    assert made.count("docx") == 4 and first


def test_a_kept_export_of_the_wrong_shape_is_not_used(run: Run, case: Path) -> None:
    from casefile.storage import cache

    expected = _export(run, case, "--format", "json")
    folder, digest = cache.folder_for(case.resolve()), cache.sha256(case.read_bytes()).digest()
    key = cache.read_entry(folder, "derived-export-json", digest)[0]
    # Verified as the cache's own (right hashes): only the shape check can refuse it.
    cache.write_entry(folder, "derived-export-json", digest, [key, "not bytes", ""])
    assert _export(run, case, "--format", "json") == expected


def test_an_export_kept_after_its_value_is_checked_to_its_last_byte(run: Run, case: Path, made: list[str]) -> None:
    """An export is kept as it is, after the rest of its entry: a byte changed there is noticed."""
    from casefile.storage import cache

    expected = _export(run, case, "--format", "html")
    entry = cache.folder_for(case.resolve()) / "derived-export-html"
    data = bytearray(entry.read_bytes())
    assert data.endswith(expected)  # kept as it is, not inside marshal's bytes
    data[-2] ^= 1  # within the page, as damage would
    entry.write_bytes(bytes(data))
    assert _export(run, case, "--format", "html") == expected
    assert made == ["html", "draft-complaint", "html", "draft-complaint"]  # made again, not read back
    assert _export(run, case, "--format", "html") == expected
    assert len(made) == 4  # kept again, whole
