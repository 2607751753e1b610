"""The storage's promises beyond speed: symbolic links written through, locks that say who holds
them, hostile case files refused at once, comments never lost, scrub of every copy, and the
compiled TOML reader reading exactly what tomllib reads."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casefile.errors import LockTimeout
from casefile.storage import cache, files, lock, store, tomltext
from tests.conftest import Run
from tests.test_codec import TRICKY_TEXTS, cases

TIME = shutil.which("time") or "/usr/bin/time"


def add_event(run: Run, path: Path, date: str, title: str, *extra: str) -> str:
    return str(run("add-event", "--date", date, "--title", title, "-f", str(path), *extra).stdout.strip())


# --- symbolic links ---------------------------------------------------------------------------------


def test_a_case_file_behind_a_symlink_is_written_through(run: Run, case_file: Path, isolated: Path) -> None:
    real_folder = isolated / "synced"
    real_folder.mkdir()
    target = real_folder / "case.toml"
    case_file.rename(target)
    link = isolated / "link.toml"
    link.symlink_to(target)
    add_event(run, link, "2017-02-11", "Report")
    run("edit", "2017-02-11", "--title", "Report by Citizen Lab", "-f", str(link))
    assert link.is_symlink() and link.resolve() == target
    assert "Report by Citizen Lab" in target.read_text()
    assert sorted(path.name for path in real_folder.iterdir()) == ["case.toml", "case.toml.bak", "case.toml.lock"]
    assert not any(path.name.startswith("link.toml.") for path in isolated.iterdir())
    assert "Report by Citizen Lab" in run("list", "events", "-f", str(target)).stdout


def test_a_casefile_toml_linking_to_nothing_is_named_never_replaced_by_another_case(run: Run, isolated: Path) -> None:
    # After `casefile encrypt` through the link (the case is now case.toml.age), or a move: the
    # commands must not quietly go on with the default case.
    run("init", "--title", "Default case", "--country", "Mexico", "--default")
    real = isolated / "synced"
    real.mkdir()
    (isolated / "casefile.toml").symlink_to(real / "case.toml")
    said = run("list", "events", code=2).stderr
    assert said.count("\n") == 1 and "links to" in said and "remove it" in said
    (real / "case.toml.age").write_bytes(b"age-encryption.org/v1\n")
    said = run("list", "events", code=2).stderr
    assert f"--file {real / 'case.toml.age'}" in said and "encrypted" in said
    assert "Default case" not in run("where", code=2).stdout


@pytest.mark.parametrize("kind", ["folder", "fifo", "device", "encrypted folder"])
def test_a_casefile_toml_that_is_no_file_is_named_never_replaced_by_another_case(
    run: Run, isolated: Path, kind: str
) -> None:
    # A folder, a FIFO or a link to a device under the case's name: the commands must not quietly
    # read, or add events to, the default case instead.
    run("init", "--title", "Default case", "--country", "Mexico", "--default")
    default = run("where").stdout.strip()
    before = Path(default).read_bytes()
    name = isolated / ("casefile.toml.age" if kind == "encrypted folder" else "casefile.toml")
    if kind == "fifo":
        os.mkfifo(name)
    elif kind == "device":
        name.symlink_to("/dev/null")
    else:
        name.mkdir()
    for command in (["list", "events"], ["add-event", "--date", "2017", "--title", "Lost"], ["where"]):
        said = run(*command, code=2).stderr
        assert said.count("\n") == 1 and said.startswith("casefile: error: ") and str(name) in said, said
        assert "not there" not in said  # it is there, and said to be what it is
    assert Path(default).read_bytes() == before


def test_two_names_of_one_file_share_one_lock(case_file: Path, isolated: Path) -> None:
    link = isolated / "other-name.toml"
    link.symlink_to(case_file)
    with (
        lock.locked(files.resolved(case_file)),
        pytest.raises(LockTimeout),
        lock.locked(files.resolved(link), timeout=0.05),
    ):
        pass


def test_a_lock_timeout_names_the_holder_and_what_to_do(case_file: Path) -> None:
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with lock.locked(case_file):
            holding.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        holding.wait(10)
        with pytest.raises(LockTimeout) as caught, lock.locked(case_file, timeout=0.05):
            pass
    finally:
        release.set()
        holder.join()
    message = str(caught.value)
    assert f"Process {os.getpid()}" in message and "since 20" in message
    assert "kill" in message and "ps -p" in message
    lock_text = files.sidecar(case_file, ".lock").read_text()
    assert "Surveillance" not in lock_text and f"pid={os.getpid()}" in lock_text


# --- hostile case files --------------------------------------------------------------------------------


def _hostile(kind: str, folder: Path) -> Path:
    path = folder / "hostile.toml"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        return Path("/dev/zero")
    elif kind == "folder":
        path.mkdir()
    elif kind == "not-utf8":
        path.write_bytes(b'schema_version = 1\n[case]\ntitle = "Art\xedculo"\ncountry = "MX"\n')
    elif kind == "nested":
        path.write_text("schema_version = 1\nx = " + "[" * 350 + "]" * 350 + "\n")
    elif kind == "nested-tables":
        path.write_text("schema_version = 1\nx = " + "{a = " * 350 + "1" + "}" * 350 + "\n")
    elif kind == "too-large":
        with open(path, "wb") as handle:
            handle.truncate(200 * 1024 * 1024)  # sparse: costs no disk
    return path


@pytest.mark.skipif(not Path(TIME).exists(), reason="needs GNU time to measure the child's memory")
@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "folder", "not-utf8", "nested", "nested-tables", "too-large"])
@pytest.mark.parametrize("command", [["list", "events"], ["add-event", "--date", "2017", "--title", "T"]])
def test_hostile_case_files_are_refused_at_once(isolated: Path, kind: str, command: list[str]) -> None:
    path = _hostile(kind, isolated)
    before = sorted(isolated.iterdir())
    argv = [TIME, "-f", "%M %U %S", sys.executable, "-m", "casefile", *command, "-f", str(path)]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=20, check=False)
    *lines, usage = [line for line in done.stderr.strip().splitlines() if not line.startswith("Command exited")]
    peak_kib, user, system = usage.split()
    assert done.returncode == 2, done.stderr
    assert len(lines) == 1 and str(path) in lines[0] and "Traceback" not in done.stderr, lines
    assert float(user) + float(system) < 2
    assert int(peak_kib) < 200 * 1024
    assert sorted(isolated.iterdir()) == before  # nothing written, not even a lock
    if kind == "not-utf8":
        assert "line 3" in lines[0]


# --- comments and scrub ----------------------------------------------------------------------------------

COMMENTED = """\
# Kept by hand.
schema_version = 2

