"""Evidence files: hashed, kept beside the case, and checked again later.

Following the Berkeley Protocol's preservation advice, each file attached to an event is
recorded with its SHA-256, size, original name, media type and the day it was added. A copy is
kept in an ``evidence/`` folder beside the case file under a name made from its hash, so the
same file attached twice is stored once and a renamed copy is still recognised; ``--link``
records where the file is instead of copying it. :func:`verify` hashes every file again. The copy
of a file attached to an encrypted case is encrypted in memory (:mod:`casefile.storage.sealedcopies`).
"""

from __future__ import annotations

import datetime
import hashlib
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from casefile.case.model import Attachment, Case, Event
from casefile.errors import InvalidValue
from casefile.i18n import N_, _, system_error
from casefile.storage.sealedcopies import EVIDENCE_FOLDER, evidence_folder, sealed_location

_CHUNK = 1 << 20


def media_type(path: Path) -> str:
    """The file's media type guessed from its name."""
    import mimetypes

    guessed, _encoding = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def stored_name(sha256: str, original: str) -> str:
    """The name of the kept copy: the hash, with the original extension so it still opens."""
    suffix = "".join(Path(original).suffixes[-1:]).lower()
    return f"{sha256}{suffix if suffix.isascii() and len(suffix) <= 10 else ''}"


def store_folder(case_path: Path) -> Path:
    """The evidence folder, which must be a real folder beside the case (or not exist yet).

    Raises:
        InvalidValue: ``evidence`` is a symbolic link or not a folder: a case that arrived with a
            link there (git stores links) could otherwise send copies, and ``verify``, elsewhere.
    """
    folder = evidence_folder(case_path)
    try:
        status = os.lstat(folder)
    except FileNotFoundError:
        return folder
    if stat.S_ISLNK(status.st_mode):
        raise InvalidValue(
            _("{folder} is a symbolic link: casefile keeps evidence only in a real folder beside the case.").format(
                folder=folder
            )
        )
    if not stat.S_ISDIR(status.st_mode):
        raise InvalidValue(
            _("{folder} is not a folder: casefile keeps evidence in a folder of that name.").format(folder=folder)
        )
    return folder


def _open_regular(path: Path, *, follow_symlinks: bool) -> int:
    """A descriptor for the regular file at ``path``, checked before and after opening (never a
    FIFO, device or folder, and no symbolic link unless ``follow_symlinks``)."""
    try:
        status = os.stat(path, follow_symlinks=follow_symlinks)
    except FileNotFoundError:
        raise InvalidValue(_("{path} is not a file that can be read: it does not exist.").format(path=path)) from None
    if stat.S_ISLNK(status.st_mode):
        raise InvalidValue(
            _(
                "{path} is a symbolic link (to {readlink}): casefile copies evidence, never a link. Give "
                "--follow-symlinks to attach the file it points to."
            ).format(path=path, readlink=os.readlink(path))
        )
    if not stat.S_ISREG(status.st_mode):
        raise InvalidValue(_("{path} is not a file that can be read (a folder, device or FIFO).").format(path=path))
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow_symlinks:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        raise InvalidValue(
            _("{path} is not a file that can be read: {value}.").format(path=path, value=system_error(error))
        ) from None
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):  # replaced between the check and the opening
        os.close(descriptor)
        raise InvalidValue(_("{path} is not a file that can be read (a folder, device or FIFO).").format(path=path))
    return descriptor


def _hash_and_copy(
    source: Path, folder: Path | None, *, follow_symlinks: bool, seal: Callable[[bytes], bytes] | None = None
) -> tuple[str, int, Path | None, BinaryIO | None]:
    """Read ``source`` once: its SHA-256 and size, and (unless ``folder`` is None) a copy of the
    very bytes hashed in a temporary file in ``folder``, owner-only; with ``seal``, what it makes
    of those bytes in memory (the copy for an encrypted case: the plain bytes never reach the disk).
    The copy's file stays open, holding its lock, until it is stored or discarded: ``encrypt``
    removes only the temporary copies no live ``attach`` holds (:mod:`casefile.storage.tempfiles`)."""
    from casefile.storage.files import make_folders
    from casefile.storage.tempfiles import held_temp

    digest = hashlib.sha256()
    size = 0
    descriptor = _open_regular(source, follow_symlinks=follow_symlinks)
    temp = None
    kept: list[bytes] = []
    with open(descriptor, "rb") as reader:
        writer = None
        if folder is not None:
            make_folders(folder)
            handle, temp = held_temp(folder, prefix=".incoming-")
            writer = open(handle, "wb")  # noqa: SIM115 - closed once stored or discarded, or on error
        try:
            while chunk := reader.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
                if seal is not None:
                    kept.append(chunk)
                elif writer is not None:
                    writer.write(chunk)
            if writer is not None:
                if seal is not None:
                    writer.write(seal(b"".join(kept)))
                    kept.clear()
                writer.flush()
                os.fsync(writer.fileno())
        except BaseException:
            if temp is not None:
                temp.unlink(missing_ok=True)
            if writer is not None:
                writer.close()
            raise
    return digest.hexdigest(), size, temp, writer


