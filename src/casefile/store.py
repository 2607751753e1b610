"""Find, lock, load, migrate, validate and atomically save the case file: the store's entry points.

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

The work is done by :mod:`casefile.files` (atomic writes, backups, the lock),
:mod:`casefile.snapshot` (reading the file and its cache), :mod:`casefile.insert` (adding an
item in place) and :mod:`casefile.tomltext` (the TOML text). All but the first are imported
when first needed, so that ``casefile where`` loads none of them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from dataclasses import replace as dataclass_replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from casefile.errors import CaseFileExists, CaseFileSyntax
from casefile.files import (
    COMMENTS_SUFFIX,
    fsync_folder,
    keep_copy,
    locked,
    make_folders,
    remove_stale_temps,
    replace_with,
    sidecar,
    write_temp,
)
from casefile.model import Case, Event

if TYPE_CHECKING:
    from casefile.snapshot import Loaded, Snapshot

FILE_NAME = "casefile.toml"
ENV_VAR = "CASEFILE_FILE"

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
        default_case_path(), "the default case: no --file, no $CASEFILE_FILE, no casefile.toml here or above"
    )


def read_text(path: Path) -> str:
    """The file's text, or a message saying it is missing or not UTF-8."""
    from casefile.snapshot import read_bytes

    data, _ = read_bytes(path)
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
    from casefile.snapshot import Snapshot

    return Snapshot(path).loaded()


def load_with(path: Path, name: str, make: Callable[[list[Event]], list[Any]]) -> tuple[Loaded, list[Any] | None]:
    """:func:`load`, and a value per event made by ``make``, kept in the parse cache as ``name``.

    The values are None when the file was just parsed: the caller works them out itself.
    See :meth:`Snapshot.per_event`.
    """
    from casefile.snapshot import Snapshot

    snapshot = Snapshot(path)
    loaded = snapshot.loaded()
    return loaded, snapshot.per_event(name, make)


def create(path: Path, case: Case) -> None:
    """Write a new case file; refuse to replace one that exists."""
    from casefile.tomltext import dumps

    make_folders(path.parent)
    if path.exists():
        raise CaseFileExists(
            f"{path} already exists. Use --file to start another case, or edit this one with `casefile edit-case`."
        )
    temp = write_temp(path, dumps(case).encode("utf-8"))
    try:
        os.link(temp, path)  # fails if another process created the file meanwhile
    except FileExistsError:
        raise CaseFileExists(f"{path} already exists.") from None
    finally:
        temp.unlink()
    fsync_folder(path.parent)


@dataclass(frozen=True, slots=True)
class Updated(Generic[ResultT]):
    """What :func:`update` did: the change's result and notices for the user."""

    result: ResultT
    case: Case
    notices: tuple[str, ...] = field(default=())


def update(path: Path, change: Callable[[Case], tuple[Case, ResultT]]) -> Updated[ResultT]:
    """Under the lock: load the case, apply ``change``, and save the result if it differs.

    A change that adds one item is saved by writing the item's table into the file at its
    place (see :func:`add`); any other change rewrites the file.
    """
    from casefile.snapshot import Snapshot

    with locked(path):
        return _update_locked(Snapshot(path), change)


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
    from casefile.insert import added_item, can_splice, save_added
    from casefile.snapshot import Snapshot

    with locked(path):
        snapshot = Snapshot(path)
        light = snapshot.light_case() if can_splice(snapshot) else None
        if light is not None:
            new_case, result = change(light)
            added = added_item(light, new_case)
            if new_case == light:
                return Added(result=result)
            if added is not None and save_added(snapshot, light, *added):
                return Added(result=result)
        return _update_locked(snapshot, change)


def _update_locked(snapshot: Snapshot, change: Callable[[Case], tuple[Case, ResultT]]) -> Updated[ResultT]:
    """:func:`update` once the lock is held and the file read."""
    from casefile.insert import added_item, save_added

    path = snapshot.path
    loaded = snapshot.loaded()
    new_case, result = change(loaded.case)
    notices: list[str] = []
    if new_case == loaded.case and loaded.migrated_from is None:
        return Updated(result=result, case=new_case)
    added = added_item(loaded.case, new_case)
    if added is not None and save_added(snapshot, _with_ids_retired(loaded.case), *added):
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
    """``case`` as :meth:`~casefile.snapshot.Snapshot.light_case` gives it: events and demands only as retired ids."""
    ids = (*case.retired_ids, *(event.id for event in case.events), *(demand.id for demand in case.demands))
    return dataclass_replace(case, events=(), demands=(), retired_ids=ids)


def _rewrite(snapshot: Snapshot, case: Case) -> None:
    """Write the whole file for ``case``, and cache what it holds."""
    from casefile import cache
    from casefile.itemindex import item_headers
    from casefile.tomltext import encoded

    document, text = encoded(case)
    data = text.encode("utf-8")
    replace_with(temp=write_temp(snapshot.path, data), path=snapshot.path)
    status = os.stat(snapshot.path)
    headers = item_headers(data)
    digest = cache.sha256(data).digest()
    del data, text
    snapshot.remember(document, case, headers, has_comments=False, migrated_from=None, status=status, digest=digest)


def events_json(path: Path) -> list[bytes | memoryview]:
    """What ``list events --json`` prints, in pieces of UTF-8: ``print_json`` of every event's record.

    From the cache when it can be, where each event's record is kept once made.
    """
    from casefile.snapshot import Snapshot

    snapshot = Snapshot(path)
    pieces = snapshot.events_json()
    if pieces is not None:
        return pieces
    import datetime
    import json

    from casefile.views import item_record

    # The cache changed under this reader (a writer was at work): read the file as it is now.
    events = sorted(Snapshot(path).loaded().case.events, key=_sort_key)
    day = datetime.date.today()
    return [json.dumps([item_record(event, as_of=day) for event in events], ensure_ascii=False, indent=2).encode()]


def _sort_key(item: Any) -> tuple[tuple[int, ...], str]:
    """The order of events and demands in the file and in lists: by date, then id."""
    return (item.date.sort_key(), item.id)
