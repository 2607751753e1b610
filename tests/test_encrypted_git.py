"""git and encrypted cases: the merge driver decrypts in memory and encrypts to both sides' keys
(those the user accepted); without a key it leaves the conflict (exit 3); git diff shows the text
to key holders only."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyrage
import pytest

from casefile.case.model import Case
from casefile.storage import encryption, keys, store
from tests.conftest import Run
from tests.test_concurrency import child_env
from tests.test_merge import add, edit, git, needs_git, sample

NAME = "casefile.toml.age"


class Person:
    """Someone with an age identity file."""

    def __init__(self, folder: Path, name: str) -> None:
        self.identity = pyrage.x25519.Identity.generate()
        self.public = str(self.identity.to_public())
        self.key_file = folder / f"{name}.key"
        self.key_file.write_text(f"{self.identity}\n")

    def open(self, data: bytes) -> bytes:
        return pyrage.decrypt(data, [self.identity])


def case_text(case: Case) -> bytes:
    from casefile.storage.tomltext import dumps

    return dumps(case).encode("utf-8")


def seal(folder: Path, case: Case, *people: Person, name: str = NAME) -> Path:
    """Write ``case`` encrypted to ``people`` with its recipients file, as casefile keeps them."""
    path = folder / name
    recipients = [person.public for person in people]
    path.write_bytes(encryption.encrypt(case_text(case), recipients))
    encryption.recipients_path(path).write_text(encryption.recipients_file_text(path, recipients))
    return path


@pytest.fixture
def maria(tmp_path: Path) -> Person:
    return Person(tmp_path, "maria")


@pytest.fixture
def jean(tmp_path: Path) -> Person:
    return Person(tmp_path, "jean")


def plain_case(data: bytes, person: Person) -> Case:
    """The case in an encrypted file's bytes, as the store reads a plain file."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "casefile.toml"
        path.write_bytes(person.open(data))
        return store.load(path).case


# --- the merge driver on its own -----------------------------------------------------------------------


