"""Evidence of an encrypted case: its copies are encrypted as the case is, and verify opens them in memory."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyrage
import pytest

from tests.conftest import Run
from tests.test_encrypted_case import config_folder, public

VICTIM = b"QXSTATEMENTZ9 Juana Perez, witness"
DOCUMENT = b"%PDF-1.4 scanned statement of " + VICTIM


@pytest.fixture
def me(run: Run, isolated: Path) -> pyrage.x25519.Identity:
    run("keygen")
    secret = (config_folder(isolated) / "identity.txt").read_text().splitlines()[-1]
    return pyrage.x25519.Identity.from_str(secret)


@pytest.fixture
def statement(isolated: Path) -> Path:
    """The document the user attaches, outside the case's folder."""
    outside = isolated.parent / "inbox"
    outside.mkdir()
    path = outside / "statement.pdf"
    path.write_bytes(DOCUMENT)
    return path


def evidence_files(case_folder: Path) -> list[Path]:
    return sorted((case_folder / "evidence").iterdir())


def assert_no_plain_text(case_folder: Path) -> None:
    for path in evidence_files(case_folder):
        data = path.read_bytes()
        assert b"QXSTATEMENTZ9" not in data and b"scanned statement" not in data, path


def sealed_case(run: Run, isolated: Path, me: pyrage.x25519.Identity) -> Path:
    run("init", "--title", "T", "--country", "Mexico", "--encrypt-to", public(me))
    run("add-event", "--date", "2017-02-11", "--title", "Spyware")
    return isolated / "casefile.toml.age"


def test_attach_to_an_encrypted_case_keeps_only_an_encrypted_copy(
    run: Run, isolated: Path, me: pyrage.x25519.Identity, statement: Path
) -> None:
    sealed_case(run, isolated, me)
    digest = hashlib.sha256(DOCUMENT).hexdigest()
    assert run("attach", "2017-02-11", str(statement)).stdout == f"{digest}  statement.pdf\n"
    (copy,) = evidence_files(isolated)  # no temporary file left either
    assert copy.name == f"{digest}.pdf.age"
    assert_no_plain_text(isolated)
    assert pyrage.decrypt(copy.read_bytes(), [me]) == DOCUMENT
    (attachment,) = json.loads(run("show", "2017-02-11", "--json").stdout)["attachments"]
    assert (attachment["sha256"], attachment["size"]) == (digest, len(DOCUMENT))  # the document's, as before
    result = run("verify")
    assert result.stdout.startswith("ok\t") and result.stdout.rstrip().endswith(".pdf.age")
    assert "1 file checked, 0 missing" in result.stderr


def test_verify_reports_a_damaged_or_unopenable_copy_in_one_line(
    run: Run, isolated: Path, me: pyrage.x25519.Identity, statement: Path
) -> None:
    sealed_case(run, isolated, me)
    run("attach", "2017-02-11", str(statement))
    (copy,) = evidence_files(isolated)
    good = copy.read_bytes()
    copy.write_bytes(good[:-30] + bytes([good[-30] ^ 4]) + good[-29:])
    result = run("verify", code=1)
    assert result.stdout.startswith("altered\t") and "damaged: age's integrity check failed" in result.stdout
    assert result.stdout.count("\n") == 1 and "Traceback" not in result.stdout + result.stderr
    stranger = pyrage.x25519.Identity.generate()
    copy.write_bytes(pyrage.encrypt(DOCUMENT, [stranger.to_public()]))  # a copy only someone else can open
    result = run("verify", code=1)
    assert result.stdout.startswith("unreadable\t") and "cannot open it" in result.stdout
    assert result.stdout.count("\n") == 1
    copy.write_bytes(pyrage.encrypt(b"another document", [me.to_public()]))
    assert run("verify", code=1).stdout.startswith("altered\t")
    copy.write_bytes(good)
    assert run("verify").stdout.startswith("ok\t")


def test_encrypt_encrypts_the_plain_evidence_copies_and_deletes_them(
    run: Run, case_file: Path, me: pyrage.x25519.Identity, statement: Path
) -> None:
    run("add-event", "--date", "2017-02-11", "--title", "Spyware")
    run("attach", "2017-02-11", str(statement))
    folder = case_file.parent
    (plain,) = evidence_files(folder)
    assert plain.read_bytes() == DOCUMENT
    result = run("encrypt")
    (copy,) = evidence_files(folder)
    assert copy.name == plain.name + ".age"
    assert_no_plain_text(folder)
    assert pyrage.decrypt(copy.read_bytes(), [me]) == DOCUMENT
    assert "Encrypted 1 evidence copy" in result.stderr and f"deleted {plain}" in result.stderr
    assert run("verify").stdout.startswith("ok\t")


