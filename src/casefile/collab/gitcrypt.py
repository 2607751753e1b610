"""git and encrypted cases: the merge driver's encrypted inputs, and who the merged case is encrypted to.

The merge driver decrypts the three versions in memory, merges them as it merges plain cases,
and encrypts the result to the recipients of both sides that this user accepted
(:mod:`casefile.storage.recipienttrust`): ours (the recipients file in the work tree), plus theirs
(read from the commit being merged), minus any key one side removed since the merge base. A key
the other side added is left out until the user accepts it: the commit being merged is exactly
what a stranger could have written. The recipients files themselves are merged by git as a union
of lines (see :mod:`casefile.collab.gitsetup`), so the next write asks for that acceptance.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from casefile.errors import CannotDecrypt, InvalidValue
from casefile.i18n import _
from casefile.storage.encryption import RECIPIENTS_SUFFIX, encrypt, open_sealed, probe_open
from casefile.storage.keys import is_age_file, parse_recipients_text, recipient_key

#: The merge driver's exit status when a version is encrypted and no identity here opens it.
NO_KEY_TO_MERGE = 3


def read_version(path: Path, name: Path) -> tuple[str, bool]:
    """The text of one version git gives the merge driver, and whether it was encrypted.

    ``name`` is the case file's path in the repository (for messages and its recipients).

    Raises:
        IdentityNeeded, WrongKey, BadKey: no identity here opens an encrypted version.
        CannotDecrypt: an encrypted version is damaged.
        the store's errors: a version cannot be read.
    """
    from casefile.storage.limits import read_limited, utf8_text

    data = read_limited(path)
    if not is_age_file(data):
        return utf8_text(data, path), False
    return utf8_text(open_sealed(name, data), name), True


def _git_recipients(revision: str, relative: str) -> tuple[str, ...] | None:
    """The recipients file ``relative`` as it is in ``revision``, or None if it is not there."""
    try:
        shown = subprocess.run(["git", "show", f"{revision}:{relative}"], capture_output=True, check=False, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    if shown.returncode != 0:
        return None
    return parse_recipients_text(shown.stdout.decode("utf-8", "replace"), source=f"{revision}:{relative}")


def _merged_commits() -> list[str]:
    """The commits being merged into HEAD (git names them in GITHEAD_* while a merge runs)."""
    found = [key.removeprefix("GITHEAD_") for key in os.environ if key.startswith("GITHEAD_")]
    for head in ("MERGE_HEAD", "CHERRY_PICK_HEAD", "REBASE_HEAD"):
        try:
            result = subprocess.run(
                ["git", "rev-parse", "-q", "--verify", head], capture_output=True, text=True, check=False, timeout=30
            )
        except (OSError, subprocess.SubprocessError):
            break
        if result.returncode == 0 and result.stdout.strip():
            found.append(result.stdout.strip())
    return list(dict.fromkeys(found))


@dataclass(frozen=True, slots=True)
class MergedRecipients:
    """Who the merged case is encrypted to, and the listed keys left out because nobody here accepted them."""

    kept: tuple[str, ...]
    left_out: tuple[str, ...]
    #: The user's own keys, kept though the other side removed them (see :func:`merged_recipients`).
    yours_kept: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SealedMerge:
    """The merged case, encrypted, the keys it was not encrypted to (not accepted yet), and the
    user's own keys it stays encrypted to though the other side removed them."""

    data: bytes
    left_out: tuple[str, ...]
    yours_kept: tuple[str, ...] = ()


def merged_recipients(name: Path) -> MergedRecipients:
    """Who the merged case ``name`` (a path in the repository, relative to its top) is encrypted to.

    Raises:
        InvalidValue: no accepted recipient is known at all.
    """
    from casefile.storage.recipienttrust import accepted_keys

    relative = f"{name.as_posix()}{RECIPIENTS_SUFFIX}"
    local = Path(relative)
    ours = parse_recipients_text(local.read_text(encoding="utf-8"), source=relative) if local.exists() else ()
    keys = {recipient_key(line): line for line in ours}
    removed: set[str] = set()
    commits = _merged_commits()
    for commit in commits:
        theirs = _git_recipients(commit, relative) or ()
        base_commit = subprocess.run(
            ["git", "merge-base", "HEAD", commit], capture_output=True, text=True, check=False, timeout=30
        ).stdout.strip()
        base = (_git_recipients(base_commit, relative) or ()) if base_commit else ()
        base_keys = {recipient_key(line) for line in base}
        removed |= base_keys - {recipient_key(line) for line in ours}
        removed |= base_keys - {recipient_key(line) for line in theirs}
        for line in theirs:
            keys.setdefault(recipient_key(line), line)
    # The first use of the case here accepts our keys, never theirs: theirs are what is being merged.
    # During a merge our keys are the committed ones: the work tree's file may already be git's union
    # with theirs (`git checkout -m` after a merge that stopped).
    first = (_git_recipients("HEAD", relative) or ()) if commits else ours
    accepted = accepted_keys(name, first) if first else frozenset()
    listed = [(key, line) for key, line in keys.items() if key not in removed]
    kept = tuple(line for key, line in listed if key in accepted)
    # A side that removed the user's own key would lock them out of the merged case (a stranger's
    # commit can): it stays encrypted to their keys, and the next write asks them to list it again.
    yours: tuple[str, ...] = ()
    if not kept or not _opens(name, kept):
        yours = tuple(line for line in first if line not in kept and _opens(name, [line]))
        kept += yours
    if not kept:
        raise InvalidValue(_("{relative} lists nobody to encrypt the merged case to.").format(relative=relative))
    left_out = tuple(line for key, line in listed if key not in accepted)
    return MergedRecipients(kept=kept, left_out=left_out, yours_kept=yours)


def _opens(name: Path, recipients: tuple[str, ...] | list[str]) -> bool:
    """Whether the identity that opened the versions opens a case encrypted to ``recipients``."""
    try:
        probe_open(name, recipients)
    except CannotDecrypt:
        return False
    return True


def seal_merged(text: str, name: Path) -> SealedMerge:
    """The merged case ``text`` encrypted to :func:`merged_recipients`."""
    recipients = merged_recipients(name)
    data = encrypt(text.encode("utf-8"), recipients.kept)
    return SealedMerge(data=data, left_out=recipients.left_out, yours_kept=recipients.yours_kept)
