"""Find, lock, load, migrate, validate and atomically save the case file.

Nothing here may lose a record:
- a write goes to a temporary file in the same folder, is flushed and fsynced, then renamed
  over the case file, so a reader or a crash sees the old file or the new one, never half;
- the previous version stays beside it as ``<name>.bak`` (a hard link, so it costs no copy);
- writers take an exclusive lock on ``<name>.lock`` for the whole read-change-write;
- a file that cannot be read is never rewritten.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from casefile.errors import (
    CaseFileExists,
    CaseFileInvalid,
    CaseFileNotFound,
    CaseFileSyntax,
    LockTimeout,
    Problem,
)
from casefile.model import Case

FILE_NAME = "casefile.toml"
ENV_VAR = "CASEFILE_FILE"
FILE_MODE = 0o600
FOLDER_MODE = 0o700
LOCK_TIMEOUT_SECONDS = 60.0
COMMENTS_SUFFIX = ".with-comments.bak"

ResultT = TypeVar("ResultT")


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
        return Location(Path(explicit), "given with --file")
    if environ.get(ENV_VAR):
        return Location(Path(environ[ENV_VAR]), f"from the {ENV_VAR} environment variable")
    start = (cwd or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        candidate = folder / FILE_NAME
        if candidate.is_file():
            return Location(candidate, f"found {FILE_NAME} in {folder}")
    return Location(
        default_case_path(), "the default case (no --file, no $CASEFILE_FILE, no casefile.toml here or above)"
    )


def sidecar(path: Path, suffix: str) -> Path:
    """A file kept beside the case file: ``casefile.toml`` -> ``casefile.toml.bak``."""
    return path.with_name(path.name + suffix)


@dataclass(frozen=True, slots=True)
class Loaded:
    """A case as read from disk, with what the store noticed while reading it."""

    case: Case
    path: Path
    has_comments: bool = False
    migrated_from: int | None = None


_ARRAY_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*([A-Za-z0-9_-]+)[ \t]*\]\]", re.MULTILINE)
_PLACE = re.compile(r"^([a-z_]+)\[(\d+)\]")


def _locate_problems(text: str, problems: tuple[Problem, ...]) -> list[Problem]:
    """Add the line of each item's ``[[header]]`` to problem places such as ``events[3].date``."""
    header_lines: dict[str, list[int]] = {}
    for match in _ARRAY_HEADER.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        header_lines.setdefault(match.group(1), []).append(line)
    located = []
    for problem in problems:
        place = _PLACE.match(problem.place)
        lines = header_lines.get(place.group(1), []) if place else []
        index = int(place.group(2)) - 1 if place else -1
        if 0 <= index < len(lines):
            located.append(Problem(f"line {lines[index]}: {problem.place}", problem.message))
        else:
            located.append(problem)
    return located


def has_toml_comments(text: str) -> bool:
    """Whether any ``#`` in the text starts a comment (not inside a string)."""
    if "#" not in text:
        return False
    quote: str | None = None
    index = 0
    length = len(text)
    while index < length:
        char = text[index]
        if quote is None:
            if char == "#":
                return True
            for opener in ('"""', "'''", '"', "'"):
                if text.startswith(opener, index):
                    quote = opener
                    index += len(opener) - 1
                    break
        elif quote in ('"', '"""') and char == "\\":
            index += 1
        elif text.startswith(quote, index):
            index += len(quote) - 1
            # A multi-line string may end in one or two quotes of its own: """say "hi"""" ends at the last.
            extra = 0
            while len(quote) == 3 and extra < 2 and text.startswith(quote[0], index + 1):
                index += 1
                extra += 1
            quote = None
        elif char == "\n" and len(quote) == 1:
            quote = None
        index += 1
    return False


def parse_document(text: str, path: Path) -> dict[str, Any]:
    """Parse TOML text, turning a syntax error into a message with the file, line and column."""
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CaseFileSyntax(
            f"{path}: not valid TOML: {error}. Nothing was changed; fix that line by hand "
            f"(the previous version, if any, is {sidecar(path, '.bak')})."
        ) from None


