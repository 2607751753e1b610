"""A key in the recipients file reads new versions only once this user accepted it.

The recipients file travels with git: whoever's commit is pulled can add a key to it. So what the
user accepted is recorded in their config folder, the first use of a case accepts what it lists,
and a key added since stops every write until ``casefile recipients accept``.
"""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pyrage
import pytest

from casefile.storage import cache, encryption
from tests.conftest import Run
from tests.test_encrypted_case import VICTIM, config_folder, me, public, sealed

__all__ = ["me", "sealed"]  # fixtures used here

ADD = ("add-event", "--date", "2018-01-01", "--title", "After the pull")


def record_path(isolated: Path) -> Path:
    return config_folder(isolated) / "accepted-recipients.json"


def accepted(isolated: Path, case: Path) -> set[str]:
    cases = json.loads(record_path(isolated).read_text(encoding="utf-8"))["cases"]
    return set(cases[str(case.resolve())])


def pull_adds(case: Path, key: str) -> None:
    """What a git pull does when someone else's commit added ``key`` to the recipients file."""
    listed = encryption.recipients_path(case)
    listed.write_text(listed.read_text(encoding="utf-8") + f"{key}\n", encoding="utf-8")


def pull_removes(case: Path, key: str) -> None:
    listed = encryption.recipients_path(case)
    lines = listed.read_text(encoding="utf-8").splitlines(keepends=True)
    listed.write_text("".join(line for line in lines if line.strip() != key), encoding="utf-8")


def cloned(folder: Path, *keys: str) -> Path:
    """An encrypted case as a clone brings it: the case and its recipients file, never used here."""
    from casefile.case.model import Case
    from casefile.storage.tomltext import dumps

    folder.mkdir(parents=True, exist_ok=True)
    case = folder / "casefile.toml.age"
    text = dumps(Case(title="Cloned case", country="MX")).encode("utf-8")
    case.write_bytes(encryption.encrypt(text, list(keys)))
    encryption.recipients_path(case).write_text(encryption.recipients_file_text(case, list(keys)), encoding="utf-8")
    return case


def test_a_key_a_pull_added_stops_writes_until_it_is_accepted(
    run: Run, sealed: Path, me: pyrage.x25519.Identity
) -> None:
    stranger = pyrage.x25519.Identity.generate()
    pull_adds(sealed, public(stranger))
    before = sealed.read_bytes()
    refused = run(*ADD, code=2)
    assert refused.stderr.count("\n") == 1, refused.stderr
    assert "Traceback" not in refused.stderr
    assert "1 key you have not accepted" in refused.stderr
    assert public(stranger)[:16] + "…" in refused.stderr
    assert "git pull" in refused.stderr and "casefile recipients accept" in refused.stderr
    assert sealed.read_bytes() == before
    with pytest.raises(pyrage.DecryptError):
        pyrage.decrypt(sealed.read_bytes(), [stranger])
    listed = run("recipients", "list").stdout.splitlines()
    assert listed == [public(me), f"{public(stranger)}\t(not accepted yet)"]
    # Without a terminal and without --yes, nothing is accepted.
    assert "--yes" in run("recipients", "accept", code=2).stderr
    assert sealed.read_bytes() == before
    shown = run("recipients", "accept", "--yes")
    assert public(stranger) in shown.stderr
    run(*ADD)
    for person in (me, stranger):  # the case and its backup, to the whole listed set now
        for path in (sealed, sealed.with_name(sealed.name + ".bak")):
            assert VICTIM.encode() in pyrage.decrypt(path.read_bytes(), [person])
    assert "Nothing to accept" in run("recipients", "accept").stderr
    assert run("recipients", "list").stdout.splitlines() == [public(me), public(stranger)]


def test_the_first_use_of_a_case_accepts_what_it_lists_without_asking(
    run: Run, isolated: Path, me: pyrage.x25519.Identity
) -> None:
    colleague = pyrage.x25519.Identity.generate()
    case = cloned(isolated / "clone", public(me), public(colleague))
    run(*ADD, "-f", str(case))
    assert accepted(isolated, case) == {public(me), public(colleague)}
    assert stat.S_IMODE(record_path(isolated).stat().st_mode) == 0o600
    assert stat.S_IMODE(record_path(isolated).parent.stat().st_mode) == 0o700
    # Reading is a first use too: a key added after it is not accepted silently by the next write.
    other = cloned(isolated / "other", public(me))
    run("list", "events", "-f", str(other))
    pull_adds(other, public(colleague))
    assert "not accepted" in run(*ADD, "-f", str(other), code=2).stderr


