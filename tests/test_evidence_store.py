"""Evidence stays in its store: attach copies content, never a link; verify reads nothing a case
file points to outside the case's evidence/ folder (a case can come from someone else)."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

import pytest

from tests.conftest import Run

SECRET = b"root:x:0:0:root:/root:/bin/bash\n"


@pytest.fixture
def case(run: Run, case_file: Path) -> Path:
    run("add-event", "--date", "2017-02-11", "--title", "Spyware report", "--source", "https://example.org/r")
    return case_file


def _store_files(case: Path) -> list[str]:
    folder = case.parent / "evidence"
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def test_attach_refuses_a_symbolic_link_and_copies_content_with_follow(run: Run, case: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(b"%PDF report")
    link = case.parent / "shortcut.pdf"
    link.symlink_to(target)
    before = case.read_bytes()
    result = run("attach", "2017-02-11", str(link), code=2)
    assert len(result.stderr.splitlines()) == 1
    assert "symbolic link" in result.stderr and "--follow-symlinks" in result.stderr
    assert case.read_bytes() == before and _store_files(case) == []
    run("attach", "2017-02-11", str(link), "--follow-symlinks")
    digest = hashlib.sha256(b"%PDF report").hexdigest()
    stored = case.parent / "evidence" / f"{digest}.pdf"
    assert not stored.is_symlink() and stat.S_ISREG(os.lstat(stored).st_mode)
    assert stored.read_bytes() == b"%PDF report"
    assert _store_files(case) == [f"{digest}.pdf"]  # no temporary copy left behind
    # --link is no way round the rule either.
    assert "symbolic link" in run("attach", "2017-02-11", str(link), "--link", code=2).stderr


@pytest.mark.parametrize("kind", ["fifo", "folder", "device"])
def test_attach_refuses_what_is_not_a_regular_file_without_waiting(run: Run, case: Path, kind: str) -> None:
    odd = case.parent / "odd"
    if kind == "fifo":
        os.mkfifo(odd)
    elif kind == "folder":
        odd.mkdir()
    else:
        odd = Path("/dev/zero")
    result = run("attach", "2017-02-11", str(odd), "--follow-symlinks", code=2)
    assert "not a file that can be read" in result.stderr
    assert _store_files(case) == []


def test_attach_refuses_an_evidence_folder_that_is_a_link(run: Run, case: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (case.parent / "evidence").symlink_to(elsewhere)
    (case.parent / "photo.png").write_bytes(b"png")
    assert "evidence is a symbolic link" in run("attach", "2017-02-11", str(case.parent / "photo.png"), code=2).stderr
    assert list(elsewhere.iterdir()) == []


def _attachment_pointing_at(run: Run, case: Path, path: str, *, data: bytes, linked: bool = False) -> None:
    """A case file whose attachment names ``path`` and carries the hash of ``data``, as a hostile
    case pulled from someone else's repository could."""
    decoy = case.parent / "decoy.bin"
    decoy.write_bytes(data)
    run("attach", "2017-02-11", str(decoy), *(["--link"] if linked else []))
    decoy.unlink()
    text = case.read_text(encoding="utf-8")
    recorded = str(decoy.resolve()) if linked else f"evidence/{hashlib.sha256(data).hexdigest()}.bin"
    assert f'path = "{recorded}"' in text
    case.write_text(text.replace(f'path = "{recorded}"', f"path = {json.dumps(path)}"), encoding="utf-8")
    for stored in (case.parent / "evidence").glob("*") if (case.parent / "evidence").exists() else []:
        stored.unlink()


@pytest.mark.parametrize(
    "where",
    ["absolute", "dot-dot", "evidence-dot-dot", "link-in-store", "store-is-a-link", "nested"],
)
def test_verify_never_reads_a_path_outside_the_store(run: Run, case: Path, tmp_path: Path, where: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_bytes(SECRET)  # the case carries its hash: reading it would say "ok"
    names = {
        "absolute": str(secret),
        "dot-dot": os.path.relpath(secret, case.parent),
        "evidence-dot-dot": "evidence/../" + os.path.relpath(secret, case.parent),
        "link-in-store": "evidence/passwd",
        "store-is-a-link": "evidence/secret.txt",
        "nested": "evidence/sub/secret.txt",
    }
    _attachment_pointing_at(run, case, names[where], data=SECRET)
    if where == "link-in-store":
        (case.parent / "evidence" / "passwd").symlink_to(secret)
    if where == "store-is-a-link":
        os.rmdir(case.parent / "evidence")
        (case.parent / "evidence").symlink_to(tmp_path)
    result = run("verify", code=1)
    (line,) = result.stdout.splitlines()
    assert line.startswith("outside\t"), line
    report = json.loads(run("verify", "--json", code=1).stdout)
    assert [entry["state"] for entry in report] == ["outside"] and report[0]["problem"]


def test_verify_reads_a_linked_file_only_when_given(run: Run, case: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_bytes(SECRET)
    _attachment_pointing_at(run, case, str(secret), data=SECRET, linked=True)
    result = run("verify")
    assert result.stdout.startswith("not-checked\t") and f"casefile verify {secret}" in result.stdout
    assert run("verify", str(secret)).stdout.startswith("ok\t")
    secret.write_bytes(b"changed")
    assert run("verify", str(secret), code=1).stdout.startswith("altered\t")


def test_a_hostile_file_name_cannot_forge_verify_lines(run: Run, case: Path) -> None:
    report = case.parent / "a\nok\tforged\x1b[2J.txt"
    report.write_bytes(b"text")
    run("attach", "2017-02-11", str(report))
    lines = run("verify").stdout.splitlines()
    assert len(lines) == 1 and "\\nok\\tforged\\x1b[2J.txt" in lines[0] and "\x1b" not in lines[0]


@pytest.mark.parametrize(
    ("language", "outside", "linked"),
    [
        ("es", "no es un archivo de la carpeta de pruebas", "fuera de la carpeta de pruebas: compruébelo con"),
        ("fr", "n'est pas un fichier du répertoire de preuves", "du répertoire de preuves\u00a0: vérifiez-le avec"),
    ],
)
def test_verify_says_why_a_file_failed_in_the_users_language(
    run: Run, case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str, outside: str, linked: str
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_bytes(SECRET)
    _attachment_pointing_at(run, case, str(secret), data=SECRET)
    _attachment_pointing_at(run, case, str(secret), data=SECRET + b"2", linked=True)
    monkeypatch.setenv("LANG", f"{language}_{language.upper()}.UTF-8")
    said = run("verify", code=1).stdout
    assert said.startswith("outside\t") and f"{secret} {outside}" in said
    assert f"{linked} `casefile verify {secret}`" in said
    report = json.loads(run("verify", "--json", code=1).stdout)  # scripts read it in English, as always
    assert report[0]["problem"] == f"{secret} is not a file in the evidence folder"
