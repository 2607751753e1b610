"""Encryption at rest: keygen, encrypt, decrypt, recipients, and git's view of an encrypted case."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from casefile.cli._shared import FileOption, location, say
from casefile.cli.messages import _, ngettext

recipients_app = typer.Typer(
    help="Who can read an encrypted case: list, add, remove or accept public keys.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

RecipientOption = Annotated[
    list[str] | None,
    typer.Option(
        "--to",
        help="An age public key (age1...) or SSH public key (ssh-ed25519/ssh-rsa) to encrypt to (repeatable).",
        show_default=False,
    ),
]
RecipientsFileOption = Annotated[
    Path | None,
    typer.Option(
        "--recipients-file",
        help="A file of public keys, one per line (age's format, as `age -R` reads).",
        show_default=False,
        dir_okay=False,
    ),
]


def ask_passphrase(what: str, *, confirm: bool = False) -> str:
    """A passphrase typed on the terminal, never echoed; refused when there is no terminal.

    getpass falls back to reading stdin with echo when it cannot open the terminal: that is
    checked first, so a passphrase never comes from a pipe, a file or the command line.
    """
    import getpass
    import os

    from casefile.errors import BadKey

    try:
        os.close(os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY))
    except OSError:
        raise BadKey(
            _(
                "{what} needs a passphrase, and there is no terminal to ask it on "
                "(casefile reads passphrases only from the terminal, never from the command line or a pipe)."
            ).format(what=what)
        ) from None
    passphrase = getpass.getpass(_("Passphrase for {what}: ").format(what=what))
    if confirm and getpass.getpass(_("The same passphrase again: ")) != passphrase:
        raise BadKey(_("the two passphrases differ; nothing was written."))
    return passphrase


def _ask_identity_passphrase(path: str) -> str:
    return ask_passphrase(_("the identity file {path}").format(path=path))


def set_up(identity: Path | None) -> None:
    """Called for every command: the --identity option and the terminal's passphrase prompt."""
    from casefile.storage import keys

    keys.chosen_identity = identity
    keys.passphrase_prompt = _ask_identity_passphrase


def keygen(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the identity here (default: identity.txt in your casefile config folder).",
            show_default=False,
            dir_okay=False,
        ),
    ] = None,
    passphrase: Annotated[
        bool, typer.Option("--passphrase", help="Protect the identity with a passphrase asked on the terminal.")
    ] = False,
    file: FileOption = None,
) -> None:
    """Make a new age identity (mode 0600, outside any case folder); print its public key."""
    from casefile.storage.keys import (
        default_identity_path,
        new_identity_text,
        refuse_unsafe_identity_place,
        write_identity,
    )

    path = output if output is not None else default_identity_path()
    refuse_unsafe_identity_place(path, case_path=location(file).path, chosen=output is not None)
    secret = ask_passphrase(_("the new identity {path}").format(path=path), confirm=True) if passphrase else None
    if secret is not None and not secret:
        from casefile.errors import BadKey

        raise BadKey(_("an empty passphrase protects nothing; nothing was written."))
    text, public = new_identity_text()
    write_identity(path, text, passphrase=secret)
    del text, secret
    typer.echo(public)
    for line in _(
        "Wrote a new identity to {path} (readable only by you). Keep it safe: without it, no case encrypted to it\n"
        "can be opened. Give its public key (printed above) to whoever encrypts a case for you."
    ).split("\n"):
        say(line.format(path=path))


def chosen_recipients(to: list[str] | None, recipients_file: Path | None) -> tuple[str, ...]:
    """The recipients named with --to and --recipients-file (none: an empty tuple)."""
    from casefile.storage.keys import parse_recipient, read_recipients_file, unique_recipients

    found = [parse_recipient(line, where="--to") for line in to or ()]
    if recipients_file is not None:
        found.extend(read_recipients_file(recipients_file))
    return unique_recipients(found)