def read_text(path: Path) -> str:
    """The file's text, or a message saying it is missing or not UTF-8."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CaseFileNotFound(
            f"no case file at {path}. Create one with `casefile init --title TITLE --country COUNTRY`, "
            "or choose one with --file."
        ) from None
    except IsADirectoryError:
        raise CaseFileNotFound(f"{path} is a folder, not a case file.") from None
    except PermissionError:
        raise CaseFileNotFound(f"cannot read {path}: permission denied.") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise CaseFileSyntax(f"{path}: line {line}: the file is not UTF-8 text.") from None


def load(path: Path) -> Loaded:
    """Read, migrate and validate the case file.

    Raises:
        CaseFileNotFound, CaseFileSyntax, SchemaTooNew, CaseFileInvalid
    """
    from casefile.codec import decode
    from casefile.migrations import SCHEMA_VERSION, migrate, version_of

    text = read_text(path)
    document = parse_document(text, path)
    version = version_of(document)
    document = migrate(document, path=str(path))
    try:
        case = decode(document, path=str(path))
    except CaseFileInvalid as error:
        raise CaseFileInvalid(str(path), _locate_problems(text, error.problems)) from None
    return Loaded(
        case=case,
        path=path,
        has_comments=has_toml_comments(text),
        migrated_from=version if version != SCHEMA_VERSION else None,
    )


def _has_crlf(value: object) -> bool:
    if isinstance(value, str):
        return "\r\n" in value
    if isinstance(value, dict):
        return any(_has_crlf(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_crlf(item) for item in value)
    return False


def dumps(case: Case) -> str:
    """The case file's text for ``case``.

    Texts with several lines are written as multi-line strings, unless some text holds a
    Windows line end (CR LF): tomli_w turns that into LF in a multi-line string, so then every
    string is written on one line with escapes, which keeps the text exactly.
    """
    import tomli_w

    from casefile.codec import encode

    document = encode(case)
    return tomli_w.dumps(document, multiline_strings=not _has_crlf(document))


def _fsync_folder(folder: Path) -> None:
    # The rename is durable only once the folder entry is on disk.
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _write_temp(path: Path, data: bytes) -> Path:
    """Write ``data`` to a new owner-only temporary file beside ``path``, flushed to disk."""
    descriptor, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    return Path(temp_name)


def keep_copy(path: Path, suffix: str = ".bak") -> None:
    """Make ``<name><suffix>`` the current version of ``path`` before it is replaced."""
    backup = sidecar(path, suffix)
    staging = sidecar(path, suffix + ".tmp")
    with contextlib.suppress(FileNotFoundError):
        staging.unlink()
    try:
        os.link(path, staging)
    except FileNotFoundError:
        return
    except OSError:
        # Folders on file systems without hard links get a real copy.
        staging.write_bytes(path.read_bytes())
    # Owner-only like the case file, even when a hand-written original was readable by others.
    with contextlib.suppress(OSError):
        os.chmod(staging, FILE_MODE)
    os.replace(staging, backup)


def write_atomic(path: Path, text: str, *, backup: bool = True) -> None:
    """Replace ``path`` with ``text`` so that no reader or crash ever sees a partial file."""
    temp = _write_temp(path, text.encode("utf-8"))
    try:
        if backup:
            keep_copy(path)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    _fsync_folder(path.parent)


def make_folders(folder: Path) -> None:
    """Create ``folder`` and missing parents as owner-only folders."""
    missing = []
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            break
        missing.append(candidate)
    for candidate in reversed(missing):
        candidate.mkdir(mode=FOLDER_MODE)
        os.chmod(candidate, FOLDER_MODE)  # mkdir's mode is cut by the umask


def create(path: Path, case: Case) -> None:
    """Write a new case file; refuse to replace one that exists."""
    make_folders(path.parent)
    if path.exists():
        raise CaseFileExists(
            f"{path} already exists. Use --file to start another case, or edit this one with `casefile edit-case`."
        )
    temp = _write_temp(path, dumps(case).encode("utf-8"))
    try:
        os.link(temp, path)  # fails if another process created the file meanwhile
    except FileExistsError:
        raise CaseFileExists(f"{path} already exists.") from None
    finally:
        temp.unlink()
    _fsync_folder(path.parent)


@contextlib.contextmanager
def locked(path: Path, *, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """Hold the exclusive writer lock of ``path`` (a ``fcntl`` lock on ``<name>.lock``)."""
    import fcntl

    lock_path = sidecar(path, ".lock")
    descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT, FILE_MODE)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise LockTimeout(
                        f"another casefile command has been writing {path} for over {timeout:.0f} s. "
                        "Wait for it to finish and try again."
                    ) from None
                time.sleep(0.01)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


@dataclass(frozen=True, slots=True)
class Updated(Generic[ResultT]):
    """What :func:`update` did: the change's result and notices for the user."""

    result: ResultT
    case: Case
    notices: tuple[str, ...] = field(default=())


def remove_stale_temps(path: Path) -> None:
    """Delete temporary files a killed writer left; only called under the lock, so none is live."""
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            stale.unlink()


def update(path: Path, change: Callable[[Case], tuple[Case, ResultT]]) -> Updated[ResultT]:
    """Under the lock: load the case, apply ``change``, and save the result if it differs."""
    with locked(path):
        loaded = load(path)
        new_case, result = change(loaded.case)
        notices: list[str] = []
        if new_case != loaded.case or loaded.migrated_from is not None:
            if loaded.has_comments:
                # .bak is replaced on the next write; this copy stays until comments come back.
                keep_copy(path, COMMENTS_SUFFIX)
                notices.append(
                    f"{path} had comments; casefile cannot keep TOML comments when it rewrites the file. "
                    f"The version with comments is kept in {sidecar(path, COMMENTS_SUFFIX)}."
                )
            if loaded.migrated_from is not None:
                notices.append(
                    f"{path} was upgraded from schema version {loaded.migrated_from}; "
                    f"the old version is kept in {sidecar(path, '.bak')}."
                )
            remove_stale_temps(path)
            write_atomic(path, dumps(new_case))
        return Updated(result=result, case=new_case, notices=tuple(notices))
