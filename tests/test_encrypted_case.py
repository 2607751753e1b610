"""Encrypted cases: every command works on casefile.toml.age, and no plaintext ever reaches the disk."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pyrage
import pytest

from casefile.storage import encryption, keys
from casefile.storage.files import keep_commented_copy
from tests.conftest import Run

needs_age = pytest.mark.skipif(shutil.which("age") is None, reason="the age command is not installed")

VICTIM = "QXVICTIMZ9 Juana Pérez"
NOTE = "QXNOTEZ9 the source asked not to be named"
EMAIL = "qxemailz9@example.org"
MARKERS = (b"QXVICTIMZ9", b"QXNOTEZ9", b"qxemailz9", "Juana Pérez".encode())


def config_folder(isolated: Path) -> Path:
    return isolated.parent / "home" / "xdg_config_home" / "casefile"


@pytest.fixture
def me(run: Run, isolated: Path) -> pyrage.x25519.Identity:
    """The user's identity, made with `casefile keygen` (the default identity)."""
    run("keygen")
    secret = (config_folder(isolated) / "identity.txt").read_text().splitlines()[-1]
    return pyrage.x25519.Identity.from_str(secret)


def public(identity: pyrage.x25519.Identity) -> str:
    return str(identity.to_public())


def session(run: Run, folder: Path, encrypt_to: list[str]) -> dict[str, str]:
    """A coordinator's session with every kind of command; returns what each printed on stdout."""
    folder.mkdir(parents=True, exist_ok=True)
    case = folder / "casefile.toml"
    name = str(case) + (".age" if encrypt_to else "")
    init = ["init", "--title", "Surveillance of health advocates", "--country", "Mexico", "-f", str(case)]
    run(*init, *(arg for key in encrypt_to for arg in ("--encrypt-to", key)))
    inputs = folder.parent / f"{folder.name}-in"  # what the user brings in and asks for, outside the case
    inputs.mkdir()
    evidence = inputs / "report.pdf"
    evidence.write_bytes(b"%PDF-1.4 " + VICTIM.encode())
    sheet = inputs / "events.csv"
    sheet.write_text(f"date,title,description\n2017-06-19,New York Times report,{VICTIM} named\n", encoding="utf-8")
    steps: list[tuple[str, ...]] = [
        ("add-signatory", "--name", "Artículo 19", "--lead", "--email", EMAIL),
        ("add-signatory", "--name", "Fundar"),
        ("add-concern", "--title", "Illegal surveillance", "--category", "fundamental-freedoms", "--breaches", "OGD"),
        (
            "add-event",
            "--date",
            "2017-02-11",
            "--title",
            "Spyware attacks on advocates",
            "--source",
            "https://citizenlab.org/2017/02/bittersweet/",
            "--concern",
            "illegal",
            "--private-note",
            NOTE,
            "--affected",
            f"{VICTIM}:a researcher",
        ),
        (
            "add-event",
            "--date",
            "2017-02",
            "--title",
            "Journalists report attacks",
            "--concern",
            "illegal",
            "--source",
            "https://example.org/journalists",
        ),
        ("add-demand", "--date", "2017-02-16", "--to", "Secretariat", "--subject", "Investigate", "--by", "artic"),
        ("respond", "2017-02-16", "--date", "2017-06-01", "--status", "refused"),
        ("edit", "2017-02-j", "--title", "Journalists report similar attacks"),
        ("set-source", "2017-02-11", "https://citizenlab.org/2017/02/bittersweet/", "--title", "Bitter Sweet"),
        ("import", str(sheet), "--items", "events"),
        ("attach", "2017-02-11", str(evidence)),
        ("verify",),
        ("list", "events"),
        ("list", "events", "--json"),
        ("list", "demands", "--as-of", "2017-07-01"),
        ("show", "2017-02-11"),
        ("timeline", "--as-of", "2017-07-01"),
        ("check", "--as-of", "2017-07-01"),
        ("set-letter-date", "2017-07-01"),
        ("draft-complaint", "--as-of", "2017-07-01", "-o", str(inputs / "letter.md")),
        ("sign-off", "articulo-19", "--date", "2017-07-02"),
        ("record-filing", "--date", "2017-07-03"),
        ("status", "--as-of", "2017-07-04"),
        ("export", "--format", "json", "--as-of", "2017-07-01"),
        ("scrub", "2017-02-11", "--field", "private_notes"),
        ("remove", "2017-06-19", "--yes"),
        ("list", "events"),
        ("where",),
    ]
    printed = {}
    for step in steps:
        result = run(*step, "-f", name, code=None)
        assert result.exit_code in (0, 1), (step, result.stderr)
        printed[step[0] if step[0] == "import" else " ".join(step[:2])] = result.stdout.replace(
            str(folder), "FOLDER"
        ).replace(str(inputs), "INPUTS")
    return printed