def encrypt(
    to: RecipientOption = None,
    recipients_file: RecipientsFileOption = None,
    file: FileOption = None,
) -> None:
    """Encrypt a plain case to age keys (default: your own), and its evidence copies; the plain files go.

    On a case already encrypted, it encrypts the evidence copies still in plain text (to the case's keys)."""
    from casefile.cli.evidence import say_sealed
    from casefile.storage.encrypting import encrypt_case, own_public_keys
    from casefile.storage.encryption import is_encrypted_path

    path = location(file).path
    was_encrypted = is_encrypted_path(path.resolve())
    recipients = chosen_recipients(to, recipients_file) or (() if was_encrypted else own_public_keys())
    done = encrypt_case(path, recipients)
    count = len(recipients)
    if not was_encrypted:
        keys = ngettext("{count} key", "{count} keys", count).format(count=count)
        say(_("Encrypted the case to {keys}: {path}").format(keys=keys, path=done.path))
        say(_("Who can read it is listed in {path} (commit it with the case).").format(path=f"{done.path}.recipients"))
    say_sealed(done.sealed)
    for removed in done.removed:
        say("  " + _("deleted {path}").format(path=removed))
    for left in done.left:
        say("  " + _("could not delete {path}: delete it by hand").format(path=left))
    say(
        _(
            "casefile: note: copies made before may remain: in git history (older commits hold the plain file), "
            "in backups and snapshots of this disk, in synced folders, and in SSD blocks that deleting does not "
            "overwrite. Run `casefile git-setup` again so git merges and diffs the encrypted file."
        )
    )
    if done.left:
        raise typer.Exit(1)


def decrypt(
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help="Where to write the plain copy (- for stdout).", show_default=False, dir_okay=False
        ),
    ],
    file: FileOption = None,
) -> None:
    """Write a plain copy of an encrypted case, only where you say (--output)."""
    import sys

    from casefile.cli.export import warn_if_committable
    from casefile.errors import InvalidValue
    from casefile.exchange.exports import is_stream, save
    from casefile.storage.encrypting import plain_bytes
    from casefile.storage.files import resolved

    path = location(file).path
    data = plain_bytes(path)
    if str(output) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    case = resolved(path)
    target = resolved(output)
    plain_name = case.name.removesuffix(".age")  # there, the folder would hold both
    if target.parent == case.parent and (target.name.startswith(case.name) or target.name == plain_name):
        raise InvalidValue(
            _("{path} is the encrypted case or one of its own files; choose another name.").format(path=output)
        )
    stream = is_stream(output)  # a pipe (to age, to an editor): the text passes, no file is left
    save(output, data, case=path)
    if stream:
        say(_("Wrote {path}.").format(path=output))
        return
    say(
        _("Wrote a plain copy of {path} to {output} (readable only by you). Delete it when you are done.").format(
            path=path, output=output
        )
    )
    warn_if_committable(output)


def recipients_add(
    keys: Annotated[
        list[str] | None,
        typer.Argument(help="Public keys to add (age1... or an SSH public key line, quoted).", show_default=False),
    ] = None,
    recipients_file: RecipientsFileOption = None,
    file: FileOption = None,
) -> None:
    """Let more people read an encrypted case: re-encrypts it and its backups to the larger set."""
    from casefile.errors import InvalidValue
    from casefile.storage.encrypting import change_recipients
    from casefile.storage.keys import parse_recipient

    added = list(chosen_recipients(None, recipients_file))
    added += [parse_recipient(line) for line in keys or ()]
    if not added:
        raise InvalidValue(_("name at least one public key to add (or --recipients-file FILE)."))
    done = change_recipients(location(file).path, add=added)
    _say_changed(done)


def recipients_remove(
    keys: Annotated[list[str], typer.Argument(help="Public keys to remove, as `recipients list` shows them.")],
    file: FileOption = None,
) -> None:
    """Stop encrypting to some keys: re-encrypts the case and its backups to the rest."""
    from casefile.storage.encrypting import change_recipients

    done = change_recipients(location(file).path, remove=keys)
    _say_changed(done)
    say(
        _(
            "casefile: warning: a removed key cannot open new versions, but whatever its holder could read "
            "before stays readable to them: older versions in git history, clones and copies they made. "
            "If that matters, change what they saw (contacts, plans) rather than rely on the removal."
        )
    )


def _say_changed(done: Any) -> None:
    from casefile.storage.keys import recipient_key

    before = {recipient_key(line) for line in done.before}
    after = {recipient_key(line) for line in done.after}
    for line in done.after:
        if recipient_key(line) not in before:
            say("  " + _("added {key}").format(key=line))
    for line in done.before:
        if recipient_key(line) not in after:
            say("  " + _("removed {key}").format(key=line))
    files, keys = len(done.rewritten), len(done.after)
    reencrypted = ngettext("Re-encrypted {count} file to {keys}.", "Re-encrypted {count} files to {keys}.", files)
    say(reencrypted.format(count=files, keys=ngettext("{count} key", "{count} keys", keys).format(count=keys)))
    for copy in done.unreadable:
        say(
            _("casefile: note: {message}").format(
                message=_("{path} could not be opened with your identity and was left as it was.").format(path=copy)
            )
        )