def test_recipients_add_and_remove_record_what_they_write(
    run: Run, isolated: Path, sealed: Path, me: pyrage.x25519.Identity
) -> None:
    jean = pyrage.x25519.Identity.generate()
    assert accepted(isolated, sealed) == {public(me)}
    run("recipients", "add", public(jean))
    assert accepted(isolated, sealed) == {public(me), public(jean)}
    run(*ADD)
    run("recipients", "remove", public(jean))
    assert accepted(isolated, sealed) == {public(me)}
    # A key not accepted is removed without being accepted first; other changes wait for acceptance.
    stranger = pyrage.x25519.Identity.generate()
    pull_adds(sealed, public(stranger))
    assert "not accepted" in run("recipients", "add", public(jean), code=2).stderr
    run("recipients", "remove", public(stranger))
    assert accepted(isolated, sealed) == {public(me)}
    run(*ADD)


def test_a_key_removed_then_listed_again_must_be_accepted_again(
    run: Run, isolated: Path, sealed: Path, me: pyrage.x25519.Identity
) -> None:
    jean = pyrage.x25519.Identity.generate()
    run("recipients", "add", public(jean))
    pull_removes(sealed, public(jean))  # someone removed Jean's key; the next write forgets it
    run(*ADD)
    assert accepted(isolated, sealed) == {public(me)}
    pull_adds(sealed, public(jean))
    before = sealed.read_bytes()
    assert "not accepted" in run("add-event", "--date", "2019", "--title", "Again", code=2).stderr
    assert sealed.read_bytes() == before


def test_a_pull_that_moves_the_case_and_links_to_it_does_not_make_a_first_use(
    run: Run, isolated: Path, sealed: Path, me: pyrage.x25519.Identity
) -> None:
    # The commit moves the case and its recipients file (one key added) and leaves a link under the
    # old name: at its new path the case was new to the record, and its first use accepted the key.
    (isolated / ".git").mkdir()
    stranger = pyrage.x25519.Identity.generate()
    pull_adds(sealed, public(stranger))
    moved = isolated / "data" / "case.age"
    moved.parent.mkdir()
    sealed.rename(moved)
    encryption.recipients_path(sealed).rename(encryption.recipients_path(moved))
    sealed.symlink_to(Path("data") / "case.age")
    before = moved.read_bytes()
    refused = run(*ADD, code=2)
    assert "1 key you have not accepted" in refused.stderr and public(stranger)[:16] in refused.stderr
    assert moved.read_bytes() == before
    # The keys accepted for the case where it was still are: moving it asks for nothing else.
    assert run("recipients", "list").stdout.splitlines() == [public(me), f"{public(stranger)}\t(not accepted yet)"]
    run("recipients", "remove", public(stranger))
    run(*ADD)
    assert accepted(isolated, moved) == {public(me)}


def test_a_damaged_record_accepts_nothing_and_says_so_in_one_line(
    run: Run, isolated: Path, sealed: Path, me: pyrage.x25519.Identity
) -> None:
    record_path(isolated).write_text('{"cases": [unfinished', encoding="utf-8")
    assert VICTIM in run("list", "events").stdout  # reading goes on
    refused = run(*ADD, code=2)
    assert refused.stderr.count("\n") == 1 and "Traceback" not in refused.stderr
    assert "not accepted" in refused.stderr
    assert "could not be read" in run("recipients", "list").stderr
    record_path(isolated).write_text("[" * 100_000, encoding="utf-8")  # too deep for json: no traceback
    assert "could not be read" in run("recipients", "list").stderr
    record_path(isolated).write_text('{"cases": [unfinished', encoding="utf-8")
    # Nor does a case new to this machine count as a first use: the record may have known it.
    stranger = pyrage.x25519.Identity.generate()
    clone = cloned(isolated / "clone", public(me), public(stranger))
    assert "not accepted" in run(*ADD, "-f", str(clone), code=2).stderr
    run("recipients", "accept", "--yes")
    run(*ADD)
    assert accepted(isolated, sealed) == {public(me)}
    assert "not accepted" in run(*ADD, "-f", str(clone), code=2).stderr


