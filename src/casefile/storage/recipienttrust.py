"""Which recipients this user accepted for each encrypted case: a new reader needs a person's yes.

The recipients file travels with the case (it is committed to git), so anyone whose commit is
pulled can add a key to it; encrypting the next version to every listed key would give them the
case. So, as for letter templates (:mod:`casefile.letter.templatetrust`), what this user accepted
is recorded in their config folder, never in the case folder: for each case (by its resolved
path) the keys, as :func:`casefile.storage.keys.recipient_key` names them. A new version is
encrypted only when every listed key is accepted.

The first time a case is used on this machine (after a clone, ``init --encrypt-to``,
``encrypt``), the keys listed then are recorded: trust on first use. A case new to the record in a
git work tree where another case is recorded is no first use (a pull can move a case and leave a
link to it): only the keys accepted there are recorded for it. A record that cannot be read
(damaged) accepts nothing, and no use counts as a first one until it is written again (then it
remembers that, so cases it forgot are not trusted blindly either).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from casefile.errors import RecipientsNotAccepted
from casefile.i18n import ngettext

TRUST_FILE = "accepted-recipients.json"
#: How many characters of a key a message shows (an age key has 62; enough to tell keys apart).
SHOWN_KEY_LENGTH = 16


@dataclass(frozen=True, slots=True)
class Record:
    """The record file's content: the accepted keys by case, and whether a first use may record some."""

    cases: Mapping[str, frozenset[str]] = field(default_factory=dict)
    first_use: bool = True
    #: The file is there but could not be read: nothing counts as accepted.
    damaged: bool = False


@dataclass(frozen=True, slots=True)
class Pending:
    """What ``recipients accept`` would change: listed keys not accepted, accepted keys no longer listed."""

    listed: tuple[str, ...]
    new: tuple[str, ...]
    gone: tuple[str, ...]
    damaged: bool = False


def record_file() -> Path:
    """Where accepted recipients are recorded: the user's config folder, beside the trusted templates."""
    from platformdirs import user_config_path

    return user_config_path("casefile", appauthor=False) / TRUST_FILE


def case_key(path: Path) -> str:
    """How a case is named in the record: its resolved path."""
    return os.path.realpath(path)


