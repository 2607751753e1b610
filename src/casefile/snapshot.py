"""One reading of the case file, and the parse cache entry that matches exactly its bytes.

Every read hashes the file and takes what it holds from the parse cache (:mod:`casefile.cache`)
when the cache was made from exactly these bytes; else it parses, migrates and validates the
file in full, and caches that for the next command. A large case is never held twice: bytes
and text are let go once parsed, and the cache's bodies are decoded one at a time.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import replace as dataclass_replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casefile.errors import CaseFileInvalid, CaseFileNotFound, CaseFileSyntax
from casefile.itemindex import BODY_ARRAYS, item_headers, item_index, key_id, packed_key
from casefile.tomltext import has_crlf, has_toml_comments, locate_problems, parse_document

if TYPE_CHECKING:
    from collections.abc import Callable

    from casefile.model import Case, Event


@dataclass(frozen=True, slots=True)
class Loaded:
    """A case as read from disk, with what the store noticed while reading it."""

    case: Case
    path: Path
    has_comments: bool = False
    migrated_from: int | None = None


def read_bytes(path: Path) -> tuple[bytes, os.stat_result]:
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


#: Events per body file as read: a reader that needs them one part at a time never holds them all.
_SEGMENT = 5000


class _Stale(Exception):
    """The cache no longer matches the file (raised and caught in this module)."""


class Snapshot:
    """One reading of the case file: its bytes, their SHA-256, and the cache entry that matches them.

    The cache (:mod:`casefile.cache`) is used only when its key is the file's size, modification
    time and SHA-256; otherwise the file is parsed and validated in full, and what that gave is
    cached for the next command.
    """

    def __init__(self, path: Path) -> None:
        from casefile import cache

        self.path = path
        self.data: bytes | None
        self.data, status = read_bytes(path)
        self.size = len(self.data)
        self.mtime_ns = status.st_mtime_ns
        self.hasher = cache.sha256(self.data)
        self.folder = cache.folder_for(path)
        self.head: dict[str, Any] | None = None
        self._index: dict[str, Any] | None = None
        self._loaded: Loaded | None = None
        #: For each body the events were read from: its token, its number of events, and where
        #: they were inserted (None: added at the end). Set only when the case came from the cache.
        self._placements: list[tuple[str, int, list[int] | None]] | None = None
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

    def read_cached(self, name: str) -> Any:
        """The table in this case's cache file ``name``, or None."""
        from casefile import cache

        value = cache.read_file(self.folder, name)
        return value if isinstance(value, dict) else None

    def _from_cache(self) -> Loaded | None:
        """The case from the cache, one body at a time (a body's tables are let go once decoded).

        Items are kept as rows of validated items (:mod:`casefile.cacherows`); what concerns
        several items (unique ids, references) was checked when the file was read in full, and
        the file is the same.
        """
        from casefile import cache
        from casefile.cacherows import BadRow, items_from_rows
        from casefile.codec import decode

        assert self.head is not None
        items: dict[str, list[Any]] = {name: [] for name in BODY_ARRAYS}
        placements: list[tuple[str, int, list[int] | None]] = []
        try:
            with cache.no_gc():
                case = decode(self.head["document"], path=str(self.path))
                for token in self.head["bodies"]:
                    body = self.read_cached(f"body-{token}")
                    if body is None:
                        raise _Stale  # a writer cleaned up meanwhile
                    for name in BODY_ARRAYS:
                        decoded = items_from_rows(name, body[name])
                        if body["at"] is None:
                            items[name].extend(decoded)
                        else:
                            for position, item in zip(body["at"][name], decoded, strict=True):
                                items[name].insert(position, item)
                    at = None if body["at"] is None else body["at"]["events"]
                    placements.append((token, len(body["events"]), at))
                    del body
        except (_Stale, BadRow, CaseFileInvalid):
            self.head = None  # parse the bytes that were hashed instead
            return None
        self.data = None  # read again if a writer needs it: a large file is not held with its case
        self._placements = placements
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
        headers = item_headers(data)
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
            raise CaseFileInvalid(str(self.path), locate_problems(text, error.problems)) from None
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

            data, _ = read_bytes(self.path)
            if len(data) != self.size or cache.sha256(data).digest() != self.hasher.digest():
                raise CaseFileSyntax(
                    f"{self.path} changed while casefile was reading it. Nothing was changed; try again."
                )
            self.data = data
        return self.data

    def index(self) -> dict[str, Any] | None:
        """The cached :func:`~casefile.itemindex.item_index` of this content, or None."""
        if self._index is None and self.head is not None and self.head["index"] is not None:
            index = self.read_cached(f"index-{self.head['index']}")
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
        ids = [key_id(key) for name in BODY_ARRAYS for key in index["keys"][name]]
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
            view = self.read_cached(f"view-{token}")
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

    def per_event(self, name: str, make: Callable[[list[Event]], list[Any]]) -> list[Any] | None:
        """One value per event of the loaded case, in its order, made by ``make`` once per body.

        What ``make`` gives for a body's events (a list, one marshal-able value each) is kept in
        the cache as ``derived-<name>-<token>`` and used again while that body is: ``name``,
        ``<family>-<stamp>``, must change whenever what ``make`` gives would, and the values of
        other stamps of the family are then deleted. None when the case was not read from the
        cache (it was just parsed): the caller then works everything out itself.
        """
        from casefile import cache

        if self._placements is None or self._loaded is None or self.head is None:
            return None
        events = self._loaded.case.events
        # Where each event of the case came from: (body, row), replaying how bodies were read.
        origins: list[tuple[int, int]] = []
        for body, (_, count, at) in enumerate(self._placements):
            if at is None:
                origins.extend((body, row) for row in range(count))
            else:
                for row, position in enumerate(at):
                    origins.insert(position, (body, row))
        if len(origins) != len(events):
            return None
        per_body: list[list[Any]] = [[None] * count for _, count, _ in self._placements]
        for event, (body, row) in zip(events, origins, strict=True):
            per_body[body][row] = event
        values: list[list[Any]] = []
        for body, (token, count, _) in enumerate(self._placements):
            file_name = f"derived-{name}-{token}"
            kept = cache.read_file(self.folder, file_name)
            if not (isinstance(kept, list) and len(kept) == count):
                kept = make(per_body[body])
                with cache.writing(self.folder, wait=False) as may_write:
                    if may_write and cache.names_body(self.folder, token):
                        with contextlib.suppress(OSError, ValueError):
                            cache.write_file(self.folder, file_name, cache.dumps(kept))
                            self._forget_older(name, token)
            values.append(kept)
        return [values[body][row] for body, row in origins]

    def _forget_older(self, name: str, token: str) -> None:
        """Delete what an older version of ``name``'s maker kept for this body (``letter-<stamp>``)."""
        family, ours = f"derived-{name.partition('-')[0]}-", f"derived-{name}-{token}"
        for file_name in os.listdir(self.folder):
            if file_name.startswith(family) and file_name.endswith(f"-{token}") and file_name != ours:
                os.unlink(self.folder / file_name)

    def _make_view(self, token: str) -> dict[str, Any] | None:
        import datetime
        import json

        from casefile import cache
        from casefile.cacherows import BadRow, items_from_rows
        from casefile.views import item_record

        body = self.read_cached(f"body-{token}")
        if body is None:
            return None
        rows, body = body["events"], None
        day = datetime.date.today()  # an event's record does not depend on the day
        keys, sizes, blob = [], [], bytearray()
        with cache.no_gc():
            for position, row in enumerate(rows):
                rows[position] = None  # one event at a time: a large case is never held twice
                try:
                    (event,) = items_from_rows("events", [row])
                except BadRow:
                    return None
                record = json.dumps(item_record(event, as_of=day), ensure_ascii=False, indent=2)
                data = ("  " + record.replace("\n", "\n  ")).encode("utf-8")
                keys.append(packed_key(event))
                sizes.append(len(data))
                blob += data
        view = {"keys": keys, "sizes": sizes, "blob": blob}
        with cache.writing(self.folder, wait=False) as may_write:
            if may_write and cache.names_body(self.folder, token):
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
            index = item_index(headers, document, case, digest)
        rest = {key: value for key, value in document.items() if key not in BODY_ARRAYS}
        events, demands = document.get("events", []), document.get("demands", [])
        starts = range(0, max(len(events), 1), _SEGMENT)
        tokens = [cache.new_token() for _ in starts]
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
            "multiline": not has_crlf(document),
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
                from casefile.cacherows import rows_of

                for token, start in zip(tokens, starts, strict=True):
                    segment = {
                        "events": rows_of("events", events[start : start + _SEGMENT]),
                        "demands": rows_of("demands", demands) if start == 0 else [],
                        "at": None,
                    }
                    # Tables built by the codec may hold tuples; the file, read back, would hold lists.
                    cache.write_file(self.folder, f"body-{token}", cache.dumps(segment, normalise=writer))
                cache.write_file(self.folder, f"index-{index_token}", cache.dumps(index))
                cache.write_file(self.folder, cache.HEAD, cache.dumps(self.head, normalise=writer))
                cache.remove_unused(self.folder, self.head)
            except (OSError, ValueError, TypeError):  # the cache is only ever an optimisation
                with contextlib.suppress(OSError):
                    os.unlink(self.folder / cache.HEAD)

    def forget(self) -> None:
        """Stop using the cache entry: the file was changed, so it no longer describes it."""
        self.head, self._index = None, None
