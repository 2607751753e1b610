"""Encryption at rest: keygen, encrypt, decrypt, recipients, and git's view of an encrypted case."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from casefile.cli._shared import FileOption, location, say

recipients_app = typer.Typer(
    help="Who can read an encrypted case: list, add or remove public keys.", no_args_is_help=True, rich_markup_mode=None
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
            f"{what} needs a passphrase, and there is no terminal to ask it on "
            "(casefile reads passphrases only from the terminal, never from the command line or a pipe)."
        ) from None
    passphrase = getpass.getpass(f"Passphrase for {what}: ")
    if confirm and getpass.getpass("The same passphrase again: ") != passphrase:
        raise BadKey("the two passphrases differ; nothing was written.")
    return passphrase


def _ask_identity_passphrase(path: str) -> str:
    return ask_passphrase(f"the identity file {path}")


def set_up(identity: Path | None) -> None:
    """Called for every command: the --identity option and the terminal's passphrase prompt."""
    from casefile import keys

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
    from casefile.keys import default_identity_path, new_identity_text, refuse_unsafe_identity_place, write_identity

    path = output if output is not None else default_identity_path()
    refuse_unsafe_identity_place(path, case_path=location(file).path, chosen=output is not None)
    secret = ask_passphrase(f"the new identity {path}", confirm=True) if passphrase else None
    if secret is not None and not secret:
        from casefile.errors import BadKey

        raise BadKey("an empty passphrase protects nothing; nothing was written.")
    text, public = new_identity_text()
    write_identity(path, text, passphrase=secret)
    del text, secret
    typer.echo(public)
    say(f"Wrote a new identity to {path} (readable only by you). Keep it safe: without it, no case encrypted to it")
    say("can be opened. Give its public key (printed above) to whoever encrypts a case for you.")


def chosen_recipients(to: list[str] | None, recipients_file: Path | None) -> tuple[str, ...]:
    """The recipients named with --to and --recipients-file (none: an empty tuple)."""
    from casefile.keys import parse_recipient, read_recipients_file, unique_recipients

    found = [parse_recipient(line, where="--to") for line in to or ()]
    if recipients_file is not None:
        found.extend(read_recipients_file(recipients_file))
    return unique_recipients(found)


def recipients_list(file: FileOption = None) -> None:
    """List the public keys an encrypted case is encrypted to (no identity needed)."""
    from casefile.encryption import case_recipients, recipients_path, require_encrypted

    path = require_encrypted(location(file).path)
    found = case_recipients(path)
    for line in found:
        typer.echo(line)
    say(f"{len(found)} key(s) can read {path} (from {recipients_path(path)}).")


def git_textconv(
    path: Annotated[Path, typer.Argument(help="A version of the encrypted case file (git gives a temporary copy).")],
) -> None:
    """What git's diff shows of an encrypted case: its text for those who hold a key (see git-setup)."""
    import sys

    from casefile.encryption import open_sealed, stanza_types
    from casefile.errors import CasefileError
    from casefile.keys import is_age_file
    from casefile.limits import read_limited

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
        typer.echo(
            f"(an encrypted casefile case for {count} key(s), {len(data)} bytes, sha256 {digest}...; "
            "no identity here opens it)"
        )
        return
    sys.stdout.buffer.write(plain)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("keygen")(keygen)
    recipients_app.command("list")(recipients_list)
    app.add_typer(recipients_app, name="recipients")
    app.command("git-textconv", hidden=True)(git_textconv)
