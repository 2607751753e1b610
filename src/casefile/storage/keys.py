"""age keys: the identities that open an encrypted case and the recipients it is encrypted to.

Everything here is in age's own formats, so the ``age`` and ``rage`` tools and the keys people
already have work with casefile:

- an *identity file* holds ``AGE-SECRET-KEY-1...`` lines (as ``age-keygen`` writes them) or an
  SSH private key (ed25519 or RSA, unencrypted); it may itself be encrypted with a passphrase
  (``age -p``), in which case the passphrase is asked for through :data:`passphrase_prompt`;
- a *recipient* is an ``age1...`` public key or an ``ssh-ed25519``/``ssh-rsa`` public key line;
  a *recipients file* lists one per line, with ``#`` comments (what ``age -R`` reads).

pyrage (the age library) is imported only inside the functions that use it.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from casefile.errors import BadKey
from casefile.i18n import N_, _

IDENTITY_ENV = "CASEFILE_IDENTITY"
#: The name ``casefile keygen`` gives the identity in the user's config folder.
IDENTITY_NAME = "identity.txt"
#: Where an encrypted file's own format starts (binary, and the ASCII-armored form).
AGE_MAGIC = b"age-encryption.org/v1\n"
AGE_ARMOR = b"-----BEGIN AGE ENCRYPTED FILE-----"
_SSH_TYPES = ("ssh-ed25519", "ssh-rsa")
_SSH_PRIVATE = (b"-----BEGIN OPENSSH PRIVATE KEY-----", b"-----BEGIN RSA PRIVATE KEY-----")

#: Asks the person at the terminal for the passphrase of an identity file (set by the CLI; the
#: argument says which file). None: there is nobody to ask, and a protected identity is refused.
passphrase_prompt: Callable[[str], str] | None = None
#: The identity file chosen on the command line (``--identity``), set by the CLI.
chosen_identity: Path | None = None


def is_age_file(data: bytes) -> bool:
    """Whether ``data`` is in age's encrypted format (binary or armored)."""
    return data.startswith(AGE_MAGIC) or data.lstrip().startswith(AGE_ARMOR)


# --- recipients ------------------------------------------------------------------------------------


def parse_recipient(text: str, *, where: str = "") -> str:
    """``text`` as a recipient line casefile stores: an age public key, or an SSH public key line.

    Raises:
        BadKey: it is neither (``where`` names the place for the message).
    """
    import pyrage

    line = text.strip()
    words = line.split()
    try:
        if line.startswith("age1") and len(words) == 1:
            pyrage.x25519.Recipient.from_str(line)
            return line
        if words and words[0] in _SSH_TYPES and len(words) >= 2:
            pyrage.ssh.Recipient.from_str(" ".join(words[:2]))
            return " ".join(words)
    except pyrage.RecipientError:
        pass
    shown = line if len(line) <= 60 else line[:57] + "..."
    prefix = f"{where}: " if where else ""
    if line.startswith("AGE-SECRET-KEY-") or line.startswith("-----BEGIN"):
        raise BadKey(
            _(
                "{prefix}that is a secret key, not a public one; give its public key (age1... or ssh-... "
                ".pub). Keep the secret key to yourself."
            ).format(prefix=prefix)
        )
    raise BadKey(
        _(
            '{prefix}"{shown}" is not a recipient casefile can encrypt to: give an age public key '
            "(age1...) or an SSH public key line (ssh-ed25519 or ssh-rsa, as in "
            "~/.ssh/id_ed25519.pub)."
        ).format(prefix=prefix, shown=shown)
    )


def recipient_key(line: str) -> str:
    """What identifies a recipient line: the key itself, without an SSH key's comment."""
    return " ".join(line.split()[:2])


def parse_recipients_text(text: str, *, source: str) -> tuple[str, ...]:
    """The recipients in a recipients file's text (one per line, ``#`` comments, blank lines).

    Raises:
        BadKey: a line is not a recipient (named with its line number), or there is none.
    """
    found: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            found.append(parse_recipient(line, where=f"{source}: line {number}"))
    if not found:
        raise BadKey(_("{source} lists no recipient: add at least one age or SSH public key.").format(source=source))
    return unique_recipients(found)