def test_every_command_works_on_an_encrypted_case_as_on_a_plain_one(
    run: Run, isolated: Path, me: pyrage.x25519.Identity
) -> None:
    plain = session(run, isolated / "plain", [])
    sealed = session(run, isolated / "sealed", [public(me)])
    assert plain.pop("where") != sealed.pop("where")
    # verify names the copy it opened: the encrypted case's is encrypted too, beside the recorded name.
    assert sealed["verify"] == plain["verify"].replace(".pdf\n", ".pdf.age\n")
    assert {**sealed, "verify": ""} == {**plain, "verify": ""}
    assert (isolated / "sealed-in" / "letter.md").read_bytes() == (isolated / "plain-in" / "letter.md").read_bytes()
    # The encrypted file holds exactly the TOML the plain one holds.
    opened = pyrage.decrypt((isolated / "sealed" / "casefile.toml.age").read_bytes(), [me])
    assert opened == (isolated / "plain" / "casefile.toml").read_bytes()


def every_file(*folders: Path) -> list[Path]:
    return sorted(path for folder in folders if folder.exists() for path in folder.rglob("*") if path.is_file())


def test_no_plaintext_reaches_the_disk(
    run: Run, isolated: Path, me: pyrage.x25519.Identity, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every file a session on an encrypted case leaves: case folder, cache, config, data and temp folders."""
    temp = isolated.parent / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    session(run, isolated / "sealed", [public(me)])
    home = isolated.parent / "home"
    # A few commands as real processes too (with the parse cache and lock as they are in use).
    env = {**os.environ, "TMPDIR": str(temp), "HOME": str(home)}
    for args in (["list", "events", "--json"], ["add-event", "--date", "2018", "--title", f"{VICTIM} again"]):
        command = [sys.executable, "-m", "casefile", *args, "-f", str(isolated / "sealed" / "casefile.toml.age")]
        subprocess.run(command, env=env, check=True, capture_output=True)
    asked_for = set(every_file(isolated / "sealed-in"))
    checked = [path for path in every_file(isolated, home, temp) if path not in asked_for]
    assert any(path.name == "casefile.toml.age.bak" for path in checked)
    cached = [path for path in checked if "xdg_cache_home" in path.parts and "cases" in path.parts]
    assert any(path.name == "derived-events-json" for path in cached)  # the parse cache is on, and encrypted
    assert all(keys.AGE_MAGIC in path.read_bytes()[:200] for path in cached)
    assert any(path.name.endswith(".pdf.age") for path in checked)  # the evidence copy, encrypted too
    leaks = [path for path in checked if any(marker in path.read_bytes() for marker in MARKERS)]
    assert leaks == []
    # The markers are there to be found: in the case, once decrypted, and in the outputs asked for.
    opened = pyrage.decrypt((isolated / "sealed" / "casefile.toml.age").read_bytes(), [me])
    assert b"QXVICTIMZ9" in opened and EMAIL.encode() in opened
    assert any(b"QXVICTIMZ9" in path.read_bytes() for path in asked_for)


def test_encrypt_an_existing_plain_case_removes_every_plain_copy(
    run: Run, case_file: Path, me: pyrage.x25519.Identity, isolated: Path
) -> None:
    run("add-event", "--date", "2017-02-11", "--title", "Spyware", "--private-note", NOTE)
    text = case_file.read_text(encoding="utf-8")
    case_file.write_text("# coordinator's notes\n" + text, encoding="utf-8")
    run("add-event", "--date", "2017-03-01", "--title", "Second")  # keeps a .bak
    run("list", "events", "--json")  # fills the parse cache
    keep_commented_copy(case_file)  # as a rewrite that could not keep the comments does
    original = case_file.read_bytes()
    copies = [path for path in isolated.iterdir() if path.name.startswith("casefile.toml.")]
    assert any(".with-comments." in path.name for path in copies)
    result = run("encrypt")
    encrypted = isolated / "casefile.toml.age"
    assert pyrage.decrypt(encrypted.read_bytes(), [me]) == original  # comments and all
    assert sorted(path.name for path in isolated.iterdir()) == ["casefile.toml.age", "casefile.toml.age.recipients"]
    assert "git history" in result.stderr and "SSD" in result.stderr
    cache = isolated.parent / "home" / "xdg_cache_home" / "casefile" / "cases"
    assert not cache.exists() or not any(MARKERS[1] in path.read_bytes() for path in every_file(cache))
    assert "Second" in run("list", "events").stdout
    again = run("encrypt", "-f", str(encrypted), code=2)
    assert "already encrypted" in again.stderr


def test_encrypt_leaves_no_cache_of_the_case_under_a_name_it_had_before(
    run: Run, isolated: Path, me: pyrage.x25519.Identity
) -> None:
    """A case moved to another folder (then changed) left its old parse cache, in plain text, for
    30 days; and a coalition's template quoting the case was left compiled in the cache."""
    old = isolated / "Desktop"
    old.mkdir()
    run("init", "--title", "T", "--country", "Mexico", "-f", str(old / "casefile.toml"))
    run(
        "add-event",
        "--date",
        "2017-02-11",
        "--title",
        "Spyware",
        "--private-note",
        NOTE,
        "-f",
        str(old / "casefile.toml"),
    )
    run("add-signatory", "--name", "Fundar", "--lead", "-f", str(old / "casefile.toml"))
    (old / "templates").mkdir()
    (old / "templates" / "letter.en.md.j2").write_text(f"Ask {VICTIM}\n", encoding="utf-8")
    run("template", "trust", str(old / "templates"))
    assert VICTIM in run("draft-complaint", "--as-of", "2018-07-16", "-f", str(old / "casefile.toml")).stdout
    new = isolated / "cases"
    shutil.move(old, new)
    shutil.rmtree(new / "templates")
    run("add-event", "--date", "2017-03-01", "--title", "Second", "-f", str(new / "casefile.toml"))
    cache = isolated.parent / "home" / "xdg_cache_home"
    assert any(MARKERS[1] in path.read_bytes() for path in every_file(cache))
    run("encrypt", "-f", str(new / "casefile.toml"))
    for path in every_file(cache, new):
        data = path.read_bytes()
        assert all(marker not in data for marker in MARKERS), path
    assert "Second" in run("list", "events", "-f", str(new / "casefile.toml.age")).stdout


def test_encrypt_names_a_hard_link_that_still_holds_the_plain_case(
    run: Run, case_file: Path, me: pyrage.x25519.Identity, isolated: Path
) -> None:
    """Deleting casefile.toml removes one name: a hard link elsewhere (a backup tool's, say) keeps the text."""
    run("add-event", "--date", "2017-02-11", "--title", "Spyware", "--private-note", NOTE)
    elsewhere = isolated.parent / "snapshot.toml"
    os.link(case_file, elsewhere)
    result = run("encrypt", code=1)
    assert (isolated / "casefile.toml.age").exists() and not case_file.exists()
    inode = elsewhere.stat().st_ino
    assert f"another name of {case_file}" in result.stderr and f"find / -xdev -inum {inode}" in result.stderr
    assert NOTE in elsewhere.read_text(encoding="utf-8")  # named, never deleted behind the user's back
    assert "Spyware" in run("list", "events").stdout


def test_an_interrupted_encrypt_is_finished_by_running_it_again(
    run: Run, case_file: Path, me: pyrage.x25519.Identity, isolated: Path
) -> None:
    encrypted = isolated / "casefile.toml.age"
    encrypted.write_bytes(encryption.encrypt(case_file.read_bytes(), [public(me)]))
    encryption.recipients_path(encrypted).write_text(public(me) + "\n")
    both = run("list", "events", code=2)
    assert "holds both casefile.toml and casefile.toml.age" in both.stderr
    run("encrypt", "-f", str(case_file))
    assert not case_file.exists()
    run("list", "events")


def test_encrypt_refuses_keys_you_cannot_open_and_strings_that_are_not_keys(
    run: Run, case_file: Path, me: pyrage.x25519.Identity, isolated: Path
) -> None:
    stranger = public(pyrage.x25519.Identity.generate())
    before = sorted(isolated.iterdir())
    result = run("encrypt", "--to", stranger, code=2)
    assert "include your own public key" in result.stderr
    result = run("encrypt", "--to", "maria@example.org", code=2)
    assert result.stderr.count("\n") == 1 and "is not a recipient" in result.stderr
    assert sorted(isolated.iterdir()) == before
    result = run("init", "--title", "T", "--country", "X", "-f", "other.toml", "--encrypt-to", "age1nope", code=2)
    assert "is not a recipient" in result.stderr
    assert sorted(isolated.iterdir()) == before


def test_without_an_identity_encrypt_says_to_make_one(run: Run, case_file: Path) -> None:
    result = run("encrypt", code=2)
    assert "casefile keygen" in result.stderr
    assert case_file.exists()


@pytest.fixture
def sealed(run: Run, isolated: Path, me: pyrage.x25519.Identity) -> Path:
    run("init", "--title", "T", "--country", "Mexico", "--encrypt-to", public(me))
    run("add-event", "--date", "2017-02-11", "--title", VICTIM)
    return isolated / "casefile.toml.age"


def test_bad_identities_and_damaged_files_say_one_line_and_write_nothing(
    run: Run, sealed: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stranger = isolated.parent / "stranger.txt"
    stranger.write_text(f"{pyrage.x25519.Identity.generate()}\n")
    good = sealed.read_bytes()

    def refused(*args: str, expected: str) -> None:
        names = sorted(isolated.iterdir())
        result = run(*args, code=2)
        assert result.stderr.count("\n") == 1, result.stderr
        assert expected in result.stderr and "Traceback" not in result.stderr
        assert sorted(isolated.iterdir()) == names

    add = ("add-event", "--date", "2018", "--title", "New")
    refused(*add, "-i", str(stranger), expected="cannot open")
    refused("list", "events", "--identity", str(isolated.parent / "missing.txt"), expected="no identity file at")
    monkeypatch.setenv(keys.IDENTITY_ENV, str(stranger))
    refused(*add, expected="cannot open")
    monkeypatch.delenv(keys.IDENTITY_ENV)
    for damaged in (good[:-9], good[:-30] + bytes([good[-30] ^ 4]) + good[-29:], b"[case]\ntitle = 'x'\n"):
        sealed.write_bytes(damaged)
        refused(*add, expected="casefile.toml.age")
        assert sealed.read_bytes() == damaged
    sealed.write_bytes(good)
    shutil.move(config_folder(isolated) / "identity.txt", isolated.parent / "kept.txt")
    refused("list", "events", expected="no identity to open it")
    monkeypatch.setenv(keys.IDENTITY_ENV, str(isolated.parent / "kept.txt"))
    assert VICTIM in run("list", "events").stdout


def test_a_damaged_header_is_still_one_line(run: Run, sealed: Path) -> None:
    """age says "Unknown age format." and a second line about upgrading: the message stays one line."""
    good = sealed.read_bytes()
    # A character of the header's MAC line that is not base64: age cannot read its header. (Not the
    # stanza before it: rage adds a random stanza, and when its body is short the byte changed was
    # another, and age said "Header MAC is invalid": 3 times in 200.)
    end = good.index(b"\n---")
    sealed.write_bytes(good[: end + 6] + b"!" + good[end + 7 :])
    result = run("list", "events", code=2)
    assert result.stderr.count("\n") == 1, result.stderr
    assert "is damaged" in result.stderr and "Unknown age format" in result.stderr


def test_recipients_add_and_remove_reencrypt_the_case_and_its_backup(
    run: Run, sealed: Path, me: pyrage.x25519.Identity
) -> None:
    jean = pyrage.x25519.Identity.generate()
    listed = run("recipients", "list").stdout.split()
    assert listed == [public(me)]
    run("recipients", "add", public(jean))
    backup = sealed.with_name(sealed.name + ".bak")
    for path in (sealed, backup):
        assert b'country = "MX"' in pyrage.decrypt(path.read_bytes(), [jean])
    assert run("recipients", "list").stdout.split() == [public(me), public(jean)]
    result = run("recipients", "remove", public(jean))
    assert "stays readable to them" in result.stderr
    for path in (sealed, backup):
        with pytest.raises(pyrage.DecryptError):
            pyrage.decrypt(path.read_bytes(), [jean])
        assert b'country = "MX"' in pyrage.decrypt(path.read_bytes(), [me])
    before = sealed.read_bytes()
    assert "readable by nobody" in run("recipients", "remove", public(me), code=2).stderr
    assert "is not a recipient" in run("recipients", "remove", public(jean), code=2).stderr
    assert sealed.read_bytes() == before
    run("recipients", "add", public(jean))
    before = sealed.read_bytes()
    assert "include your own public key" in run("recipients", "remove", public(me), code=2).stderr
    assert sealed.read_bytes() == before


def test_recipients_are_visible_without_a_key(run: Run, sealed: Path, isolated: Path) -> None:
    (config_folder(isolated) / "identity.txt").unlink()
    assert run("recipients", "list").stdout.startswith("age1")
    assert "not encrypted" in run("recipients", "list", "-f", str(isolated / "p.toml"), code=2).stderr


def test_decrypt_writes_a_plain_copy_only_where_asked(run: Run, sealed: Path, isolated: Path) -> None:
    result = run("decrypt", code=2)
    assert "--output" in result.stderr
    run("decrypt", "--output", str(isolated.parent / "copy.toml"))
    copy = isolated.parent / "copy.toml"
    assert VICTIM in copy.read_text(encoding="utf-8")
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert VICTIM in run("decrypt", "-o", "-").stdout
    assert "own files" in run("decrypt", "-o", str(sealed) + ".bak", code=2).stderr


def _through_a_pipe(run: Run, fifo: Path, *args: str) -> bytes:
    """What ``casefile ARGS --output FIFO`` writes into the FIFO (both its ends held here, so that
    opening it does not wait: what is written must fit its buffer)."""
    os.mkfifo(fifo, 0o600)
    held = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)
    received = b""
    try:
        run(*args, "--output", str(fifo))
        with contextlib.suppress(BlockingIOError):
            while chunk := os.read(held, 1 << 16):
                received += chunk
    finally:
        os.close(held)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # still the pipe: no file holds the text
    return received


def test_a_plain_copy_or_a_letter_given_to_a_pipe_is_never_written_to_disk(
    run: Run, sealed: Path, isolated: Path
) -> None:
    """`decrypt --output FIFO` (or `>(age ...)`) passes the plain text through the pipe: it replaced the
    pipe with a file holding it, beside the user's other files."""
    assert VICTIM.encode() in _through_a_pipe(run, isolated.parent / "to-editor", "decrypt")
    run("add-signatory", "--name", "Fundar", "--lead")
    letter = _through_a_pipe(run, isolated.parent / "to-age", "draft-complaint", "--as-of", "2018-07-16")
    assert VICTIM.encode() in letter
    assert not [path for path in isolated.parent.iterdir() if path.name.endswith(".tmp")]


@needs_age
def test_age_and_casefile_open_each_others_files(run: Run, isolated: Path, me: pyrage.x25519.Identity) -> None:
    identity = config_folder(isolated) / "identity.txt"
    plain = isolated / "plain.toml"
    run("init", "--title", "T", "--country", "Mexico", "-f", str(plain))
    run("add-event", "--date", "2017", "--title", "Made in the open", "-f", str(plain))
    folder = isolated / "from-age"
    folder.mkdir()
    sealed = folder / "casefile.toml.age"
    subprocess.run(["age", "-a", "-r", public(me), "-o", str(sealed), str(plain)], check=True)
    encryption.recipients_path(sealed).write_text(public(me) + "\n")
    run("add-event", "--date", "2018", "--title", "Added in casefile", "-f", str(sealed))
    assert sealed.read_bytes().startswith(keys.AGE_ARMOR)  # armored stays armored
    opened = subprocess.run(["age", "-d", "-i", str(identity), str(sealed)], capture_output=True, check=True)
    assert b'title = "Made in the open"' in opened.stdout and b'title = "Added in casefile"' in opened.stdout


def test_ssh_keys_encrypt_and_open_a_case(run: Run, isolated: Path) -> None:
    if shutil.which("ssh-keygen") is None:
        pytest.skip("ssh-keygen is not installed")
    key = isolated.parent / "id_ed25519"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "m@x", "-f", str(key)], check=True)
    line = key.with_suffix(".pub").read_text().strip()
    run("init", "--title", "T", "--country", "Mexico", "--encrypt-to", line, "-i", str(key))
    run("add-event", "--date", "2017", "--title", "Via SSH", "-i", str(key))
    assert "Via SSH" in run("list", "events", "-i", str(key)).stdout
    assert run("recipients", "list").stdout.strip() == line


def test_the_encrypted_case_is_found_by_the_same_rules(
    run: Run, sealed: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("where").stdout.strip() == str(sealed)
    assert run("where", "-f", str(isolated / "casefile.toml")).stdout.strip() == str(sealed)
    below = isolated / "a" / "b"
    below.mkdir(parents=True)
    monkeypatch.chdir(below)
    assert run("where").stdout.strip() == str(sealed)
    monkeypatch.setenv("CASEFILE_FILE", str(isolated / "casefile.toml"))
    assert VICTIM in run("list", "events").stdout
