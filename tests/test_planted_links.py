"""Symbolic links a git pull can check out beside a case: a ``casefile.toml`` linking out of the
repository is refused when found by the search (not when named), and casefile's own files beside
the case (lock, backups, recipients) are never read or written through a link."""

from __future__ import annotations

from pathlib import Path

import pyrage
import pytest

from casefile.storage import files
from tests.conftest import Run
from tests.test_merge import git, needs_git

ADD = ("add-event", "--date", "2019-03-04", "--title", "Pulled")


def repository(folder: Path, *, git_file: bool = False) -> Path:
    """A folder git would call a work tree: ``.git`` a folder, or a file (worktrees, submodules)."""
    folder.mkdir(parents=True)
    if git_file:
        (folder / ".git").write_text("gitdir: /elsewhere/.git/worktrees/repo\n")
    else:
        (folder / ".git").mkdir()
    return folder


def other_case(run: Run, folder: Path, title: str = "Another coalition's case") -> Path:
    """A case kept elsewhere on the user's disk (another coalition's)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "casefile.toml"
    run("init", "--title", title, "--country", "Mexico", "-f", str(path))
    return path


def refused(run: Run, *args: str) -> str:
    """stderr of a command that must stop with one line and exit status 2."""
    said = run(*args, code=2).stderr
    assert said.count("\n") == 1, said
    return said


@pytest.mark.parametrize("git_file", [False, True], ids=["git-folder", "git-file"])
def test_a_casefile_toml_linking_out_of_its_repository_is_refused_and_the_other_case_untouched(
    run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch, git_file: bool
) -> None:
    other = other_case(run, isolated.parent / "other-coalition")
    repo = repository(isolated / "repo", git_file=git_file)
    link = repo / "casefile.toml"
    link.symlink_to(Path("..") / ".." / "other-coalition" / "casefile.toml")  # as a commit would carry it
    below = repo / "letters"
    below.mkdir()
    monkeypatch.chdir(below)
    before = other.read_bytes()
    commands = [("list", "events"), ADD, ("edit-case", "--title", "Mine"), ("where",), ("draft-complaint",)]
    commands.append(("export", "--format", "json"))
    for command in commands:
        said = refused(run, *command)
        assert str(link) in said and str(other) in said and "git pull" in said, said
        assert f"--file {other}" in said and f"CASEFILE_FILE={other}" in said
    assert other.read_bytes() == before
    assert sorted(path.name for path in other.parent.iterdir()) == ["casefile.toml"]  # no lock, no backup


@pytest.mark.parametrize(
    ("locale", "words"), [("es_ES.UTF-8", "es un enlace simbólico a"), ("fr_FR.UTF-8", "est un lien symbolique vers")]
)
def test_the_refusal_is_said_in_the_users_language(
    run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch, locale: str, words: str
) -> None:
    other = other_case(run, isolated.parent / "other-coalition")
    repo = repository(isolated / "repo")
    (repo / "casefile.toml").symlink_to(other)
    monkeypatch.chdir(repo)
    monkeypatch.setenv("LANG", locale)
    said = refused(run, "list", "events")
    assert words in said and "git pull" in said and f"CASEFILE_FILE={other}" in said


def test_an_encrypted_case_linking_out_of_its_repository_is_refused(
    run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = isolated.parent / "other-coalition"
    elsewhere.mkdir()
    other = elsewhere / "casefile.toml.age"
    other.write_bytes(b"age-encryption.org/v1\n")  # refused before a byte is read: no key needed
    repo = repository(isolated / "repo")
    (repo / "casefile.toml.age").symlink_to(other)
    monkeypatch.chdir(repo)
    said = refused(run, "list", "events")
    assert "casefile.toml.age is a symbolic link to" in said and f"--file {other}" in said


def test_only_a_link_out_of_a_git_work_tree_is_refused(
    run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Outside any repository the user made the link: it is followed, as before.
    other = other_case(run, isolated.parent / "synced")
    link = isolated / "casefile.toml"
    link.symlink_to(other)
    run(*ADD)
    assert "Pulled" in other.read_text() and link.is_symlink()
    # Inside a repository, a case kept in a subfolder of it is fine, also seen from below.
    repo = repository(isolated / "repo")
    inside = other_case(run, repo / "cases" / "mexico", title="Kept in a subfolder")
    (repo / "casefile.toml").symlink_to(Path("cases") / "mexico" / "casefile.toml")
    (repo / "notes").mkdir()
    monkeypatch.chdir(repo / "notes")
    run(*ADD)
    assert "Pulled" in inside.read_text()
    # A chain that leaves through a linked folder inside the repository is judged by its end.
    (repo / "casefile.toml").unlink()
    (repo / "shared").symlink_to(other.parent)
    (repo / "casefile.toml").symlink_to(Path("shared") / "casefile.toml")
    said = refused(run, "list", "events")
    assert f"link to {other}," in said


def test_the_linked_case_is_used_when_named_with_file_or_the_environment(
    run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = other_case(run, isolated.parent / "other-coalition")
    repo = repository(isolated / "repo")
    link = repo / "casefile.toml"
    link.symlink_to(other)
    monkeypatch.chdir(repo)
    refused(run, "list", "events")
    run(*ADD, "--file", str(other))
    run("edit", "2019-03-04", "--title", "Named with --file", "--file", str(link))  # the link, named: also a choice
    assert "Named with --file" in other.read_text()
    monkeypatch.setenv("CASEFILE_FILE", str(other))
    assert run("where").stdout.strip() == str(other)
    assert "Named with --file" in run("list", "events").stdout


def test_a_dangling_link_in_a_repository_keeps_its_own_message(
    run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = repository(isolated / "repo")
    (repo / "casefile.toml").symlink_to(isolated.parent / "gone" / "casefile.toml")
    (repo / "casefile.toml.age").symlink_to(isolated.parent / "other-coalition" / "casefile.toml.age")
    (isolated.parent / "other-coalition").mkdir()
    (isolated.parent / "other-coalition" / "casefile.toml.age").write_bytes(b"age-encryption.org/v1\n")
    monkeypatch.chdir(repo)
    # The plain name links to nothing and the encrypted one out of the repository: refused either way.
    said = refused(run, "list", "events")
    assert "git pull" in said
    (repo / "casefile.toml.age").unlink()
    said = refused(run, "list", "events")
    assert "which is not there" in said and "remove it" in said


def test_a_plain_link_beside_an_encrypted_case_is_refused_before_offering_to_encrypt_it(
    run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "holds both" offered `casefile encrypt --file casefile.toml`, which follows the named link:
    # it encrypted the other coalition's case where it is and deleted its plain file.
    other = other_case(run, isolated.parent / "other-coalition")
    repo = repository(isolated / "repo")
    (repo / "casefile.toml.age").write_bytes(b"age-encryption.org/v1\n")
    (repo / "casefile.toml").symlink_to(other)
    monkeypatch.chdir(repo)
    said = refused(run, "list", "events")
    assert "git pull" in said and f"--file {other}" in said and "casefile encrypt" not in said


def test_init_never_creates_the_case_through_a_link_out_of_the_repository(
    run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch, identity: pyrage.x25519.Identity
) -> None:
    # A link to nothing is not "a case that exists": init created the file where it led.
    repo = repository(isolated / "repo")
    elsewhere = isolated.parent / "home" / ".config" / "autostart"
    monkeypatch.chdir(repo)
    for name, extra in (("casefile.toml", ()), ("casefile.toml.age", ("--encrypt-to", str(identity.to_public())))):
        (repo / name).symlink_to(elsewhere / name)
        said = refused(run, "init", "--title", "Ours", "--country", "Mexico", *extra)
        assert f"{repo / name} is a symbolic link to {elsewhere / name}" in said and "git pull" in said
        assert not elsewhere.exists() and sorted(path.name for path in repo.iterdir()) == [".git", name]
        (repo / name).unlink()
    # Named, the link is the user's choice, as for every other command.
    (repo / "casefile.toml").symlink_to(elsewhere / "casefile.toml")
    elsewhere.mkdir(parents=True)
    run("init", "--title", "Ours", "--country", "Mexico", "--file", "casefile.toml")
    assert "Ours" in (elsewhere / "casefile.toml").read_text()


# --- casefile's own files beside the case ---------------------------------------------------------


def victim(isolated: Path) -> Path:
    """A file of the user's outside the repository that a planted link points at."""
    path = isolated.parent / "home" / ".bashrc"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("export PATH=$HOME/bin:$PATH\n")
    return path


