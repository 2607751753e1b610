"""Encrypted case files: ``casefile.toml.age`` in age's format, and who it is encrypted to.

An encrypted case is the same TOML text a plain case holds, encrypted with age to the
recipients listed beside it in ``casefile.toml.age.recipients`` (age's recipients-file format,
readable without any key, so anyone can see who can read the case, and ``age -R`` takes it).
Reading decrypts in memory with the identity :func:`casefile.storage.keys.identity_source` chooses;
writing encrypts in memory before anything reaches the disk, and only when this user accepted every
listed key (:mod:`casefile.storage.recipienttrust`: the file travels with git, so anyone can add
one). Backups are copies of the encrypted file, so they stay encrypted to the same recipients.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from casefile.errors import BadKey, CannotDecrypt, IdentityNeeded, InvalidValue, WrongKey
from casefile.i18n import _, ngettext
from casefile.storage.files import CaseBytes, read_case_file, sidecar, write_atomic
from casefile.storage.keys import AGE_ARMOR, AGE_MAGIC, is_age_file

#: The suffix of an encrypted case file: ``casefile.toml.age``.
ENCRYPTED_SUFFIX = ".age"
#: The suffix of the recipients file beside an encrypted case: ``casefile.toml.age.recipients``.
RECIPIENTS_SUFFIX = ".recipients"

#: The encrypted files read in ASCII armor, so that rewriting them keeps that form.
_armored: set[Path] = set()


def is_encrypted_path(path: Path) -> bool:
    """Whether ``path`` names an encrypted case file (by its name, as the store decides)."""
    return path.name.endswith(ENCRYPTED_SUFFIX)


def require_encrypted(path: Path) -> Path:
    """``path`` itself if it is an encrypted case file.

    Raises:
        InvalidValue: the case is not encrypted.
    """
    from casefile.errors import InvalidValue

    if is_encrypted_path(path):
        return path
    raise InvalidValue(
        _(
            "{path} is not encrypted: anyone who can read the file can read the case. Encrypt it "
            "with `casefile encrypt --to PUBLIC_KEY`."
        ).format(path=path)
    )


def recipients_path(path: Path) -> Path:
    """The recipients file beside the encrypted case file ``path``."""
    return sidecar(path, RECIPIENTS_SUFFIX)


def case_recipients(path: Path) -> tuple[str, ...]:
    """Who the encrypted case at ``path`` is encrypted to, from its recipients file.

    Raises:
        BadKey: the recipients file is missing or holds something that is not a recipient.
        UntrustedLink: it is a link out of its git work tree (a git pull can put one there).
    """
    from casefile.storage.keys import read_recipients_file
    from casefile.storage.linkguard import refuse_escaping_recipients

    where = recipients_path(path)
    refuse_escaping_recipients(where)
    if not where.exists():
        raise BadKey(
            _(
                "{where} is missing, so casefile does not know who to encrypt {name} to. Recreate it "
                "with one public key per line (age1... or ssh-...), the keys of everyone who should read "
                "the case."
            ).format(where=where, name=path.name)
        )
    return read_recipients_file(where)


def recipients_file_text(path: Path, recipients: Sequence[str]) -> str:
    """The recipients file's text for the encrypted case ``path``."""
    return (
        f"# Who can read {path.name}: one age or SSH public key per line (age's recipients file; `age -R` reads it).\n"
        "# casefile encrypts every new version to these keys. Change them with `casefile recipients add|remove`.\n"
        + "".join(f"{line}\n" for line in recipients)
    )