def test_merge_driver_merges_encrypted_versions_in_memory(
    run: Run, isolated: Path, maria: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = sample()
    ours = add(base, "2017-03-01", "Ours: a raid on the office")
    theirs = add(base, "2017-04-01", "Theirs: the ombudsman replies")
    files = {
        role: seal(isolated / role, case, maria)
        for role, case in (("base", base), ("ours", ours), ("theirs", theirs))
        if (isolated / role).mkdir() is None
    }
    monkeypatch.chdir(isolated / "ours")  # git runs the driver at the top of the work tree
    monkeypatch.setenv(keys.IDENTITY_ENV, str(maria.key_file))
    result = run("merge-driver", str(files["base"]), str(files["ours"]), str(files["theirs"]), NAME)
    assert "merged item by item" in result.stderr
    merged = files["ours"].read_bytes()
    assert keys.is_age_file(merged)
    assert b"raid" not in merged
    titles = [event.title for event in plain_case(merged, maria).events]
    assert "Ours: a raid on the office" in titles
    assert "Theirs: the ombudsman replies" in titles


def test_merge_driver_without_a_key_leaves_the_conflict_with_exit_3(
    run: Run, isolated: Path, maria: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = isolated / "v"
    folder.mkdir()
    versions = [seal(folder, case, maria, name=f"{role}.age") for role, case in (("b", sample()), ("o", sample()))]
    theirs = seal(folder, add(sample(), "2017-04-01", "Theirs"), maria, name="t.age")
    before = versions[1].read_bytes()
    monkeypatch.setenv(keys.IDENTITY_ENV, str(isolated / "no-such-key.txt"))
    result = run("merge-driver", str(versions[0]), str(versions[1]), str(theirs), NAME, code=3)
    assert "is encrypted and cannot be merged here" in result.stderr
    assert "git checkout -m casefile.toml.age" in result.stderr
    assert versions[1].read_bytes() == before
    # Someone else's key: the same exit status, nothing written.
    stranger = Person(isolated, "stranger")
    monkeypatch.setenv(keys.IDENTITY_ENV, str(stranger.key_file))
    result = run("merge-driver", str(versions[0]), str(versions[1]), str(theirs), NAME, code=3)
    assert "cannot open" in result.stderr
    assert versions[1].read_bytes() == before


def test_merge_driver_refuses_a_damaged_encrypted_version_with_exit_2(
    run: Run, isolated: Path, maria: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = isolated / "v"
    folder.mkdir()
    base, ours = (seal(folder, sample(), maria, name=f"{role}.age") for role in ("b", "o"))
    theirs = seal(folder, add(sample(), "2017-04-01", "Theirs"), maria, name="t.age")
    theirs.write_bytes(theirs.read_bytes()[:-7])
    before = ours.read_bytes()
    monkeypatch.setenv(keys.IDENTITY_ENV, str(maria.key_file))
    result = run("merge-driver", str(base), str(ours), str(theirs), NAME, code=2)
    assert result.stderr.count("\n") == 1
    assert "(theirs)" in result.stderr and "damaged" in result.stderr
    assert ours.read_bytes() == before


# --- real git ----------------------------------------------------------------------------------------


def casefile_env(tmp_path: Path, person: Person | None) -> dict[str, str]:
    env = child_env(tmp_path)
    env = {key: value for key, value in env.items() if not key.startswith("GIT_")}
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_TERMINAL_PROMPT="0", LC_ALL="C")
    env.pop(keys.IDENTITY_ENV, None)
    if person is not None:
        env[keys.IDENTITY_ENV] = str(person.key_file)
    return env


def git_as(repo: Path, person: Person | None, *args: str) -> subprocess.CompletedProcess[str]:
    env = casefile_env(repo.parent, person)
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=False)


@pytest.fixture
def repo(isolated: Path, run: Run, maria: Person) -> Path:
    folder = isolated / "repo"
    folder.mkdir()
    git(folder, "init", "-q", "-b", "main")
    git(folder, "config", "user.name", "Casefile Test")
    git(folder, "config", "user.email", "test@example.org")
    seal(folder, sample(), maria)
    setup = run("git-setup", "-f", str(folder / NAME))
    assert "diff=casefile-age" in setup.stderr
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "The encrypted case")
    return folder


@needs_git
def test_git_setup_for_an_encrypted_case(repo: Path) -> None:
    assert (repo / ".gitattributes").read_text(encoding="utf-8") == (
        f"{NAME} merge=casefile diff=casefile-age\n{NAME}.recipients merge=union\n"
    )
    textconv = git(repo, "config", "--get", "diff.casefile-age.textconv").stdout.strip()
    assert textconv == f"{sys.executable} -m casefile git-textconv"
    assert git(repo, "config", "--get", "diff.casefile-age.cachetextconv", code=1).stdout == ""
    assert git(repo, "check-ignore", f"{NAME}.bak").returncode == 0
    assert git(repo, "check-ignore", f"{NAME}.recipients", code=1).stdout == ""


