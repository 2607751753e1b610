"""Which case file a command uses: --file, then $CASEFILE_FILE, then casefile.toml here or above, then the default.

A ``casefile.toml`` found here or above that is a symbolic link out of its git work tree is refused
(:mod:`casefile.storage.linkguard`): a git pull can put one there. The search walks the physical
folders (the current folder resolved), so the found file is the only link it can meet; its target
is judged with every further link followed.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from casefile.errors import InvalidValue
from casefile.i18n import _
from casefile.storage.files import require_regular_file
from casefile.storage.linkguard import refuse_escaping_case

FILE_NAME = "casefile.toml"
#: The suffix of an encrypted case file (:mod:`casefile.storage.encryption`): ``casefile.toml.age``.
ENCRYPTED_SUFFIX = ".age"
ENV_VAR = "CASEFILE_FILE"


@dataclass(frozen=True, slots=True)
class Location:
    """The case file in use and the rule that chose it."""

    path: Path
    rule: str


def default_case_path() -> Path:
    """``cases/default.toml`` in the user's data folder for casefile."""
    from platformdirs import user_data_path

    return user_data_path("casefile", appauthor=False) / "cases" / "default.toml"


def locate(
    explicit: str | os.PathLike[str] | None,
    *,
    cwd: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Location:
    """Where the case file is: --file, then $CASEFILE_FILE, then casefile.toml upwards, then the default."""
    environ = os.environ if environ is None else environ
    if explicit:
        return Location(_or_encrypted(Path(explicit)), "given with --file")
    if environ.get(ENV_VAR):
        return Location(_or_encrypted(Path(environ[ENV_VAR])), f"from the {ENV_VAR} environment variable")
    start = (cwd or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        candidate, encrypted = folder / FILE_NAME, folder / (FILE_NAME + ENCRYPTED_SUFFIX)
        if candidate.is_file() and encrypted.is_file():
            # Said first: the way out offered below would encrypt, and delete, the case a link leads to.
            refuse_escaping_case(candidate)
            refuse_escaping_case(encrypted)
            raise InvalidValue(
                _(
                    "{folder} holds both {file_name} and {name}: choose one with --file, or finish "
                    "encrypting with `casefile encrypt --file {candidate}` (which deletes the plain one)."
                ).format(folder=folder, file_name=FILE_NAME, name=encrypted.name, candidate=candidate)
            )
        if candidate.is_file() or encrypted.is_file():
            found = candidate if candidate.is_file() else encrypted
            # Found, not named by the user: a link git checked out must not lead to another case.
            refuse_escaping_case(found)
            return Location(found, f"found {found.name} in {folder}")
        for name in (candidate, encrypted):  # there, but no case file: never quietly another case (the default)
            if os.path.exists(name):
                require_regular_file(name)  # a folder, a FIFO, a device: said what it is
            elif name.is_symlink():  # a link to nothing
                raise InvalidValue(_dangling(name))
    return Location(
        _or_encrypted(default_case_path()),
        "the default case: no --file, no $CASEFILE_FILE, no casefile.toml here or above",
    )


def _or_encrypted(path: Path) -> Path:
    """``path``, or ``<path>.age`` when only that encrypted file is there."""
    encrypted = path.with_name(path.name + ENCRYPTED_SUFFIX)
    return encrypted if not path.exists() and encrypted.is_file() else path


def _dangling(link: Path) -> str:
    """What to say of a ``casefile.toml`` that links to nothing (its case was moved, or encrypted)."""
    target = link.parent / os.readlink(link)
    if target.with_name(target.name + ENCRYPTED_SUFFIX).is_file():
        message = _(
            "{link} links to {target}, which is not there: it was encrypted. Point the link at "
            "{target}{suffix}, or use --file {target}{suffix}."
        )
    else:
        message = _(
            "{link} links to {target}, which is not there; casefile does not use another case instead. "
            "Point the link at the case file, or remove it."
        )
    return message.format(link=link, target=target, suffix=ENCRYPTED_SUFFIX)