def stanza_types(data: bytes) -> list[str]:
    """The kind of each recipient stanza in an age file's header (``X25519``, ``ssh-ed25519``, ``scrypt``...)."""
    if data.lstrip().startswith(AGE_ARMOR):
        import base64
        import binascii

        body = b"".join(line for line in data.strip().splitlines()[1:] if not line.startswith(b"-----"))
        try:
            data = base64.b64decode(body[:8192])  # the header is within the first few kilobytes
        except (binascii.Error, ValueError):
            return []
    header = data[: data.find(b"\n---")] if b"\n---" in data else data[:8192]
    found = re.findall(r"^-> (\S+)", header.decode("ascii", errors="replace"), flags=re.MULTILINE)
    return [kind for kind in found if not kind.endswith("-grease")]  # rage adds random "grease" stanzas


def encrypt(data: bytes, recipients: Sequence[str], *, armored: bool = False) -> bytes:
    """``data`` encrypted with age to ``recipients`` (recipient lines as stored)."""
    import pyrage

    from casefile.storage.keys import recipient_objects

    return pyrage.encrypt(data, recipient_objects(recipients), armored=armored)


def is_armored(path: Path) -> bool:
    """Whether the encrypted file at ``path`` was read in ASCII armor (by this process)."""
    return path in _armored