@dataclass(frozen=True, slots=True)
class Prepared:
    """A file ready to attach: its record and, unless linked, its copy waiting in the store."""

    attachment: Attachment
    source: Path
    copy_to: Path | None
    incoming: Path | None = None
    held: BinaryIO | None = None  # the open copy, whose lock says a live attach has it


def prepare(
    files: Iterable[Path], *, case_path: Path, link: bool, today: datetime.date, follow_symlinks: bool = False
) -> list[Prepared]:
    """Hash each file and, unless ``link``, copy the bytes hashed into the evidence folder under
    a temporary name; nothing is recorded yet (:func:`store_copies` or :func:`discard` follows).

    A symbolic link is refused unless ``follow_symlinks``; then the file it points to is read.
    """
    from casefile.case.dates import parse_date
    from casefile.storage.encryption import is_encrypted_path
    from casefile.storage.files import resolved
    from casefile.storage.sealedcopies import seal_copy

    folder = None if link else store_folder(case_path)
    sealed = not link and is_encrypted_path(resolved(case_path))
    prepared: list[Prepared] = []
    try:
        for file in files:
            sha256, size, incoming, held = _hash_and_copy(
                file,
                folder,
                follow_symlinks=follow_symlinks,
                seal=(lambda data: seal_copy(resolved(case_path), data)) if sealed else None,
            )
            if link:
                path, copy_to = str(file.resolve()), None
            else:
                name = stored_name(sha256, file.name)
                path, copy_to = f"{EVIDENCE_FOLDER}/{name}", evidence_folder(case_path) / name
                copy_to = sealed_location(copy_to) if sealed else copy_to
            attachment = Attachment(
                sha256=sha256,
                size=size,
                name=file.name,
                media_type=media_type(file),
                added=parse_date(today.isoformat()),
                path=path,
                linked=link,
            )
            prepared.append(Prepared(attachment=attachment, source=file, copy_to=copy_to, incoming=incoming, held=held))
    except BaseException:
        discard(prepared)
        raise
    return prepared


def store_copies(prepared: Iterable[Prepared]) -> None:
    """Move the copies of the files that are not linked to their names in the evidence folder
    (a copy already there, with the same hash in its name, is kept)."""
    for item in prepared:
        if item.copy_to is None or item.incoming is None:
            continue
        if os.path.lexists(item.copy_to):
            item.incoming.unlink(missing_ok=True)
        else:
            os.replace(item.incoming, item.copy_to)
        if item.held is not None:
            item.held.close()


def discard(prepared: Iterable[Prepared]) -> None:
    """Remove the copies that were not stored (the command failed, or the file was attached already)."""
    for item in prepared:
        if item.incoming is not None:
            item.incoming.unlink(missing_ok=True)
        if item.held is not None:
            item.held.close()


def add_attachments(event: Event, prepared: Iterable[Prepared]) -> tuple[Event, list[Attachment], list[Attachment]]:
    """The event with new attachments; a file it already has (same hash) is not added twice."""
    known = {attachment.sha256 for attachment in event.attachments}
    added, skipped = [], []
    for item in prepared:
        if item.attachment.sha256 in known:
            skipped.append(item.attachment)
            continue
        known.add(item.attachment.sha256)
        added.append(item.attachment)
    from dataclasses import replace

    return replace(event, attachments=(*event.attachments, *added)), added, skipped


@dataclass(frozen=True, slots=True, kw_only=True)
class Check:
    """The result of hashing one attached file again."""

    event_id: str
    attachment: Attachment
    location: Path
    state: str  # "ok", "missing", "altered", "unreadable" (encrypted), "outside" (refused), "not-checked" (linked)
    problem: str = ""  # in English, as `verify --json` gives it
    said: str = ""  # the problem in the user's language


def _problem(template: str, **values: str) -> tuple[str, str]:
    """A problem in English (for scripts) and in the user's language (for people)."""
    return template.format(**values), _(template).format(**values)


def _in_store(attachment: Attachment, case_path: Path) -> tuple[Path, tuple[str, str]]:
    """Where a copied file is, or why casefile will not read what the case file names."""
    folder = evidence_folder(case_path)
    path = Path(attachment.path)
    parts = path.parts
    if path.is_absolute() or len(parts) != 2 or parts[0] != EVIDENCE_FOLDER or parts[1] in ("..", "."):
        return case_path.parent / path, _problem(
            N_("{path} is not a file in the evidence folder"), path=attachment.path
        )
    location = folder / parts[1]
    try:
        store_folder(case_path)
    except InvalidValue as error:
        return location, (str(error), str(error))
    if os.path.lexists(sealed_location(location)):  # the copy of an encrypted case, encrypted too
        location = sealed_location(location)
    try:
        status = os.lstat(location)
    except FileNotFoundError:
        return location, ("", "")
    if stat.S_ISLNK(status.st_mode):
        return location, _problem(
            N_("{path} is a symbolic link; the evidence folder holds only copies"), path=attachment.path
        )
    if not stat.S_ISREG(status.st_mode):
        return location, _problem(N_("{path} is not a regular file"), path=attachment.path)
    return location, ("", "")


