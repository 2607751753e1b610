"""The copies casefile keeps beside a case file, and removing a value from all of them."""

from __future__ import annotations

import contextlib
from pathlib import Path

from casefile.files import COMMENTS_SUFFIX, keep_copy, sidecar


def scrub_backups(path: Path) -> list[Path]:
    """Make every backup of ``path`` hold only its current text; return the files changed.

    Called right after a value was removed from the case file: the ``.bak`` copy would still
    hold it, and so would the copy kept when the file had comments and the parse cache (whose
    files are never rewritten in place, so the whole cache of the case goes). Compiled letter
    templates go too: a template the coalition wrote may quote the value.
    """
    import shutil

    from casefile.cache import cache_root, folder_for

    changed = []
    keep_copy(path)  # .bak becomes the current, scrubbed version
    changed.append(sidecar(path, ".bak"))
    commented = sidecar(path, COMMENTS_SUFFIX)
    with contextlib.suppress(FileNotFoundError):
        commented.unlink()
        changed.append(commented)
    for cached in (folder_for(path), cache_root() / "templates"):
        if cached.exists():
            shutil.rmtree(cached, ignore_errors=True)
            changed.append(cached)
    return changed