def read_recipients_file(path: Path) -> tuple[str, ...]:
    """The recipients listed in the file at ``path`` (see :func:`parse_recipients_text`)."""
    return parse_recipients_text(_read_text(path, "recipients file"), source=str(path))


def unique_recipients(lines: Sequence[str]) -> tuple[str, ...]:
    """``lines`` without repeats of one key, in their order."""
    seen: set[str] = set()
    kept = []
    for line in lines:
        key = recipient_key(line)
        if key not in seen:
            seen.add(key)
            kept.append(line)
    return tuple(kept)


def recipient_objects(lines: Sequence[str]) -> list[Any]:
    """pyrage recipients for stored recipient lines."""
    import pyrage

    objects: list[Any] = []
    for line in lines:
        if line.startswith("age1"):
            objects.append(pyrage.x25519.Recipient.from_str(line))
        else:
            objects.append(pyrage.ssh.Recipient.from_str(recipient_key(line)))
    return objects


# --- identities ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IdentitySource:
    """The identity file in use and the rule that chose it."""

    path: Path
    rule: str
    #: True when no identity was chosen (no --identity, no $CASEFILE_IDENTITY): the one from ``keygen``.
    is_default: bool = False


def default_identity_path() -> Path:
    """``identity.txt`` in the user's config folder for casefile (where ``keygen`` writes)."""
    from platformdirs import user_config_path

    return user_config_path("casefile", appauthor=False) / IDENTITY_NAME


def identity_source(environ: Mapping[str, str] | None = None) -> IdentitySource:
    """Which identity file to use: --identity, then $CASEFILE_IDENTITY, then the one from ``keygen``."""
    environ = os.environ if environ is None else environ
    if chosen_identity is not None:
        return IdentitySource(chosen_identity, "given with --identity")
    if environ.get(IDENTITY_ENV):
        return IdentitySource(Path(environ[IDENTITY_ENV]), f"from the {IDENTITY_ENV} environment variable")
    return IdentitySource(default_identity_path(), "the identity made by `casefile keygen`", is_default=True)


#: The files a message may name (translated where the message is made).
FILE_WORDS = (N_("recipients file"), N_("identity file"))


def _read_text(path: Path, what: str) -> str:
    return _read_bytes(path, what).decode("utf-8", errors="replace")


def _read_bytes(path: Path, what: str) -> bytes:
    import stat

    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # a FIFO or device would block or never end
            raise BadKey(_("{path} is not a regular file; give the {what} itself.").format(path=path, what=_(what)))
        with open(path, "rb") as handle:
            return handle.read(1 << 20)  # keys are small: a larger file is not one
    except FileNotFoundError:
        raise BadKey(_("no {what} at {path}.").format(what=_(what), path=path)) from None
    except PermissionError:
        raise BadKey(_("cannot read the {what} {path}: permission denied.").format(what=_(what), path=path)) from None


_loaded_identities: dict[Path, list[Any]] = {}


def load_identities(source: IdentitySource) -> list[Any]:
    """The pyrage identities in the identity file ``source`` names (kept for this process).

    Raises:
        BadKey: the file is missing, holds no key casefile can use, or its passphrase is wrong
        or cannot be asked for.
    """
    path = source.path
    if path not in _loaded_identities:
        data = _read_bytes(path, "identity file")
        if is_age_file(data):
            data = _unlock(data, path)
        _loaded_identities[path] = _identities_in(data, path)
    return _loaded_identities[path]


def _unlock(data: bytes, path: Path) -> bytes:
    """The identity file ``age -p`` protected, opened with the passphrase asked on the terminal."""
    import pyrage

    if b"\n-> scrypt " not in data and not data.lstrip().startswith(AGE_ARMOR):
        raise BadKey(
            _("{path} is encrypted to a key, not with a passphrase; it cannot be used as an identity.").format(
                path=path
            )
        )
    if passphrase_prompt is None:
        raise BadKey(
            _("the identity file {path} is protected by a passphrase, and there is no terminal to ask it on.").format(
                path=path
            )
        )
    passphrase = passphrase_prompt(str(path))
    try:
        return pyrage.passphrase.decrypt(data, passphrase)
    except pyrage.DecryptError:
        raise BadKey(
            _("wrong passphrase for the identity file {path} (or the file is damaged).").format(path=path)
        ) from None


