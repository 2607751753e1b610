"""age keys: keygen, identity files (age, SSH, passphrase-protected), recipients, and damaged files."""

from __future__ import annotations

import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pyrage
import pytest

from casefile.errors import BadKey, CannotDecrypt, WrongKey
from casefile.storage import encryption, keys
from tests.conftest import Run

needs_age = pytest.mark.skipif(shutil.which("age") is None, reason="the age command is not installed")
needs_ssh_keygen = pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="ssh-keygen is not installed")


def config_identity(isolated: Path) -> Path:
    return isolated.parent / "home" / "xdg_config_home" / "casefile" / "identity.txt"


@pytest.fixture
def prompt(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Passphrases the 'terminal' answers, in order; records nothing else."""
    answers: list[str] = []

    def ask(what: str, *, confirm: bool = False) -> str:
        return answers.pop(0)

    monkeypatch.setattr("casefile.cli.keys.ask_passphrase", ask)
    return answers


def ssh_key(folder: Path, kind: str, passphrase: str = "") -> Path:
    path = folder / f"id_{kind}"
    args = ["ssh-keygen", "-q", "-t", kind, "-N", passphrase, "-C", "maria@laptop", "-f", str(path)]
    if kind == "rsa":
        args[4:4] = ["-b", "2048"]
    subprocess.run(args, check=True)
    return path


# --- keygen ------------------------------------------------------------------------------------------


def test_keygen_writes_owner_only_identity_in_config_folder(run: Run, isolated: Path) -> None:
    result = run("keygen")
    path = config_identity(isolated)
    public = result.stdout.strip()
    assert public.startswith("age1")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text()
    assert f"# public key: {public}\n" in text
    secret = text.splitlines()[-1]
    assert str(pyrage.x25519.Identity.from_str(secret).to_public()) == public
    assert secret not in result.stdout + result.stderr
    assert not list(isolated.iterdir())  # nothing in the working folder


def test_keygen_never_replaces_an_identity(run: Run, isolated: Path) -> None:
    run("keygen")
    before = config_identity(isolated).read_bytes()
    result = run("keygen", code=2)
    assert "never replaces" in result.stderr
    assert config_identity(isolated).read_bytes() == before


def test_keygen_refuses_the_case_folder_and_git_work_trees(run: Run, case_file: Path, isolated: Path) -> None:
    result = run("keygen", "--output", "key.txt", code=2)
    assert "inside the case's folder" in result.stderr
    repo = isolated.parent / "repo"
    (repo / ".git").mkdir(parents=True)
    result = run("keygen", "--output", str(repo / "keys" / "me.txt"), code=2)
    assert "git work tree" in result.stderr
    assert not (isolated / "key.txt").exists()
    assert not (repo / "keys").exists()
    run("keygen", "--output", str(isolated.parent / "elsewhere" / "me.txt"))


@needs_age
def test_keygen_identity_works_with_age(run: Run, isolated: Path) -> None:
    public = run("keygen").stdout.strip()
    shown = subprocess.run(
        ["age-keygen", "-y", str(config_identity(isolated))], capture_output=True, text=True, check=True
    )
    assert shown.stdout.strip() == public


def in_child(code: str, *args: str) -> str:
    """Run Python ``code`` in a new process: scrypt (age -p) takes 256 MiB, kept out of the test process."""
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return result.stdout


OPEN_WITH_PASSPHRASE = (
    "import pyrage, sys; print(pyrage.passphrase.decrypt(open(sys.argv[1], 'rb').read(), sys.argv[2]).decode())"
)
LOCK_WITH_PASSPHRASE = (
    "import pyrage, sys; open(sys.argv[1], 'wb').write(pyrage.passphrase.encrypt(sys.argv[2].encode(), sys.argv[3]))"
)


def on_terminal(args: list[str], answers: list[str], env: dict[str, str], cwd: Path) -> tuple[int, str]:
    """Run casefile with a real terminal (a pty) as its controlling terminal; type ``answers`` at its prompts."""
    import fcntl
    import os
    import select
    import termios
    import time

    controller, terminal = os.openpty()

    def take_terminal() -> None:
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    process = subprocess.Popen(
        [sys.executable, "-m", "casefile", *args],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env=env,
        cwd=cwd,
        start_new_session=True,
        preexec_fn=take_terminal,  # noqa: PLW1509 (the child must own the terminal for getpass)
    )
    os.close(terminal)
    shown, pending, answered = b"", list(answers), 0
    deadline = time.monotonic() + 180  # scrypt on a busy machine
    while time.monotonic() < deadline:
        ready, _, _ = select.select([controller], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(controller, 4096)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
            fresh = shown[answered:].strip()  # a new prompt, not the newline after the last answer
            if pending and fresh.endswith(b":"):
                os.write(controller, pending.pop(0).encode() + b"\n")
                answered = len(shown)
        elif process.poll() is not None:
            break
    os.close(controller)
    return process.wait(timeout=60), shown.decode("utf-8", "replace")


def test_keygen_with_passphrase_on_a_real_terminal(isolated: Path) -> None:
    from tests.test_concurrency import child_env

    env = child_env(isolated.parent)
    code, shown = on_terminal(
        ["keygen", "--passphrase"], ["correct horse battery", "correct horse battery"], env, isolated
    )
    assert code == 0, shown
    assert "correct horse" not in shown  # never echoed
    assert shown.count("Passphrase for") == 1 and "The same passphrase again" in shown
    public = next(word for word in shown.split() if word.startswith("age1"))
    data = config_identity(isolated).read_bytes()
    assert data.startswith(keys.AGE_ARMOR)
    assert b"AGE-SECRET-KEY" not in data
    opened = in_child(OPEN_WITH_PASSPHRASE, str(config_identity(isolated)), "correct horse battery")
    assert f"# public key: {public}" in opened
    # The identity opens what is encrypted to its key, once the passphrase is typed on the terminal.
    sealed = isolated / "case.age"
    sealed.write_bytes(encryption.encrypt(b"schema_version = 1\n", [public]))
    code, shown = on_terminal(["git-textconv", str(sealed)], ["correct horse battery"], env, isolated)
    assert code == 0 and "schema_version = 1" in shown, shown
    code, shown = on_terminal(["git-textconv", str(sealed)], ["wrong horse"], env, isolated)
    assert "schema_version" not in shown and "no identity here opens it" in shown
    code, shown = on_terminal(
        ["keygen", "--passphrase", "-o", str(isolated.parent / "k2")], ["one", "two"], env, isolated
    )
    assert code == 2 and "the two passphrases differ" in shown
    assert not (isolated.parent / "k2").exists()


def test_keygen_refuses_an_empty_passphrase(run: Run, isolated: Path, prompt: list[str]) -> None:
    prompt.append("")
    result = run("keygen", "--passphrase", code=2)
    assert "empty passphrase" in result.stderr
    assert not config_identity(isolated).exists()


def test_passphrase_is_never_read_without_a_terminal(run: Run, isolated: Path) -> None:
    # CliRunner's stdin is a pipe; /dev/tty is not opened by a test run without one.
    try:
        open("/dev/tty").close()
        pytest.skip("this test run has a terminal")
    except OSError:
        pass
    result = run("keygen", "--passphrase", input="secret\nsecret\n", code=2)
    assert "no terminal" in result.stderr
    assert not config_identity(isolated).exists()


# --- identities --------------------------------------------------------------------------------------


def source(path: Path) -> keys.IdentitySource:
    return keys.IdentitySource(path, "test")


def test_identity_file_with_comments_and_several_keys(tmp_path: Path) -> None:
    first, second = pyrage.x25519.Identity.generate(), pyrage.x25519.Identity.generate()
    path = tmp_path / "keys.txt"
    path.write_text(f"# mine\n{first}\n\n# old laptop\n{second}\n")
    loaded = keys.load_identities(source(path))
    assert keys.public_keys(loaded) == [str(first.to_public()), str(second.to_public())]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "holds no age secret key"),
        ("# only a comment\n", "holds no age secret key"),
        ("age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq\n", "line 1: a public key"),
        ("AGE-SECRET-KEY-1NOTAKEY\n", "line 1: not an age secret key"),
    ],
)
def test_bad_identity_files(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / f"bad-{abs(hash(text))}.txt"
    path.write_text(text)
    with pytest.raises(BadKey, match=expected):
        keys.load_identities(source(path))


def test_identity_that_is_a_folder_or_fifo_or_missing(tmp_path: Path) -> None:
    import os

    with pytest.raises(BadKey, match="no identity file"):
        keys.load_identities(source(tmp_path / "missing.txt"))
    with pytest.raises(BadKey, match="not a regular file"):
        keys.load_identities(source(tmp_path))
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(BadKey, match="not a regular file"):
        keys.load_identities(source(tmp_path / "fifo"))


@needs_ssh_keygen
@pytest.mark.parametrize("kind", ["ed25519", "rsa"])
def test_ssh_keys_are_identities_and_recipients(tmp_path: Path, kind: str) -> None:
    private = ssh_key(tmp_path, kind)
    public_line = (tmp_path / f"id_{kind}.pub").read_text()
    recipient = keys.parse_recipient(public_line)
    assert recipient.endswith("maria@laptop")  # the comment says whose key it is
    sealed = encryption.encrypt(b"secret case", [recipient])
    loaded = keys.load_identities(source(private))
    assert encryption.decrypt(sealed, loaded, path=tmp_path / "c.age", identity=private) == b"secret case"


@needs_ssh_keygen
def test_ssh_key_with_passphrase_is_refused_plainly(tmp_path: Path) -> None:
    private = ssh_key(tmp_path, "ed25519", passphrase="hunter22")
    with pytest.raises(BadKey, match="protected by a passphrase, which casefile cannot open"):
        keys.load_identities(source(private))


PASSPHRASE_PROBE = """
import sys
from pathlib import Path
from casefile.storage import keys
from casefile.errors import BadKey
path, answer = Path(sys.argv[1]), sys.argv[2]
asked = []
keys.passphrase_prompt = None if answer == "-" else (lambda what: asked.append(what) or answer)
try:
    first = keys.public_keys(keys.load_identities(keys.IdentitySource(path, "test")))
    again = keys.public_keys(keys.load_identities(keys.IdentitySource(path, "test")))
    print(first == again, first[0], len(asked))
except BadKey as error:
    print("BadKey:", error)
"""


def test_passphrase_identity_asks_once_and_refuses_a_wrong_one(tmp_path: Path) -> None:
    identity = pyrage.x25519.Identity.generate()
    path = tmp_path / "locked.age"
    in_child(LOCK_WITH_PASSPHRASE, str(path), f"{identity}\n", "s3cret")
    assert in_child(PASSPHRASE_PROBE, str(path), "s3cret").split() == ["True", str(identity.to_public()), "1"]
    assert "wrong passphrase" in in_child(PASSPHRASE_PROBE, str(path), "guess")
    assert "no terminal" in in_child(PASSPHRASE_PROBE, str(path), "-")


# --- recipients --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("age1xyz", "is not a recipient"),
        ("ssh-ed25519 AAAA", "is not a recipient"),
        ("ssh-dss AAAAB3NzaC1kc3MAAACBAP", "is not a recipient"),
        ("", "is not a recipient"),
        ("AGE-SECRET-KEY-1QQQ", "secret key, not a public one"),
        ("maria@example.org", "is not a recipient"),
    ],
)
def test_strings_that_are_not_keys(text: str, expected: str) -> None:
    with pytest.raises(BadKey, match=expected):
        keys.parse_recipient(text)


def test_recipients_file_in_age_format(tmp_path: Path) -> None:
    mine, theirs = (str(pyrage.x25519.Identity.generate().to_public()) for _ in range(2))
    path = tmp_path / "recipients.txt"
    path.write_text(f"# coalition\n{mine}\n\n  {theirs}  \n{mine}\n")
    assert keys.read_recipients_file(path) == (mine, theirs)
    path.write_text(f"{mine}\nnot-a-key\n")
    with pytest.raises(BadKey, match=r"recipients\.txt: line 2: "):
        keys.read_recipients_file(path)
    path.write_text("# nobody\n")
    with pytest.raises(BadKey, match="lists no recipient"):
        keys.read_recipients_file(path)


# --- encrypted bytes ---------------------------------------------------------------------------------


@pytest.fixture
def identity_file(tmp_path: Path) -> tuple[Path, str]:
    identity = pyrage.x25519.Identity.generate()
    path = tmp_path / "me.txt"
    path.write_text(f"{identity}\n")
    return path, str(identity.to_public())


def test_decrypt_tells_wrong_key_from_damage(tmp_path: Path, identity_file: tuple[Path, str]) -> None:
    path, public = identity_file
    mine = keys.load_identities(source(path))
    sealed = encryption.encrypt(b"[case]\ntitle = 'T'\n" * 50, [public])
    case = tmp_path / "casefile.toml.age"
    other = [pyrage.x25519.Identity.generate()]
    with pytest.raises(WrongKey, match=r"cannot open .* encrypted to 1 other key"):
        encryption.decrypt(sealed, other, path=case, identity=path)
    for damaged in (sealed[:-10], sealed[:-20] + bytes([sealed[-20] ^ 1]) + sealed[-19:]):
        with pytest.raises(CannotDecrypt, match="is damaged") as caught:
            encryption.decrypt(damaged, mine, path=case, identity=path)
        assert not isinstance(caught.value, WrongKey)
    for foreign in (b"", b"[case]\ntitle = 'plain'\n", b"age-encryption.org/v1\n-> X25519"):
        with pytest.raises(CannotDecrypt):
            encryption.decrypt(foreign, mine, path=case, identity=path)
    in_child(LOCK_WITH_PASSPHRASE, str(tmp_path / "pw.age"), "x", "pw")
    by_passphrase = (tmp_path / "pw.age").read_bytes()
    with pytest.raises(CannotDecrypt, match="encrypted with a passphrase"):
        encryption.decrypt(by_passphrase, mine, path=case, identity=path)


def test_armored_files_open_and_stay_armored(tmp_path: Path, identity_file: tuple[Path, str]) -> None:
    path, public = identity_file
    sealed = encryption.encrypt(b"plain text", [public], armored=True)
    assert sealed.startswith(keys.AGE_ARMOR)
    assert encryption.stanza_types(sealed) == ["X25519"]
    mine = keys.load_identities(source(path))
    assert encryption.decrypt(sealed, mine, path=tmp_path / "c.age", identity=path) == b"plain text"


@needs_age
def test_age_command_line_interoperates(tmp_path: Path, identity_file: tuple[Path, str]) -> None:
    path, public = identity_file
    sealed = tmp_path / "by-casefile.age"
    sealed.write_bytes(encryption.encrypt(b"schema_version = 1\n", [public]))
    opened = subprocess.run(["age", "-d", "-i", str(path), str(sealed)], capture_output=True, check=True)
    assert opened.stdout == b"schema_version = 1\n"
    for armor in ([], ["-a"]):
        by_age = tmp_path / "by-age.age"
        subprocess.run(["age", *armor, "-r", public, "-o", str(by_age)], input=b"from age", check=True)
        mine = keys.load_identities(source(path))
        assert encryption.decrypt(by_age.read_bytes(), mine, path=by_age, identity=path) == b"from age"


def test_identity_option_may_follow_the_command(run: Run, tmp_path: Path) -> None:
    missing = tmp_path / "nobody.txt"
    for args in (
        ["--identity", str(missing), "where"],
        ["where", "-i", str(missing)],
        ["where", f"--identity={missing}"],
    ):
        run(*args)
        assert keys.chosen_identity == missing
    run("where")
    assert keys.chosen_identity is None