class EncryptedCaseBytes(CaseBytes):
    """The store's seam for ``casefile.toml.age``: plain bytes in memory, only age's on disk.

    Temporary files and backups hold encrypted bytes, and the parse cache's entries for the case
    are encrypted to its recipients too (opened with the identity that opened the case).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.seal_cached = self._seal_cached
        self.open_cached = self._open_cached

    def read(self, path: Path) -> bytes:
        plain = open_sealed(path, read_case_file(path))
        _note_first_use(path)
        return plain

    def write(self, path: Path, pieces: Iterable[bytes | memoryview], unchanged: tuple[int, ...] | None) -> None:
        """Replace the file atomically, ``.bak`` kept, unless its :func:`file_identity` is no longer ``unchanged``."""
        write_atomic(path, [seal(path, b"".join(pieces))], unchanged=unchanged)

    def create(self, path: Path, data: bytes) -> None:
        super().create(path, seal(path, data))

    def _seal_cached(self, data: bytes) -> bytes:
        # Only to keys this user accepted: a key a pull added must not read the cache either.
        from casefile.storage.keys import recipient_key
        from casefile.storage.recipienttrust import accepted_keys

        listed = case_recipients(self.path)
        accepted = accepted_keys(self.path, listed)
        kept = [line for line in listed if recipient_key(line) in accepted]
        if not kept:
            raise ValueError("no accepted recipient")  # the cache then keeps no entry (write_entry ignores it)
        return encrypt(data, kept)

    def _open_cached(self, data: bytes) -> bytes | None:
        import pyrage

        from casefile.storage.keys import identity_source, load_identities

        try:
            return pyrage.decrypt(data, load_identities(identity_source()))
        except (pyrage.DecryptError, BadKey):
            return None


def _note_first_use(path: Path) -> None:
    """Record who the case is encrypted to if this machine has not seen it before (never fails: reading goes on)."""
    from casefile.storage.recipienttrust import note_first_use

    try:
        listed = case_recipients(path)
    except BadKey:
        return
    note_first_use(path, listed)


def seal(path: Path, data: bytes, *, armored: bool | None = None) -> bytes:
    """``data``, a new version of the encrypted case at ``path``, encrypted to its recipients.

    The file keeps its form: ASCII armor if it was read armored, age's binary form otherwise
    (unless ``armored`` says which).

    Raises:
        RecipientsNotAccepted: the recipients file lists a key this user has not accepted.
        InvalidValue: it no longer lists a key of the identity in use (a pull can remove one).
    """
    from casefile.storage.recipienttrust import require_accepted

    listed = case_recipients(path)
    require_accepted(path, listed)
    _require_yours_listed(path, listed)
    return encrypt(data, listed, armored=path in _armored if armored is None else armored)


def _require_yours_listed(path: Path, listed: Sequence[str]) -> None:
    """Refuse a version the identity in use could not open: a ``git pull`` can take the user's own
    key out of the recipients file, and the next write would lock them out of their case."""
    try:
        probe_open(path, listed)
    except WrongKey:
        raise InvalidValue(
            _(
                "{where} no longer lists a key of yours (a git pull may have removed it): you could not open "
                "the new version. Nothing was written. Add your public key back with `casefile recipients add "
                "KEY` (`age-keygen -y IDENTITY` shows it), or ask whoever removed it."
            ).format(where=recipients_path(path))
        ) from None


def probe_open(path: Path, recipients: Sequence[str]) -> None:
    """Open, with the identity in use, a few bytes encrypted to ``recipients``: whether a version of
    the case at ``path`` encrypted to them is one the user could open.

    Raises:
        IdentityNeeded: there is no identity file.
        WrongKey: the identity opens nothing encrypted to ``recipients``.
    """
    open_sealed(path, encrypt(b"casefile", recipients))


def open_sealed(path: Path, data: bytes) -> bytes:
    """The plain bytes of the encrypted case file ``path`` whose content is ``data``.

    Raises:
        IdentityNeeded: there is no identity file.
        CannotDecrypt: the identity does not open it, or it is not an age file, or it is damaged.
        BadKey: the identity file is not usable.
    """
    from casefile.storage.keys import identity_source, load_identities

    source = identity_source()
    if source.is_default and not source.path.exists():
        raise IdentityNeeded(
            _(
                "{path} is encrypted, and there is no identity to open it: give --identity FILE, set "
                "CASEFILE_IDENTITY, or make one with `casefile keygen` and ask someone who can read the "
                "case to add its public key with `casefile recipients add`."
            ).format(path=path)
        )
    identities = load_identities(source)
    plain = decrypt(data, identities, path=path, identity=source.path)
    if data.lstrip().startswith(AGE_ARMOR):
        _armored.add(path)
    return plain


def decrypt(data: bytes, identities: Sequence[object], *, path: Path, identity: Path) -> bytes:
    """``data`` (the content of ``path``) decrypted with ``identities`` (read from ``identity``).

    Raises:
        CannotDecrypt: one line saying whether the key is wrong or the file damaged.
    """
    import pyrage

    if not is_age_file(data):
        raise CannotDecrypt(
            _(
                "{path} is not an age-encrypted file (it does not start with age's header {text!r}). "
                "Nothing was written."
            ).format(path=path, text=AGE_MAGIC.decode().strip())
        )
    try:
        return pyrage.decrypt(data, list(identities))  # type: ignore[arg-type]
    except pyrage.DecryptError as error:
        reason = " ".join(str(error).split())  # age's own message may run over several lines
    kinds = stanza_types(data)
    if "No matching keys" in reason:
        if "scrypt" in kinds:
            raise CannotDecrypt(
                _(
                    "{path} is encrypted with a passphrase, not to keys; casefile opens cases encrypted to "
                    "keys. Decrypt it with `age -d`, then encrypt it with `casefile encrypt`."
                ).format(path=path)
            )
        from casefile.storage.keys import public_keys

        yours = public_keys(identities)
        raise WrongKey(
            ngettext(
                "the identity {identity} cannot open {path}: it is encrypted to {count} other key, "
                "listed in {recipients_path}. Ask someone who can read the case to run `casefile "
                "recipients add {value}`. Nothing was written.",
                "the identity {identity} cannot open {path}: it is encrypted to {count} other keys, "
                "listed in {recipients_path}. Ask someone who can read the case to run `casefile "
                "recipients add {value}`. Nothing was written.",
                len(kinds),
            ).format(
                identity=identity,
                path=path,
                count=len(kinds),
                recipients_path=recipients_path(path),
                value=yours[0] if yours else "YOUR_PUBLIC_KEY",
            )
        )
    raise CannotDecrypt(
        _(
            "{path} is damaged: age's integrity check failed ({reason}); it was cut short or "
            "altered. Nothing was written. Restore it from {sidecar} or from git."
        ).format(path=path, reason=reason, sidecar=sidecar(path, ".bak"))
    )