def _identities_in(data: bytes, path: Path) -> list[Any]:
    """The identities in an identity file's (clear) bytes."""
    import pyrage

    if data.lstrip().startswith(_SSH_PRIVATE):
        try:
            return [pyrage.ssh.Identity.from_buffer(data)]
        except pyrage.IdentityError as error:
            if "decrypted" in str(error):
                raise BadKey(
                    _(
                        "the SSH key {path} is protected by a passphrase, which casefile cannot open. Make an "
                        "age identity with `casefile keygen --passphrase`, or use an SSH key without a "
                        "passphrase."
                    ).format(path=path)
                ) from None
            raise BadKey(
                _("{path} is not an SSH private key casefile can use (ed25519 or RSA).").format(path=path)
            ) from None
    identities = []
    for number, raw in enumerate(data.decode("utf-8", errors="replace").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            identities.append(pyrage.x25519.Identity.from_str(line))
        except pyrage.IdentityError:
            what = _("a public key") if line.startswith(("age1", "ssh-")) else _("not an age secret key")
            raise BadKey(
                _(
                    "{path}: line {number}: {what}. An identity file holds secret keys (AGE-SECRET-KEY-1...) "
                    "as `casefile keygen` or `age-keygen` write them, or is an SSH private key."
                ).format(path=path, number=number, what=what)
            ) from None
    if not identities:
        raise BadKey(
            _("{path} holds no age secret key (AGE-SECRET-KEY-1...) and is not an SSH private key.").format(path=path)
        )
    return identities


def public_keys(identities: Sequence[Any]) -> list[str]:
    """The age public keys of the X25519 identities among ``identities`` (SSH ones have theirs in .pub)."""
    import pyrage

    return [str(identity.to_public()) for identity in identities if isinstance(identity, pyrage.x25519.Identity)]


# --- keygen ------------------------------------------------------------------------------------------


def refuse_unsafe_identity_place(path: Path, *, case_path: Path, chosen: bool) -> None:
    """Refuse to write an identity inside the case's folder or (for a chosen place) a git work tree.

    Whoever takes or clones the case must not find its key beside it.

    Raises:
        UntrustedLink: a folder on the way is a link out of its git work tree.
        BadKey: the place is unsafe.
    """
    if chosen:  # not through a folder link a git pull planted (letters -> ~/Dropbox)
        from casefile.storage.linkguard import refuse_planted_folder

        refuse_planted_folder(path)
    folder = path.absolute().parent.resolve()
    case_folder = case_path.absolute().parent.resolve()
    if folder == case_folder or case_folder in folder.parents:
        raise BadKey(
            _(
                "{path} is inside the case's folder {case_folder}: whoever gets the case would get its "
                "key too. Keep the identity elsewhere (the default is your casefile config folder)."
            ).format(path=path, case_folder=case_folder)
        )
    if chosen:
        for candidate in (folder, *folder.parents):
            if (candidate / ".git").exists():
                raise BadKey(
                    _(
                        "{path} is inside the git work tree {candidate}, where it could be committed and pushed. "
                        "Keep the identity outside any repository."
                    ).format(path=path, candidate=candidate)
                )


def new_identity_text(*, now: datetime.datetime | None = None) -> tuple[str, str]:
    """A new age identity file's text (as ``age-keygen`` writes it) and its public key."""
    import pyrage

    identity = pyrage.x25519.Identity.generate()
    public = str(identity.to_public())
    created = (now or datetime.datetime.now(datetime.UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"# created: {created}\n# public key: {public}\n{identity}\n", public


def write_identity(path: Path, text: str, *, passphrase: str | None = None) -> None:
    """Write a new identity file, owner-only, protected by ``passphrase`` if given; never replace one.

    Raises:
        BadKey: a file is already there.
    """
    import contextlib

    import pyrage

    from casefile.storage.files import FILE_MODE, fsync_folder, make_folders

    data = text.encode("utf-8")
    if passphrase is not None:
        data = pyrage.passphrase.encrypt(data, passphrase, armored=True)
    make_folders(path.parent)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        raise BadKey(
            _(
                "{path} already exists; casefile never replaces an identity (it may be the only key to a "
                "case). Choose another file with --output."
            ).format(path=path)
        ) from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise
    fsync_folder(path.parent)