@needs_git
def test_the_plain_text_beside_an_encrypted_case_is_never_committed(
    repo: Path, run: Run, maria: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`decrypt --output casefile.toml` beside the case left its plain text where `git add -A` took it
    (and every command then stopped: the folder held both): git ignores that name, decrypt refuses it."""
    plain = NAME.removesuffix(".age")
    assert git(repo, "check-ignore", plain).returncode == 0
    assert git(repo, "check-ignore", f"sub/{plain}", code=1).stdout == ""  # another case's name is its own
    monkeypatch.setenv(keys.IDENTITY_ENV, str(maria.key_file))
    said = run("decrypt", "--output", str(repo / plain), "-f", str(repo / NAME), code=2).stderr
    assert "choose another name" in said
    assert not (repo / plain).exists()
    run("decrypt", "--output", str(repo.parent / plain), "-f", str(repo / NAME))  # elsewhere, as asked


@needs_git
def test_a_plain_copy_or_private_export_in_the_work_tree_is_said_to_be_committable(
    repo: Path, run: Run, maria: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Written inside the repository, under any name git does not ignore, `git add -A` took it."""
    monkeypatch.setenv(keys.IDENTITY_ENV, str(maria.key_file))
    case = ["-f", str(repo / NAME)]
    said = run("decrypt", "--output", str(repo / "copia.toml"), *case).stderr
    assert "git add -A" in said and str(repo) in said
    assert "?? copia.toml" in git(repo, "status", "--porcelain").stdout  # as it says
    said = run("export", "--format", "json", "--include-private", "-o", str(repo / "todo.json"), *case).stderr
    assert "git add -A" in said
    assert "git add -A" not in run("export", "--format", "json", "-o", str(repo / "public.json"), *case).stderr
    assert "git add -A" not in run("decrypt", "--output", str(repo.parent / "copia.toml"), *case).stderr


def branches_where_jean_joins(repo: Path, maria: Person, jean: Person) -> None:
    """Branch ``jean`` adds Jean's key and an event; ``main`` adds another event."""
    git(repo, "checkout", "-q", "-b", "jean")
    seal(repo, add(sample(), "2017-04-01", "Jean adds the ombudsman's reply"), maria, jean)
    git(repo, "commit", "-q", "-am", "Jean joins and adds an event")
    git(repo, "checkout", "-q", "main")
    seal(repo, add(sample(), "2017-03-01", "Maria adds the raid"), maria)
    git(repo, "commit", "-q", "-am", "Maria adds an event")


BOTH_EVENTS = {"Jean adds the ombudsman's reply", "Maria adds the raid"}


@needs_git
def test_git_merge_joins_items_and_leaves_out_a_key_the_other_side_added(
    repo: Path, maria: Person, jean: Person
) -> None:
    branches_where_jean_joins(repo, maria, jean)
    merged = git_as(repo, maria, "merge", "--no-edit", "jean")
    assert merged.returncode == 0, merged.stderr
    data = (repo / NAME).read_bytes()
    assert {event.title for event in plain_case(data, maria).events} >= BOTH_EVENTS
    # Jean's key came with the commit being merged: nobody here accepted it yet.
    with pytest.raises(pyrage.DecryptError):
        jean.open(data)
    assert encryption.stanza_types(data) == ["X25519"]
    said = merged.stdout + merged.stderr
    assert "not encrypted to 1 key you have not accepted" in said and "casefile recipients accept" in said
    assert jean.public in (repo / f"{NAME}.recipients").read_text()  # git's union of lines
    env = casefile_env(repo.parent, maria)
    command = [sys.executable, "-m", "casefile", "recipients", "accept", "--yes", "-f", NAME]
    accepted = subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, check=False)
    assert accepted.returncode == 0, accepted.stderr
    assert {event.title for event in plain_case((repo / NAME).read_bytes(), jean).events} >= BOTH_EVENTS
    git(repo, "commit", "-q", "-am", "Jean's key accepted")
    # Once accepted, the next merge encrypts to Jean's key too.
    git(repo, "checkout", "-q", "-b", "jean-again", "jean")
    seal(repo, add(plain_case(data, maria), "2017-05-01", "Jean's second event"), maria, jean)
    git(repo, "commit", "-q", "-am", "Jean adds another event")
    git(repo, "checkout", "-q", "main")
    again = git_as(repo, maria, "merge", "--no-edit", "jean-again")
    assert again.returncode == 0, again.stderr
    data = (repo / NAME).read_bytes()
    assert "Jean's second event" in {event.title for event in plain_case(data, jean).events}
    assert encryption.stanza_types(data) == ["X25519", "X25519"]
    assert "not accepted" not in again.stdout + again.stderr


@needs_git
def test_git_merge_without_a_key_leaves_the_conflict_then_checkout_m_merges(repo: Path, maria: Person) -> None:
    git(repo, "checkout", "-q", "-b", "theirs")
    seal(repo, edit(sample(), "2017-02-11", title="Theirs"), maria)
    git(repo, "commit", "-q", "-am", "theirs")
    git(repo, "checkout", "-q", "main")
    seal(repo, add(sample(), "2017-03-01", "Ours"), maria)
    git(repo, "commit", "-q", "-am", "ours")
    ours = (repo / NAME).read_bytes()
    failed = git_as(repo, None, "merge", "--no-edit", "theirs")
    assert failed.returncode != 0
    assert "cannot be merged here" in failed.stderr + failed.stdout
    assert (repo / NAME).read_bytes() == ours
    again = git_as(repo, maria, "checkout", "-m", NAME)
    assert again.returncode == 0, again.stderr
    titles = {event.title for event in plain_case((repo / NAME).read_bytes(), maria).events}
    assert {"Theirs", "Ours"} <= titles


