"""attach, verify, set-source, scrub, redaction, affected people and file permissions."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import tomllib
from pathlib import Path

import pytest

from tests.conftest import DATA, Run


@pytest.fixture
def demo(run: Run, isolated: Path) -> Path:
    """The demo case in ./casefile-demo; returns its case file."""
    run("demo", "--as-of", "2018-07-16")
    return isolated / "casefile-demo" / "casefile.toml"


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_attach_copies_under_hash_name_and_records_everything(run: Run, demo: Path, isolated: Path) -> None:
    report = write(isolated / "Citizen Lab report.PDF", b"%PDF-1.4 report")
    digest = hashlib.sha256(b"%PDF-1.4 report").hexdigest()
    result = run("attach", "2017-02-11", str(report), "-f", str(demo))
    assert result.stdout == f"{digest}  Citizen Lab report.PDF\n"
    copy = demo.parent / "evidence" / f"{digest}.pdf"
    assert copy.read_bytes() == b"%PDF-1.4 report"
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert stat.S_IMODE(copy.parent.stat().st_mode) == 0o700
    event = json.loads(run("show", "2017-02-11", "--json", "-f", str(demo)).stdout)
    (attachment,) = event["attachments"]
    assert attachment["sha256"] == digest
    assert attachment["size"] == len(b"%PDF-1.4 report")
    assert attachment["name"] == "Citizen Lab report.PDF"
    assert attachment["media_type"] == "application/pdf"
    assert attachment["path"] == f"evidence/{digest}.pdf"
    assert attachment["linked"] is False
    assert len(attachment["added"]) == 10


def test_same_file_attached_twice_is_stored_once(run: Run, demo: Path, isolated: Path) -> None:
    first = write(isolated / "a.png", b"png bytes")
    second = write(isolated / "renamed.png", b"png bytes")
    run("attach", "2017-02-11", str(first), "-f", str(demo))
    result = run("attach", "2017-02-11", str(second), "-f", str(demo))
    assert result.stdout == ""
    assert "already attached" in result.stderr
    run("attach", "2017-05-23", str(second), "-f", str(demo))  # another event: recorded, not copied again
    assert len(list((demo.parent / "evidence").iterdir())) == 1
    document = tomllib.loads(demo.read_text())
    counts = [len(event.get("attachments", [])) for event in document["events"]]
    assert sorted(counts) == [0, 0, 0, 1, 1]


def test_link_records_the_path_without_copying(run: Run, demo: Path, isolated: Path) -> None:
    video = write(isolated / "video.mp4", b"video")
    run("attach", "2017-02-11", str(video), "--link", "-f", str(demo))
    assert not (demo.parent / "evidence").exists()
    event = json.loads(run("show", "2017-02-11", "--json", "-f", str(demo)).stdout)
    assert event["attachments"][0]["path"] == str(video.resolve())
    assert event["attachments"][0]["linked"] is True


def test_attach_refuses_missing_file(run: Run, demo: Path) -> None:
    before = demo.read_bytes()
    assert "is not a file" in run("attach", "2017-02-11", "nothing.pdf", "-f", str(demo), code=2).stderr
    assert demo.read_bytes() == before


def test_verify_finds_missing_and_altered_files(run: Run, demo: Path, isolated: Path) -> None:
    kept = write(isolated / "kept.txt", b"kept")
    linked = write(isolated / "linked.txt", b"linked")
    run("attach", "2017-02-11", str(kept), "-f", str(demo))
    run("attach", "2017-05-23", str(linked), "--link", "-f", str(demo))
    result = run("verify", "-f", str(demo))
    assert [line.split("\t")[0] for line in result.stdout.splitlines()] == ["ok", "not-checked"]
    assert "1 linked file not checked (give its path to check it)" in result.stderr
    result = run("verify", str(linked), "-f", str(demo))
    assert [line.split("\t")[0] for line in result.stdout.splitlines()] == ["ok", "ok"]
    linked.write_bytes(b"changed")
    for copy in (demo.parent / "evidence").iterdir():
        copy.unlink()
    result = run("verify", str(linked), "-f", str(demo), code=1)
    states = {line.split("\t")[2]: line.split("\t")[0] for line in result.stdout.splitlines()}
    assert states == {"kept.txt": "missing", "linked.txt": "altered"}
    report = json.loads(run("verify", str(linked), "--json", "-f", str(demo), code=1).stdout)
    assert {entry["state"] for entry in report} == {"missing", "altered"}
    assert "no linked attachment" in run("verify", str(kept), "-f", str(demo), code=2).stderr


def test_letter_annex_lists_attached_files_with_hashes(run: Run, demo: Path, isolated: Path) -> None:
    photo = write(isolated / "screenshot.png", b"screenshot")
    run("attach", "2017-02-11", str(photo), "-f", str(demo))
    letter = run("draft-complaint", "-f", str(demo), "--as-of", "2018-07-16").stdout
    digest = hashlib.sha256(b"screenshot").hexdigest()
    annex = letter[letter.index("### B. Evidence files") :]
    assert "screenshot.png (image/png, 10 bytes)" in annex and digest in annex
    assert "evidence/" not in letter  # the file's path stays private


def test_set_source_adds_archive_and_access_date(run: Run, demo: Path) -> None:
    url = "https://citizenlab.org/2017/02/bittersweet-nso-mexico-spyware/"
    run(
        "set-source",
        "2017-02-11",
        url,
        "--archived-url",
        "https://archive.ph/abcd",
        "--accessed",
        "2017-02-12",
        "-f",
        str(demo),
    )
    run("set-source", "2017-02-11", "https://example.org/new", "--title", "New", "-f", str(demo))
    sources = json.loads(run("show", "2017-02-11", "--json", "-f", str(demo)).stdout)["sources"]
    assert sources[0]["archived_url"] == "https://archive.ph/abcd"
    assert sources[0]["accessed"] == "2017-02-12"
    assert sources[0]["title"].startswith("Bitter Sweet")
    assert sources[-1] == {
        "url": "https://example.org/new",
        "title": "New",
        "publisher": "",
        "date": None,
        "archived_url": "",
        "accessed": None,
    }
    letter = run("draft-complaint", "-f", str(demo), "--as-of", "2018-07-16").stdout
    assert "Archived copy: <https://archive.ph/abcd>. Consulted: 12 February 2017." in letter


def test_check_warns_about_web_sources_without_archive(run: Run, demo: Path) -> None:
    run("set-source", "2017-02-11", "https://example.org/new", "-f", str(demo))
    result = run("check", "-f", str(demo))
    assert "warning: [source-not-archived] 2017-02-11-citizen-lab-report-spyware" in result.stdout


def test_affected_people_private_by_default(run: Run, case_file: Path) -> None:
    run(
        "add-event",
        "--date",
        "2017-02-11",
        "--title",
        "Spyware",
        "--source",
        "https://x.example",
        "--affected",
        "Hidden Person:a researcher at a public health institute",
        "--public-affected",
        "Alejandro Calvillo:director of El Poder del Consumidor",
    )
    run(
        "add-signatory",
        "--name",
        "Fundar",
        "--lead",
        "--email",
        "secret@fundar.example",
        "--representative",
        "Ana Ruiz",
    )
    letter = run("draft-complaint", "--as-of", "2018-01-01").stdout
    assert "Hidden Person" not in letter
    assert "a researcher at a public health institute" in letter
    assert "Alejandro Calvillo (director of El Poder del Consumidor)" in letter
    assert "secret@fundar.example" not in letter
    assert "Ana Ruiz" in letter
    redacted = run("draft-complaint", "--as-of", "2018-01-01", "--redact").stdout
    for name in ("Hidden Person", "Alejandro Calvillo", "Ana Ruiz"):
        assert name not in redacted
    assert "director of El Poder del Consumidor" in redacted
    assert "**Fundar**" in redacted  # organisations stay named
    assert "has no name" in run("add-event", "--date", "2017", "--title", "x", "--affected", ":role", code=2).stderr


def test_redact_removes_individual_signatories_and_contact(run: Run, tmp_path: Path) -> None:
    shutil.copy(DATA / "fixture.toml", tmp_path / "case.toml")
    letter = run("draft-complaint", "-f", str(tmp_path / "case.toml"), "--redact", "--as-of", "2018-07-16").stdout
    assert "Luis Hernández" not in letter and "name withheld" in letter
    assert "María Pérez" not in letter and "contacto@fundar.example.org" not in letter
    assert "Simón Barquera" not in letter
    assert "Transparencia Mexicana" in letter


def test_scrub_removes_value_from_file_backups_and_cache(run: Run, case_file: Path, isolated: Path) -> None:
    run("add-event", "--date", "2017", "--title", "T", "--private-note", "the informant's address")
    run("add-event", "--date", "2018", "--title", "U")  # the .bak now still holds the note
    assert b"informant" in (case_file.parent / "casefile.toml.bak").read_bytes()
    cache = isolated.parent / "home" / "xdg_cache_home"
    assert any(b"informant" in path.read_bytes() for path in cache.rglob("*") if path.is_file())
    # A template of the coalition's own that quotes the value is compiled into the cache too.
    (case_file.parent / "templates").mkdir()
    (case_file.parent / "templates" / "letter.en.md.j2").write_text("Ask the informant\n")
    run("draft-complaint", "--as-of", "2018-01-01")
    assert list((cache / "casefile" / "templates").iterdir())
    (case_file.parent / "templates" / "letter.en.md.j2").unlink()
    result = run("scrub", "2017-t", "--field", "private_notes")
    assert "Removed private_notes" in result.stderr
    for path in [*case_file.parent.iterdir(), *cache.rglob("*")]:
        if path.is_file():
            assert b"informant" not in path.read_bytes(), path
    assert "has no field 'colour'" in run("scrub", "2017-t", "--field", "colour", code=2).stderr
    assert "required" in run("scrub", "2017-t", "--field", "title", code=2).stderr


def test_scrub_removes_the_value_from_the_conflicts_a_merge_left(run: Run, case_file: Path) -> None:
    """A merge records each side's value of a conflicting field in the file: scrub leaves none of them."""
    run("add-event", "--date", "2017", "--title", "T", "--private-note", "ours: the informant")
    run("add-event", "--date", "2018", "--title", "U", "--private-note", "kept: the witness")
    text = case_file.read_text(encoding="utf-8")
    text += (
        '\n[[conflicts]]\nitem = "2017-t"\narray = "events"\nfield = "private_notes"\n'
        'base = "base: the informant"\nours = "ours: the informant"\ntheirs = "theirs: the informant"\n'
        '\n[[conflicts]]\nitem = "2017-t"\narray = "events"\nfield = "title"\nours = "T"\ntheirs = "T2"\n'
        '\n[[conflicts]]\nitem = "2017-t"\narray = "events"\nfield = "*"\ndeleted = "theirs"\n'
        'base = { id = "2017-t", date = "2017", title = "T", private_notes = "old: the informant" }\n'
        'ours = { id = "2017-t", date = "2017", title = "T", private_notes = "ours: the informant" }\n'
        '\n[[conflicts]]\nitem = "2018-u"\narray = "events"\nfield = "private_notes"\n'
        'ours = "kept: the witness"\ntheirs = "other: the witness"\n'
    )
    case_file.write_text(text, encoding="utf-8")
    run("scrub", "2017-t", "--field", "private_notes")
    for path in case_file.parent.iterdir():
        if path.is_file():
            assert b"informant" not in path.read_bytes(), path
    left = tomllib.loads(case_file.read_text(encoding="utf-8"))["conflicts"]
    assert [(record["item"], record["field"]) for record in left] == [
        ("2017-t", "title"),
        ("2017-t", "*"),
        ("2018-u", "private_notes"),
    ]
    assert left[1]["ours"] == {"id": "2017-t", "date": "2017", "title": "T"}
    assert "other: the witness" in case_file.read_text(encoding="utf-8")  # another item's conflict stays


