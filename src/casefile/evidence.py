"""Evidence files: hashed, kept beside the case, and checked again later.

Following the Berkeley Protocol's preservation advice, each file attached to an event is
recorded with its SHA-256, size, original name, media type and the day it was added. A copy is
kept in an ``evidence/`` folder beside the case file under a name made from its hash, so the
same file attached twice is stored once and a renamed copy is still recognised; ``--link``
records where the file is instead of copying it. :func:`verify` hashes every file again.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import os
import shutil
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from casefile.errors import InvalidValue
from casefile.model import Attachment, Case, Event

EVIDENCE_FOLDER = "evidence"
_CHUNK = 1 << 20


def sha256_of(path: Path) -> tuple[str, int]:
    """The SHA-256 (hex) and size of a file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def media_type(path: Path) -> str:
    """The file's media type guessed from its name."""
    import mimetypes

    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def stored_name(sha256: str, original: str) -> str:
    """The name of the kept copy: the hash, with the original extension so it still opens."""
    suffix = "".join(Path(original).suffixes[-1:]).lower()
    return f"{sha256}{suffix if suffix.isascii() and len(suffix) <= 10 else ''}"


def evidence_folder(case_path: Path) -> Path:
    """The ``evidence/`` folder beside the case file."""
    return case_path.parent / EVIDENCE_FOLDER


def _copy_in(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` atomically, owner-only; keep an existing identical copy."""
    from casefile.files import FILE_MODE, make_folders

    make_folders(target.parent)
    if target.exists():
        return
    temp = target.with_name(f".{target.name}.tmp")
    try:
        with source.open("rb") as reader, open(temp, "wb") as writer:
            os.chmod(temp, FILE_MODE)
            shutil.copyfileobj(reader, writer, _CHUNK)
            writer.flush()
            os.fsync(writer.fileno())
        os.replace(temp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


@dataclass(frozen=True, slots=True)
class Prepared:
    """A file ready to attach: its record and, unless linked, where its copy goes."""

    attachment: Attachment
    source: Path
    copy_to: Path | None


def prepare(files: Iterable[Path], *, case_path: Path, link: bool, today: datetime.date) -> list[Prepared]:
    """Hash each file and work out its record; nothing is written yet."""
    from casefile.dates import parse_date

    prepared = []
    for file in files:
        if not file.is_file():
            raise InvalidValue(f"{file} is not a file that can be read.")
        sha256, size = sha256_of(file)
        if link:
            path, copy_to = str(file.resolve()), None
        else:
            name = stored_name(sha256, file.name)
            path, copy_to = f"{EVIDENCE_FOLDER}/{name}", evidence_folder(case_path) / name
        attachment = Attachment(
            sha256=sha256,
            size=size,
            name=file.name,
            media_type=media_type(file),
            added=parse_date(today.isoformat()),
            path=path,
            linked=link,
        )
        prepared.append(Prepared(attachment=attachment, source=file, copy_to=copy_to))
    return prepared


def store_copies(prepared: Iterable[Prepared]) -> None:
    """Copy the files that are not linked into the evidence folder."""
    for item in prepared:
        if item.copy_to is not None:
            _copy_in(item.source, item.copy_to)


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
    state: str  # "ok", "missing" or "altered"


def locate(attachment: Attachment, case_path: Path) -> Path:
    """Where an attached file should be."""
    path = Path(attachment.path)
    return path if path.is_absolute() else case_path.parent / path


def verify(case: Case, case_path: Path) -> Iterator[Check]:
    """Hash every attached file again and say whether it is there and unchanged."""
    for event in case.events:
        for attachment in event.attachments:
            location = locate(attachment, case_path)
            if not location.is_file():
                state = "missing"
            else:
                sha256, size = sha256_of(location)
                state = "ok" if (sha256, size) == (attachment.sha256, attachment.size) else "altered"
            yield Check(event_id=event.id, attachment=attachment, location=location, state=state)


def loose_permissions(case_path: Path) -> list[tuple[Path, int]]:
    """The case's files and folders that people other than the owner can read or enter."""
    from casefile.files import sidecar

    candidates = [
        case_path,
        sidecar(case_path, ".bak"),
        sidecar(case_path, ".lock"),
        sidecar(case_path, ".with-comments.bak"),
    ]
    folder = evidence_folder(case_path)
    if folder.is_dir():
        candidates.append(folder)
        candidates.extend(sorted(folder.iterdir()))
    loose = []
    for path in candidates:
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except FileNotFoundError:
            continue
        if mode & 0o077:
            loose.append((path, mode))
    return loose