def test_encrypt_again_encrypts_plain_copies_an_encrypted_case_still_has(
    run: Run, isolated: Path, me: pyrage.x25519.Identity, statement: Path
) -> None:
    """Copies attached before casefile encrypted them (or put there by hand) are encrypted by `encrypt`."""
    sealed_case(run, isolated, me)
    run("attach", "2017-02-11", str(statement))
    (copy,) = evidence_files(isolated)
    plain = copy.with_name(copy.name.removesuffix(".age"))
    copy.rename(plain)
    plain.write_bytes(DOCUMENT)  # as an older casefile left it
    verified = run("verify")
    assert verified.stdout.startswith("ok\t")
    assert "holds copies in plain text" in verified.stderr and "`casefile encrypt`" in verified.stderr
    result = run("encrypt")
    assert "Encrypted 1 evidence copy" in result.stderr
    assert evidence_files(isolated) == [copy]
    assert_no_plain_text(isolated)
    assert "plain text" not in run("verify").stderr
    assert "already encrypted" in run("encrypt", code=2).stderr  # nothing left to do
    assert "already encrypted" in run("encrypt", "--to", public(me), code=2).stderr


def test_recipients_add_lets_a_second_user_verify_and_remove_shuts_them_out(
    run: Run, isolated: Path, me: pyrage.x25519.Identity, statement: Path
) -> None:
    sealed_case(run, isolated, me)
    run("attach", "2017-02-11", str(statement))
    (copy,) = evidence_files(isolated)
    jean = pyrage.x25519.Identity.generate()
    jeans_identity = isolated.parent / "jean.txt"
    jeans_identity.write_text(f"{jean}\n")
    jeans_identity.chmod(0o600)
    result = run("recipients", "add", public(jean))
    assert "Re-encrypted 3 files to 2 keys." in result.stderr  # the case, its backup and the evidence copy
    assert_no_plain_text(isolated)
    assert pyrage.decrypt(copy.read_bytes(), [jean]) == DOCUMENT
    verified = run("verify", "-i", str(jeans_identity))
    assert verified.stdout.startswith("ok\t")
    run("recipients", "remove", public(jean))
    assert_no_plain_text(isolated)
    with pytest.raises(pyrage.DecryptError):
        pyrage.decrypt(copy.read_bytes(), [jean])
    assert pyrage.decrypt(copy.read_bytes(), [me]) == DOCUMENT
    assert run("verify").stdout.startswith("ok\t")


@pytest.mark.parametrize("already", [True, False], ids=["encrypted-case", "plain-case"])
def test_encrypt_while_an_attach_copies_its_file_leaves_that_copy_alone(
    run: Run,
    isolated: Path,
    me: pyrage.x25519.Identity,
    statement: Path,
    monkeypatch: pytest.MonkeyPatch,
    already: bool,
) -> None:
    """`attach` copies a large file into evidence/.incoming-*.tmp before it takes the case's lock;
    an `encrypt` run meanwhile deleted that copy as one an interrupted attach left, and the attach
    then failed with "No such file or directory: .../.incoming-....tmp"."""
    import os
    import time

    from casefile.storage.encrypting import encrypt_case
    from casefile.workflow import evidence

    if already:
        sealed_case(run, isolated, me)
    else:
        run("init", "--title", "T", "--country", "Mexico")
        run("add-event", "--date", "2017-02-11", "--title", "Spyware")
    earlier = isolated.parent / "earlier.pdf"
    earlier.write_bytes(b"%PDF-1.4 an earlier document")
    run("attach", "2017-02-11", str(earlier))
    if already:  # one copy in plain text, as an older casefile left it: `encrypt` has work to do
        (copy,) = evidence_files(isolated)
        copy.rename(copy.with_name(copy.name.removesuffix(".age")))
        copy.with_name(copy.name.removesuffix(".age")).write_bytes(earlier.read_bytes())
    left = isolated / "evidence" / ".incoming-killed1.tmp"  # a killed attach's, a minute ago
    left.write_bytes(b"half a copy")
    os.utime(left, (time.time() - 60, time.time() - 60))
    prepare = evidence.prepare

    def prepare_then_encrypt(*args: object, **options: object) -> list[evidence.Prepared]:
        prepared = prepare(*args, **options)  # type: ignore[arg-type]
        encrypt_case(isolated / ("casefile.toml.age" if already else "casefile.toml"), [] if already else [public(me)])
        return prepared

    monkeypatch.setattr(evidence, "prepare", prepare_then_encrypt)
    case = "casefile.toml.age" if already else "casefile.toml"
    result = run("attach", "-f", case, "2017-02-11", str(statement), code=None)
    if already:
        assert result.exit_code == 0, result.stderr
        assert run("verify", "-f", case).stderr.startswith("2 files checked, 0 missing")
        assert_no_plain_text(isolated)
    else:  # the case it was attaching to is now another file: said in one line
        assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.stderr
    assert not left.exists()
    assert not [path for path in evidence_files(isolated) if path.name.startswith(".incoming-")]
