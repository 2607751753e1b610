"""The evidence copies of an encrypted case: kept in age's format, never in plain text.

``attach`` keeps a copy of each file in ``evidence/`` beside the case, named after its SHA-256
(``evidence/<hash>.pdf``, the path the case records). For an encrypted case that copy is
``evidence/<hash>.pdf.age``: the document encrypted in memory exactly as the case is sealed (to
its recipients, each accepted by this user, one of them the user's own), so its plain bytes never
reach the disk. The recorded path stays the same, and so does the recorded hash (the original
document's): :func:`sealed_location` says where the copy really is. ``encrypt`` seals the plain
copies a case already had (:func:`seal_plain_copies`), and a change of recipients encrypts the
sealed copies again to the new set (:func:`reseal_copies`), as it does the case's backups.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from casefile.storage.encryption import ENCRYPTED_SUFFIX, encrypt, seal
from casefile.storage.files import write_atomic

#: The folder beside the case file that holds the copies.
EVIDENCE_FOLDER = "evidence"
_COPY = re.compile(r"[0-9a-f]{64}(\.[^./]{1,9})?")
_SEALED = re.compile(r"[0-9a-f]{64}(\.[^./]{1,9})?\.age")


@dataclass(frozen=True, slots=True)
class Sealed:
    """What :func:`seal_plain_copies` or :func:`reseal_copies` did to the evidence folder."""

    sealed: tuple[Path, ...] = ()
    removed: tuple[Path, ...] = ()
    unreadable: tuple[Path, ...] = ()
    left: tuple[str, ...] = ()


def evidence_folder(case_path: Path) -> Path:
    """The ``evidence/`` folder beside the case file."""
    return case_path.parent / EVIDENCE_FOLDER


def sealed_location(copy: Path) -> Path:
    """Where the encrypted copy of the plain copy ``copy`` is kept: ``<hash>.pdf`` -> ``<hash>.pdf.age``."""
    return copy.with_name(copy.name + ENCRYPTED_SUFFIX)


def seal_copy(case_path: Path, data: bytes) -> bytes:
    """A document (``data``) encrypted as the encrypted case at ``case_path`` is: to its recipients.

    Raises:
        RecipientsNotAccepted: the case lists a key this user has not accepted.
        InvalidValue: it no longer lists a key of the identity in use.
    """
    return seal(case_path, data, armored=False)


def open_copy(data: bytes) -> bytes:
    """The document an encrypted copy holds, opened in memory with the identity in use.

    Raises:
        pyrage.DecryptError: the identity does not open it, or it is damaged or not age's.
        BadKey: no usable identity.
    """
    import pyrage

    from casefile.storage.keys import identity_source, load_identities

    return pyrage.decrypt(data, load_identities(identity_source()))


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _hash_names_it(path: Path, data: bytes) -> bool:
    return hashlib.sha256(data).hexdigest() == path.name[:64]


def _copies(case_path: Path) -> tuple[list[Path], list[Path]]:
    """The plain copies and the sealed ones in the case's evidence folder (none if it is a link).

    ``<hash>.age`` is a plain copy of an age file attached as it was when its bytes hash to its
    name; otherwise it is the sealed copy of a file that had no extension.
    """
    folder = evidence_folder(case_path)
    if folder.is_symlink() or not folder.is_dir():
        return [], []
    plain, sealed = [], []
    for path in sorted(folder.iterdir()):
        if not _regular(path):
            continue
        if _SEALED.fullmatch(path.name) and not (
            _COPY.fullmatch(path.name) and _hash_names_it(path, path.read_bytes())
        ):
            sealed.append(path)
        elif _COPY.fullmatch(path.name):
            plain.append(path)
    return plain, sealed


def has_plain_copies(case_path: Path) -> bool:
    """Whether the evidence folder of the case holds a copy in plain text (or one a killed attach left:
    not one a live attach is still writing)."""
    from casefile.storage.tempfiles import is_dead

    folder = evidence_folder(case_path)
    return bool(_copies(case_path)[0]) or (folder.is_dir() and any(map(is_dead, folder.glob(".incoming-*.tmp"))))


def seal_plain_copies(case_path: Path) -> Sealed:
    """Encrypt each plain copy in the evidence folder of the encrypted case ``case_path`` beside it,
    then delete it (and the temporary copies an interrupted ``attach`` left there, never one that a
    live ``attach`` holds: :mod:`casefile.storage.tempfiles`).

    Raises:
        the errors of :func:`seal_copy`: nothing is deleted then.
    """
    plain, _sealed = _copies(case_path)
    sealed: list[Path] = []
    removed: list[Path] = []
    left: list[str] = []
    for copy in plain:
        target = sealed_location(copy)
        write_atomic(target, [seal_copy(case_path, copy.read_bytes())], backup=False)
        sealed.append(target)
    from casefile.storage.tempfiles import remove_dead

    for copy in plain:
        unlink_noted(copy, removed, left)
    if plain or _sealed:
        removed += remove_dead(sorted(evidence_folder(case_path).glob(".incoming-*.tmp")))
    return Sealed(sealed=tuple(sealed), removed=tuple(removed), left=tuple(left))


def reseal_copies(case_path: Path, recipients: Sequence[str]) -> Sealed:
    """Encrypt every sealed copy of the case again to ``recipients`` (a copy the identity in use
    does not open is left as it is, and named)."""
    import pyrage

    from casefile.errors import BadKey, IdentityNeeded

    sealed, unreadable = [], []
    for copy in _copies(case_path)[1]:
        try:
            document = open_copy(copy.read_bytes())
        except (pyrage.DecryptError, BadKey, IdentityNeeded):
            unreadable.append(copy)
            continue
        with contextlib.suppress(FileNotFoundError):
            write_atomic(copy, [encrypt(document, recipients)], backup=False)
            sealed.append(copy)
        del document
    return Sealed(sealed=tuple(sealed), unreadable=tuple(unreadable))


def unlink_noted(path: Path, removed: list[Path], left: list[str]) -> None:
    """Delete ``path`` (a folder with all it holds; a link, not what it leads to), noted in
    ``removed``, or in ``left`` with why it could not be (gone already is fine)."""
    try:
        if path.is_dir() and not path.is_symlink():
            import shutil

            shutil.rmtree(path)
        else:
            path.unlink()
        removed.append(path)
    except FileNotFoundError:
        pass
    except OSError as error:
        left.append(f"{path} ({error.strerror or error})")
