"""Scrub: after a value was removed from the case file, remove it from every copy casefile keeps."""

from __future__ import annotations

import os
from pathlib import Path

from casefile.i18n import _
from casefile.storage.files import require_regular_file
from casefile.storage.files import resolved as resolved_path
from casefile.storage.lock import locked


def scrub_copies(path: Path) -> list[Path]:
    """After a value was removed from the case file: remove it from every copy casefile keeps of it.

    ``.bak`` becomes the current version; copies kept with comments, temporary files, the
    parse cache (every case's: the one of a name the case had before holds the value too) and
    compiled templates (a coalition's template may quote the value) are deleted. Returns
    the copies changed.

    Raises:
        ScrubIncomplete: naming each copy that could not be removed, and why.
    """
    from casefile.errors import ScrubIncomplete
    from casefile.storage import cache
    from casefile.storage.files import commented_copies, keep_copy, sidecar, stale_temps
    from casefile.storage.sealedcopies import unlink_noted

    target = resolved_path(path)
    require_regular_file(target)
    changed: list[Path] = []
    failed: list[str] = []

    with locked(target):
        try:
            keep_copy(target)
            changed.append(sidecar(target, ".bak"))
        except OSError as error:
            failed.append(f"{sidecar(target, '.bak')} ({error.strerror or error})")
        for copy in [*commented_copies(target), *stale_temps(target)]:
            unlink_noted(copy, changed, failed)
    # Every case's cache, not only this name's: one kept under a name the case had before (moved,
    # or copied) holds the value too. The others are made again, once.
    folders = {cache.cache_root() / "cases", cache.cache_root() / "templates"}
    for folder in sorted(folders):
        if os.path.lexists(folder):
            unlink_noted(Path(os.path.realpath(folder)) if folder.is_symlink() else folder, changed, failed)
    if failed:
        raise ScrubIncomplete(
            _(
                "the value was removed from {path}, but these copies may still hold it: {failed}. Remove them by hand."
            ).format(path=path, failed="; ".join(failed))
        )
    return changed