[case]
title = "Surveillance"  # short
country = "MX"
"""


def test_comments_after_three_rewrites_are_all_kept(run: Run, isolated: Path) -> None:
    path = isolated / "casefile.toml"
    path.write_text(COMMENTED)
    add_event(run, path, "2017", "First")  # in place: no copy needed
    for number in range(3):
        run("edit-case", "--title", f"Title {number}", "-f", str(path))
        path.write_text(path.read_text().replace("schema_version = 2\n", f"schema_version = 2\n# note {number}\n"))
    copies = files.commented_copies(path)
    assert len(copies) == 3
    assert "# short" in copies[0].read_text()
    assert "# note 0" in copies[1].read_text() and "# note 1" in copies[2].read_text()
    assert "# note 2" in path.read_text()  # not rewritten since: still in place


def test_backups_and_comment_copies_are_real_copies_where_hard_links_fail(
    run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder on a file system without hard links (a FAT stick, some network shares)."""
    path = isolated / "casefile.toml"
    path.write_text(COMMENTED)
    os.chmod(path, 0o644)  # hand-written, readable by others

    def no_links(source: object, target: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    before = path.read_bytes()
    run("edit-case", "--title", "Vigilancia de defensoras de la salud", "-f", str(path))
    backup = files.sidecar(path, ".bak")
    (copy,) = files.commented_copies(path)
    assert backup.read_bytes() == before and copy.read_bytes() == before
    assert "# short" in copy.read_text() and "# short" not in path.read_text()
    assert oct(backup.stat().st_mode & 0o777) == oct(0o600) == oct(copy.stat().st_mode & 0o777)
    assert not backup.is_symlink() and backup.stat().st_ino != path.stat().st_ino
    assert "Vigilancia de defensoras" in path.read_text()


def test_scrub_removes_every_copy(run: Run, isolated: Path) -> None:
    path = isolated / "casefile.toml"
    path.write_text(COMMENTED)
    event = add_event(run, path, "2017", "T", "--private-note", "the informant lives at 5 Calle Sur")
    run("edit-case", "--title", "Other", "-f", str(path))  # keeps a commented copy
    run("list", "events", "-f", str(path))  # the cache
    (isolated / ".casefile.toml.abc.tmp").write_text("the informant lives at 5 Calle Sur")
    result = run("scrub", event, "--field", "private_notes", "-f", str(path))
    assert "Removed" in result.stderr
    for copy in [*isolated.rglob("*"), *cache.cache_root().rglob("*")]:
        assert not copy.is_file() or b"Calle Sur" not in copy.read_bytes(), copy


@pytest.mark.skipif(os.geteuid() == 0, reason="root may remove anything a folder's mode forbids")
def test_scrub_names_a_copy_it_cannot_remove_and_fails(run: Run, isolated: Path) -> None:
    path = isolated / "casefile.toml"
    path.write_text(COMMENTED)
    event = add_event(run, path, "2017", "T", "--private-note", "secret")
    run("edit-case", "--title", "Other", "-f", str(path))
    folder = isolated / "locked-away"
    folder.mkdir()
    (copy,) = files.commented_copies(path)
    os.chmod(isolated, 0o500)
    try:
        result = run("scrub", event, "--field", "private_notes", "-f", str(path), code=1)
    finally:
        os.chmod(isolated, 0o700)
    assert str(copy) in result.stderr


def test_scrub_names_a_copy_it_cannot_remove_even_for_root(
    run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Root may remove anything a folder's mode forbids: a refused unlink stands for what root meets
    on a read-only mount or an immutable file."""
    path = isolated / "casefile.toml"
    path.write_text(COMMENTED)
    event = add_event(run, path, "2017", "T", "--private-note", "secret")
    run("edit-case", "--title", "Other", "-f", str(path))
    (copy,) = files.commented_copies(path)
    unlink = Path.unlink

    def refuse(self: Path, missing_ok: bool = False) -> None:
        if self == copy:
            raise PermissionError(13, "Permission denied", str(self))
        unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", refuse)
    result = run("scrub", event, "--field", "private_notes", "-f", str(path), code=1)
    assert str(copy) in result.stderr
    assert "Permission denied" in result.stderr
    assert b"secret" in copy.read_bytes()  # it is still there, and the user was told so


def test_scrub_finds_the_cache_of_a_case_behind_a_symlink(run: Run, case_file: Path, isolated: Path) -> None:
    link = isolated / "link.toml"
    link.symlink_to(case_file)
    event = add_event(run, link, "2017", "T", "--private-note", "the informant")
    run("list", "events", "-f", str(link))
    run("scrub", event, "--field", "private_notes", "-f", str(link))
    for copy in cache.cache_root().rglob("*"):
        assert not copy.is_file() or b"informant" not in copy.read_bytes(), copy


# --- the compiled reader reads what tomllib reads ------------------------------------------------------


@given(case=cases())
def test_item_by_item_reading_gives_what_tomllib_gives(case: object) -> None:
    text = tomltext.dumps(case)  # type: ignore[arg-type]
    document, parts, _ = tomltext.parse_case(text.encode(), Path("case.toml"))
    assert document == tomllib.loads(text)
    assert parts is not None, text
    data = text.encode()
    for part in parts:
        piece = tomllib.loads(data[part.start : part.end].decode())
        assert list(piece) == [part.name]


HOSTILE_DOCUMENTS = [
    'a = "\\u00e9\\t\\"x\\\\"\nb = \'lit\\eral\'\n',
    'schema_version = 1\nd = """\n[[events]]\nid = "fake"\n"""\n[[events]]\nid = "real"\n',
    '[[events]]\nid = "x"\ndescription = """\n[[events]]\nid = "y"\n"""\n\n[[events]]\nid = "z"\n',
    "[[events]]\nid = 'x'\nd = '''\n[[events]]\n'''\n[[demands]]\nid = \"q\"\n",
    '[[events]]\nid = "x"  # [[events]]\n# [[events]]\n[[events]]\nid = "w"\n',
    'date = "2017-02-11"\nwhen = 2017-02-11\nt = 10:30:00\nz = 2017-02-11T10:00:00Z\n',
    '[[events]]\nid = "x"\n[events.extra]\nk = 1\n[[events.sources]]\nurl = "u"\n[[events]]\nid = "y"\n',
    "n = inf\nm = -0.0\nbig = 9223372036854775807\nhex = 0xff\n",
    'k = "windows\\r\\nline"\n',
    '"quoted key" = 1\n[[events]]\n"id" = "x"\n',
    *(f"[[events]]\nid = {tomltext.document_text({'t': text})[4:].strip()}\n" for text in TRICKY_TEXTS),
]


@pytest.mark.parametrize("text", HOSTILE_DOCUMENTS)
def test_hostile_documents_read_as_tomllib_reads_them(text: str) -> None:
    try:
        expected = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        with pytest.raises(Exception, match="not valid TOML"):
            tomltext.parse_case(text.encode(), Path("case.toml"))
        return
    document, _, _ = tomltext.parse_case(text.encode(), Path("case.toml"))
    assert document == expected


@given(st.lists(st.sampled_from(TRICKY_TEXTS), min_size=1, max_size=6))
def test_header_looking_lines_in_descriptions_never_misplace_items(texts: list[str]) -> None:
    document = {"schema_version": 1, "events": [{"id": f"e{n}", "description": t} for n, t in enumerate(texts)]}
    text = tomltext.document_text(document)
    parsed, parts, _ = tomltext.parse_case(text.encode(), Path("case.toml"))
    assert parsed == tomllib.loads(text)
    assert parts is not None and len(parts) == len(texts)


# --- property tests ------------------------------------------------------------------------------------

READS = (
    ("list", "events"),
    ("list", "events", "--json", "--as-of", "2018-07-16"),
    ("list", "demands", "--as-of", "2018-07-16"),
    ("show", "2017-02-11", "--as-of", "2018-07-16"),
    ("draft-complaint", "--as-of", "2018-07-16"),
    ("status", "--as-of", "2018-07-16"),
)


def _outputs(run: Run, path: Path) -> list[str]:
    return [run(*command, "-f", str(path), code=None).stdout for command in READS]


@pytest.fixture
def warm_case(run: Run, case_file: Path) -> tuple[Path, list[str], bytes, Path]:
    """A case with events, a demand and a response, its outputs read with no cache, and a copy of its cache."""
    add_event(run, case_file, "2017-02-11", "Citizen Lab reports spyware", "--source", "https://citizenlab.org/r")
    add_event(run, case_file, "2016", "Earlier", "--description", "[[events]]\nid = 'fake'\n# not a comment")
    run("add-demand", "--date", "2017-02-16", "--to", "Secretariat", "--subject", "Investigate", "-f", str(case_file))
    run("respond", "2017-02-16", "--date", "2017-03", "--status", "refused", "-f", str(case_file))
    shutil.rmtree(cache.cache_root(), ignore_errors=True)
    expected = _outputs(run, case_file)  # parsed: these also fill the cache
    _outputs(run, case_file)  # read from the cache
    pristine = case_file.parent / "pristine-cache"
    shutil.copytree(cache.cache_root(), pristine)
    return case_file, expected, case_file.read_bytes(), pristine


DAMAGE = st.lists(
    st.one_of(
        st.tuples(st.just("flip"), st.integers(min_value=0), st.integers(min_value=1, max_value=255)),
        st.tuples(st.just("cut"), st.integers(min_value=0), st.just(0)),
    ),
    min_size=1,
    max_size=3,
)


@given(damage=DAMAGE)
def test_damaged_cache_files_never_change_an_output_or_the_case_file(
    run: Run, warm_case: tuple[Path, list[str], bytes, Path], damage: list[tuple[str, int, int]]
) -> None:
    path, expected, data, pristine = warm_case
    shutil.rmtree(cache.cache_root(), ignore_errors=True)
    shutil.copytree(pristine, cache.cache_root())
    damaged = 0
    for copy in sorted(cache.cache_root().rglob("*")):
        if not copy.is_file() or copy.name == "lock":
            continue
        content = bytearray(copy.read_bytes())
        for kind, offset, value in damage:
            if not content:
                break
            at = offset % len(content)
            if kind == "flip":
                content[at] ^= value
            else:
                del content[at:]
        copy.write_bytes(bytes(content))
        damaged += 1
    assert damaged >= 3  # the case, its letter texts and its --json records
    assert _outputs(run, path) == expected
    assert path.read_bytes() == data


OPERATION = st.one_of(
    st.tuples(
        st.just("add"),
        st.sampled_from(["1990", "2010-05", "2017-02-11", "2030-01-01", "2019"]),
        st.sampled_from(TRICKY_TEXTS),
    ),
    st.tuples(st.just("edit"), st.integers(min_value=0, max_value=50), st.sampled_from(TRICKY_TEXTS)),
    st.tuples(
        st.just("redate"), st.integers(min_value=0, max_value=50), st.sampled_from(["1991", "2015-06-01", "2031"])
    ),
    st.tuples(st.just("remove"), st.integers(min_value=0, max_value=50), st.just("")),
    st.tuples(st.just("respond"), st.integers(min_value=0, max_value=50), st.sampled_from(TRICKY_TEXTS)),
    st.tuples(st.just("source"), st.integers(min_value=0, max_value=50), st.just("")),
    st.tuples(st.just("touch"), st.just(0), st.just("")),
    st.tuples(st.just("hand edit"), st.just(0), st.sampled_from(TRICKY_TEXTS)),
    st.tuples(st.just("hand comment"), st.just(0), st.just("")),
)


def _apply(run: Run, path: Path, operation: tuple[str, object, str], step: int) -> None:
    kind, what, text = operation
    events = [event.id for event in _parsed(path).events]
    demands = [demand.id for demand in _parsed(path).demands]
    title = f"{text} {step}".strip() or f"t{step}"
    if kind == "add":
        add_event(run, path, str(what), title, "--description", text)
        if step % 3 == 0:
            run("add-demand", "--date", str(what), "--to", "Office", "--subject", title, "-f", str(path))
    elif kind in ("edit", "redate", "remove", "source") and events:
        target = events[int(str(what)) % len(events)]
        if kind == "edit":
            run("edit", target, "--title", title, "--description", text, "-f", str(path))
        elif kind == "redate":
            run("edit", target, "--date", text, "-f", str(path))
        elif kind == "remove":
            run("remove", target, "--yes", "-f", str(path))
        else:
            run("set-source", target, f"https://example.org/{step}", "--title", "S", "-f", str(path))
    elif kind == "respond" and demands:
        target = demands[int(str(what)) % len(demands)]
        # Dated as its demand: one dated before the demand was sent is refused.
        when = next(demand.date.text for demand in _parsed(path).demands if demand.id == target)
        run("respond", target, "--date", when, "--status", "partial", "--summary", text, "-f", str(path))
    elif kind == "touch":
        os.utime(path)
    elif kind == "hand edit":  # a git pull: an event appended by another hand, in casefile's layout
        table = {"id": f"hand-{step}", "date": "2012", "title": text or "hand", "description": text}
        path.write_text(path.read_text() + "\n" + tomltext.item_text("events", table))
    elif kind == "hand comment":
        path.write_text(path.read_text().replace("[case]\n", f"[case]\n# comment {step}\n", 1))


def _parsed(path: Path) -> object:
    from casefile.case.codec import decode
    from casefile.case.migrations import migrate

    return decode(migrate(tomllib.loads(path.read_text(encoding="utf-8"))))


@given(operations=st.lists(OPERATION, min_size=1, max_size=8))
def test_fast_paths_return_what_a_full_parse_returns(
    run: Run, case_file: Path, operations: list[tuple[str, object, str]]
) -> None:
    path = case_file.parent / "sequence.toml"
    shutil.copy(case_file, path)
    run("add-concern", "--title", "Surveillance", "--category", "fundamental-freedoms", "-f", str(path))
    for step, operation in enumerate(operations):
        _apply(run, path, operation, step)
        truth = _parsed(path)
        assert store.load(path).case == truth
        data = path.read_bytes()
        entry = cache.read_entry(cache.folder_for(path), "index", cache.sha256(data).digest())
        if entry is not None:
            _, parts, _ = tomltext.parse_case(data, path)
            assert [(part.name, part.start) for part in parts or []] == list(zip(*entry["layout"][:2], strict=True))
    with_cache = run("list", "events", "--json", "-f", str(path)).stdout
    shutil.rmtree(cache.cache_root(), ignore_errors=True)
    assert run("list", "events", "--json", "-f", str(path)).stdout == with_cache