def recipients_list(file: FileOption = None) -> None:
    """List the public keys an encrypted case is encrypted to (no identity needed), marking those not accepted yet."""
    from casefile.storage.encrypting import recipients_to_accept
    from casefile.storage.encryption import recipients_path

    path = location(file).path
    found = recipients_to_accept(path)
    mark = _("(not accepted yet)")
    for line in found.listed:
        typer.echo(f"{line}\t{mark}" if line in found.new else line)
    say(
        ngettext(
            "{count} key can read {path} (from {source}).",
            "{count} keys can read {path} (from {source}).",
            len(found.listed),
        ).format(count=len(found.listed), path=path, source=recipients_path(path))
    )
    _say_damaged(found)
    if found.new:
        say(
            ngettext(
                "{count} of them is not accepted yet: no new version is encrypted to it until you check who holds "
                "it and run `casefile recipients accept`.",
                "{count} of them are not accepted yet: no new version is encrypted to them until you check who "
                "holds them and run `casefile recipients accept`.",
                len(found.new),
            ).format(count=len(found.new))
        )


def _say_damaged(found: Any) -> None:
    from casefile.storage.recipienttrust import record_file

    if found.damaged:
        say(
            _("casefile: note: {message}").format(
                message=_(
                    "{path} could not be read, so no key counts as accepted; `casefile recipients accept` writes it "
                    "again."
                ).format(path=record_file())
            )
        )


def recipients_accept(
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    file: FileOption = None,
) -> None:
    """Accept the keys the recipients file lists (a git pull may have added some): re-encrypts the case to them."""
    from casefile.cli import _shared
    from casefile.errors import NeedsConfirmation
    from casefile.storage.encrypting import accept_recipients, recipients_to_accept, require_reencryptable
    from casefile.storage.encryption import recipients_path
    from casefile.storage.files import resolved

    path = location(file).path
    found = recipients_to_accept(path)
    _say_damaged(found)
    for key in found.gone:
        say("  " + _("no longer listed, forgotten: {key}").format(key=key))
    if not found.new:
        if found.gone:
            accept_recipients(path, shown=())
        say(_("Nothing to accept: every key {source} lists is accepted.").format(source=recipients_path(path)))
        return
    require_reencryptable(resolved(path))  # refused before the keys are shown and accepted
    say(
        ngettext(
            "{source} lists {count} key you have not accepted:",
            "{source} lists {count} keys you have not accepted:",
            len(found.new),
        ).format(source=recipients_path(path), count=len(found.new))
    )
    for line in found.new:
        say(f"  {line}")
    if not yes:
        if not _shared.stdin_is_terminal():
            raise NeedsConfirmation(_("not accepting without confirmation: run it on a terminal, or add --yes."))
        if not typer.confirm(_("Whoever holds these keys will read the case. Accept them?"), err=True):
            say(_("Nothing accepted."))
            raise typer.Exit(1)
    done = accept_recipients(path, shown=found.new)
    if done is not None:
        _say_changed(done)


def git_textconv(
    path: Annotated[Path, typer.Argument(help="A version of the encrypted case file (git gives a temporary copy).")],
) -> None:
    """What git's diff shows of an encrypted case: its text for those who hold a key (see git-setup)."""
    import sys

    from casefile.errors import CasefileError
    from casefile.storage.encryption import open_sealed, stanza_types
    from casefile.storage.keys import is_age_file
    from casefile.storage.limits import read_limited

    data = read_limited(path)
    if not is_age_file(data):
        sys.stdout.buffer.write(data)
        return
    try:
        plain = open_sealed(path, data)
    except CasefileError:
        # git diff must go on for people without a key (and for other files): say what this is.
        import hashlib

        count, digest = len(stanza_types(data)), hashlib.sha256(data).hexdigest()[:16]
        keys = ngettext("{count} key", "{count} keys", count).format(count=count)
        typer.echo(
            _(
                "(an encrypted casefile case for {keys}, {size} bytes, sha256 {digest}...; no identity here opens it)"
            ).format(keys=keys, size=len(data), digest=digest)
        )
        return
    sys.stdout.buffer.write(plain)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("keygen")(keygen)
    app.command("encrypt")(encrypt)
    app.command("decrypt")(decrypt)
    recipients_app.command("list")(recipients_list)
    recipients_app.command("add")(recipients_add)
    recipients_app.command("remove")(recipients_remove)
    recipients_app.command("accept")(recipients_accept)
    app.add_typer(recipients_app, name="recipients")
    app.command("git-textconv", hidden=True)(git_textconv)
