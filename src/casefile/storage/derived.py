"""Values worked out from a case (what ``status`` shows, with the letter's digest), kept in the parse cache.

A value is kept under a name for the case file's exact bytes, with a key that names everything
else it depends on (the day, the templates, casefile's code: :func:`code_key`). It is used only
when the file's bytes hash to what it was made from, the cache entry verifies like every other
(:func:`casefile.storage.cache.read_entry`: its own SHA-256, this code's stamp) and the key is
the same; the case is then not even read. Anything else makes the value again, from the case.
Values must be what :mod:`marshal` keeps (dicts, lists, texts, numbers, None).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from casefile.storage.store import Loaded

ValueT = TypeVar("ValueT")


def derived(path: Path, name: str, key: str, make: Callable[[Loaded], ValueT]) -> ValueT:
    """What ``make`` gives for the case at ``path``, kept as ``name`` for its bytes and ``key``."""
    from casefile.storage import cache
    from casefile.storage.files import case_bytes, file_identity
    from casefile.storage.files import resolved as resolved_path
    from casefile.storage.store import Reading

    target = resolved_path(path)
    io = case_bytes(target)
    entry = f"derived-{name}"
    if io.cacheable:
        digest = cache.sha256(io.read(target)).digest()
        kept = cache.read_entry_and_tail(cache.folder_for(target), entry, digest, unseal=io.open_cached)
        if kept is not None and type(kept[0]) is list and len(kept[0]) == 3 and kept[0][0] == key:
            value: ValueT = _together(kept[0][1], kept[0][2], kept[1])
            return value
    reading = Reading(target, io)
    value = make(reading.loaded)
    # Not kept if the file was replaced or rewritten meanwhile: a scrub may have removed a value.
    if io.cacheable and reading.identity is not None and file_identity(target) == reading.identity:
        rest, where, tail = _apart(value)
        cache.write_entry(reading.folder, entry, reading.digest, [key, rest, where], seal=io.seal_cached, tail=tail)
    return value


def _apart(value: Any) -> tuple[Any, str, bytes]:
    """``value`` without its bytes (an export, or a letter first in a list), where they were, and
    them: they are kept after the rest as they are, never copied into marshal's bytes."""
    if type(value) is bytes:
        return None, "whole", value
    if type(value) is list and value and type(value[0]) is bytes:
        return [None, *value[1:]], "first", value[0]
    return value, "", b""


def _together(rest: Any, where: Any, tail: bytes) -> Any:
    """The value :func:`_apart` took apart."""
    if where == "whole":
        return tail
    if where == "first" and type(rest) is list and rest:
        return [tail, *rest[1:]]
    return rest


def code_key() -> str:
    """The SHA-256 of casefile's code and data files (their sizes and times), Python's version and
    Jinja2's: a value made by other code is made again."""
    import importlib.util
    import sys

    import casefile
    from casefile.storage import cache

    stamps: list[str] = [casefile.__version__, sys.version]
    for module in ("jinja2", "markupsafe"):
        spec = importlib.util.find_spec(module)
        stamps.append(f"{module} {_stamp(spec.origin) if spec and spec.origin else None}")
    folders = [Path(casefile.__file__).parent]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for item in sorted(entries, key=lambda item: item.name):
                if item.is_dir(follow_symlinks=False):
                    if item.name != "__pycache__":
                        folders.append(Path(item.path))
                else:
                    stamps.append(f"{item.path} {_stamp(item.path)}")
    return str(cache.sha256("\n".join(stamps).encode("utf-8", "surrogateescape")).hexdigest())


def _stamp(path: str) -> Any:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_mtime_ns, status.st_size)
