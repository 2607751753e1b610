"""Find, lock, load, migrate, validate and atomically save the case file.

Nothing here may lose a record:
- a write goes to a temporary file in the same folder, is flushed and fsynced, then renamed
  over the case file, so a reader or a crash sees the old file or the new one, never half;
- the previous version stays beside it as ``<name>.bak`` (a hard link, so it costs no copy);
- writers take an exclusive lock on ``<name>.lock`` for the whole read-change-write;
- a file that cannot be read is never rewritten.

And a case of 100,000 events must not be slow: every read hashes the file and takes what it
holds from the parse cache (:mod:`casefile.cache`) when the cache was made from exactly these
bytes, else parses and validates it in full and caches that; :func:`add` writes a new item's
table into the file at the place a full rewrite would give it, instead of rewriting the file.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from dataclasses import replace as dataclass_replace
from pathlib import Path
from typing import Any, Generic, NamedTuple, TypeVar

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
    return _Snapshot(path).loaded()


def _read_bytes(path: Path) -> tuple[bytes, os.stat_result]:
    """The file's bytes and its status, or a message saying it is missing."""
    try:
        with open(path, "rb") as handle:
            status = os.fstat(handle.fileno())
            return handle.read(), status
    except FileNotFoundError:
        raise CaseFileNotFound(
            f"no case file at {path}. Create one with `casefile init --title TITLE --country COUNTRY`, "
            "or choose one with --file."
        ) from None
    except IsADirectoryError:
        raise CaseFileNotFound(f"{path} is a folder, not a case file.") from None
    except PermissionError:
        raise CaseFileNotFound(f"cannot read {path}: permission denied.") from None