def test_scrub_removes_the_value_in_every_language(run: Run, case_file: Path) -> None:
    """A description scrubbed in the case's language must not stay in its translations."""
    run("add-event", "--date", "2017", "--title", "T", "--description", "the informant lives at 4 Elm St")
    run("translate", "2017-t", "--language", "es", "--description", "el informante vive en Elm 4")
    run("translate", "2017-t", "--language", "fr", "--title", "Titre", "--description", "l'informateur vit au 4 Elm")
    text = case_file.read_text(encoding="utf-8")
    text += (
        '\n[[conflicts]]\nitem = "2017-t"\narray = "events"\nfield = "translations.es.description"\n'
        'ours = "el informante, ours"\ntheirs = "el informante, theirs"\n'
        '\n[[conflicts]]\nitem = "2017-t"\narray = "events"\nfield = "*"\ndeleted = "theirs"\n'
        'ours = { id = "2017-t", date = "2017", title = "T", translations = { fr = { title = "Titre", '
        'description = "l\'informateur, whole" } } }\n'
    )
    case_file.write_text(text, encoding="utf-8")
    run("scrub", "2017-t", "--field", "description")
    for path in case_file.parent.iterdir():
        if path.is_file():
            data = path.read_bytes().decode("utf-8").casefold()
            assert "informa" not in data, path
    data = tomllib.loads(case_file.read_text(encoding="utf-8"))
    event = data["events"][0]
    assert "description" not in event
    assert event["translations"] == {"fr": {"title": "Titre"}}  # the Spanish one had only the description
    assert [record["field"] for record in data["conflicts"]] == ["*"]
    assert data["conflicts"][0]["ours"]["translations"] == {"fr": {"title": "Titre"}}