def _hashed(location: Path, attachment: Attachment, *, follow_symlinks: bool) -> str:
    try:
        sha256, size, _copy, _held = _hash_and_copy(location, None, follow_symlinks=follow_symlinks)
    except InvalidValue:
        return "missing"
    return "ok" if (sha256, size) == (attachment.sha256, attachment.size) else "altered"


def _opened(location: Path, attachment: Attachment) -> tuple[str, tuple[str, str]]:
    """The state of an encrypted copy, opened and hashed in memory, and what stopped it being opened."""
    import pyrage

    from casefile.errors import BadKey
    from casefile.storage.sealedcopies import open_copy

    try:
        descriptor = _open_regular(location, follow_symlinks=False)
    except InvalidValue:
        return "missing", ("", "")
    with open(descriptor, "rb") as reader:
        data = reader.read()
    try:
        document = open_copy(data)
    except BadKey as error:
        return "unreadable", (str(error), str(error))
    except pyrage.DecryptError as error:
        reason = " ".join(str(error).split())
        if "No matching keys" in reason:
            return "unreadable", _problem(N_("your identity cannot open it: it is encrypted to other keys"))
        return "altered", _problem(N_("damaged: age's integrity check failed ({reason})"), reason=reason)
    found = (hashlib.sha256(document).hexdigest(), len(document))
    return ("ok" if found == (attachment.sha256, attachment.size) else "altered"), ("", "")


def verify(
    case: Case, case_path: Path, given: Iterable[Path] = (), progress: Callable[[str, int, int], None] | None = None
) -> Iterator[Check]:
    """Hash every attached file in the evidence store again and say whether it is there and unchanged.

    Only files inside the case's evidence folder are read, and a linked file only when its path
    is ``given`` (on verify's own command line): a case file can name any path, and a case can
    come from someone else. An attachment naming a path outside the store is refused, not hashed.

    Raises:
        InvalidValue: a ``given`` path that no linked attachment records.

    ``progress(stage, done, total)`` is told after each file (the CLI draws it).
    """
    wanted = {str(path.resolve()): path for path in given}
    attached = [(event.id, attachment) for event in case.events for attachment in event.attachments]
    checks = []
    for done, (event_id, attachment) in enumerate(attached, start=1):
        checks.append(_check(event_id, attachment, case_path, wanted))
        if progress is not None:
            progress("Checking the evidence files", done, len(attached))
    for path in wanted.values():
        raise InvalidValue(_("{path}: no linked attachment of this case records this file.").format(path=path))
    yield from checks


def _check(event_id: str, attachment: Attachment, case_path: Path, wanted: dict[str, Path]) -> Check:
    problem = said = ""
    if attachment.linked:
        location = Path(attachment.path)
        given = wanted.pop(str(location), None)
        state = "not-checked" if given is None else _hashed(given, attachment, follow_symlinks=True)
        if given is None:
            template = N_("linked, outside the evidence folder: check it with `casefile verify {path}`")
            problem, said = _problem(template, path=str(location))
    else:
        location, (problem, said) = _in_store(attachment, case_path)
        if problem:
            state = "outside"
        elif location.name != Path(attachment.path).name:  # encrypted
            state, (problem, said) = _opened(location, attachment)
        else:
            state = _hashed(location, attachment, follow_symlinks=False) if os.path.lexists(location) else "missing"
    return Check(event_id=event_id, attachment=attachment, location=location, state=state, problem=problem, said=said)


def loose_permissions(case_path: Path) -> list[tuple[Path, int]]:
    """The case's files and folders that people other than the owner can read or enter."""
    from casefile.storage.files import sidecar

    candidates = [
        case_path,
        sidecar(case_path, ".bak"),
        sidecar(case_path, ".lock"),
        sidecar(case_path, ".with-comments.bak"),
    ]
    folder = evidence_folder(case_path)
    # A link there (a git pull can check one out) is not the case's: what it leads to is not listed.
    if folder.is_dir() and not folder.is_symlink():
        candidates.append(folder)
        candidates.extend(sorted(folder.iterdir()))
    loose = []
    for path in candidates:
        try:
            status = path.stat() if path == case_path else path.lstat()
        except FileNotFoundError:
            continue
        mode = stat.S_IMODE(status.st_mode)
        if mode & 0o077 and not stat.S_ISLNK(status.st_mode):
            loose.append((path, mode))
    return loose