def _utf8(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise CaseFileSyntax(f"{path}: line {line}: the file is not UTF-8 text.") from None


_BODY_ARRAYS = ("events", "demands")
#: Top-level ``[[name]]`` header lines, as bytes (UTF-8 never puts ASCII bytes inside a character).
_ITEM_HEADER = re.compile(rb"^\[\[([A-Za-z0-9_-]+)\]\]$", re.MULTILINE)


def _item_headers(data: bytes) -> tuple[list[str], list[int], int]:
    """The name and offset of every line that looks like an item's ``[[name]]`` header, and the size."""
    names: list[str] = []
    offsets: list[int] = []
    for match in _ITEM_HEADER.finditer(data):
        names.append(sys.intern(match.group(1).decode("ascii")))
        offsets.append(match.start())
    return names, offsets, len(data)


def _index(
    headers: tuple[list[str], list[int], int], document: Mapping[str, Any], case: Case, digest: bytes
) -> dict[str, Any]:
    """Where each item's ``[[name]]`` header is in the file, and the order keys of events and demands.

    The offsets are kept only when the header lines found are exactly the items of the
    document, in the same order: a line inside a multi-line string that looks like a header,
    or a header written another way, makes them unusable, and then nothing is spliced in.
    """
    found, offsets, size = headers
    expected = [name for name, value in document.items() if _is_array_of_tables(value) for _ in value]
    names: list[str] | None = found
    if found != expected:
        names, offsets = None, []
    keys = {name: [_packed_key(item) for item in getattr(case, name)] for name in _BODY_ARRAYS}
    return {
        "sha256": digest,
        "names": names,
        # Each part's size rather than its offset, so that adding one moves nothing.
        "first": offsets[0] if offsets else 0,
        "sizes": [end - start for start, end in zip(offsets, [*offsets[1:], size], strict=False)],
        "keys": keys,
        "sorted": {name: _in_order(found) for name, found in keys.items()},
    }


def _in_order(keys: list[str]) -> bool:
    """Whether the items are in date order, with every key one that sorts (see :func:`_packed_key`)."""
    return all(a < b for a, b in itertools.pairwise(keys)) and not any(key.startswith("\uffff") for key in keys)


_KEY_WIDTH = 4


def _packed_key(item: Any) -> str:
    """``(date.sort_key(), id)`` as one string that sorts the same way (every part below 10,000)."""
    parts: tuple[int, ...] = item.date.sort_key()
    identifier: str = item.id
    if not all(0 <= part < 10**_KEY_WIDTH for part in parts) or len(parts) != _KEY_PARTS:
        return "\uffff" + identifier  # never sorts: keeps the array out of splicing
    return "".join(f"{part:04d}" for part in parts) + identifier


def _key_id(key: str) -> str:
    return key[1:] if key.startswith("\uffff") else key[_KEY_WIDTH * _KEY_PARTS :]


_KEY_PARTS = 13


#: Events per body file as read: a reader that needs them one part at a time never holds them all.
_SEGMENT = 5000


class _Stale(Exception):
    """The cache no longer matches the file (raised and caught inside the store)."""


class _Snapshot:
    """One reading of the case file: its bytes, their SHA-256, and the cache entry that matches them.

    The cache (:mod:`casefile.cache`) is used only when its key is the file's size, modification
    time and SHA-256; otherwise the file is parsed and validated in full, and what that gave is
    cached for the next command.
    """

    def __init__(self, path: Path) -> None:
        from casefile import cache

        self.path = path
        self.data: bytes | None
        self.data, status = _read_bytes(path)
        self.size = len(self.data)
        self.mtime_ns = status.st_mtime_ns
        self.hasher = cache.sha256(self.data)
        self.folder = cache.folder_for(path)
        self.head: dict[str, Any] | None = None
        self._index: dict[str, Any] | None = None
        self._loaded: Loaded | None = None
        head = cache.read_file(self.folder, cache.HEAD)
        if (
            isinstance(head, dict)
            and head.get("size") == self.size
            and head.get("mtime_ns") == self.mtime_ns
            and head.get("sha256") == self.hasher.digest()
            and head.get("path") == os.path.abspath(path)
            and head.get("stamp") == cache.code_stamp()
        ):
            self.head = head

    # --- reading ---------------------------------------------------------------------------------

    def loaded(self) -> Loaded:
        """The whole case, validated: from the cache when it matches, else by parsing the file."""
        if self._loaded is None and self.head is not None:
            self._loaded = self._from_cache()
        if self._loaded is None:
            self._loaded = self._parse()
        return self._loaded

    def _read(self, name: str) -> Any:
        from casefile import cache

        value = cache.read_file(self.folder, name)
        return value if isinstance(value, dict) else None

    def _from_cache(self) -> Loaded | None:
        """The case from the cache, one body at a time (a body's tables are let go once decoded).

        Each item is decoded, and so checked, again; what concerns several items (unique ids,
        references) was checked when the file was read in full, and the file is the same.
        """
        from casefile import cache
        from casefile.codec import decode, decode_items

        assert self.head is not None
        items: dict[str, list[Any]] = {name: [] for name in _BODY_ARRAYS}
        try:
            with cache.no_gc():
                case = decode(self.head["document"], path=str(self.path))
                for token in self.head["bodies"]:
                    body = self._read(f"body-{token}")
                    if body is None:
                        raise _Stale  # a writer cleaned up meanwhile
                    for name in _BODY_ARRAYS:
                        decoded = decode_items(name, body[name])
                        if decoded is None:
                            raise _Stale
                        if body["at"] is None:
                            items[name].extend(decoded)
                        else:
                            for position, item in zip(body["at"][name], decoded, strict=True):
                                items[name].insert(position, item)
                    del body
        except (_Stale, CaseFileInvalid):
            self.head = None  # parse the bytes that were hashed instead
            return None
        self.data = None  # read again if a writer needs it: a large file is not held with its case
        return Loaded(
            case=dataclass_replace(case, events=tuple(items["events"]), demands=tuple(items["demands"])),
            path=self.path,
            has_comments=self.head["has_comments"],
            migrated_from=self.head["migrated_from"],
        )

    def _parse(self) -> Loaded:
        from casefile import cache
        from casefile.codec import decode
        from casefile.migrations import SCHEMA_VERSION, migrate, version_of

        data: bytes | None = self.file_bytes()
        assert data is not None
        headers = _item_headers(data)
        text = _utf8(data, self.path)
        self.data = data = None  # a large file is not held three times (bytes, text, document)
        with cache.no_gc():
            document = parse_document(text, self.path)
        has_comments = has_toml_comments(text)
        del text
        version = version_of(document)
        document = migrate(document, path=str(self.path))
        try:
            with cache.no_gc():
                case = decode(document, path=str(self.path))
        except CaseFileInvalid as error:
            text = _utf8(self.file_bytes(), self.path)
            raise CaseFileInvalid(str(self.path), _locate_problems(text, error.problems)) from None
        loaded = Loaded(
            case=case,
            path=self.path,
            has_comments=has_comments,
            migrated_from=version if version != SCHEMA_VERSION else None,
        )
        self.remember(document, case, headers, has_comments=has_comments, migrated_from=loaded.migrated_from)
        return loaded

    def file_bytes(self) -> bytes:
        """The bytes that were read, read again if they were let go (and refused if they changed)."""
        if self.data is None:
            from casefile import cache

            data, _ = _read_bytes(self.path)
            if len(data) != self.size or cache.sha256(data).digest() != self.hasher.digest():
                raise CaseFileSyntax(
                    f"{self.path} changed while casefile was reading it. Nothing was changed; try again."
                )
            self.data = data
        return self.data

    def index(self) -> dict[str, Any] | None:
        """The cached :func:`_index` of this content, or None."""
        if self._index is None and self.head is not None and self.head["index"] is not None:
            index = self._read(f"index-{self.head['index']}")
            if index is not None and index["sha256"] == self.head["sha256"]:
                self._index = index
        return self._index

    def light_case(self) -> Case | None:
        """The case without its events and demands, whose ids are added to ``retired_ids``.

        So ``all_ids()`` still gives every id in use. None when the cache does not match.
        """
        index = self.index()
        if self.head is None or index is None:
            return None
        from casefile import cache
        from casefile.codec import decode

        try:
            with cache.no_gc():
                case = decode(self.head["document"], path=str(self.path))
        except CaseFileInvalid:
            return None
        ids = [_key_id(key) for name in _BODY_ARRAYS for key in index["keys"][name]]
        return dataclass_replace(case, retired_ids=(*case.retired_ids, *ids))

    def events_json(self) -> list[bytes | memoryview] | None:
        """What ``list events --json`` prints, as pieces of UTF-8, from the cache; None if it is not usable.

        Each event's record is made once and kept beside its body in the cache (a ``view``).
        """
        if self.head is None:
            self.loaded()
        if self.head is None:
            return None
        self.data = None  # not needed any more: a large file is not held while its records are
        keys: list[str] = []
        records: list[memoryview] = []
        for token in self.head["bodies"]:
            view = self._read(f"view-{token}")
            if view is None:
                view = self._make_view(token)
                if view is None:
                    return None
            blob = memoryview(view["blob"])
            start = 0
            for size in view["sizes"]:
                records.append(blob[start : start + size])
                start += size
            keys.extend(view["keys"])
        if not records:
            return [b"[]"]
        if any(key.startswith("\uffff") for key in keys):
            return None
        order = sorted(range(len(keys)), key=keys.__getitem__)
        pieces: list[bytes | memoryview] = [b"[\n"]
        for position in order:
            pieces.append(records[position])
            pieces.append(b",\n")
        pieces[-1] = b"\n]"
        return pieces

    def _make_view(self, token: str) -> dict[str, Any] | None:
        import datetime
        import json

        from casefile import cache
        from casefile.codec import decode_items
        from casefile.views import item_record

        body = self._read(f"body-{token}")
        if body is None:
            return None
        tables, body = body["events"], None
        day = datetime.date.today()  # an event's record does not depend on the day
        keys, sizes, blob = [], [], bytearray()
        with cache.no_gc():
            for position, table in enumerate(tables):
                tables[position] = None  # one event at a time: a large case is never held twice
                decoded = decode_items("events", [table])
                if decoded is None:
                    return None
                (event,) = decoded
                record = json.dumps(item_record(event, as_of=day), ensure_ascii=False, indent=2)
                data = ("  " + record.replace("\n", "\n  ")).encode("utf-8")
                keys.append(_packed_key(event))
                sizes.append(len(data))
                blob += data
        view = {"keys": keys, "sizes": sizes, "blob": blob}
        with cache.writing(self.folder, wait=False) as may_write:
            if may_write and self.head is not None and token in self.head["bodies"]:
                with contextlib.suppress(OSError, ValueError):
                    cache.write_file(self.folder, f"view-{token}", cache.dumps(view))
        return view

    # --- writing the cache -----------------------------------------------------------------------

    def remember(
        self,
        document: Mapping[str, Any],
        case: Case,
        headers: tuple[list[str], list[int], int],
        *,
        has_comments: bool,
        migrated_from: int | None,
        status: os.stat_result | None = None,
        digest: bytes | None = None,
    ) -> None:
        """Cache a validated document as the content of the file with these ``headers``.

        That is the file as read, or, given its new ``status`` and ``digest``, as just written.
        """
        from casefile import cache

        writer = status is not None
        size, mtime_ns = (self.size, self.mtime_ns) if status is None else (status.st_size, status.st_mtime_ns)
        digest = self.hasher.digest() if digest is None else digest
        with cache.no_gc():
            index = _index(headers, document, case, digest)
        rest = {key: value for key, value in document.items() if key not in _BODY_ARRAYS}
        events, demands = document.get("events", []), document.get("demands", [])
        segments = [
            {"events": events[start : start + _SEGMENT], "demands": demands if start == 0 else [], "at": None}
            for start in range(0, max(len(events), 1), _SEGMENT)
        ]
        tokens = [cache.new_token() for _ in segments]
        index_token = cache.new_token()
        self._index = index
        self.head = {
            "format": cache.FORMAT,
            "stamp": cache.code_stamp(),
            "path": os.path.abspath(self.path),
            "size": size,
            "mtime_ns": mtime_ns,
            "sha256": digest,
            "has_comments": has_comments,
            "migrated_from": migrated_from,
            "multiline": not _has_crlf(document),
            "document": rest,
            "bodies": tokens,
            "tail": len(tokens),  # where the bodies of items written in later begin
            "index": index_token,
        }
        with cache.writing(self.folder, wait=writer) as may_write:
            if not may_write:
                return
            try:
                if not writer:
                    # A reader that was slower than a writer must not cache an older version.
                    now = os.stat(self.path)
                    if (now.st_size, now.st_mtime_ns) != (size, mtime_ns):
                        return
                # Tables built by the codec may hold tuples; the file, read back, would hold lists.
                for token, segment in zip(tokens, segments, strict=True):
                    cache.write_file(self.folder, f"body-{token}", cache.dumps(segment, normalise=writer))
                cache.write_file(self.folder, f"index-{index_token}", cache.dumps(index))
                cache.write_file(self.folder, cache.HEAD, cache.dumps(self.head, normalise=writer))
                cache.remove_unused(self.folder, self.head)
            except (OSError, ValueError):
                with contextlib.suppress(OSError):
                    os.unlink(self.folder / cache.HEAD)

    def remember_splice(self, splice: _Splice, status: os.stat_result, digest: bytes) -> None:
        """Record in the cache that ``splice`` was written into the file."""
        from casefile import cache

        head, index = self.head, self._index
        assert head is not None and index is not None and index["names"] is not None
        name, table, position = splice.name, splice.table, splice.position
        document = dict(head["document"])
        body: dict[str, Any] = {array: [] for array in _BODY_ARRAYS}
        body["at"] = {array: [] for array in _BODY_ARRAYS}
        if name in _BODY_ARRAYS:
            body[name].append(table)
            body["at"][name].append(position)
            index["keys"][name].insert(position, splice.key)
        else:
            tables = document.get(name, [])
            document[name] = [*tables[:position], table, *tables[position:]]
        names, sizes, part = index["names"], index["sizes"], splice.part
        names.insert(part, sys.intern(name))
        before = splice.header_offset - splice.offset  # the blank line written before it at the end
        if part < len(sizes):
            sizes.insert(part, len(splice.text))
        elif sizes:
            sizes[-1] += before
            sizes.append(len(splice.text) - before)
        else:
            index["first"] = splice.header_offset
            sizes.append(len(splice.text) - before)
        new_index = {**index, "sha256": digest}
        bodies = list(head["bodies"])
        index_token = cache.new_token()
        new_head = {
            **head,
            "size": status.st_size,
            "mtime_ns": status.st_mtime_ns,
            "sha256": digest,
            "document": document,
            "bodies": bodies,
            "index": index_token,
        }
        self.head, self._index = None, None  # this snapshot no longer describes the file
        with cache.writing(self.folder, wait=True) as may_write:
            if not may_write:
                return
            try:
                if name in _BODY_ARRAYS:
                    tail = head["tail"]
                    if len(bodies) - tail > cache.MAX_TAIL_BODIES:
                        merged = self._merged_tail(bodies[tail:])
                        if merged is not None:
                            bodies[tail:] = [merged]
                    token = cache.new_token()
                    cache.write_file(self.folder, f"body-{token}", cache.dumps(body))
                    bodies.append(token)
                cache.write_file(self.folder, f"index-{index_token}", cache.dumps(new_index))
                cache.write_file(self.folder, cache.HEAD, cache.dumps(new_head))
                cache.remove_unused(self.folder, new_head)
            except (OSError, ValueError):
                with contextlib.suppress(OSError):
                    os.unlink(self.folder / cache.HEAD)  # never leave a head that may be wrong

    def _merged_tail(self, tokens: list[str]) -> str | None:
        """One body (and view, when every one had its view) doing what the bodies ``tokens`` did."""
        from casefile import cache

        merged: dict[str, Any] = {name: [] for name in _BODY_ARRAYS}
        merged["at"] = {name: [] for name in _BODY_ARRAYS}
        views: dict[str, Any] | None = {"keys": [], "sizes": [], "blob": bytearray()}
        for token in tokens:
            body = self._read(f"body-{token}")
            if body is None:
                return None
            for name in _BODY_ARRAYS:
                merged[name].extend(body[name])
                merged["at"][name].extend(body["at"][name])
            view = self._read(f"view-{token}")
            if views is not None and view is not None:
                views["keys"].extend(view["keys"])
                views["sizes"].extend(view["sizes"])
                views["blob"] += view["blob"]
            else:
                views = None
        token = cache.new_token()
        cache.write_file(self.folder, f"body-{token}", cache.dumps(merged))
        if views is not None:
            cache.write_file(self.folder, f"view-{token}", cache.dumps(views))
        return token


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
    return _encoded(case)[1]


def _encoded(case: Case) -> tuple[dict[str, Any], str]:
    """The case's TOML document and the text :func:`dumps` writes for it."""
    from casefile.codec import encode

    document = encode(case)
    return document, document_text(document, multiline_strings=not _has_crlf(document))


def _is_array_of_tables(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(entry, dict) for entry in value)


def item_text(array: str, table: Mapping[str, Any], *, multiline_strings: bool = True) -> str:
    """One item as its own ``[[array]]`` table (nested tables follow under it)."""
    import tomli_w

    text = tomli_w.dumps({array: table}, multiline_strings=multiline_strings)
    header = f"[{array}]\n"
    if not text.startswith(header):  # a table with no keys at all
        return f"[[{array}]]\n"
    return f"[[{array}]]\n{text[len(header) :]}"


def document_text(document: Mapping[str, Any], *, multiline_strings: bool = True) -> str:
    """TOML text with one ``[[array]]`` table per item, never an inline array of items.

    tomli_w writes a whole array inline when every table is short, so adding one long item
    would rewrite the lines of all the others; one table per item keeps diffs (and merges)
    to the lines of the item that changed.
    """
    import tomli_w

    head = {key: value for key, value in document.items() if not _is_array_of_tables(value)}
    parts = [tomli_w.dumps(head, multiline_strings=multiline_strings)]
    for key, value in document.items():
        if _is_array_of_tables(value):
            parts.extend(item_text(key, table, multiline_strings=multiline_strings) for table in value)
    return "\n".join(part.rstrip("\n") + "\n" for part in parts if part.strip())


def _fsync_folder(folder: Path) -> None:
    # The rename is durable only once the folder entry is on disk.
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _new_temp(path: Path) -> tuple[int, str]:
    """A new owner-only ``.<name>.<random>.tmp`` beside ``path``, open for writing (like mkstemp)."""
    for _ in range(100):
        temp_name = os.path.join(path.parent, f".{path.name}.{os.urandom(6).hex()}.tmp")
        try:
            return os.open(temp_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE), temp_name
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary file name beside {path}")  # pragma: no cover


def _write_temp(path: Path, data: bytes | memoryview, *more: bytes | memoryview) -> Path:
    """Write ``data`` (and ``more``) to a new owner-only temporary file beside ``path``, flushed to disk."""
    descriptor, temp_name = _new_temp(path)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            for part in more:
                handle.write(part)
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
    """Under the lock: load the case, apply ``change``, and save the result if it differs.

    A change that adds one item is saved by writing the item's table into the file at its
    place (see :func:`add`); any other change rewrites the file.
    """
    with locked(path):
        return _update_locked(_Snapshot(path), change)


class Added(Generic[ResultT]):
    """What :func:`add` did: the change's result and notices for the user.

    (A plain class: making a dataclass costs more start-up time than ``add-event`` has to spare.)
    """

    __slots__ = ("notices", "result")

    def __init__(self, result: ResultT, notices: tuple[str, ...] = ()) -> None:
        self.result = result
        self.notices = notices


def add(path: Path, change: Callable[[Case], tuple[Case, ResultT]]) -> Added[ResultT] | Updated[ResultT]:
    """Like :func:`update`, for a change that adds one item and reads no event or demand.

    When the cache matches the file, ``change`` is given the case *without its events and
    demands* (their ids are added to ``retired_ids``, so ``all_ids()`` still holds every id in
    use), and the new item's table is written into the file at the place a full rewrite would
    give it: this is what lets ``add-event`` on a case of 100,000 events skip reading them. If
    ``change`` returns anything but that case with one item added, or the file cannot take the
    item that way, ``change`` runs again on the whole case, as in :func:`update`. So use it only
    for changes that give the same result either way, as the add-* commands do: they read only
    the case's own fields, its signatories and concerns, and the ids in use.
    """
    with locked(path):
        snapshot = _Snapshot(path)
        light = snapshot.light_case() if _can_splice(snapshot) else None
        if light is not None:
            new_case, result = change(light)
            added = _added_item(light, new_case)
            if new_case == light:
                return Added(result=result)
            if added is not None and _save_added(snapshot, light, *added):
                return Added(result=result)
        return _update_locked(snapshot, change)


def _can_splice(snapshot: _Snapshot) -> bool:
    head = snapshot.head
    return head is not None and not head["has_comments"] and head["migrated_from"] is None


def _added_item(old: Case, new: Case) -> tuple[str, Any] | None:
    """The one item ``new`` adds to ``old`` (in any of its arrays), or None if it changes anything else."""
    from casefile.codec import ARRAYS

    added: list[tuple[str, Any]] = []
    for name, kind in ARRAYS.items():
        before, after = getattr(old, name), getattr(new, name)
        if before is after:
            continue
        if len(after) != len(before) + 1 or any(a is not b for a, b in zip(before, after, strict=False)):
            return None  # operations.add_item appends; anything else is not an addition
        if type(after[-1]) is not kind:
            return None
        added.append((name, after[-1]))
    if len(added) != 1 or dataclass_replace(new, **{name: getattr(old, name) for name in ARRAYS}) != old:
        return None
    return added[0]


class _Splice(NamedTuple):
    """One item's table and where it goes in the file."""

    name: str
    table: dict[str, Any]
    key: str
    position: int  # in its array
    part: int  # among the file's item headers
    offset: int  # in the file's bytes
    text: bytes
    header_offset: int


def _save_added(snapshot: _Snapshot, old: Case, name: str, item: Any) -> bool:
    """Write ``item``'s table into the file at its place, atomically; False (nothing written) if it cannot."""
    from casefile import cache

    splice = _splice(snapshot, old, name, item)
    if splice is None:
        return False
    data = memoryview(snapshot.file_bytes())
    remove_stale_temps(snapshot.path)
    temp = _write_temp(snapshot.path, data[: splice.offset], splice.text, data[splice.offset :])
    try:
        keep_copy(snapshot.path)
        os.replace(temp, snapshot.path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    _fsync_folder(snapshot.path.parent)
    if splice.offset == len(data):
        hasher = snapshot.hasher.copy()
        hasher.update(splice.text)
    else:
        hasher = cache.sha256(data[: splice.offset], size=len(data) + len(splice.text))
        hasher.update(splice.text)
        hasher.update(data[splice.offset :])
    snapshot.remember_splice(splice, os.stat(snapshot.path), hasher.digest())
    return True


def _splice(snapshot: _Snapshot, old: Case, name: str, item: Any) -> _Splice | None:
    """Where and how ``item`` goes into the file so that it reads as ``old`` with ``item`` added."""
    import bisect
    import tomllib

    from casefile.codec import ARRAYS, decode_appended, encode_item

    head, index = snapshot.head, snapshot.index()
    if head is None or index is None or index["names"] is None or not _can_splice(snapshot):
        return None
    table = encode_item(item)
    if _has_crlf(table) and head["multiline"]:
        return None  # the whole file is then written with one-line strings: rewrite it
    text = item_text(name, table, multiline_strings=head["multiline"])
    try:
        parsed = tomllib.loads(text)
    except tomllib.TOMLDecodeError:  # pragma: no cover - tomli_w writes valid TOML
        return None
    if parsed != {name: [table]}:
        return None  # a value tomli_w cannot write exactly: let a full rewrite decide
    decoded = decode_appended(
        [(name, parsed[name][0])],
        event_and_demand_ids=set(old.retired_ids),  # holds every event and demand id (light case)
        signatory_ids=[signatory.id for signatory in old.signatories],
        concern_ids=[concern.id for concern in old.concerns],
    )
    if decoded != [item]:
        return None
    key = ""
    names = index["names"]
    parts = [part for part, found in enumerate(names) if found == name]
    if name in _BODY_ARRAYS:
        # Events and demands are kept by date, then id, as a full rewrite writes them.
        keys = index["keys"][name]
        key = _packed_key(item)
        if not index["sorted"][name] or key.startswith("\uffff") or len(keys) != len(parts):
            return None
        position = bisect.bisect_left(keys, key)
    else:
        position = len(parts)  # signatories and concerns keep the order they were added in
    if position < len(parts):
        part = parts[position]
    elif parts:
        part = parts[-1] + 1
    else:
        # The first item of its kind goes before the items of the kinds the file lists after it.
        later = [*list(ARRAYS)[list(ARRAYS).index(name) + 1 :]]
        part = next((at for at, found in enumerate(names) if found in later or found not in ARRAYS), len(names))
    data = snapshot.file_bytes()
    body = text.rstrip("\n").encode("utf-8") + b"\n"
    if part < len(names):
        offset = index["first"] + sum(itertools.islice(index["sizes"], part))
        chunk, header_offset = body + b"\n", offset
    else:
        offset = len(data)
        before = b"\n" if data.endswith(b"\n") else b"\n\n"
        chunk, header_offset = before + body, offset + len(before)
    return _Splice(name, parsed[name][0], key, position, part, offset, chunk, header_offset)


def _update_locked(snapshot: _Snapshot, change: Callable[[Case], tuple[Case, ResultT]]) -> Updated[ResultT]:
    """:func:`update` once the lock is held and the file read."""
    path = snapshot.path
    loaded = snapshot.loaded()
    new_case, result = change(loaded.case)
    notices: list[str] = []
    if new_case == loaded.case and loaded.migrated_from is None:
        return Updated(result=result, case=new_case)
    added = _added_item(loaded.case, new_case)
    if added is not None and _save_added(snapshot, _with_ids_retired(loaded.case), *added):
        return Updated(result=result, case=new_case)
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
    _rewrite(snapshot, new_case)
    return Updated(result=result, case=new_case, notices=tuple(notices))


def _with_ids_retired(case: Case) -> Case:
    """``case`` as :meth:`_Snapshot.light_case` gives it: events and demands only as retired ids."""
    ids = (*case.retired_ids, *(event.id for event in case.events), *(demand.id for demand in case.demands))
    return dataclass_replace(case, events=(), demands=(), retired_ids=ids)


def _rewrite(snapshot: _Snapshot, case: Case) -> None:
    """Write the whole file for ``case``, and cache what it holds."""
    from casefile import cache

    document, text = _encoded(case)
    data = text.encode("utf-8")
    temp = _write_temp(snapshot.path, data)
    try:
        keep_copy(snapshot.path)
        os.replace(temp, snapshot.path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    _fsync_folder(snapshot.path.parent)
    status = os.stat(snapshot.path)
    headers = _item_headers(data)
    digest = cache.sha256(data).digest()
    del data, text
    snapshot.remember(document, case, headers, has_comments=False, migrated_from=None, status=status, digest=digest)


def events_json(path: Path) -> list[bytes | memoryview]:
    """What ``list events --json`` prints, in pieces of UTF-8: ``print_json`` of every event's record.

    From the cache when it can be, where each event's record is kept once made.
    """
    snapshot = _Snapshot(path)
    pieces = snapshot.events_json()
    if pieces is not None:
        return pieces
    import datetime
    import json

    from casefile.views import item_record

    # The cache changed under this reader (a writer was at work): read the file as it is now.
    events = sorted(_Snapshot(path).loaded().case.events, key=_sort_key)
    day = datetime.date.today()
    return [json.dumps([item_record(event, as_of=day) for event in events], ensure_ascii=False, indent=2).encode()]


def _sort_key(item: Any) -> tuple[tuple[int, ...], str]:
    """The order of events and demands in the file and in lists: by date, then id."""
    return (item.date.sort_key(), item.id)