def test_scrub_reaches_the_cases_own_fields(run: Run, case_file: Path, isolated: Path) -> None:
    """The contact's email or the request (in every language) can be scrubbed like an item's field."""
    run("edit-case", "--contact-name", "María Pérez", "--contact-email", "maria.perez@example.org")
    run("edit-case", "--request", "Ask about the informant at 4 Elm St")
    run("translate", "case", "--language", "es", "--request", "Pregunten por el informante")
    run("edit-case", "--title", "Surveillance of health advocates (2)")  # the .bak holds them too
    text = case_file.read_text(encoding="utf-8")
    text += (
        '\n[[conflicts]]\nitem = "case"\nfield = "contact.email"\n'
        'ours = "maria.perez@example.org"\ntheirs = "maria.perez@example.net"\n'
    )
    case_file.write_text(text, encoding="utf-8")
    assert "Removed contact.email of case" in run("scrub", "case", "--field", "contact.email").stderr
    run("scrub", "case", "--field", "request")
    cache = isolated.parent / "home" / "xdg_cache_home"
    for path in [*case_file.parent.iterdir(), *cache.rglob("*")]:
        if path.is_file():
            data = path.read_bytes()
            assert b"maria.perez" not in data and b"informant" not in data and b"informante" not in data, path
    data = tomllib.loads(case_file.read_text(encoding="utf-8"))
    assert data["case"]["contact"] == {"name": "María Pérez"}
    assert "conflicts" not in data
    said = run("scrub", "case", "--field", "title", code=2).stderr
    assert said.count("\n") == 1 and "contact.email" in said


def test_check_warns_when_others_can_read_the_case(run: Run, case_file: Path) -> None:
    run("add-signatory", "--name", "Fundar", "--lead")
    assert "permissions" not in run("check").stdout
    os.chmod(case_file, 0o644)
    result = run("check")
    assert f"warning: [permissions] {case_file} can be read by other users" in result.stdout
    assert "chmod 600" in result.stdout