def read_record() -> Record:
    """The record as it is on disk (empty when there is none yet; ``damaged`` when unreadable)."""
    where = record_file()
    try:
        data = json.loads(where.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Record()
    except (OSError, ValueError, RecursionError):  # RecursionError: arrays nested too deep for json
        return Record(first_use=False, damaged=True)
    cases = data.get("cases") if isinstance(data, dict) else None
    if not isinstance(cases, dict):
        return Record(first_use=False, damaged=True)
    kept = {
        name: frozenset(key for key in keys if isinstance(key, str))
        for name, keys in cases.items()
        if isinstance(keys, list)
    }
    return Record(cases=kept, first_use=data.get("first_use", True) is not False)


def _save(record: Record) -> None:
    from casefile.storage.files import make_folders, write_atomic

    where = record_file()
    make_folders(where.parent)
    cases = {name: sorted(keys) for name, keys in record.cases.items()}
    text = json.dumps({"cases": cases, "first_use": record.first_use}, ensure_ascii=False, indent=2, sort_keys=True)
    write_atomic(where, text + "\n", backup=False)  # owner-only, like every file casefile writes


def _keys(lines: Iterable[str]) -> frozenset[str]:
    from casefile.storage.keys import recipient_key

    return frozenset(recipient_key(line) for line in lines)


def record(path: Path, recipients: Sequence[str]) -> None:
    """Record ``recipients`` as exactly the keys accepted for the case at ``path`` (the user's decision).

    Read and written under a lock: two commands saving at once (a first use of one case, a write
    to another) would otherwise each write the record they read, and one case's entry would be
    lost, its next use then a first use that accepts whatever its file lists.
    """
    from casefile.storage.files import make_folders
    from casefile.storage.lock import locked

    make_folders(record_file().parent)
    with locked(record_file()):
        current = read_record()
        _save(Record(cases={**current.cases, case_key(path): _keys(recipients)}, first_use=current.first_use))


def accepted_keys(path: Path, listed: Sequence[str]) -> frozenset[str]:
    """The keys accepted for the case at ``path``, whose recipients file lists ``listed``.

    On the first use of the case on this machine the listed keys are recorded, and so accepted.

    Raises:
        OSError: that first use could not be recorded.
    """
    current = read_record()
    found = current.cases.get(case_key(path))
    if found is not None:
        return found
    if not current.first_use:
        return frozenset()
    nearby = _accepted_in_repository(path, current.cases)
    if nearby is not None:  # not a first use: the case was moved, or a link now leads to it
        from casefile.storage.keys import recipient_key

        listed = [line for line in listed if recipient_key(line) in nearby]
    record(path, listed)
    return _keys(listed)


def _accepted_in_repository(path: Path, cases: Mapping[str, frozenset[str]]) -> frozenset[str] | None:
    """The keys accepted for the other cases recorded in the git work tree holding ``path``; None if
    it holds none, or ``path`` is in no work tree.

    A pulled commit can move the case (its recipients file with it, one key added) and leave a link
    to it under the old name: at its new path the case would be new to the record, and its first
    use would accept the added key. In a repository already used here, only keys accepted there are.
    """
    from casefile.storage.linkguard import git_work_tree

    work_tree = git_work_tree(Path(case_key(path)).parent)
    if work_tree is None:
        return None
    found = [keys for name, keys in cases.items() if Path(name).is_relative_to(work_tree)]
    return frozenset().union(*found) if found else None


def note_first_use(path: Path, listed: Sequence[str]) -> None:
    """Record the listed keys if the case has no entry yet (reading a case; never fails)."""
    with contextlib.suppress(OSError):
        accepted_keys(path, listed)


def shortened(line: str) -> str:
    """A key as a message shows it: enough characters to recognise it.

    An age key's first characters differ from key to key; an SSH key's base64 starts with its
    type's name, the same for every key of that type, so its last characters are shown instead.
    """
    words = line.split()
    if line.startswith("ssh-") and len(words) > 1:
        return f"{words[0]} …{words[1][-SHOWN_KEY_LENGTH:]}"
    return line if len(line) <= SHOWN_KEY_LENGTH else line[:SHOWN_KEY_LENGTH] + "…"


def require_accepted(path: Path, listed: Sequence[str]) -> None:
    """Refuse to encrypt a new version of the case at ``path`` to keys this user has not accepted.

    Keys no longer listed are forgotten (fewer readers needs no one's yes), so a key removed and
    later listed again must be accepted again.

    Raises:
        RecipientsNotAccepted: a listed key is not accepted; nothing has been written.
        OSError: the record could not be written.
    """
    from casefile.storage.encryption import recipients_path
    from casefile.storage.keys import recipient_key

    accepted = accepted_keys(path, listed)
    unknown = tuple(line for line in listed if recipient_key(line) not in accepted)
    if unknown:
        raise RecipientsNotAccepted(
            ngettext(
                "{where} lists {count} key you have not accepted for this case ({keys}); a git pull may have "
                "added it. Nothing was written. Check who holds it, then run `casefile recipients accept`, "
                "or `casefile recipients remove KEY`.",
                "{where} lists {count} keys you have not accepted for this case ({keys}); a git pull may have "
                "added them. Nothing was written. Check who holds them, then run `casefile recipients accept`, "
                "or `casefile recipients remove KEY`.",
                len(unknown),
            ).format(
                where=recipients_path(path), count=len(unknown), keys=", ".join(shortened(line) for line in unknown)
            )
        )
    if accepted != _keys(listed):  # keys no longer listed are forgotten
        record(path, listed)


def pending(path: Path, listed: Sequence[str]) -> Pending:
    """The keys ``recipients accept`` would accept for the case at ``path`` (and those it would forget)."""
    from casefile.storage.keys import recipient_key

    note_first_use(path, listed)
    current = read_record()
    accepted = current.cases.get(case_key(path), frozenset())
    new = tuple(line for line in listed if recipient_key(line) not in accepted)
    gone = tuple(sorted(accepted - {recipient_key(line) for line in listed}))
    return Pending(listed=tuple(listed), new=new, gone=gone, damaged=current.damaged)