def test_reading_goes_on_and_the_cache_is_encrypted_only_to_accepted_keys(
    run: Run, isolated: Path, sealed: Path, me: pyrage.x25519.Identity
) -> None:
    stranger = pyrage.x25519.Identity.generate()
    pull_adds(sealed, public(stranger))
    folder = cache.folder_for(sealed)
    import shutil

    shutil.rmtree(folder, ignore_errors=True)
    assert VICTIM in run("list", "events").stdout
    assert VICTIM in run("show", "2017-02-11", "--json").stdout
    run("status")
    run("decrypt", "--output", "-")
    payloads = [entry.read_bytes() for entry in folder.iterdir()]
    sealed_payloads = [data[data.index(b"age-encryption.org/v1") :] for data in payloads if b"age-encryption" in data]
    assert sealed_payloads
    for payload in sealed_payloads:
        pyrage.decrypt(payload, [me])
        with pytest.raises(pyrage.DecryptError):
            pyrage.decrypt(payload, [stranger])


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        ("es_ES.UTF-8", "que usted no ha aceptado para este caso"),
        ("fr_FR.UTF-8", "que vous n'avez pas acceptée pour ce dossier"),
    ],
)
def test_the_refusal_speaks_spanish_and_french(
    run: Run, sealed: Path, monkeypatch: pytest.MonkeyPatch, locale: str, words: str
) -> None:
    pull_adds(sealed, public(pyrage.x25519.Identity.generate()))
    monkeypatch.setenv("LANG", locale)
    refused = run(*ADD, code=2)
    assert words in refused.stderr
    assert "casefile recipients accept" in refused.stderr


def test_a_refusal_names_keys_by_what_tells_them_apart() -> None:
    from casefile.storage.recipienttrust import shortened

    age = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"
    assert shortened(age) == "age1ql3z7hjy54pw…"
    # Every ed25519 key's base64 starts alike (its type's name): its end is shown.
    ssh = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHh5c3RlbW1hdGljYWxseWdlbmVyYXRlZGtleXM me@example.org"
    assert shortened(ssh) == "ssh-ed25519 …lbmVyYXRlZGtleXM"


def test_check_warns_of_a_key_not_accepted_before_a_write_is_refused(
    run: Run, sealed: Path, me: pyrage.x25519.Identity
) -> None:
    # The coordinator runs `check` after a pull: it says so there, not only at the next write.
    assert "recipients-not-accepted" not in run("check", code=None).stdout
    stranger = pyrage.x25519.Identity.generate()
    pull_adds(sealed, public(stranger))
    said = json.loads(run("check", "--json", code=None).stdout)
    found = [each for each in said["findings"] if each["rule"] == "recipients-not-accepted"]
    assert len(found) == 1 and found[0]["severity"] == "warning"
    assert public(stranger)[:16] + "…" in found[0]["message"] and "recipients accept" in found[0]["message"]
    run("recipients", "accept", "--yes")
    assert "recipients-not-accepted" not in run("check", code=None).stdout


def test_two_commands_recording_at_once_lose_no_case(isolated: Path) -> None:
    # Each read the record and wrote back what it read plus its own case: one case's entry was lost,
    # and its next use counted as a first one, accepting whatever its file listed then.
    import subprocess
    import sys

    key = public(pyrage.x25519.Identity.generate())
    code = (
        "import sys\nfrom pathlib import Path\nfrom casefile.storage.recipienttrust import record\n"
        "for number in range(60):\n    record(Path(sys.argv[1]) / f'case-{number}.toml.age', [sys.argv[2]])\n"
    )
    writers = [subprocess.Popen([sys.executable, "-c", code, str(isolated / side), key]) for side in ("a", "b")]
    assert [writer.wait(timeout=120) for writer in writers] == [0, 0]
    assert len(json.loads(record_path(isolated).read_text(encoding="utf-8"))["cases"]) == 120


def test_a_pull_that_removes_your_own_key_cannot_lock_you_out(
    run: Run, sealed: Path, me: pyrage.x25519.Identity
) -> None:
    # The next write encrypted the case to the keys left: the user could no longer open it.
    colleague = pyrage.x25519.Identity.generate()
    run("recipients", "add", public(colleague))
    pull_removes(sealed, public(me))
    before = sealed.read_bytes()
    refused = run(*ADD, code=2).stderr
    assert refused.count("\n") == 1 and "no longer lists a key of yours" in refused
    assert "casefile recipients add" in refused
    assert sealed.read_bytes() == before
    run("list", "events")  # still readable, as before
    run("recipients", "add", public(me))  # the way back the message gives
    run(*ADD)
    assert b"After the pull" in pyrage.decrypt(sealed.read_bytes(), [me])
