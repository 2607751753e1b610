"""Turning a plain case into an encrypted one, and changing who can read an encrypted case.

casefile never writes a case its user cannot open: before a case is encrypted (or a recipient
removed), the result is opened with the user's identity, and the change is refused if that fails.
Who the user encrypts to here is their own decision, so it is recorded as accepted
(:mod:`casefile.storage.recipienttrust`); a key someone else listed is accepted with
:func:`accept_recipients`.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from casefile.errors import CannotDecrypt, CaseFileExists, IdentityNeeded, InvalidValue, WrongKey
from casefile.i18n import _
from casefile.storage.encryption import (
    ENCRYPTED_SUFFIX,
    case_recipients,
    encrypt,
    is_armored,
    is_encrypted_path,
    open_sealed,
    probe_open,
    recipients_file_text,
    recipients_path,
    require_encrypted,
)
from casefile.storage.files import (
    commented_copies,
    read_case_file,
    require_writable,
    resolved,
    sidecar,
    write_atomic,
)
from casefile.storage.linkguard import refuse_foreign_link
from casefile.storage.lock import locked
from casefile.storage.recipienttrust import Pending, pending, record, require_accepted


@dataclass(frozen=True, slots=True)
class Encrypted:
    """What ``casefile encrypt`` did: the encrypted file, and the plain copies deleted or left."""

    path: Path
    removed: tuple[Path, ...]
    left: tuple[str, ...]
    #: The evidence copies encrypted (beside the plain ones deleted).
    sealed: tuple[Path, ...] = ()


@dataclass(frozen=True, slots=True)
class Recipients:
    """What ``casefile recipients add|remove`` did."""

    before: tuple[str, ...]
    after: tuple[str, ...]
    rewritten: tuple[Path, ...]
    unreadable: tuple[Path, ...]


def own_public_keys() -> tuple[str, ...]:
    """The age public keys of the identity in use (for encrypting to oneself by default).

    Raises:
        IdentityNeeded: there is no identity yet.
    """
    from casefile.storage.keys import identity_source, load_identities, public_keys

    source = identity_source()
    if source.is_default and not source.path.exists():
        raise IdentityNeeded(
            _(
                "no recipient given, and you have no identity to encrypt to: make one with `casefile "
                "keygen`, or name who can read the case with --to PUBLIC_KEY or --recipients-file FILE."
            )
        )
    found = public_keys(load_identities(source))
    if not found:
        raise InvalidValue(
            _("{path} is an SSH key: name its public key with --to (the line of its .pub file).").format(
                path=source.path
            )
        )
    return tuple(found)


def require_you_can_open(recipients: Sequence[str], path: Path) -> None:
    """Refuse ``recipients`` if the identity in use would not open ``path`` encrypted to them.

    Raises:
        InvalidValue: it would not (nothing has been written).
    """
    try:
        probe_open(path, recipients)
    except IdentityNeeded:
        raise InvalidValue(
            _(
                "you have no identity, so you could not open {name} once encrypted. Make one with "
                "`casefile keygen` and include its public key. Nothing was written."
            ).format(name=path.name)
        ) from None
    except WrongKey:
        raise InvalidValue(
            _(
                "your identity could not open {name} encrypted to these keys: include your own public "
                "key (`casefile keygen` printed it; `age-keygen -y IDENTITY` shows it again). Nothing "
                "was written."
            ).format(name=path.name)
        ) from None


def encrypted_name(path: Path) -> Path:
    """The encrypted case file for ``path``: ``casefile.toml`` -> ``casefile.toml.age``."""
    return path if is_encrypted_path(path) else sidecar(path, ENCRYPTED_SUFFIX)


def new_case_file(path: Path, recipients: Sequence[str], *, named: bool = True) -> Path:
    """Where ``init`` creates the case ``path`` (``<name>.age`` when encrypted to ``recipients``).

    For an encrypted case the recipients file is written first (the store encrypts to it). A file
    the user did not name (not ``named``, or the ``.age`` made from its name) is never created
    through a link out of its git work tree: a git pull can put one there, to anywhere.

    Raises:
        CaseFileExists: the case exists already, plain or encrypted.
        InvalidValue: the user could not open the case encrypted to ``recipients``.
        UntrustedLink: the file to create is such a link.
    """
    from casefile.storage.linkguard import refuse_escaping_case

    target = encrypted_name(path) if recipients else path
    if not named or target != path:
        refuse_escaping_case(target)
    plain = target.with_name(target.name.removesuffix(ENCRYPTED_SUFFIX))
    for existing in (plain, encrypted_name(plain)):
        if existing.exists():
            raise CaseFileExists(
                _(
                    "{existing} already exists. Use --file to start another case, or edit this one with "
                    "`casefile edit-case`."
                ).format(existing=existing)
            )
    if recipients:
        require_you_can_open(recipients, target)
        write_recipients(target, recipients)
        record(target, recipients)
    return target


def write_recipients(path: Path, recipients: Sequence[str]) -> None:
    """Write the recipients file beside the encrypted case ``path``, atomically."""
    write_atomic(recipients_path(path), recipients_file_text(path, recipients), backup=False)


def encrypt_case(path: Path, recipients: Sequence[str]) -> Encrypted:
    """Turn the plain case at ``path`` into ``<name>.age``, then delete the plain file and its copies.

    The new file is made before anything is deleted; run again after an interruption, it
    finishes the job when the encrypted file holds exactly the plain file's bytes.

    The plain copies of evidence files in ``evidence/`` are encrypted beside them, then deleted: run
    on a case already encrypted, with no ``recipients``, only that is done (to the case's own keys).

    Raises:
        InvalidValue: the case is already encrypted (and its evidence too), or the user could not open the result.
        CaseFileExists: an encrypted file with other content is already there.
        the store's errors: the plain file does not load.
    """
    from casefile.storage.files import CaseBytes
    from casefile.storage.sealedcopies import has_plain_copies, seal_plain_copies
    from casefile.storage.store import load

    plain_path = resolved(path)
    if is_encrypted_path(plain_path) and not recipients and has_plain_copies(plain_path):
        with locked(plain_path):
            done = seal_plain_copies(plain_path)
        return Encrypted(path=plain_path, removed=done.removed, left=done.left, sealed=done.sealed)
    if is_encrypted_path(plain_path):
        raise InvalidValue(
            _("{path} is already encrypted. Change who can read it with `casefile recipients`.").format(path=path)
        )
    target = encrypted_name(plain_path)
    require_you_can_open(recipients, target)
    require_writable(plain_path)  # it is deleted once encrypted: not another user's, not made read-only
    with locked(plain_path):
        data = read_case_file(plain_path)
        load(plain_path)  # only a case that loads is encrypted: fix it in the open first
        if target.exists():
            try:
                same = open_sealed(target, read_case_file(target)) == data
            except CannotDecrypt:
                same = False
            if not same:
                raise CaseFileExists(
                    _(
                        "{target} already exists and holds another case; move one of them away first. Nothing "
                        "was written."
                    ).format(target=target)
                )
        else:
            write_recipients(target, recipients)
            record(target, recipients)
            try:
                CaseBytes().create(target, encrypt(data, recipients))
            except FileExistsError:
                raise CaseFileExists(
                    _("{target} appeared meanwhile; nothing was deleted.").format(target=target)
                ) from None
        del data
        evidence = seal_plain_copies(target)
        removed, left = _remove_plain_copies(plain_path)
    with contextlib.suppress(OSError):
        sidecar(plain_path, ".lock").unlink()  # holds no case text, but has no use any more
    return Encrypted(
        path=target, removed=(*removed, *evidence.removed), left=(*left, *evidence.left), sealed=evidence.sealed
    )


def _remove_plain_copies(path: Path) -> tuple[tuple[Path, ...], tuple[str, ...]]:
    """Delete the plain case file and every copy casefile kept of it: backups, temporaries, the caches."""
    import shutil

    from casefile.storage import cache
    from casefile.storage.files import stale_temps
    from casefile.storage.sealedcopies import unlink_noted

    removed: list[Path] = []
    left: list[str] = []
    copies = [path, sidecar(path, ".bak"), sidecar(path, ".bak.tmp"), *commented_copies(path), *stale_temps(path)]
    # Held open while the names go, to learn whether the file has names elsewhere (hard links).
    held: dict[tuple[int, int], tuple[Path, int]] = {}
    try:
        for copy in copies:
            with contextlib.suppress(OSError):
                descriptor = os.open(copy, os.O_RDONLY | os.O_NOFOLLOW)
                status = os.fstat(descriptor)
                if (status.st_dev, status.st_ino) in held:
                    os.close(descriptor)
                else:
                    held[(status.st_dev, status.st_ino)] = (copy, descriptor)
            unlink_noted(copy, removed, left)
        for (_device, inode), (copy, descriptor) in held.items():
            others = os.fstat(descriptor).st_nlink
            if others and not any(entry.startswith(f"{copy} (") for entry in left):
                left.append(
                    _("another name of {path} (a hard link: `find / -xdev -inum {inode}` lists {count})").format(
                        path=copy, inode=inode, count=others
                    )
                )
    finally:
        for _copy, descriptor in held.values():
            os.close(descriptor)
    # Every case's cache, not only this name's: one kept under a name the case had before (moved,
    # or copied) holds it too, and compiled templates may quote it. The others are made again.
    for folder in (cache.cache_root() / "cases", cache.cache_root() / "templates"):
        if folder.exists() and folder not in removed:
            try:
                shutil.rmtree(folder)
                removed.append(folder)
            except OSError as error:
                left.append(f"{folder} ({error.strerror or error})")
    return tuple(removed), tuple(left)


def _forget_cache(path: Path) -> None:
    import shutil

    from casefile.storage import cache

    shutil.rmtree(cache.folder_for(path), ignore_errors=True)


def plain_bytes(path: Path) -> bytes:
    """The plain text of the encrypted case at ``path``, exactly as it was encrypted (comments and all)."""
    target = resolved(path)
    require_encrypted(target)
    return open_sealed(target, read_case_file(target))


def change_recipients(path: Path, *, add: Sequence[str] = (), remove: Sequence[str] = ()) -> Recipients:
    """Encrypt the case at ``path`` and its backups to its recipients plus ``add``, minus ``remove``.

    Raises:
        InvalidValue: a key to remove is not a recipient, none would be left, or the user could
        not open the case afterwards. Nothing is written then.
        UntrustedLink: a backup is a symbolic link (it would read another file and rewrite it here).
        RecipientsNotAccepted: a listed key that stays was never accepted by this user.
    """
    from casefile.storage.keys import recipient_key, unique_recipients

    target = resolved(path)
    require_encrypted(target)
    require_reencryptable(target)
    with locked(target):
        before = case_recipients(target)
        plain = open_sealed(target, read_case_file(target))
        gone = {recipient_key(line) for line in remove}
        unknown = gone - {recipient_key(line) for line in before}
        if unknown:
            raise InvalidValue(
                _("{unknown} is not a recipient of {path}. Nothing was written.").format(
                    unknown=", ".join(sorted(unknown)), path=path
                )
            )
        kept = [line for line in before if recipient_key(line) not in gone]
        after = unique_recipients([*kept, *(line for line in add if recipient_key(line) not in gone)])
        if not after:
            raise InvalidValue(
                _("removing every recipient would leave {path} readable by nobody. Nothing was written.").format(
                    path=path
                )
            )
        require_accepted(target, kept)  # the keys named here are the user's own choice
        return _reencrypt(target, plain, before, after)


def require_reencryptable(target: Path) -> None:
    """Refuse (NotWritable) to re-encrypt a case whose file or recipients file is read-only or another
    user's: both are replaced (:func:`casefile.storage.files.require_writable`)."""
    require_writable(target)
    require_writable(recipients_path(target))


def _reencrypt(target: Path, plain: bytes, before: tuple[str, ...], after: tuple[str, ...]) -> Recipients:
    """List ``after`` as the recipients of ``target`` (held locked), record them as accepted, and
    encrypt the case (``plain``), its backups and its evidence copies to them."""
    from casefile.storage.sealedcopies import reseal_copies

    require_reencryptable(target)
    require_you_can_open(after, target)
    copies = [copy for copy in (sidecar(target, ".bak"), *commented_copies(target)) if os.path.lexists(copy)]
    for copy in copies:  # each is read and rewritten below: never another file behind a link
        refuse_foreign_link(copy)
    record(target, after)
    write_recipients(target, after)
    # No .bak of this write: the previous version stays the backup, re-encrypted below.
    write_atomic(target, [encrypt(plain, after, armored=is_armored(target))], backup=False)
    del plain
    _forget_cache(target)  # entries encrypted to the old set
    rewritten, unreadable = [target], []
    for copy in copies:
        try:
            kept = open_sealed(copy, read_case_file(copy))
        except CannotDecrypt:
            unreadable.append(copy)
            continue
        write_atomic(copy, [encrypt(kept, after)], backup=False)
        rewritten.append(copy)
    evidence = reseal_copies(target, after)
    rewritten += evidence.sealed
    unreadable += evidence.unreadable
    return Recipients(before=before, after=after, rewritten=tuple(rewritten), unreadable=tuple(unreadable))


def recipients_to_accept(path: Path) -> Pending:
    """The keys the recipients file of the case at ``path`` lists that this user has not accepted."""
    target = resolved(path)
    require_encrypted(target)
    return pending(target, case_recipients(target))


def accept_recipients(path: Path, *, shown: Sequence[str]) -> Recipients | None:
    """Accept every key the recipients file lists, and encrypt the case and its backups to them all.

    ``shown`` are the keys the user was shown (:func:`recipients_to_accept`); if others appeared
    meanwhile, nothing is accepted. None: there was nothing new to accept (keys no longer listed
    are forgotten all the same).

    Raises:
        InvalidValue: the list changed since it was shown, or the user could not open the case
        encrypted to the listed keys. Nothing is written then.
    """
    from casefile.storage.keys import recipient_key

    target = resolved(path)
    require_encrypted(target)
    with locked(target):
        listed = case_recipients(target)
        found = pending(target, listed)
        if {recipient_key(line) for line in found.new} - {recipient_key(line) for line in shown}:
            raise InvalidValue(
                _(
                    "{path} changed while you were asked; run `casefile recipients accept` again. Nothing was written."
                ).format(path=recipients_path(target))
            )
        if not found.new:
            if found.gone:
                record(target, listed)
            return None
        plain = open_sealed(target, read_case_file(target))
        return _reencrypt(target, plain, listed, listed)