@needs_git
def test_git_diff_shows_decrypted_text_to_key_holders_only(repo: Path, maria: Person) -> None:
    seal(repo, add(sample(), "2017-03-01", "A raid on the office"), maria)
    shown = git_as(repo, maria, "diff")
    assert '+title = "A raid on the office"' in shown.stdout
    hidden = git_as(repo, None, "diff")
    assert hidden.returncode == 0
    assert "raid" not in hidden.stdout
    assert "no identity here opens it" in hidden.stdout
    assert not any(name.startswith("refs/notes") for name in os.listdir(repo / ".git" / "refs"))


@needs_git
def test_checkout_m_after_a_merge_without_a_key_does_not_accept_the_key_the_other_side_added(
    repo: Path, maria: Person, jean: Person
) -> None:
    # The first merge stops without a key, and git's union of the recipients file already lists
    # Jean's key in the work tree: the merge again (the first use of the case here) took that file
    # as ours, and accepted Jean's key on Maria's behalf.
    branches_where_jean_joins(repo, maria, jean)
    assert git_as(repo, None, "merge", "--no-edit", "jean").returncode != 0
    assert jean.public in (repo / f"{NAME}.recipients").read_text()
    again = git_as(repo, maria, "checkout", "-m", NAME)
    assert again.returncode == 0, again.stderr
    data = (repo / NAME).read_bytes()
    assert {event.title for event in plain_case(data, maria).events} >= BOTH_EVENTS
    with pytest.raises(pyrage.DecryptError):
        jean.open(data)
    assert "not encrypted to 1 key you have not accepted" in again.stdout + again.stderr


@needs_git
def test_a_merge_whose_other_side_removed_your_key_stays_encrypted_to_it(
    repo: Path, maria: Person, jean: Person
) -> None:
    # Honouring the removal encrypted the merged case to Jean alone: Maria, merging, was locked out.
    # (A commit that re-encrypts the case without her key cannot be merged by her at all; this one
    # only takes her key out of the recipients file, as anyone could.)
    seal(repo, sample(), maria, jean)
    git(repo, "commit", "-q", "-am", "Maria and Jean read the case")
    git(repo, "checkout", "-q", "-b", "jean")
    case = seal(repo, add(sample(), "2017-04-01", "Jean adds the ombudsman's reply"), maria, jean)
    encryption.recipients_path(case).write_text(encryption.recipients_file_text(case, [jean.public]))
    git(repo, "commit", "-q", "-am", "Jean removes Maria's key")
    git(repo, "checkout", "-q", "main")
    seal(repo, add(sample(), "2017-03-01", "Maria adds the raid"), maria, jean)
    git(repo, "commit", "-q", "-am", "Maria adds an event")
    merged = git_as(repo, maria, "merge", "--no-edit", "jean")
    assert merged.returncode == 0, merged.stderr
    data = (repo / NAME).read_bytes()
    assert {event.title for event in plain_case(data, maria).events} >= BOTH_EVENTS
    assert {event.title for event in plain_case(data, jean).events} >= BOTH_EVENTS
    said = merged.stdout + merged.stderr
    assert "the other side removed your own key" in said and "casefile recipients add" in said
    assert maria.public not in (repo / f"{NAME}.recipients").read_text()  # git applied the removal
    env = casefile_env(repo.parent, maria)
    command = [sys.executable, "-m", "casefile", "add-event", "--date", "2017-05-01", "--title", "X", "-f", NAME]
    refused = subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, check=False)
    assert refused.returncode == 2 and "no longer lists a key of yours" in refused.stderr
