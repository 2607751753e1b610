"""A cache folder someone else can write in is never used: the hashes of a cache entry prove nothing
against whoever can write it (anyone can compute them, or encrypt to a case's public keys)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from casefile.case.model import Case
from casefile.letter import render
from casefile.storage import cache, reading, store


def _forged(path: Path) -> Path:
    """The case's cache folder, holding an index (as valid as casefile's own) that renames the case."""
    store.create(path, Case(title="Real title", country="MX"))
    store.load(path)
    folder = cache.folder_for(path)
    digest = cache.sha256(path.read_bytes()).digest()
    index = cache.read_entry(folder, reading.INDEX, digest)
    index["rest"]["case"]["title"] = "Forged title"
    cache.write_entry(folder, reading.INDEX, digest, index)
    assert store.load(path).case.title == "Forged title"  # our own folder: its entries are used
    return folder


def _writable_by_all(folder: Path) -> None:
    os.chmod(folder, 0o777)


def _another_users(folder: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("only root can give a folder to another user")
    os.chown(folder, 65534, 65534)


@pytest.mark.parametrize("hand_over", [_writable_by_all, _another_users])
def test_a_cache_folder_others_can_write_is_not_read_or_written(
    isolated: Path, hand_over: Callable[[Path], None]
) -> None:
    path = isolated / "casefile.toml"
    folder = _forged(path)
    hand_over(folder)
    before = sorted((entry.name, entry.stat().st_mtime_ns) for entry in folder.iterdir())
    assert store.load(path).case.title == "Real title"
    assert sorted((entry.name, entry.stat().st_mtime_ns) for entry in folder.iterdir()) == before  # nothing written


def test_compiled_templates_are_not_kept_in_a_folder_others_can_write(isolated: Path) -> None:
    assert render._compiled_templates() is not None
    os.chmod(cache.cache_root() / "templates", 0o777)
    assert render._compiled_templates() is None  # its code would be run