@pytest.mark.parametrize("dangling", [False, True], ids=["to-a-file", "to-nothing"])
def test_a_lock_file_that_is_a_link_is_never_written_through(
    run: Run, case_file: Path, isolated: Path, dangling: bool
) -> None:
    target = victim(isolated)
    if dangling:
        target.unlink()
    lock = files.sidecar(case_file, ".lock")
    lock.unlink(missing_ok=True)
    lock.symlink_to(target)
    before = case_file.read_bytes()
    said = refused(run, *ADD)
    assert f"{lock} is a symbolic link to {target}" in said and "Remove the link" in said
    assert case_file.read_bytes() == before
    if dangling:
        assert not target.exists()  # not created elsewhere either
    else:
        assert target.read_text() == "export PATH=$HOME/bin:$PATH\n"


def test_a_lock_link_made_after_the_check_is_still_not_followed(
    case_file: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """O_NOFOLLOW: a link put there between the check and the opening is refused all the same."""
    from casefile.errors import UntrustedLink
    from casefile.storage import lock

    target = victim(isolated)
    path = files.sidecar(case_file, ".lock")
    path.unlink(missing_ok=True)
    path.symlink_to(target)
    monkeypatch.setattr(lock, "refuse_foreign_link", lambda path: None, raising=False)
    with pytest.raises(UntrustedLink, match="is a symbolic link to"), lock.locked(case_file):
        pass
    assert target.read_text() == "export PATH=$HOME/bin:$PATH\n"


def test_a_backup_that_is_a_link_is_replaced_never_written_through(run: Run, case_file: Path, isolated: Path) -> None:
    # The backup is made by a hard link and os.replace, which replaces the link itself: the test
    # guards that promise (it holds on main too).
    target = victim(isolated)
    backup = files.sidecar(case_file, ".bak")
    backup.unlink(missing_ok=True)
    backup.symlink_to(target)
    before = case_file.read_bytes()
    run(*ADD)
    assert target.read_text() == "export PATH=$HOME/bin:$PATH\n"
    assert not backup.is_symlink() and backup.read_bytes() == before


@pytest.fixture
def identity(run: Run, isolated: Path) -> pyrage.x25519.Identity:
    run("keygen")
    config = isolated.parent / "home" / "xdg_config_home" / "casefile"
    return pyrage.x25519.Identity.from_str((config / "identity.txt").read_text().splitlines()[-1])


def test_recipients_add_never_reads_or_rewrites_a_backup_that_is_a_link(
    run: Run, isolated: Path, identity: pyrage.x25519.Identity
) -> None:
    mine = str(identity.to_public())
    other = isolated.parent / "other-coalition" / "casefile.toml"
    other.parent.mkdir()
    run("init", "--title", "Another coalition's case", "--country", "Mexico", "--encrypt-to", mine, "-f", str(other))
    other = other.with_name("casefile.toml.age")
    repo = repository(isolated / "repo")
    case = repo / "casefile.toml"
    run("init", "--title", "Ours", "--country", "Mexico", "--encrypt-to", mine, "-f", str(case))
    case = case.with_name("casefile.toml.age")
    backup = files.sidecar(case, ".bak")
    backup.symlink_to(other)  # would be opened with the user's key and re-encrypted here, to our recipients
    stranger = str(pyrage.x25519.Identity.generate().to_public())
    before = {path: path.read_bytes() for path in (case, other, files.sidecar(case, ".recipients"))}
    said = refused(run, "recipients", "add", stranger, "-f", str(case))
    assert f"{backup} is a symbolic link to {other}" in said
    assert {path: path.read_bytes() for path in before} == before and backup.is_symlink()


def test_a_recipients_file_linking_out_of_the_repository_is_refused(
    run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch, identity: pyrage.x25519.Identity
) -> None:
    mine = str(identity.to_public())
    repo = repository(isolated / "repo")
    run("init", "--title", "Ours", "--country", "Mexico", "--encrypt-to", mine, "-f", str(repo / "casefile.toml"))
    case = repo / "casefile.toml.age"
    recipients = files.sidecar(case, ".recipients")
    # Who can read every new version would be decided outside the repository's history.
    elsewhere = isolated.parent / "shared" / "recipients.txt"
    elsewhere.parent.mkdir()
    stranger = pyrage.x25519.Identity.generate()
    elsewhere.write_text(f"{mine}\n{stranger.to_public()}\n")
    recipients.unlink()
    recipients.symlink_to(elsewhere)
    monkeypatch.chdir(repo)
    before = case.read_bytes()
    for command in (ADD, ("recipients", "list")):
        said = refused(run, *command)
        assert f"{recipients} is a symbolic link to {elsewhere}" in said and "git pull" in said
    assert case.read_bytes() == before
    # Outside any repository the user made the link: it is read, as before (and a key it adds is
    # accepted like any other).
    (repo / ".git").rmdir()
    assert "not accepted" in run(*ADD, code=2).stderr
    run("recipients", "accept", "--yes")
    run(*ADD)
    assert b"Pulled" in pyrage.decrypt(case.read_bytes(), [stranger])


def test_check_does_not_list_what_a_planted_evidence_link_leads_to(run: Run, isolated: Path) -> None:
    # `check` reports files others can read; through a pulled `evidence` link it listed the names
    # of files in another folder of the user's (a private one, here).
    repo = repository(isolated / "repo")
    case = repo / "casefile.toml"
    run("init", "--title", "Ours", "--country", "Mexico", "-f", str(case))
    private = isolated.parent / "private-notes"
    private.mkdir()
    (private / "informant-names.txt").write_text("x")
    (private / "informant-names.txt").chmod(0o644)
    (repo / "evidence").symlink_to(private)
    said = run("check", "-f", str(case), code=None).stdout
    assert "informant-names" not in said and "private-notes" not in said
    (repo / "evidence").unlink()
    (repo / "evidence").mkdir(mode=0o700)
    (repo / "evidence" / "report.pdf").symlink_to(private / "informant-names.txt")
    assert "report.pdf" not in run("check", "-f", str(case), code=None).stdout
    case.chmod(0o644)
    assert "[permissions]" in run("check", "-f", str(case), code=None).stdout  # the case itself still is


@needs_git
@pytest.mark.parametrize("name", [".gitignore", ".gitattributes"])
def test_git_setup_never_appends_through_a_pulled_link(run: Run, isolated: Path, name: str) -> None:
    # git itself does not read these files through a link; git-setup appended its lines to the target.
    repo = isolated / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    run("init", "--title", "Ours", "--country", "Mexico", "-f", str(repo / "casefile.toml"))
    target = victim(isolated)
    (repo / name).symlink_to(Path("..") / ".." / "home" / ".bashrc")
    said = refused(run, "git-setup", "-f", str(repo / "casefile.toml"))
    assert f"{repo / name} is a symbolic link to {target}" in said and "git pull" in said
    assert target.read_text() == "export PATH=$HOME/bin:$PATH\n"
    assert git(repo, "config", "--get", "merge.casefile.driver", code=1).stdout == ""  # nothing done


def test_template_export_never_writes_through_a_pulled_link(run: Run, isolated: Path) -> None:
    # The help says to put edited templates in templates/ beside the case: a shared one may hold a
    # link to nothing under a template's name, which copying followed to create the file it names.
    repo = repository(isolated / "repo")
    (repo / "templates").mkdir()
    elsewhere = isolated.parent / "home" / ".config" / "autostart" / "casefile.desktop"
    elsewhere.parent.mkdir(parents=True)
    (repo / "templates" / "letter.md.j2").symlink_to(elsewhere)
    said = refused(run, "template", "export", str(repo / "templates"))
    assert "letter.md.j2 already exists" in said
    assert not elsewhere.exists() and sorted(path.name for path in (repo / "templates").iterdir()) == ["letter.md.j2"]
